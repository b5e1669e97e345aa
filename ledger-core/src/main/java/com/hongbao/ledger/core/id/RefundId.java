package com.hongbao.ledger.core.id;

import java.util.Objects;

/** A refund of a payment, named by the merchant's refund number. */
public record RefundId(String value) {

    public RefundId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > 100 || !value.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("invalid RefundId: " + value);
        }
    }

    /** Derived from the merchant and its refund number, so a repeated refund names the same refund. */
    public static RefundId of(MerchantId merchantId, String refundNumber) {
        return new RefundId("rf_" + Ids.nameBased("refund", merchantId.value(), refundNumber));
    }

    @Override
    public String toString() {
        return value;
    }
}
