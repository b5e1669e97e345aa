package com.hongbao.ledger.scripts;

import com.hongbao.ledger.api.LedgerApplication;
import com.hongbao.ledger.api.config.DurableEmbeddedPostgres;
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
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the benchmarks share: their {@code --name=value} options, the PostgreSQL they run on
 * (embedded unless {@code db-url} names an external one), the calibration, the ledger started in
 * this JVM, bearer tokens, HTTP calls, waiting for the event processors and the trial balance.
 *
 * <p>Closing it stops the ledger and then the embedded PostgreSQL, in that order.
 */
final class BenchmarkSupport implements AutoCloseable {

    /** JDBC threads of the calibration, each on its own connection. */
    static final int CALIBRATION_THREADS = 16;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;
    private final String user;
    private final String password;
    private final DurableEmbeddedPostgres embedded;
    private ConfigurableApplicationContext app;
    private String base;

    private BenchmarkSupport(String url, String user, String password, DurableEmbeddedPostgres embedded) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
    }

    /** The {@code --name=value} arguments; Maven passes them as one argument, so they are split on blanks. */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : String.join(" ", args).trim().split("\\s+")) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        return options;
    }

    static int option(Map<String, String> options, String name, int fallback) {
        return Integer.parseInt(options.getOrDefault(name, Integer.toString(fallback)));
    }

    /**
     * Starts the embedded PostgreSQL unless {@code db-url} names an external one, and prints the
     * machine line (cores, JDK, PostgreSQL version).
     */
    static BenchmarkSupport startDatabase(Map<String, String> options) throws IOException, SQLException {
        String url = options.get("db-url");
        String user = options.getOrDefault("db-user", "postgres");
        String password = options.getOrDefault("db-password", "");
        DurableEmbeddedPostgres embedded = null;
        if (url == null) {
            // The ledger's own embedded server, durable as in production (fsync, synchronous commit and
            // full page writes on; see DurableEmbeddedPostgres), in a throw-away directory.
            Path dataDirectory = Files.createTempDirectory("ledger-bench-pg").resolve("postgres");
            embedded = DurableEmbeddedPostgres.start(dataDirectory, 0, "shared_buffers", "512MB");
            // A benchmark stopped with Ctrl-C still stops its server (closing twice does nothing).
            DurableEmbeddedPostgres server = embedded;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // The JVM is exiting; there is nobody left to tell.
                }
            }));
            url = embedded.jdbcUrl();
            user = embedded.user();
            password = embedded.password();
        }
        BenchmarkSupport support = new BenchmarkSupport(url, user, password, embedded);
        try (Connection connection = support.connect("")) {
            CpuMeter.locatePostgres(connection);
        }
        System.out.printf(Locale.ROOT, "machine: %d cores, JDK %s, PostgreSQL %s (%s)%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), support.serverVersion(),
                support.durability());
        return support;
    }

    /** Runs the calibration, prints its line and returns single-row INSERT commits per second. */
    double calibrate(int seconds) throws Exception {
        double calibration = calibrate(url, user, password, seconds);
        System.out.printf(Locale.ROOT, "calibration: %.0f single-row INSERT commits/s from %d JDBC threads%n",
                calibration, CALIBRATION_THREADS);
        return calibration;
    }

    /** The calibration as the summary above a report table states it. */
    static String calibrationSummary(double calibration) {
        return String.format(Locale.ROOT, "Calibration: %.0f commits/s (%d JDBC threads, single-row INSERT, autocommit)",
                calibration, CALIBRATION_THREADS);
    }

    /**
     * Starts the ledger in this JVM on a free port against the benchmark's database, with dev
     * tokens and quiet logs; {@code extraArguments} ({@code --name=value}) come last and so win.
     */
    void startLedger(String... extraArguments) {
        // Command-line arguments outrank application.yml (which maps LEDGER_DB_URL to ledger.db.url).
        List<String> arguments = new ArrayList<>(List.of(
                "--ledger.db.url=" + url, "--ledger.db.user=" + user, "--ledger.db.password=" + password,
                "--ledger.auth.dev-tokens=true", "--server.port=0", "--logging.level.root=WARN",
                "--logging.level.com.hongbao=WARN", "--spring.main.banner-mode=off"));
        arguments.addAll(Arrays.asList(extraArguments));
        app = new SpringApplicationBuilder(LedgerApplication.class).run(arguments.toArray(String[]::new));
        base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
    }

    /** The ledger started by {@link #startLedger(String...)}. */
    ConfigurableApplicationContext app() {
        return app;
    }

    /** The ledger's base URL, e.g. {@code http://localhost:12345}. */
    String base() {
        return base;
    }

    /** A new JDBC connection to the benchmark's database, with {@code extraProperties} appended to its URL. */
    Connection connect(String extraProperties) throws SQLException {
        String target = extraProperties.isEmpty() ? url : url + (url.contains("?") ? "&" : "?") + extraProperties;
        return DriverManager.getConnection(target, user, password);
    }

    /** A dev bearer token for a subject with one role. */
    String token(String subject, String role) throws IOException, InterruptedException {
        HttpResponse<String> response = post("/dev/tokens", null,
                "{\"subject\":\"" + subject + "\",\"roles\":[\"" + role + "\"]}");
        expect(response, 200);
        return response.body().replaceAll(".*\"accessToken\":\"([^\"]+)\".*", "$1");
    }

    /** A POST with a JSON body, or with no body at all when {@code body} is null. */
    HttpResponse<String> post(String path, String token, String body) {
        return post(path, token, body, null);
    }

    /** As {@link #post(String, String, String)}, with an {@code Idempotency-Key} unless it is null. */
    HttpResponse<String> post(String path, String token, String body, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        if (body == null) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return send(request, token);
    }

    HttpResponse<String> get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).GET(), token);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String token) {
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

    /** Fails unless the response has one of the statuses. */
    static void expect(HttpResponse<String> response, int... statuses) {
        if (Arrays.stream(statuses).noneMatch(status -> status == response.statusCode())) {
            String expected = statuses.length == 1 ? Integer.toString(statuses[0]) : Arrays.toString(statuses);
            throw new IllegalStateException("expected " + expected + " but got " + response.statusCode() + ": "
                    + response.body());
        }
    }

    /** Whether finance sees a balanced trial balance; prints the response when it does not. */
    boolean trialBalanceIsZero() throws IOException, InterruptedException {
        String finance = token("bench-finance", "finance");
        HttpResponse<String> response = get("/v1/trial-balance", finance);
        boolean balanced = response.statusCode() == 200 && response.body().contains("\"balanced\":true");
        if (!balanced) {
            System.out.println("trial balance: HTTP " + response.statusCode() + " " + response.body());
        }
        return balanced;
    }

    /** Waits until every event processor has handled every stored event. */
    void awaitCaughtUp() throws InterruptedException {
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

    @Override
    public void close() {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            if (embedded != null) {
                try {
                    embedded.close();
                    // The data directory and its password file, both in the benchmark's temporary directory.
                    try (Stream<Path> files = Files.walk(embedded.dataDirectory().getParent())) {
                        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(file);
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** Commits of single-row inserts per second from 16 threads, each on its own connection. */
    private static double calibrate(String url, String user, String password, int seconds) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS bench");
            statement.execute("CREATE TABLE IF NOT EXISTS bench.calibration (id BIGSERIAL PRIMARY KEY, payload TEXT NOT NULL)");
        }
        AtomicLong commits = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(CALIBRATION_THREADS);
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < CALIBRATION_THREADS; t++) {
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

    /** The server's durability settings as it reports them, e.g. {@code fsync=on synchronous_commit=on}. */
    private String durability() throws SQLException {
        List<String> settings = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                try (java.sql.ResultSet value = statement.executeQuery("SHOW " + setting)) {
                    value.next();
                    settings.add(setting + "=" + value.getString(1));
                }
            }
        }
        return String.join(" ", settings);
    }

    private String serverVersion() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            return connection.getMetaData().getDatabaseProductVersion();
        }
    }
}
