package com.hongbao.ledger.api.config;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;

/**
 * Sends a command to a cached aggregate that other nodes may change too (a merchant), outside
 * {@code IdempotentCommands}, which retries by itself. With several nodes, this node's cached copy
 * may predate another node's append: its own append then fails with a {@link ConcurrencyException},
 * the unit of work rolls back and the copy leaves the cache, so deciding once more reads the store.
 */
public final class StaleCopyRetry {

    private static final int ATTEMPTS = 3;

    private StaleCopyRetry() {
    }

    /** {@link CommandGateway#sendAndWait(Object)}, decided again up to twice on a concurrency conflict. */
    public static <R> R sendAndWait(CommandGateway commandGateway, Object command) {
        for (int attempt = 1; ; attempt++) {
            try {
                return commandGateway.sendAndWait(command);
            } catch (ConcurrencyException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
