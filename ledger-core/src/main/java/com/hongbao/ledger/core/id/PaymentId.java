package com.hongbao.ledger.core.id;

/** A payment (an authorisation and its capture, void or expiry). */
public record PaymentId(String value) {

    public PaymentId {
        Ids.requireValid(value, "PaymentId");
    }

    public static PaymentId random() {
        return new PaymentId("p_" + java.util.UUID.randomUUID().toString().replace("-", ""));
    }

    @Override
    public String toString() {
        return value;
    }
}
