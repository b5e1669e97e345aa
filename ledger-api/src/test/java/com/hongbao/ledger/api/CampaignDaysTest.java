package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.support.ApiTest;
import com.hongbao.ledger.projections.campaign.CampaignQueries;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The campaign report buckets days in the platform's zone. PostgreSQL reads a bare offset with
 * the POSIX sign ('+08:00' is eight hours west), so an offset zone is passed as an interval,
 * which means what ISO-8601 means.
 */
class CampaignDaysTest extends ApiTest {

    private LocalDate dayOf(String instant, ZoneOffset offset) {
        return jdbc.queryForObject("SELECT (CAST(? AS timestamptz) AT TIME ZONE CAST(? AS INTERVAL))::date",
                LocalDate.class, instant, CampaignQueries.offsetInterval(offset));
    }

    @Test
    void an_offset_east_of_utc_moves_the_evening_into_the_next_day() {
        assertThat(CampaignQueries.offsetInterval(ZoneOffset.ofHours(8))).isEqualTo("08:00:00");
        assertThat(dayOf("2026-02-16T20:00:00Z", ZoneOffset.ofHours(8))).isEqualTo(LocalDate.parse("2026-02-17"));
        assertThat(dayOf("2026-02-16T15:59:59Z", ZoneOffset.ofHours(8))).isEqualTo(LocalDate.parse("2026-02-16"));
    }

    @Test
    void an_offset_west_of_utc_moves_the_small_hours_into_the_day_before() {
        assertThat(CampaignQueries.offsetInterval(ZoneOffset.ofHoursMinutes(-5, -30))).isEqualTo("-05:30:00");
        assertThat(dayOf("2026-02-16T03:00:00Z", ZoneOffset.ofHoursMinutes(-5, -30)))
                .isEqualTo(LocalDate.parse("2026-02-15"));
        assertThat(dayOf("2026-02-16T03:00:00Z", ZoneOffset.UTC)).isEqualTo(LocalDate.parse("2026-02-16"));
    }
}
