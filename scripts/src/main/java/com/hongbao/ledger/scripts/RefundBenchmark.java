package com.hongbao.ledger.scripts;

import static com.hongbao.ledger.scripts.BenchmarkSupport.expect;

import com.hongbao.ledger.api.config.EventJson;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.refund.RefundEvent.MerchantNegativeLimitSet;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The refund benchmark of issue 16 ("cost independent of history"): a merchant's refund p50/p99
 * after about 1,000 prior events of its own and after about 1,000,000, in the same run, against
 * the same calibration.
 *
 * <ol>
 *   <li>Calibration: single-row INSERT commits per second from 16 JDBC threads.</li>
 *   <li>Set-up, through the HTTP API: two merchants ("small" and "big"), payer wallets, and
 *       {@code prior-refunds + warmup-refunds + refunds + cold-refunds} captured payments of 1.00
 *       to each merchant; then {@code prior-refunds} refunds of 0.50 per merchant, more than a
 *       merchant remembers (256), so every measured refund is decided on the refunds read model's
 *       history (ADR 17).</li>
 *   <li>History: each merchant's stream is filled up to {@code small-history} and
 *       {@code big-history} events with {@code MerchantNegativeLimitSet} events (limit 0.00),
 *       appended in bulk to the event store by SQL: events of the merchant aggregate that it replays
 *       like any other, that no read model or processor reacts to, and that move no money.</li>
 *   <li>The first refund after the bulk append rebuilds each merchant from its whole stream (no
 *       snapshot covers the appended events; reported, not part of the percentiles); the run then
 *       waits for the snapshot that this rebuild triggers.</li>
 *   <li>Warm refunds: {@code refunds} refunds of 0.50 per merchant, each on its own payment, over
 *       {@code concurrency} connections, in {@code rounds} rounds that alternate the merchants.</li>
 *   <li>Cold refunds: {@code cold-refunds} times per merchant, a refused refund (more than the
 *       payment) drops the merchant from the cache, and the next refund, timed, rebuilds it from its
 *       latest snapshot and the events after it.</li>
 * </ol>
 *
 * Arguments are {@code --name=value}: small-history, big-history, prior-refunds, warmup-refunds,
 * refunds, rounds, cold-refunds, concurrency, calibration-seconds, db-url/db-user/db-password.
 */
public final class RefundBenchmark {

    private static final int PAYERS = 8;
    private static final int APPEND_BATCH = 50_000;

    private final Map<String, String> options;
    private BenchmarkSupport support;
    private final List<String[]> payers = new ArrayList<>();
    private long orderSequence;

