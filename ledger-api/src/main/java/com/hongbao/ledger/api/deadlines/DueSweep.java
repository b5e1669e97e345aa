package com.hongbao.ledger.api.deadlines;

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
     * @param due     the ids due at an instant, oldest first, from an offset, at most a number
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
     * past what it has tried, so ids that keep failing (or a read model that has not caught up with
     * what was done) cannot starve those behind them. An id that moves up as earlier ones leave the
     * read model is picked up by the next pass.
     */
    public int sweep(Instant now) {
        int acted = 0;
        int offset = 0;
        List<String> ids;
        do {
            ids = due.due(now, offset, BATCH);
            offset += ids.size();
            for (String id : ids) {
                try {
                    if (Boolean.TRUE.equals(commandGateway.sendAndWait(command.apply(id, now)))) {
                        acted++;
                    }
                } catch (RuntimeException e) {
                    LOG.warn("could not act on {} {}; the next sweep retries", what, id, e);
                }
            }
        } while (ids.size() == BATCH);
        return acted;
    }

    /** Ids due at an instant, oldest first, skipping {@code offset} of them, at most {@code limit}. */
    @FunctionalInterface
    public interface DueIds {
        List<String> due(Instant now, int offset, int limit);
    }
}
