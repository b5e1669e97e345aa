package com.hongbao.ledger.api.web;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;
import org.springframework.web.context.support.ServletRequestHandledEvent;

/**
 * Tells the database being away (stopped or restarting, read-only, a connection killed, no
 * connection to be had from the pool in time) from every other failure, and logs each such
 * episode once: a warning with its cause when it begins, a line with the count of refused requests
 * when requests succeed again after a quiet moment. Such a request changed nothing (its transaction did not commit),
 * so {@link ProblemHandler} answers it 503 {@code service_unavailable} with {@code Retry-After}.
 *
 * <p>The decision is by the SQLState PostgreSQL (or its driver, or the pool) gave, wherever it is
 * in the chain of causes (Axon wraps it in an {@code EventStoreException} or a
 * {@code CommandExecutionException}, Spring in a {@code DataAccessException} or a
 * {@code CannotCreateTransactionException}): connection exceptions (class 08), an administrator
 * or crash shutdown and a server still starting (57P01, 57P02, 57P03), a read-only transaction
 * (25006), a cancelled statement (57014), insufficient resources (class 53, e.g. too many
 * connections), a serialization failure or deadlock (40001, 40P01), which are retried as
 * safely, and Hikari's "Connection is closed" (no SQLState) on a connection it evicted earlier in
 * the same transaction. Any other SQLState is a failure of the request or a bug, and stays a 500.
 */
@Component
public class DatabaseOutages {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutages.class);

    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "25006", "57014",
            "40001", "40P01");

    /** What Hikari's proxy of a connection it has evicted answers to any use, with no SQLState. */
    private static final String HIKARI_CLOSED_CONNECTION = "Connection is closed";

    /**
     * No refusal for this long, then a request answered without a server error, ends an episode.
     * While the database is read-only, reads keep succeeding between refused writes: a quiet
     * period keeps that from logging an episode per request.
     */
    static final Duration QUIET = Duration.ofSeconds(2);

    /** Real time, not the ledger's clock: an episode is an operator's matter. */
    private final Clock clock = Clock.systemUTC();
    /** Read without the lock on every request's end (most often null); changed under it. */
    private volatile Episode episode;

    private record Episode(Instant start, Instant lastFailure, long refused) {
    }

    /**
     * A short description of the database being away, if that is what {@code failure} is (its
     * SQLState and message, no stack trace), or null for any other failure.
     */
    public static String unavailable(Throwable failure) {
        boolean connectionFailure = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    String state = next.getSQLState();
                    if (state != null) {
                        return isUnavailable(state) ? "SQLState " + state + ": " + serverMessage(next) : null;
                    }
                }
                if (HIKARI_CLOSED_CONNECTION.equals(sql.getMessage())) {
                    // The pool found this connection broken earlier in the same transaction and
                    // closed it; Hikari says so without a SQLState.
                    return "the connection was lost: " + sql.getMessage();
                }
                if (sql instanceof SQLTransientConnectionException || sql instanceof SQLNonTransientConnectionException
                        || sql instanceof SQLRecoverableException) {
                    // The pool had no connection to give in time (with no connection failure as the cause).
                    return sql.getMessage();
                }
            }
            if (cause instanceof CannotGetJdbcConnectionException || cause instanceof TransientDataAccessResourceException) {
                connectionFailure = true;
            }
        }
        return connectionFailure ? failure.getMessage() : null;
    }

    /**
     * The server's own words: a batch's exception names the statement (with its values) and chains
     * the server's error; the last of the chain is that error.
     */
    private static String serverMessage(SQLException sql) {
        SQLException last = sql;
        while (last.getNextException() != null && last.getNextException() != last) {
            last = last.getNextException();
        }
        String message = String.valueOf(last.getMessage());
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }

    private static boolean isUnavailable(String state) {
        return state.startsWith("08") || state.startsWith("53") || UNAVAILABLE_STATES.contains(state);
    }

    /** Counts a request refused because the database is away; logs the first of an episode. */
    public void refused(String cause) {
        Instant now = clock.instant();
        boolean first;
        synchronized (this) {
            first = episode == null;
            episode = first ? new Episode(now, now, 1) : new Episode(episode.start(), now, episode.refused() + 1);
        }
        if (first) {
            LOG.warn("database unavailable, answering 503 service_unavailable until it returns: {}", cause);
        }
    }

    /** A request answered without a server error after a quiet moment ends the episode. */
    @EventListener
    void handled(ServletRequestHandledEvent event) {
        if (episode == null || event.getStatusCode() >= 500) {
            return;
        }
        Instant now = clock.instant();
        Episode ended;
        synchronized (this) {
            if (episode == null || Duration.between(episode.lastFailure(), now).compareTo(QUIET) < 0) {
                return;
            }
            ended = episode;
            episode = null;
        }
        LOG.info("database available again: {} requests answered 503 between {} and {}", ended.refused(),
                ended.start(), ended.lastFailure());
    }
}
