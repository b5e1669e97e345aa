package com.hongbao.ledger.scripts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The fault harness's table, its targets and its exit code, computed from what the run counted;
 * nothing here talks to the ledger ({@code FaultReportTest}).
 *
 * <p>Only loss, duplication, phantom money and balance mismatches (wallets, merchants, trial
 * balance, reconciliation) fail the run (exit code 1). Operations still unresolved after the
 * retries leave the checks incomplete (exit code 3). The targets (no 500, credit lag, takeover)
 * are printed as pass or fail lines and fail the run (exit code 2) only with {@code --strict}.
 */
final class FaultReport {

    /** How one request ended, as the harness records it. */
    enum Outcome {
        /** A 2xx: the ledger took the operation. */
        ACKNOWLEDGED,
        /** A 4xx with its code: the ledger refused it and changed nothing. */
        REJECTED,
        /** A timeout, a connection error or a 5xx: the client cannot tell whether it happened. */
        UNKNOWN;

        /** The outcome of an HTTP status; 0 stands for no response at all. */
        static Outcome of(int status) {
            if (status >= 200 && status < 300) {
                return ACKNOWLEDGED;
            }
            if (status >= 400 && status < 500) {
                return REJECTED;
            }
            return UNKNOWN;
        }
    }

    /** An operation kind's counts: the first attempt's outcome, and the final one after retries. */
    static final class Tally {
        int firstAcknowledged;
        int firstRejected;
        int firstUnknown;
        int finalAcknowledged;
        int finalRejected;
        int unresolved;
        int retries;
    }

    /** A target line: its name, what was measured, whether it applies to this run and whether it is met. */
    record Target(String name, String measured, boolean applies, boolean met) {
    }

    private final Map<String, Tally> tallies = new TreeMap<>();
    private final Map<String, Integer> rejectionCodes = new TreeMap<>();
    private final Map<Integer, Integer> serverErrors = new TreeMap<>();
    private int failedConnections;
    private int timeouts;

    /** The first attempt of an operation of {@code kind}. */
    synchronized void first(String kind, Outcome outcome) {
        Tally tally = tallies.computeIfAbsent(kind, k -> new Tally());
        switch (outcome) {
            case ACKNOWLEDGED -> tally.firstAcknowledged++;
            case REJECTED -> tally.firstRejected++;
            case UNKNOWN -> tally.firstUnknown++;
        }
    }

    /** How an operation of {@code kind} ended after all its attempts; UNKNOWN: still unresolved. */
    synchronized void last(String kind, Outcome outcome, int attempts) {
        Tally tally = tallies.computeIfAbsent(kind, k -> new Tally());
        tally.retries += attempts - 1;
        switch (outcome) {
            case ACKNOWLEDGED -> tally.finalAcknowledged++;
            case REJECTED -> tally.finalRejected++;
            case UNKNOWN -> tally.unresolved++;
        }
    }

    /** One response or failure of any attempt: 5xx by status, timeouts, connection errors, rejection codes. */
    synchronized void response(int status, String code, boolean timedOut) {
        if (status == 0) {
            if (timedOut) {
                timeouts++;
            } else {
                failedConnections++;
            }
        } else if (status >= 500) {
            serverErrors.merge(status, 1, Integer::sum);
        } else if (status >= 400) {
            rejectionCodes.merge(status + " " + (code == null ? "?" : code), 1, Integer::sum);
        }
    }

    synchronized int responses500() {
        return serverErrors.getOrDefault(500, 0);
    }

    synchronized int responses5xx() {
        return serverErrors.values().stream().mapToInt(Integer::intValue).sum();
    }

    synchronized int unresolved() {
        return tallies.values().stream().mapToInt(t -> t.unresolved).sum();
    }

    synchronized Map<String, Tally> tallies() {
        return tallies;
    }

    static final String TAKEOVERS = "ledger_processor_segment_takeovers_total";
    static final String ANSWERS_503 = "http_server_requests_seconds_count{status=\"503\"}";
    static final String PROCESSOR_FAILURES = "eventProcessor_failureCounter_total";
    static final String PARKED = "ledger_credits_parked";
    static final String UNCLAIMED = "ledger_processor_segments_unclaimed";
    /** The nodes' metrics that show a fault, as the harness sums them. */
    static final List<String> FAULT_METRICS = List.of(TAKEOVERS, ANSWERS_503, PROCESSOR_FAILURES, PARKED, UNCLAIMED);

