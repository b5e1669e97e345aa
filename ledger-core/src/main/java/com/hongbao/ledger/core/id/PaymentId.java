package com.hongbao.ledger.core.id;

import java.util.Objects;

/** A payment (an authorisation and its capture, void or expiry). */
public record PaymentId(String value) {

    public PaymentId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > 100 || !value.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("invalid PaymentId: " + value);
        }
    }

    public static PaymentId random() {
        return new PaymentId("p_" + java.util.UUID.randomUUID().toString().replace("-", ""));
    }

    @Override
    public String toString() {
        return value;
    }
}
