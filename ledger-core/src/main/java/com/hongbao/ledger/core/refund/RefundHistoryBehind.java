package com.hongbao.ledger.core.refund;

import com.hongbao.ledger.core.LedgerRejection;

/**
 * The merchant cannot decide a refund yet: it needs the refunds read model for a payment or a
 * refund number it no longer remembers, and the history it was given does not reach its event
 * {@code neededSequence}. Nothing changed; the caller reads the history again (the read model
 * only lags) and retries. Should it reach a client, it is a {@code concurrent_update}: retry.
 */
public class RefundHistoryBehind extends LedgerRejection {

    private final long neededSequence;

    public RefundHistoryBehind(long neededSequence, long givenSequence) {
        super("concurrent_update", "the refunds read model reaches the merchant's event " + givenSequence
                + " but the refund needs it to reach " + neededSequence + "; retry the request");
        this.neededSequence = neededSequence;
    }

    /** The merchant's event the history must include. */
    public long neededSequence() {
        return neededSequence;
    }
}
