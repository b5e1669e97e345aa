package com.hongbao.ledger.core.bnpl;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.account.AccountId;
import com.hongbao.ledger.core.account.AccountType;
import com.hongbao.ledger.core.account.MoneyMovement;
import com.hongbao.ledger.core.account.MovementType;
import com.hongbao.ledger.core.account.Posting;
import com.hongbao.ledger.core.bnpl.PlanCommand.CheckoutWithPlan;
import com.hongbao.ledger.core.bnpl.PlanCommand.RepayPlan;
import com.hongbao.ledger.core.bnpl.PlanCommand.ReviewPlan;
import com.hongbao.ledger.core.bnpl.PlanCommand.SetCreditLine;
import com.hongbao.ledger.core.bnpl.PlanEvent.CreditLineSet;
import com.hongbao.ledger.core.bnpl.PlanEvent.InstalmentCollectionFailed;
import com.hongbao.ledger.core.bnpl.PlanEvent.InstalmentsOverdue;
import com.hongbao.ledger.core.bnpl.PlanEvent.InstalmentsPaid;
import com.hongbao.ledger.core.bnpl.PlanEvent.LateFeeCharged;
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
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentAuthorised;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentCaptured;
import com.hongbao.ledger.core.refund.RefundCommand.RefundPayment;
import com.hongbao.ledger.core.refund.RefundEvent.MerchantRefundedPayment;
import com.hongbao.ledger.core.testing.InMemoryLedger;
import com.hongbao.ledger.core.testing.Outcome;
import com.hongbao.ledger.core.wallet.WalletCommand.OpenWallet;
import com.hongbao.ledger.core.wallet.WalletCommand.TopUpWallet;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletOpened;
import com.hongbao.ledger.core.wallet.WalletRejection.InsufficientFunds;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Buy-now-pay-later plans in the buyer's wallet, end to end on a real Axon configuration (checkout
 * creates the payment that pays the merchant; refunds are decided by the merchant and delivered by
 * the refund creditor), with exact figures and the postings of every money movement.
 *
 * <p>Every scenario checks out on 2 March 2026 at 10:00 in Shanghai (02:00 UTC), so pay-in-4's
 * instalments are due on 2 and 16 March, 30 March and 13 April, and monthly-3's on 2 April, 2 May and
 * 2 June. Terms: late fee 5.00, grace 3 days, late fees capped at 25% of the order, default after 60
 * days overdue.
 */
class InstalmentPlanTest {

    static final Currency CNY = Currency.getInstance("CNY");
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final PlanTerms TERMS = new PlanTerms(cny(500), 3, 2_500, 60, SHANGHAI);
    static final UserId ALICE = new UserId("alice");
    static final WalletId WALLET = WalletId.of(ALICE, CNY);
    static final MerchantId SHOP = new MerchantId("m_shop");
    static final PaymentId PLAN = new PaymentId("p_plan1");
    static final Instant OPENED = Instant.parse("2026-03-01T00:00:00Z");
    static final Instant CHECKOUT = Instant.parse("2026-03-02T02:00:00Z");
    static final Money DEFAULT_LIMIT = cny(500_000);

    static final AccountId RECEIVABLE = new AccountId(AccountType.BNPL_RECEIVABLE, PLAN.value());
    static final AccountId WALLET_ACCOUNT = new AccountId(AccountType.WALLET, WALLET.value());
    static final AccountId FEE_REVENUE = AccountId.platform(AccountType.BNPL_FEE_REVENUE);
    static final AccountId BAD_DEBT = AccountId.platform(AccountType.BAD_DEBT_EXPENSE);
    static final AccountId PAYMENT_CLEARING = AccountId.platform(AccountType.PAYMENT_CLEARING);
    static final AccountId REFUND_CLEARING = AccountId.platform(AccountType.REFUND_CLEARING);
    static final AccountId MERCHANT = new AccountId(AccountType.MERCHANT_SETTLEMENT, SHOP.value());

    final InMemoryLedger ledger = InMemoryLedger.withHoldReleaser();
    int refunds;

    @AfterEach
    void close() {
        ledger.close();
    }

    static Money cny(long fen) {
        return Money.of(fen, CNY);
    }

    /** The start of a local day in Shanghai. */
    static Instant startOf(String localDate) {
        return LocalDate.parse(localDate).atStartOfDay(SHANGHAI).toInstant();
    }

    /** 10:00 on a local day in Shanghai. */
    static Instant tenAm(String localDate) {
        return startOf(localDate).plusSeconds(10 * 3600);
    }

    // ---- set-up -------------------------------------------------------------------------------

    void openWallet(long topUpFen) {
        ledger.when(new OnboardMerchant(SHOP, "Shop", 60, CNY, OPENED)).expectSuccess();
        ledger.when(new OpenWallet(WALLET, ALICE, CNY, OPENED)).expectSuccess();
        if (topUpFen > 0) {
            topUp(topUpFen, OPENED);
        }
    }

    void topUp(long fen, Instant at) {
        ledger.when(new TopUpWallet(WALLET, "bank-" + at + "-" + fen, cny(fen), at)).expectSuccess();
    }

    static CheckoutWithPlan checkout(PaymentId plan, long orderFen, PlanType type, int feeBasisPoints) {
        return new CheckoutWithPlan(WALLET, plan, SHOP, 60, "order-" + plan.value(), "a kettle", cny(orderFen), type,
                feeBasisPoints, TERMS, DEFAULT_LIMIT, CHECKOUT);
    }

    PlanReceipt checkOut(long orderFen, PlanType type, int feeBasisPoints) {
        return ledger.when(checkout(PLAN, orderFen, type, feeBasisPoints)).result(PlanReceipt.class);
    }

    Outcome review(Instant at) {
        return ledger.when(new ReviewPlan(WALLET, PLAN, at));
    }

