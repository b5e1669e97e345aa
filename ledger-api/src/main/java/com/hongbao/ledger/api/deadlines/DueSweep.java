package com.hongbao.ledger.api.deadlines;

import com.hongbao.ledger.projections.support.Due;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass over what is due at an instant: ids read from a read model, one command each. The
 * aggregate decides again and answers {@code true} only if it acted now, so a stale read model, a
 * restart, or two nodes sweeping at once cannot act twice. Deadlines survive restarts because
 * they are stored instants, not timers in memory.
 */
public final class DueSweep {

    private static final Logger LOG = LoggerFactory.getLogger(DueSweep.class);
    private static final int BATCH = 500;

    private final String what;
    private final DueIds due;
    private final BiFunction<String, Instant, Object> command;
    private final CommandGateway commandGateway;

    /**
     * @param what    what is swept, for the log (e.g. "red packet")
     * @param due     what is due at an instant, oldest first, a page at a time
     * @param command the command for one id at the instant; its result is {@code true} when it acted
     */
    public DueSweep(String what, DueIds due,
                    BiFunction<String, Instant, Object> command, CommandGateway commandGateway) {
        this.what = what;
        this.due = due;
        this.command = command;
        this.commandGateway = commandGateway;
    }

    /**
     * Acts on everything due at {@code now}; returns on how many it acted. The pass pages forward
     * from the last id it tried (keyset, not an offset), so ids that keep failing (or a read model
     * that has not caught up with what was done) cannot starve those behind them, and ids that
     * leave the read model as the pass acts on them make it skip none of the rest.
     */
    public int sweep(Instant now) {
        int acted = 0;
        Due last = null;
        List<Due> page;
        do {
            page = due.due(now, last, BATCH);
            for (Due next : page) {
                try {
                    if (Boolean.TRUE.equals(commandGateway.sendAndWait(command.apply(next.id(), now)))) {
                        acted++;
                    }
                } catch (RuntimeException e) {
                    LOG.warn("could not act on {} {}; the next sweep retries", what, next.id(), e);
                }
                last = next;
            }
        } while (page.size() == BATCH);
        return acted;
    }

    /** What is due at an instant, ordered by when and then by id, after a given entry (null: from the first), at most {@code limit}. */
    @FunctionalInterface
    public interface DueIds {
        List<Due> due(Instant now, Due after, int limit);
    }
}
