package com.hongbao.ledger.core.settlement;

import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.money.Money;
import java.time.Instant;
import java.time.LocalDate;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Commands about a merchant's settlement, decided by the merchant's aggregate. */
public sealed interface SettlementCommand {

    MerchantId merchantId();

    /**
     * Settle closed business day {@code day}. {@code cumulativeNet} is what the merchant's statements
     * of every day up to and including {@code day} moved on its settlement account, payouts aside
     * (payments less fees, less refunds, campaign fundings and returns); the merchant settles the part
     * not settled before, so a line that reached an already settled day is settled with the next one
     * instead of being lost. {@code creditedMinorSeen} is what the journal shows credited to the
     * merchant (see ADR 7), so a payout never takes more than the merchant has. Answers whether the
     * day was settled now ({@code false}: it, or a later day, already was).
     */
    record SettleMerchantDay(@TargetAggregateIdentifier MerchantId merchantId, LocalDate day, Money cumulativeNet,
                             long creditedMinorSeen, Instant at) implements SettlementCommand {
    }

    /**
     * Finance holds ({@code held}) or releases a merchant's payouts. Held days accumulate; a release
     * pays what accumulated at once (as far as the merchant has it).
     */
    record HoldPayouts(@TargetAggregateIdentifier MerchantId merchantId, boolean held, long creditedMinorSeen,
                       Instant at) implements SettlementCommand {
    }
}
