package com.hongbao.ledger.core.payment;

import com.hongbao.ledger.core.account.AccountId;
import com.hongbao.ledger.core.account.AccountType;
import com.hongbao.ledger.core.account.MoneyMovement;
import com.hongbao.ledger.core.account.MovementType;
import com.hongbao.ledger.core.account.Posting;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.wallet.WalletCommand.CaptureMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Facts about a {@link Payment}. */
public sealed interface PaymentEvent {

    PaymentId paymentId();

    AccountId PAYMENT_CLEARING = AccountId.platform(AccountType.PAYMENT_CLEARING);
    AccountId FEE_REVENUE = AccountId.platform(AccountType.PLATFORM_FEE_REVENUE);

    static AccountId merchantAccount(MerchantId merchantId) {
        return new AccountId(AccountType.MERCHANT_SETTLEMENT, merchantId.value());
    }

    /** The payer's wallet paid {@code amount} into clearing for this payment. */
    record PaymentAuthorised(PaymentId paymentId, WalletId walletId, UserId payer, MerchantId merchantId,
                             String orderNumber, String description, Money amount, int feeRateBasisPoints,
                             CaptureMode captureMode, Instant authorisedAt, Instant expiresAt) implements PaymentEvent {
    }

    /**
     * The merchant took {@code captured}; the platform keeps {@code fee}, the merchant is credited
     * {@code net}, and {@code released} (authorised minus captured) is due back to the payer.
     */
    record PaymentCaptured(PaymentId paymentId, WalletId walletId, UserId payer, MerchantId merchantId,
                           String orderNumber, Money authorised, Money captured, Money fee, Money net, Money released,
                           int feeRateBasisPoints, CaptureMode captureMode, Instant capturedAt)
            implements PaymentEvent, MoneyMovement {

        @Override
        public MovementType movementType() {
            return MovementType.PAYMENT_CAPTURE;
        }

        @Override
        public List<Posting> postings() {
            List<Posting> postings = new ArrayList<>(3);
            postings.add(new Posting(PAYMENT_CLEARING, captured.negate()));
            postings.add(new Posting(merchantAccount(merchantId), net));
            if (fee.isPositive()) {
                postings.add(new Posting(FEE_REVENUE, fee));
            }
            return postings;
        }

        @Override
        public String reference() {
            return paymentId.value();
        }

        @Override
        public Instant occurredAt() {
            return capturedAt;
        }
    }

    /** The merchant cancelled the authorisation; {@code released} is due back to the payer. */
    record PaymentAuthorisationVoided(PaymentId paymentId, WalletId walletId, MerchantId merchantId, Money released,
                                      Instant voidedAt) implements PaymentEvent {
    }

    /** Nobody captured within the authorisation's lifetime; {@code released} is due back to the payer. */
    record PaymentAuthorisationExpired(PaymentId paymentId, WalletId walletId, MerchantId merchantId, Money released,
                                       Instant expiredAt) implements PaymentEvent {
    }
}
