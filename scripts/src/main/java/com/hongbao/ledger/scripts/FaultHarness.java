package com.hongbao.ledger.scripts;

import com.hongbao.ledger.scripts.FaultReport.Outcome;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fault harness: the packaged ledger ({@code ledger-api/target/*-exec.jar}) run as N separate
 * processes on 127.0.0.1 against one PostgreSQL, a bounded mixed load through their HTTP API, one
 * injected fault, and then the checks that nothing was lost, duplicated or created and that every
 * balance is the client's own to the fen. {@code scripts/bench-faults.sh} runs it; docs/faults.md
 * explains the options and the table.
 *
 * <p>PostgreSQL is zonky's embedded server (the binaries from Maven Central, started through
 * {@code pg_ctl}) with fsync, synchronous commit and full page writes on, or an external one
 * ({@code --db-url}). The nodes verify tokens with a public key the harness makes for the run
 * ({@code ledger.auth.jwt-public-key}; dev tokens off, as in production, so every node accepts
 * every token) and share one red-packet seed key; the harness signs its own tokens.
 *
 * <p>Each user's operations are issued by one worker, one at a time, so the client's books of
 * that wallet are exact; while an operation of a user is unknown (timeout, connection error,
 * 5xx), that user's new operations wait and the unknown one is retried with the same
 * idempotency key (or natural key) and body until it is acknowledged or rejected.
 */
public final class FaultHarness {

    private static final Set<String> FAULTS = Set.of("none", "kill-node", "pg-restart", "terminate-backends",
            "read-only", "kill-one-of-two");
    private static final Pattern TOKEN_INDEX = Pattern.compile("\"index\"\\s*:\\s*(\\d+)");
    private static final String HARNESS_APPLICATION = "fault-harness";

    private final Map<String, String> options;
    private final String fault;
    private final int nodeCount;
    private final boolean strict;
    private final Path workDirectory;
    private final String runId = Long.toString(System.currentTimeMillis() / 1000 % 1_000_000_000L, 36);
    private final JsonMapper json = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Duration requestTimeout;
    private final ClientLedger books = new ClientLedger();
    private final FaultReport report = new FaultReport();
    private final FaultReport.Measures measures = new FaultReport.Measures();
    private final List<Node> nodes = new CopyOnWriteArrayList<>();
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, String> walletIds = new ConcurrentHashMap<>();
    private final Map<String, ArrayDeque<String>> inboxes = new ConcurrentHashMap<>();
    private final Map<String, List<PendingCredit>> pendingCredits = new ConcurrentHashMap<>();
    /** Every credit acknowledged, with its wallet's user: the event store tells afterwards when each was applied. */
    private final List<Map.Entry<String, PendingCredit>> acknowledgedCredits = new CopyOnWriteArrayList<>();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final List<String> users = new ArrayList<>();
    private final List<String> merchants = new ArrayList<>();

    private EmbeddedPostgres embedded;
    private String dbUrl;
    private String dbUser;
    private String dbPassword;
    private Path dataDirectory;
    private RSAKey signingKey;
    private Path publicKeyFile;
    private String seedKey;
    private Path jar;
    private volatile long faultEndNanos;
    private final AtomicLong firstAckAfterFault = new AtomicLong();

    private FaultHarness(Map<String, String> options) {
        this.options = options;
        this.fault = options.getOrDefault("fault", "none");
        if (!FAULTS.contains(fault)) {
            throw new IllegalArgumentException("--fault must be one of " + FAULTS);
        }
        this.nodeCount = BenchmarkSupport.option(options, "nodes", 2);
        if (fault.equals("kill-one-of-two") && nodeCount < 2) {
            throw new IllegalArgumentException("--fault=kill-one-of-two needs --nodes=2 or more");
        }
        this.strict = Boolean.parseBoolean(options.getOrDefault("strict", "false"));
        this.workDirectory = Path.of(options.getOrDefault("work-dir", "target/faults")).toAbsolutePath()
                .resolve("run-" + runId);
        this.requestTimeout = Duration.ofMillis(BenchmarkSupport.option(options, "request-timeout-ms", 10_000));
    }

    /**
     * Arguments are {@code --name=value} (a bare {@code --strict} is {@code --strict=true}):
     * fault, nodes, seconds, operations, workers, users, merchants, fault-at, fault-seconds,
     * resolve-seconds, catch-up-seconds, request-timeout-ms, jar, work-dir, db-url, db-user,
     * db-password, strict.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : String.join(" ", args).trim().split("\\s+")) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else if (arg.startsWith("--") && arg.length() > 2) {
                options.put(arg.substring(2), "true");
            }
        }
        // zonky logs every line of initdb and the server at INFO; the server's own log is a file of the run.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        FaultHarness harness = new FaultHarness(options);
        // Ctrl-C or a failure must not leave ledger processes or PostgreSQL behind.
        Runtime.getRuntime().addShutdownHook(new Thread(harness::stopAll, "fault-harness-stop"));
        int exit;
        try {
            exit = harness.run();
        } catch (Exception e) {
            e.printStackTrace();
            exit = 3;
        } finally {
            harness.stopAll();
        }
        System.exit(exit);
    }

    private int run() throws Exception {
        Files.createDirectories(workDirectory);
        System.out.println("fault harness run " + runId + ", files in " + workDirectory);
        startDatabase();
        makeKeys();
        jar = findJar();
        for (int i = 0; i < nodeCount; i++) {
            Node node = new Node(i, freePort());
            nodes.add(node);
            node.start();
            // One at a time: the first runs the migrations; two JVMs starting at once on two cores
            // take longer than one after the other.
            node.awaitReady(Duration.ofSeconds(300));
        }
        setUp();
        measures.fault = fault;
        measures.nodes = nodeCount;
        runLoad();
        resolveUnknowns();
        catchUp();
        measureCreditLagFromStore();
        readMetrics();
        check();
        List<String> table = report.table(measures);
        List<String> lines = new ArrayList<>(table);
        lines.add("");
        for (FaultReport.Target target : report.targets(measures)) {
            lines.add(String.format(Locale.ROOT, "target %-24s %-6s measured %s", target.name(),
                    !target.applies() ? "n/a" : target.met() ? "PASS" : "FAIL", target.measured()));
        }
        int exit = report.exitCode(measures, strict);
        lines.add("exit code " + exit + (exit == 1 ? " (loss, duplicate, phantom or balance mismatch)"
                : exit == 3 ? " (operations left unresolved: the checks are incomplete)"
                : exit == 2 ? " (a target missed, --strict)" : ""));
        System.out.println();
        lines.forEach(System.out::println);
        List<String> details = measures.findings.details();
        if (!details.isEmpty()) {
            System.out.println("findings (first 50 of " + details.size() + "):");
            details.stream().limit(50).forEach(line -> System.out.println("  " + line));
        }
        List<String> file = new ArrayList<>(lines);
        file.add("");
        file.addAll(details);
        Files.write(workDirectory.resolve("report.md"), file);
        return exit;
    }

    // ---------------------------------------------------------------- PostgreSQL

    private void startDatabase() throws IOException, SQLException {
        dbUrl = options.get("db-url");
        dbUser = options.getOrDefault("db-user", "postgres");
        dbPassword = options.getOrDefault("db-password", "");
        if (dbUrl == null) {
            dataDirectory = workDirectory.resolve("postgres");
            // zonky starts the server with -F and synchronous_commit=off; the -c settings come after
            // them on the server's command line and so win. The data directory is on disk, not tmpfs.
            ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(workDirectory.resolve("postgres.log").toFile());
            embedded = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false)
                    .setOutputRedirector(log).setErrorRedirector(log)
                    .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on").setServerConfig("max_connections", "200")
                    .setServerConfig("shared_buffers", "256MB").start();
            try (Connection connection = DriverManager.getConnection(embedded.getJdbcUrl("postgres", "postgres"));
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE ledger");
            }
            dbUrl = "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/ledger";
        } else if (fault.equals("pg-restart")) {
            throw new IllegalArgumentException("--fault=pg-restart restarts the embedded PostgreSQL; it cannot restart"
                    + " an external one (--db-url)");
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            StringBuilder settings = new StringBuilder();
            for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                try (ResultSet rs = statement.executeQuery("SHOW " + setting)) {
                    rs.next();
                    settings.append(setting).append('=').append(rs.getString(1)).append(' ');
                }
            }
            System.out.printf(Locale.ROOT, "machine: %d cores, JDK %s, %s; PostgreSQL %s (%s) %s%n",
                    Runtime.getRuntime().availableProcessors(), Runtime.version(),
                    embedded == null ? "external database" : "embedded database in " + dataDirectory,
                    connection.getMetaData().getDatabaseProductVersion(), settings.toString().trim(), dbUrl);
        }
    }

    /** A connection of the harness's own, named so that terminate-backends spares it. */
    private Connection connect() throws SQLException {
        String url = dbUrl + (dbUrl.contains("?") ? "&" : "?") + "ApplicationName=" + HARNESS_APPLICATION
                + "&connectTimeout=5&socketTimeout=30";
        Connection connection = DriverManager.getConnection(url, dbUser, dbPassword);
        try (Statement statement = connection.createStatement()) {
            // A session setting outranks the reloaded default the read-only fault sets.
            statement.execute("SET default_transaction_read_only = off");
        }
        return connection;
    }

    private void restartPostgres() throws IOException, InterruptedException {
        // postmaster.opts names the server binary and its options; pg_ctl restart reuses them.
        String opts = Files.readString(dataDirectory.resolve("postmaster.opts"));
        String postgres = opts.startsWith("\"") ? opts.substring(1, opts.indexOf('"', 1)) : opts.split("\\s+")[0];
        Path pgCtl = Path.of(postgres).resolveSibling("pg_ctl");
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // pg_ctl refuses to run as root; zonky runs it in a user namespace of its own (unshare -U),
            // where root is an unprivileged user, and so does the harness.
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(pgCtl.toString(), "-D", dataDirectory.toString(), "-m", "immediate", "-w",
                "-t", "120", "-l", workDirectory.resolve("postgres.log").toString(), "restart"));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(workDirectory.resolve("pg_ctl.out").toFile()).start();
        if (!process.waitFor(150, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("pg_ctl restart failed; see " + workDirectory.resolve("pg_ctl.out"));
        }
    }

    // ---------------------------------------------------------------- keys, tokens, nodes

    private void makeKeys() throws JOSEException, IOException {
        signingKey = new RSAKeyGenerator(2048).generate();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(signingKey.toRSAPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        publicKeyFile = workDirectory.resolve("jwt-public.pem");
        Files.writeString(publicKeyFile, pem);
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        seedKey = Base64.getEncoder().encodeToString(seed);
    }

    /** A bearer token signed with the run's key: {@code role} and, for a merchant, its id. */
    private String token(String subject, String role, String merchantId) {
        return tokens.computeIfAbsent(subject + "/" + role + "/" + merchantId, k -> {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(HARNESS_APPLICATION).subject(subject)
                    .issueTime(new Date()).expirationTime(Date.from(Instant.now().plus(Duration.ofHours(6))))
                    .claim("roles", List.of(role));
            if (merchantId != null) {
                claims.claim("merchant_id", merchantId);
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims.build());
            try {
                jwt.sign(new RSASSASigner(signingKey));
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
            return jwt.serialize();
        });
    }

    private Path findJar() throws IOException {
        if (options.containsKey("jar")) {
            return Path.of(options.get("jar")).toAbsolutePath();
        }
        for (Path target : List.of(Path.of("ledger-api/target"), Path.of("../ledger-api/target"))) {
            if (Files.isDirectory(target)) {
                try (var files = Files.list(target)) {
                    var found = files.filter(p -> p.getFileName().toString().endsWith("-exec.jar")).findFirst();
                    if (found.isPresent()) {
                        return found.get().toAbsolutePath();
                    }
                }
            }
        }
        throw new IllegalStateException("no ledger-api/target/*-exec.jar: run ./mvnw -pl ledger-api -am -DskipTests package");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** One ledger process; a restart keeps its port and starts a new process (a new generation). */
    private final class Node {
        final int index;
        final int port;
        volatile Process process;
        volatile boolean routable;
        int generation;

        Node(int index, int port) {
            this.index = index;
            this.port = port;
        }

        String base() {
            return "http://127.0.0.1:" + port;
        }

        void start() throws IOException {
            generation++;
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = List.of(java, "-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString(),
                    "--server.port=" + port, "--server.address=127.0.0.1", "--ledger.auth.dev-tokens=false",
                    "--ledger.auth.jwt-public-key=file:" + publicKeyFile, "--ledger.red-packets.seed-key=" + seedKey,
                    "--spring.main.banner-mode=off");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(workDirectory.resolve("node-" + index + "-" + generation + ".log").toFile())
                    .directory(workDirectory.toFile());
            builder.environment().put("LEDGER_DB_URL", dbUrl);
            builder.environment().put("LEDGER_DB_USER", dbUser);
            builder.environment().put("LEDGER_DB_PASSWORD", dbPassword);
            process = builder.start();
            System.out.printf(Locale.ROOT, "node %d (generation %d) started: pid %d, port %d%n", index, generation,
                    process.pid(), port);
        }

        void awaitReady(Duration timeout) throws InterruptedException {
            long start = System.nanoTime();
            long deadline = start + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("node " + index + " exited with " + process.exitValue()
                            + "; see its log in " + workDirectory);
                }
                Response response = send(this, "GET", "/actuator/health/readiness", null, null, null);
                if (response.status() == 200) {
                    routable = true;
                    System.out.printf(Locale.ROOT, "node %d ready after %.1f s%n", index,
                            (System.nanoTime() - start) / 1e9);
                    return;
                }
                Thread.sleep(500);
            }
            throw new IllegalStateException("node " + index + " not ready within " + timeout);
        }

        void kill() throws InterruptedException {
            routable = false;
            // Process.destroyForcibly is SIGKILL on Linux: no shutdown hook, no graceful close.
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            System.out.printf(Locale.ROOT, "node %d (pid %d) killed with SIGKILL%n", index, process.pid());
        }

        /** Axon's default owner of a claimed segment is {@code pid@host}. */
        String ownerPrefix() {
            return process.isAlive() ? process.pid() + "@" : null;
        }
    }

    private final AtomicBoolean stopped = new AtomicBoolean();

    private void stopAll() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        for (Node node : nodes) {
            if (node.process != null && node.process.isAlive()) {
                node.process.destroy();
            }
        }
        for (Node node : nodes) {
            try {
                if (node.process != null && !node.process.waitFor(20, TimeUnit.SECONDS)) {
                    node.process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                System.err.println("could not stop PostgreSQL: " + e);
            }
        }
    }

    // ---------------------------------------------------------------- HTTP

    /** A response (status 0: none, with {@code timedOut} telling a timeout from a connection failure). */
    record Response(int status, String body, boolean timedOut) {
    }

    private Node nextNode() {
        for (int i = 0; i < nodes.size() * 2; i++) {
            Node node = nodes.get(Math.floorMod(roundRobin.getAndIncrement(), nodes.size()));
            if (node.routable) {
                return node;
            }
        }
        // Nothing routable: send to any, the attempt fails and counts as unknown.
        return nodes.get(Math.floorMod(roundRobin.getAndIncrement(), nodes.size()));
    }

    private Response send(Node node, String method, String path, String token, String body, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.base() + path)).timeout(requestTimeout)
                .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), false);
        } catch (HttpTimeoutException e) {
            return new Response(0, e.toString(), true);
        } catch (IOException e) {
            return new Response(0, e.toString(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(0, e.toString(), false);
        }
    }

    /** A GET for the checks and the credit watcher: retried on any node until it answers 200 or 404, for up to a minute. */
    private Response read(String path, String token) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Response response;
        do {
            response = send(nextNode(), "GET", path, token, null, null);
            if (response.status() == 200 || response.status() == 404) {
                return response;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("GET " + path + " kept failing: " + response.status() + " " + response.body());
    }

    private JsonNode tree(String body) {
        return json.readTree(body);
    }

    private static String code(Response response) {
        if (response.body() == null) {
            return null;
        }
        Matcher matcher = Pattern.compile("\"code\"\\s*:\\s*\"([a-z0-9_]+)\"").matcher(response.body());
        return matcher.find() ? matcher.group(1) : null;
    }

    // ---------------------------------------------------------------- operations

    /** One operation: its request (the same body and key on every attempt) and what an acknowledgement books. */
    private final class Op {
        final String kind;
        final String user;
        final String path;
        final String token;
        final String body;
        final String key;
        final Consumer<Response> onAcknowledged;
        int attempts;
        long dueNanos;

        Op(String kind, String user, String path, String token, String body, String key,
           Consumer<Response> onAcknowledged) {
            this.kind = kind;
            this.user = user;
            this.path = path;
            this.token = token;
            this.body = body;
            this.key = key;
            this.onAcknowledged = onAcknowledged;
        }

        /**
         * One attempt on the next routable node; true once the operation is settled (acknowledged
         * or rejected), false while it is unknown.
         */
        boolean attempt() {
            attempts++;
            Response response = send(nextNode(), "POST", path, token, body, key);
            String code = code(response);
            report.response(response.status(), code, response.timedOut());
            Outcome outcome = Outcome.of(response.status());
            // A grab retried after an unknown attempt that did take a share answers 409
            // already_grabbed with that share: the share is the first attempt's acknowledgement.
            if (outcome == Outcome.REJECTED && kind.equals("grab") && attempts > 1 && "already_grabbed".equals(code)) {
                outcome = Outcome.ACKNOWLEDGED;
            }
            if (attempts == 1) {
                report.first(kind, outcome);
            }
            if (outcome == Outcome.UNKNOWN) {
                dueNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(4_000, 250L << Math.min(4, attempts)));
                return false;
            }
            if (outcome == Outcome.ACKNOWLEDGED) {
                long now = System.nanoTime();
                if (faultEndNanos != 0 && now > faultEndNanos) {
                    firstAckAfterFault.compareAndSet(0, now);
                }
                onAcknowledged.accept(response);
            }
            report.last(kind, outcome, attempts);
            return true;
        }
    }

    private record PendingCredit(String movementType, String reference, long minor, long ackNanos, Instant ackAt) {
    }

    private void expectCredit(String user, String movementType, String reference, long minor) {
        PendingCredit credit = new PendingCredit(movementType, reference, minor, System.nanoTime(), Instant.now());
        pendingCredits.computeIfAbsent(user, u -> new CopyOnWriteArrayList<>()).add(credit);
        acknowledgedCredits.add(Map.entry(user, credit));
    }

    /**
     * The credit lag as the event store has it: from each credit's acknowledgement (the refund's or
     * grab's answer) to the wallet's credit event, by its recorded time (the nodes and the harness
     * share this machine's clock). Unlike the watcher's polling of wallet histories, whose rounds
     * take most of a second, this is exact to the millisecond; a credit applied before the client
     * had its answer counts as 0.
     */
    private void measureCreditLagFromStore() {
        Map<String, Instant> creditedAt = new HashMap<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT payload_type, convert_from(payload, 'UTF8'), time_stamp"
                     + " FROM event_entry WHERE payload_type LIKE '%WalletCreditedWithRefund'"
                     + " OR payload_type LIKE '%WalletCreditedFromRedPacket'")) {
            while (rows.next()) {
                JsonNode payload = tree(rows.getString(2));
                String key;
                if (rows.getString(1).endsWith("WalletCreditedWithRefund")) {
                    key = ClientLedger.REFUND_CREDIT + " " + id(payload.get("refundId"));
                } else if (!payload.path("refund").asBoolean(false)) {
                    key = ClientLedger.RED_PACKET_CLAIM + " " + id(payload.get("packetId")) + " " + id(payload.get("walletId"));
                } else {
                    continue;
                }
                Instant at = Instant.parse(rows.getString(3));
                creditedAt.merge(key, at, (a, b) -> a.isBefore(b) ? a : b);
            }
        } catch (SQLException e) {
            System.out.println("credit lag from the event store not measured: " + e.getMessage());
            return;
        }
        for (Map.Entry<String, PendingCredit> entry : acknowledgedCredits) {
            PendingCredit credit = entry.getValue();
            String key = credit.movementType().equals(ClientLedger.REFUND_CREDIT)
                    ? credit.movementType() + " " + credit.reference()
                    : credit.movementType() + " " + credit.reference() + " " + walletIds.get(entry.getKey());
            Instant at = creditedAt.get(key);
            if (at == null) {
                synchronized (measures) {
                    measures.storeCreditsMissing++;
                }
                continue;
            }
            long lag = Math.max(0, Duration.between(credit.ackAt(), at).toMillis());
            synchronized (measures) {
                measures.storeCreditLagMillis.add(lag);
                measures.storeCreditLagByKind.computeIfAbsent(credit.movementType(), k -> new ArrayList<>()).add(lag);
            }
        }
    }

    /**
     * What the live nodes' own metrics say about the fault (GET /actuator/prometheus, finance):
     * segments taken over, 503 answers, event-processor failures, parked credits and segments nobody
     * holds, each summed over the live nodes. A node restarted after a kill starts its counters anew.
     */
    private void readMetrics() {
        String finance = token("harness-finance", "finance", null);
        Map<String, Double> sums = new java.util.TreeMap<>();
        for (String name : FaultReport.FAULT_METRICS) {
            sums.put(name, 0.0);
        }
        int read = 0;
        for (Node node : nodes) {
            if (!node.routable) {
                continue;
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(node.base()
                                + "/actuator/prometheus")).timeout(requestTimeout).header("Accept", "text/plain")
                        .header("Authorization", "Bearer " + finance).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    continue;
                }
                read++;
                for (String line : response.body().split("\n")) {
                    String metric = FaultReport.faultMetric(line);
                    if (metric != null) {
                        int space = line.lastIndexOf(' ');
                        sums.merge(metric, Double.parseDouble(line.substring(space + 1)), Double::sum);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // A node that does not answer is left out; the count of nodes read says so.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        synchronized (measures) {
            measures.metricNodesRead = read;
            measures.faultMetrics.putAll(sums);
        }
    }

    private static String id(JsonNode node) {
        return node.isString() ? node.asString() : node.get("value").asString();
    }

    /** Credits acknowledged but not yet seen on the wallet: they cannot be spent yet. */
    private long uncredited(String user) {
        return pendingCredits.getOrDefault(user, List.of()).stream().mapToLong(PendingCredit::minor).sum();
    }

    private void setUp() throws InterruptedException {
        int userCount = BenchmarkSupport.option(options, "users", 40);
        int merchantCount = BenchmarkSupport.option(options, "merchants", 4);
        String admin = token("harness-admin", "admin", null);
        for (int m = 0; m < merchantCount; m++) {
            String merchant = "m_fh" + runId + "_" + m;
            settle(new Op("set-up", null, "/v1/merchants", admin, "{\"merchantId\":\"" + merchant + "\",\"name\":\"Fault shop "
                    + m + "\",\"feeRateBasisPoints\":0}", "onboard-" + merchant, r -> books.onboard(merchant)));
            merchants.add(merchant);
        }
        for (int u = 0; u < userCount; u++) {
            String user = "fh" + runId + "-u" + u;
            String token = token(user, "user", null);
            settle(new Op("set-up", user, "/v1/wallets", token, "{\"currency\":\"CNY\"}", "open-" + user, r -> {
                walletIds.put(user, tree(r.body()).get("walletId").asString());
                books.openWallet(user);
            }));
            users.add(user);
            inboxes.put(user, new ArrayDeque<>());
            topUp(user, 200_000, true);
        }
        System.out.printf(Locale.ROOT, "set up %d merchants and %d wallets of 2,000.00 CNY%n", merchantCount, userCount);
    }

    /** Retries an operation until it is settled; the set-up runs before any fault, so this ends. */
    private void settle(Op op) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!op.attempt()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("set-up request " + op.path + " did not succeed");
            }
            Thread.sleep(500);
        }
    }

    private Op topUp(String user, long minor, boolean now) throws InterruptedException {
        String reference = "bank-fh" + runId + "-" + sequence.incrementAndGet();
        Op op = new Op(now ? "set-up" : "top-up", user, "/v1/wallets/" + walletIds.get(user) + "/top-ups",
                token("harness-admin", "admin", null), "{\"bankReference\":\"" + reference + "\",\"amount\":\""
                + ClientLedger.decimal(minor) + "\",\"currency\":\"CNY\"}", null,
                r -> books.topUp(user, reference, minor));
        if (now) {
            settle(op);
        }
        return op;
    }

    /**
     * The next operation for a user, drawn at random: 30% payments, 10% authorisations, 10%
     * captures, 15% refunds, 15% grabs, 10% red packets and 10% withdrawals; a draw with nothing
     * to act on (no authorisation to capture, no payment to refund, no packet to grab) falls
     * through to the next kind. A top-up comes first whenever the spendable balance (credits not
     * yet seen do not count) is below 500.00.
     */
    private Op nextOperation(String user) throws InterruptedException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String token = token(user, "user", null);
        long spendable = books.available(user) - uncredited(user);
        if (spendable < 50_000) {
            return topUp(user, 100_000, false);
        }
        int dice = random.nextInt(100);
        long seq = sequence.incrementAndGet();
        if (dice < 40) {
            boolean manual = dice >= 30;
            String merchant = merchants.get(random.nextInt(merchants.size()));
            long amount = random.nextLong(1, 2_001);
            String order = "o-" + runId + "-" + seq;
            String body = "{\"merchantId\":\"" + merchant + "\",\"orderNumber\":\"" + order + "\",\"amount\":\""
                    + ClientLedger.decimal(amount) + "\",\"currency\":\"CNY\"" + (manual ? ",\"captureMode\":\"manual\"" : "")
                    + "}";
            return new Op(manual ? "authorise" : "payment", user, "/v1/payments", token, body, "pay-" + order,
                    r -> books.payment(user, merchant, tree(r.body()).get("paymentId").asString(), amount, !manual));
        }
        if (dice < 50) {
            List<ClientLedger.Payment> open = books.capturable(user);
            if (!open.isEmpty()) {
                ClientLedger.Payment payment = open.get(random.nextInt(open.size()));
                return new Op("capture", user, "/v1/payments/" + payment.paymentId + "/capture",
                        token("owner-" + payment.merchant, "merchant", payment.merchant), "{}", "cap-" + payment.paymentId,
                        r -> books.capture(payment.paymentId));
            }
        }
        if (dice < 65) {
            List<ClientLedger.Payment> refundable = books.refundable(user);
            if (!refundable.isEmpty()) {
                ClientLedger.Payment payment = refundable.get(random.nextInt(refundable.size()));
                long amount = random.nextLong(1, Math.min(payment.minor - payment.refundedMinor, 1_000) + 1);
                String number = "r-" + runId + "-" + seq;
                return new Op("refund", user, "/v1/payments/" + payment.paymentId + "/refunds",
                        token("owner-" + payment.merchant, "merchant", payment.merchant), "{\"refundNumber\":\"" + number
                        + "\",\"amount\":\"" + ClientLedger.decimal(amount) + "\",\"currency\":\"CNY\"}", "ref-" + number,
                        r -> {
                            String refundId = tree(r.body()).get("refundId").asString();
                            books.refund(payment.paymentId, refundId, amount);
                            expectCredit(user, ClientLedger.REFUND_CREDIT, refundId, amount);
                        });
            }
        }
        if (dice < 80) {
            String packetId;
            ArrayDeque<String> inbox = inboxes.get(user);
            synchronized (inbox) {
                packetId = inbox.pollFirst();
            }
            if (packetId != null) {
                return new Op("grab", user, "/v1/red-packets/" + packetId + "/grab", token, null, null, r -> {
                    JsonNode answer = tree(r.body());
                    JsonNode share = r.status() == 409 ? answer.get("share") : answer.get("amount");
                    long minor = ClientLedger.minor(share.get("amount").asString());
                    books.grab(user, packetId, minor);
                    expectCredit(user, ClientLedger.RED_PACKET_CLAIM, packetId, minor);
                });
            }
        }
        if (dice < 90) {
            int shares = random.nextInt(2, 4);
            long total = random.nextLong(100, 1_001);
            List<String> members = new ArrayList<>(users);
            members.remove(user);
            Collections.shuffle(members, random);
            List<String> chosen = members.subList(0, Math.min(3, members.size()));
            String body = "{\"kind\":\"group_lucky\",\"amount\":\"" + ClientLedger.decimal(total)
                    + "\",\"currency\":\"CNY\",\"shares\":" + shares + ",\"members\":[\"" + String.join("\",\"", chosen)
                    + "\"]}";
            List<String> recipients = List.copyOf(chosen);
            return new Op("red-packet", user, "/v1/red-packets", token, body, "pkt-" + runId + "-" + seq, r -> {
                String packetId = tree(r.body()).get("packetId").asString();
                books.packet(user, packetId, total);
                for (String member : recipients) {
                    ArrayDeque<String> inbox = inboxes.get(member);
                    synchronized (inbox) {
                        inbox.addLast(packetId);
                    }
                }
            });
        }
        long amount = random.nextLong(1, 501);
        return new Op("withdrawal", user, "/v1/wallets/" + walletIds.get(user) + "/withdrawals", token,
                "{\"bankAccountToken\":\"bank-" + user + "\",\"amount\":\"" + ClientLedger.decimal(amount)
                + "\",\"currency\":\"CNY\"}", "wd-" + runId + "-" + seq, r -> books.withdrawal(user, amount));
    }

    // ---------------------------------------------------------------- load, fault, credits

    private final Map<String, Op> pending = new ConcurrentHashMap<>();

    private void runLoad() throws Exception {
        int seconds = BenchmarkSupport.option(options, "seconds", 45);
        int operations = BenchmarkSupport.option(options, "operations", 20_000);
        int workers = BenchmarkSupport.option(options, "workers", 6);
        int faultAt = BenchmarkSupport.option(options, "fault-at", Math.max(1, seconds / 3));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger issued = new AtomicInteger();
        Thread watcher = Thread.ofPlatform().name("credit-watcher").start(() -> watchCredits(stop));
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        for (int w = 0; w < workers; w++) {
            List<String> own = new ArrayList<>();
            for (int u = w; u < users.size(); u += workers) {
                own.add(users.get(u));
            }
            threads.add(Thread.ofPlatform().name("worker-" + w).start(() -> {
                try {
                    while (!stop.get() && System.nanoTime() < end && issued.get() < operations) {
                        boolean didSomething = false;
                        for (String user : own) {
                            if (stop.get() || System.nanoTime() >= end) {
                                break;
                            }
                            Op waiting = pending.get(user);
                            if (waiting != null) {
                                if (System.nanoTime() >= waiting.dueNanos) {
                                    didSomething = true;
                                    if (waiting.attempt()) {
                                        pending.remove(user);
                                    }
                                }
                                continue;
                            }
                            if (issued.incrementAndGet() > operations) {
                                break;
                            }
                            Op op = nextOperation(user);
                            didSomething = true;
                            if (!op.attempt()) {
                                pending.put(user, op);
                            }
                        }
                        if (!didSomething) {
                            Thread.sleep(50);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    System.err.println(Thread.currentThread().getName() + " stopped: " + e);
                    e.printStackTrace();
                }
            }));
        }
        Thread injector = null;
        if (!fault.equals("none")) {
            injector = Thread.ofPlatform().name("fault").start(() -> {
                try {
                    Thread.sleep(TimeUnit.SECONDS.toMillis(faultAt));
                    inject();
                } catch (Exception e) {
                    injectionFailure = e;
                    System.err.println("fault injection failed: " + e);
                }
            });
        }
        for (Thread thread : threads) {
            thread.join();
        }
        measures.loadSeconds = (System.nanoTime() - start) / 1e9;
        Path loadAverage = Path.of("/proc/loadavg");
        if (Files.isReadable(loadAverage)) {
            // Other work on the machine shows here: the nodes, PostgreSQL and the harness share its cores.
            String[] fields = Files.readString(loadAverage).trim().split("\\s+");
            measures.machineLoad = "load average " + fields[0] + " / " + fields[1] + " / " + fields[2]
                    + " (1, 5, 15 min) on " + Runtime.getRuntime().availableProcessors() + " cores";
        }
        System.out.printf(Locale.ROOT, "load done: %d operations issued in %.1f s, %d unknown pending%n",
                Math.min(issued.get(), operations), measures.loadSeconds, pending.size());
        if (injector != null) {
            injector.join();
            if (injectionFailure != null) {
                // A run without its fault must not pass for one with it.
                throw new IllegalStateException("the fault " + fault + " could not be injected", injectionFailure);
            }
        }
        if (faultEndNanos != 0) {
            long first = firstAckAfterFault.get();
            measures.resumeMillis = first == 0 ? -1L : TimeUnit.NANOSECONDS.toMillis(first - faultEndNanos);
        }
        creditWatcherStop = stop;
        creditWatcher = watcher;
    }

    private volatile Exception injectionFailure;
    private AtomicBoolean creditWatcherStop;
    private Thread creditWatcher;

    private void inject() throws Exception {
        long startNanos = System.nanoTime();
        System.out.printf(Locale.ROOT, "injecting fault %s at %s%n", fault, Instant.now());
        switch (fault) {
            case "kill-node", "kill-one-of-two" -> {
                // The victim is the node holding the most segments (a pooled processor keeps what it
                // claimed, so the first node started often holds them all), and the segments to take
                // over are its own and any nobody held at the kill.
                Map<String, String> owners = segmentOwners();
                Node victim = nodes.getFirst();
                long most = -1;
                for (Node node : nodes) {
                    String prefix = node.ownerPrefix();
                    long held = owners.values().stream().filter(o -> prefix != null && o != null && o.startsWith(prefix))
                            .count();
                    if (held > most) {
                        most = held;
                        victim = node;
                    }
                }
                String deadPrefix = victim.ownerPrefix();
                Set<String> watched = new java.util.TreeSet<>();
                owners.forEach((segment, owner) -> {
                    if (owner == null || owner.startsWith(deadPrefix)) {
                        watched.add(segment);
                    }
                });
                measures.victimSegments = (int) most;
                System.out.printf(Locale.ROOT, "node %d holds %d of %d segments (%d unclaimed); killing it%n",
                        victim.index, most, owners.size(), watched.size() - most);
                victim.kill();
                faultEndNanos = System.nanoTime();
                Thread takeover = Thread.ofPlatform().name("takeover")
                        .start(() -> measureTakeover(startNanos, deadPrefix, watched));
                if (fault.equals("kill-node")) {
                    victim.start();
                    victim.awaitReady(Duration.ofSeconds(300));
                }
                takeover.join();
            }
            case "pg-restart" -> {
                restartPostgres();
                faultEndNanos = System.nanoTime();
                System.out.printf(Locale.ROOT, "PostgreSQL restarted (immediate) in %.1f s%n",
                        (faultEndNanos - startNanos) / 1e9);
            }
            case "terminate-backends" -> {
                try (Connection connection = connect(); Statement statement = connection.createStatement();
                     ResultSet rs = statement.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                             + " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                             + " AND application_name <> '" + HARNESS_APPLICATION + "'")) {
                    rs.next();
                    System.out.println("terminated " + rs.getLong(1) + " backends of the ledger's connections");
                }
                faultEndNanos = System.nanoTime();
            }
            case "read-only" -> {
                int faultSeconds = BenchmarkSupport.option(options, "fault-seconds", 10);
                try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                    statement.execute("ALTER SYSTEM SET default_transaction_read_only = on");
                    statement.execute("SELECT pg_reload_conf()");
                    System.out.println("database read-only for " + faultSeconds + " s");
                    Thread.sleep(TimeUnit.SECONDS.toMillis(faultSeconds));
                    statement.execute("ALTER SYSTEM RESET default_transaction_read_only");
                    statement.execute("SELECT pg_reload_conf()");
                }
                faultEndNanos = System.nanoTime();
                System.out.println("database writable again");
            }
            default -> throw new IllegalStateException(fault);
        }
    }

    /** Every processor segment ({@code processor/segment}) and its owner (null: unclaimed), read over JDBC. */
    private Map<String, String> segmentOwners() throws SQLException {
        Map<String, String> owners = new java.util.TreeMap<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT processor_name, segment, owner FROM token_entry")) {
            while (rs.next()) {
                owners.put(rs.getString(1) + "/" + rs.getInt(2), rs.getString(3));
            }
        }
        return owners;
    }

    /**
     * From the kill until every watched segment (the killed node's, and those unclaimed at the
     * kill) is claimed by a live node, polled over JDBC every 250 ms.
     */
    private void measureTakeover(long killNanos, String deadPrefix, Set<String> watched) {
        long deadline = killNanos + TimeUnit.SECONDS.toNanos(180);
        measures.takeoverMillis = -1L;
        Set<String> waiting = new java.util.TreeSet<>(watched);
        while (System.nanoTime() < deadline) {
            Set<String> live = new java.util.HashSet<>();
            for (Node node : nodes) {
                String prefix = node.ownerPrefix();
                if (prefix != null && !prefix.equals(deadPrefix)) {
                    live.add(prefix);
                }
            }
            try {
                Map<String, String> owners = segmentOwners();
                waiting.removeIf(segment -> {
                    String owner = owners.get(segment);
                    return owner != null && live.stream().anyMatch(owner::startsWith);
                });
                if (waiting.isEmpty()) {
                    measures.takeoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killNanos);
                    System.out.printf(Locale.ROOT, "takeover: all %d segments claimed by live nodes %.1f s after the"
                            + " kill%n", watched.size(), measures.takeoverMillis / 1000.0);
                    return;
                }
            } catch (SQLException e) {
                // The database may be briefly unreachable; the next poll tries again.
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        System.out.println("takeover: not claimed by a live node within 180 s: " + waiting);
        measures.segmentsNotTakenOver = List.copyOf(waiting);
    }

    /** Polls each wallet with credits not yet seen until its history shows them; records the lag. */
    private void watchCredits(AtomicBoolean stop) {
        String finance = token("harness-finance", "finance", null);
        long cycles = 0;
        long cycleNanos = 0;
        long longestCycle = 0;
        while (!stop.get()) {
            long cycleStart = System.nanoTime();
            for (Map.Entry<String, List<PendingCredit>> entry : pendingCredits.entrySet()) {
                List<PendingCredit> waiting = entry.getValue();
                if (waiting.isEmpty()) {
                    continue;
                }
                Response response = send(nextNode(), "GET", "/v1/wallets/" + walletIds.get(entry.getKey())
                        + "/history?limit=200", finance, null, null);
                if (response.status() != 200) {
                    continue;
                }
                long now = System.nanoTime();
                Set<String> seen = new java.util.HashSet<>();
                for (JsonNode item : tree(response.body()).get("items")) {
                    seen.add(item.get("movementType").asString() + " " + item.get("reference").asString());
                }
                for (PendingCredit credit : waiting) {
                    if (seen.contains(credit.movementType() + " " + credit.reference())) {
                        synchronized (measures) {
                            long lag = TimeUnit.NANOSECONDS.toMillis(now - credit.ackNanos());
                            measures.creditLagMillis.add(lag);
                            measures.creditLagByKind.computeIfAbsent(credit.movementType(), k -> new ArrayList<>()).add(lag);
                        }
                        waiting.remove(credit);
                    }
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            // A credit is seen at most one cycle after it lands: the cycle is the lag's resolution.
            long cycle = System.nanoTime() - cycleStart;
            cycles++;
            cycleNanos += cycle;
            longestCycle = Math.max(longestCycle, cycle);
            measures.creditPollCycle = String.format(Locale.ROOT, "mean %.2f s, longest %.2f s over %d polls",
                    cycleNanos / 1e9 / cycles, longestCycle / 1e9, cycles);
        }
    }

    // ---------------------------------------------------------------- after the load

    private void resolveUnknowns() throws InterruptedException {
        int seconds = BenchmarkSupport.option(options, "resolve-seconds", 120);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        System.out.println("retrying " + pending.size() + " unknown operations with their keys");
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            for (Map.Entry<String, Op> entry : pending.entrySet()) {
                if (System.nanoTime() >= entry.getValue().dueNanos && entry.getValue().attempt()) {
                    pending.remove(entry.getKey());
                }
            }
            Thread.sleep(100);
        }
        for (Op op : pending.values()) {
            report.last(op.kind, Outcome.UNKNOWN, op.attempts);
        }
    }

    /** Waits until every processor's token is at the head of the event store and every credit has been seen. */
    private void catchUp() throws Exception {
        int seconds = BenchmarkSupport.option(options, "catch-up-seconds", 180);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
        boolean caughtUp = false;
        while (System.nanoTime() < deadline) {
            boolean creditsSeen = pendingCredits.values().stream().allMatch(List::isEmpty);
            if (creditsSeen && processorsAtHead()) {
                caughtUp = true;
                break;
            }
            Thread.sleep(250);
        }
        creditWatcherStop.set(true);
        creditWatcher.join();
        measures.creditsNeverSeen = pendingCredits.values().stream().mapToInt(List::size).sum();
        System.out.printf(Locale.ROOT, "%s after %.1f s%n", caughtUp ? "processors caught up and every credit seen"
                : "NOT caught up", (System.nanoTime() - start) / 1e9);
    }

    private boolean processorsAtHead() {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            long head;
            try (ResultSet rs = statement.executeQuery("SELECT COALESCE(MAX(global_index), -1) FROM event_entry")) {
                rs.next();
                head = rs.getLong(1);
            }
            try (ResultSet rs = statement.executeQuery("SELECT token FROM token_entry")) {
                while (rs.next()) {
                    byte[] token = rs.getBytes(1);
                    long position = -1;
                    if (token != null) {
                        Matcher matcher = TOKEN_INDEX.matcher(new String(token, StandardCharsets.UTF_8));
                        while (matcher.find()) {
                            position = Math.max(position, Long.parseLong(matcher.group(1)));
                        }
                    }
                    if (position < head) {
                        return false;
                    }
                }
            }
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private void check() throws InterruptedException {
        String finance = token("harness-finance", "finance", null);
        ClientLedger.Findings findings = ClientLedger.Findings.none();
        for (String user : users) {
            String wallet = walletIds.get(user);
            JsonNode view = tree(read("/v1/wallets/" + wallet, finance).body());
            List<ClientLedger.Posting> postings = new ArrayList<>();
            String cursor = null;
            do {
                String path = "/v1/wallets/" + wallet + "/history?limit=200"
                        + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
                JsonNode page = tree(read(path, finance).body());
                for (JsonNode item : page.get("items")) {
                    String type = item.get("movementType").asString();
                    JsonNode reference = item.get("reference");
                    postings.add(new ClientLedger.Posting(type, ClientLedger.WITHDRAWAL.equals(type) ? null
                            : reference == null || reference.isNull() ? null : reference.asString(),
                            ClientLedger.minor(item.get("amount").get("amount").asString())));
                }
                JsonNode next = page.get("nextCursor");
                cursor = next == null || next.isNull() ? null : next.asString();
            } while (cursor != null);
            findings = findings.plus(books.checkWallet(user, postings,
                    ClientLedger.minor(view.get("available").get("amount").asString()),
                    ClientLedger.minor(view.get("held").get("amount").asString())));
        }
        for (String merchant : merchants) {
            JsonNode view = tree(read("/v1/merchants/" + merchant, finance).body());
            findings = findings.plus(books.checkMerchant(merchant,
                    ClientLedger.minor(view.get("settlementBalance").get("amount").asString())));
        }
        for (ClientLedger.Payment payment : books.payments()) {
            Response response = read("/v1/payments/" + payment.paymentId, finance);
            if (response.status() == 404) {
                findings = findings.plus(books.checkPayment(payment.paymentId, false, 0, false));
                continue;
            }
            JsonNode view = tree(response.body());
            findings = findings.plus(books.checkPayment(payment.paymentId, true,
                    ClientLedger.minor(view.get("authorised").get("amount").asString()),
                    "captured".equals(view.get("status").asString())));
            if (payment.captured) {
                List<ClientLedger.ObservedRefund> refunds = new ArrayList<>();
                for (JsonNode refund : tree(read("/v1/payments/" + payment.paymentId + "/refunds", finance).body())) {
                    refunds.add(new ClientLedger.ObservedRefund(refund.get("refundId").asString(),
                            ClientLedger.minor(refund.get("amount").get("amount").asString())));
                }
                findings = findings.plus(books.checkRefunds(payment.paymentId, refunds));
            }
        }
        for (String packetId : books.packets()) {
            Response response = read("/v1/red-packets/" + packetId, finance);
            if (response.status() == 404) {
                findings = findings.plus(books.checkPacket(packetId, false, 0, List.of()));
                continue;
            }
            JsonNode page = tree(response.body());
            List<ClientLedger.ObservedGrab> grabs = new ArrayList<>();
            for (JsonNode grab : page.get("grabs")) {
                grabs.add(new ClientLedger.ObservedGrab(grab.get("userId").asString(),
                        ClientLedger.minor(grab.get("amount").get("amount").asString())));
            }
            findings = findings.plus(books.checkPacket(packetId, true,
                    ClientLedger.minor(page.get("packet").get("total").get("amount").asString()), grabs));
        }
        measures.findings = findings;
        Response trial = read("/v1/trial-balance", finance);
        measures.trialBalanceBalanced = trial.status() == 200 && tree(trial.body()).get("balanced").asBoolean();
        if (!measures.trialBalanceBalanced) {
            System.out.println("trial balance: " + trial.body());
        }
        Response reconciliation = read("/v1/finance/reconciliation", finance);
        measures.reconciliationBalanced = reconciliation.status() == 200
                && tree(reconciliation.body()).get("balanced").asBoolean();
        if (!measures.reconciliationBalanced) {
            String body = reconciliation.body();
            System.out.println("reconciliation: " + body.substring(0, Math.min(2_000, body.length())));
        }
        System.out.printf(Locale.ROOT, "checked %d wallets, %d merchants, %d payments, %d packets%n", users.size(),
                merchants.size(), books.payments().size(), books.packets().size());
        List<Path> nodeLogs = new ArrayList<>();
        for (Node node : nodes) {
            for (int g = 1; g <= node.generation; g++) {
                nodeLogs.add(workDirectory.resolve("node-" + node.index + "-" + g + ".log"));
            }
        }
        measures.nodeLogs = FaultReport.LogCounts.of(nodeLogs);
        if (embedded != null) {
            measures.postgresLog = FaultReport.LogCounts.of(List.of(workDirectory.resolve("postgres.log")));
        }
    }
}