    private RefundBenchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        new RefundBenchmark(BenchmarkSupport.options(args)).run();
        System.exit(0);
    }

    private int option(String name, int fallback) {
        return BenchmarkSupport.option(options, name, fallback);
    }

    /** A merchant of the benchmark: its id, token, payments (in order of use) and how many were used. */
    private static final class Shop {
        final String label;
        final String id;
        final int history;
        String token;
        final List<String> payments = new ArrayList<>();
        int used;
        int refundNumber;
        double firstRefundMillis;
        long eventsBefore;

        Shop(String label, String id, int history) {
            this.label = label;
            this.id = id;
            this.history = history;
        }

        String nextPayment() {
            return payments.get(used++);
        }

        String refundBody(String amount) {
            return "{\"refundNumber\":\"R-" + (++refundNumber) + "\",\"amount\":\"" + amount + "\",\"currency\":\"CNY\"}";
        }
    }

    private void run() throws Exception {
        int smallHistory = option("small-history", 1_000);
        int bigHistory = option("big-history", 1_000_000);
        int prior = option("prior-refunds", 300);
        int warmup = option("warmup-refunds", 100);
        int refunds = option("refunds", 600);
        int cold = option("cold-refunds", 40);
        int concurrency = option("concurrency", 8);
        int rounds = option("rounds", 4);
        if (bigHistory < prior + 2 || smallHistory < prior + 2) {
            throw new IllegalArgumentException("each history must exceed prior-refunds + 1 events");
        }

        try (BenchmarkSupport started = BenchmarkSupport.startDatabase(options)) {
            support = started;
            double calibration = support.calibrate(option("calibration-seconds", 5));
            support.startLedger();
            Shop small = new Shop("small", "m_refund_small", smallHistory);
            Shop big = new Shop("big", "m_refund_big", bigHistory);
            List<Shop> shops = List.of(small, big);
            List<String> report = new ArrayList<>();
            try (AsyncLoad load = new AsyncLoad(support.base(), concurrency)) {
                setUp(load, shops, prior + warmup + refunds + 2 * cold + 1);
                for (Shop shop : shops) {
                    List<AsyncLoad.Post> posts = new ArrayList<>();
                    for (int i = 0; i < prior; i++) {
                        posts.add(refund(shop, "0.50"));
                    }
                    requireAll(load.send(posts), 201, "prior refunds of " + shop.label);
                }
                support.awaitCaughtUp();
                for (Shop shop : shops) {
                    appendHistory(shop);
                }
                for (Shop shop : shops) {
                    long start = System.nanoTime();
                    HttpResponse<String> first = support.post("/v1/payments/" + shop.nextPayment() + "/refunds",
                            shop.token, shop.refundBody("0.50"));
                    shop.firstRefundMillis = (System.nanoTime() - start) / 1e6;
                    expect(first, 201);
                    System.out.printf(Locale.ROOT, "%s merchant: first refund after the bulk append (rebuilt from"
                            + " its whole stream) took %.0f ms%n", shop.label, shop.firstRefundMillis);
                }
                for (Shop shop : shops) {
                    awaitSnapshot(shop);
                }
                support.awaitCaughtUp();

                for (Shop shop : shops) {
                    List<AsyncLoad.Post> posts = new ArrayList<>();
                    for (int i = 0; i < warmup; i++) {
                        posts.add(refund(shop, "0.50"));
                    }
                    requireAll(load.send(posts), 201, "warm-up refunds of " + shop.label);
                }
                support.awaitCaughtUp();

                // Measured in rounds that alternate the merchants, so neither profits more from a JIT
                // that is still warming or suffers more from other load on the machine.
                Map<Shop, Histogram> warm = new java.util.LinkedHashMap<>();
                Map<Shop, Double> seconds = new java.util.LinkedHashMap<>();
                Map<Shop, Double> rates = new java.util.LinkedHashMap<>();
                for (Shop shop : shops) {
                    warm.put(shop, new Histogram(TimeUnit.SECONDS.toMicros(60), 3));
                    seconds.put(shop, 0.0);
                    shop.eventsBefore = eventsOf(shop);
                }
                Map<Shop, Histogram> coldHistograms = new java.util.LinkedHashMap<>();
                for (int round = 0; round < rounds; round++) {
                    for (Shop shop : round % 2 == 0 ? shops : shops.reversed()) {
                        int count = refunds / rounds + (round < refunds % rounds ? 1 : 0);
                        List<AsyncLoad.Post> posts = new ArrayList<>();
                        for (int i = 0; i < count; i++) {
                            posts.add(refund(shop, "0.50"));
                        }
                        CpuMeter cpu = CpuMeter.start();
                        AsyncLoad.Answers answers = load.send(posts);
                        requireAll(answers, 201, "measured refunds of " + shop.label);
                        Histogram histogram = histogram(answers);
                        warm.get(shop).add(histogram);
                        seconds.merge(shop, answers.seconds(), Double::sum);
                        System.out.printf(Locale.ROOT, "round %d, %s merchant: %d refunds in %.1f s, p50 %.1f ms,"
                                        + " p99 %.1f ms; %s%n", round + 1, shop.label, count, answers.seconds(),
                                histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0,
                                cpu.report());
                        support.awaitCaughtUp();
                    }
                }
                for (Shop shop : shops) {
                    rates.put(shop, refunds / seconds.get(shop));
                }
                for (Shop shop : shops) {
                    Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
                    for (int i = 0; i < cold; i++) {
                        // Refused (more than the payment): rolled back, the merchant leaves the cache.
                        HttpResponse<String> refused = support.post("/v1/payments/" + shop.payments.get(shop.used)
                                + "/refunds", shop.token, shop.refundBody("1000.00"));
                        expect(refused, 422);
                        long start = System.nanoTime();
                        HttpResponse<String> refunded = support.post("/v1/payments/" + shop.nextPayment() + "/refunds",
                                shop.token, shop.refundBody("0.50"));
                        histogram.recordValue((System.nanoTime() - start) / 1_000);
                        expect(refunded, 201);
                    }
                    coldHistograms.put(shop, histogram);
                }
                support.awaitCaughtUp();
                boolean balanced = support.trialBalanceIsZero();

                report.add("| merchant | its events before the measured refunds | refunds | refunds/s | ratio to calibration"
                        + " | p50 ms | p99 ms | max ms | cold refunds (from the snapshot) p50 / p99 ms | trial balance |");
                report.add("|---|---|---|---|---|---|---|---|---|---|");
                for (Shop shop : shops) {
                    Histogram h = warm.get(shop);
                    Histogram c = coldHistograms.get(shop);
                    report.add(String.format(Locale.ROOT, "| %s | %,d | %d | %.0f | %.4f× | %.1f | %.1f | %.1f | %.1f / %.1f | %s |",
                            shop.label, shop.eventsBefore, refunds, rates.get(shop),
                            rates.get(shop) / calibration, h.getValueAtPercentile(50) / 1000.0,
                            h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0,
                            c.getValueAtPercentile(50) / 1000.0, c.getValueAtPercentile(99) / 1000.0,
                            balanced ? "zero" : "NOT ZERO"));
                }
                Histogram s = warm.get(small);
                Histogram b = warm.get(big);
                Histogram sc = coldHistograms.get(small);
                Histogram bc = coldHistograms.get(big);
                report.add(String.format(Locale.ROOT, "| big ÷ small | %.0f× the events | | %.2f | | %.2f | %.2f | | %.2f / %.2f | |",
                        (double) big.eventsBefore / small.eventsBefore, rates.get(big) / rates.get(small),
                        ratio(b, s, 50), ratio(b, s, 99), ratio(bc, sc, 50), ratio(bc, sc, 99)));
            }

            System.out.println();
            System.out.println(BenchmarkSupport.calibrationSummary(calibration));
            System.out.printf(Locale.ROOT, "Load: one asynchronous client over %d HTTP/1.1 connections on loopback;"
                    + " refunds of 0.50, each on its own captured payment of 1.00; cold refunds one at a time%n%n",
                    concurrency);
            report.forEach(System.out::println);
        }
    }

    private static double ratio(Histogram numerator, Histogram denominator, double percentile) {
        return (double) numerator.getValueAtPercentile(percentile) / Math.max(1, denominator.getValueAtPercentile(percentile));
    }

    private AsyncLoad.Post refund(Shop shop, String amount) {
        return new AsyncLoad.Post("/v1/payments/" + shop.nextPayment() + "/refunds", shop.token, shop.refundBody(amount));
    }

    private static Histogram histogram(AsyncLoad.Answers answers) {
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        for (AsyncLoad.Answer answer : answers.answers()) {
            histogram.recordValue(answer.latencyMicros());
        }
        return histogram;
    }

    private static void requireAll(AsyncLoad.Answers answers, int status, String what) {
        Map<String, Long> statuses = new TreeMap<>();
        String sample = null;
        for (AsyncLoad.Answer answer : answers.answers()) {
            statuses.merge(answer.failure() != null ? answer.failure() : Integer.toString(answer.status()), 1L, Long::sum);
            if (answer.status() != status && sample == null) {
                sample = answer.failure() != null ? answer.failure() : answer.body();
            }
        }
        if (sample != null) {
            throw new IllegalStateException(what + ": " + statuses + ", e.g. " + sample);
        }
    }

    /** Merchants, payers and {@code paymentsEach} captured payments of 1.00 to each merchant. */
    private void setUp(AsyncLoad load, List<Shop> shops, int paymentsEach) throws Exception {
        long start = System.nanoTime();
        String admin = support.token("bench-admin", "admin");
        for (Shop shop : shops) {
            expect(support.post("/v1/merchants", admin, "{\"merchantId\":\"" + shop.id + "\",\"name\":\"Refund bench "
                    + shop.label + "\"}"), 201);
            HttpResponse<String> token = support.post("/dev/tokens", null, "{\"subject\":\"owner-of-" + shop.id
                    + "\",\"roles\":[\"merchant\"],\"merchantId\":\"" + shop.id + "\"}");
            expect(token, 200);
            shop.token = token.body().replaceAll(".*\"accessToken\":\"([^\"]+)\".*", "$1");
        }
        for (int p = 0; p < PAYERS; p++) {
            String token = support.token("bench-refund-payer-" + p, "user");
            HttpResponse<String> opened = support.post("/v1/wallets", token, "{\"currency\":\"CNY\"}");
            expect(opened, 201);
            String walletId = opened.body().replaceAll(".*\"walletId\":\"([^\"]+)\".*", "$1");
            expect(support.post("/v1/wallets/" + walletId + "/top-ups", admin, "{\"bankReference\":\"bench-refund-" + p
                    + "\",\"amount\":\"10000.00\",\"currency\":\"CNY\"}"), 201);
            payers.add(new String[] {token, walletId});
        }
        for (Shop shop : shops) {
            List<AsyncLoad.Post> posts = new ArrayList<>();
            for (int i = 0; i < paymentsEach; i++) {
                posts.add(new AsyncLoad.Post("/v1/payments", payers.get(i % PAYERS)[0], "{\"merchantId\":\"" + shop.id
                        + "\",\"orderNumber\":\"r" + (++orderSequence) + "\",\"amount\":\"1.00\",\"currency\":\"CNY\"}"));
            }
            AsyncLoad.Answers answers = load.send(posts);
            requireAll(answers, 201, "payments to " + shop.label);
            for (AsyncLoad.Answer answer : answers.answers()) {
                shop.payments.add(answer.body().replaceAll(".*\"paymentId\":\"([^\"]+)\".*", "$1"));
            }
        }
        // Refunds are decided against the credits the journal has seen.
        support.awaitCaughtUp();
        System.out.printf(Locale.ROOT, "set-up: 2 merchants, %d payers, %d payments each in %.1f s%n", PAYERS,
                paymentsEach, (System.nanoTime() - start) / 1e9);
    }

    /** The merchant's events so far. */
    private long eventsOf(Shop shop) {
        JdbcTemplate jdbc = support.app().getBean(JdbcTemplate.class);
        return jdbc.queryForObject("SELECT MAX(sequence_number) + 1 FROM event_entry WHERE aggregate_identifier = ?",
                Long.class, shop.id);
    }

    /**
     * Appends {@code MerchantNegativeLimitSet} events (limit 0.00) to the merchant's stream until
     * it holds {@code shop.history} events, in batches, as the JDBC event store would store them.
     */
    private void appendHistory(Shop shop) throws Exception {
        long start = System.nanoTime();
        Serializer serializer = EventJson.serializer();
        byte[] metaData = serializer.serialize(MetaData.emptyInstance(), byte[].class).getData();
        MerchantNegativeLimitSet event = new MerchantNegativeLimitSet(new MerchantId(shop.id), Money.zero(
                java.util.Currency.getInstance("CNY")), Instant.now());
        byte[] payload = serializer.serialize(event, byte[].class).getData();
        long next = eventsOf(shop);
        long missing = shop.history - next;
        try (Connection connection = support.connect("");
             PreparedStatement insert = connection.prepareStatement("INSERT INTO event_entry (aggregate_identifier,"
                     + " sequence_number, type, event_identifier, meta_data, payload, payload_revision, payload_type,"
                     + " time_stamp) SELECT ?, ? + n, 'Merchant', gen_random_uuid()::text, ?, ?, NULL, ?, ?"
                     + " FROM generate_series(0, ? - 1) AS n")) {
            for (long done = 0; done < missing; done += APPEND_BATCH) {
                long batch = Math.min(APPEND_BATCH, missing - done);
                insert.setString(1, shop.id);
                insert.setLong(2, next + done);
                insert.setBytes(3, metaData);
                insert.setBytes(4, payload);
                insert.setString(5, MerchantNegativeLimitSet.class.getName());
                insert.setString(6, Instant.now().toString());
                insert.setLong(7, batch);
                insert.executeUpdate();
            }
        }
        System.out.printf(Locale.ROOT, "%s merchant: %,d events appended in %.1f s, %,d in its stream%n", shop.label,
                Math.max(0, missing), (System.nanoTime() - start) / 1e9, eventsOf(shop));
    }

    /** Waits until the merchant's latest snapshot leaves at most 100 events after it. */
    private void awaitSnapshot(Shop shop) throws Exception {
        JdbcTemplate jdbc = support.app().getBean(JdbcTemplate.class);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            Long snapshot = jdbc.queryForObject("SELECT MAX(sequence_number) FROM snapshot_entry"
                    + " WHERE aggregate_identifier = ?", Long.class, shop.id);
            if (snapshot != null && snapshot >= eventsOf(shop) - 1 - 100) {
                try (Connection connection = support.connect("");
                     PreparedStatement size = connection.prepareStatement("SELECT octet_length(payload) FROM snapshot_entry"
                             + " WHERE aggregate_identifier = ? AND sequence_number = ?")) {
                    size.setString(1, shop.id);
                    size.setLong(2, snapshot);
                    try (ResultSet rows = size.executeQuery()) {
                        rows.next();
                        System.out.printf(Locale.ROOT, "%s merchant: snapshot at event %,d, %,d bytes%n", shop.label,
                                snapshot, rows.getLong(1));
                    }
                }
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no snapshot of " + shop.id + " within 5 minutes");
    }
}
