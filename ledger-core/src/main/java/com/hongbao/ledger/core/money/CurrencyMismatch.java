package com.hongbao.ledger.core.money;

import com.hongbao.ledger.core.LedgerRejection;
import java.util.Currency;

/** Two amounts in different currencies met where one currency was expected. */
public final class CurrencyMismatch extends LedgerRejection {

    public CurrencyMismatch(Currency expected, Currency actual) {
        super("currency_mismatch", "expected " + expected.getCurrencyCode() + " but got " + actual.getCurrencyCode());
    }
}
