package com.hongbao.ledger.core.payment;

import com.hongbao.ledger.core.CreditDispatch;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentAuthorisationExpired;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentAuthorisationVoided;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentCaptured;
import com.hongbao.ledger.core.wallet.WalletCommand.CaptureMode;
import com.hongbao.ledger.core.wallet.WalletCommand.ReleasePaymentHold;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

/**
 * When a held payment is captured, voided or expired, tells the payer's wallet to settle the
 * hold. It runs at least once per event from the event store; the wallet ignores a settlement it
 * has already made, so redelivery never returns money twice. Until it runs, the money sits in
 * payment clearing and the trial balance stays at zero.
 */
@ProcessingGroup(PaymentHoldReleaser.PROCESSING_GROUP)
public class PaymentHoldReleaser {

    public static final String PROCESSING_GROUP = "payment-hold-release";

    private final CreditDispatch credits;

    public PaymentHoldReleaser(CommandGateway commandGateway) {
        this(CreditDispatch.through(commandGateway));
    }

    public PaymentHoldReleaser(CreditDispatch credits) {
        this.credits = credits;
    }

    @EventHandler
    void on(PaymentCaptured event) {
        if (event.captureMode() == CaptureMode.MANUAL) {
            credits.send(
                    new ReleasePaymentHold(event.walletId(), event.paymentId(), event.released(), event.capturedAt()));
        }
    }

    @EventHandler
    void on(PaymentAuthorisationVoided event) {
        credits.send(
                new ReleasePaymentHold(event.walletId(), event.paymentId(), event.released(), event.voidedAt()));
    }

    @EventHandler
    void on(PaymentAuthorisationExpired event) {
        credits.send(
                new ReleasePaymentHold(event.walletId(), event.paymentId(), event.released(), event.expiredAt()));
    }
}
