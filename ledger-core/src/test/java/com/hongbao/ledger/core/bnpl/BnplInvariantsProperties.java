package com.hongbao.ledger.core.bnpl;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.account.AccountId;
import com.hongbao.ledger.core.account.AccountType;
import com.hongbao.ledger.core.account.MoneyMovement;
import com.hongbao.ledger.core.account.Posting;
import com.hongbao.ledger.core.bnpl.PlanCommand.CheckoutWithPlan;
import com.hongbao.ledger.core.bnpl.PlanCommand.RepayPlan;
import com.hongbao.ledger.core.bnpl.PlanCommand.ReviewPlan;
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
import com.hongbao.ledger.core.merchant.Merchant.OnboardMerchant;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentCaptured;
import com.hongbao.ledger.core.refund.RefundCommand.RefundPayment;
import com.hongbao.ledger.core.refund.RefundEvent.MerchantRefundedPayment;
import com.hongbao.ledger.core.testing.InMemoryLedger;
import com.hongbao.ledger.core.testing.Outcome;
import com.hongbao.ledger.core.wallet.WalletCommand.OpenWallet;
import com.hongbao.ledger.core.wallet.WalletCommand.TopUpWallet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Any plan of any order, then any sequence of repayments (of amounts, of a number of instalments, of
 * everything), top-ups, merchant refunds (decided by the merchant, delivered by the refund creditor)
 * and clock advances followed by the plan sweep's review, on a real Axon configuration. Each command's
 * outcome is predicted from the state before it, and after every step: what the plan says it is owed
 * is what its facts add up to and what its receivable holds in the journal, late fees stay within the
 * cap, the journal balances, no wallet goes negative, and the schedule is whole.
 */
class BnplInvariantsProperties {

    static final Currency CNY = Currency.getInstance("CNY");
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final PlanTerms TERMS = new PlanTerms(Money.of(500, CNY), 3, 2_500, 60, SHANGHAI);
    static final UserId BUYER = new UserId("buyer");
    static final WalletId WALLET = WalletId.of(BUYER, CNY);
    static final MerchantId SHOP = new MerchantId("m_shop");
    static final PaymentId PLAN = new PaymentId("p_plan");
    static final Instant CHECKOUT = Instant.parse("2026-01-30T15:30:00Z");
    static final AccountId RECEIVABLE = PlanEvent.receivable(PLAN);
    static final AccountId WALLET_ACCOUNT = new AccountId(AccountType.WALLET, WALLET.value());
    static final AccountId MERCHANT = new AccountId(AccountType.MERCHANT_SETTLEMENT, SHOP.value());

    sealed interface Step {
    }

    /** Repay this share of what is owed, in permille; above 1,000 asks for more than is owed. */
    record Repay(int permilleOfOutstanding) implements Step {
    }

    /** Repay the oldest {@code count} open instalments, or everything for 0. */
    record RepayInstalments(int count) implements Step {
    }

    record TopUp(long fen) implements Step {
    }

    /** The merchant refunds this share of the order, in permille; more than is left is refused. */
    record Refund(int permilleOfOrder) implements Step {
    }

    /** The merchant refunds all that is left of the order (nothing left: one fen, which is refused). */
    record RefundRest() implements Step {
    }

    /** The clock moves on, and the plan sweep reviews the plan. */
    record AdvanceAndReview(int days, int seconds) implements Step {
    }

