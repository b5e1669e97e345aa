package com.hongbao.ledger.core;

import org.axonframework.commandhandling.gateway.CommandGateway;

/**
 * How an event-driven step sends the command that moves money out of clearing or escrow into the
 * account it is owed to (a wallet credit, a hold release, a campaign packet's return). It returns
 * once the command has been decided and throws if it could not be; the commands are idempotent, so
 * sending one again after a failure never moves money twice.
 *
 * <p>The application sends each such command in its own unit of work and transaction, decided on
 * the target's current state (see the application's {@code IsolatedCreditDispatch}); a test harness
 * may simply send it through the gateway.
 */
@FunctionalInterface
public interface CreditDispatch {

    /** Sends the command and waits until it was decided. */
    void send(Object command);

    /**
     * Sends through the gateway from the caller's thread, nested in the caller's unit of work, as the
     * in-memory test harness does; the application does not (see ADR 0016 for why).
     */
    static CreditDispatch through(CommandGateway commandGateway) {
        return commandGateway::sendAndWait;
    }
}
