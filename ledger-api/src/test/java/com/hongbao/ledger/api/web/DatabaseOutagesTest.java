package com.hongbao.ledger.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Which failures are the database being away (503, retry) and which are not (500, a bug or a
 * refusal to look at): decided by the SQLState wherever it sits in the chain of causes.
 */
class DatabaseOutagesTest {

    @Test
    void connection_shutdown_read_only_and_resource_states_are_the_database_away_however_wrapped() {
        for (String state : new String[] {"08001", "08006", "08003", "57P01", "57P02", "57P03", "25006", "57014",
                "53300", "40001", "40P01"}) {
            SQLException sql = new SQLException("server says " + state, state);
            assertThat(DatabaseOutages.unavailable(sql)).as(state).contains(state);
            assertThat(DatabaseOutages.unavailable(new EventStoreException("append failed", sql))).as(state)
                    .contains(state);
            assertThat(DatabaseOutages.unavailable(new CommandExecutionException("failed", sql))).as(state)
                    .contains(state);
            assertThat(DatabaseOutages.unavailable(new CannotCreateTransactionException("no transaction",
                    new SQLTransientConnectionException("ledger - Connection is not available", state,
                            new SQLException("refused", state))))).as(state).contains(state);
        }
    }

    @Test
    void a_pool_without_a_connection_to_give_is_the_database_away_too() {
        assertThat(DatabaseOutages.unavailable(new CannotCreateTransactionException("no transaction",
                new SQLTransientConnectionException("ledger - Connection is not available, request timed out"))))
                .contains("request timed out");
        assertThat(DatabaseOutages.unavailable(new CannotGetJdbcConnectionException("no connection"))).isNotNull();
        // Hikari's answer on a connection it evicted earlier in the same transaction.
        assertThat(DatabaseOutages.unavailable(new EventStoreException("read failed",
                new SQLException("Connection is closed")))).isNotNull();
    }

    @Test
    void a_batch_names_the_servers_error_not_the_statement_with_its_values() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO event_entry VALUES ('secret')",
                "57P01", 0, new int[0]);
        batch.setNextException(new SQLException("FATAL: terminating connection due to administrator command", "57P01"));

        assertThat(DatabaseOutages.unavailable(new EventStoreException("append failed", batch)))
                .contains("administrator command").doesNotContain("secret");
    }

    @Test
    void constraint_data_and_syntax_errors_and_plain_bugs_are_not_the_database_away() {
        for (String state : new String[] {"23505", "23503", "22003", "22P02", "42601", "42P01", "0A000", "XX000"}) {
            SQLException sql = new SQLException("server says " + state, state);
            assertThat(DatabaseOutages.unavailable(sql)).as(state).isNull();
            assertThat(DatabaseOutages.unavailable(new DataIntegrityViolationException("violated", sql))).as(state)
                    .isNull();
            // Spring calls some of these a resource failure; the SQLState decides.
            assertThat(DatabaseOutages.unavailable(new DataAccessResourceFailureException("failed", sql))).as(state)
                    .isNull();
            assertThat(DatabaseOutages.unavailable(new EventStoreException("append failed", sql))).as(state).isNull();
        }
        assertThat(DatabaseOutages.unavailable(new IllegalStateException("a bug"))).isNull();
        assertThat(DatabaseOutages.unavailable(new NullPointerException())).isNull();
        assertThat(DatabaseOutages.unavailable(new EventStoreException("no cause"))).isNull();
    }
}
