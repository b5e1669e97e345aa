package com.hongbao.ledger.core.bnpl;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.bnpl.PlanEvent.InstalmentCollectionFailed;
import com.hongbao.ledger.core.bnpl.PlanEvent.InstalmentsOverdue;
import com.hongbao.ledger.core.bnpl.PlanEvent.InstalmentsPaid;
import com.hongbao.ledger.core.bnpl.PlanEvent.LateFeeCharged;
import com.hongbao.ledger.core.bnpl.PlanEvent.PlanChange;
import com.hongbao.ledger.core.bnpl.PlanEvent.PlanCheckedOut;
import com.hongbao.ledger.core.bnpl.PlanEvent.PlanDefaulted;
import com.hongbao.ledger.core.bnpl.PlanEvent.PlanRefundApplied;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.RefundId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

/**
 * One buyer's instalment plan: the rules that decide its facts, and its state rebuilt from them.
 * It is held by the buyer's wallet, which applies what it decides (ADR 8); the wallet's available
 * balance is passed in where money leaves or arrives.
 *
 * <p>The rules:
 * <ul>
 *   <li>Payments go to the oldest instalment still owed first; within an instalment, its late fee
 *       first.</li>
 *   <li>On a day an instalment is due, and on every later day while it is owed, the day's first review
 *       collects from the wallet every owed instalment that is due, oldest first, each only if the
 *       wallet covers all of it; the first it cannot cover is recorded as a failed collection.</li>
 *   <li>An instalment still owed at the end of its due date is overdue. Overdue for more than the grace
 *       period, it draws the late fee once, as far as the cap on the plan's late fees allows.</li>
 *   <li>Overdue for more than the default period, the plan defaults: all still owed is written off.</li>
 *   <li>A refund takes what it can off what is owed, from the last instalment backwards, and the rest
 *       goes to the wallet; on a defaulted plan it recovers the write-off first instead. A refund
 *       completing the refund of the whole order closes the plan, defaulted or not: nothing is owed,
 *       any write-off is recovered, the buyer gets back everything paid, and the platform gives up its
 *       plan and late fees.</li>
 * </ul>
 * Each fact carries the plan's next review instant, computed from the state after it.
 */
public final class InstalmentPlan {

    private PaymentId planId;
    private MerchantId merchantId;
    private String orderNumber;
    private InstalmentSchedule schedule;
    private PlanTerms terms;
    private Instant checkedOutAt;
    private InstalmentBalance[] instalments;
    private PlanStatus status;
    private Instant nextReviewAt;
    private long refundedMinor;
    private long returnedToWalletMinor;
    private long recoveredMinor;
    /** The day of the last automatic collection that found too little; collections are tried once a day. */
    private LocalDate lastFailedCollection;

    /** For the wallet's snapshots, which store this state by its fields. */
    private InstalmentPlan() {
    }

    public InstalmentPlan(PlanCheckedOut event) {
        this.planId = event.planId();
        this.merchantId = event.merchantId();
        this.orderNumber = event.orderNumber();
        this.schedule = event.schedule();
        this.terms = event.terms();
        this.checkedOutAt = event.at();
        this.instalments = event.instalments().toArray(InstalmentBalance[]::new);
        this.status = event.status();
        this.nextReviewAt = event.nextReviewAt();
    }

    private InstalmentPlan(InstalmentPlan other) {
        this.planId = other.planId;
        this.merchantId = other.merchantId;
        this.orderNumber = other.orderNumber;
        this.schedule = other.schedule;
        this.terms = other.terms;
        this.checkedOutAt = other.checkedOutAt;
        this.instalments = Arrays.copyOf(other.instalments, other.instalments.length);
        this.status = other.status;
        this.nextReviewAt = other.nextReviewAt;
        this.refundedMinor = other.refundedMinor;
        this.returnedToWalletMinor = other.returnedToWalletMinor;
        this.recoveredMinor = other.recoveredMinor;
        this.lastFailedCollection = other.lastFailedCollection;
    }

