package com.hongbao.ledger.core.money;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/**
 * An amount of money in integer minor units (fen for CNY) of one ISO-4217 currency.
 *
 * <p>Arithmetic never silently overflows: every operation uses {@link Math#addExact} and
 * friends, and mixing currencies fails. There is no floating point anywhere in this type.
 */
public record Money(long minor, Currency currency) {

    /** 10^i for the minor-unit digits ISO 4217 defines (at most 4). */
    private static final long[] TENS = {1, 10, 100, 1_000, 10_000};

    public Money {
        Objects.requireNonNull(currency, "currency");
    }

    public static Money of(long minor, Currency currency) {
        return new Money(minor, currency);
    }

    public static Money of(long minor, String currencyCode) {
        return new Money(minor, Currency.getInstance(currencyCode));
    }

    public static Money zero(Currency currency) {
        return new Money(0, currency);
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.addExact(minor, other.minor), currency);
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.subtractExact(minor, other.minor), currency);
    }

    public Money negate() {
        return new Money(Math.negateExact(minor), currency);
    }

    public boolean isPositive() {
        return minor > 0;
    }

    public boolean isNegative() {
        return minor < 0;
    }

    public boolean isZero() {
        return minor == 0;
    }

    public boolean isGreaterThan(Money other) {
        requireSameCurrency(other);
        return minor > other.minor;
    }

    public boolean isLessThan(Money other) {
        requireSameCurrency(other);
        return minor < other.minor;
    }

    public Money min(Money other) {
        return isLessThan(other) ? this : other;
    }

    /**
     * The share of this amount at a rate in basis points (1/10,000), rounded half up to the
     * minor unit, exactly for every amount; a rate outside [0, 10,000] is a programmer error.
     */
    public Money timesBasisPointsRoundedHalfUp(int basisPoints) {
        if (basisPoints < 0 || basisPoints > 10_000) {
            throw new IllegalArgumentException("basis points out of range: " + basisPoints);
        }
        if (minor < 0) {
            throw new IllegalArgumentException("rate applied to a negative amount: " + this);
        }
        // minor × bp / 10,000, half up, without forming the (possibly overflowing) product: with
        // minor = q × 10,000 + r, the share is q × bp plus r × bp / 10,000 rounded half up. q × bp
        // never exceeds minor (bp ≤ 10,000) and r × bp < 10^8, so nothing overflows.
        long wholes = minor / 10_000;
        long rest = minor % 10_000;
        return new Money(wholes * basisPoints + (rest * basisPoints + 5_000) / 10_000, currency);
    }

    /** The amount as a plain decimal string in major units, e.g. {@code "12.34"}. */
    public String toDecimalString() {
        int digits = currency.getDefaultFractionDigits();
        if (digits <= 0 || digits >= TENS.length) {
            // No minor unit (JPY), or none defined (XXX, read as none): the whole number.
            return BigDecimal.valueOf(minor, Math.max(0, digits)).toPlainString();
        }
        // Every amount in every response goes through here, so plain long arithmetic, not a
        // BigDecimal per amount. Division truncates towards zero, so -5 fen is whole 0, rest 5,
        // and the sign is written by hand; |rest| < 10^digits, also for Long.MIN_VALUE.
        long whole = minor / TENS[digits];
        long rest = Math.abs(minor % TENS[digits]);
        StringBuilder text = new StringBuilder(24);
        if (minor < 0 && whole == 0) {
            text.append('-');
        }
        text.append(whole).append('.');
        for (long tens = TENS[digits - 1]; tens > 1 && rest < tens; tens /= 10) {
            text.append('0');
        }
        return text.append(rest).toString();
    }

    public void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new CurrencyMismatch(currency, other.currency);
        }
    }

    @Override
    public String toString() {
        return toDecimalString() + " " + currency.getCurrencyCode();
    }
}
