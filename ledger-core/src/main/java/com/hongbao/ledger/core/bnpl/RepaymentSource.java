package com.hongbao.ledger.core.bnpl;

/** How an instalment payment came about. The lower-case names are stable API values. */
public enum RepaymentSource {
    /** Pay-in-4's first instalment, taken from the wallet at checkout. */
    CHECKOUT,
    /** Collected from the wallet automatically on or after a due date. */
    COLLECTION,
    /** Paid by the buyer, ahead of time or to clear arrears. */
    MANUAL
}