    /** The fact of a checkout, for a schedule already made; the credit check is the wallet's. */
    public static PlanCheckedOut checkout(WalletId walletId, UserId buyer, PlanCommand.CheckoutWithPlan command,
                                          InstalmentSchedule schedule, Money creditLimit, Money creditUsedAfter) {
        List<InstalmentBalance> balances = schedule.instalments().stream().map(InstalmentBalance::scheduled).toList();
        PlanCheckedOut draft = new PlanCheckedOut(walletId, command.paymentId(), buyer, command.merchantId(),
                command.orderNumber(), schedule, command.terms(), creditLimit,
                creditUsedAfter, PlanStatus.CURRENT, schedule.total(), balances, null,
                command.at());
        Instant next = new InstalmentPlan(draft).nextReview(command.at());
        return new PlanCheckedOut(walletId, command.paymentId(), buyer, command.merchantId(), command.orderNumber(),
                schedule, command.terms(), creditLimit, creditUsedAfter, PlanStatus.CURRENT,
                schedule.total(), balances, next, command.at());
    }

    // ---- decisions ------------------------------------------------------------------------------

    /**
     * A payment from the wallet, oldest instalment first. {@code amount} null: everything owed on the
     * oldest {@code count} open instalments, or, with {@code count} 0, everything owed.
     */
    public InstalmentsPaid repay(WalletId walletId, Money amount, int count, RepaymentSource source,
                                 long availableMinor, Instant at) {
        requireOpen();
        Money owed = outstanding();
        Money paying;
        if (amount != null) {
            owed.requireSameCurrency(amount);
            if (!amount.isPositive()) {
                throw new IllegalArgumentException("repayments are validated positive at the edge: " + amount);
            }
            if (amount.isGreaterThan(owed)) {
                throw new LedgerRejection("repayment_exceeds_outstanding", "at most " + owed + " is owed on this plan");
            }
            paying = amount;
        } else if (count > 0) {
            paying = zero();
            int taken = 0;
            for (InstalmentBalance instalment : instalments) {
                if (taken < count && instalment.open()) {
                    paying = paying.plus(instalment.owed());
                    taken++;
                }
            }
        } else {
            paying = owed;
        }
        if (paying.minor() > availableMinor) {
            throw new LedgerRejection("insufficient_funds", "the wallet has " + Money.of(availableMinor, currency())
                    + " available, " + paying + " requested");
        }
        List<InstalmentBalance> changed = allocateOldestFirst(paying);
        return withNext(new InstalmentsPaid(walletId, planId, source, paying,
                Money.of(availableMinor - paying.minor(), currency()), null, null, changed, null, at));
    }

    /**
     * The next thing due at {@code at}, if any: instalments becoming overdue, a collection (or its
     * failure), a late fee, or the default. The wallet applies it and asks again until nothing is due;
     * each fact changes the state so that it is not due again.
     */
    public Optional<PlanChange> nextDue(WalletId walletId, long availableMinor, Instant at) {
        if (!status.open()) {
            return Optional.empty();
        }
        // Still owed after its due date ended: overdue, whatever a collection today may bring.
        List<InstalmentBalance> becomingOverdue = Arrays.stream(instalments)
                .filter(instalment -> instalment.open() && !instalment.overdue()
                        && !at.isBefore(terms.startOf(instalment.dueDate().plusDays(1))))
                .map(InstalmentBalance::markedOverdue).toList();
        if (!becomingOverdue.isEmpty()) {
            return Optional.of(withNext(new InstalmentsOverdue(walletId, planId, null, null, becomingOverdue, null,
                    at)));
        }
        LocalDate today = terms.dayOf(at);
        List<InstalmentBalance> due = Arrays.stream(instalments)
                .filter(instalment -> instalment.open() && !instalment.dueDate().isAfter(today)).toList();
        if (!due.isEmpty() && (lastFailedCollection == null || lastFailedCollection.isBefore(today))) {
            long collectable = 0;
            for (InstalmentBalance instalment : due) {
                long owed = instalment.owed().minor();
                if (Math.addExact(collectable, owed) > availableMinor) {
                    break;
                }
                collectable = Math.addExact(collectable, owed);
            }
            if (collectable > 0) {
                return Optional.of(repay(walletId, Money.of(collectable, currency()), 0, RepaymentSource.COLLECTION,
                        availableMinor, at));
            }
            InstalmentBalance oldest = due.getFirst();
            return Optional.of(withNext(new InstalmentCollectionFailed(walletId, planId, oldest.number(),
                    oldest.owed(), Money.of(availableMinor, currency()), null, null, List.of(), null, at)));
        }
        long lateFeesMinor = lateFeesMinor();
        long capLeft = terms.lateFeeCapMinor(schedule.orderAmount()) - lateFeesMinor;
        long feeMinor = Math.min(terms.lateFee().minor(), capLeft);
        if (feeMinor > 0) {
            for (InstalmentBalance instalment : instalments) {
                if (instalment.open() && instalment.overdue() && instalment.lateFee().isZero()
                        && !at.isBefore(lateFeeAt(instalment))) {
                    Money fee = Money.of(feeMinor, currency());
                    return Optional.of(withNext(new LateFeeCharged(walletId, planId, instalment.number(), fee,
                            Money.of(lateFeesMinor + feeMinor, currency()), null, null,
                            List.of(instalment.withLateFee(fee)), null, at)));
                }
            }
        }
        InstalmentBalance oldestOwed = oldestOpen();
        if (oldestOwed != null && !at.isBefore(defaultAt(oldestOwed))) {
            List<InstalmentBalance> writtenOff = new ArrayList<>();
            for (InstalmentBalance instalment : instalments) {
                if (instalment.open()) {
                    writtenOff.add(instalment.writeOff());
                }
            }
            return Optional.of(withNext(new PlanDefaulted(walletId, planId, outstanding(), null, null, writtenOff,
                    null, at)));
        }
        return Optional.empty();
    }

