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
     * shows credited to the merchant (see {@code FundCampaign}); {@code history} is what the
     * refunds read model knows of the payment's earlier refunds and of the refund number, which
     * the merchant needs only once it has forgotten some of its refunds (null: nothing read).
     */
    record RefundPayment(@TargetAggregateIdentifier MerchantId merchantId, RefundId refundId, String refundNumber,
                         PaymentCaptured capture, Money amount, long creditedMinorSeen, Instant at,
                         RefundHistory history) implements RefundCommand {

        /** A refund sent without a history: enough while the merchant remembers all its refunds. */
        public RefundPayment(MerchantId merchantId, RefundId refundId, String refundNumber, PaymentCaptured capture,
                             Money amount, long creditedMinorSeen, Instant at) {
            this(merchantId, refundId, refundNumber, capture, amount, creditedMinorSeen, at, null);
        }
    }

    /** Finance lets the merchant's settlement balance go as far as {@code limit} below zero for refunds. */
    record SetNegativeLimit(@TargetAggregateIdentifier MerchantId merchantId, Money limit, Instant at)
            implements RefundCommand {
    }
}
