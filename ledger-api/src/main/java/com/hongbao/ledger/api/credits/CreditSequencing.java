package com.hongbao.ledger.api.credits;

import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketExpired;
import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketGrabbed;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentAuthorisationExpired;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentAuthorisationVoided;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentCaptured;
import com.hongbao.ledger.core.refund.RefundEvent.MerchantRefundedPayment;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;

/**
 * The credit processors' events in sequence by the account they credit: the wallet (its id), or
 * for a campaign packet's return the campaign ({@code campaign:} and its id). A processor segment
 * and a dead-letter sequence are therefore one target's: a credit parked for its wallet holds back
 * only the later credits of that wallet. Any other event keeps Axon's default, its aggregate.
 */
public final class CreditSequencing implements SequencingPolicy<EventMessage<?>> {

    private final SequentialPerAggregatePolicy fallback = SequentialPerAggregatePolicy.instance();

    @Override
    public Object getSequenceIdentifierFor(EventMessage<?> event) {
        Object target = targetOf(event.getPayload());
        return target != null ? target : fallback.getSequenceIdentifierFor(event);
    }

    /** The id of the account an event of a credit processor credits, or null for any other event. */
    public static String targetOf(Object payload) {
        return switch (payload) {
            case MerchantRefundedPayment refund -> refund.walletId().value();
            case RedPacketGrabbed grab -> grab.grabberWallet().value();
            case RedPacketExpired expired -> expired.campaignId() != null
                    ? "campaign:" + expired.campaignId().value() : expired.senderWallet().value();
            case PaymentCaptured captured -> captured.walletId().value();
            case PaymentAuthorisationVoided voided -> voided.walletId().value();
            case PaymentAuthorisationExpired expired -> expired.walletId().value();
            default -> null;
        };
    }
}
