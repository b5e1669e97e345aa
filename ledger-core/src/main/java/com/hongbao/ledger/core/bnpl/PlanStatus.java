package com.hongbao.ledger.core.bnpl;

/** Where an instalment plan stands; finance lists plans by it. The lower-case names are stable API values. */
public enum PlanStatus {
    /** Something is still owed and nothing is overdue. */
    CURRENT,
    /** At least one instalment was not paid by the end of its due date and is still owed. */
    OVERDUE,
    /** An instalment was more than the plan's default period overdue; what was owed is written off. */
    DEFAULTED,
    /** Nothing is owed any more: paid off, or refunded. */
    CLOSED;

    /** Whether the plan can still take payments and draw fees. */
    public boolean open() {
        return this == CURRENT || this == OVERDUE;
    }
}
