package com.hongbao.ledger.core.money;

import java.util.Currency;
import java.util.Objects;

/**
 * An amount of money in integer minor units (fen for CNY) of one ISO-4217 currency.
 *
 * <p>Arithmetic never silently overflows: every operation uses {@link Math#addExact} and
 * friends, and mixing currencies fails. There is no floating point anywhere in this type.
 */
public record Money(long minor, Currency currency) {

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
        return appendDecimal(new StringBuilder(24), minor, currency.getDefaultFractionDigits()).toString();
    }

    /**
     * Appends {@code minor} as a plain decimal with {@code fractionDigits} digits after the point,
     * e.g. -12 with 2 digits as {@code -0.12}; with none (or none defined, as for XXX) the whole
     * number. Every amount of every response and bill line goes through here: digits are moved
     * around as text, with no {@code BigDecimal} per amount.
     */
    public static StringBuilder appendDecimal(StringBuilder out, long minor, int fractionDigits) {
        String signed = Long.toString(minor);
        if (fractionDigits <= 0) {
            return out.append(signed);
        }
        int start = minor < 0 ? 1 : 0;
        if (minor < 0) {
            out.append('-');
        }
        int integerDigits = signed.length() - start - fractionDigits;
        if (integerDigits <= 0) {
            out.append('0').append('.');
            for (int i = integerDigits; i < 0; i++) {
                out.append('0');
            }
            return out.append(signed, start, signed.length());
        }
        return out.append(signed, start, start + integerDigits).append('.')
                .append(signed, start + integerDigits, signed.length());
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
