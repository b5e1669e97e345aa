package com.hongbao.ledger.core.id;

import java.util.Objects;

/** A brand campaign of a merchant. */
public record CampaignId(String value) {

    public CampaignId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > 100 || !value.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("invalid CampaignId: " + value);
        }
    }

    public static CampaignId random() {
        return new CampaignId("cp_" + java.util.UUID.randomUUID().toString().replace("-", ""));
    }

    @Override
    public String toString() {
        return value;
    }
}
