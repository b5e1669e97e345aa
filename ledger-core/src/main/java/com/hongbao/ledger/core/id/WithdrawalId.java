package com.hongbao.ledger.core.id;

import java.util.Objects;

/** One withdrawal from a wallet to a bank account. */
public record WithdrawalId(String value) {

    public WithdrawalId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > 100 || !value.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("invalid WithdrawalId: " + value);
        }
    }

    public static WithdrawalId random() {
        return new WithdrawalId("wd_" + java.util.UUID.randomUUID().toString().replace("-", ""));
    }

    @Override
    public String toString() {
        return value;
    }
}
