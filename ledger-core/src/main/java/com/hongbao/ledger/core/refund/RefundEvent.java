package com.hongbao.ledger.core.refund;

import com.hongbao.ledger.core.account.AccountId;
import com.hongbao.ledger.core.account.AccountType;
import com.hongbao.ledger.core.account.MoneyMovement;
import com.hongbao.ledger.core.account.MovementType;
import com.hongbao.ledger.core.account.Posting;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.RefundId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Facts about refunds, recorded by the merchant's aggregate. */
public sealed interface RefundEvent {

    MerchantId merchantId();

    AccountId REFUND_CLEARING = AccountId.platform(AccountType.REFUND_CLEARING);
    AccountId FEE_REVENUE = AccountId.platform(AccountType.PLATFORM_FEE_REVENUE);

    /**
     * The merchant refunded {@code amount} of a payment: its settlement account pays the amount less
     * {@code feeRefunded}, the platform returns {@code feeRefunded} of its fee, and the whole amount
     * goes into refund clearing until the payer's wallet takes it.
     */
    record MerchantRefundedPayment(MerchantId merchantId, RefundId refundId, String refundNumber, PaymentId paymentId,
                                   WalletId walletId, UserId payer, Money amount, Money feeRefunded,
                                   Money refundedTotalAfter, int refundCountAfter, Instant at)
            implements RefundEvent, MoneyMovement {

        @Override
        public MovementType movementType() {
            return MovementType.PAYMENT_REFUND;
        }

        @Override
        public List<Posting> postings() {
            List<Posting> postings = new ArrayList<>();
            Money fromMerchant = amount.minus(feeRefunded);
            if (!fromMerchant.isZero()) {
                postings.add(new Posting(new AccountId(AccountType.MERCHANT_SETTLEMENT, merchantId.value()),
                        fromMerchant.negate()));
            }
            if (!feeRefunded.isZero()) {
                postings.add(new Posting(FEE_REVENUE, feeRefunded.negate()));
            }
            postings.add(new Posting(REFUND_CLEARING, amount));
            return List.copyOf(postings);
        }

        @Override
        public String reference() {
            return refundId.value();
        }

        @Override
        public Instant occurredAt() {
            return at;
        }
    }

    record MerchantNegativeLimitSet(MerchantId merchantId, Money limit, Instant at) implements RefundEvent {
    }
}
