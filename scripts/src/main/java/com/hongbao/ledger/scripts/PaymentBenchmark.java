package com.hongbao.ledger.scripts;

import static com.hongbao.ledger.scripts.BenchmarkSupport.expect;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * The payments benchmark of the foundation: calibrates the database, then drives payments
 * through the real HTTP API of the ledger, started in this JVM against the same PostgreSQL.
 *
 * <ol>
 *   <li>Calibration: single-row INSERT commits per second from 16 JDBC threads.</li>
 *   <li>Scenario (a): payments spread over 10,000 wallets and 100 merchants.</li>
 *   <li>Scenario (b): every payment to one merchant (a live-stream flash sale).</li>
 * </ol>
 *
 * Each scenario reports payments/s, p50/p99 latency, the ratio to the calibration and whether
 * the trial balance is zero once the read models have caught up. Arguments are
 * {@code --name=value}: payments, concurrency (connections of the asynchronous client, {@link AsyncLoad}), wallets, merchants, calibration-seconds,
 * warmup-payments, db-url/db-user/db-password (an external PostgreSQL instead of the embedded one),
 * jfr (a path prefix: flight recordings of the scenarios to {@code <jfr>-a.jfr} and {@code <jfr>-b.jfr}).
 */
public final class PaymentBenchmark {

    private final Map<String, String> options;
    private BenchmarkSupport support;
    private final List<String> merchants = new ArrayList<>();
    private final List<String[]> wallets = new ArrayList<>();
    private final AtomicLong orderSequence = new AtomicLong();

