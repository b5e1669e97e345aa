package com.hongbao.ledger.core.id;

import java.util.Objects;

/** The id of a person using the app, as the identity provider's subject names them. */
public record UserId(String value) {

    public UserId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > 100 || !value.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("invalid UserId: " + value);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
