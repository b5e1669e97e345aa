package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.support.ApiTest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Who may do what: every endpoint but health, the API docs and dev tokens wants a valid bearer
 * token; roles gate operations; and what belongs to someone else answers exactly like what does
 * not exist, so ids cannot be probed.
 */
class SecurityTest extends ApiTest {

    @Test
    void a_request_without_a_token_is_unauthorized_with_a_problem_and_changes_nothing() throws Exception {
        UserWallet owner = funded("10.00");
        String merchantId = unique("m");
        LedgerState before = ledgerState(wallet(owner));

        expectProblem(get("/v1/wallets/" + owner.walletId(), null), 401, "unauthorized");
        expectProblem(get("/v1/trial-balance", null), 401, "unauthorized");
        expectProblem(get("/v1/journal", null), 401, "unauthorized");
        expectProblem(post("/v1/wallets/" + owner.walletId() + "/top-ups", null,
                "{\"bankReference\":\"" + unique("bank") + "\",\"amount\":\"5.00\",\"currency\":\"CNY\"}"), 401,
                "unauthorized");
        expectProblem(post("/v1/merchants", null, onboarding(merchantId)), 401, "unauthorized");
        // A stateless API has no logout page to redirect to.
        expectProblem(post("/logout", null, ""), 401, "unauthorized");
        Response problem = get("/v1/wallets/" + owner.walletId(), null);
        assertThat(problem.json().get("type").asString()).endsWith("/unauthorized");
        assertThat(problem.json().get("status").asInt()).isEqualTo(401);
        assertThat(contentTypeWithoutToken("/v1/wallets/" + owner.walletId())).startsWith("application/problem+json");

        expectProblem(get("/v1/merchants/" + merchantId, admin()), 404, "merchant_not_found");
        assertThat(ledgerState(wallet(owner))).isEqualTo(before);
    }

    @Test
    void a_token_that_is_not_a_jwt_is_unauthorized() {
        UserWallet owner = funded("10.00");
        LedgerState before = ledgerState(wallet(owner));

        for (String token : new String[] {"garbage", "a.b.c", owner.token() + "x", "Bearer " + owner.token()}) {
            expectProblem(get("/v1/wallets/" + owner.walletId(), token), 401, "unauthorized");
        }
        expectProblem(post("/v1/wallets/" + owner.walletId() + "/withdrawals", "not-a-token",
                "{\"bankAccountToken\":\"acct-1\",\"amount\":\"5.00\",\"currency\":\"CNY\"}",
                Map.of("Idempotency-Key", unique("k"))), 401, "unauthorized");
        assertThat(ledgerState(wallet(owner))).isEqualTo(before);
    }

    @Test
    void a_token_signed_with_another_key_is_unauthorized_even_when_it_claims_every_role() throws Exception {
        UserWallet owner = funded("10.00");
        String merchantId = unique("m");
        LedgerState before = ledgerState(wallet(owner));
        String forged = forgedToken(owner.user(), List.of("user", "merchant", "finance", "admin"));

        expectProblem(get("/v1/trial-balance", forged), 401, "unauthorized");
        expectProblem(get("/v1/wallets/" + owner.walletId(), forged), 401, "unauthorized");
        expectProblem(post("/v1/merchants", forged, onboarding(merchantId)), 401, "unauthorized");
        expectProblem(post("/v1/wallets/" + owner.walletId() + "/withdrawals", forged,
                "{\"bankAccountToken\":\"acct-1\",\"amount\":\"5.00\",\"currency\":\"CNY\"}",
                Map.of("Idempotency-Key", unique("k"))), 401, "unauthorized");

        expectProblem(get("/v1/merchants/" + merchantId, admin()), 404, "merchant_not_found");
        assertThat(ledgerState(wallet(owner))).isEqualTo(before);
    }

    @Test
    void a_genuine_token_whose_roles_were_edited_after_signing_is_unauthorized() {
        UserWallet owner = funded("10.00");
        LedgerState before = ledgerState(wallet(owner));
        String[] parts = owner.token().split("\\.");
        Base64.Decoder decoder = Base64.getUrlDecoder();
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        String claims = new String(decoder.decode(parts[1]), StandardCharsets.UTF_8);
        assertThat(claims).contains("\"user\"");
        String elevated = encoder.encodeToString(claims.replace("\"user\"", "\"finance\"").getBytes(StandardCharsets.UTF_8));
        String tampered = parts[0] + "." + elevated + "." + parts[2];
        String unsigned = encoder.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + elevated + ".";

        expectProblem(get("/v1/trial-balance", tampered), 401, "unauthorized");
        expectProblem(get("/v1/trial-balance", unsigned), 401, "unauthorized");
        assertThat(ledgerState(wallet(owner))).isEqualTo(before);
    }

