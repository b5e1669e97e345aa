package com.hongbao.ledger.scripts;

import static com.hongbao.ledger.scripts.BenchmarkSupport.expect;

import com.hongbao.ledger.api.config.EventJson;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.RefundId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentCaptured;
import com.hongbao.ledger.core.refund.RefundEvent.MerchantRefundedPayment;
import com.hongbao.ledger.core.wallet.WalletCommand.CaptureMode;
import com.hongbao.ledger.projections.statement.StatementQueries;
import com.hongbao.ledger.projections.statement.StatementQueries.Statement;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.math.BigDecimal;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.HdrHistogram.Histogram;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The statements benchmark (issue 5, "Scale"): one merchant with N statement lines (default
 * 1,000,000) over 30 consecutive business days in the platform zone, produced by <em>replaying
 * generated events through the projections</em>, not through the command path.
 *
 * <ol>
 *   <li>Calibration: single-row INSERT commits per second from 16 JDBC threads.</li>
 *   <li>The ledger starts in this JVM; one merchant is onboarded through the HTTP API.</li>
 *   <li>Every event processor is stopped; N events are generated (about 95% {@code PaymentCaptured},
 *       5% {@code MerchantRefundedPayment} of an earlier payment, a handful of payers, 0.6% fee)
 *       and written into {@code event_entry} exactly as Axon's JDBC storage engine writes them
 *       (payload and meta data serialised by {@link EventJson}, ISO timestamps = recorded time),
 *       each event as its own aggregate at sequence 0.</li>
 *   <li>Catch-up (a): every processor restarts at once and replays the N events; the time each
 *       one reaches the head is reported, the {@code statements} processor's as events/s.</li>
 *   <li>Catch-up (b): once all are at the head, only {@code statements} is reset and replays the
 *       whole store alone: its events/s without the other processors sharing the CPU.</li>
 *   <li>Catch-up (c): the bulk rebuild of the statements ({@code POST /v1/admin/statements/rebuild},
 *       ADR 10) over the whole store, timed by the client, with the CPU of this JVM and of
 *       PostgreSQL.</li>
 *   <li>Daily statement (JSON, limit 50) of random days, sequential after a warm-up: p50/p99.</li>
 *   <li>CSV bill of the 30 days, streamed to a client that counts lines and discards the bytes:
 *       lines/s and the heap of this JVM during the export.</li>
 *   <li>Checks: statement lines = N, the CSV's line count = N, its summary = the 30 statements'
 *       totals = what was generated, and a zero trial balance.</li>
 * </ol>
 *
 * The command-sending processors {@code refund-credits} and {@code payment-hold-release} run in
 * subscribing mode here: the generated payers' wallets do not exist, so re-sending their commands
 * would only fail; they are not projections. The settlement sweep is held off (PT24H) so no payout
 * lines join the 30 days. Arguments ({@code --name=value}): lines, days, payers, refund-percent,
 * queries, warmup-queries, catch-up-minutes, calibration-seconds, db-url/db-user/db-password;
 * repeat (runs of the rebuild and rounds of statement queries, default 3, the medians reported) and
 * csv-repeat (exports, default 1, the median reported); for tuning: ledger-args (extra ledger
 * arguments separated by ';'), statements-only (true: store the events, run only the rebuild and
 * stop), skip-catch-up (true: measure (a), not (b)) and jfr (a path prefix: a flight recording of
 * the statement queries and of the export).
 */
public final class StatementBenchmark {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final String MERCHANT = "m_bench_statements";
    private static final String CURRENCY = "CNY";
    private static final int FEE_BP = 60;
    private static final int INSERT_BATCH = 1_000;
    private static final int COMMIT_EVERY = 20_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, String> options;
    private BenchmarkSupport support;
    private final Expected expected = new Expected();

