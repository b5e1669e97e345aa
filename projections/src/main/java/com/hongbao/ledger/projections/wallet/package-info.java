/** The wallet read model and its queries. */
package com.hongbao.ledger.projections.wallet;
