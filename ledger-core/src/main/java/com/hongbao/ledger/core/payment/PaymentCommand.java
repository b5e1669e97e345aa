package com.hongbao.ledger.core.payment;

import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.money.Money;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Commands decided by the {@link Payment} aggregate (it is created by the wallet that pays). */
public sealed interface PaymentCommand {

    PaymentId paymentId();

    /**
     * Capture an authorised payment, all of it ({@code amount} null) or part; the rest is released
     * to the payer. Only the payment's own merchant may capture it.
     */
    record CapturePayment(@TargetAggregateIdentifier PaymentId paymentId, MerchantId merchantId, Money amount,
                          Instant at) implements PaymentCommand {
    }

    /** Cancel an authorisation; the whole hold returns to the payer. */
    record VoidAuthorisation(@TargetAggregateIdentifier PaymentId paymentId, MerchantId merchantId, Instant at)
            implements PaymentCommand {
    }

    /** Sent by the expiry sweep; expires the authorisation if it is still open and past its expiry. */
    record ExpireAuthorisation(@TargetAggregateIdentifier PaymentId paymentId, Instant at) implements PaymentCommand {
    }
}