    private StatementBenchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        new StatementBenchmark(BenchmarkSupport.options(args)).run();
        System.exit(0);
    }

    private int option(String name, int fallback) {
        return BenchmarkSupport.option(options, name, fallback);
    }

    /** What the generated events add up to, per the CSV's summary and the statements' totals. */
    private static final class Expected {
        long lines;
        long payments;
        long paymentsMinor;
        long refunds;
        long refundsMinor;
        long feesMinor;
        long netMinor;
    }

    private void run() throws Exception {
        int lines = option("lines", 1_000_000);
        int days = option("days", 30);
        int queries = option("queries", 2_000);
        int warmupQueries = option("warmup-queries", 10_000);
        int catchUpMinutes = option("catch-up-minutes", 60);
        LocalDate firstDay = LocalDate.now(ZONE).minusDays(days + 2L);
        LocalDate lastDay = firstDay.plusDays(days - 1L);

        try (BenchmarkSupport started = BenchmarkSupport.startDatabase(options)) {
            support = started;
            double calibration = support.calibrate(option("calibration-seconds", 10));
            List<String> ledgerArguments = new ArrayList<>(List.of("--ledger.settlement.sweep-interval=PT24H",
                    "--axon.eventhandling.processors.refund-credits.mode=subscribing",
                    "--axon.eventhandling.processors.payment-hold-release.mode=subscribing"));
            String extra = options.getOrDefault("ledger-args", "");
            if (!extra.isBlank()) {
                ledgerArguments.addAll(Arrays.asList(extra.trim().split(";")));
            }
            support.startLedger(ledgerArguments.toArray(String[]::new));
            String admin = support.token("bench-admin", "admin");
            expect(support.post("/v1/merchants", admin, "{\"merchantId\":\"" + MERCHANT
                    + "\",\"name\":\"Statements bench shop\"}"), 201);
            support.awaitCaughtUp();
            printSampleRow("onboarding event as Axon wrote it");

            EventProcessingConfiguration processing = support.app().getBean(EventProcessingConfiguration.class);
            Map<String, StreamingEventProcessor> processors = new LinkedHashMap<>();
            for (Map.Entry<String, EventProcessor> entry : processing.eventProcessors().entrySet()) {
                if (entry.getValue() instanceof StreamingEventProcessor streaming) {
                    processors.put(entry.getKey(), streaming);
                }
            }
            for (StreamingEventProcessor processor : processors.values()) {
                processor.shutdownAsync().get(60, TimeUnit.SECONDS);
            }

            // Generate and store the events while no processor runs.
            long insertStart = System.nanoTime();
            generate(lines, days, firstDay, option("payers", 8), option("refund-percent", 5));
            double insertSeconds = (System.nanoTime() - insertStart) / 1e9;
            long head = head();
            long stored = count("SELECT COUNT(*) FROM event_entry");
            System.out.printf(Locale.ROOT, "generated and stored %d events (%s to %s) in %.1f s = %.0f events/s; store holds %d events%n",
                    lines, firstDay, lastDay, insertSeconds, lines / insertSeconds, stored);
            printSampleRow("generated event");

            if (Boolean.parseBoolean(options.getOrDefault("statements-only", "false"))) {
                // A quick run for tuning: only the rebuild, then stop.
                Rebuild rebuild = rebuild(admin, stored);
                System.out.printf(Locale.ROOT, "rebuild only: %d events, %d lines in %.1f s = %.0f events/s; %s%n",
                        rebuild.events, rebuild.lines, rebuild.seconds, rebuild.events / rebuild.seconds, rebuild.cpu);
                return;
            }

            // (a) Every processor replays the N new events at once.
            Map<String, Double> reached = new LinkedHashMap<>();
            long start = System.nanoTime();
            for (StreamingEventProcessor processor : processors.values()) {
                processor.start();
            }
            awaitHead(processors, head, start, reached, catchUpMinutes);
            double allSeconds = reached.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
            double statementsAll = reached.get("statements");
            System.out.printf(Locale.ROOT, "catch-up (a), all %d processors replaying %d events: %s%n",
                    processors.size(), lines, formatReached(reached));

            // (b) Only statements is reset and replays the whole store; skipped (reported as n/a) by
            // --skip-catch-up=true, a quick run for tuning the queries and the export.
            boolean skipCatchUp = Boolean.parseBoolean(options.getOrDefault("skip-catch-up", "false"));
            double statementsAlone = Double.NaN;
            String aloneCpuReport = "skipped";
            if (!skipCatchUp) {
                StreamingEventProcessor statements = processors.get("statements");
                statements.shutdownAsync().get(60, TimeUnit.SECONDS);
                statements.resetTokens();
                Map<String, Double> alone = new LinkedHashMap<>();
                CpuMeter aloneCpu = CpuMeter.start();
                long aloneStart = System.nanoTime();
                statements.start();
                awaitHead(Map.of("statements", statements), head, aloneStart, alone, catchUpMinutes);
                statementsAlone = alone.get("statements");
                aloneCpuReport = aloneCpu.report();
                System.out.printf(Locale.ROOT, "catch-up (b), statements alone replaying the whole store (%d events): %.1f s = %.0f events/s; %s%n",
                        stored, statementsAlone, stored / statementsAlone, aloneCpuReport);
            }
            support.awaitCaughtUp();

            // (c) The bulk rebuild of the statements (ADR 10), through the API; --repeat=n times (default
            // 3), the median reported: the machines are shared and a single run can meet a busy host.
            List<Rebuild> rebuilds = new ArrayList<>();
            for (int run = 0; run < Math.max(1, option("repeat", 3)); run++) {
                Rebuild one = rebuild(admin, stored);
                rebuilds.add(one);
                System.out.printf(Locale.ROOT, "catch-up (c), bulk rebuild of the statements (%d events, %d lines): %.1f s = %.0f events/s; %s%n",
                        one.events, one.lines, one.seconds, one.events / one.seconds, one.cpu);
            }
            rebuilds.sort(java.util.Comparator.comparingDouble(Rebuild::seconds));
            Rebuild rebuild = rebuilds.get(rebuilds.size() / 2);
            support.awaitCaughtUp();

            long storedLines = count("SELECT COUNT(*) FROM statement_line WHERE merchant_id = '" + MERCHANT + "'");
            long adjustments = count("SELECT COUNT(*) FROM statement_line WHERE merchant_id = '" + MERCHANT + "' AND adjustment");

            // Queries are measured in a steady state, not in the aftermath of the bulk writes: the
            // dirty pages written out and the tables vacuumed (as autovacuum would, a while later).
            JdbcTemplate maintenance = support.app().getBean(JdbcTemplate.class);
            maintenance.execute("VACUUM (ANALYZE) statement_line, statement_day, event_entry, token_entry");
            maintenance.execute("CHECKPOINT");

            // Statement queries.
            String finance = support.token("bench-finance", "finance");
            Totals totals = statementTotals(finance, firstDay, days);
            String jfr = options.get("jfr");
            Histogram histogram;
            warmUp(finance, firstDay, days, warmupQueries);
            CpuMeter queryCpu = CpuMeter.start();
            try (FlightRecording recording = FlightRecording.start(jfr, "statement")) {
                // --repeat=n rounds of the measured queries (default 3), the round with the median
                // p99 reported.
                List<Histogram> rounds = new ArrayList<>();
                for (int round = 0; round < Math.max(1, option("repeat", 3)); round++) {
                    rounds.add(queryLatency(finance, firstDay, days, 0, queries));
                }
                rounds.sort(java.util.Comparator.comparingLong(h -> h.getValueAtPercentile(99)));
                histogram = rounds.get(rounds.size() / 2);
            }
            String queryLoad = queryCpu.report();
            System.out.println("during the statement rounds: " + queryLoad);
            Histogram liveness = livenessLatency(queries);
            Histogram inProcess = inProcessLatency(firstDay, days, queries);

            // CSV export.
            exportCsv(finance, firstDay, firstDay, null); // warm-up: one day, not reported
            // --csv-repeat=n (default 1) measures the export n times and reports the median run.
            List<Export> exports = new ArrayList<>();
            try (FlightRecording recording = FlightRecording.start(jfr, "csv")) {
                for (int run = 0; run < Math.max(1, option("csv-repeat", 1)); run++) {
                    exports.add(exportCsv(finance, firstDay, lastDay, new HeapSampler()));
                }
            }
            exports.sort(java.util.Comparator.comparingDouble(Export::seconds));
            Export export = exports.get(exports.size() / 2);
            boolean balanced = support.trialBalanceIsZero();

            // Checks.
            List<String> checks = new ArrayList<>();
            check(checks, "statement_line rows = N", storedLines, lines);
            check(checks, "lines the rebuild wrote = N", rebuild.lines, lines);
            check(checks, "adjustment lines = 0", adjustments, 0);
            check(checks, "CSV line items = N", export.dataLines, lines);
            check(checks, "CSV total trades = N", export.summary.count, lines);
            check(checks, "sum of daily statement lines = N", totals.lines, lines);
            check(checks, "CSV settlement total = sum of statements' payments", export.summary.settlementMinor, totals.paymentsMinor);
            check(checks, "CSV refund total = sum of statements' refunds", export.summary.refundMinor, totals.refundsMinor);
            check(checks, "CSV fee total = sum of statements' fees", export.summary.feeMinor, totals.feesMinor);
            check(checks, "CSV settlement − refund − fee = sum of statements' net",
                    export.summary.settlementMinor - export.summary.refundMinor - export.summary.feeMinor, totals.netMinor);
            check(checks, "sum of statements' net = generated net", totals.netMinor, expected.netMinor);
            check(checks, "statements' payments/refunds/fees = generated",
                    totals.paymentsMinor * 31 + totals.refundsMinor * 17 + totals.feesMinor,
                    expected.paymentsMinor * 31 + expected.refundsMinor * 17 + expected.feesMinor);
            check(checks, "last closing − first opening = sum of net", totals.closingMinor - totals.openingMinor, totals.netMinor);
            checks.add("trial balance: " + (balanced ? "zero" : "NOT ZERO"));

            System.out.println();
            System.out.println(BenchmarkSupport.calibrationSummary(calibration));
            System.out.printf(Locale.ROOT, "Data: merchant %s, %d line items (%d payments, %d refunds) over %d business days %s..%s (%s), generated events replayed through the projections; %d events in the store%n%n",
                    MERCHANT, lines, expected.payments, expected.refunds, days, firstDay, lastDay, ZONE, stored);
            System.out.println("| measurement | raw | ratio to calibration |");
            System.out.println("|---|---|---|");
            System.out.printf(Locale.ROOT, "| store the generated events (JDBC batches of %d) | %.0f events/s | %.2f× |%n",
                    INSERT_BATCH, lines / insertSeconds, lines / insertSeconds / calibration);
            System.out.printf(Locale.ROOT, "| catch-up (a): `statements` while all %d processors replay | %.0f events/s (%.1f s) | %.2f× |%n",
                    processors.size(), lines / statementsAll, statementsAll, lines / statementsAll / calibration);
            System.out.printf(Locale.ROOT, "| catch-up (a): slowest processor (all at the head) | %.0f events/s (%.1f s) | %.2f× |%n",
                    lines / allSeconds, allSeconds, lines / allSeconds / calibration);
            System.out.printf(Locale.ROOT, "| catch-up (b): `statements` reset, replaying alone | %.0f events/s (%.1f s; %s) | %.2f× |%n",
                    stored / statementsAlone, statementsAlone, aloneCpuReport, stored / statementsAlone / calibration);
            System.out.printf(Locale.ROOT, "| catch-up (c): bulk rebuild of the statements (`POST /v1/admin/statements/rebuild`) | %.0f events/s (%.1f s; %s) | %.2f× |%n",
                    rebuild.events / rebuild.seconds, rebuild.seconds, rebuild.cpu, rebuild.events / rebuild.seconds / calibration);
            System.out.printf(Locale.ROOT, "| daily statement JSON, limit 50, %d sequential requests (median round of %d) | p50 %.2f ms, p99 %.2f ms, max %.2f ms (%s) | — |%n",
                    queries, Math.max(1, option("repeat", 3)), histogram.getValueAtPercentile(50) / 1000.0,
                    histogram.getValueAtPercentile(99) / 1000.0, histogram.getMaxValue() / 1000.0, queryLoad);
            System.out.printf(Locale.ROOT, "| the same statements without HTTP: the query and the JSON in this JVM | p50 %.2f ms, p99 %.2f ms, max %.2f ms | — |%n",
                    inProcess.getValueAtPercentile(50) / 1000.0, inProcess.getValueAtPercentile(99) / 1000.0,
                    inProcess.getMaxValue() / 1000.0);
            System.out.printf(Locale.ROOT, "| the same loop on `/actuator/health/liveness` (no work: the host's and HTTP stack's share) | p50 %.2f ms, p99 %.2f ms, max %.2f ms | — |%n",
                    liveness.getValueAtPercentile(50) / 1000.0, liveness.getValueAtPercentile(99) / 1000.0,
                    liveness.getMaxValue() / 1000.0);
            System.out.printf(Locale.ROOT, "| CSV bill of %d days (%d lines, %.1f MB) | %.0f lines/s (%.1f s) | %.2f× |%n",
                    days, export.dataLines, export.bytes / 1e6, export.dataLines / export.seconds, export.seconds,
                    export.dataLines / export.seconds / calibration);
            System.out.printf(Locale.ROOT, "| heap during the export (whole JVM: ledger + load generator, -Xmx%dm) | peak used %.0f MB (before: %.0f MB after a GC); peak after a GC %.0f MB, i.e. the export's growth %.0f MB; allocated %.0f bytes/line | — |%n",
                    Runtime.getRuntime().maxMemory() / (1024 * 1024), export.peakUsed / 1048576.0,
                    export.baseline / 1048576.0, export.peakAfterGc / 1048576.0,
                    Math.max(0, export.peakAfterGc - export.baseline) / 1048576.0,
                    (double) export.allocated / Math.max(1, export.dataLines));
            System.out.println();
            System.out.println("catch-up (a) per processor: " + formatReached(reached));
            checks.forEach(line -> System.out.println("check: " + line));
        }
    }

    // ---------------------------------------------------------------- generation

    private void generate(int lines, int days, LocalDate firstDay, int payerCount, int refundPercent) throws Exception {
        Serializer serializer = EventJson.serializer();
        byte[] metaData = serializer.serialize(MetaData.emptyInstance(), byte[].class).getData();
        MerchantId merchant = new MerchantId(MERCHANT);
        UserId[] payers = new UserId[payerCount];
        WalletId[] wallets = new WalletId[payerCount];
        for (int p = 0; p < payerCount; p++) {
            payers[p] = new UserId("bench-payer-" + p);
            wallets[p] = new WalletId(String.format(Locale.ROOT, "w_%032x", 0xbe0000L + p));
        }
        SplittableRandom random = new SplittableRandom(20_260_216L);
        // Per payment: its amount, fee and payer, so a later refund can refer to it.
        long[] captured = new long[lines];
        long[] fees = new long[lines];
        int[] payerOf = new int[lines];
        BitSet refunded = new BitSet(lines);
        int payments = 0;
        int refundsMade = 0;
        String sql = "INSERT INTO event_entry (aggregate_identifier, sequence_number, type, event_identifier, meta_data,"
                + " payload, payload_revision, payload_type, time_stamp) VALUES (?,?,?,?,?,?,?,?,?)";
        try (Connection connection = support.connect("reWriteBatchedInserts=true");
             PreparedStatement insert = connection.prepareStatement(sql)) {
            connection.setAutoCommit(false);
            int inBatch = 0;
            int sinceCommit = 0;
            int line = 0;
            for (int d = 0; d < days; d++) {
                LocalDate day = firstDay.plusDays(d);
                Instant dayStart = day.atStartOfDay(ZONE).toInstant();
                int today = lines / days + (d < lines % days ? 1 : 0);
                long[] micros = new long[today];
                for (int i = 0; i < today; i++) {
                    micros[i] = random.nextLong(86_400_000_000L - 1_000_000L);
                }
                Arrays.sort(micros);
                for (int i = 0; i < today; i++, line++) {
                    Instant occurredAt = dayStart.plus(micros[i], java.time.temporal.ChronoUnit.MICROS);
                    // Recorded a few milliseconds later, well before the day closes: never an adjustment.
                    Instant recordedAt = occurredAt.plusMillis(1 + random.nextInt(40));
                    Object event;
                    String aggregate;
                    String aggregateType;
                    int candidate = payments > 100 ? random.nextInt(payments) : -1;
                    if (candidate >= 0 && random.nextInt(100) < refundPercent && !refunded.get(candidate)) {
                        refunded.set(candidate);
                        long amount = 1 + random.nextLong(captured[candidate]);
                        long feeRefunded = Math.floorDiv(fees[candidate] * amount, captured[candidate]);
                        int payer = payerOf[candidate];
                        RefundId refundId = new RefundId(String.format(Locale.ROOT, "rf_%032x", 0x5ef0000000L + refundsMade));
                        event = new MerchantRefundedPayment(merchant, refundId, "R-" + (refundsMade + 1),
                                paymentId(candidate), wallets[payer], payers[payer], Money.of(amount, CURRENCY),
                                Money.of(feeRefunded, CURRENCY), Money.of(amount, CURRENCY), 1, occurredAt);
                        aggregate = refundId.value();
                        aggregateType = "Merchant";
                        refundsMade++;
                        expected.refunds++;
                        expected.refundsMinor += amount;
                        expected.feesMinor -= feeRefunded;
                        expected.netMinor -= amount - feeRefunded;
                    } else {
                        long amount = amount(random);
                        long fee = Math.floorDiv(amount * FEE_BP + 5_000, 10_000);
                        int payer = random.nextInt(payerCount);
                        captured[payments] = amount;
                        fees[payments] = fee;
                        payerOf[payments] = payer;
                        PaymentId paymentId = paymentId(payments);
                        Money gross = Money.of(amount, CURRENCY);
                        event = new PaymentCaptured(paymentId, wallets[payer], payers[payer], merchant,
                                "B" + day.toString().replace("-", "") + "-" + (i + 1), gross, gross,
                                Money.of(fee, CURRENCY), Money.of(amount - fee, CURRENCY), Money.of(0, CURRENCY), FEE_BP,
                                CaptureMode.IMMEDIATE, occurredAt);
                        aggregate = paymentId.value();
                        aggregateType = "Payment";
                        payments++;
                        expected.payments++;
                        expected.paymentsMinor += amount;
                        expected.feesMinor += fee;
                        expected.netMinor += amount - fee;
                    }
                    expected.lines++;
                    SerializedObject<byte[]> payload = serializer.serialize(event, byte[].class);
                    insert.setString(1, aggregate);
                    insert.setLong(2, 0);
                    insert.setString(3, aggregateType);
                    insert.setString(4, UUID.randomUUID().toString());
                    insert.setBytes(5, metaData);
                    insert.setBytes(6, payload.getData());
                    insert.setString(7, payload.getType().getRevision());
                    insert.setString(8, payload.getType().getName());
                    insert.setString(9, DateTimeUtils.formatInstant(recordedAt));
                    insert.addBatch();
                    if (++inBatch == INSERT_BATCH) {
                        insert.executeBatch();
                        inBatch = 0;
                    }
                    if (++sinceCommit == COMMIT_EVERY) {
                        if (inBatch > 0) {
                            insert.executeBatch();
                            inBatch = 0;
                        }
                        connection.commit();
                        sinceCommit = 0;
                    }
                }
            }
            if (inBatch > 0) {
                insert.executeBatch();
            }
            connection.commit();
        }
    }

    /** A basket between 1.00 and 5,000.00 CNY, most around 50 (log-normal). */
    private static long amount(SplittableRandom random) {
        double gaussian = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
        long minor = Math.round(Math.exp(Math.log(5_000) + 1.1 * gaussian));
        return Math.max(100, Math.min(500_000, minor));
    }

    private static PaymentId paymentId(int index) {
        return new PaymentId(String.format(Locale.ROOT, "p_%032x", 0xbe7c400000000L + index));
    }

    private void printSampleRow(String what) {
        JdbcTemplate jdbc = support.app().getBean(JdbcTemplate.class);
        jdbc.query("SELECT aggregate_identifier, sequence_number, type, event_identifier, meta_data, payload,"
                + " payload_revision, payload_type, time_stamp FROM event_entry ORDER BY global_index DESC LIMIT 1", rs -> {
            System.out.printf(Locale.ROOT, "%s: aggregate %s/%d type %s id %s meta %s payload_type %s revision %s time_stamp %s%n  payload %s%n",
                    what, rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                    new String(rs.getBytes(5), StandardCharsets.UTF_8), rs.getString(8), rs.getString(7),
                    rs.getString(9), new String(rs.getBytes(6), StandardCharsets.UTF_8));
        });
    }

    // ---------------------------------------------------------------- catch-up

    private long head() {
        return count("SELECT COALESCE(MAX(global_index), -1) FROM event_entry");
    }

    private long count(String sql) {
        Long value = support.app().getBean(JdbcTemplate.class).queryForObject(sql, Long.class);
        return value == null ? 0 : value;
    }

    /** Waits until each processor's every segment is at {@code head}; records the seconds each took. */
    private void awaitHead(Map<String, StreamingEventProcessor> processors, long head, long start,
                           Map<String, Double> reached, int minutes) throws InterruptedException {
        JdbcTemplate jdbc = support.app().getBean(JdbcTemplate.class);
        Map<String, Integer> segments = new LinkedHashMap<>();
        for (String name : processors.keySet()) {
            Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM token_entry WHERE processor_name = ?",
                    Integer.class, name);
            segments.put(name, count == null || count == 0 ? 1 : count);
        }
        long deadline = start + TimeUnit.MINUTES.toNanos(minutes);
        long lastReport = System.nanoTime();
        while (reached.size() < processors.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not at the head within " + minutes + " minutes: "
                        + processors.keySet().stream().filter(name -> !reached.containsKey(name)).toList());
            }
            for (Map.Entry<String, StreamingEventProcessor> entry : processors.entrySet()) {
                if (reached.containsKey(entry.getKey())) {
                    continue;
                }
                Map<Integer, EventTrackerStatus> status = entry.getValue().processingStatus();
                boolean atHead = status.size() >= segments.get(entry.getKey());
                for (EventTrackerStatus segment : status.values()) {
                    atHead &= segment.getCurrentPosition().orElse(-1) >= head;
                    if (segment.isErrorState()) {
                        throw new IllegalStateException(entry.getKey() + " failed: " + segment.getError());
                    }
                }
                if (atHead) {
                    reached.put(entry.getKey(), (System.nanoTime() - start) / 1e9);
                }
            }
            if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(30)) {
                lastReport = System.nanoTime();
                StringBuilder progress = new StringBuilder();
                processors.forEach((name, processor) -> {
                    if (!reached.containsKey(name)) {
                        long lowest = processor.processingStatus().values().stream()
                                .mapToLong(s -> s.getCurrentPosition().orElse(-1)).min().orElse(-1);
                        progress.append(' ').append(name).append('@').append(lowest);
                    }
                });
                System.out.printf(Locale.ROOT, "  %.0f s, head %d, behind:%s%n", (System.nanoTime() - start) / 1e9, head,
                        progress);
            }
            Thread.sleep(20);
        }
    }

    private static String formatReached(Map<String, Double> reached) {
        StringBuilder text = new StringBuilder();
        reached.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(entry ->
                text.append(text.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %.1f s", entry.getKey(),
                        entry.getValue())));
        return text.toString();
    }

    private record Rebuild(long events, long lines, double seconds, String cpu) {
    }

    /** (c) The bulk rebuild through {@code POST /v1/admin/statements/rebuild}, timed by the client. */
    private Rebuild rebuild(String admin, long stored) {
        CpuMeter cpu = CpuMeter.start();
        long start = System.nanoTime();
        HttpResponse<String> response = support.post("/v1/admin/statements/rebuild", admin, "");
        double seconds = (System.nanoTime() - start) / 1e9;
        String cpuReport = cpu.report();
        expect(response, 200);
        JsonNode body = JSON.readTree(response.body());
        long events = body.get("events").asLong();
        if (events != stored) {
            throw new IllegalStateException("the rebuild read " + events + " events, the store holds " + stored);
        }
        return new Rebuild(events, body.get("lines").asLong(), seconds, String.format(Locale.ROOT,
                "%s; server: %.1f s reading and copying, %.1f s indexes and day totals", cpuReport,
                body.get("copySeconds").asDouble(), body.get("indexSeconds").asDouble()));
    }

    // ---------------------------------------------------------------- statements

    private record Totals(long lines, long paymentsMinor, long refundsMinor, long feesMinor, long netMinor,
                          long openingMinor, long closingMinor) {
    }

    /** The 30 daily statements' totals, summed; the first day's opening and the last day's closing. */
    private Totals statementTotals(String token, LocalDate firstDay, int days) {
        long lines = 0;
        long payments = 0;
        long refunds = 0;
        long fees = 0;
        long net = 0;
        long opening = 0;
        long closing = 0;
        for (int d = 0; d < days; d++) {
            HttpResponse<String> response = support.get("/v1/merchants/" + MERCHANT + "/statements/"
                    + firstDay.plusDays(d) + "?limit=1", token);
            expect(response, 200);
            JsonNode statement = JSON.readTree(response.body()).get("statement");
            JsonNode totals = statement.get("totals");
            lines += totals.get("lines").asLong();
            payments += minor(totals.get("payments"));
            refunds += minor(totals.get("refunds"));
            fees += minor(totals.get("fees"));
            net += minor(totals.get("net"));
            if (d == 0) {
                opening = minor(statement.get("opening"));
            }
            closing = minor(statement.get("closing"));
        }
        return new Totals(lines, payments, refunds, fees, net, opening, closing);
    }

    private static long minor(JsonNode money) {
        return new BigDecimal(money.get("amount").asString()).movePointRight(2).longValueExact();
    }

    /**
     * Sequential GETs of random days' statements, each timed from sending the request to having
     * read the whole body. The client is {@link HttpURLConnection} on this thread over one
     * kept-alive connection: the request is written and the response read by the thread that
     * times it. (The JDK's {@code HttpClient} hands each exchange to its selector thread and back,
     * two thread wake-ups per request that measured the client's scheduling, not the server.)
     */
    private Histogram queryLatency(String token, LocalDate firstDay, int days, int warmup, int queries) throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        return sequentialLatency("daily statement (limit 50)", token, warmup, queries,
                () -> "/v1/merchants/" + MERCHANT + "/statements/" + firstDay.plusDays(random.nextInt(days)) + "?limit=50");
    }

    /**
     * The warm-up, not recorded: at least {@code minimum} requests, then blocks of 2,000 until
     * one block leaves the JIT compilers nearly idle (under 50 ms of their CPU, about 1% of the
     * block), at most 60,000 requests in all. Each request-path method reaches C2 only
     * after thousands of calls, and on two cores a compiler thread busy for hundreds of
     * milliseconds at a time is half the machine taken from the server: with a fixed 10,000
     * requests the p50 still fell round after round and C2 was compiling the controller and
     * the security chain during the measured rounds. A long-running server is past this point.
     */
    private void warmUp(String token, LocalDate firstDay, int days, int minimum) throws IOException {
        int block = 2_000;
        int sent = 0;
        double compiling = -1;
        queryLatency(token, firstDay, days, minimum, 0);
        sent += minimum;
        while (sent < 60_000) {
            double before = CpuMeter.jitCpuSeconds();
            queryLatency(token, firstDay, days, block, 0);
            sent += block;
            compiling = CpuMeter.jitCpuSeconds() - before;
            if (before < 0 || compiling < 0.05) {
                break;
            }
        }
        System.out.printf(Locale.ROOT, "daily statement (limit 50): warm-up of %d requests; the JIT compilers used %.2f"
                + " s of CPU during the last %d%n", sent, compiling, block);
    }

    /**
     * The same loop against {@code /actuator/health/liveness}, which does no work: how much of the
     * statement latency, and of its tail, this host and the HTTP stack give any request.
     */
    private Histogram livenessLatency(int requests) throws IOException {
        return sequentialLatency("liveness (baseline)", null, requests, requests, () -> "/actuator/health/liveness");
    }

    /**
     * The statement query and its JSON without HTTP: {@link StatementQueries#statement} called in
     * this JVM for random days, then serialised by the application's JSON mapper, after a warm-up
     * of as many calls. What part of the HTTP figure is the database round trip and the body.
     */
    private Histogram inProcessLatency(LocalDate firstDay, int days, int calls) {
        StatementQueries queries = support.app().getBean(StatementQueries.class);
        JsonMapper mapper = support.app().getBean(JsonMapper.class);
        SplittableRandom random = new SplittableRandom(11);
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        long bytes = 0;
        for (int i = 0; i < 2 * calls; i++) {
            long start = System.nanoTime();
            Statement statement = queries.statement(MERCHANT, firstDay.plusDays(random.nextInt(days)), CURRENCY, null, 50);
            bytes += mapper.writeValueAsBytes(statement).length;
            if (i >= calls) {
                histogram.recordValue(Math.max(1, (System.nanoTime() - start) / 1_000));
            }
        }
        System.out.printf(Locale.ROOT, "statement query + JSON in process: %d calls after %d warm-up (%d bytes), p50 %.2f ms, "
                        + "p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", calls, calls, bytes,
                histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(90) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0, histogram.getMaxValue() / 1000.0);
        return histogram;
    }

    private Histogram sequentialLatency(String name, String token, int warmup, int requests,
                                        java.util.function.Supplier<String> paths) throws IOException {
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        byte[] buffer = new byte[64 * 1024];
        for (int i = 0; i < warmup + requests; i++) {
            URL url = URI.create(support.base() + paths.get()).toURL();
            long sent = System.nanoTime();
            HttpURLConnection connection = (HttpURLConnection) url.openConnection();
            connection.setRequestProperty("Accept", "*/*");
            if (token != null) {
                connection.setRequestProperty("Authorization", "Bearer " + token);
            }
            int status = connection.getResponseCode();
            long bytes = 0;
            try (InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                for (int n; (n = body.read(buffer)) > 0; ) {
                    bytes += n;
                }
            }
            long micros = Math.max(1, (System.nanoTime() - sent) / 1_000);
            if (status != 200 || bytes == 0) {
                throw new IllegalStateException(name + ": HTTP " + status + " with " + bytes + " bytes from " + url);
            }
            if (i >= warmup) {
                histogram.recordValue(micros);
            }
        }
        if (requests == 0) {
            return histogram;
        }
        System.out.printf(Locale.ROOT, "%s: %d requests after %d warm-up, p50 %.2f ms, p90 %.2f ms, "
                        + "p99 %.2f ms, p99.9 %.2f ms, max %.2f ms, over 10 ms: %d%n",
                name, requests, warmup, histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(90) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0, histogram.getValueAtPercentile(99.9) / 1000.0,
                histogram.getMaxValue() / 1000.0, histogram.getTotalCount() - histogram.getCountBetweenValues(0, 10_000));
        return histogram;
    }

    // ---------------------------------------------------------------- CSV

    private record Summary(long count, long settlementMinor, long refundMinor, long feeMinor) {
    }

    private record Export(long dataLines, long bytes, double seconds, Summary summary, long baseline, long peakUsed,
                          long peakAfterGc, long allocated) {
    }

    private Export exportCsv(String token, LocalDate from, LocalDate to, HeapSampler sampler) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(support.base() + "/v1/merchants/" + MERCHANT
                        + "/statements.csv?from=" + from + "&to=" + to))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(10)).GET().build();
        if (sampler != null) {
            sampler.start();
        }
        long start = System.nanoTime();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("CSV export: HTTP " + response.statusCode() + " "
                    + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        long newlines = 0;
        long bytes = 0;
        byte[] tail = new byte[8_192];
        int tailLength = 0;
        try (InputStream body = response.body()) {
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = body.read(buffer)) >= 0) {
                bytes += read;
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        newlines++;
                    }
                }
                // Keep the last bytes: the summary block.
                if (read >= tail.length) {
                    System.arraycopy(buffer, read - tail.length, tail, 0, tail.length);
                    tailLength = tail.length;
                } else {
                    int keep = Math.min(tailLength, tail.length - read);
                    System.arraycopy(tail, tailLength - keep, tail, 0, keep);
                    System.arraycopy(buffer, 0, tail, keep, read);
                    tailLength = keep + read;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] heap = sampler == null ? new long[4] : sampler.stop();
        // Header, the lines, a blank row, the summary's header and its totals.
        long dataLines = newlines - 4;
        String[] lastLines = new String(tail, 0, tailLength, StandardCharsets.UTF_8).split("\r\n");
        String[] totals = lastLines[lastLines.length - 1].split(",");
        Summary summary = new Summary(Long.parseLong(unquote(totals[0])), minorOf(totals[1]), minorOf(totals[2]),
                minorOf(totals[3]));
        if (sampler != null) {
            System.out.printf(Locale.ROOT, "CSV %s..%s: %d lines, %.1f MB in %.2f s = %.0f lines/s; summary %s; heap before %.0f MB, peak used %.0f MB, peak after GC %.0f MB (the export's growth: %.0f MB); allocated %.0f MB = %.0f bytes/line (whole JVM)%n",
                    from, to, dataLines, bytes / 1e6, seconds, dataLines / seconds, lastLines[lastLines.length - 1],
                    heap[0] / 1048576.0, heap[1] / 1048576.0, heap[2] / 1048576.0,
                    Math.max(0, heap[2] - heap[0]) / 1048576.0, heap[3] / 1048576.0, (double) heap[3] / dataLines);
        }
        return new Export(dataLines, bytes, seconds, summary, heap[0], heap[1], heap[2], heap[3]);
    }

    private static String unquote(String field) {
        return field.startsWith("`") ? field.substring(1) : field;
    }

    private static long minorOf(String field) {
        return new BigDecimal(unquote(field)).movePointRight(2).longValueExact();
    }

    /** Samples the used heap every 2 ms and listens for the heap left after each garbage collection. */
    private static final class HeapSampler {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final AtomicLong peakUsed = new AtomicLong();
        private final AtomicLong peakAfterGc = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean();
        private final List<Runnable> unsubscribe = new ArrayList<>();
        private long baseline;
        private long allocatedBefore;
        private Thread thread;

        void start() {
            System.gc();
            baseline = memory.getHeapMemoryUsage().getUsed();
            peakUsed.set(baseline);
            peakAfterGc.set(baseline);
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    javax.management.NotificationListener listener = (notification, handback) -> {
                        if (running.get() && notification.getUserData() instanceof CompositeData data) {
                            CompositeData info = (CompositeData) data.get("gcInfo");
                            long used = 0;
                            for (Object row : ((javax.management.openmbean.TabularData) info.get("memoryUsageAfterGc")).values()) {
                                CompositeData entry = (CompositeData) row;
                                MemoryUsage usage = MemoryUsage.from((CompositeData) entry.get("value"));
                                String pool = (String) entry.get("key");
                                if (isHeapPool(pool)) {
                                    used += usage.getUsed();
                                }
                            }
                            final long total = used;
                            peakAfterGc.accumulateAndGet(total, Math::max);
                        }
                    };
                    emitter.addNotificationListener(listener, null, null);
                    unsubscribe.add(() -> {
                        try {
                            emitter.removeNotificationListener(listener);
                        } catch (javax.management.ListenerNotFoundException ignored) {
                            // already gone
                        }
                    });
                }
            }
            allocatedBefore = allocated();
            running.set(true);
            thread = new Thread(() -> {
                while (running.get()) {
                    peakUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        /**
         * Baseline after a GC, peak used, peak left after a collection during the export, and the
         * bytes the whole JVM allocated meanwhile. Peak used mostly shows how large the young
         * generation may grow in this heap, garbage included; the peak after a GC less the
         * baseline is what the export kept.
         */
        long[] stop() throws InterruptedException {
            long allocatedAfter = allocated();
            running.set(false);
            thread.join();
            unsubscribe.forEach(Runnable::run);
            return new long[] {baseline, peakUsed.get(), peakAfterGc.get(), allocatedAfter - allocatedBefore};
        }

        private static long allocated() {
            return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                    .getTotalThreadAllocatedBytes();
        }

        private static boolean isHeapPool(String pool) {
            return ManagementFactory.getMemoryPoolMXBeans().stream()
                    .anyMatch(bean -> bean.getName().equals(pool) && bean.getType() == java.lang.management.MemoryType.HEAP);
        }
    }

    private static void check(List<String> checks, String what, long actual, long wanted) {
        checks.add(String.format(Locale.ROOT, "%s: %s (%d vs %d)", what, actual == wanted ? "OK" : "FAILED", actual,
                wanted));
    }
}
