package com.hongbao.ledger.core.account;

/** Why money moved; a filter of the journal. The codes are stable API values. */
public enum MovementType {
    TOP_UP("top_up"),
    WITHDRAWAL("withdrawal"),
    PAYMENT_AUTHORISATION("payment_authorisation"),
    PAYMENT_DEBIT("payment_debit"),
    PAYMENT_CAPTURE("payment_capture"),
    AUTHORISATION_RELEASE("authorisation_release"),
    RED_PACKET_SEND("red_packet_send"),
    RED_PACKET_CLAIM("red_packet_claim"),
    RED_PACKET_REFUND("red_packet_refund"),
    CAMPAIGN_FUNDING("campaign_funding"),
    CAMPAIGN_PACKET_ISSUE("campaign_packet_issue"),
    CAMPAIGN_PACKET_RETURN("campaign_packet_return"),
    CAMPAIGN_BUDGET_RETURN("campaign_budget_return"),
    PAYMENT_REFUND("payment_refund"),
    REFUND_CREDIT("refund_credit"),
    BNPL_CHECKOUT("bnpl_checkout"),
    BNPL_REPAYMENT("bnpl_repayment"),
    BNPL_LATE_FEE("bnpl_late_fee"),
    BNPL_REFUND("bnpl_refund"),
    BNPL_WRITE_OFF("bnpl_write_off"),
    PAYOUT("payout");

    private final String code;

    MovementType(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static MovementType fromCode(String code) {
        for (MovementType type : values()) {
            if (type.code.equals(code)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown movement type: " + code);
    }
}
