package com.hongbao.ledger.core.idempotency;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.hongbao.ledger.core.id.ClaimId;
import java.time.Instant;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/**
 * The claim on one idempotency key (a merchant's order number, a bank reference, a client's
 * {@code Idempotency-Key}). It is created in the same unit of work as the command it guards, so
 * the event store's uniqueness on (aggregate, sequence) lets exactly one request with a key
 * commit; every later request with that key finds the fingerprint of the first request's body
 * and the response it got. Idempotency therefore lives in the event store, not in a cache.
 */
public class IdempotencyClaim {

    @AggregateIdentifier
    private ClaimId claimId;

    /** For Axon's event sourcing. */
    protected IdempotencyClaim() {
    }

    public IdempotencyClaim(ClaimId claimId, String scope, String requestFingerprint, int responseStatus,
                            String responseBody, Instant claimedAt) {
        apply(new IdempotencyKeyClaimed(claimId, scope, requestFingerprint, responseStatus, responseBody, claimedAt));
    }

    @EventSourcingHandler
    void on(IdempotencyKeyClaimed event) {
        claimId = event.claimId();
    }

    /**
     * A key was used for the first time. {@code scope} names the key's owner and kind (it holds
     * no personal data beyond ids); the fingerprint is a hash of the request, never the request.
     */
    public record IdempotencyKeyClaimed(ClaimId claimId, String scope, String requestFingerprint, int responseStatus,
                                        String responseBody, Instant claimedAt) {
    }
}
