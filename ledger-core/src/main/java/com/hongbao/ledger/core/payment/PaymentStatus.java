package com.hongbao.ledger.core.payment;

/** The two-phase lifecycle of a payment: held (authorised), then posted (captured), voided or expired. */
public enum PaymentStatus {
    AUTHORISED, CAPTURED, VOIDED, EXPIRED;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
