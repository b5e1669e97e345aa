package com.hongbao.ledger.api.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL, started durable and locked: every commit is flushed to disk before it
 * is acknowledged, and nobody connects without the generated superuser password.
 *
 * <p>zonky's {@link EmbeddedPostgres} is made for throw-away test databases. Its builder starts the
 * server through {@code pg_ctl -o "-p PORT -F -c key=value ..."}, where {@code -F} turns fsync off,
 * with {@code synchronous_commit=off} among its default server settings, and runs {@code initdb}
 * with {@code -A trust}. PostgreSQL applies its command-line options in order and the last setting
 * of a parameter wins, so the {@code -c fsync=on} that follows {@code -F} turns fsync back on, and
 * {@code synchronous_commit=on} replaces the builder's default in its map. {@code initdb} likewise
 * takes the last of its options: the builder appends its "locale" options as {@code --name=value}
 * after {@code -A trust}, so {@code --auth=scram-sha-256} and {@code --pwfile} initialise a new
 * cluster with password authentication and the generated password. The settings are checked on the
 * running server ({@code SHOW fsync}) by {@code DurableEmbeddedPostgresTest}.
 *
 * <p>A data directory created by an earlier version (trust authentication, no password) is converted
 * on its first start: the password is generated and stored, set on the superuser, {@code pg_hba.conf}
 * is rewritten to accept only scram-sha-256 and the server reloads it. Its ledger is kept as it was.
 *
 * <p>The password is kept in {@code <data directory>.password} beside the data directory (initdb
 * needs an empty directory), readable by its owner only; keep the two together.
 */
