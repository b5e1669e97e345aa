package com.hongbao.ledger.core.wallet;

import com.hongbao.ledger.core.account.AccountId;
import com.hongbao.ledger.core.account.AccountType;
import com.hongbao.ledger.core.account.MoneyMovement;
import com.hongbao.ledger.core.account.MovementType;
import com.hongbao.ledger.core.account.Posting;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.RefundId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.id.WithdrawalId;
import com.hongbao.ledger.core.money.Money;
import java.time.Instant;
import java.util.Currency;
import java.util.List;

/** Facts about a {@link Wallet}. Event names are permanent: they are the stored payload types. */
public sealed interface WalletEvent {

    WalletId walletId();

    static AccountId account(WalletId walletId) {
        return new AccountId(AccountType.WALLET, walletId.value());
    }

    AccountId PAYMENT_CLEARING = AccountId.platform(AccountType.PAYMENT_CLEARING);
    AccountId BANK_FUNDING = AccountId.platform(AccountType.EXTERNAL_BANK_FUNDING);
    AccountId BANK_WITHDRAWALS = AccountId.platform(AccountType.EXTERNAL_BANK_WITHDRAWALS);

    record WalletOpened(WalletId walletId, UserId owner, Currency currency, Instant openedAt) implements WalletEvent {
    }

    record WalletToppedUp(WalletId walletId, String bankReference, Money amount, Money availableAfter, Instant at)
            implements WalletEvent, MoneyMovement {

        @Override
        public MovementType movementType() {
            return MovementType.TOP_UP;
        }

        @Override
        public List<Posting> postings() {
            return List.of(new Posting(BANK_FUNDING, amount.negate()), new Posting(account(walletId), amount));
        }

        @Override
        public String reference() {
            return bankReference;
        }

        @Override
        public Instant occurredAt() {
            return at;
        }
    }

    record WalletWithdrawn(WalletId walletId, WithdrawalId withdrawalId, String bankAccountToken, Money amount,
                           Money availableAfter, Instant at) implements WalletEvent, MoneyMovement {

        @Override
        public MovementType movementType() {
            return MovementType.WITHDRAWAL;
        }

        @Override
        public List<Posting> postings() {
            return List.of(new Posting(account(walletId), amount.negate()), new Posting(BANK_WITHDRAWALS, amount));
        }

        @Override
        public String reference() {
            return withdrawalId.value();
        }

        @Override
        public Instant occurredAt() {
            return at;
        }
    }

    /**
     * The wallet paid the amount of a payment into payment clearing: held for a two-phase
     * payment ({@code held}), or on its way to the merchant for an immediate one.
     */
    record WalletDebitedForPayment(WalletId walletId, PaymentId paymentId, MerchantId merchantId, String orderNumber,
                                   Money amount, boolean held, Money availableAfter, Instant at)
            implements WalletEvent, MoneyMovement {

        @Override
        public MovementType movementType() {
            return held ? MovementType.PAYMENT_AUTHORISATION : MovementType.PAYMENT_DEBIT;
        }

        @Override
        public List<Posting> postings() {
            return List.of(new Posting(account(walletId), amount.negate()), new Posting(PAYMENT_CLEARING, amount));
        }

        @Override
        public String reference() {
            return paymentId.value();
        }

        @Override
        public Instant occurredAt() {
            return at;
        }
    }

    /** The hold of a payment is settled; the part not captured ({@code released}) is back in the wallet. */
    record PaymentHoldReleased(WalletId walletId, PaymentId paymentId, Money held, Money released,
                               Money availableAfter, Instant at) implements WalletEvent, MoneyMovement {

        @Override
        public MovementType movementType() {
            return MovementType.AUTHORISATION_RELEASE;
        }

        @Override
        public List<Posting> postings() {
            if (released.isZero()) {
                return List.of();
            }
            return List.of(new Posting(PAYMENT_CLEARING, released.negate()), new Posting(account(walletId), released));
        }

        @Override
        public String reference() {
            return paymentId.value();
        }

        @Override
        public Instant occurredAt() {
            return at;
        }
    }

    static AccountId escrow(PacketId packetId) {
        return new AccountId(AccountType.RED_PACKET_ESCROW, packetId.value());
    }

    /** The wallet paid the whole amount of a red packet it sent into that packet's escrow. */
    record WalletDebitedForRedPacket(WalletId walletId, PacketId packetId, Money amount, Money availableAfter,
                                     Instant at) implements WalletEvent, MoneyMovement {

        @Override
        public MovementType movementType() {
            return MovementType.RED_PACKET_SEND;
        }

        @Override
        public List<Posting> postings() {
            return List.of(new Posting(account(walletId), amount.negate()), new Posting(escrow(packetId), amount));
        }

        @Override
        public String reference() {
            return packetId.value();
        }

        @Override
        public Instant occurredAt() {
            return at;
        }
    }

    /**
     * Money from a red packet's escrow arrived: a share this wallet's owner grabbed, or
     * ({@code refund}) the unclaimed rest of a packet the owner sent.
     */
    record WalletCreditedFromRedPacket(WalletId walletId, PacketId packetId, Money amount, boolean refund,
                                       Money availableAfter, Instant at) implements WalletEvent, MoneyMovement {

        @Override
        public MovementType movementType() {
            return refund ? MovementType.RED_PACKET_REFUND : MovementType.RED_PACKET_CLAIM;
        }

        @Override
        public List<Posting> postings() {
            return List.of(new Posting(escrow(packetId), amount.negate()), new Posting(account(walletId), amount));
        }

        @Override
        public String reference() {
            return packetId.value();
        }

        @Override
        public Instant occurredAt() {
            return at;
        }
    }

    /** A merchant's refund arrived from refund clearing. */
    record WalletCreditedWithRefund(WalletId walletId, RefundId refundId, PaymentId paymentId, Money amount,
                                    Money availableAfter, Instant at) implements WalletEvent, MoneyMovement {

        @Override
        public MovementType movementType() {
            return MovementType.REFUND_CREDIT;
        }

        @Override
        public List<Posting> postings() {
            return List.of(new Posting(AccountId.platform(AccountType.REFUND_CLEARING), amount.negate()),
                    new Posting(account(walletId), amount));
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
}
