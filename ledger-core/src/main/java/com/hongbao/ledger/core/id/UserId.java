package com.hongbao.ledger.core.id;

/** The id of a person using the app, as the identity provider's subject names them. */
public record UserId(String value) {

    public UserId {
        Ids.requireValid(value, "UserId");
    }

    @Override
    public String toString() {
        return value;
    }
}
