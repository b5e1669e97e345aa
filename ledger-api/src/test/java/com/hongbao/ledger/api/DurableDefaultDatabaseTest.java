package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hongbao.ledger.api.config.DatabaseConfig;
import com.hongbao.ledger.api.config.DurableEmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ledger as the README starts it, with no database configured: the embedded PostgreSQL with
 * its data in a directory of its own. It runs durable and locked, and a payment it acknowledged is
 * still there after PostgreSQL is killed with SIGKILL right after the burst and restarted on the
 * same data directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DurableDefaultDatabaseTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int PAYERS = 8;
    private static final int PAYMENTS_EACH = 25;

    @TempDir
    static Path temp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ConfigurableApplicationContext app;
    private DurableEmbeddedPostgres restarted;
    private Path dataDirectory;
    private int databasePort;
    private String base;

    @BeforeAll
    void startTheLedgerWithItsDefaultDatabase() throws IOException {
        dataDirectory = temp.resolve("ledger-data/postgres");
        try (ServerSocket socket = new ServerSocket(0)) {
            databasePort = socket.getLocalPort();
        }
        app = new SpringApplicationBuilder(LedgerApplication.class).run("--server.port=0",
                "--ledger.db.data-directory=" + dataDirectory, "--ledger.db.embedded-port=" + databasePort,
                "--spring.main.banner-mode=off", "--logging.level.org.axonframework=WARN",
                "--logging.level.org.springdoc=WARN");
        base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    void stop() throws IOException {
        if (app != null) {
            app.close();
        }
        if (restarted != null) {
            restarted.close();
        }
    }

    @Test
    void the_default_database_runs_with_fsync_synchronous_commit_and_full_page_writes_on() throws SQLException {
        try (Connection connection = app.getBean(DataSource.class).getConnection();
             Statement statement = connection.createStatement()) {
            assertThat(show(statement, "fsync")).isEqualTo("on");
            assertThat(show(statement, "synchronous_commit")).isEqualTo("on");
            assertThat(show(statement, "full_page_writes")).isEqualTo("on");
            assertThat(show(statement, "listen_addresses")).isEqualTo("localhost");
        }
    }

    @Test
    void the_default_database_refuses_connections_without_the_password_that_only_its_owner_can_read() throws Exception {
        String url = "jdbc:postgresql://localhost:" + databasePort + "/postgres";
        assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "").close()).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "not-the-password").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        try (Connection pooled = app.getBean(DataSource.class).getConnection();
             Statement statement = pooled.createStatement();
             ResultSet result = statement.executeQuery("SELECT current_user")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getString(1)).isEqualTo("postgres");
        }
        Path passwordFile = DurableEmbeddedPostgres.passwordFileOf(dataDirectory);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
        String password = Files.readString(passwordFile).strip();
        assertThat(password).hasSizeGreaterThanOrEqualTo(24);
        DriverManager.getConnection(url, "postgres", password).close();
    }

    @Test
    void every_acknowledged_payment_survives_postgresql_killed_with_sigkill_right_after_the_burst() throws Exception {
        String admin = token("admin-1", "admin");
        String merchant = "m-durable-" + UUID.randomUUID().toString().substring(0, 8);
        expect(post("/v1/merchants", admin, "{\"merchantId\":\"" + merchant + "\",\"name\":\"Durable shop\","
                + "\"feeRateBasisPoints\":0}"), 201);
        List<String[]> payers = new ArrayList<>();
        for (int i = 0; i < PAYERS; i++) {
            String user = "payer-" + i + "-" + UUID.randomUUID().toString().substring(0, 6);
            String token = token(user, "user");
            String walletId = post("/v1/wallets", token, "{\"currency\":\"CNY\"}").json().get("walletId").asString();
            expect(post("/v1/wallets/" + walletId + "/top-ups", admin, "{\"bankReference\":\"bank-" + user
                    + "\",\"amount\":\"100.00\",\"currency\":\"CNY\"}"), 201);
            payers.add(new String[] {token, walletId});
        }

        // The burst: every payer pays in its own thread; each 201 is an acknowledged payment.
        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService burst = Executors.newFixedThreadPool(PAYERS)) {
            List<Future<?>> done = new ArrayList<>();
            for (String[] payer : payers) {
                done.add(burst.submit(() -> {
                    for (int n = 0; n < PAYMENTS_EACH; n++) {
                        Reply reply = post("/v1/payments", payer[0], "{\"merchantId\":\"" + merchant + "\",\"orderNumber\":\""
                                + payer[1] + "-" + n + "\",\"amount\":\"1.00\",\"currency\":\"CNY\",\"captureMode\":\"immediate\"}");
                        expect(reply, 201);
                        acknowledged.add(reply.json().get("paymentId").asString());
                    }
                    return null;
                }));
            }
            for (Future<?> each : done) {
                each.get();
            }
        }
        killPostgresWithSigkill();
        // The old handle only releases the library's lock on the data directory; its server is gone.
        app.getBean(DatabaseConfig.EmbeddedServer.class).postgres().close();
        restarted = DurableEmbeddedPostgres.start(dataDirectory, databasePort);

        assertThat(acknowledged).hasSize(PAYERS * PAYMENTS_EACH);
        try (Connection connection = DriverManager.getConnection(restarted.jdbcUrl(), restarted.user(), restarted.password());
             PreparedStatement query = connection.prepareStatement(
                     "SELECT COUNT(DISTINCT aggregate_identifier) FROM event_entry WHERE aggregate_identifier = ANY (?)")) {
            Array ids = connection.createArrayOf("varchar", acknowledged.toArray());
            query.setArray(1, ids);
            try (ResultSet count = query.executeQuery()) {
                count.next();
                assertThat(count.getInt(1)).as("acknowledged payments in the event store after the crash")
                        .isEqualTo(acknowledged.size());
            }
        }
        // The running ledger reconnects to the restarted server; its read models catch up.
        String finance = token("finance-1", "finance");
        Awaitility.await("every acknowledged payment readable as captured").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> acknowledged.stream().allMatch(id -> {
                    Reply payment = get("/v1/payments/" + id, finance);
                    return payment.status() == 200 && payment.json().get("status").asString().equals("captured")
                            && payment.json().get("captured").get("amount").asString().equals("1.00");
                }));
        for (String[] payer : payers) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                    get("/v1/wallets/" + payer[1], payer[0]).json().get("available").get("amount").asString()
                            .equals("75.00"));
        }
    }

    /** SIGKILL to the postmaster and every process it started, as a crash of the machine would stop them. */
    private void killPostgresWithSigkill() throws Exception {
        long pid = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).getFirst().strip());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        List<ProcessHandle> all = Stream.concat(Stream.of(postmaster), postmaster.descendants()).toList();
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : all) {
            process.onExit().get(10, TimeUnit.SECONDS);
        }
        assertThat(postmaster.isAlive()).isFalse();
    }

    private String token(String subject, String role) {
        Reply reply = post("/dev/tokens", null, JSON.writeValueAsString(Map.of("subject", subject, "roles", List.of(role))));
        expect(reply, 200);
        return reply.json().get("accessToken").asString();
    }

    private Reply post(String path, String token, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), token);
    }

    private Reply get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), token);
    }

    private Reply send(HttpRequest.Builder request, String token) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void expect(Reply reply, int status) {
        if (reply.status() != status) {
            throw new AssertionError("expected HTTP " + status + " but got " + reply);
        }
    }

    private static String show(Statement statement, String setting) throws SQLException {
        try (ResultSet result = statement.executeQuery("SHOW " + setting)) {
            result.next();
            return result.getString(1);
        }
    }

    private record Reply(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }
}
