package com.hongbao.ledger.core.bnpl;

import com.hongbao.ledger.core.money.Money;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The rules a buyer agreed to at checkout, kept with the plan so that a later change of
 * configuration does not change a running plan.
 *
 * <p>Days are calendar days in {@code zone}. An instalment due on day D is overdue from the start of
 * D + 1; it draws the late fee from the start of D + 1 + {@code graceDays} (overdue for more than the
 * grace period); the plan defaults from the start of D + 1 + {@code defaultAfterDays} (overdue for more
 * than that many days).
 *
 * @param lateFee                 the fixed fee charged once per overdue instalment
 * @param graceDays               how many days an instalment may be overdue before it draws the late fee
 * @param lateFeeCapBasisPoints   the most a plan's late fees may add up to, as a share of the order amount
 * @param defaultAfterDays        how many days an instalment may be overdue before the plan defaults
 * @param zone                    the zone the due dates are calendar days of
 */
public record PlanTerms(Money lateFee, int graceDays, int lateFeeCapBasisPoints, int defaultAfterDays, ZoneId zone) {

    public PlanTerms {
        Objects.requireNonNull(lateFee, "lateFee");
        Objects.requireNonNull(zone, "zone");
        if (lateFee.isNegative() || graceDays < 0 || defaultAfterDays < 1 || lateFeeCapBasisPoints < 0
                || lateFeeCapBasisPoints > 10_000) {
            throw new IllegalArgumentException("invalid plan terms: " + lateFee + ", " + graceDays + " grace days, cap "
                    + lateFeeCapBasisPoints + " bp, default after " + defaultAfterDays + " days");
        }
    }

    /** The cap on a plan's late fees for an order of {@code orderAmount}, rounded down to the minor unit. */
    public long lateFeeCapMinor(Money orderAmount) {
        return BigInteger.valueOf(orderAmount.minor()).multiply(BigInteger.valueOf(lateFeeCapBasisPoints))
                .divide(BigInteger.valueOf(10_000)).longValueExact();
    }

    /** The start of {@code date} in the plan's zone. */
    public Instant startOf(LocalDate date) {
        return date.atStartOfDay(zone).toInstant();
    }

    /** The calendar day of {@code instant} in the plan's zone. */
    public LocalDate dayOf(Instant instant) {
        return LocalDate.ofInstant(instant, zone);
    }
}
