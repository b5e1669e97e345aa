package com.hongbao.ledger.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks' load generator against a small local server that echoes what it got: every
 * request gets its own answer in the order given, at most {@code connections} are in flight, and
 * a request the server drops is a failure, not a missing answer.
 */
class AsyncLoadTest {

    private HttpServer server;
    private ExecutorService handlers;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        handlers = Executors.newFixedThreadPool(16);
        server.setExecutor(handlers);
        server.createContext("/echo", this::echo);
        server.createContext("/drop", HttpExchange::close);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        handlers.shutdownNow();
    }

    /** Answers 200 for /echo/ok and 418 otherwise, with the token, the path and the body it got. */
    private void echo(HttpExchange exchange) throws IOException {
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            Thread.sleep(5);
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String answer = exchange.getRequestHeaders().getFirst("Authorization") + "|"
                    + exchange.getRequestURI().getPath() + "|" + body;
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            inFlight.decrementAndGet();
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().endsWith("/ok") ? 200 : 418, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void every_request_gets_its_own_answer_in_order_with_at_most_the_connections_in_flight() throws Exception {
        List<AsyncLoad.Post> posts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            posts.add(new AsyncLoad.Post(i % 3 == 0 ? "/echo/teapot" : "/echo/ok", "token-" + i,
                    i % 2 == 0 ? "{\"n\":" + i + "}" : null));
        }
        AsyncLoad.Answers answers;
        try (AsyncLoad load = new AsyncLoad(base(), 4)) {
            answers = load.send(posts);
        }

        assertThat(answers.answers()).hasSize(60);
        for (int i = 0; i < 60; i++) {
            AsyncLoad.Answer answer = answers.answers().get(i);
            assertThat(answer.failure()).as("request %d", i).isNull();
            assertThat(answer.status()).isEqualTo(i % 3 == 0 ? 418 : 200);
            assertThat(answer.body()).isEqualTo("Bearer token-" + i + "|" + posts.get(i).path() + "|"
                    + (i % 2 == 0 ? "{\"n\":" + i + "}" : ""));
            assertThat(answer.latencyMicros()).as("the server sleeps 5 ms").isGreaterThanOrEqualTo(5_000);
        }
        assertThat(mostInFlight.get()).isBetween(1, 4);
        // 60 requests of at least 5 ms, at most 4 at a time: at least 15 rounds.
        assertThat(answers.seconds()).isGreaterThanOrEqualTo(0.075);
    }

    @Test
    void a_request_the_server_drops_is_answered_as_a_failure() throws Exception {
        AsyncLoad.Answers answers;
        try (AsyncLoad load = new AsyncLoad(base(), 2)) {
            answers = load.send(List.of(new AsyncLoad.Post("/drop", "t", null), new AsyncLoad.Post("/echo/ok", "u", null)));
        }

        assertThat(answers.answers().get(0).status()).isZero();
        assertThat(answers.answers().get(0).failure()).isNotNull();
        assertThat(answers.answers().get(1).status()).isEqualTo(200);
        assertThat(answers.answers().get(1).body()).isEqualTo("Bearer u|/echo/ok|");
    }
}
