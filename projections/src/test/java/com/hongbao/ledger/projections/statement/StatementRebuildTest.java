package com.hongbao.ledger.projections.statement;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The two conversions the rebuild's COPY rows depend on; that a rebuild writes the same rows as
 * the processor is tested through the API on PostgreSQL (StatementApiTest, ProjectionReplayTest).
 */
class StatementRebuildTest {

    @Test
    void text_is_escaped_for_copy_so_tabs_newlines_and_backslashes_stay_data() {
        assertThat(StatementRebuild.escape(new StringBuilder(), "a\tb\nc\rd\\e\\N").toString())
                .isEqualTo("a\\tb\\nc\\rd\\\\e\\\\N");
        assertThat(StatementRebuild.escape(new StringBuilder(), "订单-42 `x`").toString()).isEqualTo("订单-42 `x`");
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
