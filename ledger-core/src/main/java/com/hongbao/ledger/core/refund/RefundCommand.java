package com.hongbao.ledger.core.refund;

import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.RefundId;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentCaptured;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Commands about refunds and the merchant balance they draw on. */
public sealed interface RefundCommand {

    /**
     * Refund {@code amount} of a captured payment. {@code capture} is the payment's capture as
     * the event store holds it (immutable once made); {@code creditedMinorSeen} is what the journal
     * shows credited to the merchant (see {@code FundCampaign}).
     */
    record RefundPayment(@TargetAggregateIdentifier MerchantId merchantId, RefundId refundId, String refundNumber,
                         PaymentCaptured capture, Money amount, long creditedMinorSeen, Instant at)
            implements RefundCommand {
    }

    /** Finance lets the merchant's settlement balance go as far as {@code limit} below zero for refunds. */
    record SetNegativeLimit(@TargetAggregateIdentifier MerchantId merchantId, Money limit, Instant at)
            implements RefundCommand {
    }
}
