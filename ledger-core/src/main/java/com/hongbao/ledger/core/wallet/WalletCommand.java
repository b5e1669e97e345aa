package com.hongbao.ledger.core.wallet;

import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.id.WithdrawalId;
import com.hongbao.ledger.core.money.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Commands decided by the {@link Wallet} aggregate. */
public sealed interface WalletCommand {

    WalletId walletId();

    /** Open the wallet of a user in one currency. */
    record OpenWallet(@TargetAggregateIdentifier WalletId walletId, UserId owner, Currency currency, Instant openedAt)
            implements WalletCommand {
    }

    /** Credit money received from a bank; the bank's reference is the idempotency key. */
    record TopUpWallet(@TargetAggregateIdentifier WalletId walletId, String bankReference, Money amount, Instant at)
            implements WalletCommand {
    }

    /** Send money from the wallet to a bank account, named by an opaque token (never a raw account number). */
    record WithdrawFromWallet(@TargetAggregateIdentifier WalletId walletId, WithdrawalId withdrawalId,
                              String bankAccountToken, Money amount, Instant at) implements WalletCommand {
    }

    /**
     * Pay a merchant for an order: take the amount from the wallet and create the payment. With
     * {@link CaptureMode#IMMEDIATE} the payment is captured at once; with {@link CaptureMode#MANUAL}
     * the money is held until the merchant captures or voids, or the authorisation expires.
     */
    record PayMerchant(@TargetAggregateIdentifier WalletId walletId, PaymentId paymentId, MerchantId merchantId,
                       int feeRateBasisPoints, String orderNumber, String description, Money amount,
                       CaptureMode captureMode, Duration authorisationTtl, Instant at) implements WalletCommand {
    }

    /**
     * Settle the hold of a payment that was captured, voided or expired: what was not captured
     * returns to the available balance. Sent at least once by {@link PaymentHoldReleaser}; a
     * repeat for a hold already settled changes nothing.
     */
    record ReleasePaymentHold(@TargetAggregateIdentifier WalletId walletId, PaymentId paymentId, Money released,
                              Instant at) implements WalletCommand {
    }

    enum CaptureMode {
        IMMEDIATE, MANUAL
    }
}
