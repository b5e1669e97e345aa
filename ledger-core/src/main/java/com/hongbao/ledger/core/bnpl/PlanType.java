package com.hongbao.ledger.core.bnpl;

/**
 * The buy-now-pay-later plans a buyer can choose at checkout. The codes are stable API values.
 *
 * <p>How the due dates of each plan are laid out is decided by {@link InstalmentSchedule#of}.
 */
public enum PlanType {
    /**
     * Four instalments: the first, a quarter of the total, is taken from the wallet at checkout, and the
     * other three are due every 14 days after it (days 0, 14, 28 and 42).
     */
    PAY_IN_4("pay_in_4", 4, true),
    /** Three instalments, due one, two and three months after checkout; nothing is due at checkout. */
    MONTHLY_3("monthly_3", 3, false),
    /** Six instalments, due one to six months after checkout; nothing is due at checkout. */
    MONTHLY_6("monthly_6", 6, false),
    /** Twelve instalments, due one to twelve months after checkout; nothing is due at checkout. */
    MONTHLY_12("monthly_12", 12, false);

    private final String code;
    private final int instalments;
    private final boolean firstDueAtCheckout;

    PlanType(String code, int instalments, boolean firstDueAtCheckout) {
        this.code = code;
        this.instalments = instalments;
        this.firstDueAtCheckout = firstDueAtCheckout;
    }

    public String code() {
        return code;
    }

    /** How many instalments the plan has. */
    public int instalments() {
        return instalments;
    }

    /** Whether the first instalment is due on the day of checkout (and collected at checkout). */
    public boolean firstDueAtCheckout() {
        return firstDueAtCheckout;
    }

    public static PlanType fromCode(String code) {
        for (PlanType type : values()) {
            if (type.code.equals(code)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown instalment plan: " + code);
    }
}