    /**
     * Which of {@link #FAULT_METRICS} a line of Prometheus text counts towards, or null: a sample of
     * that metric (any tags), and for the 503 answers a sample of the request counter with status 503.
     */
    static String faultMetric(String line) {
        if (line.isEmpty() || line.startsWith("#")) {
            return null;
        }
        int end = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
        if (end <= 0) {
            return null;
        }
        String name = line.substring(0, end);
        if (name.equals("http_server_requests_seconds_count")) {
            return line.contains("status=\"503\"") ? ANSWERS_503 : null;
        }
        return FAULT_METRICS.contains(name) ? name : null;
    }

    /** What the run measured besides the counts, filled in by the harness as it learns it. */
    static final class Measures {
        String fault = "none";
        int nodes;
        double loadSeconds;
        ClientLedger.Findings findings = ClientLedger.Findings.none();
        boolean trialBalanceBalanced;
        boolean reconciliationBalanced;
        final List<Long> creditLagMillis = new ArrayList<>();
        int creditsNeverSeen;
        /** Kill to every segment claimed by a live node; null when no node was killed, -1 when never. */
        Long takeoverMillis;
        /** How many processor segments the killed node held when it was killed. */
        int victimSegments;
        /** The segments not claimed by a live node when the wait for the takeover ended. */
        List<String> segmentsNotTakenOver = List.of();
        /** The fault's end to the next acknowledged operation; null without a fault. */
        Long resumeMillis;
        /** The machine's load averages during the load, as /proc/loadavg gave them at its end; null when unknown. */
        String machineLoad;
        /** How long the credit watcher's rounds over the wallets took: the credit lag's resolution. */
        volatile String creditPollCycle;
        /** Credit lags by the credit's movement type ({@code refund_credit}, {@code red_packet_claim}). */
        final Map<String, List<Long>> creditLagByKind = new TreeMap<>();
        /** Acknowledgement to the credit event's recorded time, read from the event store after the run. */
        final List<Long> storeCreditLagMillis = new ArrayList<>();
        /** The same, by the credit's movement type. */
        final Map<String, List<Long>> storeCreditLagByKind = new TreeMap<>();
        /** Acknowledged credits whose credit event the event store does not have. */
        int storeCreditsMissing;
        /** What the nodes logged over the run, every generation of every node. */
        LogCounts nodeLogs;
        /** What the embedded PostgreSQL logged; null with an external one. */
        LogCounts postgresLog;
        /** The live nodes' own metrics at the end, summed (see {@link #FAULT_METRICS}). */
        final Map<String, Double> faultMetrics = new TreeMap<>();
        /** How many live nodes answered the metrics scrape. */
        int metricNodesRead;
    }

