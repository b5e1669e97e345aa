package com.hongbao.ledger.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.scripts.FaultReport.Outcome;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fault harness's outcomes, table, targets and exit code: a 5xx or no answer is unknown, a 4xx
 * rejected; only loss, duplication, phantom money and mismatches fail a run, unresolved operations
 * make it incomplete, and the targets fail it only when strict.
 */
class FaultReportTest {

    @Test
    void statusesAreAcknowledgedRejectedOrUnknown() {
        assertThat(Outcome.of(200)).isEqualTo(Outcome.ACKNOWLEDGED);
        assertThat(Outcome.of(201)).isEqualTo(Outcome.ACKNOWLEDGED);
        assertThat(Outcome.of(409)).isEqualTo(Outcome.REJECTED);
        assertThat(Outcome.of(410)).isEqualTo(Outcome.REJECTED);
        assertThat(Outcome.of(500)).isEqualTo(Outcome.UNKNOWN);
        assertThat(Outcome.of(503)).isEqualTo(Outcome.UNKNOWN);
        assertThat(Outcome.of(0)).isEqualTo(Outcome.UNKNOWN);
    }

    private static FaultReport.Measures clean() {
        FaultReport.Measures measures = new FaultReport.Measures();
        measures.fault = "kill-node";
        measures.nodes = 2;
        measures.trialBalanceBalanced = true;
        measures.reconciliationBalanced = true;
        measures.creditLagMillis.addAll(List.of(100L, 200L, 300L));
        measures.takeoverMillis = 12_000L;
        measures.victimSegments = 9;
        return measures;
    }

    @Test
    void aCleanRunPassesEveryTargetAndExitsZero() {
        FaultReport report = new FaultReport();
        report.first("payment", Outcome.ACKNOWLEDGED);
        report.last("payment", Outcome.ACKNOWLEDGED, 1);
        FaultReport.Measures measures = clean();
        assertThat(report.targets(measures)).allMatch(t -> t.met());
        assertThat(report.exitCode(measures, true)).isZero();
        assertThat(report.table(measures)).anyMatch(line -> line.equals("| payment | 1 | 0 | 0 | 1 | 0 | 0 | 0 |"))
                .anyMatch(line -> line.startsWith("| credit seen in the wallet's history (polled) p50 / p99 / max (3 credits)"
                        + " | 0.20 s / 0.30 s / 0.30 s"))
                .anyMatch(line -> line.equals("| takeover | 12.00 s (the killed node held 9 segments) |"));
    }

    @Test
    void unknownsRetriedToTheirEndAreCountedOnceEachWay() {
        FaultReport report = new FaultReport();
        report.first("refund", Outcome.UNKNOWN);
        report.response(0, null, true);
        report.response(500, "internal_error", false);
        report.response(503, "service_unavailable", false);
        report.response(409, "already_grabbed", false);
        report.last("refund", Outcome.ACKNOWLEDGED, 4);
        FaultReport.Tally tally = report.tallies().get("refund");
        assertThat(tally.firstUnknown).isEqualTo(1);
        assertThat(tally.finalAcknowledged).isEqualTo(1);
        assertThat(tally.retries).isEqualTo(3);
        assertThat(report.responses500()).isEqualTo(1);
        assertThat(report.responses5xx()).isEqualTo(2);
        assertThat(report.table(clean())).anyMatch(line -> line.equals("| timeouts, connection failures | 1, 0 |"))
                .anyMatch(line -> line.contains("409 already_grabbed=1"));
    }

    @Test
    void lossDuplicationPhantomOrMismatchFailTheRun() {
        FaultReport report = new FaultReport();
        for (ClientLedger.Findings findings : List.of(
                new ClientLedger.Findings(1, 0, 0, 0, List.of("lost")),
                new ClientLedger.Findings(0, 1, 0, 0, List.of("duplicated")),
                new ClientLedger.Findings(0, 0, 1, 0, List.of("phantom")),
                new ClientLedger.Findings(0, 0, 0, 1, List.of("balance")))) {
            FaultReport.Measures measures = clean();
            measures.findings = findings;
            assertThat(report.exitCode(measures, false)).isEqualTo(1);
        }
        FaultReport.Measures unbalanced = clean();
        unbalanced.reconciliationBalanced = false;
        assertThat(report.exitCode(unbalanced, false)).isEqualTo(1);
    }

    @Test
    void missedTargetsFailOnlyAStrictRun() {
        FaultReport report = new FaultReport();
        report.response(500, "internal_error", false);
        FaultReport.Measures measures = clean();
        measures.creditLagMillis.add(30_000L);
        measures.takeoverMillis = 56_000L;
        assertThat(report.targets(measures)).filteredOn(t -> !t.met()).extracting(FaultReport.Target::name)
                .containsExactly("0 responses of 500", "credit lag p99 <= 2 s", "takeover <= 15 s");
        assertThat(report.exitCode(measures, false)).isZero();
        assertThat(report.exitCode(measures, true)).isEqualTo(2);
    }

