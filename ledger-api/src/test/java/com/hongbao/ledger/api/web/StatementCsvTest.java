package com.hongbao.ledger.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.projections.statement.StatementQueries.LineView;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Rows of the bill formatted by hand: times in the platform zone, amounts of every size and sign. */
class StatementCsvTest {

    private static LineView line(String type, Instant at, long amount, long gross, long fee, Integer feeRate,
                                 Long orderAmount) {
        return new LineView("e-1", 0, LocalDate.parse("2026-11-22"), false, at, type, Money.of(amount, "CNY"),
                Money.of(gross, "CNY"), Money.of(fee, "CNY"), feeRate, "p_1", "o-1", "u_1",
                type.equals("refund") ? "rf_1" : null, type.equals("refund") ? "R-1" : null, "ref", null,
                orderAmount == null ? null : Money.of(orderAmount, "CNY"), type.equals("refund") ? "success" : null);
    }

    @Test
    void times_are_shanghai_wall_clock_and_amounts_keep_two_decimals_in_any_size_and_sign() throws Exception {
        StringWriter out = new StringWriter();
        StatementCsv csv = new StatementCsv(out, "m_1", ZoneId.of("Asia/Shanghai"));
        // 23:59:59 on 21 November in Shanghai is 15:59:59Z.
        csv.line(line("payment", Instant.parse("2026-11-21T15:59:59.999Z"), 12_345_614, 12_345_678, 64, 5, null));
        csv.line(line("refund", Instant.parse("2026-11-21T16:00:00Z"), -4, 5, -1, null, 12_345_678L));
        csv.line(line("payout", Instant.parse("2026-01-01T00:00:00Z"), -7, 0, 0, null, null));
        csv.summary("CNY");
        assertThat(out.toString().split("\r\n")).containsExactly(
                "`2026-11-21 23:59:59,`m_1,`o-1,`p_1,`u_1,`payment,`SUCCESS,`CNY,`123456.78,`,`,`0.00,`,`,`0.64,"
                        + "`0.05%,`123456.78,`0.00",
                "`2026-11-22 00:00:00,`m_1,`o-1,`p_1,`u_1,`refund,`REFUND,`CNY,`0.00,`rf_1,`R-1,`0.05,`SUCCESS,`,"
                        + "`-0.01,`,`123456.78,`0.05",
                "`2026-01-01 08:00:00,`m_1,`o-1,`p_1,`u_1,`payout,`SUCCESS,`CNY,`-0.07,`,`,`0.00,`,`,`0.00,`,`,`0.00",
                "",
                "`Total trades,`Total settlement amount,`Total refund amount,`Total fee",
                "`3,`123456.71,`0.05,`0.63");
    }
}
