/** The payment read model and its queries. */
package com.hongbao.ledger.projections.payment;
