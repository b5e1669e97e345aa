package com.hongbao.ledger.api.payments;

import com.hongbao.ledger.api.deadlines.DueSweep;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.payment.PaymentCommand.ExpireAuthorisation;
import com.hongbao.ledger.projections.payment.PaymentQueries;
import java.time.Clock;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Expires authorisations that nobody captured in time: each open authorisation past its expiry
 * in the payments read model gets an {@link ExpireAuthorisation}; the payment decides again, so
 * one that was just captured is not expired.
 */
public class AuthorisationExpirySweep {

    private final DueSweep sweep;
    private final Clock clock;

    public AuthorisationExpirySweep(PaymentQueries payments, CommandGateway commandGateway, Clock clock) {
        this.sweep = new DueSweep("authorisation", payments::dueForExpiry,
                (id, now) -> new ExpireAuthorisation(new PaymentId(id), now), commandGateway);
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${ledger.payments.expiry-sweep-interval:PT30S}",
            initialDelayString = "${ledger.payments.expiry-sweep-interval:PT30S}")
    public void scheduled() {
        sweep();
    }

    /** Expires every authorisation due at the clock's current instant; returns how many expired. */
    public int sweep() {
        return sweep.sweep(clock.instant());
    }
}