    /**
     * A refund of the plan's order, {@code amount}, arriving from refund clearing; the class
     * documentation states where it goes. The merchant has already checked that refunds never exceed
     * the order amount.
     */
    public PlanRefundApplied refund(WalletId walletId, RefundId refundId, Money amount, long availableMinor,
                                    Instant at) {
        schedule.orderAmount().requireSameCurrency(amount);
        long refundedAfter = Math.addExact(refundedMinor, amount.minor());
        if (refundedAfter > schedule.orderAmount().minor()) {
            throw new IllegalStateException("refunds of plan " + planId + " exceed the order: " + refundedAfter);
        }
        Money zero = zero();
        Money reduced = zero;
        Money recovered = zero;
        Money feesReversed = zero;
        List<InstalmentBalance> changed = new ArrayList<>();
        if (refundedAfter == schedule.orderAmount().minor()) {
            // The whole order is refunded: the buyer owes nothing and gets back everything paid, a
            // write-off is recovered in full, and the platform gives up its plan and late fees.
            for (InstalmentBalance instalment : instalments) {
                if (instalment.open()) {
                    reduced = reduced.plus(instalment.owed());
                    changed.add(instalment.withReduced(instalment.owed()));
                }
            }
            recovered = Money.of(writtenOffMinor() - recoveredMinor, currency());
            Money returned = Money.of(paidMinor() - returnedToWalletMinor, currency());
            feesReversed = reduced.plus(recovered).plus(returned).minus(amount);
            if (feesReversed.isNegative()) {
                throw new IllegalStateException("a full refund of plan " + planId + " would earn fees: " + feesReversed);
            }
        } else if (status == PlanStatus.DEFAULTED) {
            recovered = Money.of(Math.min(amount.minor(), writtenOffMinor() - recoveredMinor), currency());
        } else {
            long left = amount.minor();
            for (int index = instalments.length - 1; index >= 0 && left > 0; index--) {
                InstalmentBalance instalment = instalments[index];
                long take = Math.min(left, instalment.owed().minor());
                if (take > 0) {
                    changed.addFirst(instalment.withReduced(Money.of(take, currency())));
                    left -= take;
                }
            }
            reduced = amount.minus(Money.of(left, currency()));
        }
        Money toWallet = amount.plus(feesReversed).minus(reduced).minus(recovered);
        return withNext(new PlanRefundApplied(walletId, planId, refundId, amount, reduced, recovered, feesReversed,
                toWallet, Money.of(Math.addExact(availableMinor, toWallet.minor()), currency()), null, null, changed,
                null, at));
    }

    // ---- state -----------------------------------------------------------------------------------

    /** Brings the state up to date with one of this plan's facts. */
    public void apply(PlanChange event) {
        record(event);
        status = event.status();
        nextReviewAt = event.nextReviewAt();
    }

