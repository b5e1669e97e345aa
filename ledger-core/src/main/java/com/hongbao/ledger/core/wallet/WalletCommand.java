package com.hongbao.ledger.core.wallet;

import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.RefundId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.id.WithdrawalId;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.packet.PacketLimits;
import com.hongbao.ledger.core.packet.RedPacketKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
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

    /**
     * Send a red packet: take its whole amount from the wallet into the packet's escrow and create
     * the packet. {@code amount} is the amount of each share for the fixed kinds and the total for a
     * lucky packet; {@code shares} is the number of shares of a group packet (one otherwise);
     * {@code seed} is the secret the lucky split is drawn from (see {@code LuckySplit}), null for the
     * fixed kinds.
     */
    record SendRedPacket(@TargetAggregateIdentifier WalletId walletId, PacketId packetId, RedPacketKind kind,
                         Money amount, int shares, List<UserId> members, UserId recipient, String greeting,
                         String seed, PacketLimits limits, Duration ttl, Instant at) implements WalletCommand {
    }

    /**
     * Credit what a red packet owes this wallet: a grabbed share ({@code refund} false) or the
     * unclaimed rest returned to the sender ({@code refund} true). Sent at least once; a repeat for
     * the same packet and purpose changes nothing.
     */
    record ReceiveFromRedPacket(@TargetAggregateIdentifier WalletId walletId, PacketId packetId, Money amount,
                                boolean refund, Instant at) implements WalletCommand {
    }

    /** Credit a refund from refund clearing. Sent at least once; a repeat of a refund already taken changes nothing. */
    record ReceiveRefund(@TargetAggregateIdentifier WalletId walletId, RefundId refundId, PaymentId paymentId,
                         Money amount, Instant at) implements WalletCommand {
    }

    /**
     * Report the wallet's balances as the aggregate itself knows them, changing nothing. Finance's
     * reconciliation compares this, the source of truth, with what the journal (a read model) says.
     */
    record InspectWallet(@TargetAggregateIdentifier WalletId walletId) implements WalletCommand {
    }

    enum CaptureMode {
        IMMEDIATE, MANUAL
    }
}
