package com.hongbao.ledger.core.refund;

import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.RefundId;
import com.hongbao.ledger.core.money.Money;
import java.time.Instant;

/** A refund as decided: what returns to the payer, the fee the platform gave back, and the payment's totals after it. */
public record RefundReceipt(RefundId refundId, String refundNumber, PaymentId paymentId, Money amount,
                            Money feeRefunded, Money refundedTotal, Money refundable, int refundCount,
                            Instant refundedAt) {
}