    private PaymentBenchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        new PaymentBenchmark(BenchmarkSupport.options(args)).run();
        System.exit(0);
    }

    private int option(String name, int fallback) {
        return BenchmarkSupport.option(options, name, fallback);
    }

    private void run() throws Exception {
        int payments = option("payments", 20_000);
        int concurrency = option("concurrency", 32);
        int walletCount = option("wallets", 10_000);
        int merchantCount = option("merchants", 100);
        int warmup = option("warmup-payments", 3_000);

        try (BenchmarkSupport started = BenchmarkSupport.startDatabase(options)) {
            support = started;
            double calibration = support.calibrate(option("calibration-seconds", 10));
            support.startLedger();
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            List<String> report = new ArrayList<>();
            try (AsyncLoad load = new AsyncLoad(support.base(), concurrency)) {
                setUp(pool, walletCount, merchantCount);
                support.awaitCaughtUp();

                measure(load, "warm-up (not reported)", warmup, i -> randomMerchant());
                support.awaitCaughtUp();
                report.add(String.format(Locale.ROOT, "| scenario | payments | payments/s | ratio to calibration | p50 ms | p99 ms | max ms | errors | trial balance |"));
                report.add("|---|---|---|---|---|---|---|---|---|");
                report.add(scenario(load, "(a) 10,000 wallets, 100 merchants", payments, calibration,
                        i -> randomMerchant()));
                String hot = merchants.get(0);
                report.add(scenario(load, "(b) one hot merchant", payments, calibration, i -> hot));
            } finally {
                pool.shutdownNow();
            }

            System.out.println();
            System.out.println(BenchmarkSupport.calibrationSummary(calibration));
            System.out.printf(Locale.ROOT, "Load: one asynchronous client over %d HTTP/1.1 connections on loopback; %d measured payments per scenario after %d warm-up payments%n%n",
                    concurrency, payments, warmup);
            report.forEach(System.out::println);
        }
    }

    private String randomMerchant() {
        return merchants.get(ThreadLocalRandom.current().nextInt(merchants.size()));
    }

    private String scenario(AsyncLoad load, String name, int payments, double calibration,
                            IntFunction<String> merchantFor) throws Exception {
        Result result = measure(load, name, payments, merchantFor);
        support.awaitCaughtUp();
        boolean balanced = support.trialBalanceIsZero();
        return String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f× | %.1f | %.1f | %.1f | %d | %s |", name,
                result.ok, result.rate, result.rate / calibration, result.histogram.getValueAtPercentile(50) / 1000.0,
                result.histogram.getValueAtPercentile(99) / 1000.0, result.histogram.getMaxValue() / 1000.0,
                result.errors, balanced ? "zero" : "NOT ZERO");
    }

    private record Result(long ok, long errors, double rate, Histogram histogram) {
    }

    private Result measure(AsyncLoad load, String name, int payments, IntFunction<String> merchantFor)
            throws Exception {
        List<AsyncLoad.Post> posts = new ArrayList<>(payments);
        for (int i = 0; i < payments; i++) {
            String[] wallet = wallets.get(ThreadLocalRandom.current().nextInt(wallets.size()));
            posts.add(new AsyncLoad.Post("/v1/payments", wallet[0], "{\"merchantId\":\"" + merchantFor.apply(i)
                    + "\",\"orderNumber\":\"o" + orderSequence.incrementAndGet()
                    + "\",\"amount\":\"1.23\",\"currency\":\"CNY\"}"));
        }
        CpuMeter cpu = CpuMeter.start();
        // A scenario "(a) ..." is recorded to <jfr>-a.jfr when --jfr=<prefix> is given; the warm-up is not.
        String scenario = name.startsWith("(") ? name.substring(1, 2) : null;
        FlightRecording recording = FlightRecording.start(scenario == null ? null : options.get("jfr"), scenario);
        AsyncLoad.Answers answers = load.send(posts);
        recording.close();
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        Map<String, Long> statuses = new TreeMap<>();
        long ok = 0;
        for (AsyncLoad.Answer answer : answers.answers()) {
            histogram.recordValue(answer.latencyMicros());
            statuses.merge(answer.failure() != null ? answer.failure() : Integer.toString(answer.status()), 1L, Long::sum);
            if (answer.status() == 201) {
                ok++;
            }
        }
        long errors = payments - ok;
        double rate = ok / answers.seconds();
        System.out.printf(Locale.ROOT, "%s: %d ok, %d errors %s in %.1f s = %.0f payments/s, p50 %.1f ms, p99 %.1f ms; %s%n",
                name, ok, errors, statuses, answers.seconds(), rate, histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0, cpu.report());
        return new Result(ok, errors, rate, histogram);
    }

    private void setUp(ExecutorService pool, int walletCount, int merchantCount) throws Exception {
        long start = System.nanoTime();
        String admin = support.token("bench-admin", "admin");
        for (int m = 0; m < merchantCount; m++) {
            String id = "m_bench_" + m;
            expect(support.post("/v1/merchants", admin, "{\"merchantId\":\"" + id + "\",\"name\":\"Bench shop " + m + "\"}"), 201);
            merchants.add(id);
        }
        List<java.util.concurrent.Future<String[]>> futures = new ArrayList<>();
        for (int w = 0; w < walletCount; w++) {
            int index = w;
            futures.add(pool.submit(() -> {
                String token = support.token("bench-user-" + index, "user");
                HttpResponse<String> opened = support.post("/v1/wallets", token, "{\"currency\":\"CNY\"}");
                expect(opened, 201);
                String walletId = opened.body().replaceAll(".*\"walletId\":\"([^\"]+)\".*", "$1");
                expect(support.post("/v1/wallets/" + walletId + "/top-ups", admin, "{\"bankReference\":\"bench-" + index
                        + "\",\"amount\":\"100000.00\",\"currency\":\"CNY\"}"), 201);
                return new String[] {token, walletId};
            }));
        }
        for (var future : futures) {
            wallets.add(future.get());
        }
        System.out.printf(Locale.ROOT, "set-up: %d merchants, %d wallets opened and topped up in %.1f s%n",
                merchantCount, walletCount, (System.nanoTime() - start) / 1e9);
    }
}