    @Test
    void theEventStoresExactLagDecidesTheTargetOverThePolledOne() {
        FaultReport report = new FaultReport();
        FaultReport.Measures measures = clean();
        measures.creditLagMillis.add(30_000L);
        measures.storeCreditLagMillis.addAll(List.of(10L, 400L, 900L));
        measures.storeCreditLagByKind.put("refund_credit", new java.util.ArrayList<>(List.of(10L, 400L, 900L)));
        assertThat(report.targets(measures)).filteredOn(t -> t.name().startsWith("credit lag")).singleElement()
                .satisfies(t -> {
                    assertThat(t.met()).isTrue();
                    assertThat(t.measured()).isEqualTo("0.90 s (event store)");
                });
        assertThat(report.table(measures)).anyMatch(line -> line.startsWith(
                "| credit lag p50 / p99 / max, acknowledgement to credit event (event store) (3 credits) | 0.40 s / 0.90 s / 0.90 s"));

        measures.storeCreditsMissing = 1;
        assertThat(report.targets(measures)).filteredOn(t -> t.name().startsWith("credit lag")).singleElement()
                .satisfies(t -> assertThat(t.met()).isFalse());
    }

    @Test
    void theNodesMetricsThatShowAFaultAreRecognisedAndTabled() {
        assertThat(FaultReport.faultMetric("ledger_processor_segment_takeovers_total{application=\"ledger\",processor=\"ledger\"} 3.0"))
                .isEqualTo(FaultReport.TAKEOVERS);
        assertThat(FaultReport.faultMetric("http_server_requests_seconds_count{method=\"POST\",status=\"503\",uri=\"/v1/payments\"} 7"))
                .isEqualTo(FaultReport.ANSWERS_503);
        assertThat(FaultReport.faultMetric("http_server_requests_seconds_count{method=\"POST\",status=\"201\",uri=\"/v1/payments\"} 7"))
                .isNull();
        assertThat(FaultReport.faultMetric("# TYPE ledger_credits_parked gauge")).isNull();
        assertThat(FaultReport.faultMetric("ledger_credits_parked_other 1")).isNull();
        assertThat(FaultReport.faultMetric("ledger_credits_parked 2.0")).isEqualTo(FaultReport.PARKED);

        FaultReport.Measures measures = clean();
        measures.metricNodesRead = 2;
        measures.faultMetrics.put(FaultReport.TAKEOVERS, 27.0);
        measures.faultMetrics.put(FaultReport.ANSWERS_503, 172.0);
        assertThat(new FaultReport().table(measures)).anyMatch(line -> line.equals("| nodes' metrics at the end"
                + " (2 live node(s)): segment takeovers, 503 answers, event-processor failures, parked credits,"
                + " unclaimed segments | 27, 172, 0, 0, 0 |"));
    }

    @Test
    void creditsNeverSeenMissTheLagTargetAndTakeoverAppliesOnlyToAKill() {
        FaultReport report = new FaultReport();
        FaultReport.Measures measures = clean();
        measures.creditsNeverSeen = 1;
        measures.takeoverMillis = null;
        List<FaultReport.Target> targets = report.targets(measures);
        assertThat(targets).filteredOn(t -> t.name().startsWith("credit lag")).singleElement()
                .satisfies(t -> assertThat(t.met()).isFalse());
        assertThat(targets).filteredOn(t -> t.name().startsWith("takeover")).singleElement()
                .satisfies(t -> assertThat(t.applies()).isFalse());
        assertThat(report.exitCode(measures, true)).isEqualTo(2);
    }

    @Test
    void unresolvedOperationsLeaveTheRunIncomplete() {
        FaultReport report = new FaultReport();
        report.first("withdrawal", Outcome.UNKNOWN);
        report.last("withdrawal", Outcome.UNKNOWN, 9);
        assertThat(report.unresolved()).isEqualTo(1);
        assertThat(report.exitCode(clean(), false)).isEqualTo(3);
    }

    @Test
    void logsAreCountedByWhatTheyTell() {
        FaultReport.LogCounts counts = FaultReport.LogCounts.count(Stream.of(
                "2026-12-07T19:19:44.303Z  WARN 15656 --- [ledger] Error while processing batch",
                "2026-12-07T19:19:44.303Z ERROR 15656 --- [ledger] Request failed",
                "\tat org.axonframework.Foo.bar(Foo.java:1)",
                "Caused by: org.axonframework.modelling.command.ConcurrencyException: x",
                "2026-12-07 19:19:05.438 UTC [15384] ERROR:  duplicate key value violates unique constraint \"uk\"",
                "2026-12-07 19:19:05.438 UTC [15384] ERROR:  deadlock detected"));
        assertThat(counts.lines()).isEqualTo(6);
        assertThat(counts.warnings()).isEqualTo(1);
        assertThat(counts.errors()).isEqualTo(3);
        assertThat(counts.stackTraceLines()).isEqualTo(2);
        assertThat(counts.uniqueViolations()).isEqualTo(1);
        assertThat(counts.deadlocks()).isEqualTo(1);
    }
}
