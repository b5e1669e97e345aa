package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.support.LedgerApiTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.common.Registration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The smaller things a hostile client tries: media types that are wildcards or unknown, a method
 * nothing here serves, bytes that are not UTF-8, a response type nothing here should write, two
 * tokens, and ids that are not there. Each is a problem with a stable code, changes nothing, and
 * costs the log at most a line; what is someone else's answers exactly as what does not exist,
 * by the same path.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileDetailsTest extends LedgerApiTest {

    @Autowired
    private CommandBus commandBus;

    @Test
    void a_wildcard_or_unknown_content_type_on_a_json_post_is_unsupported_media_type_and_pays_nothing()
            throws IOException {
        String merchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "100.00");
        LedgerState before = ledgerState("wallet:" + payer.walletId(), "merchant:" + merchant);

        for (String type : new String[] {"*/*", "application/*", "application/*+json", "text/*", "application/yaml",
                "application/x-unknown", "text/plain", "application/xml", "application/cbor"}) {
            raw("POST", "/v1/payments", payer.token(), Map.of("Content-Type", type),
                    payment(merchant, unique("o"), "1.00").getBytes(StandardCharsets.UTF_8))
                    .expectProblem(415, "unsupported_media_type");
        }
        assertThat(ledgerState("wallet:" + payer.walletId(), "merchant:" + merchant)).isEqualTo(before);
        // JSON by its own name, with a charset or as a +json type, is still JSON.
        for (String type : new String[] {"application/json", "application/json;charset=UTF-8"}) {
            assertThat(raw("POST", "/v1/payments", payer.token(), Map.of("Content-Type", type),
                    payment(merchant, unique("o"), "1.00").getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(201);
        }
    }

    @Test
    void connect_is_method_not_allowed() throws IOException {
        UserWallet user = openWallet();

        raw("CONNECT", "/v1/payments", user.token(), Map.of(), null).expectProblem(405, "method_not_allowed");
        raw("CONNECT", "/v1/wallets/" + user.walletId(), null, Map.of(), null).expectProblem(405, "method_not_allowed");
    }

    @Test
    void invalid_or_overlong_utf8_in_a_json_body_is_malformed_json_and_pays_nothing() throws IOException {
        String merchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "100.00");
        LedgerState before = ledgerState("wallet:" + payer.walletId(), "merchant:" + merchant);

        List<byte[]> bodies = new ArrayList<>();
        // "1" written in two bytes (C0 B1): overlong, so not UTF-8; decoded, it would be "1.00".
        bodies.add(bytes(payment(merchant, unique("o"), "@.00"), "@", new byte[] {(byte) 0xC0, (byte) 0xB1}));
        // "e" written in two bytes (C1 A5): the merchant id would read as the real one.
        String id = merchant.replaceFirst("e", "@");
        if (!id.equals(merchant)) {
            bodies.add(bytes(payment(id, unique("o"), "1.00"), "@", new byte[] {(byte) 0xC1, (byte) 0xA5}));
        }
        // A surrogate written as UTF-8, a byte that never occurs in UTF-8, a sequence cut short, and
        // "/" in three bytes.
        bodies.add(bytes(payment(merchant, "o-@", "1.00"), "@", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
        bodies.add(bytes(payment(merchant, "o-@", "1.00"), "@", new byte[] {(byte) 0xFF}));
        bodies.add(bytes(payment(merchant, "o-@", "1.00"), "@", new byte[] {(byte) 0xE4, (byte) 0xB8}));
        bodies.add(bytes(payment(merchant, "o-@", "1.00"), "@", new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}));
        for (byte[] body : bodies) {
            raw("POST", "/v1/payments", payer.token(), Map.of("Content-Type", "application/json"), body)
                    .expectProblem(400, "malformed_json");
            raw("POST", "/v1/payments", payer.token(), Map.of("Content-Type", "application/json",
                    "Transfer-Encoding", "chunked"), body).expectProblem(400, "malformed_json");
        }
        assertThat(ledgerState("wallet:" + payer.walletId(), "merchant:" + merchant)).isEqualTo(before);
        // Real multi-byte characters are text like any other.
        expectStatus(post("/v1/payments", payer.token(), "{\"merchantId\":\"" + merchant + "\",\"orderNumber\":\""
                + unique("o") + "\",\"amount\":\"1.00\",\"currency\":\"CNY\",\"description\":\"红包 \uD83E\uDDE7\"}"), 201);
    }

    @Test
    void only_json_and_problems_are_written_any_other_accepted_type_is_not_acceptable() throws IOException {
        String finance = finance();
        UserWallet user = openWallet();
        awaitProcessorsCaughtUp();

        for (String accept : new String[] {"application/yaml", "application/x-yaml", "text/yaml", "application/cbor",
                "application/x-jackson-smile", "application/xml", "text/plain"}) {
            raw("GET", "/v1/trial-balance", finance, Map.of("Accept", accept), null)
                    .expectProblem(406, "not_acceptable");
            raw("GET", "/v1/wallets/" + user.walletId(), user.token(), Map.of("Accept", accept), null)
                    .expectProblem(406, "not_acceptable");
        }
        RawResponse json = raw("GET", "/v1/trial-balance", finance, Map.of("Accept", "application/json"), null);
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.contentType()).startsWith("application/json");
        assertThat(raw("GET", "/v1/trial-balance", finance, Map.of("Accept", "*/*"), null).contentType())
                .startsWith("application/json");
    }

    @Test
    void two_authorization_headers_are_a_bad_request_whichever_is_valid() throws IOException {
        UserWallet user = openWallet();
        awaitProcessorsCaughtUp();
        String path = "/v1/wallets/" + user.walletId();

        for (String second : new String[] {"Bearer " + user.token(), "Bearer not-a-token", "Basic dXNlcjpwYXNz"}) {
            RawResponse twice = rawHeaders("GET", path, List.of("Authorization: Bearer " + user.token(),
                    "Authorization: " + second), null);
            twice.expectProblem(400, "invalid_request");
        }
        assertThat(rawHeaders("GET", path, List.of("Authorization: Bearer " + user.token()), null).status())
                .isEqualTo(200);
    }

    @Test
    void a_post_on_an_unknown_id_logs_at_most_a_line_and_no_stack_trace(CapturedOutput output) {
        String merchant = onboardMerchant(60);
        String shop = merchantToken(merchant);
        UserWallet user = openWallet();
        String missing = "p_" + UUID.randomUUID().toString().replace("-", "");
        int logged = output.getAll().length();

        expectProblem(post("/v1/payments/" + missing + "/refunds", shop,
                "{\"refundNumber\":\"r-1\",\"amount\":\"1.00\",\"currency\":\"CNY\"}"), 404, "payment_not_found");
        expectProblem(post("/v1/payments/" + missing + "/capture", shop, "{}"), 404, "payment_not_found");
        expectProblem(post("/v1/payments/" + missing + "/void", shop, ""), 404, "payment_not_found");
        expectProblem(post("/v1/bnpl/plans/" + missing + "/repayments", user.token(),
                "{\"amount\":\"1.00\",\"currency\":\"CNY\"}", Map.of("Idempotency-Key", unique("k"))), 404,
                "plan_not_found");
        expectProblem(post("/v1/red-packets/" + missing + "/grab", user.token(), ""), 404, "packet_not_found");
        expectProblem(post("/v1/campaigns/" + missing + "/packets", shop, "{\"userId\":\"" + user.user() + "\"}",
                Map.of("Idempotency-Key", unique("k"))), 404, "campaign_not_found");

        String log = output.getAll().substring(logged);
        assertThat(log).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(log.lines().filter(line -> line.contains(missing)).count()).isLessThanOrEqualTo(6);
    }

    @Test
    void someone_elses_payment_or_plan_is_refused_by_the_same_path_as_one_that_does_not_exist_before_any_command()
            throws Exception {
        String x = onboardMerchant(60);
        String y = onboardMerchant(60);
        UserWallet payer = openWallet();
        UserWallet stranger = openWallet();
        topUp(payer.walletId(), "100.00");
        Response authorised = pay(payer, y, unique("o"), "30.00", "manual");
        expectStatus(authorised, 201);
        String authorisedId = authorised.json().get("paymentId").asString();
        Response captured = pay(payer, y, unique("o"), "20.00", "immediate");
        expectStatus(captured, 201);
        String capturedId = captured.json().get("paymentId").asString();
        Response checkout = post("/v1/bnpl/checkouts", payer.token(), "{\"merchantId\":\"" + y
                + "\",\"orderNumber\":\"" + unique("o") + "\",\"amount\":\"40.00\",\"currency\":\"CNY\",\"plan\":\"pay_in_4\"}");
        expectStatus(checkout, 201);
        String planId = checkout.json().get("planId").asString();
        String missing = "p_" + UUID.randomUUID().toString().replace("-", "");
        awaitProcessorsCaughtUp();
        LedgerState before = ledgerState("wallet:" + payer.walletId(), "merchant:" + x, "merchant:" + y);

        List<Object> dispatched = Collections.synchronizedList(new ArrayList<>());
        Registration watching = commandBus.registerDispatchInterceptor(messages -> (index, message) -> {
            dispatched.add(message.getPayload());
            return message;
        });
        try {
            String shop = merchantToken(x);
            for (String id : new String[] {capturedId, missing}) {
                expectProblem(post("/v1/payments/" + id + "/refunds", shop,
                        "{\"refundNumber\":\"" + unique("r") + "\",\"amount\":\"1.00\",\"currency\":\"CNY\"}"), 404,
                        "payment_not_found");
            }
            for (String id : new String[] {authorisedId, missing}) {
                expectProblem(post("/v1/payments/" + id + "/capture", shop, "{}"), 404, "payment_not_found");
                expectProblem(post("/v1/payments/" + id + "/void", shop, ""), 404, "payment_not_found");
            }
            for (String id : new String[] {planId, missing}) {
                expectProblem(post("/v1/bnpl/plans/" + id + "/repayments", stranger.token(),
                        "{\"amount\":\"1.00\",\"currency\":\"CNY\"}", Map.of("Idempotency-Key", unique("k"))), 404,
                        "plan_not_found");
            }
        } finally {
            watching.cancel();
        }
        assertThat(dispatched).as("commands dispatched for what is not the caller's").isEmpty();
        assertThat(ledgerState("wallet:" + payer.walletId(), "merchant:" + x, "merchant:" + y)).isEqualTo(before);
    }

    // ---- Helpers ----------------------------------------------------------------------------

    private static String payment(String merchant, String order, String amount) {
        return "{\"merchantId\":\"" + merchant + "\",\"orderNumber\":\"" + order + "\",\"amount\":\"" + amount
                + "\",\"currency\":\"CNY\"}";
    }

    /** The text as UTF-8, with its one {@code marker} replaced by raw bytes. */
    private static byte[] bytes(String text, String marker, byte[] raw) {
        int at = text.indexOf(marker);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
        out.writeBytes(raw);
        out.writeBytes(text.substring(at + marker.length()).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    record RawResponse(int status, String contentType, String body) {
        void expectProblem(int expectedStatus, String code) {
            assertThat(status).as(body).isEqualTo(expectedStatus);
            assertThat(contentType).as(body).startsWith("application/problem+json");
            assertThat(body).contains("\"code\":\"" + code + "\"");
        }
    }

    private RawResponse raw(String method, String path, String token, Map<String, String> headers, byte[] body)
            throws IOException {
        List<String> lines = new ArrayList<>();
        if (token != null) {
            lines.add("Authorization: Bearer " + token);
        }
        headers.forEach((name, value) -> lines.add(name + ": " + value));
        return rawHeaders(method, path, lines, body);
    }

    /** A request written byte for byte on a socket, with its body as given (chunked if a header says so). */
    private RawResponse rawHeaders(String method, String path, List<String> headers, byte[] body) throws IOException {
        byte[] content = body == null ? new byte[0] : body;
        boolean chunked = headers.stream().anyMatch(header -> header.startsWith("Transfer-Encoding"));
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n");
        if (!chunked) {
            request.append("Content-Length: ").append(content.length).append("\r\n");
        }
        headers.forEach(header -> request.append(header).append("\r\n"));
        request.append("\r\n");
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (chunked) {
                out.write((Integer.toHexString(content.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(content);
                out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write(content);
            }
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int headerEnd = response.indexOf("\r\n\r\n");
            String head = response.substring(0, headerEnd);
            String contentType = head.lines().filter(line -> line.toLowerCase().startsWith("content-type:"))
                    .map(line -> line.substring("content-type:".length()).trim()).findFirst().orElse("");
            return new RawResponse(status, contentType, response.substring(headerEnd + 4));
        }
    }
}
