package com.hongbao.ledger.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL as {@link DatabaseConfig} starts it: durable settings on the running
 * server, a password nobody else can read, no access without it, and a data directory of an
 * earlier version (zonky's defaults: trust, fsync off) converted with its data kept.
 */
class DurableEmbeddedPostgresTest {

    @TempDir
    Path temp;

    @Test
    void a_new_cluster_runs_durable_and_refuses_connections_without_its_password() throws Exception {
        Path dataDirectory = temp.resolve("postgres");
        try (DurableEmbeddedPostgres postgres = DurableEmbeddedPostgres.start(dataDirectory, 0)) {
            assertDurable(postgres);
            assertPasswordRequired(postgres);
            assertThat(Files.readString(dataDirectory.resolve("pg_hba.conf"))).isEqualTo(DurableEmbeddedPostgres.PG_HBA);
        }
        // Started again on the same directory, it uses the stored password.
        try (DurableEmbeddedPostgres again = DurableEmbeddedPostgres.start(dataDirectory, 0)) {
            assertDurable(again);
            assertPasswordRequired(again);
        }
    }

    @Test
    void a_data_directory_of_an_earlier_version_with_trust_is_converted_and_keeps_its_data() throws Exception {
        Path dataDirectory = temp.resolve("legacy");
        // Exactly how the earlier DatabaseConfig started it.
        EmbeddedPostgres legacy = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false)
                .setRegisterShutdownHook(false).setServerConfig("max_connections", "200").start();
        try (Connection connection = DriverManager.getConnection(legacy.getJdbcUrl("postgres", "postgres"), "postgres", "");
             Statement statement = connection.createStatement()) {
            assertThat(show(statement, "fsync")).as("the earlier default, the defect").isEqualTo("off");
            statement.execute("CREATE TABLE kept (amount_minor BIGINT)");
            statement.execute("INSERT INTO kept VALUES (4200)");
        } finally {
            legacy.close();
        }
        assertThat(DurableEmbeddedPostgres.acceptsConnectionsWithoutPassword(dataDirectory.resolve("pg_hba.conf"))).isTrue();

        try (DurableEmbeddedPostgres converted = DurableEmbeddedPostgres.start(dataDirectory, 0)) {
            assertDurable(converted);
            assertPasswordRequired(converted);
            assertThat(kept(converted)).isEqualTo(4200);
        }
        assertThat(DurableEmbeddedPostgres.acceptsConnectionsWithoutPassword(dataDirectory.resolve("pg_hba.conf"))).isFalse();
        try (DurableEmbeddedPostgres restarted = DurableEmbeddedPostgres.start(dataDirectory, 0)) {
            assertPasswordRequired(restarted);
            assertThat(kept(restarted)).isEqualTo(4200);
        }
    }

    /** What {@code SHOW} answers on the running server, through the password the pool uses. */
    static void assertDurable(DurableEmbeddedPostgres postgres) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
             Statement statement = connection.createStatement()) {
            assertThat(show(statement, "fsync")).isEqualTo("on");
            assertThat(show(statement, "synchronous_commit")).isEqualTo("on");
            assertThat(show(statement, "full_page_writes")).isEqualTo("on");
            assertThat(show(statement, "listen_addresses")).isEqualTo("localhost");
            assertThat(show(statement, "password_encryption")).isEqualTo("scram-sha-256");
        }
    }

    /** No password and a wrong one are refused; the password file is the owner's alone. */
    static void assertPasswordRequired(DurableEmbeddedPostgres postgres) throws Exception {
        assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "").close())
                .isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(),
                postgres.password() + "x").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        Path passwordFile = DurableEmbeddedPostgres.passwordFileOf(postgres.dataDirectory());
        assertThat(Files.readString(passwordFile).strip()).isEqualTo(postgres.password());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
             Statement statement = connection.createStatement();
             ResultSet method = statement.executeQuery("SELECT DISTINCT auth_method FROM pg_hba_file_rules")) {
            assertThat(method.next()).isTrue();
            assertThat(method.getString(1)).isEqualTo("scram-sha-256");
            assertThat(method.next()).as("one method only").isFalse();
        }
    }

    private static long kept(DurableEmbeddedPostgres postgres) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT amount_minor FROM kept")) {
            assertThat(row.next()).isTrue();
            return row.getLong(1);
        }
    }

    static String show(Statement statement, String setting) throws SQLException {
        try (ResultSet result = statement.executeQuery("SHOW " + setting)) {
            result.next();
            return result.getString(1);
        }
    }
}
