package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.support.ApiTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Requests a careless or hostile client sends that are not about amounts: values of the wrong
 * JSON type, bytes a header may not carry, paths the firewall or Tomcat itself refuses, instants PostgreSQL cannot
 * store, tie-breakers with a NUL, unpaired surrogates, media types nothing here produces. Each is a
 * problem with a stable code, never a 500 or another body shape, and changes nothing.
 */
class HostileRequestTest extends ApiTest {

    @Test
    void a_value_of_another_json_type_is_never_coerced() {
        String admin = token("admin-1", "admin");
        String finance = token("fin-1", "finance");
        String merchant = onboardMerchant(60);
        UserWallet sender = openWallet();
        topUp(sender.walletId(), "100.00");
        LedgerState before = ledgerState("wallet:" + sender.walletId(), "merchant:" + merchant);

        for (String feeRate : new String[] {"100.7", "\"100\"", "1e2"}) {
            String merchantId = unique("m");
            expectProblem(post("/v1/merchants", admin, "{\"merchantId\":\"" + merchantId
                    + "\",\"name\":\"Shop\",\"feeRateBasisPoints\":" + feeRate + "}"), 400, "invalid_field_type");
            expectProblem(get("/v1/merchants/" + merchantId, admin), 404, "merchant_not_found");
        }
        for (String shares : new String[] {"2.9", "\"2\"", "true"}) {
            expectProblem(post("/v1/red-packets", sender.token(), "{\"kind\":\"group_fixed\",\"amount\":\"1.00\","
                            + "\"currency\":\"CNY\",\"shares\":" + shares + ",\"members\":[\"bob\",\"carol\",\"dave\"]}",
                    Map.of("Idempotency-Key", unique("k"))), 400, "invalid_field_type");
        }
        for (String held : new String[] {"\"false\"", "0", "1"}) {
            expectProblem(put("/v1/merchants/" + merchant + "/payout-hold", finance, "{\"held\":" + held + "}"), 400,
                    "invalid_field_type");
        }
        for (String orderNumber : new String[] {"12.5", "true"}) {
            expectProblem(post("/v1/payments", sender.token(), "{\"merchantId\":\"" + merchant + "\",\"orderNumber\":"
                    + orderNumber + ",\"amount\":\"1.00\",\"currency\":\"CNY\"}"), 400, "invalid_field_type");
        }
        assertThat(ledgerState("wallet:" + sender.walletId(), "merchant:" + merchant)).isEqualTo(before);
        // A whole number where a text belongs is read as its digits, as it always was.
        Response numbered = post("/v1/payments", sender.token(), "{\"merchantId\":\"" + merchant
                + "\",\"orderNumber\":12345,\"amount\":\"1.00\",\"currency\":\"CNY\"}");
        expectStatus(numbered, 201);
        assertThat(numbered.json().get("orderNumber").asString()).isEqualTo("12345");
    }

    @Test
    void a_header_with_a_byte_the_firewall_refuses_is_request_rejected_and_pays_nothing() throws IOException {
        String merchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "100.00");
        LedgerState before = ledgerState("wallet:" + payer.walletId(), "merchant:" + merchant);
        String body = "{\"merchantId\":\"" + merchant + "\",\"orderNumber\":\"" + unique("o")
                + "\",\"amount\":\"1.00\",\"currency\":\"CNY\"}";

        // "€" in UTF-8 is E2 82 AC; read as ISO-8859-1, 0x82 is a C1 control character.
        RawResponse key = raw("POST", "/v1/payments", payer.token(),
                Map.of("Idempotency-Key", "order-\u00e2\u0082\u00ac-1", "Content-Type", "application/json"), body);
        RawResponse contentType = raw("POST", "/v1/payments", payer.token(),
                Map.of("Content-Type", "application/json;x=\u00e2\u0082\u00ac"), body);

