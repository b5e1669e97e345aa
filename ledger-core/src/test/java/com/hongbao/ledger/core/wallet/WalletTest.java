package com.hongbao.ledger.core.wallet;

import static com.hongbao.ledger.core.testing.RejectionMatchers.programmerError;
import static com.hongbao.ledger.core.testing.RejectionMatchers.rejectedWith;

import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.id.WithdrawalId;
import com.hongbao.ledger.core.money.CurrencyMismatch;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentAuthorised;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentCaptured;
import com.hongbao.ledger.core.payment.PaymentReceipt;
import com.hongbao.ledger.core.payment.PaymentStatus;
import com.hongbao.ledger.core.wallet.WalletCommand.CaptureMode;
import com.hongbao.ledger.core.wallet.WalletCommand.InspectWallet;
import com.hongbao.ledger.core.wallet.WalletCommand.OpenWallet;
import com.hongbao.ledger.core.wallet.WalletCommand.PayMerchant;
import com.hongbao.ledger.core.wallet.WalletCommand.ReleasePaymentHold;
import com.hongbao.ledger.core.wallet.WalletCommand.TopUpWallet;
import com.hongbao.ledger.core.wallet.WalletCommand.WithdrawFromWallet;
import com.hongbao.ledger.core.wallet.WalletEvent.PaymentHoldReleased;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletDebitedForPayment;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletOpened;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletToppedUp;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletWithdrawn;
import com.hongbao.ledger.core.wallet.WalletRejection.BalanceOverflow;
import com.hongbao.ledger.core.wallet.WalletRejection.InsufficientFunds;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Given-when-then tests of every {@link Wallet} command, rejections included, on Axon's
 * {@link AggregateTestFixture}. A payment's {@code Payment} aggregate is created by the wallet
 * ({@code createNew}); the fixture records the events of a created aggregate with the wallet's own,
 * so the payment tests see both.
 */
class WalletTest {

    static final Currency CNY = Currency.getInstance("CNY");
    static final Currency USD = Currency.getInstance("USD");
    static final Instant OPENED_AT = Instant.parse("2026-02-10T08:00:00Z");
    static final Instant NOW = Instant.parse("2026-02-10T09:30:00Z");
    static final UserId ALICE = new UserId("alice");
    static final WalletId WALLET = WalletId.of(ALICE, CNY);
    static final MerchantId MERCHANT = new MerchantId("m_1001");
    static final PaymentId PAYMENT = new PaymentId("p_1");
    static final Duration TTL = Duration.ofMinutes(30);

    final FixtureConfiguration<Wallet> fixture = new AggregateTestFixture<>(Wallet.class);

    static Money cny(long fen) {
        return Money.of(fen, CNY);
    }

    static WalletOpened opened() {
        return new WalletOpened(WALLET, ALICE, CNY, OPENED_AT);
    }

    static WalletToppedUp toppedUp(long fen, long availableAfterFen) {
        return new WalletToppedUp(WALLET, "bank-ref-" + availableAfterFen, cny(fen), cny(availableAfterFen), OPENED_AT);
    }

    static PayMerchant pay(long fen, CaptureMode mode) {
        return new PayMerchant(WALLET, PAYMENT, MERCHANT, 60, "order-42", "two bubble teas", cny(fen), mode, TTL, NOW);
    }

    /** The wallet's side of a MANUAL payment of {@code fen} from a balance of {@code beforeFen}. */
    static WalletDebitedForPayment heldFor(long fen, long beforeFen) {
        return new WalletDebitedForPayment(WALLET, PAYMENT, MERCHANT, "order-42", cny(fen), true, cny(beforeFen - fen), NOW);
    }

    @Nested
    class Opening {

        @Test
        void opening_a_wallet_records_its_owner_and_currency() {
            fixture.givenNoPriorActivity()
                    .when(new OpenWallet(WALLET, ALICE, CNY, OPENED_AT))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new WalletOpened(WALLET, ALICE, CNY, OPENED_AT));
        }

