package com.hongbao.ledger.api.support;

import com.hongbao.ledger.api.LedgerApplication;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the HTTP integration tests: the whole application on a random port, on real
 * PostgreSQL ({@link TestDatabase}), called over HTTP with dev tokens. All test classes share one
 * application context and database, so each test uses fresh user and merchant ids.
 */
@SpringBootTest(classes = LedgerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"ledger.auth.dev-tokens=true", "ledger.payments.expiry-sweep-interval=PT1H",
                "ledger.red-packets.expiry-sweep-interval=PT1H", "ledger.platform.campaign-sweep-interval=PT1H", "ledger.bnpl.review-sweep-interval=PT1H", "ledger.settlement.sweep-interval=PT1H",
                "logging.level.org.axonframework=WARN", "logging.level.org.springdoc=WARN"})
@Import(ApiTest.TestClockConfig.class)
public abstract class ApiTest {

    private static final AtomicLong SEQUENCE = new AtomicLong();
    protected static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    protected int port;

    @Autowired
    protected MutableClock clock;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected EventProcessingConfiguration eventProcessing;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.Server server = TestDatabase.get();
        registry.add("ledger.db.url", server::url);
        registry.add("ledger.db.user", server::user);
        registry.add("ledger.db.password", server::password);
    }

    @TestConfiguration
    static class TestClockConfig {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock();
        }
    }

    /** A name no other test uses, e.g. {@code alice-17-3fa2}. */
    protected static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 4);
    }

    protected String token(String subject, String... roles) {
        return tokenFor(Map.of("subject", subject, "roles", List.of(roles)));
    }

    protected String merchantToken(String merchantId) {
        return tokenFor(Map.of("subject", "owner-of-" + merchantId, "roles", List.of("merchant"), "merchantId", merchantId));
    }

    private String tokenFor(Map<String, Object> request) {
        Response response = post("/dev/tokens", null, JSON.writeValueAsString(request));
        if (response.status() != 200) {
            throw new IllegalStateException("token request failed: " + response);
        }
        return response.json().get("accessToken").asString();
    }

    protected Response get(String path, String token) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), token, Map.of());
    }

    protected Response post(String path, String token, String body) {
        return post(path, token, body, Map.of());
    }

    protected Response post(String path, String token, String body, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), token, headers);
    }

    protected Response put(String path, String token, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)), token, Map.of());
    }

    private Response send(HttpRequest.Builder builder, String token, Map<String, String> headers) {
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        headers.forEach(builder::header);
        try {
            HttpResponse<String> response = HTTP.send(builder.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /**
     * Waits until every streaming processor works on all its segments and has handled every
     * committed event. A processor's position
     * is the highest index it has seen, and an event whose transaction committed after later ones
     * is still a gap of the token, to be handled only on a later fetch; such an event, once
     * committed, counts as not yet handled. (Gaps left by rolled-back transactions never fill.)
     */
    protected void awaitProcessorsCaughtUp() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(this::processorsCaughtUpAndStill);
    }

    /**
     * Caught up, and still caught up a moment later at the same head: an event handler that sends
     * a command (a red-packet credit, a hold release) appends its event in the handler's own
     * transaction, which may commit just after a processor reported its position.
     */
    private boolean processorsCaughtUpAndStill() throws InterruptedException {
        Long head = processorsCaughtUp();
        if (head == null) {
            return false;
        }
        Thread.sleep(25);
        return head.equals(processorsCaughtUp());
    }

    /** The head of the event store if every processor has handled it, null otherwise. */
    private Long processorsCaughtUp() {
        long head = jdbc.queryForObject("SELECT COALESCE(MAX(global_index), -1) FROM event_entry", Long.class);
        Set<Long> gaps = new TreeSet<>();
        for (EventProcessor processor : eventProcessing.eventProcessors().values()) {
            if (!(processor instanceof StreamingEventProcessor streaming)) {
                continue;
            }
            int segments = jdbc.queryForObject("SELECT COUNT(*) FROM token_entry WHERE processor_name = ?",
                    Integer.class, processor.getName());
            Map<Integer, EventTrackerStatus> statuses = streaming.processingStatus();
            if (statuses.isEmpty() || statuses.size() < segments) {
                return null;
            }
            for (EventTrackerStatus status : statuses.values()) {
                if (status.getCurrentPosition().orElse(-1) < head) {
                    return null;
                }
                WrappedToken.unwrap(status.getTrackingToken(), GapAwareTrackingToken.class)
                        .ifPresent(token -> gaps.addAll(token.getGaps()));
            }
        }
        if (gaps.isEmpty()) {
            return head;
        }
        String list = gaps.stream().map(String::valueOf).collect(Collectors.joining(","));
        return jdbc.queryForObject("SELECT COUNT(*) FROM event_entry WHERE global_index IN (" + list + ")",
                Long.class) == 0 ? head : null;
    }

    // ---- Domain shortcuts -------------------------------------------------------------------

    /** Onboards a merchant (as an admin) and returns its id. */
    protected String onboardMerchant(int feeRateBasisPoints) {
        String merchantId = unique("m");
        Response response = post("/v1/merchants", token("admin-1", "admin"), JSON.writeValueAsString(
                Map.of("merchantId", merchantId, "name", "Shop " + merchantId, "feeRateBasisPoints", feeRateBasisPoints)));
        expectStatus(response, 201);
        return merchantId;
    }

    /** Opens a CNY wallet for a new user and returns (user token, wallet id). */
    protected UserWallet openWallet() {
        String user = unique("u");
        String token = token(user, "user");
        Response response = post("/v1/wallets", token, "{\"currency\":\"CNY\"}");
        expectStatus(response, 201);
        return new UserWallet(user, token, response.json().get("walletId").asString());
    }

    /** Tops a wallet up from a bank (as an admin) with a fresh bank reference. */
    protected void topUp(String walletId, String amount) {
        Response response = post("/v1/wallets/" + walletId + "/top-ups", token("admin-1", "admin"),
                "{\"bankReference\":\"" + unique("bank") + "\",\"amount\":\"" + amount + "\",\"currency\":\"CNY\"}");
        expectStatus(response, 201);
    }

    protected Response pay(UserWallet payer, String merchantId, String orderNumber, String amount, String captureMode) {
        return post("/v1/payments", payer.token(), "{\"merchantId\":\"" + merchantId + "\",\"orderNumber\":\""
                + orderNumber + "\",\"amount\":\"" + amount + "\",\"currency\":\"CNY\",\"captureMode\":\"" + captureMode + "\"}");
    }

    protected static void expectStatus(Response response, int status) {
        if (response.status() != status) {
            throw new AssertionError("expected HTTP " + status + " but got " + response);
        }
    }

    /**
     * Fails unless the response is an RFC 9457 problem with this HTTP status and stable code (the
     * body's own {@code status} agreeing).
     */
    protected static void expectProblem(Response response, int status, String code) {
        if (response.status() != status || !code.equals(problemCode(response))
                || !String.valueOf(status).equals(String.valueOf(problemStatus(response)))) {
            throw new AssertionError("expected problem " + status + " " + code + " but got " + response);
        }
    }

    private static String problemCode(Response response) {
        try {
            return response.code();
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    private static Integer problemStatus(Response response) {
        try {
            JsonNode status = response.json().get("status");
            return status == null ? null : status.asInt();
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    /**
     * What a refused request must leave as it was, read once the processors have caught up: the
     * event store's head, the postings and balance of each given account (e.g. {@code wallet:w_1})
     * and the trial balance. Two states are equal exactly when nothing was recorded in between.
     */
    protected LedgerState ledgerState(String... accountIds) {
        awaitProcessorsCaughtUp();
        String finance = token("ledger-state-observer", "finance");
        Long head = jdbc.queryForObject("SELECT COALESCE(MAX(global_index), -1) FROM event_entry", Long.class);
        List<String> accounts = new ArrayList<>();
        for (String accountId : accountIds) {
            String encoded = URLEncoder.encode(accountId, StandardCharsets.UTF_8);
            Response journal = get("/v1/journal?limit=200&accountId=" + encoded, finance);
            Response balance = get("/v1/accounts/" + encoded + "/balance", finance);
            accounts.add(accountId + " journal " + journal + " balance " + balance);
        }
        return new LedgerState(head, accounts, get("/v1/trial-balance", finance).toString());
    }

    public record LedgerState(long eventStoreHead, List<String> accounts, String trialBalance) {
    }

    public record UserWallet(String user, String token, String walletId) {
    }

    public record Response(int status, String body) {
        public JsonNode json() {
            return JSON.readTree(body);
        }

        /** The stable error code of a problem response. */
        public String code() {
            JsonNode code = json().get("code");
            return code == null ? null : code.asString();
        }
    }

    protected Clock clock() {
        return clock;
    }
}
