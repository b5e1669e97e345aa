package com.hongbao.ledger.core.bnpl;

import com.hongbao.ledger.core.money.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * One payment of an {@link InstalmentSchedule}: its 1-based number, the calendar day it is due on
 * in the platform's time zone, and its amount.
 *
 * <p>Why a date and not an instant: a buyer is told "due on 14 February", and reasonably expects the
 * whole of that day. Collection is attempted on the due date; the instalment is overdue only once
 * that day has ended in the platform's zone. {@link #dueBy(ZoneId)} turns the date into that
 * deadline.
 *
 * @param number the position in the schedule, from 1
 * @param dueDate the local date in the platform's zone on which the instalment is collected
 * @param amount at least one minor unit
 */
public record Instalment(int number, LocalDate dueDate, Money amount) {

    public Instalment {
        Objects.requireNonNull(dueDate, "dueDate");
        Objects.requireNonNull(amount, "amount");
        if (number < 1) {
            throw new IllegalArgumentException("instalments are numbered from 1: " + number);
        }
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("an instalment is at least one minor unit: " + amount);
        }
    }

    /**
     * The deadline: the start of the local day after the due date in {@code zone}, exclusive. A payment
     * at any instant before it is on time; at or after it the instalment is overdue.
     *
     * <p>Why the start of the next day rather than the last moment of the due day: it is exact (there
     * is no "23:59:59.999" whose precision has to be agreed), and it is right on days when daylight
     * saving time moves the clock, because {@link LocalDate#atStartOfDay(ZoneId)} takes the first valid
     * time of a day whose midnight does not exist. For Asia/Shanghai (UTC+8 all year) an instalment due
     * on 2026-02-14 is due by 2026-02-14T16:00:00Z.
     *
     * <p>{@code zone} must be the zone the schedule was made in: the schedule records the due dates,
     * not the zone.
     */
    public Instant dueBy(ZoneId zone) {
        return dueDate.plusDays(1).atStartOfDay(zone).toInstant();
    }
}
