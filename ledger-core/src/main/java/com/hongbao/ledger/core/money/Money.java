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
     * minor unit. The product is computed exactly; a rate outside [0, 10,000] is a programmer error.
     */
    public Money timesBasisPointsRoundedHalfUp(int basisPoints) {
        if (basisPoints < 0 || basisPoints > 10_000) {
            throw new IllegalArgumentException("basis points out of range: " + basisPoints);
        }
        if (minor < 0) {
            throw new IllegalArgumentException("rate applied to a negative amount: " + this);
        }
        long product = Math.multiplyExact(minor, (long) basisPoints);
        // Half up: add half the divisor before the (truncating) division; the remainder is dropped.
        return new Money(Math.addExact(product, 5_000) / 10_000, currency);
    }

    /** The amount as a plain decimal string in major units, e.g. {@code "12.34"}. */
    public String toDecimalString() {
        return BigDecimal.valueOf(minor, currency.getDefaultFractionDigits()).toPlainString();
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
