package com.hongbao.ledger.api.bnpl;

import com.hongbao.ledger.api.deadlines.DueSweep;
import com.hongbao.ledger.core.bnpl.PlanCommand.ReviewPlan;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.projections.bnpl.BnplQueries;
import java.time.Clock;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Does what is due on instalment plans: each plan whose next review instant has come (a due date,
 * the next day's collection retry, a late fee, a default) gets a {@link ReviewPlan}; the buyer's
 * wallet decides again what is due, so a stale read model or two nodes sweeping at once cannot
 * collect or charge twice.
 */
public class PlanReviewSweep {

    private final DueSweep sweep;
    private final Clock clock;

    public PlanReviewSweep(BnplQueries plans, CommandGateway commandGateway, Clock clock) {
        this.sweep = new DueSweep("instalment plan", plans::dueForReview, (id, now) -> {
            int slash = id.indexOf('/');
            return new ReviewPlan(new WalletId(id.substring(0, slash)), new PaymentId(id.substring(slash + 1)), now);
        }, commandGateway);
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${ledger.bnpl.review-sweep-interval:PT1M}",
            initialDelayString = "${ledger.bnpl.review-sweep-interval:PT1M}")
    public void scheduled() {
        sweep();
    }

    /** Reviews every plan due at the clock's current instant; returns on how many something happened. */
    public int sweep() {
        return sweep.sweep(clock.instant());
    }
}
