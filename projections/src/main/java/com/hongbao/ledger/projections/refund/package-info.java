/** The refund read model: each payment's refunds and whether the payer's wallet has them yet. */
package com.hongbao.ledger.projections.refund;
