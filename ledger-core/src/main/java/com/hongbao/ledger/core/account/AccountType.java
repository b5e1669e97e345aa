package com.hongbao.ledger.core.account;

/**
 * The kinds of ledger account. Balances are signed from the account holder's point of view:
 * a wallet holding 10.00 has balance +10.00. External accounts mirror money outside the ledger
 * and go negative as money enters, so the sum over every account is always zero.
 */
public enum AccountType {
    /** A user's spendable wallet; never negative. */
    WALLET("wallet", true),
    /** What the platform owes a merchant; credited net of fees at capture. */
    MERCHANT_SETTLEMENT("merchant", false),
    /** Fees the platform has earned. */
    PLATFORM_FEE_REVENUE("platform_fee_revenue", false),
    /** Money taken from wallets for payments that are authorised and not yet captured, voided or expired. */
    PAYMENT_CLEARING("payment_clearing", true),
    /** One per red packet (owner: the packet id): what was sent and is not yet in a wallet again; ends at zero. */
    RED_PACKET_ESCROW("red_packet_escrow", true),
    /** One per brand campaign (owner: the campaign id): budget a merchant set aside and not yet issued or returned. */
    CAMPAIGN_BUDGET("campaign_budget", true),
    /** Money a merchant refunded, on its way back to the payer's wallet; never negative. */
    REFUND_CLEARING("refund_clearing", true),
    /**
     * One per buy-now-pay-later plan (owner: the plan's payment id): what the buyer still owes on it,
     * negative while owed (seen from the buyer, like a wallet in debt) and zero once the plan is paid,
     * refunded or written off. It never goes above zero.
     */
    BNPL_RECEIVABLE("bnpl_receivable", false),
    /** Plan fees and late fees the platform earned on instalment plans. */
    BNPL_FEE_REVENUE("bnpl_fee_revenue", false),
    /** What the platform lost on defaulted plans (written-off receivables, less what refunds recovered); negative. */
    BAD_DEBT_EXPENSE("bad_debt_expense", false),
    /** The mirror of money that came in from banks (top-ups); goes negative. */
    EXTERNAL_BANK_FUNDING("external_bank_funding", false),
    /** The mirror of money paid out to merchants' bank accounts (settlement payouts); goes positive. */
    EXTERNAL_BANK_PAYOUTS("external_bank_payouts", false),
    /** The mirror of money that left to banks (withdrawals); goes positive. */
    EXTERNAL_BANK_WITHDRAWALS("external_bank_withdrawals", false);

    private final String code;
    private final boolean noOverdraft;

    AccountType(String code, boolean noOverdraft) {
        this.code = code;
        this.noOverdraft = noOverdraft;
    }

    /** The stable snake_case code used in account ids, the journal and the API. */
    public String code() {
        return code;
    }

    /** Whether a committed balance below zero would be a defect. */
    public boolean noOverdraft() {
        return noOverdraft;
    }

    public static AccountType fromCode(String code) {
        for (AccountType type : values()) {
            if (type.code.equals(code)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown account type: " + code);
    }
}
