package com.hongbao.ledger.projections.statement;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.projections.statement.BusinessCalendar.Placement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * Business days in Asia/Shanghai (UTC+8): a day runs from 16:00Z the evening before to 16:00Z, and
 * its statement is final 30 minutes after it ends. Lines recorded before that go on the day they
 * happened; lines recorded at or after it are adjustments on the day they were recorded.
 */
class BusinessCalendarTest {

    private final BusinessCalendar calendar = new BusinessCalendar(ZoneId.of("Asia/Shanghai"), Duration.ofMinutes(30));

    private static final LocalDate NOV_21 = LocalDate.parse("2026-11-21");
    private static final LocalDate NOV_22 = LocalDate.parse("2026-11-22");

    @Test
    void the_day_boundary_is_midnight_in_the_platform_zone_not_utc() {
        assertThat(calendar.dayOf(Instant.parse("2026-11-21T15:59:59.999999Z"))).isEqualTo(NOV_21);
        assertThat(calendar.dayOf(Instant.parse("2026-11-21T16:00:00Z"))).isEqualTo(NOV_22);
        assertThat(calendar.startOf(NOV_22)).isEqualTo(Instant.parse("2026-11-21T16:00:00Z"));
        assertThat(calendar.closesAt(NOV_21)).isEqualTo(Instant.parse("2026-11-21T16:30:00Z"));
    }

    @Test
    void a_line_recorded_before_its_day_closed_goes_on_the_day_it_happened() {
        Instant lastMoment = Instant.parse("2026-11-21T15:59:59.999999Z");
        assertThat(calendar.place(lastMoment, lastMoment)).isEqualTo(new Placement(NOV_21, false));
        // Recorded after midnight but within the close lag: still the day it happened.
        assertThat(calendar.place(lastMoment, Instant.parse("2026-11-21T16:29:59.999999Z")))
                .isEqualTo(new Placement(NOV_21, false));
    }

    @Test
    void a_line_recorded_once_its_day_closed_is_an_adjustment_on_the_day_it_was_recorded() {
        Instant lastMoment = Instant.parse("2026-11-21T15:59:59Z");
        assertThat(calendar.place(lastMoment, Instant.parse("2026-11-21T16:30:00Z")))
                .isEqualTo(new Placement(NOV_22, true));
        assertThat(calendar.place(lastMoment, Instant.parse("2026-11-23T02:00:00Z")))
                .isEqualTo(new Placement(LocalDate.parse("2026-11-23"), true));
    }

    @Test
    void the_last_closed_day_moves_on_only_when_the_close_lag_has_passed() {
        assertThat(calendar.isClosed(NOV_21, Instant.parse("2026-11-21T16:29:59Z"))).isFalse();
        assertThat(calendar.isClosed(NOV_21, Instant.parse("2026-11-21T16:30:00Z"))).isTrue();
        assertThat(calendar.lastClosedDay(Instant.parse("2026-11-21T16:29:59Z"))).isEqualTo(NOV_21.minusDays(1));
        assertThat(calendar.lastClosedDay(Instant.parse("2026-11-21T16:30:00Z"))).isEqualTo(NOV_21);
        assertThat(calendar.lastClosedDay(Instant.parse("2026-11-22T12:00:00Z"))).isEqualTo(NOV_21);
    }
}
