package com.hongbao.ledger.api.deadlines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.hongbao.ledger.api.support.ApiTest;
import com.hongbao.ledger.projections.support.Dues;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A sweep's paging on PostgreSQL, over a scratch table shaped like the read models' due lists
 * and read through the same {@link Dues} query: acting on an entry removes it from the list, as the
 * projections do once they catch up, and many entries fall due at the same instant.
 */
class DueSweepTest extends ApiTest {

    private static final AtomicLong TABLES = new AtomicLong();
    private static final Instant NOW = Instant.parse("2026-02-17T16:00:00.123456Z");

    private String table;
    private final List<String> actedOn = new ArrayList<>();

    @BeforeEach
    void scratchTable() {
        table = "due_sweep_test_" + TABLES.incrementAndGet() + "_" + System.nanoTime();
        jdbc.execute("CREATE TABLE " + table + " (due_at TIMESTAMPTZ NOT NULL, id TEXT NOT NULL)");
    }

    @AfterEach
    void dropScratchTable() {
        jdbc.execute("DROP TABLE " + table);
    }

    /** Rows due at {@code at}: {@code prefix}0000, {@code prefix}0001, … */
    private void due(Instant at, String prefix, int count) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(new Object[] {Timestamp.from(at), prefix + "%04d".formatted(i)});
        }
        jdbc.batchUpdate("INSERT INTO " + table + " (due_at, id) VALUES (?, ?)", rows);
    }

    private int remaining() {
        return jdbc.queryForObject("SELECT count(*) FROM " + table, Integer.class);
    }

    /** A sweep whose command acts on an id by removing it, unless the id starts with {@code failing}. */
    private DueSweep sweep(String failing) {
        CommandGateway gateway = mock(CommandGateway.class);
        when(gateway.sendAndWait(any())).thenAnswer(call -> {
            String id = call.getArgument(0);
            actedOn.add(id);
            if (failing != null && id.startsWith(failing)) {
                throw new IllegalStateException("cannot act on " + id);
            }
            return jdbc.update("DELETE FROM " + table + " WHERE id = ?", id) == 1;
        });
        return new DueSweep("test entry", (now, after, limit) -> Dues.page(jdbc,
                "SELECT due_at, id AS due_key, id AS due_id FROM " + table + " WHERE due_at <= ?", "due_at", "id", now, after,
                limit),
                (id, now) -> id, gateway);
    }

    @Test
    void a_pass_acts_on_everything_due_once_in_order_though_each_act_removes_its_entry() {
        // 1,203 entries over three instants, 700 of them at one instant: pages of 500 split the ties.
        due(NOW.minusSeconds(60), "a", 300);
        due(NOW.minusNanos(1_000), "b", 700);
        due(NOW, "c", 203);
        due(NOW.plusNanos(1_000), "d", 5);

        assertThat(sweep(null).sweep(NOW)).isEqualTo(1_203);

        assertThat(actedOn).hasSize(1_203).doesNotHaveDuplicates().isSorted();
        assertThat(actedOn.getFirst()).isEqualTo("a0000");
        assertThat(actedOn.getLast()).isEqualTo("c0202");
        assertThat(remaining()).as("only what is not yet due").isEqualTo(5);
    }

    @Test
    void entries_that_keep_failing_do_not_starve_those_behind_them() {
        due(NOW.minusSeconds(1), "a", 600);
        due(NOW, "b", 40);

        assertThat(sweep("a").sweep(NOW)).isEqualTo(40);

        assertThat(actedOn).hasSize(640).doesNotHaveDuplicates();
        assertThat(remaining()).as("the failed entries, for the next pass").isEqualTo(600);
        actedOn.clear();
        assertThat(sweep(null).sweep(NOW)).isEqualTo(600);
        assertThat(remaining()).isZero();
    }
}
