package com.hongbao.ledger.projections.support;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Statements of one processor batch, written with one JDBC batch per statement just before the
 * batch commits. Creating statements run before updating ones, each statement's rows in the order
 * they were added. A projection that guards its updates (e.g. by the aggregate's sequence number)
 * keeps its meaning under this grouping: a row is always created before it is updated, and of two
 * updates of one row the later event wins.
 */
public final class StatementBatch {

    /** When a statement runs within its batch. */
    public enum Phase {
        CREATE, UPDATE
    }

    private StatementBatch() {
    }

    /** Adds a statement to the current batch (or runs it at once outside a unit of work). */
    public static void add(JdbcTemplate jdbc, String resourceKey, Phase phase, String sql, Object... args) {
        BatchBuffer.add(resourceKey, new Statement(phase, sql, args), statements -> flush(jdbc, statements));
    }

    private static void flush(JdbcTemplate jdbc, List<Statement> statements) {
        Map<String, Group> groups = new LinkedHashMap<>();
        for (Statement statement : statements) {
            groups.computeIfAbsent(statement.sql(), sql -> new Group(statement.phase(), sql, new ArrayList<>()))
                    .rows().add(statement.args());
        }
        groups.values().stream().sorted(Comparator.comparing(Group::phase))
                .forEach(group -> jdbc.batchUpdate(group.sql(), group.rows()));
    }

    private record Statement(Phase phase, String sql, Object[] args) {
    }

    private record Group(Phase phase, String sql, List<Object[]> rows) {
    }
}
