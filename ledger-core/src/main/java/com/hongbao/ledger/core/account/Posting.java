package com.hongbao.ledger.core.account;

import com.hongbao.ledger.core.money.Money;
import java.util.Objects;

/** One line of a journal entry: a signed amount booked to one account. */
public record Posting(AccountId account, Money amount) {

    public Posting {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(amount, "amount");
    }
}
