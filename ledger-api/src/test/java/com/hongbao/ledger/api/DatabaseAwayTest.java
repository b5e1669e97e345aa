package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.support.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The database away: read-only, a connection killed under a request, the server stopped and
 * started again. A request that cannot be done answers 503 {@code service_unavailable} with
 * {@code Retry-After} at once (never 500, never after a 30 s wait for a connection), changes
 * nothing, and the same request succeeds shortly after the database is back. The episode is
 * logged once, with its cause, and no stack trace per request.
 *
 * <p>Each case runs a node of its own on a database of its own, as these faults would stop the
 * other tests' node.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseAwayTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String EPISODE_LOG = "database unavailable, answering 503 service_unavailable";

    @Test
    void a_read_only_database_is_503_with_retry_after_changes_nothing_and_writes_resume_when_it_is_writable(
            CapturedOutput output) throws Exception {
        TestDatabase.Server database = TestDatabase.another();
        String name = databaseName(database.url());
        try (Node node = Node.start(database.url(), database.user(), database.password())) {
            Shop shop = node.shop();
            long head = node.eventStoreHead();

            admin(database, "ALTER DATABASE " + name + " SET default_transaction_read_only = on");
            terminateBackends(database, name);
            List<String> orders = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                orders.add("ro-" + i);
                expectUnavailable(node.pay(shop, "ro-" + i));
            }
            expectUnavailable(node.topUp(shop, "bank-ro"));
            assertThat(node.eventStoreHead()).as("nothing appended while read-only").isEqualTo(head);

            // Writable again; the pooled sessions that were opened read-only are dropped as they refuse.
            admin(database, "ALTER DATABASE " + name + " SET default_transaction_read_only = off");
            long back = System.nanoTime();
            awaitPaid(node, shop, orders.getFirst());
            System.out.println("read-only: first payment 201 after " + millisSince(back) + " ms");
            assertThat(Duration.ofNanos(System.nanoTime() - back)).isLessThan(Duration.ofSeconds(10));
            for (String order : orders) {
                assertThat(node.pay(shop, order).statusCode()).isEqualTo(201);
            }
            endEpisode(node, shop);
        }
        assertLoggedOnceWithoutStackTraces(output);
    }

    @Test
    void a_connection_terminated_under_a_request_is_503_changes_nothing_and_the_retry_succeeds(
            CapturedOutput output) throws Exception {
        TestDatabase.Server database = TestDatabase.another();
        String name = databaseName(database.url());
        try (Node node = Node.start(database.url(), database.user(), database.password())) {
            Shop shop = node.shop();
            long head = node.eventStoreHead();

            CompletableFuture<HttpResponse<String>> payment;
            try (Connection locker = DriverManager.getConnection(database.url(), database.user(), database.password());
                 Statement statement = locker.createStatement()) {
                // Holds the payment's write in the database, so the termination lands while it waits.
                locker.setAutoCommit(false);
                statement.execute("LOCK TABLE event_entry IN ACCESS EXCLUSIVE MODE");
                ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()");
                pid.next();
                int lockerPid = pid.getInt(1);
                payment = node.payAsync(shop, "killed-1");
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                        count(database, "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '" + name
                                + "' AND wait_event_type = 'Lock'") > 0);
                count(database, "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '"
                        + name + "' AND pid <> " + lockerPid);
                locker.rollback();
            }
            expectUnavailable(payment.get(20, TimeUnit.SECONDS));
            assertThat(node.eventStoreHead()).as("nothing appended by the refused payment").isEqualTo(head);

            long back = System.nanoTime();
            awaitPaid(node, shop, "killed-1");
            System.out.println("terminated backends: payment 201 after " + millisSince(back) + " ms");
            // The target is 2 s (printed above, and measured by scripts/bench-faults.sh); a loaded test
            // machine gets room, so this guards against a pool that stays broken.
            assertThat(Duration.ofNanos(System.nanoTime() - back)).isLessThan(Duration.ofSeconds(10));
            endEpisode(node, shop);
        }
        assertLoggedOnceWithoutStackTraces(output);
    }

    @Test
    void a_stopped_server_is_503_within_seconds_and_service_resumes_shortly_after_it_restarts(CapturedOutput output)
            throws Exception {
        Path data = Files.createTempDirectory("ledger-db-away");
        int port = freePort();
        EmbeddedPostgres postgres = embedded(data, port);
        try (Node node = Node.start(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "")) {
            Shop shop = node.shop();

            postgres.close();
            List<String> orders = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                orders.add("down-" + i);
                long start = System.nanoTime();
                expectUnavailable(node.pay(shop, "down-" + i));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no long wait for a connection")
                        .isLessThan(Duration.ofSeconds(5));
            }

            postgres = embedded(data, port);
            long back = System.nanoTime();
            awaitPaid(node, shop, orders.getFirst());
            System.out.println("restart: first payment 201 after " + millisSince(back) + " ms");
            // Hikari retries a failed connection with a back-off of up to 5 s; the target is 2 s.
            assertThat(Duration.ofNanos(System.nanoTime() - back)).isLessThan(Duration.ofSeconds(10));
            for (String order : orders) {
                assertThat(node.pay(shop, order).statusCode()).isEqualTo(201);
            }
            // Each order paid once: the wallet is down by exactly the orders.
            node.awaitAvailable(shop, "96.00");
            endEpisode(node, shop);
        } finally {
            postgres.close();
            FileSystemUtils.deleteRecursively(data);
        }
        assertLoggedOnceWithoutStackTraces(output);
    }

    // ---- Helpers ----------------------------------------------------------------------------

    private static void expectUnavailable(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(response.body()).get("code").asString()).isEqualTo("service_unavailable");
    }

    private static void awaitPaid(Node node, Shop shop, String order) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> node.pay(shop, order).statusCode() == 201);
    }

    /**
     * A request answered after the quiet moment that ends an episode in the log (a token: it needs
     * no read model, which may still be catching up after the processors' own back-off).
     */
    private static void endEpisode(Node node, Shop shop) throws Exception {
        Thread.sleep(2_100);
        assertThat(node.token("{\"subject\":\"payer-1\",\"roles\":[\"user\"]}")).isNotBlank();
    }

    private static void assertLoggedOnceWithoutStackTraces(CapturedOutput output) {
        String log = output.getAll();
        assertThat(log.split(EPISODE_LOG, -1)).as("episodes logged").hasSize(2);
        assertThat(log).contains("database available again");
        assertThat(log).doesNotContain("unexpected failure").doesNotContain("internal_error");
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }

    private static String databaseName(String url) {
        int slash = url.lastIndexOf('/');
        int query = url.indexOf('?', slash);
        return url.substring(slash + 1, query < 0 ? url.length() : query);
    }

    private static void admin(TestDatabase.Server database, String sql) throws SQLException {
        TestDatabase.Server server = TestDatabase.get();
        try (Connection connection = DriverManager.getConnection(server.url(), server.user(), server.password());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void terminateBackends(TestDatabase.Server database, String name) throws SQLException {
        count(database, "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" + name
                + "' AND pid <> pg_backend_pid()");
    }

    private static long count(TestDatabase.Server database, String sql) throws SQLException {
        TestDatabase.Server server = TestDatabase.get();
        try (Connection connection = DriverManager.getConnection(server.url(), server.user(), server.password());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static EmbeddedPostgres embedded(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("fsync", "off").setServerConfig("synchronous_commit", "off").start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private record Shop(String merchant, String walletId, String userToken, String adminToken) {
    }

    /** A ledger node of its own, called over HTTP. */
    private static final class Node implements AutoCloseable {
        private final ConfigurableApplicationContext context;
        private final String base;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final String url;
        private final String user;
        private final String password;

        private Node(ConfigurableApplicationContext context, String url, String user, String password) {
            this.context = context;
            this.url = url;
            this.user = user;
            this.password = password;
            this.base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
        }

        static Node start(String url, String user, String password) {
            return new Node(new SpringApplicationBuilder(LedgerApplication.class)
                    .run("--server.port=0", "--ledger.db.url=" + url, "--ledger.db.user=" + user,
                            "--ledger.db.password=" + password, "--ledger.auth.dev-tokens=true",
                            "--ledger.payments.expiry-sweep-interval=PT1H",
                            "--ledger.red-packets.expiry-sweep-interval=PT1H",
                            "--ledger.platform.campaign-sweep-interval=PT1H",
                            "--ledger.bnpl.review-sweep-interval=PT1H", "--ledger.settlement.sweep-interval=PT1H",
                            "--spring.main.banner-mode=off", "--logging.level.org.axonframework=ERROR",
                            "--logging.level.org.springdoc=WARN", "--logging.level.com.zaxxer.hikari=ERROR"),
                    url, user, password);
        }

        /** A merchant, a user's wallet topped up with 100.00, and a first payment, all through the API. */
        Shop shop() throws Exception {
            String admin = token("{\"subject\":\"admin-1\",\"roles\":[\"admin\"]}");
            String user = token("{\"subject\":\"payer-1\",\"roles\":[\"user\"]}");
            expect(201, post("/v1/merchants", admin,
                    "{\"merchantId\":\"m_away\",\"name\":\"Shop\",\"feeRateBasisPoints\":60}"));
            HttpResponse<String> wallet = expect(201, post("/v1/wallets", user, "{\"currency\":\"CNY\"}"));
            Shop shop = new Shop("m_away", JSON.readTree(wallet.body()).get("walletId").asString(), user, admin);
            expect(201, topUp(shop, "bank-1"));
            expect(201, pay(shop, "first"));
            return shop;
        }

        HttpResponse<String> pay(Shop shop, String order) throws Exception {
            return post("/v1/payments", shop.userToken(), payment(shop, order));
        }

        CompletableFuture<HttpResponse<String>> payAsync(Shop shop, String order) {
            return http.sendAsync(request("/v1/payments", shop.userToken(), payment(shop, order)),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> topUp(Shop shop, String bankReference) throws Exception {
            return post("/v1/wallets/" + shop.walletId() + "/top-ups", shop.adminToken(),
                    "{\"bankReference\":\"" + bankReference + "\",\"amount\":\"100.00\",\"currency\":\"CNY\"}");
        }

        void awaitAvailable(Shop shop, String amount) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                HttpResponse<String> wallet = get("/v1/wallets/" + shop.walletId(), shop.userToken());
                JsonNode available = JSON.readTree(wallet.body()).get("available");
                return available != null && amount.equals(available.get("amount").asString());
            });
        }

        /** The event store's head, read on a connection of the test's own (the node's may have been killed). */
        long eventStoreHead() throws SQLException {
            try (Connection connection = DriverManager.getConnection(url, user, password);
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT COALESCE(MAX(global_index), -1) FROM event_entry")) {
                rows.next();
                return rows.getLong(1);
            }
        }

        private static String payment(Shop shop, String order) {
            return "{\"merchantId\":\"" + shop.merchant() + "\",\"orderNumber\":\"" + order
                    + "\",\"amount\":\"1.00\",\"currency\":\"CNY\"}";
        }

        String token(String request) throws Exception {
            return JSON.readTree(expect(200, post("/dev/tokens", null, request)).body()).get("accessToken").asString();
        }

        private HttpRequest request(String path, String token, String body) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            if (token != null) {
                builder.header("Authorization", "Bearer " + token);
            }
            return builder.build();
        }

        private HttpResponse<String> post(String path, String token, String body) throws Exception {
            return http.send(request(path, token, body), HttpResponse.BodyHandlers.ofString());
        }

        private HttpResponse<String> get(String path, String token) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        private static HttpResponse<String> expect(int status, HttpResponse<String> response) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
            return response;
        }

        @Override
        public void close() {
            context.close();
        }
    }
}