public final class DurableEmbeddedPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DurableEmbeddedPostgres.class);

    /** The cluster's superuser, as zonky's initdb names it. */
    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

    /** Only scram-sha-256, on the local socket and on the loopback addresses (the server listens on no other). */
    static final String PG_HBA = """
            # Written by the ledger: every connection needs the superuser's password (scram-sha-256),
            # which the ledger keeps beside the data directory, readable by its owner only.
            local   all             all                                     scram-sha-256
            host    all             all             127.0.0.1/32            scram-sha-256
            host    all             all             ::1/128                 scram-sha-256
            local   replication     all                                     scram-sha-256
            host    replication     all             127.0.0.1/32            scram-sha-256
            host    replication     all             ::1/128                 scram-sha-256
            """;

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final char[] PASSWORD_ALPHABET =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final String password;

    private DurableEmbeddedPostgres(EmbeddedPostgres postgres, Path dataDirectory, String password) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.password = password;
    }

    /**
     * Starts PostgreSQL on {@code dataDirectory} (created and initialised if it holds no cluster yet)
     * with the durable settings; {@code port} 0 picks a free one.
     *
     * @param extraSettings further server settings as {@code name, value} pairs (e.g. a benchmark's
     *                      {@code shared_buffers}); values must not contain blanks (pg_ctl passes them
     *                      through a shell)
     */
    public static DurableEmbeddedPostgres start(Path dataDirectory, int port, String... extraSettings)
            throws IOException {
        Path directory = dataDirectory.toAbsolutePath();
        Files.createDirectories(directory.getParent());
        Path passwordFile = passwordFileOf(directory);
        boolean fresh = !Files.exists(directory.resolve("postgresql.conf"));
        String password = readOrCreatePassword(passwordFile);
        boolean convert = !fresh && acceptsConnectionsWithoutPassword(directory.resolve("pg_hba.conf"));

        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(directory)
                .setCleanDataDirectory(false)
                .setPort(port)
                // Spring (or the benchmark) stops the server after the pool and the event processors
                // are closed; the library's own shutdown hook would race them.
                .setRegisterShutdownHook(false)
                // After the builder's -F: the last value of a setting wins.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setServerConfig("max_connections", "200")
                // The library's readiness check connects as the superuser; with trust (before the
                // conversion) the password is simply not asked for.
                .setConnectConfig("password", password);
        for (int i = 0; i + 1 < extraSettings.length; i += 2) {
            builder.setServerConfig(extraSettings[i], extraSettings[i + 1]);
        }
        if (fresh) {
            // Appended after the library's "-A trust"; initdb takes the last value.
            builder.setLocaleConfig("auth", "scram-sha-256");
            builder.setLocaleConfig("pwfile", passwordFile.toString());
            builder.setDataDirectoryCustomizer(initialised -> writePgHba(initialised.toPath()));
        }
        EmbeddedPostgres postgres = builder.start();
        DurableEmbeddedPostgres started = new DurableEmbeddedPostgres(postgres, directory, password);
        if (convert) {
            try {
                started.convertFromTrust();
            } catch (SQLException | RuntimeException e) {
                postgres.close();
                throw new IOException("could not set a password on the embedded PostgreSQL in " + directory, e);
            }
        }
        return started;
    }

    /** Where the password of the cluster in {@code dataDirectory} is kept. */
    public static Path passwordFileOf(Path dataDirectory) {
        Path directory = dataDirectory.toAbsolutePath();
        return directory.resolveSibling(directory.getFileName() + ".password");
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, DATABASE);
    }

    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the server (a fast shutdown); a server that is already gone is only logged by the library. */
    @Override
    public void close() throws IOException {
        postgres.close();
    }

    /**
     * A cluster of an earlier version: set the stored password on the superuser over the old trust
     * access (local connections only, as before), then require it and reload.
     */
    private void convertFromTrust() throws SQLException, IOException {
        LOG.warn("converting the embedded PostgreSQL in {} from trust to password (scram-sha-256) authentication;"
                + " the password is kept in {}", dataDirectory, passwordFileOf(dataDirectory));
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), USER, password);
             Statement statement = connection.createStatement()) {
            statement.execute("SET password_encryption = 'scram-sha-256'");
            // The password is drawn from an alphabet without quotes or backslashes.
            statement.execute("ALTER ROLE " + USER + " PASSWORD '" + password + "'");
            writePgHba(dataDirectory);
            statement.execute("SELECT pg_reload_conf()");
        }
        // The postmaster rereads pg_hba.conf on the signal, shortly after; wait until it asks for the password.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (acceptsWithoutPassword()) {
            if (System.nanoTime() > deadline) {
                throw new SQLException("the embedded PostgreSQL still accepts connections without a password");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for PostgreSQL to reload pg_hba.conf", e);
            }
        }
    }

    private boolean acceptsWithoutPassword() {
        try (Connection ignored = DriverManager.getConnection(jdbcUrl(), USER, "")) {
            return true;
        } catch (SQLException refused) {
            return false;
        }
    }

    private static void writePgHba(Path dataDirectory) {
        try {
            Path hba = dataDirectory.resolve("pg_hba.conf");
            Path written = dataDirectory.resolve("pg_hba.conf.ledger-new");
            Files.writeString(written, PG_HBA, StandardCharsets.UTF_8);
            restrictToOwner(written);
            Files.move(written, hba, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether any rule of {@code pg_hba.conf} lets a client in without a password ({@code trust}). */
    static boolean acceptsConnectionsWithoutPassword(Path hba) throws IOException {
        if (!Files.exists(hba)) {
            return false;
        }
        for (String line : Files.readAllLines(hba, StandardCharsets.UTF_8)) {
            String rule = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
            for (String field : rule.trim().split("\\s+")) {
                if (field.equals("trust")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The stored password, or a new one (24 characters, about 140 bits) written owner-only before
     * any server sees it, so a crash in between cannot lose it.
     */
    private static String readOrCreatePassword(Path passwordFile) throws IOException {
        if (Files.exists(passwordFile)) {
            restrictToOwner(passwordFile);
            String stored = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            if (stored.isEmpty()) {
                throw new IOException("the embedded PostgreSQL's password file is empty: " + passwordFile);
            }
            return stored;
        }
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            password.append(PASSWORD_ALPHABET[random.nextInt(PASSWORD_ALPHABET.length)]);
        }
        Path written = passwordFile.resolveSibling(passwordFile.getFileName() + ".new");
        Files.deleteIfExists(written);
        if (posix()) {
            Files.createFile(written, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(written);
        }
        Files.writeString(written, password + "\n", StandardCharsets.UTF_8);
        Files.move(written, passwordFile, StandardCopyOption.ATOMIC_MOVE);
        return password.toString();
    }

    private static void restrictToOwner(Path file) throws IOException {
        if (posix()) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
