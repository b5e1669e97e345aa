package com.hongbao.ledger.projections.statement;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The platform's business days: each closes at 00:00 in {@code zone}, and its statement is final
 * {@code closeLag} later. An event recorded before that instant is placed on the day it happened; one
 * recorded after is an adjustment on the day it was recorded, so a closed statement is never
 * rewritten. Changing either setting changes where a replay places late lines, so they are set once.
 */
public record BusinessCalendar(ZoneId zone, Duration closeLag) {

    public BusinessCalendar {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(closeLag, "closeLag");
        if (closeLag.isNegative()) {
            throw new IllegalArgumentException("a close lag is not negative: " + closeLag);
        }
    }

    public LocalDate dayOf(Instant instant) {
        return LocalDate.ofInstant(instant, zone);
    }

    public Instant startOf(LocalDate day) {
        return day.atStartOfDay(zone).toInstant();
    }

    /** When {@code day}'s statement becomes final. */
    public Instant closesAt(LocalDate day) {
        return startOf(day.plusDays(1)).plus(closeLag);
    }

    public boolean isClosed(LocalDate day, Instant now) {
        return !now.isBefore(closesAt(day));
    }

    /** The last day whose statement is final at {@code now}. */
    public LocalDate lastClosedDay(Instant now) {
        LocalDate day = dayOf(now.minus(closeLag)).minusDays(1);
        return isClosed(day, now) ? day : day.minusDays(1);
    }

    /** The statement day of something that happened at {@code occurredAt} and was recorded at {@code recordedAt}. */
    public Placement place(Instant occurredAt, Instant recordedAt) {
        LocalDate happened = dayOf(occurredAt);
        if (recordedAt.isBefore(closesAt(happened))) {
            return new Placement(happened, false);
        }
        return new Placement(dayOf(recordedAt), true);
    }

    /** The day a line is on, and whether it is an adjustment (recorded after the day it happened on closed). */
    public record Placement(LocalDate day, boolean adjustment) {
    }
}
