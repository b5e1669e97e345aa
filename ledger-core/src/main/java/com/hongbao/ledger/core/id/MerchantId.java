package com.hongbao.ledger.core.id;

import java.util.Objects;

/** The id of an onboarded merchant, chosen at onboarding (for example {@code m_1001}). */
public record MerchantId(String value) {

    public MerchantId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > 100 || !value.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("invalid MerchantId: " + value);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