        @Test
        void a_first_top_up_is_all_a_new_wallet_has() {
            fixture.given(opened())
                    .when(new TopUpWallet(WALLET, "bank-1", cny(1), NOW))
                    .expectResultMessagePayload(new WalletReceipt(WALLET, ALICE, cny(1), cny(0)));
        }
    }

    @Nested
    class TopUps {

        @Test
        void a_top_up_credits_the_wallet_and_states_the_balance_after() {
            fixture.given(opened(), toppedUp(1_000, 1_000))
                    .when(new TopUpWallet(WALLET, "bank-2", cny(2_550), NOW))
                    .expectEvents(new WalletToppedUp(WALLET, "bank-2", cny(2_550), cny(3_550), NOW))
                    .expectResultMessagePayload(new WalletReceipt(WALLET, ALICE, cny(3_550), cny(0)));
        }

        @Test
        void a_top_up_in_another_currency_is_refused_with_currency_mismatch() {
            fixture.given(opened(), toppedUp(1_000, 1_000))
                    .when(new TopUpWallet(WALLET, "bank-2", Money.of(500, USD), NOW))
                    .expectException(rejectedWith(CurrencyMismatch.class, "currency_mismatch"))
                    .expectNoEvents();
        }

        @Test
        void a_top_up_that_would_overflow_the_balance_is_refused_with_balance_overflow() {
            fixture.given(opened(), toppedUp(Long.MAX_VALUE - 10, Long.MAX_VALUE - 10))
                    .when(new TopUpWallet(WALLET, "bank-2", cny(11), NOW))
                    .expectException(rejectedWith(BalanceOverflow.class, "balance_overflow"))
                    .expectNoEvents();
        }

        @Test
        void a_top_up_to_exactly_the_largest_balance_is_accepted() {
            fixture.given(opened(), toppedUp(Long.MAX_VALUE - 10, Long.MAX_VALUE - 10))
                    .when(new TopUpWallet(WALLET, "bank-2", cny(10), NOW))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new WalletToppedUp(WALLET, "bank-2", cny(10), cny(Long.MAX_VALUE), NOW));
        }

        /** Amounts are validated positive at the API; the domain refuses a non-positive one loudly too. */
        @Test
        void a_top_up_of_a_negative_amount_fails_loudly_and_applies_nothing() {
            fixture.given(opened(), toppedUp(1_000, 1_000))
                    .when(new TopUpWallet(WALLET, "bank-2", cny(-5_000), NOW))
                    .expectException(programmerError(IllegalArgumentException.class))
                    .expectNoEvents();
        }
    }

    @Nested
    class Withdrawals {

        static final WithdrawalId WITHDRAWAL = new WithdrawalId("wd_1");

        @Test
        void a_withdrawal_debits_the_wallet_and_states_the_balance_after() {
            fixture.given(opened(), toppedUp(10_000, 10_000))
                    .when(new WithdrawFromWallet(WALLET, WITHDRAWAL, "tok_bank", cny(2_500), NOW))
                    .expectEvents(new WalletWithdrawn(WALLET, WITHDRAWAL, "tok_bank", cny(2_500), cny(7_500), NOW))
                    .expectResultMessagePayload(new WalletReceipt(WALLET, ALICE, cny(7_500), cny(0)));
        }

        @Test
        void the_whole_available_balance_can_be_withdrawn() {
            fixture.given(opened(), toppedUp(10_000, 10_000))
                    .when(new WithdrawFromWallet(WALLET, WITHDRAWAL, "tok_bank", cny(10_000), NOW))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new WalletWithdrawn(WALLET, WITHDRAWAL, "tok_bank", cny(10_000), cny(0), NOW));
        }

        @Test
        void withdrawing_more_than_is_available_is_refused_with_insufficient_funds_and_applies_nothing() {
            fixture.given(opened(), toppedUp(10_000, 10_000))
                    .when(new WithdrawFromWallet(WALLET, WITHDRAWAL, "tok_bank", cny(10_001), NOW))
                    .expectException(rejectedWith(InsufficientFunds.class, "insufficient_funds"))
                    .expectNoEvents();
        }

        @Test
        void held_money_is_not_available_for_withdrawal() {
            fixture.given(opened(), toppedUp(10_000, 10_000), heldFor(8_000, 10_000))
                    .when(new WithdrawFromWallet(WALLET, WITHDRAWAL, "tok_bank", cny(2_001), NOW))
                    .expectException(rejectedWith(InsufficientFunds.class, "insufficient_funds"))
                    .expectNoEvents();
        }

        @Test
        void a_withdrawal_in_another_currency_is_refused_with_currency_mismatch() {
            fixture.given(opened(), toppedUp(10_000, 10_000))
                    .when(new WithdrawFromWallet(WALLET, WITHDRAWAL, "tok_bank", Money.of(100, USD), NOW))
                    .expectException(rejectedWith(CurrencyMismatch.class, "currency_mismatch"))
                    .expectNoEvents();
        }

        @Test
        void a_withdrawal_of_zero_is_a_programmer_error_and_applies_nothing() {
            fixture.given(opened(), toppedUp(10_000, 10_000))
                    .when(new WithdrawFromWallet(WALLET, WITHDRAWAL, "tok_bank", cny(0), NOW))
                    .expectException(programmerError(IllegalArgumentException.class))
                    .expectNoEvents();
        }
    }

    @Nested
    class Payments {

        @Test
        void an_immediate_payment_debits_the_wallet_and_captures_at_once_with_the_fee() {
            fixture.given(opened(), toppedUp(10_000, 10_000))
                    .when(pay(250, CaptureMode.IMMEDIATE))
                    .expectEvents(
                            new WalletDebitedForPayment(WALLET, PAYMENT, MERCHANT, "order-42", cny(250), false,
                                    cny(9_750), NOW),
                            new PaymentAuthorised(PAYMENT, WALLET, ALICE, MERCHANT, "order-42", "two bubble teas",
                                    cny(250), 60, CaptureMode.IMMEDIATE, NOW, NOW),
                            // 0.6% of 2.50 is 1.5 fen, rounded half up to 2 fen.
                            new PaymentCaptured(PAYMENT, WALLET, ALICE, MERCHANT, "order-42", cny(250), cny(250), cny(2),
                                    cny(248), cny(0), 60, CaptureMode.IMMEDIATE, NOW))
                    .expectResultMessagePayload(new PaymentReceipt(PAYMENT, WALLET, MERCHANT, "order-42",
                            PaymentStatus.CAPTURED, cny(250), cny(250), cny(2), cny(248), cny(0), 60, NOW, NOW));
        }

        @Test
        void a_manual_payment_holds_the_amount_and_authorises_the_payment_until_its_expiry() {
            fixture.given(opened(), toppedUp(10_000, 10_000))
                    .when(pay(2_500, CaptureMode.MANUAL))
                    .expectEvents(
                            new WalletDebitedForPayment(WALLET, PAYMENT, MERCHANT, "order-42", cny(2_500), true,
                                    cny(7_500), NOW),
                            new PaymentAuthorised(PAYMENT, WALLET, ALICE, MERCHANT, "order-42", "two bubble teas",
                                    cny(2_500), 60, CaptureMode.MANUAL, NOW, NOW.plus(TTL)))
                    .expectResultMessagePayload(new PaymentReceipt(PAYMENT, WALLET, MERCHANT, "order-42",
                            PaymentStatus.AUTHORISED, cny(2_500), cny(0), cny(0), cny(0), cny(0), 60, NOW,
                            NOW.plus(TTL)));
        }

        @Test
        void a_held_amount_shows_as_held_on_later_receipts() {
            fixture.given(opened(), toppedUp(10_000, 10_000), heldFor(2_500, 10_000))
                    .when(new TopUpWallet(WALLET, "bank-2", cny(100), NOW))
                    .expectResultMessagePayload(new WalletReceipt(WALLET, ALICE, cny(7_600), cny(2_500)));
        }

        @Test
        void paying_more_than_is_available_is_refused_with_insufficient_funds_and_creates_no_payment() {
            fixture.given(opened(), toppedUp(10_000, 10_000))
                    .when(pay(10_001, CaptureMode.MANUAL))
                    .expectException(rejectedWith(InsufficientFunds.class, "insufficient_funds"))
                    .expectNoEvents();
            fixture.given(opened(), toppedUp(10_000, 10_000))
                    .when(pay(10_001, CaptureMode.IMMEDIATE))
                    .expectException(rejectedWith(InsufficientFunds.class, "insufficient_funds"))
                    .expectNoEvents();
        }

        @Test
        void paying_in_another_currency_is_refused_with_currency_mismatch() {
            fixture.given(opened(), toppedUp(10_000, 10_000))
                    .when(new PayMerchant(WALLET, PAYMENT, MERCHANT, 60, "order-42", "tea", Money.of(100, USD),
                            CaptureMode.MANUAL, TTL, NOW))
                    .expectException(rejectedWith(CurrencyMismatch.class, "currency_mismatch"))
                    .expectNoEvents();
        }
    }

    @Nested
    class HoldReleases {

        @Test
        void releasing_an_open_hold_returns_the_released_part_to_the_available_balance() {
            fixture.given(opened(), toppedUp(10_000, 10_000), heldFor(2_500, 10_000))
                    .when(new ReleasePaymentHold(WALLET, PAYMENT, cny(1_000), NOW))
                    .expectEvents(new PaymentHoldReleased(WALLET, PAYMENT, cny(2_500), cny(1_000), cny(8_500), NOW))
                    .expectResultMessagePayload(true);
        }

        @Test
        void a_settled_hold_is_no_longer_held() {
            fixture.given(opened(), toppedUp(10_000, 10_000), heldFor(2_500, 10_000),
                            new PaymentHoldReleased(WALLET, PAYMENT, cny(2_500), cny(1_000), cny(8_500), NOW))
                    .when(new TopUpWallet(WALLET, "bank-2", cny(100), NOW))
                    .expectResultMessagePayload(new WalletReceipt(WALLET, ALICE, cny(8_600), cny(0)));
        }

        @Test
        void a_fully_captured_hold_is_settled_with_nothing_released() {
            fixture.given(opened(), toppedUp(10_000, 10_000), heldFor(2_500, 10_000))
                    .when(new ReleasePaymentHold(WALLET, PAYMENT, cny(0), NOW))
                    .expectEvents(new PaymentHoldReleased(WALLET, PAYMENT, cny(2_500), cny(0), cny(7_500), NOW))
                    .expectResultMessagePayload(true);
        }

        @Test
        void a_repeated_release_of_a_settled_hold_changes_nothing_and_returns_false() {
            fixture.given(opened(), toppedUp(10_000, 10_000), heldFor(2_500, 10_000),
                            new PaymentHoldReleased(WALLET, PAYMENT, cny(2_500), cny(2_500), cny(10_000), NOW))
                    .when(new ReleasePaymentHold(WALLET, PAYMENT, cny(2_500), NOW))
                    .expectResultMessagePayload(false)
                    .expectNoEvents();
        }

        @Test
        void a_release_for_an_unknown_hold_changes_nothing_and_returns_false() {
            fixture.given(opened(), toppedUp(10_000, 10_000))
                    .when(new ReleasePaymentHold(WALLET, new PaymentId("p_unknown"), cny(2_500), NOW))
                    .expectResultMessagePayload(false)
                    .expectNoEvents();
        }

        @Test
        void an_immediate_payment_leaves_no_hold_to_release() {
            fixture.given(opened(), toppedUp(10_000, 10_000),
                            new WalletDebitedForPayment(WALLET, PAYMENT, MERCHANT, "order-42", cny(2_500), false,
                                    cny(7_500), NOW))
                    .when(new ReleasePaymentHold(WALLET, PAYMENT, cny(0), NOW))
                    .expectResultMessagePayload(false)
                    .expectNoEvents();
        }

        @Test
        void releasing_more_than_was_held_is_a_programmer_error_and_applies_nothing() {
            fixture.given(opened(), toppedUp(10_000, 10_000), heldFor(2_500, 10_000))
                    .when(new ReleasePaymentHold(WALLET, PAYMENT, cny(2_501), NOW))
                    .expectException(programmerError(IllegalArgumentException.class))
                    .expectNoEvents();
        }

        @Test
        void releasing_in_another_currency_is_refused_with_currency_mismatch() {
            fixture.given(opened(), toppedUp(10_000, 10_000), heldFor(2_500, 10_000))
                    .when(new ReleasePaymentHold(WALLET, PAYMENT, Money.of(100, USD), NOW))
                    .expectException(rejectedWith(CurrencyMismatch.class, "currency_mismatch"))
                    .expectNoEvents();
        }

        /**
         * The overflow check of a top-up counts the holds that will come back to the available
         * balance, so a hold can always be released (found by the ledger property): a top-up that
         * would leave no room for the hold is refused, and after the largest top-up that is
         * accepted the hold is released to exactly the largest balance.
         */
        @Test
        void a_hold_can_always_be_released_after_a_top_up_was_accepted() {
            long max = Long.MAX_VALUE;
            fixture.given(opened(), toppedUp(max, max), heldFor(2_500, max))
                    .when(new TopUpWallet(WALLET, "bank-2", cny(2_500), NOW))
                    .expectException(rejectedWith(BalanceOverflow.class, "balance_overflow"))
                    .expectNoEvents();

            fixture.given(opened(), toppedUp(max - 5_000, max - 5_000), heldFor(2_500, max - 5_000))
                    .andGivenCommands(new TopUpWallet(WALLET, "bank-2", cny(5_000), NOW))
                    .when(new ReleasePaymentHold(WALLET, PAYMENT, cny(2_500), NOW))
                    .expectEvents(new PaymentHoldReleased(WALLET, PAYMENT, cny(2_500), cny(2_500), cny(max), NOW))
                    .expectResultMessagePayload(true);
        }
    }

    /** Finance's reconciliation reads the aggregate's own balances; reading must record nothing. */
    @Nested
    class Inspection {

        @Test
        void inspecting_reports_available_and_held_and_records_nothing() {
            fixture.given(opened(), toppedUp(10_000, 10_000), heldFor(2_500, 10_000))
                    .when(new InspectWallet(WALLET))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectResultMessagePayload(new WalletReceipt(WALLET, ALICE, cny(7_500), cny(2_500)));
        }

        @Test
        void inspecting_a_wallet_without_money_reports_zero() {
            fixture.given(opened())
                    .when(new InspectWallet(WALLET))
                    .expectNoEvents()
                    .expectResultMessagePayload(new WalletReceipt(WALLET, ALICE, cny(0), cny(0)));
        }
    }
}