    @Property(tries = 200)
    void what_is_owed_always_adds_up_and_the_journal_balances(
            @ForAll @LongRange(min = 1, max = 300_000) long orderFen,
            @ForAll PlanType type,
            @ForAll @IntRange(min = 0, max = 1_500) int feeBasisPoints,
            @ForAll @LongRange(min = 0, max = 200_000) long openingFen,
            @ForAll("steps") List<Step> steps) {
        try (InMemoryLedger ledger = InMemoryLedger.withHoldReleaser()) {
            ledger.when(new OnboardMerchant(SHOP, "Shop", 60, CNY, CHECKOUT.minusSeconds(120))).expectSuccess();
            ledger.when(new OpenWallet(WALLET, BUYER, CNY, CHECKOUT.minusSeconds(60))).expectSuccess();
            long toppedUp = 0;
            if (openingFen > 0) {
                topUp(ledger, openingFen, CHECKOUT.minusSeconds(30), 0);
                toppedUp += openingFen;
            }
            CheckoutWithPlan checkout = new CheckoutWithPlan(WALLET, PLAN, SHOP, 60, "order-1", "goods",
                    Money.of(orderFen, CNY), type, feeBasisPoints, TERMS, Money.of(10_000_000, CNY), CHECKOUT);
            if (orderFen < type.instalments()) {
                ledger.when(checkout).expectRejection(LedgerRejection.class, "amount_too_small_for_plan");
                return;
            }
            long firstInstalment = InstalmentSchedule.of(type, Money.of(orderFen, CNY), feeBasisPoints, CHECKOUT,
                    SHANGHAI).instalments().getFirst().amount().minor();
            if (type.firstDueAtCheckout() && firstInstalment > toppedUp) {
                int before = ledger.eventCount();
                ledger.when(checkout).expectRejection(LedgerRejection.class, "insufficient_funds");
                assertThat(ledger.eventCount()).isEqualTo(before);
                topUp(ledger, firstInstalment - toppedUp, CHECKOUT.minusSeconds(10), 1);
                toppedUp = firstInstalment;
            }
            PlanReceipt receipt = ledger.when(checkout).result(PlanReceipt.class);
            assertReceipt(receipt, View.of(ledger));
            assertInvariants(ledger, toppedUp);

            Instant now = CHECKOUT;
            int topUps = 2;
            int refunds = 0;
            for (Step step : steps) {
                View before = View.of(ledger);
                long wallet = balance(ledger, WALLET_ACCOUNT);
                switch (step) {
                    case Repay repay -> {
                        long amount = Math.max(1, before.outstanding * repay.permilleOfOutstanding() / 1_000);
                        now = now.plusSeconds(60);
                        repay(ledger, before, wallet, amount, new RepayPlan(WALLET, PLAN, Money.of(amount, CNY), 0, now));
                    }
                    case RepayInstalments repay -> {
                        long amount = before.owedOnOldest(repay.count());
                        now = now.plusSeconds(60);
                        repay(ledger, before, wallet, amount, new RepayPlan(WALLET, PLAN, null, repay.count(), now));
                    }
                    case TopUp topUp -> {
                        now = now.plusSeconds(60);
                        topUp(ledger, topUp.fen(), now, topUps++);
                        toppedUp += topUp.fen();
                    }
                    case Refund refund -> {
                        long amount = Math.max(1, orderFen * refund.permilleOfOrder() / 1_000);
                        now = now.plusSeconds(60);
                        refund(ledger, before, wallet, amount, "R" + (++refunds), now);
                    }
                    case RefundRest ignored -> {
                        long amount = Math.max(1, orderFen - before.refunded);
                        now = now.plusSeconds(60);
                        refund(ledger, before, wallet, amount, "R" + (++refunds), now);
                    }
                    case AdvanceAndReview advance -> {
                        now = now.plus(Duration.ofDays(advance.days())).plusSeconds(advance.seconds());
                        review(ledger, before, wallet, now);
                    }
                }
                assertInvariants(ledger, toppedUp);
            }
            Statistics.label("status at the end").collect(View.of(ledger).status);
            Statistics.label("late fees charged").collect(View.of(ledger).lateFees > 0);
            View end = View.of(ledger);
            Statistics.label("refunded").collect(end.refunded == 0 ? "none" : end.refunded == orderFen ? "all" : "part");
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, 1_100).map(Repay::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 4).map(RepayInstalments::new)),
                net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(1, 150_000).map(TopUp::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, 1_000).map(Refund::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new RefundRest())),
                net.jqwik.api.Tuple.of(6, Combinators.combine(Arbitraries.integers().between(0, 40),
                        Arbitraries.integers().between(0, 86_399)).as(AdvanceAndReview::new)));
        return step.list().ofMinSize(0).ofMaxSize(25);
    }

    // ---- steps, each predicted from the state before it ----------------------------------------

    private static void topUp(InMemoryLedger ledger, long fen, Instant at, int number) {
        ledger.when(new TopUpWallet(WALLET, "bank-" + number, Money.of(fen, CNY), at)).expectSuccess();
    }

    private static void repay(InMemoryLedger ledger, View before, long wallet, long amount, RepayPlan command) {
        Outcome outcome = ledger.when(command);
        if (before.status == PlanStatus.CLOSED) {
            outcome.expectRejection(LedgerRejection.class, "plan_closed");
        } else if (before.status == PlanStatus.DEFAULTED) {
            outcome.expectRejection(LedgerRejection.class, "plan_defaulted");
        } else if (amount > before.outstanding) {
            outcome.expectRejection(LedgerRejection.class, "repayment_exceeds_outstanding");
        } else if (amount > wallet) {
            outcome.expectRejection(LedgerRejection.class, "insufficient_funds");
        } else {
            PlanReceipt receipt = outcome.result(PlanReceipt.class);
            assertThat(outcome.events()).singleElement().isInstanceOf(InstalmentsPaid.class);
            InstalmentsPaid paid = (InstalmentsPaid) outcome.events().getFirst();
            assertThat(paid.source()).isEqualTo(RepaymentSource.MANUAL);
            assertThat(paid.amount().minor()).isEqualTo(amount);
            assertThat(paid.availableAfter().minor()).isEqualTo(wallet - amount);
            assertThat(paid.outstanding().minor()).isEqualTo(before.outstanding - amount);
            assertThat(receipt.outstanding().minor()).isEqualTo(before.outstanding - amount);
            assertReceipt(receipt, View.of(ledger));
        }
    }

    private static void refund(InMemoryLedger ledger, View before, long wallet, long amount, String number,
                               Instant at) {
        PaymentCaptured capture = ledger.events().stream().filter(PaymentCaptured.class::isInstance)
                .map(PaymentCaptured.class::cast).findFirst().orElseThrow();
        Outcome outcome = ledger.when(new RefundPayment(SHOP, RefundId.of(SHOP, number), number, capture,
                Money.of(amount, CNY), credited(ledger, MERCHANT), at));
        long orderFen = before.checkedOut.schedule().orderAmount().minor();
        if (at.isAfter(capture.capturedAt().plus(Duration.ofDays(365)))) {
            outcome.expectRejection(LedgerRejection.class, "refund_window_closed");
            return;
        }
        if (amount > orderFen - before.refunded) {
            outcome.expectRejection(LedgerRejection.class, "refund_exceeds_captured");
            return;
        }
        outcome.expectSuccess();
        assertThat(outcome.events()).hasSize(2);
        assertThat(outcome.events().getFirst()).isInstanceOf(MerchantRefundedPayment.class);
        PlanRefundApplied applied = (PlanRefundApplied) outcome.events().get(1);
        assertThat(applied.amount().minor()).isEqualTo(amount);
        assertThat(applied.amount().plus(applied.feesReversed()))
                .isEqualTo(applied.reduced().plus(applied.recovered()).plus(applied.toWallet()));
        assertThat(applied.availableAfter().minor()).isEqualTo(wallet + applied.toWallet().minor());
        boolean full = before.refunded + amount == orderFen;
        if (full) {
            // Defaulted or not: everything owed is cancelled, the write-off recovered, and the
            // platform gives up every fee it earned on the plan.
            assertThat(applied.reduced().minor()).isEqualTo(before.outstanding);
            assertThat(applied.feesReversed().minor())
                    .isEqualTo(before.checkedOut.schedule().fee().minor() + before.lateFees);
            assertThat(applied.recovered().minor()).isEqualTo(before.writtenOff - before.recovered);
            assertThat(applied.status()).isEqualTo(PlanStatus.CLOSED);
        } else if (before.status == PlanStatus.DEFAULTED) {
            assertThat(applied.reduced().isZero()).isTrue();
            assertThat(applied.feesReversed().isZero()).isTrue();
            assertThat(applied.recovered().minor()).isEqualTo(Math.min(amount, before.writtenOff - before.recovered));
            assertThat(applied.status()).isEqualTo(PlanStatus.DEFAULTED);
        } else {
            assertThat(applied.reduced().minor()).isEqualTo(Math.min(amount, before.outstanding));
            assertThat(applied.feesReversed().isZero()).isTrue();
            assertThat(applied.recovered().isZero()).isTrue();
        }
    }

    private static void review(InMemoryLedger ledger, View before, long wallet, Instant at) {
        Outcome outcome = ledger.when(new ReviewPlan(WALLET, PLAN, at)).expectSuccess();
        assertThat(outcome.result()).isEqualTo(!outcome.events().isEmpty());
        if (!before.status.open()) {
            assertThat(outcome.events()).as("a closed or defaulted plan needs nothing").isEmpty();
        }
        if (before.nextReviewAt == null || at.isBefore(before.nextReviewAt)) {
            assertThat(outcome.events()).as("a review before the plan's next review time, %s, at %s",
                    before.nextReviewAt, at).isEmpty();
        }
        long available = wallet;
        for (Object event : outcome.events()) {
            assertThat(event).isInstanceOf(PlanChange.class);
            if (event instanceof InstalmentsPaid paid) {
                assertThat(paid.source()).isEqualTo(RepaymentSource.COLLECTION);
                assertThat(paid.amount().minor()).isLessThanOrEqualTo(available);
                available -= paid.amount().minor();
                assertThat(paid.availableAfter().minor()).isEqualTo(available);
            }
        }
        // Each fact makes itself not due again: a second review at the same instant does nothing.
        ledger.when(new ReviewPlan(WALLET, PLAN, at)).expectResult(false).expectSuccessWithNoEvents();
    }

    // ---- invariants --------------------------------------------------------------------------

    private static void assertInvariants(InMemoryLedger ledger, long toppedUp) {
        View plan = View.of(ledger);
        InstalmentSchedule schedule = plan.checkedOut.schedule();
        long orderFen = schedule.orderAmount().minor();

        // The schedule is whole.
        assertThat(schedule.instalments()).allSatisfy(instalment -> assertThat(instalment.amount().minor())
                .isGreaterThanOrEqualTo(1));
        assertThat(schedule.instalments().stream().mapToLong(instalment -> instalment.amount().minor()).sum())
                .isEqualTo(orderFen + schedule.fee().minor())
                .isEqualTo(schedule.total().minor());

        // What is owed adds up, three ways.
        long expected = schedule.total().minor() + plan.lateFees - plan.paid - plan.reduced - plan.writtenOff;
        assertThat(plan.outstanding).as("outstanding = total + late fees - paid - reduced - written off")
                .isEqualTo(expected);
        assertThat(plan.instalments.values().stream().mapToLong(instalment -> instalment.owed().minor()).sum())
                .as("the instalments' owed").isEqualTo(plan.outstanding);
        assertThat(balance(ledger, RECEIVABLE)).as("the receivable in the journal").isEqualTo(-plan.outstanding);

        // Late fees: within the cap, at most one per instalment.
        assertThat(plan.lateFees).isLessThanOrEqualTo(TERMS.lateFeeCapMinor(schedule.orderAmount()))
                .isLessThanOrEqualTo(orderFen / 4);
        assertThat(plan.lateFeeCount.values()).allSatisfy(count -> assertThat(count).isEqualTo(1));
        assertThat(plan.instalments.values()).allSatisfy(instalment -> assertThat(instalment.lateFee().minor())
                .as("the late fee on instalment %d", instalment.number())
                .isEqualTo(plan.lateFeeByNumber.getOrDefault(instalment.number(), 0L)));

        // The status says what is owed.
        switch (plan.status) {
            case CURRENT, OVERDUE -> {
                assertThat(plan.outstanding).isPositive();
                boolean overdue = plan.instalments.values().stream()
                        .anyMatch(instalment -> instalment.owed().isPositive() && instalment.overdue());
                assertThat(plan.status == PlanStatus.OVERDUE).isEqualTo(overdue);
                assertThat(plan.nextReviewAt).isNotNull();
            }
            case CLOSED, DEFAULTED -> {
                assertThat(plan.outstanding).isZero();
                assertThat(plan.nextReviewAt).isNull();
            }
        }

        // Where the platform's side of the plan stands.
        Map<AccountId, Long> balances = balances(ledger);
        assertThat(balances.getOrDefault(PlanEvent.FEE_REVENUE, 0L)).as("plan and late fees earned")
                .isEqualTo(schedule.fee().minor() + plan.lateFees - plan.feesReversed);
        assertThat(balances.getOrDefault(PlanEvent.BAD_DEBT, 0L)).as("bad debt")
                .isEqualTo(-(plan.writtenOff - plan.recovered));
        assertThat(plan.recovered).isLessThanOrEqualTo(plan.writtenOff);
        long wallet = balances.getOrDefault(WALLET_ACCOUNT, 0L);
        assertThat(wallet).as("the wallet: what came in, less what the plan took, plus what came back")
                .isEqualTo(toppedUp - plan.paid + plan.toWallet)
                .isGreaterThanOrEqualTo(0);
        if (plan.refunded == orderFen && plan.writtenOff == 0) {
            assertThat(wallet).as("a fully refunded order leaves the buyer whole").isEqualTo(toppedUp);
            assertThat(balances.getOrDefault(PlanEvent.FEE_REVENUE, 0L)).isZero();
        }

        // The journal balances, and no account that may not go negative is negative.
        Map<Currency, Long> sums = new HashMap<>();
        for (Object event : ledger.events()) {
            if (event instanceof MoneyMovement movement) {
                for (Posting posting : movement.postings()) {
                    sums.merge(posting.amount().currency(), posting.amount().minor(), Math::addExact);
                }
            }
        }
        assertThat(sums).allSatisfy((currency, sum) -> assertThat(sum).as("trial balance in %s", currency).isZero());
        balances.forEach((account, minor) -> {
            if (account.type().noOverdraft()) {
                assertThat(minor).as("balance of %s", account).isGreaterThanOrEqualTo(0);
            }
        });
    }

    private static void assertReceipt(PlanReceipt receipt, View plan) {
        assertThat(receipt.outstanding().minor()).isEqualTo(plan.outstanding)
                .isEqualTo(receipt.total().minor() + receipt.lateFees().minor() - receipt.paid().minor()
                        - receipt.reducedByRefunds().minor() - receipt.writtenOff().minor());
        assertThat(receipt.lateFees().minor()).isEqualTo(plan.lateFees);
        assertThat(receipt.paid().minor()).isEqualTo(plan.paid);
        assertThat(receipt.reducedByRefunds().minor()).isEqualTo(plan.reduced);
        assertThat(receipt.writtenOff().minor()).isEqualTo(plan.writtenOff);
        assertThat(receipt.refunded().minor()).isEqualTo(plan.refunded);
        assertThat(receipt.status()).isEqualTo(plan.status);
        assertThat(receipt.nextReviewAt()).isEqualTo(plan.nextReviewAt);
        assertThat(receipt.instalments()).containsExactlyElementsOf(plan.instalments.values());
    }

    /** The plan as its events tell it. */
    static final class View {
        PlanCheckedOut checkedOut;
        final Map<Integer, InstalmentBalance> instalments = new TreeMap<>();
        final Map<Integer, Integer> lateFeeCount = new HashMap<>();
        final Map<Integer, Long> lateFeeByNumber = new HashMap<>();
        PlanStatus status;
        long outstanding;
        Instant nextReviewAt;
        long lateFees;
        long paid;
        long reduced;
        long refunded;
        long recovered;
        long feesReversed;
        long toWallet;
        long writtenOff;

        static View of(InMemoryLedger ledger) {
            View view = new View();
            for (Object event : ledger.events()) {
                if (!(event instanceof PlanChange change) || !change.planId().equals(PLAN)) {
                    continue;
                }
                for (InstalmentBalance balance : change.instalments()) {
                    view.instalments.put(balance.number(), balance);
                }
                view.status = change.status();
                view.outstanding = change.outstanding().minor();
                view.nextReviewAt = change.nextReviewAt();
                switch (change) {
                    case PlanCheckedOut checkedOut -> view.checkedOut = checkedOut;
                    case InstalmentsPaid paid -> view.paid += paid.amount().minor();
                    case LateFeeCharged fee -> {
                        view.lateFees += fee.fee().minor();
                        assertThat(fee.lateFeesTotal().minor()).isEqualTo(view.lateFees);
                        view.lateFeeCount.merge(fee.number(), 1, Integer::sum);
                        view.lateFeeByNumber.merge(fee.number(), fee.fee().minor(), Long::sum);
                    }
                    case PlanRefundApplied refund -> {
                        view.refunded += refund.amount().minor();
                        view.reduced += refund.reduced().minor();
                        view.recovered += refund.recovered().minor();
                        view.feesReversed += refund.feesReversed().minor();
                        view.toWallet += refund.toWallet().minor();
                    }
                    case PlanDefaulted defaulted -> view.writtenOff += defaulted.writtenOff().minor();
                    default -> {
                    }
                }
            }
            assertThat(view.checkedOut).as("the plan's checkout").isNotNull();
            assertThat(view.instalments).hasSize(view.checkedOut.schedule().instalments().size());
            return view;
        }

        /** What is owed on the oldest {@code count} open instalments, or on all of them for 0. */
        long owedOnOldest(int count) {
            long owed = 0;
            int taken = 0;
            for (InstalmentBalance instalment : instalments.values()) {
                if (instalment.owed().isPositive() && (count == 0 || taken < count)) {
                    owed += instalment.owed().minor();
                    taken++;
                }
            }
            return owed;
        }
    }

    private static long credited(InMemoryLedger ledger, AccountId account) {
        long credited = 0;
        for (Object event : ledger.events()) {
            if (event instanceof MoneyMovement movement) {
                for (Posting posting : movement.postings()) {
                    if (posting.account().equals(account) && posting.amount().isPositive()) {
                        credited += posting.amount().minor();
                    }
                }
            }
        }
        return credited;
    }

    private static long balance(InMemoryLedger ledger, AccountId account) {
        return balances(ledger).getOrDefault(account, 0L);
    }

    private static Map<AccountId, Long> balances(InMemoryLedger ledger) {
        Map<AccountId, Long> balances = new HashMap<>();
        for (Object event : ledger.events()) {
            if (event instanceof MoneyMovement movement) {
                for (Posting posting : movement.postings()) {
                    balances.merge(posting.account(), posting.amount().minor(), Long::sum);
                }
            }
        }
        return balances;
    }
}
