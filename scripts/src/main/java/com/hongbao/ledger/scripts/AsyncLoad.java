package com.hongbao.ledger.scripts;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.async.MinimalHttpAsyncClient;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * The load generator of the benchmarks' measured requests: Apache HttpClient's minimal asynchronous client, whose one I/O
 * thread writes and reads every request over at most {@code connections} kept-alive HTTP/1.1
 * connections, each carrying one request at a time.
 *
 * <p>It replaces a client thread per connection ({@link java.net.HttpURLConnection}), which on two
 * cores shared with the ledger cost the machine far more than the requests themselves: with 64
 * threads blocking on sockets, the load generator and its context switches took most of the CPU
 * the ledger would have had (the hot-packet burst reached about 1,100 attempts/s with it, and the
 * same ledger answered the same grabs at 6,900/s under {@code wrk} with one thread and 64
 * connections). Responses are kept as they come (status, body, latency); reading them is left to
 * the caller, after the burst, off the I/O thread.
 */
final class AsyncLoad implements AutoCloseable {

    /** One request's answer: the HTTP status and body, or the failure; and the microseconds it took. */
    record Answer(int status, String body, String failure, long latencyMicros) {
    }

    /** Every request's answer in the order given, and the seconds from the first send to the last answer. */
    record Answers(List<Answer> answers, double seconds) {
    }

    /** A POST to {@code path} with a bearer token and a JSON body, or none when {@code body} is null. */
    record Post(String path, String token, String body) {
    }

    private final String base;
    private final int connections;
    private final MinimalHttpAsyncClient client;

    AsyncLoad(String base, int connections) {
        this.base = base;
        this.connections = connections;
        PoolingAsyncClientConnectionManager pool = PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnTotal(connections).setMaxConnPerRoute(connections)
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.ofSeconds(5))
                        .setSocketTimeout(Timeout.ofSeconds(60)).build())
                .build();
        IOReactorConfig reactor = IOReactorConfig.custom().setIoThreadCount(1).setTcpNoDelay(true).build();
        client = HttpAsyncClients.createMinimal(HttpVersionPolicy.FORCE_HTTP_1, H2Config.DEFAULT, Http1Config.DEFAULT,
                reactor, pool);
        client.start();
    }

    /**
     * Sends the POSTs in the list's order, never more than {@code connections} at a time, and
     * waits for every answer.
     */
    Answers send(List<Post> posts) throws InterruptedException {
        Answer[] answers = new Answer[posts.size()];
        Semaphore inFlight = new Semaphore(connections);
        CountDownLatch done = new CountDownLatch(posts.size());
        AtomicLong lastAnswer = new AtomicLong(Long.MIN_VALUE);
        long start = System.nanoTime();
        for (int i = 0; i < posts.size(); i++) {
            inFlight.acquire();
            int index = i;
            Post post = posts.get(i);
            SimpleRequestBuilder builder = SimpleRequestBuilder.post(base + post.path())
                    .addHeader("Authorization", "Bearer " + post.token())
                    // What a JSON client sends; Spring matches it against every candidate handler.
                    .addHeader("Accept", "application/json");
            if (post.body() != null) {
                builder.setBody(post.body(), ContentType.APPLICATION_JSON);
            }
            SimpleHttpRequest request = builder.build();
            long sent = System.nanoTime();
            client.execute(SimpleRequestProducer.create(request), SimpleResponseConsumer.create(), null, null,
                    new FutureCallback<SimpleHttpResponse>() {
                        @Override
                        public void completed(SimpleHttpResponse response) {
                            finish(new Answer(response.getCode(), response.getBodyText(), null, micros(sent)));
                        }

                        @Override
                        public void failed(Exception failure) {
                            finish(new Answer(0, null, failure.getClass().getSimpleName(), micros(sent)));
                        }

                        @Override
                        public void cancelled() {
                            finish(new Answer(0, null, "cancelled", micros(sent)));
                        }

                        private void finish(Answer answer) {
                            answers[index] = answer;
                            lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
                            inFlight.release();
                            done.countDown();
                        }
                    });
        }
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("answers still missing after ten minutes");
        }
        return new Answers(List.of(answers), (lastAnswer.get() - start) / 1e9);
    }

    private static long micros(long sentNanos) {
        return Math.max(1, (System.nanoTime() - sentNanos) / 1_000);
    }

    @Override
    public void close() {
        client.close(CloseMode.GRACEFUL);
    }
}