    /**
     * Everything a fact changes but the status and the next review, which the fact states: used both
     * to rebuild the plan and, on a copy, to work out those two for a fact being decided.
     */
    private void record(PlanChange fact) {
        for (InstalmentBalance balance : fact.instalments()) {
            instalments[balance.number() - 1] = balance;
        }
        switch (fact) {
            case InstalmentCollectionFailed failed -> lastFailedCollection = terms.dayOf(failed.at());
            case PlanRefundApplied refund -> {
                refundedMinor = Math.addExact(refundedMinor, refund.amount().minor());
                returnedToWalletMinor = Math.addExact(returnedToWalletMinor, refund.toWallet().minor());
                recoveredMinor = Math.addExact(recoveredMinor, refund.recovered().minor());
            }
            default -> {
            }
        }
    }

    public PaymentId planId() {
        return planId;
    }

    public PlanStatus status() {
        return status;
    }

    public Money outstanding() {
        long owed = 0;
        for (InstalmentBalance instalment : instalments) {
            owed = Math.addExact(owed, instalment.owed().minor());
        }
        return Money.of(owed, currency());
    }

    /** What counts against the buyer's credit limit: the scheduled amounts still owed, late fees aside. */
    public Money principalOwed() {
        Money owed = zero();
        if (status.open()) {
            for (InstalmentBalance instalment : instalments) {
                owed = owed.plus(instalment.principalOwed());
            }
        }
        return owed;
    }

