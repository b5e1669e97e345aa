package com.hongbao.ledger.projections.statement;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The timestamp conversions the rebuild's binary COPY rows depend on; that a rebuild writes the same rows as
 * the processor is tested through the API on PostgreSQL (StatementApiTest, ProjectionReplayTest).
 */
class StatementRebuildTest {

    @Test
    void binary_timestamps_count_microseconds_from_the_year_2000() {
        assertThat(StatementRebuild.postgresMicros(Instant.parse("2000-01-01T00:00:00Z"))).isZero();
        assertThat(StatementRebuild.postgresMicros(Instant.parse("1999-12-31T23:59:59.999999Z"))).isEqualTo(-1);
        assertThat(StatementRebuild.postgresMicros(Instant.parse("2026-11-19T15:59:36.123456500Z")))
                .isEqualTo((Instant.parse("2026-11-19T15:59:36Z").getEpochSecond() - 946_684_800L) * 1_000_000L + 123_457);
    }

    @Test
    void instants_round_to_the_microsecond_half_up_as_the_jdbc_driver_does() {
        assertThat(StatementRebuild.micros(Instant.parse("2026-11-19T15:59:36.123456499Z")))
                .isEqualTo(Instant.parse("2026-11-19T15:59:36.123456Z"));
        assertThat(StatementRebuild.micros(Instant.parse("2026-11-19T15:59:36.123456500Z")))
                .isEqualTo(Instant.parse("2026-11-19T15:59:36.123457Z"));
        assertThat(StatementRebuild.micros(Instant.parse("2026-11-19T15:59:59.999999500Z")))
                .isEqualTo(Instant.parse("2026-11-19T16:00:00Z"));
        assertThat(StatementRebuild.micros(Instant.parse("2026-11-19T15:59:36.123Z")))
                .isEqualTo(Instant.parse("2026-11-19T15:59:36.123Z"));
    }
}
