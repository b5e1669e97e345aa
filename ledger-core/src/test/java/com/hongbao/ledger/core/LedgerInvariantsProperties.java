package com.hongbao.ledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.core.account.AccountId;
import com.hongbao.ledger.core.account.AccountType;
import com.hongbao.ledger.core.account.JournalEntries;
import com.hongbao.ledger.core.account.MoneyMovement;
import com.hongbao.ledger.core.account.Posting;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.id.WithdrawalId;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.payment.PaymentCommand.CapturePayment;
import com.hongbao.ledger.core.payment.PaymentCommand.ExpireAuthorisation;
import com.hongbao.ledger.core.payment.PaymentCommand.VoidAuthorisation;
import com.hongbao.ledger.core.payment.PaymentReceipt;
import com.hongbao.ledger.core.payment.PaymentStatus;
import com.hongbao.ledger.core.testing.InMemoryLedger;
import com.hongbao.ledger.core.testing.Outcome;
import com.hongbao.ledger.core.wallet.WalletCommand.CaptureMode;
import com.hongbao.ledger.core.wallet.WalletCommand.OpenWallet;
import com.hongbao.ledger.core.wallet.WalletCommand.PayMerchant;
import com.hongbao.ledger.core.wallet.WalletCommand.TopUpWallet;
import com.hongbao.ledger.core.wallet.WalletCommand.WithdrawFromWallet;
import com.hongbao.ledger.core.wallet.WalletEvent;
import com.hongbao.ledger.core.wallet.WalletEvent.PaymentHoldReleased;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletDebitedForPayment;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletToppedUp;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletWithdrawn;
import com.hongbao.ledger.core.wallet.WalletReceipt;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The ledger's invariants under any sequence of commands, on a real Axon configuration with an
 * in-memory event store and the {@code PaymentHoldReleaser} in a subscribing processor (so holds
 * are settled before a command returns). After every command:
 *
 * <ul>
 *   <li>the outcome is the one the rules call for: accepted, or refused with the right code;</li>
 *   <li>every money movement is balanced, and the trial balance over all accounts is zero;</li>
 *   <li>no wallet is ever negative, and each wallet's balance in the journal equals the wallet's own
 *       view (its last {@code availableAfter} and its receipts);</li>
 *   <li>payment clearing holds exactly the open authorisations, so once every hold is settled it is zero.</li>
 * </ul>
 */
class LedgerInvariantsProperties {

    static final Currency CNY = Currency.getInstance("CNY");
    static final Currency USD = Currency.getInstance("USD");
    static final Instant START = Instant.parse("2026-02-10T09:00:00Z");
    static final MerchantId MERCHANT = new MerchantId("m_1001");
    static final MerchantId OTHER_MERCHANT = new MerchantId("m_2002");
    static final AccountId PAYMENT_CLEARING = AccountId.platform(AccountType.PAYMENT_CLEARING);
    /** Each wallet starts with 5,000.00, so that most payments can go ahead and some cannot. */
    static final long OPENING_TOP_UP_MINOR = 500_000;

    /** Two wallets share a currency (so clearing mixes payers); the third uses another. */
    static final List<String> OWNERS = List.of("alice", "bob", "carol");
    static final List<Currency> WALLET_CURRENCIES = List.of(CNY, CNY, USD);

    /**
     * One configuration serves every try (starting one costs tens of milliseconds of annotation
     * scanning); each try has its own wallets and payments and books only its own events. The
     * aggregates are cached so that loading one does not scan the whole shared in-memory store;
     * rebuilding them from their events is covered by the given-when-then tests.
     */
    private static InMemoryLedger sharedLedger;
    private static int tries;

    static synchronized Simulation newSimulation() {
        if (sharedLedger == null) {
            sharedLedger = InMemoryLedger.withHoldReleaserAndAggregateCache();
        }
        return new Simulation(sharedLedger, ++tries);
    }

    @AfterContainer
    static synchronized void stopLedger() {
        if (sharedLedger != null) {
            sharedLedger.close();
            sharedLedger = null;
        }
    }

    record WalletSpec(UserId owner, Currency currency, WalletId id) {
        WalletSpec(UserId owner, Currency currency) {
            this(owner, currency, WalletId.of(owner, currency));
        }
    }

    sealed interface Step {
    }

    record TopUp(int wallet, long minor, boolean inAnotherCurrency) implements Step {
    }

    record Withdraw(int wallet, long minor) implements Step {
    }

    record PayImmediately(int wallet, long minor, int feeRateBasisPoints) implements Step {
    }

