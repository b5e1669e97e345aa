package com.hongbao.ledger.core.bnpl;

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

/**
 * Facts about buy-now-pay-later plans and the buyer's credit line. They are recorded by the buyer's
 * wallet, which owns its plans (ADR 8): every plan movement either takes money from the wallet or
 * gives some back, and the credit limit spans all of the buyer's plans. Event names are permanent.
 */
public sealed interface PlanEvent {

    WalletId walletId();

    AccountId PAYMENT_CLEARING = AccountId.platform(AccountType.PAYMENT_CLEARING);
    AccountId REFUND_CLEARING = AccountId.platform(AccountType.REFUND_CLEARING);
    AccountId FEE_REVENUE = AccountId.platform(AccountType.BNPL_FEE_REVENUE);
    AccountId BAD_DEBT = AccountId.platform(AccountType.BAD_DEBT_EXPENSE);

    /** The receivable of the plan paying for payment {@code planId}. */
    static AccountId receivable(PaymentId planId) {
        return new AccountId(AccountType.BNPL_RECEIVABLE, planId.value());
    }

    private static AccountId wallet(WalletId walletId) {
        return new AccountId(AccountType.WALLET, walletId.value());
    }

    /**
     * What every fact about one plan states about it afterwards: its status, what is owed, the
     * instalments the fact changed, and when the plan next needs attention (a due date, a collection
     * retry, a late fee, a default; null once closed or defaulted).
     */
    sealed interface PlanChange extends PlanEvent {

        /** The plan is named by the payment it paid for. */
        PaymentId planId();

        PlanStatus status();

        Money outstanding();

        List<InstalmentBalance> instalments();

        Instant nextReviewAt();

        Instant at();
    }

    /** A fact about a plan that moves money: named by the plan (a refund by itself), when it happened. */
    sealed interface PlanMovement extends PlanChange, MoneyMovement {

        @Override
        default String reference() {
            return planId().value();
        }

        @Override
        default Instant occurredAt() {
            return at();
        }
    }

    /**
     * The buyer checked out with a plan: the plan lends the order amount into payment clearing (the
     * payment's capture pays the merchant from there), and the buyer owes the schedule's total, the
     * order amount plus the plan fee, which the platform earns.
     */
    record PlanCheckedOut(WalletId walletId, PaymentId planId, UserId buyer, MerchantId merchantId, String orderNumber,
                          InstalmentSchedule schedule, PlanTerms terms, Money creditLimit, Money creditUsedAfter,
                          PlanStatus status, Money outstanding, List<InstalmentBalance> instalments,
                          Instant nextReviewAt, Instant at) implements PlanMovement {

        @Override
        public MovementType movementType() {
            return MovementType.BNPL_CHECKOUT;
        }

        @Override
        public List<Posting> postings() {
            List<Posting> postings = new ArrayList<>(3);
            postings.add(new Posting(receivable(planId), schedule.total().negate()));
            postings.add(new Posting(PAYMENT_CLEARING, schedule.orderAmount()));
            if (schedule.fee().isPositive()) {
                postings.add(new Posting(FEE_REVENUE, schedule.fee()));
            }
            return postings;
        }
    }

    /** The wallet paid {@code amount} towards the plan, oldest instalment first. */
    record InstalmentsPaid(WalletId walletId, PaymentId planId, RepaymentSource source, Money amount,
                           Money availableAfter, PlanStatus status, Money outstanding,
                           List<InstalmentBalance> instalments, Instant nextReviewAt, Instant at)
            implements PlanMovement {

        @Override
        public MovementType movementType() {
            return MovementType.BNPL_REPAYMENT;
        }

        @Override
        public List<Posting> postings() {
            return List.of(new Posting(wallet(walletId), amount.negate()), new Posting(receivable(planId), amount));
        }
    }