    /**
     * Lines of log files counted by what they tell: size, lines, WARN and ERROR lines, stack
     * trace lines, unique violations (a rolled-back event append) and deadlocks.
     */
    record LogCounts(long bytes, long lines, long warnings, long errors, long stackTraceLines, long uniqueViolations,
                     long deadlocks) {

        static LogCounts of(List<Path> files) {
            LogCounts total = new LogCounts(0, 0, 0, 0, 0, 0, 0);
            for (Path file : files) {
                if (!Files.exists(file)) {
                    continue;
                }
                try (Stream<String> lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
                    LogCounts counted = count(lines);
                    total = new LogCounts(total.bytes + Files.size(file), total.lines + counted.lines,
                            total.warnings + counted.warnings, total.errors + counted.errors,
                            total.stackTraceLines + counted.stackTraceLines,
                            total.uniqueViolations + counted.uniqueViolations, total.deadlocks + counted.deadlocks);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return total;
        }

        /** Counts lines; bytes are left at 0 (a file's size is its own). */
        static LogCounts count(Stream<String> lines) {
            long[] c = new long[6];
            lines.forEach(line -> {
                c[0]++;
                if (line.contains(" WARN ")) {
                    c[1]++;
                }
                if (line.contains(" ERROR ") || line.contains("ERROR:  ")) {
                    c[2]++;
                }
                if (line.startsWith("\tat ") || line.startsWith("Caused by: ")) {
                    c[3]++;
                }
                if (line.contains("duplicate key value violates unique constraint")) {
                    c[4]++;
                }
                if (line.contains("deadlock detected") || line.contains("DeadlockException")) {
                    c[5]++;
                }
            });
            return new LogCounts(0, c[0], c[1], c[2], c[3], c[4], c[5]);
        }
    }

    /** The table, one line per row, as printed at the end of a run. */
    synchronized List<String> table(Measures measures) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "fault %s, %d node(s), %.1f s of load%s", measures.fault, measures.nodes,
                measures.loadSeconds, measures.machineLoad == null ? "" : "; " + measures.machineLoad));
        lines.add("| operation | first try: acknowledged | rejected | unknown | after retries: acknowledged | rejected "
                + "| unresolved | retries |");
        lines.add("|---|---|---|---|---|---|---|---|");
        Tally total = new Tally();
        for (Map.Entry<String, Tally> entry : tallies.entrySet()) {
            Tally t = entry.getValue();
            lines.add(row(entry.getKey(), t));
            total.firstAcknowledged += t.firstAcknowledged;
            total.firstRejected += t.firstRejected;
            total.firstUnknown += t.firstUnknown;
            total.finalAcknowledged += t.finalAcknowledged;
            total.finalRejected += t.finalRejected;
            total.unresolved += t.unresolved;
            total.retries += t.retries;
        }
        lines.add(row("**all**", total));
        lines.add("");
        List<Long> lags = new ArrayList<>(measures.creditLagMillis);
        lines.add("| measure | value |");
        lines.add("|---|---|");
        lines.add("| responses 5xx (500) | " + responses5xx() + " (" + responses500() + ")"
                + (serverErrors.isEmpty() ? "" : " by status " + serverErrors) + " |");
        lines.add("| timeouts, connection failures | " + timeouts + ", " + failedConnections + " |");
        lines.add("| rejections by code | " + (rejectionCodes.isEmpty() ? "none" : rejectionCodes.toString()) + " |");
        lines.add("| lost | " + measures.findings.lost() + " |");
        lines.add("| duplicated | " + measures.findings.duplicated() + " |");
        lines.add("| phantom (moved, never acknowledged) | " + measures.findings.phantom() + " |");
        lines.add("| balance mismatches (wallets, merchants) | " + measures.findings.balanceMismatches() + " |");
        lines.add("| trial balance, reconciliation | " + (measures.trialBalanceBalanced ? "balanced" : "NOT balanced")
                + ", " + (measures.reconciliationBalanced ? "balanced" : "NOT balanced") + " |");
        if (!measures.storeCreditLagMillis.isEmpty() || measures.storeCreditsMissing > 0) {
            lines.add(lagRow("credit lag p50 / p99 / max, acknowledgement to credit event (event store)",
                    new ArrayList<>(measures.storeCreditLagMillis))
                    + (measures.storeCreditsMissing == 0 ? "" : ", " + measures.storeCreditsMissing + " missing") + " |");
            for (Map.Entry<String, List<Long>> kind : measures.storeCreditLagByKind.entrySet()) {
                lines.add(lagRow("… of " + kind.getKey(), new ArrayList<>(kind.getValue())) + " |");
            }
        }
        lines.add(lagRow("credit seen in the wallet's history (polled) p50 / p99 / max", lags)
                + (measures.creditsNeverSeen == 0 ? "" : ", " + measures.creditsNeverSeen + " never seen") + " |");
        for (Map.Entry<String, List<Long>> kind : measures.creditLagByKind.entrySet()) {
            lines.add(lagRow("… of " + kind.getKey(), new ArrayList<>(kind.getValue())) + " |");
        }
        if (measures.creditPollCycle != null) {
            lines.add("| credit poll round (the lag's resolution) | " + measures.creditPollCycle + " |");
        }
        lines.add("| takeover | " + (measures.takeoverMillis == null ? "n/a"
                : (measures.takeoverMillis < 0 ? "NOT within 180 s: " + measures.segmentsNotTakenOver
                : seconds(measures.takeoverMillis))
                + " (the killed node held " + measures.victimSegments + " segments)") + " |");
        lines.add("| first acknowledgement after the fault | " + (measures.resumeMillis == null ? "n/a"
                : measures.resumeMillis < 0 ? "none" : seconds(measures.resumeMillis)) + " |");
        if (measures.nodeLogs != null) {
            LogCounts n = measures.nodeLogs;
            lines.add(String.format(Locale.ROOT, "| node logs: bytes, lines, WARN, ERROR, stack-trace lines, deadlock lines |"
                    + " %,d, %,d, %,d, %,d, %,d, %,d |", n.bytes(), n.lines(), n.warnings(), n.errors(),
                    n.stackTraceLines(), n.deadlocks()));
        }
        if (measures.metricNodesRead > 0) {
            lines.add(String.format(Locale.ROOT, "| nodes' metrics at the end (%d live node(s)): segment takeovers,"
                    + " 503 answers, event-processor failures, parked credits, unclaimed segments | %.0f, %.0f, %.0f, %.0f, %.0f |",
                    measures.metricNodesRead,
                    measures.faultMetrics.getOrDefault(TAKEOVERS, 0.0),
                    measures.faultMetrics.getOrDefault(ANSWERS_503, 0.0),
                    measures.faultMetrics.getOrDefault(PROCESSOR_FAILURES, 0.0),
                    measures.faultMetrics.getOrDefault(PARKED, 0.0),
                    measures.faultMetrics.getOrDefault(UNCLAIMED, 0.0)));
        }
        if (measures.postgresLog != null) {
            LogCounts p = measures.postgresLog;
            lines.add(String.format(Locale.ROOT, "| PostgreSQL log: ERROR lines, unique violations, deadlock lines |"
                    + " %,d, %,d, %,d |", p.errors(), p.uniqueViolations(), p.deadlocks()));
        }
        return lines;
    }

    /** The issue's targets for this run: 0 lost, 0 duplicated, 0 responses of 500, credit lag p99 ≤ 2 s, takeover ≤ 15 s. */
    synchronized List<Target> targets(Measures measures) {
        List<Target> targets = new ArrayList<>();
        ClientLedger.Findings f = measures.findings;
        targets.add(new Target("0 lost", Integer.toString(f.lost()), true, f.lost() == 0));
        targets.add(new Target("0 duplicated", Integer.toString(f.duplicated()), true, f.duplicated() == 0));
        targets.add(new Target("0 responses of 500", Integer.toString(responses500()), true, responses500() == 0));
        // The event store's lag when it was read (exact); else the polled one, whose resolution is a round.
        boolean fromStore = !measures.storeCreditLagMillis.isEmpty() || measures.storeCreditsMissing > 0;
        List<Long> lags = new ArrayList<>(fromStore ? measures.storeCreditLagMillis : measures.creditLagMillis);
        int missing = fromStore ? measures.storeCreditsMissing : measures.creditsNeverSeen;
        long p99 = ClientLedger.percentile(lags, 99);
        targets.add(new Target("credit lag p99 <= 2 s", seconds(p99) + (fromStore ? " (event store)" : " (polled)")
                + (missing == 0 ? "" : ", " + missing + " never credited"),
                !lags.isEmpty() || missing > 0, missing == 0 && p99 <= 2_000));
        boolean killed = measures.takeoverMillis != null;
        targets.add(new Target("takeover <= 15 s", killed ? (measures.takeoverMillis < 0 ? "never"
                : seconds(measures.takeoverMillis)) : "n/a", killed,
                killed && measures.takeoverMillis >= 0 && measures.takeoverMillis <= 15_000));
        return targets;
    }

    /**
     * 1 on any loss, duplicate, phantom or mismatch (wallet, merchant, trial balance or
     * reconciliation); else 3 when operations stayed unresolved; else 2 when {@code strict} and a
     * target that applies is missed; else 0.
     */
    synchronized int exitCode(Measures measures, boolean strict) {
        if (!measures.findings.clean() || !measures.trialBalanceBalanced || !measures.reconciliationBalanced) {
            return 1;
        }
        if (unresolved() > 0) {
            return 3;
        }
        if (strict && targets(measures).stream().anyMatch(t -> t.applies() && !t.met())) {
            return 2;
        }
        return 0;
    }

    private static String lagRow(String name, List<Long> lags) {
        return String.format(Locale.ROOT, "| %s (%d credits) | %s / %s / %s", name, lags.size(),
                seconds(ClientLedger.percentile(lags, 50)), seconds(ClientLedger.percentile(lags, 99)),
                seconds(lags.isEmpty() ? -1 : Collections.max(lags)));
    }

    private static String row(String kind, Tally t) {
        return "| " + kind + " | " + t.firstAcknowledged + " | " + t.firstRejected + " | " + t.firstUnknown + " | "
                + t.finalAcknowledged + " | " + t.finalRejected + " | " + t.unresolved + " | " + t.retries + " |";
    }

    /** Milliseconds as seconds with two decimals, or "-" for none. */
    static String seconds(long millis) {
        return millis < 0 ? "-" : String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
    }
}