    record Authorise(int wallet, long minor, int feeRateBasisPoints, int ttlMinutes) implements Step {
    }

    /** {@code capturedPermille} 0 captures in full (no amount); above 1,000 it asks for more than was authorised. */
    record Capture(int payment, int capturedPermille, boolean byAnotherMerchant) implements Step {
    }

    record VoidPayment(int payment, boolean byAnotherMerchant) implements Step {
    }

    record Expire(int payment) implements Step {
    }

    record PassTime(int minutes) implements Step {
    }

    @Property(tries = 200)
    void ledger_invariants_hold_after_every_step_of_any_sequence_of_payments_top_ups_and_withdrawals(
            @ForAll("steps") List<Step> steps) {
        Simulation simulation = newSimulation();
        steps.forEach(simulation::run);
        simulation.settleEveryHold();
    }

    /**
     * More than any sequence of 30 steps can spend or hold (each moves at most 10,000,000 fen, the
     * opening top-ups 500,000) below the largest balance, and more than half of it: such a top-up
     * can only be accepted while a wallet holds little, and a second one is always refused as an
     * overflow. Top-ups that bring a wallet holding money to the largest balance are left out
     * because of a known bug: the hold's release then overflows (see
     * {@code WalletTest.a_hold_can_always_be_released_after_a_top_up_was_accepted}).
     */
    static final long LARGE_TOP_UP_MINOR = Long.MAX_VALUE - 1_000_000_000L;

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> wallet = Arbitraries.integers().between(0, OWNERS.size() - 1);
        Arbitrary<Integer> payment = Arbitraries.integers().between(0, 1_000);
        Arbitrary<Long> topUpMinor = Arbitraries.frequencyOf(
                Tuple.of(15, Arbitraries.longs().between(1, 200_000)),
                // Rare top-ups large enough that the next one overflows the balance.
                Tuple.of(1, Arbitraries.just(LARGE_TOP_UP_MINOR)));
        Arbitrary<Long> paymentMinor = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.longs().between(1, 5_000)),
                Tuple.of(3, Arbitraries.longs().between(5_001, 100_000)),
                Tuple.of(1, Arbitraries.longs().between(100_001, 10_000_000)));
        Arbitrary<Integer> feeRate = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(60)),
                Tuple.of(1, Arbitraries.integers().between(0, 1_000)));
        Arbitrary<Integer> capturedPermille = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(0)),
                Tuple.of(5, Arbitraries.integers().between(1, 1_000)),
                Tuple.of(1, Arbitraries.integers().between(1_001, 1_500)));
        Arbitrary<Boolean> rarely = Arbitraries.integers().between(1, 10).map(i -> i == 1);

        List<Tuple2<Integer, Arbitrary<Step>>> choices = List.of(
                Tuple.of(3, Combinators.combine(wallet, topUpMinor, rarely).as(TopUp::new)),
                Tuple.of(2, Combinators.combine(wallet, paymentMinor).as(Withdraw::new)),
                Tuple.of(4, Combinators.combine(wallet, paymentMinor, feeRate, Arbitraries.integers().between(1, 60))
                        .as(Authorise::new)),
                Tuple.of(4, Combinators.combine(payment, capturedPermille, rarely).as(Capture::new)),
                Tuple.of(1, Combinators.combine(payment, rarely).as(VoidPayment::new)),
                Tuple.of(1, payment.map(Expire::new)),
                Tuple.of(2, Combinators.combine(wallet, paymentMinor, feeRate).as(PayImmediately::new)),
                Tuple.of(2, Arbitraries.integers().between(1, 45).map(PassTime::new)));
        return Arbitraries.frequencyOf(choices).list().ofMaxSize(30).withSizeDistribution(RandomDistribution.uniform());
    }

    /** One try's wallets on the ledger, and the test's own model of what each command should do. */
    static final class Simulation {

        private final InMemoryLedger ledger;
        private final String tryTag;
        private final List<WalletSpec> wallets = new ArrayList<>();
        private final List<PaymentModel> payments = new ArrayList<>();
        private final Map<AccountKey, BigInteger> balances = new HashMap<>();
        private final Map<WalletId, Money> walletViews = new HashMap<>();
        private Instant now = START;
        private int eventsSeen;
        private int nextReference;

        Simulation(InMemoryLedger ledger, int tryNumber) {
            this.ledger = ledger;
            this.tryTag = "t" + tryNumber;
            this.eventsSeen = ledger.eventCount();
            for (int i = 0; i < OWNERS.size(); i++) {
                wallets.add(new WalletSpec(new UserId(OWNERS.get(i) + "_" + tryTag), WALLET_CURRENCIES.get(i)));
            }
            for (WalletSpec wallet : wallets) {
                ledger.when(new OpenWallet(wallet.id(), wallet.owner(), wallet.currency(), now)).expectSuccess();
                ledger.when(new TopUpWallet(wallet.id(), reference("bank"), Money.of(OPENING_TOP_UP_MINOR, wallet.currency()),
                        now)).expectSuccess();
            }
            checkInvariants();
        }

        void run(Step step) {
            switch (step) {
                case TopUp topUp -> topUp(topUp);
                case Withdraw withdraw -> withdraw(withdraw);
                case PayImmediately pay -> pay(pay.wallet(), pay.minor(), pay.feeRateBasisPoints(), CaptureMode.IMMEDIATE, 0);
                case Authorise authorise -> pay(authorise.wallet(), authorise.minor(), authorise.feeRateBasisPoints(),
                        CaptureMode.MANUAL, authorise.ttlMinutes());
                case Capture capture -> capture(capture);
                case VoidPayment voiding -> voidAuthorisation(voiding);
                case Expire expire -> expire(expire.payment());
                case PassTime passTime -> now = now.plus(Duration.ofMinutes(passTime.minutes()));
            }
            checkInvariants();
        }

        /** Expires every open authorisation after the last one is due, then checks clearing is empty. */
        void settleEveryHold() {
            now = now.plus(Duration.ofDays(1));
            for (int i = 0; i < payments.size(); i++) {
                if (payments.get(i).status == PaymentStatus.AUTHORISED) {
                    expire(i);
                    checkInvariants();
                }
            }
            assertThat(payments).noneMatch(payment -> payment.status == PaymentStatus.AUTHORISED);
            for (Currency currency : List.of(CNY, USD)) {
                assertThat(balance(PAYMENT_CLEARING, currency)).as("payment clearing in %s once every hold is settled", currency)
                        .isZero();
            }
            // The wallets agree that nothing is held any more.
            for (WalletSpec wallet : wallets) {
                WalletReceipt receipt = ledger.when(new TopUpWallet(wallet.id(), reference("probe"),
                        Money.of(1, wallet.currency()), now)).result(WalletReceipt.class);
                assertThat(receipt.held()).isEqualTo(Money.zero(wallet.currency()));
                checkInvariants();
            }
        }

        private void topUp(TopUp step) {
            WalletSpec wallet = wallets.get(step.wallet());
            Currency currency = step.inAnotherCurrency() ? (wallet.currency().equals(CNY) ? USD : CNY) : wallet.currency();
            String expectedRejection = null;
            if (!currency.equals(wallet.currency())) {
                expectedRejection = "currency_mismatch";
            } else if (available(wallet).add(BigInteger.valueOf(step.minor())).compareTo(BigInteger.valueOf(Long.MAX_VALUE)) > 0) {
                expectedRejection = "balance_overflow";
            }
            Outcome outcome = ledger.when(new TopUpWallet(wallet.id(), reference("bank"), Money.of(step.minor(), currency), now));
            if (expect(outcome, expectedRejection)) {
                checkReceipt(wallet, outcome.result(WalletReceipt.class));
            }
        }

        private void withdraw(Withdraw step) {
            WalletSpec wallet = wallets.get(step.wallet());
            String expectedRejection = available(wallet).compareTo(BigInteger.valueOf(step.minor())) < 0 ? "insufficient_funds" : null;
            Outcome outcome = ledger.when(new WithdrawFromWallet(wallet.id(), new WithdrawalId(reference("wd")), "tok_bank",
                    Money.of(step.minor(), wallet.currency()), now));
            if (expect(outcome, expectedRejection)) {
                checkReceipt(wallet, outcome.result(WalletReceipt.class));
            }
        }

        private void pay(int walletIndex, long minor, int feeRateBasisPoints, CaptureMode mode, int ttlMinutes) {
            WalletSpec wallet = wallets.get(walletIndex);
            Money amount = Money.of(minor, wallet.currency());
            PaymentId paymentId = new PaymentId(reference("p"));
            Duration ttl = Duration.ofMinutes(ttlMinutes);
            String expectedRejection = available(wallet).compareTo(BigInteger.valueOf(minor)) < 0 ? "insufficient_funds" : null;
            Outcome outcome = ledger.when(new PayMerchant(wallet.id(), paymentId, MERCHANT, feeRateBasisPoints,
                    "order-" + paymentId, "goods", amount, mode, ttl, now));
            if (!expect(outcome, expectedRejection)) {
                return;
            }
            PaymentModel payment = new PaymentModel(paymentId, wallet.id(), amount, feeRateBasisPoints,
                    mode == CaptureMode.MANUAL ? now.plus(ttl) : now);
            payments.add(payment);
            PaymentReceipt receipt = outcome.result(PaymentReceipt.class);
            assertThat(receipt.authorised()).isEqualTo(amount);
            assertThat(receipt.expiresAt()).isEqualTo(payment.expiresAt);
            if (mode == CaptureMode.IMMEDIATE) {
                payment.status = PaymentStatus.CAPTURED;
                checkCapture(payment, amount, receipt);
            } else {
                assertThat(receipt.status()).isEqualTo(PaymentStatus.AUTHORISED);
            }
        }

        private void capture(Capture step) {
            if (payments.isEmpty()) {
                return;
            }
            PaymentModel payment = payments.get(step.payment() % payments.size());
            Money requested = step.capturedPermille() == 0 ? null : Money.of(
                    Math.max(1, payment.amount.minor() * step.capturedPermille() / 1_000), payment.amount.currency());
            Money captured = requested == null ? payment.amount : requested;
            String expectedRejection = step.byAnotherMerchant() ? "payment_not_found" : refusalOfOpenAuthorisation(payment);
            if (expectedRejection == null && captured.isGreaterThan(payment.amount)) {
                expectedRejection = "capture_exceeds_authorisation";
            }
            Outcome outcome = ledger.when(new CapturePayment(payment.id,
                    step.byAnotherMerchant() ? OTHER_MERCHANT : MERCHANT, requested, now));
            if (expect(outcome, expectedRejection)) {
                payment.status = PaymentStatus.CAPTURED;
                checkCapture(payment, captured, outcome.result(PaymentReceipt.class));
            }
        }

        private void voidAuthorisation(VoidPayment step) {
            if (payments.isEmpty()) {
                return;
            }
            PaymentModel payment = payments.get(step.payment() % payments.size());
            String expectedRejection = step.byAnotherMerchant() ? "payment_not_found" : refusalOfOpenAuthorisation(payment);
            Outcome outcome = ledger.when(new VoidAuthorisation(payment.id,
                    step.byAnotherMerchant() ? OTHER_MERCHANT : MERCHANT, now));
            if (expect(outcome, expectedRejection)) {
                payment.status = PaymentStatus.VOIDED;
                PaymentReceipt receipt = outcome.result(PaymentReceipt.class);
                assertThat(receipt.status()).isEqualTo(PaymentStatus.VOIDED);
                assertThat(receipt.released()).isEqualTo(payment.amount);
            }
        }

        private void expire(int index) {
            if (payments.isEmpty()) {
                return;
            }
            PaymentModel payment = payments.get(index % payments.size());
            boolean due = payment.status == PaymentStatus.AUTHORISED && !now.isBefore(payment.expiresAt);
            Outcome outcome = ledger.when(new ExpireAuthorisation(payment.id, now)).expectResult(due);
            if (due) {
                payment.status = PaymentStatus.EXPIRED;
            } else {
                assertThat(outcome.events()).isEmpty();
            }
        }

        /** Why an open-authorisation command must be refused now, or null if it may proceed. */
        private String refusalOfOpenAuthorisation(PaymentModel payment) {
            return switch (payment.status) {
                case CAPTURED -> "payment_already_captured";
                case VOIDED -> "authorisation_voided";
                case EXPIRED -> "authorisation_expired";
                case AUTHORISED -> now.isBefore(payment.expiresAt) ? null : "authorisation_expired";
            };
        }

        /** Checks the outcome against the model; returns whether the command was accepted. */
        private static boolean expect(Outcome outcome, String expectedRejection) {
            if (expectedRejection == null) {
                outcome.expectSuccess();
                assertThat(outcome.events()).isNotEmpty();
                return true;
            }
            outcome.expectRejection(LedgerRejection.class, expectedRejection);
            return false;
        }

        private void checkCapture(PaymentModel payment, Money captured, PaymentReceipt receipt) {
            Money fee = captured.timesBasisPointsRoundedHalfUp(payment.feeRateBasisPoints);
            assertThat(receipt.status()).isEqualTo(PaymentStatus.CAPTURED);
            assertThat(receipt.captured()).isEqualTo(captured);
            assertThat(receipt.fee()).isEqualTo(fee);
            assertThat(receipt.net()).isEqualTo(captured.minus(fee));
            assertThat(receipt.released()).isEqualTo(payment.amount.minus(captured));
        }

        private void checkReceipt(WalletSpec wallet, WalletReceipt receipt) {
            absorbNewEvents();
            assertThat(BigInteger.valueOf(receipt.available().minor())).as("available on the receipt")
                    .isEqualTo(available(wallet));
            long openHoldsMinor = payments.stream()
                    .filter(payment -> payment.status == PaymentStatus.AUTHORISED)
                    .filter(payment -> payment.walletId.equals(wallet.id()))
                    .mapToLong(payment -> payment.amount.minor())
                    .sum();
            assertThat(receipt.held()).as("held on the receipt").isEqualTo(Money.of(openHoldsMinor, wallet.currency()));
        }

        private void checkInvariants() {
            absorbNewEvents();
            for (Currency currency : List.of(CNY, USD)) {
                BigInteger trialBalance = balances.entrySet().stream()
                        .filter(entry -> entry.getKey().currency().equals(currency))
                        .map(Map.Entry::getValue)
                        .reduce(BigInteger.ZERO, BigInteger::add);
                assertThat(trialBalance).as("trial balance in %s", currency).isZero();

                long openAuthorisationsMinor = payments.stream()
                        .filter(payment -> payment.status == PaymentStatus.AUTHORISED)
                        .filter(payment -> payment.amount.currency().equals(currency))
                        .mapToLong(payment -> payment.amount.minor())
                        .sum();
                assertThat(balance(PAYMENT_CLEARING, currency)).as("payment clearing in %s", currency)
                        .isEqualTo(BigInteger.valueOf(openAuthorisationsMinor));
            }
            for (WalletSpec wallet : wallets) {
                BigInteger journal = available(wallet);
                assertThat(journal.signum()).as("balance of %s", wallet).isNotNegative();
                Money view = walletViews.getOrDefault(wallet.id(), Money.zero(wallet.currency()));
                assertThat(journal).as("journal balance of %s against its own view", wallet)
                        .isEqualTo(BigInteger.valueOf(view.minor()));
            }
        }

        /** Books the postings of the events published since the last call and notes each wallet's view. */
        private void absorbNewEvents() {
            List<Object> events = ledger.eventsAfter(eventsSeen);
            for (Object event : events) {
                if (event instanceof MoneyMovement movement) {
                    for (Posting posting : JournalEntries.requireBalanced(movement.postings())) {
                        balances.merge(new AccountKey(posting.account(), posting.amount().currency()),
                                BigInteger.valueOf(posting.amount().minor()), BigInteger::add);
                    }
                }
                Money availableAfter = switch (event) {
                    case WalletToppedUp toppedUp -> toppedUp.availableAfter();
                    case WalletWithdrawn withdrawn -> withdrawn.availableAfter();
                    case WalletDebitedForPayment debited -> debited.availableAfter();
                    case PaymentHoldReleased released -> released.availableAfter();
                    default -> null;
                };
                if (availableAfter != null) {
                    assertThat(availableAfter.isNegative()).as("a wallet's available balance is never negative: %s", event).isFalse();
                    walletViews.put(((WalletEvent) event).walletId(), availableAfter);
                }
            }
            eventsSeen += events.size();
        }

        private BigInteger available(WalletSpec wallet) {
            return balance(WalletEvent.account(wallet.id()), wallet.currency());
        }

        private BigInteger balance(AccountId account, Currency currency) {
            return balances.getOrDefault(new AccountKey(account, currency), BigInteger.ZERO);
        }

        private String reference(String prefix) {
            return prefix + "_" + tryTag + "_" + (++nextReference);
        }

        /** A payment as the test expects it to be. */
        static final class PaymentModel {
            final PaymentId id;
            final WalletId walletId;
            final Money amount;
            final int feeRateBasisPoints;
            final Instant expiresAt;
            PaymentStatus status = PaymentStatus.AUTHORISED;

            PaymentModel(PaymentId id, WalletId walletId, Money amount, int feeRateBasisPoints, Instant expiresAt) {
                this.id = id;
                this.walletId = walletId;
                this.amount = amount;
                this.feeRateBasisPoints = feeRateBasisPoints;
                this.expiresAt = expiresAt;
            }
        }
    }

    record AccountKey(AccountId account, Currency currency) {
    }
}
