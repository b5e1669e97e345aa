package com.hongbao.ledger.core.payment;

import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.Money;
import java.time.Instant;

/** The state of a payment right after a command. {@code fee} and {@code net} are zero until capture. */
public record PaymentReceipt(PaymentId paymentId, WalletId walletId, MerchantId merchantId, String orderNumber,
                             PaymentStatus status, Money authorised, Money captured, Money fee, Money net,
                             Money released, int feeRateBasisPoints, Instant authorisedAt, Instant expiresAt) {
}
