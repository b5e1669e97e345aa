package com.hongbao.ledger.core.refund;

import com.hongbao.ledger.core.id.PaymentId;

/**
 * What the refunds read model knows of one payment's refunds and of one refund number, read in a
 * single statement, with how far that knowledge reaches: it holds every refund the merchant
 * recorded up to and including its own event number {@code completeThroughSequence} (the
 * aggregate sequence number of the merchant's event), and none after it, because the read model
 * handles a merchant's events one at a time and in order. {@code -1} when it knows none yet.
 *
 * <p>The merchant keeps only its most recent refunds in memory; for a payment or a refund
 * number older than those, it decides on this history, and only if the history reaches past
 * everything it has forgotten (see {@code Merchant}).
 *
 * @param paymentId the payment the totals are of
 * @param refundedMinor everything refunded of the payment so far (the fee returned so far follows from it: it
 *     is always the fee times the share of the capture refunded so far, rounded down)
 * @param refundCount the payment's refunds so far
 * @param refundIdTaken whether the merchant already used the refund's number (on any payment)
 * @param completeThroughSequence the merchant's last event the history includes
 */
public record RefundHistory(PaymentId paymentId, long refundedMinor, int refundCount, boolean refundIdTaken,
                            long completeThroughSequence) {

    /** A history that knows nothing yet. */
    public static RefundHistory none(PaymentId paymentId) {
        return new RefundHistory(paymentId, 0, 0, false, -1);
    }
}
