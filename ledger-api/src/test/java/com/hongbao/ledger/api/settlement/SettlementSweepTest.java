package com.hongbao.ledger.api.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.projections.statement.BusinessCalendar;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class SettlementSweepTest {

    @Test
    void nothing_is_settled_or_even_read_while_the_statements_read_model_is_not_current() {
        // No queries and no command gateway: the sweep must stop before it needs either.
        SettlementSweep sweep = new SettlementSweep(null, null, null,
                new BusinessCalendar(ZoneId.of("Asia/Shanghai"), Duration.ofMinutes(30)), Duration.ofMinutes(10),
                () -> false, Clock.systemUTC());

        assertThat(sweep.sweep()).isZero();
    }
}