    Outcome repay(Money amount, int instalments, Instant at) {
        return ledger.when(new RepayPlan(WALLET, PLAN, amount, instalments, at));
    }

    /** A merchant refund of the plan's order, delivered to the wallet by the refund creditor. */
    Outcome refund(long fen, Instant at) {
        PaymentCaptured capture = ledger.events().stream().filter(PaymentCaptured.class::isInstance)
                .map(PaymentCaptured.class::cast).filter(c -> c.paymentId().equals(PLAN)).findFirst().orElseThrow();
        String number = "R" + (++refunds);
        return ledger.when(new RefundPayment(SHOP, RefundId.of(SHOP, number), number, capture, cny(fen),
                credited(MERCHANT), at));
    }

    /** What the journal shows credited to an account (its positive postings). */
    long credited(AccountId account) {
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

    Map<AccountId, Long> balances() {
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

    long balance(AccountId account) {
        return balances().getOrDefault(account, 0L);
    }

    void assertTrialBalanceZero() {
        assertThat(balances().values().stream().mapToLong(Long::longValue).sum()).as("trial balance").isZero();
    }

    static <T> T only(Outcome outcome, Class<T> type) {
        List<T> matching = outcome.events().stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(matching).as("events of type %s", type.getSimpleName()).hasSize(1);
        return matching.getFirst();
    }

    static Posting posting(AccountId account, long fen) {
        return new Posting(account, cny(fen));
    }

    static InstalmentBalance balance(int number, String due, long amount, long lateFee, long paid, long reduced,
                                     long writtenOff, boolean overdue) {
        return new InstalmentBalance(number, LocalDate.parse(due), cny(amount), cny(lateFee), cny(paid), cny(reduced),
                cny(writtenOff), overdue);
    }

    // ---- checkout -----------------------------------------------------------------------------

    @Test
    void pay_in_4_takes_the_first_quarter_from_the_wallet_and_schedules_the_rest_every_14_days() {
        openWallet(10_000);

        Outcome outcome = ledger.when(checkout(PLAN, 10_000, PlanType.PAY_IN_4, 0));

        assertThat(outcome.events()).extracting(Object::getClass).containsExactly(PlanCheckedOut.class,
                PaymentAuthorised.class, PaymentCaptured.class, InstalmentsPaid.class);
        PlanCheckedOut checkedOut = only(outcome, PlanCheckedOut.class);
        assertThat(checkedOut.schedule().instalments()).extracting(Instalment::dueDate, Instalment::amount)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(LocalDate.parse("2026-03-02"), cny(2_500)),
                        org.assertj.core.groups.Tuple.tuple(LocalDate.parse("2026-03-16"), cny(2_500)),
                        org.assertj.core.groups.Tuple.tuple(LocalDate.parse("2026-03-30"), cny(2_500)),
                        org.assertj.core.groups.Tuple.tuple(LocalDate.parse("2026-04-13"), cny(2_500)));
        assertThat(checkedOut.creditLimit()).isEqualTo(DEFAULT_LIMIT);
        assertThat(checkedOut.creditUsedAfter()).isEqualTo(cny(7_500));
        assertThat(checkedOut.outstanding()).isEqualTo(cny(10_000));
        assertThat(checkedOut.movementType()).isEqualTo(MovementType.BNPL_CHECKOUT);
        assertThat(checkedOut.postings()).containsExactly(posting(RECEIVABLE, -10_000), posting(PAYMENT_CLEARING, 10_000));

        InstalmentsPaid first = only(outcome, InstalmentsPaid.class);
        assertThat(first.source()).isEqualTo(RepaymentSource.CHECKOUT);
        assertThat(first.amount()).isEqualTo(cny(2_500));
        assertThat(first.availableAfter()).isEqualTo(cny(7_500));
        assertThat(first.status()).isEqualTo(PlanStatus.CURRENT);
        assertThat(first.outstanding()).isEqualTo(cny(7_500));
        assertThat(first.instalments()).containsExactly(balance(1, "2026-03-02", 2_500, 0, 2_500, 0, 0, false));
        assertThat(first.nextReviewAt()).isEqualTo(startOf("2026-03-16"));
        assertThat(first.postings()).containsExactly(posting(WALLET_ACCOUNT, -2_500), posting(RECEIVABLE, 2_500));

        PlanReceipt receipt = outcome.result(PlanReceipt.class);
        assertThat(receipt.status()).isEqualTo(PlanStatus.CURRENT);
        assertThat(receipt.paid()).isEqualTo(cny(2_500));
        assertThat(receipt.outstanding()).isEqualTo(cny(7_500));
        assertThat(receipt.total()).isEqualTo(cny(10_000));
        assertThat(receipt.planFee()).isEqualTo(cny(0));

        // The merchant was paid in full at once, less its own fee of 0.6%.
        assertThat(balance(MERCHANT)).isEqualTo(9_940);
        assertThat(balance(PAYMENT_CLEARING)).isZero();
        assertThat(balance(WALLET_ACCOUNT)).isEqualTo(7_500);
        assertThat(balance(RECEIVABLE)).isEqualTo(-7_500);
        assertTrialBalanceZero();
    }

    @Test
    void monthly_3_with_a_plan_fee_takes_nothing_at_checkout_and_earns_the_fee() {
        openWallet(1_000);

        PlanReceipt receipt = checkOut(10_000, PlanType.MONTHLY_3, 300);

        assertThat(receipt.planFee()).isEqualTo(cny(300));
        assertThat(receipt.total()).isEqualTo(cny(10_300));
        assertThat(receipt.outstanding()).isEqualTo(cny(10_300));
        assertThat(receipt.paid()).isEqualTo(cny(0));
        assertThat(receipt.instalments()).containsExactly(
                balance(1, "2026-04-02", 3_433, 0, 0, 0, 0, false),
                balance(2, "2026-05-02", 3_433, 0, 0, 0, 0, false),
                balance(3, "2026-06-02", 3_434, 0, 0, 0, 0, false));
        assertThat(receipt.nextReviewAt()).isEqualTo(startOf("2026-04-02"));
        PlanCheckedOut checkedOut = (PlanCheckedOut) ledger.events().stream().filter(PlanCheckedOut.class::isInstance)
                .findFirst().orElseThrow();
        assertThat(checkedOut.creditUsedAfter()).isEqualTo(cny(10_300));
        assertThat(checkedOut.postings()).containsExactly(posting(RECEIVABLE, -10_300),
                posting(PAYMENT_CLEARING, 10_000), posting(FEE_REVENUE, 300));
        assertThat(ledger.events()).noneMatch(InstalmentsPaid.class::isInstance);
        assertThat(balance(WALLET_ACCOUNT)).isEqualTo(1_000);
        assertThat(balance(FEE_REVENUE)).isEqualTo(300);
        assertTrialBalanceZero();
    }

    @Test
    void a_plan_beyond_the_credit_limit_is_refused_and_one_exactly_at_it_is_not() {
        openWallet(10_000);
        ledger.when(new SetCreditLine(WALLET, cny(7_500), false, OPENED))
                .expectEvents(new CreditLineSet(WALLET, ALICE, cny(7_500), false, OPENED));

        // Monthly-3 of 100.00 at 3%: 103.00 on credit.
        ledger.when(checkout(new PaymentId("p_big"), 10_000, PlanType.MONTHLY_3, 300))
                .expectRejection(LedgerRejection.class, "credit_limit_exceeded");
        // Pay-in-4 of 100.01: 75.01 on credit after the first instalment of 25.00.
        ledger.when(checkout(new PaymentId("p_over"), 10_001, PlanType.PAY_IN_4, 0))
                .expectRejection(LedgerRejection.class, "credit_limit_exceeded");
        // Pay-in-4 of 100.00: 75.00 on credit, exactly the limit.
        PlanReceipt receipt = checkOut(10_000, PlanType.PAY_IN_4, 0);
        assertThat(receipt.outstanding()).isEqualTo(cny(7_500));
        // Nothing is left for another plan of even 0.03 in three instalments.
        ledger.when(checkout(new PaymentId("p_more"), 3, PlanType.MONTHLY_3, 0))
                .expectRejection(LedgerRejection.class, "credit_limit_exceeded");
        // Paying an instalment frees its amount: 25.00 on credit fits again.
        repay(null, 1, tenAm("2026-03-03")).expectSuccess();
        ledger.when(checkout(new PaymentId("p_more"), 2_500, PlanType.MONTHLY_3, 0)).expectSuccess();
    }

    @Test
    void frozen_credit_refuses_new_plans_until_finance_unfreezes_it() {
        openWallet(10_000);
        ledger.when(new SetCreditLine(WALLET, cny(100_000), true, OPENED)).expectSuccess();

        ledger.when(checkout(PLAN, 10_000, PlanType.MONTHLY_3, 0)).expectRejection(LedgerRejection.class, "credit_frozen");

        ledger.when(new SetCreditLine(WALLET, cny(100_000), false, OPENED)).expectSuccess();
        ledger.when(checkout(PLAN, 10_000, PlanType.MONTHLY_3, 0)).expectSuccess();
    }

    @Test
    void pay_in_4_without_the_first_instalment_in_the_wallet_changes_nothing() {
        openWallet(2_499);
        int before = ledger.eventCount();

        ledger.when(checkout(PLAN, 10_000, PlanType.PAY_IN_4, 0)).expectRejection(InsufficientFunds.class,
                "insufficient_funds");

        assertThat(ledger.eventCount()).isEqualTo(before);
        assertThat(balance(WALLET_ACCOUNT)).isEqualTo(2_499);
        // No plan was recorded: the same payment id checks out once the wallet covers the first instalment.
        repay(cny(1), 0, CHECKOUT).expectRejection(LedgerRejection.class, "plan_not_found");
        topUp(1, CHECKOUT);
        assertThat(checkOut(10_000, PlanType.PAY_IN_4, 0).outstanding()).isEqualTo(cny(7_500));
        assertThat(balance(WALLET_ACCOUNT)).isZero();
    }

    @Test
    void an_order_smaller_than_one_fen_per_instalment_is_refused() {
        openWallet(10_000);

        ledger.when(checkout(PLAN, 3, PlanType.PAY_IN_4, 0))
                .expectRejection(LedgerRejection.class, "amount_too_small_for_plan");
        ledger.when(checkout(PLAN, 11, PlanType.MONTHLY_12, 10_000))
                .expectRejection(LedgerRejection.class, "amount_too_small_for_plan");

        PlanReceipt receipt = checkOut(4, PlanType.PAY_IN_4, 0);
        assertThat(receipt.instalments()).extracting(InstalmentBalance::amount).containsOnly(cny(1));
        assertThat(receipt.outstanding()).isEqualTo(cny(3));
    }

    // ---- collection, overdue, late fees --------------------------------------------------------

    @Test
    void a_review_on_the_due_date_collects_the_instalment_from_the_wallet() {
        openWallet(5_000);
        checkOut(10_000, PlanType.MONTHLY_3, 0);

        review(startOf("2026-04-02").minusSeconds(1)).expectResult(false).expectSuccessWithNoEvents();

        Outcome outcome = review(tenAm("2026-04-02")).expectResult(true);
        InstalmentsPaid collected = only(outcome, InstalmentsPaid.class);
        assertThat(outcome.events()).hasSize(1);
        assertThat(collected.source()).isEqualTo(RepaymentSource.COLLECTION);
        assertThat(collected.amount()).isEqualTo(cny(3_333));
        assertThat(collected.availableAfter()).isEqualTo(cny(1_667));
        assertThat(collected.outstanding()).isEqualTo(cny(6_667));
        assertThat(collected.status()).isEqualTo(PlanStatus.CURRENT);
        assertThat(collected.instalments()).containsExactly(balance(1, "2026-04-02", 3_333, 0, 3_333, 0, 0, false));
        assertThat(collected.nextReviewAt()).isEqualTo(startOf("2026-05-02"));
        assertThat(collected.postings()).containsExactly(posting(WALLET_ACCOUNT, -3_333), posting(RECEIVABLE, 3_333));

        review(tenAm("2026-04-02")).expectResult(false).expectSuccessWithNoEvents();
        assertThat(balance(WALLET_ACCOUNT)).isEqualTo(1_667);
        assertThat(balance(RECEIVABLE)).isEqualTo(-6_667);
    }

    @Test
    void an_empty_wallet_fails_the_collection_then_the_instalment_is_overdue_then_draws_one_late_fee() {
        openWallet(2_500);
        checkOut(10_000, PlanType.PAY_IN_4, 0);
        assertThat(balance(WALLET_ACCOUNT)).isZero();

        // The due date: the collection fails, once a day.
        Outcome dueDay = review(tenAm("2026-03-16")).expectResult(true);
        assertThat(dueDay.events()).containsExactly(new InstalmentCollectionFailed(WALLET, PLAN, 2, cny(2_500), cny(0),
                PlanStatus.CURRENT, cny(7_500), List.of(), startOf("2026-03-17"), tenAm("2026-03-16")));
        review(startOf("2026-03-17").minusSeconds(1)).expectResult(false).expectSuccessWithNoEvents();

        // The day after: the instalment is overdue, and the collection is retried and fails.
        Outcome nextDay = review(startOf("2026-03-17")).expectResult(true);
        assertThat(nextDay.events()).containsExactly(
                // Its next review is at once: the day's collection is due at this very instant.
                new InstalmentsOverdue(WALLET, PLAN, PlanStatus.OVERDUE, cny(7_500),
                        List.of(balance(2, "2026-03-16", 2_500, 0, 0, 0, 0, true)), startOf("2026-03-17"),
                        startOf("2026-03-17")),
                new InstalmentCollectionFailed(WALLET, PLAN, 2, cny(2_500), cny(0), PlanStatus.OVERDUE, cny(7_500),
                        List.of(), startOf("2026-03-18"), startOf("2026-03-17")));

        // Three days overdue (17, 18, 19 March): no fee yet.
        Outcome lastGraceDay = review(tenAm("2026-03-19")).expectResult(true);
        assertThat(lastGraceDay.events()).singleElement().isInstanceOf(InstalmentCollectionFailed.class);
        assertThat(lastGraceDay.events().getFirst()).extracting("nextReviewAt").isEqualTo(startOf("2026-03-20"));

        // Past the grace period: the late fee.
        Outcome feeDay = review(startOf("2026-03-20")).expectResult(true);
        assertThat(feeDay.events()).hasSize(2);
        assertThat(feeDay.events().getFirst()).isInstanceOf(InstalmentCollectionFailed.class);
        LateFeeCharged fee = only(feeDay, LateFeeCharged.class);
        assertThat(fee).isEqualTo(new LateFeeCharged(WALLET, PLAN, 2, cny(500), cny(500), PlanStatus.OVERDUE,
                cny(8_000), List.of(balance(2, "2026-03-16", 2_500, 500, 0, 0, 0, true)), startOf("2026-03-21"),
                startOf("2026-03-20")));
        assertThat(fee.movementType()).isEqualTo(MovementType.BNPL_LATE_FEE);
        assertThat(fee.postings()).containsExactly(posting(RECEIVABLE, -500), posting(FEE_REVENUE, 500));

        // Only once: the following days retry the collection and charge nothing more on instalment 2.
        for (String day : List.of("2026-03-21", "2026-03-25", "2026-03-29")) {
            Outcome later = review(tenAm(day)).expectResult(true);
            assertThat(later.events()).singleElement().isInstanceOf(InstalmentCollectionFailed.class);
        }
        assertThat(ledger.events()).filteredOn(LateFeeCharged.class::isInstance).hasSize(1);
        assertThat(balance(RECEIVABLE)).isEqualTo(-8_000);
        assertThat(balance(FEE_REVENUE)).isEqualTo(500);
        assertTrialBalanceZero();
    }

    @Test
    void late_fees_stop_at_a_quarter_of_the_order_across_instalments() {
        // Pay-in-4 of 30.00: the cap is 7.50, so the second late fee is 2.50 and the third none.
        openWallet(750);
        checkOut(3_000, PlanType.PAY_IN_4, 0);

        Outcome april2 = review(tenAm("2026-04-02")).expectResult(true);
        assertThat(april2.events()).extracting(Object::getClass).containsExactly(InstalmentsOverdue.class,
                InstalmentCollectionFailed.class, LateFeeCharged.class);
        assertThat(only(april2, InstalmentsOverdue.class).instalments()).extracting(InstalmentBalance::number)
                .containsExactly(2, 3);
        LateFeeCharged onSecond = only(april2, LateFeeCharged.class);
        assertThat(onSecond.number()).isEqualTo(2);
        assertThat(onSecond.fee()).isEqualTo(cny(500));

        Outcome april20 = review(tenAm("2026-04-20")).expectResult(true);
        assertThat(april20.events()).extracting(Object::getClass).containsExactly(InstalmentsOverdue.class,
                InstalmentCollectionFailed.class, LateFeeCharged.class);
        LateFeeCharged onThird = only(april20, LateFeeCharged.class);
        assertThat(onThird.number()).isEqualTo(3);
        assertThat(onThird.fee()).isEqualTo(cny(250));
        assertThat(onThird.lateFeesTotal()).isEqualTo(cny(750));
        assertThat(onThird.outstanding()).isEqualTo(cny(2_250 + 750));
        assertThat(onThird.postings()).containsExactly(posting(RECEIVABLE, -250), posting(FEE_REVENUE, 250));

        // Instalment 4 is more than the grace period overdue too, but the cap is reached.
        Outcome april30 = review(tenAm("2026-04-30")).expectResult(true);
        assertThat(april30.events()).singleElement().isInstanceOf(InstalmentCollectionFailed.class);
        assertThat(ledger.events()).filteredOn(LateFeeCharged.class::isInstance).extracting("fee")
                .containsExactly(cny(500), cny(250));
        assertThat(balance(FEE_REVENUE)).isEqualTo(750);
    }

    @Test
    void the_collection_is_retried_the_next_day_and_takes_a_top_up() {
        openWallet(2_500);
        checkOut(10_000, PlanType.PAY_IN_4, 0);
        review(tenAm("2026-03-16")).expectResult(true);
        Instant evening = tenAm("2026-03-16").plusSeconds(8 * 3600);
        topUp(3_000, evening);

        // Collections are tried once a day.
        review(evening.plusSeconds(60)).expectResult(false).expectSuccessWithNoEvents();

        // The instalment was still owed when its due date ended: it is overdue, then collected.
        Outcome retry = review(tenAm("2026-03-17")).expectResult(true);
        InstalmentsPaid collected = only(retry, InstalmentsPaid.class);
        assertThat(retry.events()).extracting(Object::getClass).containsExactly(InstalmentsOverdue.class,
                InstalmentsPaid.class);
        assertThat(collected.source()).isEqualTo(RepaymentSource.COLLECTION);
        assertThat(collected.amount()).isEqualTo(cny(2_500));
        assertThat(collected.availableAfter()).isEqualTo(cny(500));
        assertThat(collected.outstanding()).isEqualTo(cny(5_000));
        assertThat(collected.status()).isEqualTo(PlanStatus.CURRENT);
        assertThat(collected.nextReviewAt()).isEqualTo(startOf("2026-03-30"));
        assertThat(balance(WALLET_ACCOUNT)).isEqualTo(500);
    }

    @Test
    void a_collection_takes_only_whole_due_instalments_oldest_first() {
        openWallet(2_500);
        checkOut(10_000, PlanType.PAY_IN_4, 0);
        // 16 and 30 March both passed unpaid.
        review(tenAm("2026-03-31")).expectResult(true);
        topUp(4_000, tenAm("2026-03-31"));

        // 40.00 covers instalment 2 with its late fee (30.00) but not instalment 3 as well.
        Outcome outcome = review(tenAm("2026-04-01")).expectResult(true);
        InstalmentsPaid collected = only(outcome, InstalmentsPaid.class);
        assertThat(collected.amount()).isEqualTo(cny(3_000));
        assertThat(collected.instalments()).containsExactly(balance(2, "2026-03-16", 2_500, 500, 3_000, 0, 0, true));
        assertThat(collected.status()).isEqualTo(PlanStatus.OVERDUE);
        // Instalment 3 could not be covered whole: recorded as a failed collection of it.
        InstalmentCollectionFailed failed = only(outcome, InstalmentCollectionFailed.class);
        assertThat(failed.number()).isEqualTo(3);
        assertThat(failed.available()).isEqualTo(cny(1_000));
    }

    // ---- repayments ----------------------------------------------------------------------------

    @Test
    void an_early_repayment_goes_to_the_oldest_instalment_first_late_fee_first() {
        openWallet(2_500);
        checkOut(10_000, PlanType.PAY_IN_4, 0);
        review(tenAm("2026-03-20")).expectResult(true);
        topUp(10_000, tenAm("2026-03-20"));

        PlanReceipt receipt = repay(cny(3_200), 0, tenAm("2026-03-21")).result(PlanReceipt.class);

        InstalmentsPaid paid = (InstalmentsPaid) ledger.events().getLast();
        assertThat(paid.source()).isEqualTo(RepaymentSource.MANUAL);
        assertThat(paid.amount()).isEqualTo(cny(3_200));
        assertThat(paid.availableAfter()).isEqualTo(cny(6_800));
        assertThat(paid.instalments()).containsExactly(
                balance(2, "2026-03-16", 2_500, 500, 3_000, 0, 0, true),
                balance(3, "2026-03-30", 2_500, 0, 200, 0, 0, false));
        assertThat(paid.status()).isEqualTo(PlanStatus.CURRENT);
        assertThat(paid.nextReviewAt()).isEqualTo(startOf("2026-03-30"));
        assertThat(paid.postings()).containsExactly(posting(WALLET_ACCOUNT, -3_200), posting(RECEIVABLE, 3_200));
        assertThat(receipt.outstanding()).isEqualTo(cny(4_800));
        assertThat(receipt.paid()).isEqualTo(cny(5_700));
        assertThat(receipt.lateFees()).isEqualTo(cny(500));
        assertThat(balance(RECEIVABLE)).isEqualTo(-4_800);
    }

    @Test
    void a_part_payment_of_an_instalment_with_a_late_fee_pays_the_fee_first_so_its_whole_amount_still_uses_credit() {
        openWallet(2_500);
        checkOut(10_000, PlanType.PAY_IN_4, 0);
        review(tenAm("2026-03-20")).expectResult(true);
        topUp(300, tenAm("2026-03-20"));
        // 3.00 of the 5.00 late fee: the scheduled 75.00 is all still owed.
        repay(cny(300), 0, tenAm("2026-03-20")).expectSuccess();
        ledger.when(new SetCreditLine(WALLET, cny(10_000), false, tenAm("2026-03-20"))).expectSuccess();

        ledger.when(new CheckoutWithPlan(WALLET, new PaymentId("p_2"), SHOP, 60, "o2", "", cny(2_501),
                PlanType.MONTHLY_3, 0, TERMS, DEFAULT_LIMIT, tenAm("2026-03-20")))
                .expectRejection(LedgerRejection.class, "credit_limit_exceeded");
        ledger.when(new CheckoutWithPlan(WALLET, new PaymentId("p_2"), SHOP, 60, "o2", "", cny(2_500),
                PlanType.MONTHLY_3, 0, TERMS, DEFAULT_LIMIT, tenAm("2026-03-20"))).expectSuccess();
    }

    @Test
    void repaying_a_number_of_instalments_pays_what_is_owed_on_the_oldest_of_them() {
        openWallet(10_000);
        checkOut(10_000, PlanType.MONTHLY_3, 300);

        repay(null, 2, tenAm("2026-03-05")).expectSuccess();

        InstalmentsPaid paid = (InstalmentsPaid) ledger.events().getLast();
        assertThat(paid.amount()).isEqualTo(cny(6_866));
        assertThat(paid.outstanding()).isEqualTo(cny(3_434));
        assertThat(paid.nextReviewAt()).isEqualTo(startOf("2026-06-02"));
    }

    @Test
    void a_repayment_beyond_what_is_owed_is_refused() {
        openWallet(20_000);
        checkOut(10_000, PlanType.PAY_IN_4, 0);

        repay(cny(7_501), 0, tenAm("2026-03-03")).expectRejection(LedgerRejection.class, "repayment_exceeds_outstanding");
        repay(cny(7_500), 0, tenAm("2026-03-03")).expectSuccess();
    }

    @Test
    void a_repayment_beyond_the_wallet_is_refused() {
        openWallet(3_000);
        checkOut(10_000, PlanType.PAY_IN_4, 0);

        repay(cny(501), 0, tenAm("2026-03-03")).expectRejection(LedgerRejection.class, "insufficient_funds");
        repay(null, 1, tenAm("2026-03-03")).expectRejection(LedgerRejection.class, "insufficient_funds");
        repay(cny(500), 0, tenAm("2026-03-03")).expectSuccess();
    }

    @Test
    void paying_off_closes_the_plan_and_later_repayments_are_refused() {
        openWallet(10_000);
        checkOut(10_000, PlanType.PAY_IN_4, 0);

        PlanReceipt receipt = repay(null, 0, tenAm("2026-03-03")).result(PlanReceipt.class);

        assertThat(receipt.status()).isEqualTo(PlanStatus.CLOSED);
        assertThat(receipt.outstanding()).isEqualTo(cny(0));
        assertThat(receipt.paid()).isEqualTo(cny(10_000));
        assertThat(receipt.nextReviewAt()).isNull();
        InstalmentsPaid paid = (InstalmentsPaid) ledger.events().getLast();
        assertThat(paid.amount()).isEqualTo(cny(7_500));
        assertThat(balance(RECEIVABLE)).isZero();
        assertThat(balance(WALLET_ACCOUNT)).isZero();

        repay(cny(1), 0, tenAm("2026-03-04")).expectRejection(LedgerRejection.class, "plan_closed");
        repay(null, 0, tenAm("2026-03-04")).expectRejection(LedgerRejection.class, "plan_closed");
        review(tenAm("2026-04-30")).expectResult(false).expectSuccessWithNoEvents();
    }

    // ---- refunds -------------------------------------------------------------------------------

    @Test
    void a_partial_refund_reduces_from_the_last_instalment_backwards() {
        openWallet(2_500);
        checkOut(10_000, PlanType.PAY_IN_4, 0);

        Outcome outcome = refund(3_000, tenAm("2026-03-05"));

        assertThat(outcome.events()).extracting(Object::getClass).containsExactly(MerchantRefundedPayment.class,
                PlanRefundApplied.class);
        PlanRefundApplied applied = only(outcome, PlanRefundApplied.class);
        assertThat(applied.amount()).isEqualTo(cny(3_000));
        assertThat(applied.reduced()).isEqualTo(cny(3_000));
        assertThat(applied.toWallet()).isEqualTo(cny(0));
        assertThat(applied.feesReversed()).isEqualTo(cny(0));
        assertThat(applied.recovered()).isEqualTo(cny(0));
        assertThat(applied.instalments()).containsExactly(
                balance(3, "2026-03-30", 2_500, 0, 0, 500, 0, false),
                balance(4, "2026-04-13", 2_500, 0, 0, 2_500, 0, false));
        assertThat(applied.outstanding()).isEqualTo(cny(4_500));
        assertThat(applied.status()).isEqualTo(PlanStatus.CURRENT);
        assertThat(applied.movementType()).isEqualTo(MovementType.BNPL_REFUND);
        assertThat(applied.postings()).containsExactly(posting(REFUND_CLEARING, -3_000), posting(RECEIVABLE, 3_000));
        assertThat(balance(REFUND_CLEARING)).isZero();
        assertThat(balance(RECEIVABLE)).isEqualTo(-4_500);
        assertTrialBalanceZero();
    }

    @Test
    void a_partial_refund_beyond_what_is_owed_sends_the_rest_to_the_wallet() {
        openWallet(5_000);
        checkOut(10_000, PlanType.PAY_IN_4, 0);
        repay(null, 1, tenAm("2026-03-03")).expectSuccess();

        PlanRefundApplied applied = only(refund(6_000, tenAm("2026-03-05")), PlanRefundApplied.class);

        assertThat(applied.reduced()).isEqualTo(cny(5_000));
        assertThat(applied.toWallet()).isEqualTo(cny(1_000));
        assertThat(applied.availableAfter()).isEqualTo(cny(1_000));
        assertThat(applied.status()).isEqualTo(PlanStatus.CLOSED);
        assertThat(applied.outstanding()).isEqualTo(cny(0));
        assertThat(applied.nextReviewAt()).isNull();
        assertThat(applied.postings()).containsExactly(posting(REFUND_CLEARING, -6_000), posting(RECEIVABLE, 5_000),
                posting(WALLET_ACCOUNT, 1_000));

        // The rest of the order: the buyer gets back everything else paid.
        PlanRefundApplied last = only(refund(4_000, tenAm("2026-03-06")), PlanRefundApplied.class);
        assertThat(last.reduced()).isEqualTo(cny(0));
        assertThat(last.feesReversed()).isEqualTo(cny(0));
        assertThat(last.toWallet()).isEqualTo(cny(4_000));
        assertThat(balance(WALLET_ACCOUNT)).isEqualTo(5_000);
        assertThat(balance(RECEIVABLE)).isZero();
        assertTrialBalanceZero();
    }

    @Test
    void a_full_refund_closes_the_plan_and_returns_everything_paid_reversing_plan_and_late_fees() {
        // Pay-in-4 of 100.00 at 4%: 104.00 in four instalments of 26.00.
        openWallet(2_600);
        checkOut(10_000, PlanType.PAY_IN_4, 400);
        review(tenAm("2026-03-20")).expectResult(true); // instalment 2 overdue with a late fee of 5.00
        topUp(1_000, tenAm("2026-03-20"));
        repay(cny(1_000), 0, tenAm("2026-03-20")).expectSuccess(); // the late fee and 5.00 of instalment 2
        assertThat(balance(RECEIVABLE)).isEqualTo(-(7_800 + 500 - 1_000));
        assertThat(balance(FEE_REVENUE)).isEqualTo(900);

        Outcome outcome = refund(10_000, tenAm("2026-03-21"));

        PlanRefundApplied applied = only(outcome, PlanRefundApplied.class);
        assertThat(applied.amount()).isEqualTo(cny(10_000));
        assertThat(applied.reduced()).isEqualTo(cny(7_300));
        assertThat(applied.feesReversed()).isEqualTo(cny(900));
        assertThat(applied.toWallet()).isEqualTo(cny(3_600));
        assertThat(applied.status()).isEqualTo(PlanStatus.CLOSED);
        assertThat(applied.outstanding()).isEqualTo(cny(0));
        assertThat(applied.nextReviewAt()).isNull();
        assertThat(applied.instalments()).containsExactly(
                balance(2, "2026-03-16", 2_600, 500, 1_000, 2_100, 0, true),
                balance(3, "2026-03-30", 2_600, 0, 0, 2_600, 0, false),
                balance(4, "2026-04-13", 2_600, 0, 0, 2_600, 0, false));
        assertThat(applied.postings()).containsExactly(posting(REFUND_CLEARING, -10_000), posting(RECEIVABLE, 7_300),
                posting(FEE_REVENUE, -900), posting(WALLET_ACCOUNT, 3_600));

        // The buyer is made whole, the platform earned nothing on the plan.
        assertThat(balance(WALLET_ACCOUNT)).isEqualTo(2_600 + 1_000);
        assertThat(balance(RECEIVABLE)).isZero();
        assertThat(balance(FEE_REVENUE)).isZero();
        assertThat(balance(REFUND_CLEARING)).isZero();
        assertTrialBalanceZero();
        review(tenAm("2026-05-30")).expectResult(false).expectSuccessWithNoEvents();
    }

    @Test
    void a_full_refund_of_an_unpaid_monthly_plan_cancels_the_plan_fee() {
        openWallet(0);
        checkOut(10_000, PlanType.MONTHLY_3, 300);

        PlanRefundApplied applied = only(refund(10_000, tenAm("2026-03-05")), PlanRefundApplied.class);

        assertThat(applied.reduced()).isEqualTo(cny(10_300));
        assertThat(applied.feesReversed()).isEqualTo(cny(300));
        assertThat(applied.toWallet()).isEqualTo(cny(0));
        assertThat(applied.postings()).containsExactly(posting(REFUND_CLEARING, -10_000), posting(RECEIVABLE, 10_300),
                posting(FEE_REVENUE, -300));
        assertThat(balance(FEE_REVENUE)).isZero();
        assertThat(balance(RECEIVABLE)).isZero();
    }

    // ---- default -------------------------------------------------------------------------------

    @Test
    void more_than_60_days_overdue_writes_everything_off_and_freezes_credit() {
        openWallet(2_500);
        checkOut(10_000, PlanType.PAY_IN_4, 0);
        // Instalment 2 (due 16 March) is overdue from 17 March; the plan defaults from 16 May.
        review(tenAm("2026-05-15")).expectResult(true);
        assertThat(ledger.events()).noneMatch(PlanDefaulted.class::isInstance);
        assertThat(ledger.events()).filteredOn(LateFeeCharged.class::isInstance).hasSize(3);

        Outcome outcome = review(startOf("2026-05-16")).expectResult(true);

        PlanDefaulted defaulted = only(outcome, PlanDefaulted.class);
        assertThat(defaulted.writtenOff()).isEqualTo(cny(7_500 + 1_500));
        assertThat(defaulted.status()).isEqualTo(PlanStatus.DEFAULTED);
        assertThat(defaulted.outstanding()).isEqualTo(cny(0));
        assertThat(defaulted.nextReviewAt()).isNull();
        assertThat(defaulted.instalments()).containsExactly(
                balance(2, "2026-03-16", 2_500, 500, 0, 0, 3_000, true),
                balance(3, "2026-03-30", 2_500, 500, 0, 0, 3_000, true),
                balance(4, "2026-04-13", 2_500, 500, 0, 0, 3_000, true));
        assertThat(defaulted.movementType()).isEqualTo(MovementType.BNPL_WRITE_OFF);
        assertThat(defaulted.postings()).containsExactly(posting(RECEIVABLE, 9_000), posting(BAD_DEBT, -9_000));
        assertThat(balance(RECEIVABLE)).isZero();
        assertThat(balance(BAD_DEBT)).isEqualTo(-9_000);
        assertTrialBalanceZero();

        review(tenAm("2026-06-30")).expectResult(false).expectSuccessWithNoEvents();
        repay(cny(100), 0, tenAm("2026-05-17")).expectRejection(LedgerRejection.class, "plan_defaulted");
        ledger.when(new CheckoutWithPlan(WALLET, new PaymentId("p_2"), SHOP, 60, "o2", "", cny(1_000),
                PlanType.MONTHLY_3, 0, TERMS, DEFAULT_LIMIT, tenAm("2026-05-17")))
                .expectRejection(LedgerRejection.class, "credit_frozen");
    }

    @Test
    void a_refund_after_default_recovers_the_write_off_first() {
        openWallet(2_500);
        checkOut(10_000, PlanType.PAY_IN_4, 0);
        review(startOf("2026-05-16")).expectResult(true);
        assertThat(balance(BAD_DEBT)).isEqualTo(-9_000);

        PlanRefundApplied first = only(refund(6_000, tenAm("2026-05-20")), PlanRefundApplied.class);
        assertThat(first.recovered()).isEqualTo(cny(6_000));
        assertThat(first.reduced()).isEqualTo(cny(0));
        assertThat(first.toWallet()).isEqualTo(cny(0));
        assertThat(first.status()).isEqualTo(PlanStatus.DEFAULTED);
        assertThat(first.postings()).containsExactly(posting(REFUND_CLEARING, -6_000), posting(BAD_DEBT, 6_000));

        PlanRefundApplied second = only(refund(3_000, tenAm("2026-05-21")), PlanRefundApplied.class);
        assertThat(second.recovered()).isEqualTo(cny(3_000));
        assertThat(second.toWallet()).isEqualTo(cny(0));
        assertThat(second.status()).isEqualTo(PlanStatus.DEFAULTED);
        assertThat(balance(BAD_DEBT)).isZero();
        assertThat(balance(WALLET_ACCOUNT)).isZero();
        assertTrialBalanceZero();
    }

    @Test
    void a_full_refund_after_default_closes_the_plan_recovers_the_write_off_and_returns_everything_paid() {
        openWallet(2_500);
        checkOut(10_000, PlanType.PAY_IN_4, 0);
        review(startOf("2026-05-16")).expectResult(true);
        // 75.00 unpaid and three late fees of 5.00 written off; 25.00 was paid at checkout.
        assertThat(balance(BAD_DEBT)).isEqualTo(-9_000);

        refund(6_000, tenAm("2026-05-20")).expectSuccess();
        PlanRefundApplied last = only(refund(4_000, tenAm("2026-05-21")), PlanRefundApplied.class);
        assertThat(last.recovered()).isEqualTo(cny(3_000));
        assertThat(last.toWallet()).isEqualTo(cny(2_500));
        assertThat(last.feesReversed()).as("the late fees written off").isEqualTo(cny(1_500));
        assertThat(last.status()).isEqualTo(PlanStatus.CLOSED);
        assertThat(last.postings()).containsExactly(posting(REFUND_CLEARING, -4_000), posting(BAD_DEBT, 3_000),
                posting(FEE_REVENUE, -1_500), posting(WALLET_ACCOUNT, 2_500));
        assertThat(balance(BAD_DEBT)).isZero();
        assertThat(balance(FEE_REVENUE)).isZero();
        assertThat(balance(WALLET_ACCOUNT)).as("everything paid is back").isEqualTo(2_500);
        assertThat(balance(RECEIVABLE)).isZero();
        assertTrialBalanceZero();
    }

    @Test
    void a_second_checkout_for_the_same_payment_is_refused_and_changes_nothing() {
        openWallet(10_000);
        checkOut(10_000, PlanType.PAY_IN_4, 0);
        int before = ledger.eventCount();
        ledger.when(new CheckoutWithPlan(WALLET, PLAN, SHOP, 60, "o-again", "", cny(4_000), PlanType.MONTHLY_3, 0,
                TERMS, DEFAULT_LIMIT, tenAm("2026-03-03"))).expectRejection(LedgerRejection.class, "payment_already_exists");
        assertThat(ledger.eventCount()).isEqualTo(before);
        assertThat(balance(RECEIVABLE)).isEqualTo(-7_500);
    }

    @Test
    void a_refund_delivered_twice_is_taken_once() {
        openWallet(2_500);
        checkOut(10_000, PlanType.PAY_IN_4, 0);
        refund(3_000, tenAm("2026-03-05")).expectSuccess();
        MerchantRefundedPayment refunded = (MerchantRefundedPayment) ledger.events().stream()
                .filter(MerchantRefundedPayment.class::isInstance).findFirst().orElseThrow();

        ledger.when(new com.hongbao.ledger.core.wallet.WalletCommand.ReceiveRefund(WALLET, refunded.refundId(), PLAN,
                refunded.amount(), tenAm("2026-03-06"))).expectResult(false).expectSuccessWithNoEvents();
        assertThat(balance(RECEIVABLE)).isEqualTo(-4_500);
    }

    @Test
    void a_plan_is_rebuilt_from_given_events() {
        ledger.given(new WalletOpened(WALLET, ALICE, CNY, OPENED));
        InstalmentSchedule schedule = InstalmentSchedule.of(PlanType.MONTHLY_3, cny(900), 0, CHECKOUT, SHANGHAI);
        List<InstalmentBalance> balances = schedule.instalments().stream().map(InstalmentBalance::scheduled).toList();
        ledger.given(new PlanCheckedOut(WALLET, PLAN, ALICE, SHOP, "o1", schedule, TERMS, DEFAULT_LIMIT, cny(900),
                PlanStatus.CURRENT, cny(900), balances, startOf("2026-04-02"), CHECKOUT));

        review(tenAm("2026-04-02")).expectResult(true);
        assertThat(ledger.events().getLast()).isEqualTo(new InstalmentCollectionFailed(WALLET, PLAN, 1, cny(300),
                cny(0), PlanStatus.CURRENT, cny(900), List.of(), startOf("2026-04-03"), tenAm("2026-04-02")));
    }
}
