package com.hongbao.ledger.core.id;

/** The id of an onboarded merchant, chosen at onboarding (for example {@code m_1001}). */
public record MerchantId(String value) {

    public MerchantId {
        Ids.requireValid(value, "MerchantId");
    }

    @Override
    public String toString() {
        return value;
    }
}