    @Test
    void users_merchants_and_admins_may_not_read_the_finance_endpoints() {
        UserWallet owner = funded("10.00");
        String merchant = onboardMerchant(60);
        LedgerState before = ledgerState(wallet(owner));

        for (String token : List.of(owner.token(), merchantToken(merchant), admin())) {
            expectProblem(get("/v1/trial-balance", token), 403, "forbidden");
            expectProblem(get("/v1/journal", token), 403, "forbidden");
            expectProblem(get("/v1/journal?accountId=" + wallet(owner), token), 403, "forbidden");
            expectProblem(get("/v1/accounts/" + wallet(owner) + "/balance", token), 403, "forbidden");
        }
        expectStatus(get("/v1/trial-balance", token("fin", "finance")), 200);
        assertThat(ledgerState(wallet(owner))).isEqualTo(before);
    }

    @Test
    void merchants_and_users_may_not_onboard_merchants() {
        String merchant = onboardMerchant(60);
        String newMerchant = unique("m");
        LedgerState before = ledgerState("merchant:" + merchant);

        expectProblem(post("/v1/merchants", merchantToken(merchant), onboarding(newMerchant)), 403, "forbidden");
        expectProblem(post("/v1/merchants", token(unique("u"), "user"), onboarding(newMerchant)), 403, "forbidden");
        expectProblem(post("/v1/merchants", token("fin", "finance"), onboarding(newMerchant)), 403, "forbidden");

        expectProblem(get("/v1/merchants/" + newMerchant, admin()), 404, "merchant_not_found");
        assertThat(ledgerState("merchant:" + merchant)).isEqualTo(before);
    }

    @Test
    void only_admins_may_top_up_and_only_users_may_pay() {
        UserWallet owner = funded("10.00");
        String merchant = onboardMerchant(60);
        LedgerState before = ledgerState(wallet(owner), "merchant:" + merchant);
        String topUp = "{\"bankReference\":\"" + unique("bank") + "\",\"amount\":\"5.00\",\"currency\":\"CNY\"}";

        expectProblem(post("/v1/wallets/" + owner.walletId() + "/top-ups", owner.token(), topUp), 403, "forbidden");
        expectProblem(post("/v1/wallets/" + owner.walletId() + "/top-ups", token("fin", "finance"), topUp), 403,
                "forbidden");
        expectProblem(post("/v1/payments", merchantToken(merchant), "{\"merchantId\":\"" + merchant
                + "\",\"orderNumber\":\"o-1\",\"amount\":\"1.00\",\"currency\":\"CNY\"}"), 403, "forbidden");

        assertThat(ledgerState(wallet(owner), "merchant:" + merchant)).isEqualTo(before);
    }

