package com.hongbao.ledger.core.id;

/** A user's wallet in one currency. Derived from the owner and currency, so a user has at most one wallet per currency and no lookup is needed to find it. */
public record WalletId(String value) {

    public WalletId {
        Ids.requireValid(value, "WalletId");
    }

    public static WalletId of(UserId owner, java.util.Currency currency) {
        return new WalletId("w_" + Ids.nameBased("wallet", owner.value(), currency.getCurrencyCode()));
    }

    @Override
    public String toString() {
        return value;
    }
}
