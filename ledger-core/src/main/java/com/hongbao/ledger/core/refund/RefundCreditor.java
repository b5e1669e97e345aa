package com.hongbao.ledger.core.refund;

import com.hongbao.ledger.core.CreditDispatch;
import com.hongbao.ledger.core.refund.RefundEvent.MerchantRefundedPayment;
import com.hongbao.ledger.core.wallet.WalletCommand.ReceiveRefund;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

/**
 * Moves a refund out of refund clearing into the payer's wallet. At least once per refund; the
 * wallet takes each refund once, so redelivery never pays twice.
 */
@ProcessingGroup(RefundCreditor.PROCESSING_GROUP)
public class RefundCreditor {

    public static final String PROCESSING_GROUP = "refund-credits";

    private final CreditDispatch credits;

    public RefundCreditor(CommandGateway commandGateway) {
        this(CreditDispatch.through(commandGateway));
    }

    public RefundCreditor(CreditDispatch credits) {
        this.credits = credits;
    }

    @EventHandler
    void on(MerchantRefundedPayment event) {
        credits.send(new ReceiveRefund(event.walletId(), event.refundId(), event.paymentId(),
                event.amount(), event.at()));
    }
}