    /**
     * The automatic collection of the day found too little in the wallet for instalment {@code number}
     * (the oldest still owed); it is tried again the next day. Nothing moved.
     */
    record InstalmentCollectionFailed(WalletId walletId, PaymentId planId, int number, Money owed, Money available,
                                      PlanStatus status, Money outstanding, List<InstalmentBalance> instalments,
                                      Instant nextReviewAt, Instant at) implements PlanChange {
    }

    /** These instalments were still owed when their due date ended. Nothing moved. */
    record InstalmentsOverdue(WalletId walletId, PaymentId planId, PlanStatus status, Money outstanding,
                              List<InstalmentBalance> instalments, Instant nextReviewAt, Instant at)
            implements PlanChange {
    }

    /** Instalment {@code number} stayed overdue past the grace period and draws {@code fee}, which the platform earns. */
    record LateFeeCharged(WalletId walletId, PaymentId planId, int number, Money fee, Money lateFeesTotal,
                          PlanStatus status, Money outstanding, List<InstalmentBalance> instalments,
                          Instant nextReviewAt, Instant at) implements PlanMovement {

        @Override
        public MovementType movementType() {
            return MovementType.BNPL_LATE_FEE;
        }

        @Override
        public List<Posting> postings() {
            return List.of(new Posting(receivable(planId), fee.negate()), new Posting(FEE_REVENUE, fee));
        }
    }

    /**
     * A merchant's refund of the plan's order arrived from refund clearing. It first took
     * {@code reduced} off what the buyer owes (from the last instalment backwards), or, on a defaulted
     * plan, {@code recovered} back from the write-off; {@code toWallet} went to the wallet. A refund that
     * completes the refund of the whole order closes the plan, defaulted or not: the rest owed is
     * cancelled, the rest of any write-off recovered, and the buyer gets back everything paid, so the
     * platform gives up its plan and late fees ({@code feesReversed}).
     * Always {@code amount + feesReversed = reduced + recovered + toWallet}.
     */
    record PlanRefundApplied(WalletId walletId, PaymentId planId, RefundId refundId, Money amount, Money reduced,
                             Money recovered, Money feesReversed, Money toWallet, Money availableAfter,
                             PlanStatus status, Money outstanding, List<InstalmentBalance> instalments,
                             Instant nextReviewAt, Instant at) implements PlanMovement {

        @Override
        public MovementType movementType() {
            return MovementType.BNPL_REFUND;
        }

        @Override
        public List<Posting> postings() {
            List<Posting> postings = new ArrayList<>(5);
            postings.add(new Posting(REFUND_CLEARING, amount.negate()));
            if (reduced.isPositive()) {
                postings.add(new Posting(receivable(planId), reduced));
            }
            if (recovered.isPositive()) {
                postings.add(new Posting(BAD_DEBT, recovered));
            }
            if (feesReversed.isPositive()) {
                postings.add(new Posting(FEE_REVENUE, feesReversed.negate()));
            }
            if (toWallet.isPositive()) {
                postings.add(new Posting(wallet(walletId), toWallet));
            }
            return postings;
        }

        @Override
        public String reference() {
            return refundId.value();
        }
    }

    /**
     * An instalment was overdue for longer than the plan allows: everything still owed,
     * {@code writtenOff}, moves from the receivable to bad-debt expense, and the buyer's credit is
     * frozen.
     */
    record PlanDefaulted(WalletId walletId, PaymentId planId, Money writtenOff, PlanStatus status, Money outstanding,
                         List<InstalmentBalance> instalments, Instant nextReviewAt, Instant at)
            implements PlanMovement {

        @Override
        public MovementType movementType() {
            return MovementType.BNPL_WRITE_OFF;
        }

        @Override
        public List<Posting> postings() {
            return List.of(new Posting(receivable(planId), writtenOff), new Posting(BAD_DEBT, writtenOff.negate()));
        }
    }

    /**
     * Finance set the buyer's credit line: the most the unpaid scheduled amounts of their open plans
     * may add up to, and whether new plans are refused.
     */
    record CreditLineSet(WalletId walletId, UserId owner, Money limit, boolean frozen, Instant at) implements PlanEvent {
    }
}
