package com.hongbao.ledger.core.id;

/** A refund of a payment, named by the merchant's refund number. */
public record RefundId(String value) {

    public RefundId {
        Ids.requireValid(value, "RefundId");
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
