package com.hongbao.ledger.scripts;

import static com.hongbao.ledger.scripts.BenchmarkSupport.expect;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hot packet benchmark: one group lucky red packet of 1,000 shares sent to 20,000 members,
 * every one of whom tries to grab it at the same moment, through the real HTTP API of the ledger
 * started in this JVM against the same PostgreSQL.
 *
 * <ol>
 *   <li>Calibration: single-row INSERT commits per second from 16 JDBC threads.</li>
 *   <li>Set-up: the sender's wallet topped up; a token and an empty CNY wallet for each grabber.</li>
 *   <li>Warm-up (not reported): 100-share packets, each grabbed by all the same grabbers in a
 *       burst, until a burst leaves the JIT nearly idle (at most {@code max-warmup-packets}, 30).</li>
 *   <li>The burst: every grabber tries exactly once, in random order, each attempt sent by an
 *       asynchronous client ({@link AsyncLoad}) as soon as one of its {@code concurrency}
 *       connections is free.</li>
 * </ol>
 *
 * The report gives attempts/s (all attempts over the wall-clock time from the first submit to the
 * last response), its ratio to the calibration and the winners' and losers' latency apart. The run
 * fails (exit code 1) unless exactly {@code shares} grabs win and every other one is refused with
 * {@code packet_emptied}, the winners' amounts add up to the packet's total to the fen, the packet
 * page agrees with the grab responses, and, once the event processors have caught up, the
 * packet's escrow account is zero and the trial balance balances. Arguments are
 * {@code --name=value}: grabbers, shares, amount (the packet's total in CNY), concurrency
 * (connections), calibration-seconds, warmup-grabbers, warmup-shares, max-warmup-packets,
 * db-url/db-user/db-password (an external PostgreSQL instead of the embedded one), jfr (a path prefix: a flight recording of the measured
 * burst is written to {@code <jfr>-burst.jfr}).
 */
public final class HotPacketBenchmark {

    private static final String CURRENCY = "CNY";

    /** CNY has two minor-unit digits: amounts are counted in fen. */
    private static final int MINOR_DIGITS = 2;

    /** What the sender's wallet is topped up with at least: 100,000.00 CNY, in fen. */
    private static final long SENDER_TOP_UP_MINOR = 10_000_000;

    private static final String SENDER = "bench-sender";

    private static final String PACKET_EMPTIED = "packet_emptied";

    private static final int DEFAULT_CONCURRENCY = 64;

    private final Map<String, String> options;
    // Numbers in responses are read as BigDecimal, so no amount ever passes through a double.
    private final JsonMapper json = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private BenchmarkSupport support;
    private String senderToken;
    private String[] grabberTokens;

    private HotPacketBenchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchmarkSupport.options(args);
        boolean passed = new HotPacketBenchmark(options).run();
        System.exit(passed ? 0 : 1);
    }

    private int option(String name, int fallback) {
        return BenchmarkSupport.option(options, name, fallback);
    }

    private boolean run() throws Exception {
        int grabbers = option("grabbers", 20_000);
        int shares = option("shares", 1_000);
        int concurrency = option("concurrency", DEFAULT_CONCURRENCY);
        int maxWarmups = option("max-warmup-packets", 30);
        int warmupGrabbers = option("warmup-grabbers", grabbers);
        int warmupShares = option("warmup-shares", 100);
        long totalMinor = minor(new BigDecimal(options.getOrDefault("amount", "10000.00")));
        if (shares < 1 || grabbers < shares || warmupShares < 1 || warmupGrabbers < warmupShares
                || warmupGrabbers > grabbers || totalMinor < shares || maxWarmups < 1) {
            throw new IllegalArgumentException("need 1 <= shares <= grabbers, 1 <= warmup-shares <= warmup-grabbers"
                    + " <= grabbers, at least one fen a share and at least one warm-up packet");
        }
        // The warm-up packet has the same mean share as the measured one; the fen left over by the
        // division stay in the sender's wallet.
        long warmupMinor = Math.max(warmupShares, Math.multiplyExact(totalMinor, warmupShares) / shares);
        long topUpMinor = Math.max(SENDER_TOP_UP_MINOR,
                Math.addExact(totalMinor, Math.multiplyExact(warmupMinor, (long) maxWarmups)));

        try (BenchmarkSupport started = BenchmarkSupport.startDatabase(options)) {
            support = started;
            double calibration = support.calibrate(option("calibration-seconds", 10));
            support.startLedger("--ledger.red-packets.max-shares=" + Math.max(shares, warmupShares),
                    "--ledger.red-packets.max-group-size=" + grabbers, "--ledger.http.max-body-bytes=1048576");
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            try (AsyncLoad load = new AsyncLoad(support.base(), concurrency)) {
                setUp(pool, grabbers, topUpMinor);
                support.awaitCaughtUp();

                List<Integer> everyone = IntStream.range(0, grabbers).boxed().collect(Collectors.toList());
                int warmups = warmUp(load, everyone, warmupGrabbers, warmupShares, warmupMinor, maxWarmups);

                String packet = send(everyone, shares, totalMinor, "Hot packet");
                String scenario = String.format(Locale.ROOT, "one packet, %,d shares, %,d grabbers", shares, grabbers);
                Burst burst = burst(load, scenario, packet, everyone, true);
                support.awaitCaughtUp();
                List<String> failures = new ArrayList<>();
                String row = verify(scenario, burst, packet, shares, totalMinor, calibration, failures);

                System.out.println();
                System.out.println(BenchmarkSupport.calibrationSummary(calibration));
                System.out.printf(Locale.ROOT, "Load: one asynchronous client over %d HTTP/1.1 connections on"
                                + " loopback; one burst of %d grab attempts (each grabber once, in random order, each"
                                + " sent as soon as a connection is free) at a packet of %s %s in %d shares, after %d warm-up packets of %d shares, each grabbed by %d of the"
                                + " same users%n%n", concurrency, grabbers, decimal(totalMinor), CURRENCY, shares,
                        warmups, warmupShares, warmupGrabbers);
                System.out.println("| scenario | attempts | attempts/s | ratio to calibration | winners"
                        + " | losers (packet_emptied) | winners p50/p99 ms | losers p50/p99 ms | sum = total | escrow"
                        + " | trial balance |");
                System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
                System.out.println(row);
                System.out.println();
                if (failures.isEmpty()) {
                    System.out.println("All checks passed.");
                } else {
                    failures.forEach(failure -> System.out.println("FAILED: " + failure));
                }
                return failures.isEmpty();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private void setUp(ExecutorService pool, int grabbers, long topUpMinor) throws Exception {
        long start = System.nanoTime();
        String admin = support.token("bench-admin", "admin");
        senderToken = support.token(SENDER, "user");
        HttpResponse<String> opened = support.post("/v1/wallets", senderToken, "{\"currency\":\"" + CURRENCY + "\"}");
        expect(opened, 201);
        String walletId = text(json.readTree(opened.body()), "walletId");
        expect(support.post("/v1/wallets/" + walletId + "/top-ups", admin, "{\"bankReference\":\"bench-hot-packet-sender\""
                + ",\"amount\":\"" + decimal(topUpMinor) + "\",\"currency\":\"" + CURRENCY + "\"}"), 200, 201);

        // Grabbers need a wallet in the packet's currency to be credited; it may stay empty.
        grabberTokens = new String[grabbers];
        List<Future<?>> futures = new ArrayList<>(grabbers);
        for (int g = 0; g < grabbers; g++) {
            int index = g;
            futures.add(pool.submit(() -> {
                String token = support.token(grabberId(index), "user");
                expect(support.post("/v1/wallets", token, "{\"currency\":\"" + CURRENCY + "\"}"), 201);
                grabberTokens[index] = token;
                return null;
            }));
        }
        for (var future : futures) {
            future.get();
        }
        System.out.printf(Locale.ROOT, "set-up: the sender's wallet topped up with %s %s, %d grabbers with a token and"
                + " an empty wallet in %.1f s%n", decimal(topUpMinor), CURRENCY, grabbers, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Warm-up packets, not reported, each grabbed by {@code members} of the grabbers in a burst,
     * until one burst leaves the JIT compilers nearly idle (on average under a twentieth of a core)
     * or {@code max} packets have been grabbed; returns how many were. The request path runs
     * through thousands of methods that reach C2 only after thousands of calls each: on two cores
     * the grab rate kept rising for about half a million requests, from 1,000 attempts/s on the
     * first 20,000-attempt warm-up packet to 4,000 to 8,000 from the twentieth on. A server on a
     * festival evening has been answering grabs for hours.
     */
    private int warmUp(AsyncLoad load, List<Integer> everyone, int members, int shares, long amountMinor, int max)
            throws Exception {
        double compiling = -1;
        int packets = 0;
        while (packets < max) {
            List<Integer> chosen = new ArrayList<>(everyone);
            Collections.shuffle(chosen);
            chosen = chosen.subList(0, members);
            packets++;
            String packet = send(chosen, shares, amountMinor, "Warm-up packet " + packets);
            double before = CpuMeter.jitCpuSeconds();
            Burst warmup = burst(load, "warm-up " + packets + " (not reported)", packet, chosen, false);
            compiling = CpuMeter.jitCpuSeconds() - before;
            support.awaitCaughtUp();
            if (before < 0 || compiling / warmup.seconds < 0.05) {
                break;
            }
        }
        System.out.printf(Locale.ROOT, "warm-up: %d packets; the JIT compilers used %.2f s of CPU during the last burst%n",
                packets, compiling);
        return packets;
    }

    private static String grabberId(int index) {
        return "bench-grabber-" + index;
    }

    /** Sends a group lucky packet from the sender to the members and returns its id. */
    private String send(List<Integer> members, int shares, long amountMinor, String greeting) {
        String memberList = members.stream().map(index -> "\"" + grabberId(index) + "\"")
                .collect(Collectors.joining(",", "[", "]"));
        HttpResponse<String> sent = support.post("/v1/red-packets", senderToken, "{\"kind\":\"group_lucky\",\"amount\":\""
                + decimal(amountMinor) + "\",\"currency\":\"" + CURRENCY + "\",\"shares\":" + shares + ",\"members\":"
                + memberList + ",\"greeting\":\"" + greeting + "\"}", "bench-send-" + java.util.UUID.randomUUID());
        expect(sent, 201);
        return text(json.readTree(sent.body()), "packetId");
    }

    /** A grab that won a share, as its response told it. */
    private record Winner(String userId, long amountMinor, int position) {
    }

    /**
     * What one burst came to: the winners, how many were refused with {@code packet_emptied},
     * every other outcome counted by status and code, and the wall-clock seconds from the first
     * submit to the last response.
     */
    private record Burst(int attempts, double seconds, List<Winner> winners, long losers, Map<String, Long> others,
                         Histogram winnerLatency, Histogram loserLatency) {

        double attemptsPerSecond() {
            return attempts / seconds;
        }
    }

    private Burst burst(AsyncLoad load, String name, String packetId, List<Integer> grabbers, boolean measured)
            throws Exception {
        List<Integer> order = new ArrayList<>(grabbers);
        Collections.shuffle(order);
        String path = "/v1/red-packets/" + packetId + "/grab";
        List<AsyncLoad.Post> grabs = order.stream().map(grabber -> new AsyncLoad.Post(path, grabberTokens[grabber], null))
                .toList();
        CpuMeter cpu = CpuMeter.start();
        FlightRecording recording = FlightRecording.start(measured ? options.get("jfr") : null, "burst");
        AsyncLoad.Answers answers = load.send(grabs);
        recording.close();
        String machine = cpu.report();

        Histogram winnerLatency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        Histogram loserLatency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        List<Winner> winners = new ArrayList<>();
        long losers = 0;
        Map<String, Long> others = new TreeMap<>();
        for (int i = 0; i < order.size(); i++) {
            AsyncLoad.Answer answer = answers.answers().get(i);
            String outcome = answer.failure() != null ? "no response: " + answer.failure()
                    : classify(answer.status(), answer.body(), grabberId(order.get(i)), winners);
            if (outcome == null) {
                winnerLatency.recordValue(answer.latencyMicros());
            } else if (outcome.equals(PACKET_EMPTIED)) {
                loserLatency.recordValue(answer.latencyMicros());
                losers++;
            } else {
                others.merge(outcome, 1L, Long::sum);
            }
        }
        Burst burst = new Burst(order.size(), answers.seconds(), List.copyOf(winners), losers, others, winnerLatency,
                loserLatency);
        System.out.printf(Locale.ROOT, "%s: %d attempts in %.2f s = %.0f attempts/s; %d winners (p50 %.1f ms, p99 %.1f"
                        + " ms), %d losers with packet_emptied (p50 %.1f ms, p99 %.1f ms), other outcomes %s; %s%n", name,
                burst.attempts, burst.seconds, burst.attemptsPerSecond(), burst.winners.size(), millis(winnerLatency, 50),
                millis(winnerLatency, 99), burst.losers, millis(loserLatency, 50), millis(loserLatency, 99), others,
                machine);
        return burst;
    }

    /**
     * Null for a winner (added to {@code winners}), {@code packet_emptied} for a loser, and
     * otherwise the status and code that the report counts as another outcome.
     */
    private String classify(int status, String responseBody, String grabber, List<Winner> winners) {
        JsonNode body;
        try {
            body = json.readTree(responseBody);
        } catch (JacksonException e) {
            return "HTTP " + status + " with a body that is not JSON";
        }
        if (status == 200) {
            try {
                String currency = field(body, "currency", "amount");
                if (!CURRENCY.equals(currency)) {
                    return "HTTP 200 in currency " + currency;
                }
                winners.add(new Winner(grabber, minor(body.path("amount")), body.path("position").asInt(-1)));
                return null;
            } catch (RuntimeException e) {
                return "HTTP 200 without a readable amount";
            }
        }
        String code = body.path("code").isString() ? body.path("code").stringValue() : "without a code";
        if (status >= 400 && status < 500 && code.equals(PACKET_EMPTIED)) {
            return PACKET_EMPTIED;
        }
        return "HTTP " + status + " " + code;
    }

    /** Checks the measured burst, adds what failed to {@code failures} and returns the report row. */
    private String verify(String scenario, Burst burst, String packetId, int shares, long totalMinor,
                          double calibration, List<String> failures) throws Exception {
        int winners = burst.winners.size();
        long expectedLosers = (long) burst.attempts - shares;
        if (winners != shares) {
            failures.add(winners + " winners, expected " + shares);
        }
        if (burst.losers != expectedLosers) {
            failures.add(burst.losers + " losers with packet_emptied, expected " + expectedLosers);
        }
        if (!burst.others.isEmpty()) {
            failures.add("other outcomes " + burst.others);
        }
        long sumMinor = 0;
        for (Winner winner : burst.winners) {
            sumMinor = Math.addExact(sumMinor, winner.amountMinor);
        }
        boolean sumIsTotal = sumMinor == totalMinor;
        if (!sumIsTotal) {
            failures.add("the winners' amounts sum to " + decimal(sumMinor) + ", the packet's total is "
                    + decimal(totalMinor));
        }
        Set<Integer> positions = new HashSet<>();
        burst.winners.forEach(winner -> positions.add(winner.position));
        if (positions.size() != winners) {
            failures.add("the winners' positions are not distinct: " + positions.size() + " positions for " + winners
                    + " winners");
        }
        try {
            checkPacketPage(packetId, burst.winners, failures);
        } catch (RuntimeException e) {
            failures.add("packet page unreadable: " + e.getMessage());
        }
        String escrow;
        try {
            escrow = escrowBalance(packetId);
        } catch (RuntimeException e) {
            escrow = "unreadable: " + e.getMessage();
        }
        if (!escrow.equals("zero")) {
            failures.add("escrow of packet " + packetId + ": " + escrow);
        }
        boolean balanced = support.trialBalanceIsZero();
        if (!balanced) {
            failures.add("the trial balance is not zero");
        }
        return String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f× | %s | %s | %.1f / %.1f | %.1f / %.1f | %s | %s | %s |",
                scenario, burst.attempts, burst.attemptsPerSecond(), burst.attemptsPerSecond() / calibration,
                count(winners, shares), count(burst.losers, expectedLosers), millis(burst.winnerLatency, 50),
                millis(burst.winnerLatency, 99), millis(burst.loserLatency, 50), millis(burst.loserLatency, 99),
                sumIsTotal ? "yes" : "NO: " + decimal(sumMinor) + " ≠ " + decimal(totalMinor), escrow,
                balanced ? "zero" : "NOT ZERO");
    }

    /** The packet page must show the packet emptied, with exactly the grabs the responses announced. */
    private void checkPacketPage(String packetId, List<Winner> winners, List<String> failures) {
        HttpResponse<String> response = support.get("/v1/red-packets/" + packetId, senderToken);
        if (response.statusCode() != 200) {
            failures.add("packet page: HTTP " + response.statusCode() + " " + response.body());
            return;
        }
        JsonNode page = json.readTree(response.body());
        String status = field(page, "status", "packet");
        if (!"emptied".equals(status)) {
            failures.add("packet page: status " + status + ", expected emptied");
        }
        Map<String, Long> announced = new HashMap<>();
        winners.forEach(winner -> announced.put(winner.userId, winner.amountMinor));
        Map<String, Long> shown = new HashMap<>();
        Set<String> commandInstants = new HashSet<>();
        for (JsonNode grab : page.path("grabs")) {
            shown.put(grab.path("userId").asString(null), minor(grab.path("amount")));
            commandInstants.add(grab.path("grabbedAt").asString(""));
        }
        // Every grab decided by one command carries that command's instant: distinct instants count the transactions.
        System.out.printf(Locale.ROOT, "group commit: the %d shares were decided in %d grab commands (one transaction each)%n",
                shown.size(), commandInstants.size());
        if (page.path("grabs").size() != winners.size() || !shown.equals(announced)) {
            failures.add("packet page: " + page.path("grabs").size() + " grabs, " + shown.size()
                    + " grabbers, which do not match the " + winners.size() + " winning grab responses");
        }
    }

    /** "zero", or what finance sees in the packet's escrow account instead. */
    private String escrowBalance(String packetId) throws Exception {
        String finance = support.token("bench-finance", "finance");
        HttpResponse<String> response = support.get("/v1/accounts/red_packet_escrow:" + packetId + "/balance", finance);
        if (response.statusCode() != 200) {
            return "HTTP " + response.statusCode();
        }
        List<String> nonZero = new ArrayList<>();
        for (JsonNode balance : json.readTree(response.body()).path("balances")) {
            if (minor(balance.path("amount")) != 0) {
                nonZero.add(balance.path("amount").asString() + " " + balance.path("currency").asString());
            }
        }
        return nonZero.isEmpty() ? "zero" : "NOT ZERO: " + String.join(", ", nonZero);
    }

    /** A count, and what was expected when it differs. */
    private static String count(long actual, long expected) {
        return actual == expected ? Long.toString(actual) : actual + " (expected " + expected + ")";
    }

    private static double millis(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    /**
     * An amount in fen, exactly: a decimal string or number, or a money object
     * {@code {"amount":"12.34","currency":"CNY"}}; anything else, or a fraction of a fen, fails.
     */
    private static long minor(JsonNode node) {
        JsonNode amount = node.isObject() ? node.path("amount") : node;
        if (amount.isString()) {
            return minor(new BigDecimal(amount.stringValue()));
        }
        if (amount.isNumber()) {
            return minor(amount.decimalValue());
        }
        throw new IllegalStateException("not an amount: " + node);
    }

    private static long minor(BigDecimal amount) {
        // longValueExact refuses a fraction of a fen as well as an amount beyond a long.
        return amount.movePointRight(MINOR_DIGITS).longValueExact();
    }

    private static String decimal(long minor) {
        return BigDecimal.valueOf(minor, MINOR_DIGITS).toPlainString();
    }

    /**
     * A string field of {@code node}, or else of the object {@code node} holds under
     * {@code enclosing} (a packet page may nest its summary, a money object holds its currency);
     * null if neither has it.
     */
    private static String field(JsonNode node, String name, String enclosing) {
        JsonNode value = node.path(name).isString() ? node.path(name) : node.path(enclosing).path(name);
        return value.isString() ? value.stringValue() : null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isString()) {
            throw new IllegalStateException("no \"" + field + "\" in " + node);
        }
        return value.stringValue();
    }
}
