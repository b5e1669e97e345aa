package com.hongbao.ledger.api.payments;

import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.payment.PaymentCommand.ExpireAuthorisation;
import com.hongbao.ledger.projections.payment.PaymentQueries;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Expires authorisations that nobody captured in time. It looks them up in the payments read
 * model and sends each an {@link ExpireAuthorisation}; the payment aggregate decides again, so a
 * stale read model, a restart, or two nodes sweeping at once cannot expire a payment twice or
 * expire one that was just captured. Expiry survives restarts because it is derived from stored
 * expiry instants, not from timers in memory.
 */
public class AuthorisationExpirySweep {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorisationExpirySweep.class);
    private static final int BATCH = 500;

    private final PaymentQueries payments;
    private final CommandGateway commandGateway;
    private final Clock clock;

    public AuthorisationExpirySweep(PaymentQueries payments, CommandGateway commandGateway, Clock clock) {
        this.payments = payments;
        this.commandGateway = commandGateway;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${ledger.payments.expiry-sweep-interval:PT30S}",
            initialDelayString = "${ledger.payments.expiry-sweep-interval:PT30S}")
    public void scheduled() {
        sweep();
    }

    /** Expires every authorisation due at the clock's current instant; returns how many expired. */
    public int sweep() {
        int expired = 0;
        Instant now = clock.instant();
        List<String> due;
        int expiredInBatch;
        do {
            due = payments.dueForExpiry(now, BATCH);
            expiredInBatch = 0;
            for (String paymentId : due) {
                try {
                    if (Boolean.TRUE.equals(commandGateway.sendAndWait(new ExpireAuthorisation(new PaymentId(paymentId), now)))) {
                        expiredInBatch++;
                    }
                } catch (RuntimeException e) {
                    LOG.warn("could not expire authorisation {}; the next sweep retries", paymentId, e);
                }
            }
            expired += expiredInBatch;
            // The read model trails the commands: a full batch that expired nothing new means it has not caught up yet.
        } while (due.size() == BATCH && expiredInBatch > 0);
        return expired;
    }
}