    @Test
    void health_the_api_docs_and_swagger_ui_are_open_without_a_token() {
        Response health = get("/actuator/health", null);
        expectStatus(health, 200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        Response docs = get("/v3/api-docs", null);
        expectStatus(docs, 200);
        assertThat(docs.json().get("paths").has("/v1/payments")).isTrue();
        // The grab endpoint answers asynchronously (declared as Object); its documented 200 body is still the share.
        assertThat(docs.json().at("/paths/~1v1~1red-packets~1{packetId}~1grab/post/responses/200/content/application~1json/schema/$ref")
                .asString()).endsWith("/GrabResponse");
        expectStatus(get("/swagger-ui/index.html", null), 200);
    }

    @Test
    void metrics_are_for_finance_and_admins_only() {
        expectProblem(get("/actuator/metrics", null), 401, "unauthorized");
        expectProblem(get("/actuator/metrics", token(unique("u"), "user")), 403, "forbidden");
        expectProblem(get("/actuator/metrics", merchantToken(unique("m"))), 403, "forbidden");
        expectProblem(get("/actuator/prometheus", token(unique("u"), "user")), 403, "forbidden");
        expectStatus(get("/actuator/metrics", token("fin", "finance")), 200);
        expectStatus(get("/actuator/metrics", admin()), 200);
        Response prometheus = get("/actuator/prometheus", token("fin", "finance"));
        expectStatus(prometheus, 200);
        org.assertj.core.api.Assertions.assertThat(prometheus.body()).contains("hikaricp_connections");
    }

    @Test
    void a_user_reading_another_users_wallet_gets_the_same_not_found_as_for_a_wallet_that_does_not_exist() {
        UserWallet alice = funded("10.00");
        UserWallet bob = funded("20.00");
        String missing = "w_" + UUID.randomUUID().toString().replace("-", "");
        awaitProcessorsCaughtUp();

        Response bobsWallet = get("/v1/wallets/" + bob.walletId(), alice.token());
        Response noWallet = get("/v1/wallets/" + missing, alice.token());
        Response bobsHistory = get("/v1/wallets/" + bob.walletId() + "/history", alice.token());
        Response noHistory = get("/v1/wallets/" + missing + "/history", alice.token());

        expectProblem(bobsWallet, 404, "wallet_not_found");
        assertThat(anonymised(bobsWallet, bob.walletId())).isEqualTo(anonymised(noWallet, missing));
        expectProblem(bobsHistory, 404, "wallet_not_found");
        assertThat(anonymised(bobsHistory, bob.walletId())).isEqualTo(anonymised(noHistory, missing));
        assertThat(bobsWallet.body()).doesNotContain("20.00").doesNotContain(bob.user());
        expectStatus(get("/v1/wallets/" + bob.walletId(), bob.token()), 200);
    }

    @Test
    void a_user_withdrawing_from_another_users_wallet_gets_not_found_and_moves_no_money() {
        UserWallet alice = funded("10.00");
        UserWallet bob = funded("20.00");
        String missing = "w_" + UUID.randomUUID().toString().replace("-", "");
        LedgerState before = ledgerState(wallet(alice), wallet(bob));
        String body = "{\"bankAccountToken\":\"acct-1\",\"amount\":\"5.00\",\"currency\":\"CNY\"}";

        Response fromBob = post("/v1/wallets/" + bob.walletId() + "/withdrawals", alice.token(), body,
                Map.of("Idempotency-Key", unique("k")));
        Response fromNowhere = post("/v1/wallets/" + missing + "/withdrawals", alice.token(), body,
                Map.of("Idempotency-Key", unique("k")));
        Response withoutKey = post("/v1/wallets/" + bob.walletId() + "/withdrawals", alice.token(), body);

        expectProblem(fromBob, 404, "wallet_not_found");
        assertThat(anonymised(fromBob, bob.walletId())).isEqualTo(anonymised(fromNowhere, missing));
        expectProblem(withoutKey, 404, "wallet_not_found");
        assertThat(ledgerState(wallet(alice), wallet(bob))).isEqualTo(before);
    }

    @Test
    void a_merchant_reading_another_merchant_gets_the_same_not_found_as_for_a_merchant_that_does_not_exist() {
        String x = onboardMerchant(60);
        String y = onboardMerchant(80);
        String missing = unique("m");
        String asX = merchantToken(x);
        awaitProcessorsCaughtUp();

        for (String suffix : new String[] {"", "/history", "/payments"}) {
            Response ofY = get("/v1/merchants/" + y + suffix, asX);
            Response ofNobody = get("/v1/merchants/" + missing + suffix, asX);
            expectProblem(ofY, 404, "merchant_not_found");
            assertThat(anonymised(ofY, y)).as("GET /v1/merchants/{id}" + suffix).isEqualTo(anonymised(ofNobody, missing));
            assertThat(ofY.body()).doesNotContain("Shop");
        }
        expectStatus(get("/v1/merchants/" + y, merchantToken(y)), 200);
    }

    @Test
    void a_merchant_capturing_or_voiding_another_merchants_payment_gets_not_found_and_nothing_changes() {
        String x = onboardMerchant(60);
        String y = onboardMerchant(60);
        UserWallet payer = funded("50.00");
        Response authorised = pay(payer, y, "order-1", "30.00", "manual");
        expectStatus(authorised, 201);
        String paymentId = authorised.json().get("paymentId").asString();
        String missing = "p_" + UUID.randomUUID().toString().replace("-", "");
        LedgerState before = ledgerState(wallet(payer), "merchant:" + x, "merchant:" + y, "payment_clearing:platform");
        Response paymentBefore = get("/v1/payments/" + paymentId, merchantToken(y));
        Response walletBefore = get("/v1/wallets/" + payer.walletId(), payer.token());

        Response capture = post("/v1/payments/" + paymentId + "/capture", merchantToken(x), "{}");
        Response captureNothing = post("/v1/payments/" + missing + "/capture", merchantToken(x), "{}");
        Response voided = post("/v1/payments/" + paymentId + "/void", merchantToken(x), "");
        Response voidNothing = post("/v1/payments/" + missing + "/void", merchantToken(x), "");

        expectProblem(capture, 404, "payment_not_found");
        assertThat(anonymised(capture, paymentId)).isEqualTo(anonymised(captureNothing, missing));
        expectProblem(voided, 404, "payment_not_found");
        assertThat(anonymised(voided, paymentId)).isEqualTo(anonymised(voidNothing, missing));
        assertThat(ledgerState(wallet(payer), "merchant:" + x, "merchant:" + y, "payment_clearing:platform"))
                .isEqualTo(before);
        Response paymentAfter = get("/v1/payments/" + paymentId, merchantToken(y));
        assertThat(paymentAfter).isEqualTo(paymentBefore);
        assertThat(paymentAfter.json().get("status").asString()).isEqualTo("authorised");
        assertThat(get("/v1/wallets/" + payer.walletId(), payer.token())).isEqualTo(walletBefore);
    }

    @Test
    void a_user_or_merchant_reading_someone_elses_payment_gets_the_same_not_found_as_for_no_payment() {
        String merchant = onboardMerchant(60);
        String otherMerchant = onboardMerchant(60);
        UserWallet payer = funded("50.00");
        UserWallet stranger = funded("1.00");
        Response paid = pay(payer, merchant, "order-1", "12.00", "immediate");
        expectStatus(paid, 201);
        String paymentId = paid.json().get("paymentId").asString();
        String missing = "p_" + UUID.randomUUID().toString().replace("-", "");
        awaitProcessorsCaughtUp();

        for (String token : List.of(stranger.token(), merchantToken(otherMerchant))) {
            Response someoneElses = get("/v1/payments/" + paymentId, token);
            Response nobodys = get("/v1/payments/" + missing, token);
            expectProblem(someoneElses, 404, "payment_not_found");
            assertThat(anonymised(someoneElses, paymentId)).isEqualTo(anonymised(nobodys, missing));
            assertThat(someoneElses.body()).doesNotContain("12.00");
        }
        expectStatus(get("/v1/payments/" + paymentId, payer.token()), 200);
        expectStatus(get("/v1/payments/" + paymentId, merchantToken(merchant)), 200);
        expectStatus(get("/v1/payments/" + paymentId, token("fin", "finance")), 200);
    }

    // ---- Helpers ----------------------------------------------------------------------------

    /**
     * The problem body without what must differ between two requests for different ids: the
     * {@code instance} (the request path) and the requested id itself wherever the body echoes it.
     */
    private static JsonNode anonymised(Response response, String requestedId) {
        ObjectNode body = (ObjectNode) JSON.readTree(response.body().replace(requestedId, "{id}"));
        body.remove("instance");
        return body;
    }

    private UserWallet funded(String amount) {
        UserWallet wallet = openWallet();
        topUp(wallet.walletId(), amount);
        return wallet;
    }

    private String admin() {
        return token("admin-1", "admin");
    }

    private static String wallet(UserWallet wallet) {
        return "wallet:" + wallet.walletId();
    }

    private static String onboarding(String merchantId) {
        return "{\"merchantId\":\"" + merchantId + "\",\"name\":\"Shop\",\"feeRateBasisPoints\":60}";
    }

    private String contentTypeWithoutToken(String path) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<Void> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.headers().firstValue("Content-Type").orElse("");
        }
    }

    /** A well-formed RS256 token like the dev tokens, but signed with a key the service never saw. */
    private static String forgedToken(String subject, List<String> roles) throws NoSuchAlgorithmException, JOSEException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var pair = generator.generateKeyPair();
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("ledger-dev").subject(subject)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)))
                .claim("roles", roles).claim("merchant_id", "m-forged").build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("ledger-dev").build(), claims);
        jwt.sign(new RSASSASigner(pair.getPrivate()));
        return jwt.serialize();
    }
}
