package com.hongbao.ledger.core.id;

/** A brand campaign of a merchant. */
public record CampaignId(String value) {

    public CampaignId {
        Ids.requireValid(value, "CampaignId");
    }

    public static CampaignId random() {
        return new CampaignId("cp_" + java.util.UUID.randomUUID().toString().replace("-", ""));
    }

    @Override
    public String toString() {
        return value;
    }
}
