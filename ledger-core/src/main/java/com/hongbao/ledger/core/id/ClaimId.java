package com.hongbao.ledger.core.id;

/** The claim on one idempotency key; derived from the key and its scope, so two requests with the same key meet on the same aggregate. */
public record ClaimId(String value) {

    public ClaimId {
        Ids.requireValid(value, "ClaimId");
    }

    public static ClaimId forScope(String scope) {
        return new ClaimId("ik_" + Ids.sha256Hex(scope));
    }

    @Override
    public String toString() {
        return value;
    }
}
