package com.hongbao.ledger.api.web;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.account.AccountId;
import com.hongbao.ledger.core.account.AccountType;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.AmountParser;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.TreeSet;

/**
 * Turns the journal search's by-owner and by-size parameters into journal criteria. Amount
 * bounds go through {@link AmountParser}, so they are refused exactly like amounts in request
 * bodies ({@code 1e9}, {@code 0.001}, {@code -5}); a user's wallets are derived from the user id,
 * one per supported currency, so the search needs no lookup and finds wallets however they were
 * opened.
 */
final class JournalSearch {

    private JournalSearch() {
    }

    /** The currency filter and the bounds in its minor units; all null when none was given. */
    record Bounds(String currency, Long minMinor, Long maxMinor) {
    }

    static Bounds amountBounds(String currency, String minAmount, String maxAmount) {
        if (currency == null) {
            if (minAmount != null || maxAmount != null) {
                throw new LedgerRejection("invalid_parameter", "minAmount and maxAmount need a currency");
            }
            return new Bounds(null, null, null);
        }
        Currency code = AmountParser.currency(currency);
        Long min = minAmount == null ? null : AmountParser.positive(minAmount, code).minor();
        Long max = maxAmount == null ? null : AmountParser.positive(maxAmount, code).minor();
        if (min != null && max != null && min > max) {
            throw new LedgerRejection("invalid_parameter", "minAmount must not be greater than maxAmount");
        }
        return new Bounds(code.getCurrencyCode(), min, max);
    }

    /**
     * The accounts a merchant and/or user filter allows (both given: the accounts that are both,
     * i.e. none), or null when neither was given.
     */
    static List<String> accounts(String merchantId, String userId) {
        List<String> merchant = null;
        if (merchantId != null) {
            try {
                merchant = List.of(new AccountId(AccountType.MERCHANT_SETTLEMENT, new MerchantId(merchantId).value())
                        .toString());
            } catch (IllegalArgumentException e) {
                throw new LedgerRejection("invalid_parameter", "merchantId must be 1 to 100 letters, digits, '_', '.' or '-'");
            }
        }
        List<String> wallets = null;
        if (userId != null) {
            UserId user = Requests.userIdParameter("userId", userId);
            wallets = new ArrayList<>();
            for (String currency : new TreeSet<>(AmountParser.SUPPORTED_CURRENCIES)) {
                wallets.add(new AccountId(AccountType.WALLET,
                        WalletId.of(user, Currency.getInstance(currency)).value()).toString());
            }
        }
        if (merchant == null) {
            return wallets;
        }
        if (wallets == null) {
            return merchant;
        }
        return merchant.stream().filter(wallets::contains).toList();
    }
}