    public PlanReceipt receipt() {
        return new PlanReceipt(planId, merchantId, orderNumber, schedule.type(), status, schedule.orderAmount(),
                schedule.feeBasisPoints(), schedule.fee(), schedule.total(), Money.of(lateFeesMinor(), currency()),
                Money.of(paidMinor(), currency()), Money.of(refundedMinor, currency()), reducedByRefunds(),
                Money.of(writtenOffMinor(), currency()), outstanding(), terms, List.of(instalments), nextReviewAt,
                checkedOutAt);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** Completes a decided fact with the plan's status, what is owed and the next review, as they are after it. */
    @SuppressWarnings("unchecked")
    private <E extends PlanChange> E withNext(E draft) {
        InstalmentPlan after = new InstalmentPlan(this);
        after.record(draft);
        PlanStatus statusAfter = after.statusFor(draft);
        after.status = statusAfter;
        Money owed = after.outstanding();
        Instant next = after.nextReview(draft.at());
        return (E) switch (draft) {
            case InstalmentsPaid e -> new InstalmentsPaid(e.walletId(), e.planId(), e.source(), e.amount(),
                    e.availableAfter(), statusAfter, owed, e.instalments(), next, e.at());
            case InstalmentCollectionFailed e -> new InstalmentCollectionFailed(e.walletId(), e.planId(), e.number(),
                    e.owed(), e.available(), statusAfter, owed, e.instalments(), next, e.at());
            case InstalmentsOverdue e -> new InstalmentsOverdue(e.walletId(), e.planId(), statusAfter, owed,
                    e.instalments(), next, e.at());
            case LateFeeCharged e -> new LateFeeCharged(e.walletId(), e.planId(), e.number(), e.fee(),
                    e.lateFeesTotal(), statusAfter, owed, e.instalments(), next, e.at());
            case PlanRefundApplied e -> new PlanRefundApplied(e.walletId(), e.planId(), e.refundId(), e.amount(),
                    e.reduced(), e.recovered(), e.feesReversed(), e.toWallet(), e.availableAfter(), statusAfter, owed,
                    e.instalments(), next, e.at());
            case PlanDefaulted e -> new PlanDefaulted(e.walletId(), e.planId(), e.writtenOff(), statusAfter, owed,
                    e.instalments(), next, e.at());
            case PlanCheckedOut e -> throw new IllegalArgumentException("a checkout is completed by checkout(): " + e);
        };
    }

    /** The status once {@code fact} is recorded (this plan's state already includes it, but not its status). */
    private PlanStatus statusFor(PlanChange fact) {
        if (fact instanceof PlanRefundApplied && refundedMinor == schedule.orderAmount().minor()) {
            return PlanStatus.CLOSED;
        }
        if (fact instanceof PlanDefaulted || status == PlanStatus.DEFAULTED) {
            return PlanStatus.DEFAULTED;
        }
        if (!outstanding().isPositive()) {
            return PlanStatus.CLOSED;
        }
        for (InstalmentBalance instalment : instalments) {
            if (instalment.open() && instalment.overdue()) {
                return PlanStatus.OVERDUE;
            }
        }
        return PlanStatus.CURRENT;
    }

    /**
     * When the plan next needs a review after {@code at}: the due date of the oldest instalment owed,
     * or, once that has come, the next day's collection, an instalment becoming overdue, a late fee or
     * the default, whichever is first. Null once the plan is closed or defaulted.
     */
    Instant nextReview(Instant at) {
        if (!status.open()) {
            return null;
        }
        InstalmentBalance oldest = oldestOpen();
        if (oldest == null) {
            return null;
        }
        LocalDate today = terms.dayOf(at);
        if (oldest.dueDate().isAfter(today)) {
            return terms.startOf(oldest.dueDate());
        }
        Instant next = lastFailedCollection != null && !lastFailedCollection.isBefore(today)
                ? terms.startOf(today.plusDays(1)) : at;
        boolean feesLeft = Math.min(terms.lateFee().minor(),
                terms.lateFeeCapMinor(schedule.orderAmount()) - lateFeesMinor()) > 0;
        for (InstalmentBalance instalment : instalments) {
            if (!instalment.open() || instalment.dueDate().isAfter(today)) {
                continue;
            }
            if (!instalment.overdue()) {
                next = min(next, terms.startOf(instalment.dueDate().plusDays(1)));
            }
            if (feesLeft && instalment.lateFee().isZero()) {
                next = min(next, lateFeeAt(instalment));
            }
        }
        return min(next, defaultAt(oldest));
    }

    private Instant lateFeeAt(InstalmentBalance instalment) {
        return terms.startOf(instalment.dueDate().plusDays(1L + terms.graceDays()));
    }

    private Instant defaultAt(InstalmentBalance instalment) {
        return terms.startOf(instalment.dueDate().plusDays(1L + terms.defaultAfterDays()));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private List<InstalmentBalance> allocateOldestFirst(Money amount) {
        List<InstalmentBalance> changed = new ArrayList<>();
        long left = amount.minor();
        for (InstalmentBalance instalment : instalments) {
            if (left == 0) {
                break;
            }
            long take = Math.min(left, instalment.owed().minor());
            if (take > 0) {
                changed.add(instalment.withPaid(Money.of(take, currency())));
                left -= take;
            }
        }
        if (left != 0) {
            throw new IllegalStateException("a payment of " + amount + " exceeds what plan " + planId + " owes");
        }
        return changed;
    }

    private InstalmentBalance oldestOpen() {
        for (InstalmentBalance instalment : instalments) {
            if (instalment.open()) {
                return instalment;
            }
        }
        return null;
    }

    private void requireOpen() {
        switch (status) {
            case CLOSED -> throw new LedgerRejection("plan_closed", "plan " + planId + " is closed; nothing is owed");
            case DEFAULTED -> throw new LedgerRejection("plan_defaulted", "plan " + planId + " was defaulted");
            default -> {
            }
        }
    }

    private Money reducedByRefunds() {
        Money reduced = zero();
        for (InstalmentBalance instalment : instalments) {
            reduced = reduced.plus(instalment.reduced());
        }
        return reduced;
    }

    /** The late fees charged so far: the instalments' own, so they cannot drift apart. */
    private long lateFeesMinor() {
        long fees = 0;
        for (InstalmentBalance instalment : instalments) {
            fees = Math.addExact(fees, instalment.lateFee().minor());
        }
        return fees;
    }

    /** What the default wrote off: the instalments' own write-offs. */
    private long writtenOffMinor() {
        long writtenOff = 0;
        for (InstalmentBalance instalment : instalments) {
            writtenOff = Math.addExact(writtenOff, instalment.writtenOff().minor());
        }
        return writtenOff;
    }

    private long paidMinor() {
        long paid = 0;
        for (InstalmentBalance instalment : instalments) {
            paid = Math.addExact(paid, instalment.paid().minor());
        }
        return paid;
    }

    private Currency currency() {
        return schedule.total().currency();
    }

    private Money zero() {
        return Money.zero(currency());
    }
}
