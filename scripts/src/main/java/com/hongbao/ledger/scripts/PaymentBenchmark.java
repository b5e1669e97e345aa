package com.hongbao.ledger.scripts;

import com.hongbao.ledger.api.LedgerApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

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
 * {@code --name=value}: payments, concurrency, wallets, merchants, calibration-seconds,
 * warmup-payments, db-url/db-user/db-password (an external PostgreSQL instead of the embedded one).
 */
public final class PaymentBenchmark {

    private final Map<String, String> options;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String base;
    private final List<String> merchants = new ArrayList<>();
    private final List<String[]> wallets = new ArrayList<>();
    private final AtomicLong orderSequence = new AtomicLong();

    private PaymentBenchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : String.join(" ", args).trim().split("\\s+")) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        new PaymentBenchmark(options).run();
        System.exit(0);
    }

    private int option(String name, int fallback) {
        return Integer.parseInt(options.getOrDefault(name, Integer.toString(fallback)));
    }

    private void run() throws Exception {
        int payments = option("payments", 20_000);
        int concurrency = option("concurrency", 32);
        int walletCount = option("wallets", 10_000);
        int merchantCount = option("merchants", 100);
        int warmup = option("warmup-payments", 3_000);

        String url = options.get("db-url");
        String user = options.getOrDefault("db-user", "postgres");
        String password = options.getOrDefault("db-password", "");
        EmbeddedPostgres embedded = null;
        if (url == null) {
            Path dataDirectory = Files.createTempDirectory("ledger-bench-pg");
            // Default durability settings: every commit is flushed, as in production.
            embedded = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(true)
                    .setServerConfig("max_connections", "200").setServerConfig("shared_buffers", "512MB").start();
            url = embedded.getJdbcUrl("postgres", "postgres");
        }
        System.out.printf(Locale.ROOT, "machine: %d cores, JDK %s, PostgreSQL %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), serverVersion(url, user, password));

        double calibration = calibrate(url, user, password, option("calibration-seconds", 10));
        System.out.printf(Locale.ROOT, "calibration: %.0f single-row INSERT commits/s from 16 JDBC threads%n", calibration);

        // Command-line arguments outrank application.yml (which maps LEDGER_DB_URL to ledger.db.url).
        ConfigurableApplicationContext app = new SpringApplicationBuilder(LedgerApplication.class).run(
                "--ledger.db.url=" + url, "--ledger.db.user=" + user, "--ledger.db.password=" + password,
                "--ledger.auth.dev-tokens=true", "--server.port=0", "--logging.level.root=WARN",
                "--logging.level.com.hongbao=WARN", "--spring.main.banner-mode=off");
        try {
            base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            setUp(pool, walletCount, merchantCount);
            awaitCaughtUp(app);

            measure(pool, "warm-up (not reported)", warmup, concurrency, i -> randomMerchant());
            awaitCaughtUp(app);
            List<String> report = new ArrayList<>();
            report.add(String.format(Locale.ROOT, "| scenario | payments | payments/s | ratio to calibration | p50 ms | p99 ms | max ms | errors | trial balance |"));
            report.add("|---|---|---|---|---|---|---|---|---|");
            report.add(scenario(app, pool, "(a) 10,000 wallets, 100 merchants", payments, concurrency, calibration,
                    i -> randomMerchant()));
            String hot = merchants.get(0);
            report.add(scenario(app, pool, "(b) one hot merchant", payments, concurrency, calibration, i -> hot));
            pool.shutdownNow();

            System.out.println();
            System.out.printf(Locale.ROOT, "Calibration: %.0f commits/s (16 JDBC threads, single-row INSERT, autocommit)%n",
                    calibration);
            System.out.printf(Locale.ROOT, "Load: %d client threads over HTTP/1.1 on loopback; %d measured payments per scenario after %d warm-up payments%n%n",
                    concurrency, payments, warmup);
            report.forEach(System.out::println);
        } finally {
            app.close();
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private String randomMerchant() {
        return merchants.get(ThreadLocalRandom.current().nextInt(merchants.size()));
    }

    private String scenario(ConfigurableApplicationContext app, ExecutorService pool, String name, int payments,
                            int concurrency, double calibration, IntFunction<String> merchantFor) throws Exception {
        Result result = measure(pool, name, payments, concurrency, merchantFor);
        awaitCaughtUp(app);
        boolean balanced = trialBalanceIsZero();
        return String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f× | %.1f | %.1f | %.1f | %d | %s |", name,
                result.ok, result.rate, result.rate / calibration, result.histogram.getValueAtPercentile(50) / 1000.0,
                result.histogram.getValueAtPercentile(99) / 1000.0, result.histogram.getMaxValue() / 1000.0,
                result.errors, balanced ? "zero" : "NOT ZERO");
    }

    private record Result(long ok, long errors, double rate, Histogram histogram) {
    }

    private Result measure(ExecutorService pool, String name, int payments, int concurrency,
                           IntFunction<String> merchantFor) throws Exception {
        ConcurrentHistogram histogram = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicInteger next = new AtomicInteger();
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            futures.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < payments) {
                    String[] wallet = wallets.get(ThreadLocalRandom.current().nextInt(wallets.size()));
                    String body = "{\"merchantId\":\"" + merchantFor.apply(i) + "\",\"orderNumber\":\"o"
                            + orderSequence.incrementAndGet() + "\",\"amount\":\"1.23\",\"currency\":\"CNY\"}";
                    long sent = System.nanoTime();
                    int status = post("/v1/payments", wallet[0], body).statusCode();
                    histogram.recordValue(Math.max(1, (System.nanoTime() - sent) / 1_000));
                    statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                    if (status == 201) {
                        ok.incrementAndGet();
                    } else {
                        errors.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (var future : futures) {
            future.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = ok.get() / seconds;
        System.out.printf(Locale.ROOT, "%s: %d ok, %d errors %s in %.1f s = %.0f payments/s, p50 %.1f ms, p99 %.1f ms%n",
                name, ok.get(), errors.get(), statuses, seconds, rate, histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0);
        return new Result(ok.get(), errors.get(), rate, histogram);
    }

    private void setUp(ExecutorService pool, int walletCount, int merchantCount) throws Exception {
        long start = System.nanoTime();
        String admin = token("{\"subject\":\"bench-admin\",\"roles\":[\"admin\"]}");
        for (int m = 0; m < merchantCount; m++) {
            String id = "m_bench_" + m;
            expect(post("/v1/merchants", admin, "{\"merchantId\":\"" + id + "\",\"name\":\"Bench shop " + m + "\"}"), 201);
            merchants.add(id);
        }
        List<java.util.concurrent.Future<String[]>> futures = new ArrayList<>();
        for (int w = 0; w < walletCount; w++) {
            int index = w;
            futures.add(pool.submit(() -> {
                String token = token("{\"subject\":\"bench-user-" + index + "\",\"roles\":[\"user\"]}");
                HttpResponse<String> opened = post("/v1/wallets", token, "{\"currency\":\"CNY\"}");
                expect(opened, 201);
                String walletId = opened.body().replaceAll(".*\"walletId\":\"([^\"]+)\".*", "$1");
                expect(post("/v1/wallets/" + walletId + "/top-ups", admin, "{\"bankReference\":\"bench-" + index
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

    private String token(String request) throws IOException, InterruptedException {
        HttpResponse<String> response = post("/dev/tokens", null, request);
        expect(response, 200);
        return response.body().replaceAll(".*\"accessToken\":\"([^\"]+)\".*", "$1");
    }

    private boolean trialBalanceIsZero() throws IOException, InterruptedException {
        String finance = token("{\"subject\":\"bench-finance\",\"roles\":[\"finance\"]}");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/trial-balance"))
                .header("Authorization", "Bearer " + finance).GET().build(), HttpResponse.BodyHandlers.ofString());
        boolean balanced = response.statusCode() == 200 && response.body().contains("\"balanced\":true");
        if (!balanced) {
            System.out.println("trial balance: HTTP " + response.statusCode() + " " + response.body());
        }
        return balanced;
    }

    private HttpResponse<String> post(String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("expected " + status + " but got " + response.statusCode() + ": "
                    + response.body());
        }
    }

    /** Waits until every event processor has handled every stored event. */
    private static void awaitCaughtUp(ConfigurableApplicationContext app) throws InterruptedException {
        JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
        EventProcessingConfiguration processing = app.getBean(EventProcessingConfiguration.class);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            Long head = jdbc.queryForObject("SELECT COALESCE(MAX(global_index), -1) FROM event_entry", Long.class);
            boolean caughtUp = true;
            for (EventProcessor processor : processing.eventProcessors().values()) {
                if (processor instanceof StreamingEventProcessor streaming) {
                    for (EventTrackerStatus status : streaming.processingStatus().values()) {
                        caughtUp &= status.getCurrentPosition().orElse(-1) >= head;
                    }
                }
            }
            if (caughtUp) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("event processors did not catch up within 5 minutes");
    }

    /** Commits of single-row inserts per second from 16 threads, each on its own connection. */
    private static double calibrate(String url, String user, String password, int seconds) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS bench");
            statement.execute("CREATE TABLE IF NOT EXISTS bench.calibration (id BIGSERIAL PRIMARY KEY, payload TEXT NOT NULL)");
        }
        int threads = 16;
        AtomicLong commits = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                try (Connection connection = DriverManager.getConnection(url, user, password);
                     PreparedStatement insert = connection.prepareStatement(
                             "INSERT INTO bench.calibration (payload) VALUES (?)")) {
                    connection.setAutoCommit(true);
                    long now;
                    while ((now = System.nanoTime()) < end) {
                        insert.setString(1, "calibration row");
                        insert.executeUpdate();
                        if (now >= warmupEnd) {
                            commits.incrementAndGet();
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                return null;
            }));
        }
        for (var future : futures) {
            future.get();
        }
        pool.shutdown();
        return commits.get() / (double) seconds;
    }

    private static String serverVersion(String url, String user, String password) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            return connection.getMetaData().getDatabaseProductVersion();
        }
    }
}