        key.expectProblem(400, "request_rejected");
        contentType.expectProblem(400, "request_rejected");
        assertThat(ledgerState("wallet:" + payer.walletId(), "merchant:" + merchant)).isEqualTo(before);
    }

    @Test
    void a_path_the_firewall_refuses_and_the_error_page_itself_answer_as_problems() throws IOException {
        UserWallet user = openWallet();

        raw("GET", "/v1/wallets/a;b", user.token(), Map.of(), null).expectProblem(400, "request_rejected");
        raw("GET", "/v1/wallets/a%25b", user.token(), Map.of(), null).expectProblem(400, "request_rejected");
        raw("GET", "/v1/wallets/a;b", user.token(), Map.of("Accept", "text/html"), null)
                .expectProblem(400, "request_rejected");
        expectProblem(get("/error", null), 404, "not_found");
        expectProblem(get("/error", user.token()), 404, "not_found");
        // Refused by the servlet container itself, answered through the error page.
        raw("TRACE", "/v1/payments", user.token(), Map.of(), null).expectProblem(405, "method_not_allowed");
        // Refused by Tomcat before any filter or servlet runs: its error report valve answers.
        for (String path : new String[] {"/v1/wallets/a%2Fb", "/v1/wallets/a%5Cb", "/v1/wallets/a%00b",
                "/v1/wallets/a%zzb", "/v1/wallets/%", "/v1/wallets/a\"b"}) {
            raw("GET", path, user.token(), Map.of(), null).expectProblem(400, "invalid_request");
        }
        raw("GET", "/v1/wallets/" + user.walletId(), user.token(), Map.of("Bad Header", "x"), null)
                .expectProblem(400, "invalid_request");
    }

    @Test
    void a_query_string_that_does_not_decode_is_an_invalid_parameter_not_a_failure() throws IOException {
        String finance = token("fin-1", "finance");
        UserWallet user = openWallet();

        for (String path : new String[] {"/v1/journal?currency=%ZZ", "/v1/finance/reports/monthly?month=%FF",
                "/v1/accounts/platform_fee_revenue:platform/balance?asOf=%", "/v1/bnpl/plans?status=%C0%AF",
                "/v1/journal?limit=5&%=1"}) {
            raw("GET", path, finance, Map.of(), null).expectProblem(400, "invalid_parameter");
        }
        raw("GET", "/v1/red-packets?role=sent&x=%ED%A0%80", user.token(), Map.of(), null)
                .expectProblem(400, "invalid_parameter");
        // A parameter of the wrong type or a missing one is named, in the API's words.
        Response notANumber = get("/v1/journal?limit=ten", finance);
        expectProblem(notANumber, 400, "invalid_parameter");
        assertThat(notANumber.json().get("detail").asString()).isEqualTo("parameter 'limit' must be a whole number");
        Response missing = get("/v1/finance/reports/monthly", finance);
        expectProblem(missing, 400, "invalid_parameter");
        assertThat(missing.json().get("detail").asString()).doesNotContain("java.");
    }

    @Test
    void a_media_type_nothing_here_produces_is_not_acceptable() throws IOException {
        String finance = token("fin-1", "finance");

        raw("GET", "/v1/trial-balance", finance, Map.of("Accept", "application/xml"), null)
                .expectProblem(406, "not_acceptable");
        raw("GET", "/v1/trial-balance", finance, Map.of("Accept", "text/html"), null)
                .expectProblem(406, "not_acceptable");
    }

    @Test
    void instants_outside_the_years_one_to_9999_and_inverted_ranges_are_invalid_parameters() {
        String finance = token("fin-1", "finance");

        for (String instant : new String[] {"%2B300000-01-01T00:00:00Z", "-5000-01-01T00:00:00Z",
                "%2B1000000000-12-31T23:59:59Z", "%2B10000-01-01T00:00:00Z"}) {
            expectProblem(get("/v1/journal?from=" + instant, finance), 400, "invalid_parameter");
            expectProblem(get("/v1/journal?to=" + instant, finance), 400, "invalid_parameter");
            expectProblem(get("/v1/accounts/platform_fee_revenue:platform/balance?asOf=" + instant, finance), 400,
                    "invalid_parameter");
        }
        expectProblem(get("/v1/journal?from=2026-11-23T00:00:00Z&to=2026-11-01T00:00:00Z", finance), 400,
                "invalid_parameter");
        expectStatus(get("/v1/journal?from=9999-12-31T23:59:59Z", finance), 200);
        expectStatus(get("/v1/journal?from=2026-11-01T00:00:00Z&to=2026-11-01T00:00:00Z", finance), 200);
    }

    @Test
    void campaign_dates_postgresql_cannot_store_are_refused_and_move_no_money() {
        String merchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "100.00");
        expectStatus(pay(payer, merchant, unique("o"), "50.00", "immediate"), 201);
        awaitProcessorsCaughtUp();
        LedgerState before = ledgerState("wallet:" + payer.walletId(), "merchant:" + merchant);

        for (String[] dates : new String[][] {{"+300000-01-01T00:00:00Z", "+300000-01-02T00:00:00Z"},
                {"+1000000000-12-30T00:00:00Z", "+1000000000-12-31T00:00:00Z"}}) {
            expectProblem(post("/v1/merchants/" + merchant + "/campaigns", merchantToken(merchant),
                    "{\"name\":\"far\",\"currency\":\"CNY\",\"budget\":\"1.00\",\"startsAt\":\"" + dates[0]
                            + "\",\"endsAt\":\"" + dates[1] + "\",\"perUserMaxCount\":1,\"perUserMaxAmount\":\"1.00\","
                            + "\"dailyMaxAmount\":\"1.00\",\"fixedAmount\":\"1.00\"}",
                    Map.of("Idempotency-Key", unique("k"))), 400, "invalid_parameter");
        }
        assertThat(ledgerState("wallet:" + payer.walletId(), "merchant:" + merchant)).isEqualTo(before);
    }

    @Test
    void a_nul_in_a_cursor_or_a_filter_never_reaches_a_query() {
        String finance = token("fin-1", "finance");
        String merchant = onboardMerchant(60);
        UserWallet user = openWallet();
        String nulTieBreaker = base64("1700000000000000.\0/1");
        String nulId = base64("1700000000000000.p_\0");

        expectProblem(get("/v1/wallets/" + user.walletId() + "/history?cursor=" + nulTieBreaker, user.token()), 400,
                "invalid_cursor");
        expectProblem(get("/v1/journal?cursor=" + nulTieBreaker, finance), 400, "invalid_cursor");
        expectProblem(get("/v1/merchants/" + merchant + "/payments?cursor=" + nulId, merchantToken(merchant)), 400,
                "invalid_cursor");
        expectProblem(get("/v1/red-packets?cursor=" + nulId, user.token()), 400, "invalid_cursor");
        expectProblem(get("/v1/bnpl/plans?cursor=" + nulId, user.token()), 400, "invalid_cursor");
        expectProblem(get("/v1/bnpl/plans?userId=%00", finance), 400, "invalid_parameter");
        expectProblem(get("/v1/journal?accountId=wallet:a%00b", finance), 400, "invalid_parameter");
    }

    @Test
    void a_lone_surrogate_in_free_text_is_an_invalid_request() {
        String merchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "100.00");
        LedgerState before = ledgerState("wallet:" + payer.walletId(), "merchant:" + merchant);

        for (String text : new String[] {"\\ud800", "x\\udc00", "\\udfff\\ud800"}) {
            expectProblem(post("/v1/payments", payer.token(), "{\"merchantId\":\"" + merchant + "\",\"orderNumber\":\""
                    + unique("o") + "\",\"amount\":\"1.00\",\"currency\":\"CNY\",\"description\":\"" + text + "\"}"),
                    400, "invalid_request");
        }
        assertThat(ledgerState("wallet:" + payer.walletId(), "merchant:" + merchant)).isEqualTo(before);
        // A well-formed pair (an emoji) is text like any other.
        expectStatus(post("/v1/payments", payer.token(), "{\"merchantId\":\"" + merchant + "\",\"orderNumber\":\""
                + unique("o") + "\",\"amount\":\"1.00\",\"currency\":\"CNY\",\"description\":\"\\ud83e\\udde7\"}"), 201);
    }

    @Test
    void a_zero_limit_is_checked_like_any_other_amount() {
        String finance = token("fin-1", "finance");
        String merchant = onboardMerchant(60);
        UserWallet buyer = openWallet();
        String negativeLimit = "/v1/merchants/" + merchant + "/negative-limit";
        String creditLine = "/v1/users/" + buyer.user() + "/credit-line";
        expectStatus(put(negativeLimit, finance, "{\"amount\":\"5.00\",\"currency\":\"CNY\"}"), 200);
        expectStatus(put(creditLine, finance, "{\"limit\":\"50.00\",\"currency\":\"CNY\",\"frozen\":false}"), 200);

        expectProblem(put(negativeLimit, finance, "{\"amount\":\"0.000000\",\"currency\":\"XYZ\"}"), 400,
                "unsupported_currency");
        expectProblem(put(negativeLimit, finance, "{\"amount\":\"0.000\",\"currency\":\"CNY\"}"), 400,
                "invalid_amount_precision");
        expectProblem(put(creditLine, finance, "{\"limit\":\"0.0000\",\"currency\":\"CNY\",\"frozen\":false}"), 400,
                "invalid_amount_precision");
        expectProblem(put(creditLine, finance, "{\"limit\":\"-0.01\",\"currency\":\"CNY\",\"frozen\":false}"), 400,
                "amount_not_positive");
        awaitProcessorsCaughtUp();
        assertThat(get("/v1/users/" + buyer.user() + "/credit-line", finance).body()).contains("\"50.00\"");

        expectStatus(put(negativeLimit, finance, "{\"amount\":\"0.00\",\"currency\":\"CNY\"}"), 200);
        expectStatus(put(creditLine, finance, "{\"limit\":0,\"currency\":\"CNY\",\"frozen\":false}"), 200);
        awaitProcessorsCaughtUp();
        assertThat(get("/v1/users/" + buyer.user() + "/credit-line", finance).body()).doesNotContain("\"50.00\"");
    }

    @Test
    void a_null_role_in_a_dev_token_request_is_an_invalid_request() {
        expectProblem(post("/dev/tokens", null, "{\"subject\":\"x\",\"roles\":[null]}"), 400, "invalid_request");
        expectProblem(post("/dev/tokens", null, "{\"subject\":\"x\",\"roles\":[\"user\",null]}"), 400, "invalid_request");
    }

    @Test
    void the_id_of_another_kind_of_aggregate_is_not_found_exactly_like_an_unknown_id() {
        String merchant = onboardMerchant(60);
        String shop = merchantToken(merchant);
        UserWallet someone = openWallet();
        String otherMerchant = onboardMerchant(60);

        for (String id : new String[] {someone.walletId(), otherMerchant}) {
            Response capture = post("/v1/payments/" + id + "/capture", shop, "{}");
            Response voided = post("/v1/payments/" + id + "/void", shop, "");
            Response issue = post("/v1/campaigns/" + id + "/packets", shop, "{\"userId\":\"" + someone.user() + "\"}",
                    Map.of("Idempotency-Key", unique("k")));
            expectProblem(capture, 404, "payment_not_found");
            assertThat(capture.json().get("detail").asString()).isEqualTo("no payment " + id);
            expectProblem(voided, 404, "payment_not_found");
            expectProblem(issue, 404, "campaign_not_found");
            assertThat(issue.json().get("detail").asString()).isEqualTo("no campaign " + id);
        }
        Response unknown = post("/v1/payments/p_unknown/capture", shop, "{}");
        expectProblem(unknown, 404, "payment_not_found");
        assertThat(unknown.json().get("detail").asString()).isEqualTo("no payment p_unknown");
    }

    // ---- Helpers ----------------------------------------------------------------------------

    private record RawResponse(int status, String contentType, String body) {
        void expectProblem(int expectedStatus, String code) {
            assertThat(status).as(body).isEqualTo(expectedStatus);
            assertThat(contentType).as(body).startsWith("application/problem+json");
            assertThat(body).contains("\"code\":\"" + code + "\"");
        }
    }

    /**
     * A request written byte for byte (ISO-8859-1) on a socket: the JDK's client refuses to send
     * the header bytes these cases are about.
     */
    private RawResponse raw(String method, String path, String token, Map<String, String> headers, String body)
            throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\nContent-Length: " + content.length + "\r\n");
        if (token != null) {
            request.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int headerEnd = response.indexOf("\r\n\r\n");
            String head = response.substring(0, headerEnd);
            String contentType = head.lines().filter(line -> line.toLowerCase().startsWith("content-type:"))
                    .map(line -> line.substring("content-type:".length()).trim()).findFirst().orElse("");
            String rest = response.substring(headerEnd + 4);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                rest = dechunk(rest);
            }
            return new RawResponse(status, contentType, rest);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static String base64(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }
}
