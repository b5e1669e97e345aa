package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.support.ApiTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Clients that start a request body and never finish it. Two hundred of them must not stop the
 * service: health and other clients keep answering, the stalled requests are cut by the server
 * within about ten seconds, and a request without a token is refused before its body is read.
 * Every socket is on 127.0.0.1, and there are at most {@value #STALLED} of them.
 */
class SlowClientTest extends ApiTest {

    private static final int STALLED = 200;

    @Test
    void two_hundred_stalled_bodies_do_not_stop_health_or_other_clients_and_are_cut_by_the_server()
            throws Exception {
        UserWallet payer = openWallet();
        UserWallet other = openWallet();
        topUp(payer.walletId(), "10.00");
        LedgerState before = ledgerState("wallet:" + payer.walletId());
        List<Socket> stalled = new ArrayList<>();
        long opened;
        try {
            for (int i = 0; i < STALLED; i++) {
                // Half announce a length they never send, half a chunk that never ends; every third has no token.
                String token = i % 3 == 0 ? null : payer.token();
                stalled.add(stall(token, i % 2 == 0));
            }
            opened = System.nanoTime();

            List<Long> millis = new ArrayList<>();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (int i = 0; i < 20; i++) {
                millis.add(timed(client, "/actuator/health", null, 200));
                millis.add(timed(client, "/v1/wallets/" + other.walletId(), other.token(), 200));
            }
            millis.sort(null);
            // The target is a p99 under a second; the bound here leaves room for a busy build machine.
            assertThat(millis.get(millis.size() - 1)).as("slowest of %s ms", millis).isLessThan(3_000);

            for (Socket socket : stalled) {
                readUntilClosed(socket);
                assertThat(Duration.ofNanos(System.nanoTime() - opened)).as("stalled request cut by the server")
                        .isLessThan(Duration.ofSeconds(16));
            }
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
        // Nothing was paid by a body that never arrived.
        assertThat(ledgerState("wallet:" + payer.walletId())).isEqualTo(before);
    }

    @Test
    void a_stalled_post_without_a_token_is_answered_401_without_its_body_and_the_connection_closed()
            throws IOException {
        for (boolean chunked : new boolean[] {true, false}) {
            try (Socket socket = stall(null, chunked)) {
                long start = System.nanoTime();
                String response = readResponse(socket);

                assertThat(response).startsWith("HTTP/1.1 401 ");
                assertThat(response).contains("\"code\":\"unauthorized\"");
                assertThat(response.toLowerCase()).contains("connection: close");
                // Answered at once, not after the server gave up waiting for the body.
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
                // Then closed once the connection timeout has passed without the rest of the body.
                readUntilClosed(socket);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(16));
            }
        }
    }

    /** The status line, headers and body (by its Content-Length) of the first response. */
    private static String readResponse(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("closed before a response: " + head);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        int length = headers.lines().filter(line -> line.toLowerCase().startsWith("content-length:"))
                .mapToInt(line -> Integer.parseInt(line.substring("content-length:".length()).trim()))
                .findFirst().orElseThrow(() -> new AssertionError("no Content-Length: " + headers));
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** A payment whose headers are complete and whose body stops after {@code {"a":}. */
    private Socket stall(String token, boolean chunked) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(20_000);
        StringBuilder request = new StringBuilder("POST /v1/payments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\n");
        if (token != null) {
            request.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        if (chunked) {
            request.append("Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n");
        } else {
            request.append("Content-Length: 100\r\n\r\n{\"a\":");
        }
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** Everything the server sends until it closes the connection (a read timeout fails the test). */
    private static String readUntilClosed(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close a stalled request's connection within 20 s", e);
        } catch (IOException reset) {
            // A reset is the server closing too.
            return "";
        }
    }

    private long timed(HttpClient client, String path, String token, int status) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        long start = System.nanoTime();
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(status);
        return elapsed;
    }
}
