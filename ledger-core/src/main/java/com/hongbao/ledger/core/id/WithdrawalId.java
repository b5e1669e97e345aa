package com.hongbao.ledger.core.id;

/** One withdrawal from a wallet to a bank account. */
public record WithdrawalId(String value) {

    public WithdrawalId {
        Ids.requireValid(value, "WithdrawalId");
    }

    public static WithdrawalId random() {
        return new WithdrawalId("wd_" + java.util.UUID.randomUUID().toString().replace("-", ""));
    }

    @Override
    public String toString() {
        return value;
    }
}
