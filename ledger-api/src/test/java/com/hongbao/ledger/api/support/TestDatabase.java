package com.hongbao.ledger.api.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real PostgreSQL the tests run against, chosen once per JVM: an external server when
 * {@code LEDGER_TEST_DB_URL} is set (a fresh database is created in it), a Testcontainers
 * PostgreSQL when a Docker engine answers, and otherwise the embedded PostgreSQL binaries from
 * Maven Central with a throw-away data directory. Never H2, never a mock.
 */
public final class TestDatabase {

    public record Server(String url, String user, String password, String kind) {
    }

    private static Server instance;

    private TestDatabase() {
    }

    public static synchronized Server get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    /** A database of its own on the same server, for a test whose data must not reach the others'. */
    public static synchronized Server another() {
        Server server = get();
        return freshDatabaseIn(server.url(), server.user(), server.password());
    }

    private static Server start() {
        String external = System.getenv("LEDGER_TEST_DB_URL");
        if (external != null && !external.isBlank()) {
            return freshDatabaseIn(external, env("LEDGER_TEST_DB_USER", "postgres"), env("LEDGER_TEST_DB_PASSWORD", ""));
        }
        if (dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                    "testcontainers");
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(Files.createTempDirectory("ledger-test-pg"))
                    .setCleanDataDirectory(true)
                    .setServerConfig("max_connections", "300")
                    // The tests commit thousands of tiny transactions; durability of a throw-away
                    // test database is not what they check.
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // The JVM is exiting; the temporary directory is cleaned by the library.
                }
            }));
            return new Server(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", "embedded");
        } catch (IOException e) {
            throw new IllegalStateException("could not start the embedded PostgreSQL", e);
        }
    }

    private static boolean dockerAvailable() {
        if ("false".equals(System.getenv("LEDGER_TEST_DOCKER"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    private static Server freshDatabaseIn(String url, String user, String password) {
        String name = "ledger_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create a test database in " + url, e);
        }
        int slash = url.lastIndexOf('/');
        int query = url.indexOf('?', slash);
        String databaseUrl = url.substring(0, slash + 1) + name + (query < 0 ? "" : url.substring(query));
        return new Server(databaseUrl, user, password, "external");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
