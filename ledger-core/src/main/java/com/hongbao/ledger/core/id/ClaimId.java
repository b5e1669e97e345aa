package com.hongbao.ledger.core.id;

import java.util.Objects;

/** The claim on one idempotency key; derived from the key and its scope, so two requests with the same key meet on the same aggregate. */
public record ClaimId(String value) {

    public ClaimId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > 100 || !value.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("invalid ClaimId: " + value);
        }
    }

    public static ClaimId forScope(String scope) {
        return new ClaimId("ik_" + Ids.sha256Hex(scope));
    }

    @Override
    public String toString() {
        return value;
    }
}
