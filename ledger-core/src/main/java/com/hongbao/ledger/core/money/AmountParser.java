package com.hongbao.ledger.core.money;

import com.hongbao.ledger.core.LedgerRejection;
import java.util.Currency;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses client-supplied decimal amounts into {@link Money} without ever computing with
 * untrusted magnitudes: the text is checked against a bounded plain-decimal pattern first, so
 * inputs such as {@code 1e100000000}, {@code NaN} or a thousand-digit number are refused
 * before any arithmetic happens.
 */
public final class AmountParser {

    /** Currencies the ledger accepts; all have two minor-unit digits. */
    public static final Set<String> SUPPORTED_CURRENCIES = Set.of("CNY", "HKD", "USD");

    /** At most 15 integer digits keeps every single amount far below {@link Long#MAX_VALUE} fen. */
    private static final Pattern PLAIN_DECIMAL = Pattern.compile("-?(0|[1-9][0-9]{0,14})(\\.[0-9]{1,18})?");

    private AmountParser() {
    }

    public static Currency currency(String code) {
        if (code == null || !SUPPORTED_CURRENCIES.contains(code)) {
            throw new LedgerRejection("unsupported_currency", "currency must be one of " + SUPPORTED_CURRENCIES);
        }
        return Currency.getInstance(code);
    }

    /** A strictly positive amount with no more decimals than the currency has. */
    public static Money positive(String text, Currency currency) {
        Money amount = nonNegative(text, currency);
        if (amount.minor() == 0) {
            throw new LedgerRejection("amount_not_positive", "amount must be greater than zero");
        }
        return amount;
    }

    /** Zero or a positive amount (a limit, say), with no more decimals than the currency has. */
    public static Money nonNegative(String text, Currency currency) {
        if (text == null) {
            throw new LedgerRejection("invalid_amount", "amount is required");
        }
        if (text.length() > 40 || !PLAIN_DECIMAL.matcher(text).matches()) {
            throw new LedgerRejection("invalid_amount",
                    "amount must be a plain decimal number with at most 15 integer digits, e.g. \"12.34\"");
        }
        boolean negative = text.startsWith("-");
        String digits = negative ? text.substring(1) : text;
        int dot = digits.indexOf('.');
        String integerPart = dot < 0 ? digits : digits.substring(0, dot);
        String fractionPart = dot < 0 ? "" : digits.substring(dot + 1);
        int scale = currency.getDefaultFractionDigits();
        if (fractionPart.length() > scale) {
            throw new LedgerRejection("invalid_amount_precision",
                    currency.getCurrencyCode() + " amounts have at most " + scale + " decimal places");
        }
        String padded = fractionPart + "0".repeat(scale - fractionPart.length());
        long minor = Math.addExact(Math.multiplyExact(Long.parseLong(integerPart), pow10(scale)),
                padded.isEmpty() ? 0 : Long.parseLong(padded));
        if (negative && minor != 0) {
            throw new LedgerRejection("amount_not_positive", "amount must be greater than zero");
        }
        return Money.of(minor, currency);
    }

    private static long pow10(int exponent) {
        long value = 1;
        for (int i = 0; i < exponent; i++) {
            value *= 10;
        }
        return value;
    }
}
