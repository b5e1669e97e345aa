package com.hongbao.ledger.core.wallet;

import static org.assertj.core.api.Assertions.assertThat;

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
import com.hongbao.ledger.core.testing.InMemoryLedger;
import com.hongbao.ledger.core.wallet.WalletCommand.CaptureMode;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Given-when-then tests of every {@link Wallet} command, rejections included. */
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

    final InMemoryLedger ledger = InMemoryLedger.aggregatesOnly();

    @AfterEach
    void stopLedger() {
        ledger.close();
    }

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
            ledger.when(new OpenWallet(WALLET, ALICE, CNY, OPENED_AT))
                    .expectEvents(new WalletOpened(WALLET, ALICE, CNY, OPENED_AT));
        }

        @Test
        void a_first_top_up_is_all_a_new_wallet_has() {
            ledger.given(opened());
            WalletReceipt receipt = ledger.when(new TopUpWallet(WALLET, "bank-1", cny(1), NOW)).result(WalletReceipt.class);
            assertThat(receipt).isEqualTo(new WalletReceipt(WALLET, ALICE, cny(1), cny(0)));
        }
    }

    @Nested
    class TopUps {

        @Test
        void a_top_up_credits_the_wallet_and_states_the_balance_after() {
            ledger.given(opened(), toppedUp(1_000, 1_000));
            var outcome = ledger.when(new TopUpWallet(WALLET, "bank-2", cny(2_550), NOW))
                    .expectEvents(new WalletToppedUp(WALLET, "bank-2", cny(2_550), cny(3_550), NOW));
            assertThat(outcome.result(WalletReceipt.class)).isEqualTo(new WalletReceipt(WALLET, ALICE, cny(3_550), cny(0)));
        }

        @Test
        void a_top_up_in_another_currency_is_refused_with_currency_mismatch() {
            ledger.given(opened(), toppedUp(1_000, 1_000));
            ledger.when(new TopUpWallet(WALLET, "bank-2", Money.of(500, USD), NOW))
                    .expectRejection(CurrencyMismatch.class, "currency_mismatch");
        }

        @Test
        void a_top_up_that_would_overflow_the_balance_is_refused_with_balance_overflow() {
            ledger.given(opened(), toppedUp(Long.MAX_VALUE - 10, Long.MAX_VALUE - 10));
            ledger.when(new TopUpWallet(WALLET, "bank-2", cny(11), NOW))
                    .expectRejection(BalanceOverflow.class, "balance_overflow");
        }

        @Test
        void a_top_up_to_exactly_the_largest_balance_is_accepted() {
            ledger.given(opened(), toppedUp(Long.MAX_VALUE - 10, Long.MAX_VALUE - 10));
            ledger.when(new TopUpWallet(WALLET, "bank-2", cny(10), NOW))
                    .expectEvents(new WalletToppedUp(WALLET, "bank-2", cny(10), cny(Long.MAX_VALUE), NOW));
        }

        /** Amounts are validated positive at the API; the domain refuses a non-positive one loudly too. */
        @Test
        void a_top_up_of_a_negative_amount_fails_loudly_and_applies_nothing() {
            ledger.given(opened(), toppedUp(1_000, 1_000));
            ledger.when(new TopUpWallet(WALLET, "bank-2", cny(-5_000), NOW))
                    .expectProgrammerError(IllegalArgumentException.class);
        }
    }

    @Nested
    class Withdrawals {

        static final WithdrawalId WITHDRAWAL = new WithdrawalId("wd_1");

        @Test
        void a_withdrawal_debits_the_wallet_and_states_the_balance_after() {
            ledger.given(opened(), toppedUp(10_000, 10_000));
            var outcome = ledger.when(new WithdrawFromWallet(WALLET, WITHDRAWAL, "tok_bank", cny(2_500), NOW))
                    .expectEvents(new WalletWithdrawn(WALLET, WITHDRAWAL, "tok_bank", cny(2_500), cny(7_500), NOW));
            assertThat(outcome.result(WalletReceipt.class).available()).isEqualTo(cny(7_500));
        }

        @Test
        void the_whole_available_balance_can_be_withdrawn() {
            ledger.given(opened(), toppedUp(10_000, 10_000));
            ledger.when(new WithdrawFromWallet(WALLET, WITHDRAWAL, "tok_bank", cny(10_000), NOW))
                    .expectEvents(new WalletWithdrawn(WALLET, WITHDRAWAL, "tok_bank", cny(10_000), cny(0), NOW));
        }

        @Test
        void withdrawing_more_than_is_available_is_refused_with_insufficient_funds_and_applies_nothing() {
            ledger.given(opened(), toppedUp(10_000, 10_000));
            ledger.when(new WithdrawFromWallet(WALLET, WITHDRAWAL, "tok_bank", cny(10_001), NOW))
                    .expectRejection(InsufficientFunds.class, "insufficient_funds");
        }

        @Test
        void held_money_is_not_available_for_withdrawal() {
            ledger.given(opened(), toppedUp(10_000, 10_000), heldFor(8_000, 10_000));
            ledger.when(new WithdrawFromWallet(WALLET, WITHDRAWAL, "tok_bank", cny(2_001), NOW))
                    .expectRejection(InsufficientFunds.class, "insufficient_funds");
        }

        @Test
        void a_withdrawal_in_another_currency_is_refused_with_currency_mismatch() {
            ledger.given(opened(), toppedUp(10_000, 10_000));
            ledger.when(new WithdrawFromWallet(WALLET, WITHDRAWAL, "tok_bank", Money.of(100, USD), NOW))
                    .expectRejection(CurrencyMismatch.class, "currency_mismatch");
        }

        @Test
        void a_withdrawal_of_zero_is_a_programmer_error_and_applies_nothing() {
            ledger.given(opened(), toppedUp(10_000, 10_000));
            ledger.when(new WithdrawFromWallet(WALLET, WITHDRAWAL, "tok_bank", cny(0), NOW))
                    .expectProgrammerError(IllegalArgumentException.class);
        }
    }

    @Nested
    class Payments {

        @Test
        void an_immediate_payment_debits_the_wallet_and_captures_at_once_with_the_fee() {
            ledger.given(opened(), toppedUp(10_000, 10_000));
            var outcome = ledger.when(pay(250, CaptureMode.IMMEDIATE)).expectEvents(
                    new WalletDebitedForPayment(WALLET, PAYMENT, MERCHANT, "order-42", cny(250), false, cny(9_750), NOW),
                    new PaymentAuthorised(PAYMENT, WALLET, ALICE, MERCHANT, "order-42", "two bubble teas", cny(250), 60,
                            CaptureMode.IMMEDIATE, NOW, NOW),
                    // 0.6% of 2.50 is 1.5 fen, rounded half up to 2 fen.
                    new PaymentCaptured(PAYMENT, WALLET, ALICE, MERCHANT, "order-42", cny(250), cny(250), cny(2),
                            cny(248), cny(0), 60, CaptureMode.IMMEDIATE, NOW));
            PaymentReceipt receipt = outcome.result(PaymentReceipt.class);
            assertThat(receipt.status()).isEqualTo(PaymentStatus.CAPTURED);
            assertThat(receipt.captured()).isEqualTo(cny(250));
            assertThat(receipt.fee()).isEqualTo(cny(2));
            assertThat(receipt.net()).isEqualTo(cny(248));
            assertThat(receipt.released()).isEqualTo(cny(0));
        }

        @Test
        void a_manual_payment_holds_the_amount_and_authorises_the_payment_until_its_expiry() {
            ledger.given(opened(), toppedUp(10_000, 10_000));
            var outcome = ledger.when(pay(2_500, CaptureMode.MANUAL)).expectEvents(
                    new WalletDebitedForPayment(WALLET, PAYMENT, MERCHANT, "order-42", cny(2_500), true, cny(7_500), NOW),
                    new PaymentAuthorised(PAYMENT, WALLET, ALICE, MERCHANT, "order-42", "two bubble teas", cny(2_500), 60,
                            CaptureMode.MANUAL, NOW, NOW.plus(TTL)));
            assertThat(outcome.result(PaymentReceipt.class)).isEqualTo(new PaymentReceipt(PAYMENT, WALLET, MERCHANT,
                    "order-42", PaymentStatus.AUTHORISED, cny(2_500), cny(0), cny(0), cny(0), cny(0), 60, NOW,
                    NOW.plus(TTL)));
        }

        @Test
        void a_held_amount_shows_as_held_on_later_receipts() {
            ledger.given(opened(), toppedUp(10_000, 10_000), heldFor(2_500, 10_000));
            assertThat(ledger.when(new TopUpWallet(WALLET, "bank-2", cny(100), NOW)).result(WalletReceipt.class))
                    .isEqualTo(new WalletReceipt(WALLET, ALICE, cny(7_600), cny(2_500)));
        }

        @Test
        void paying_more_than_is_available_is_refused_with_insufficient_funds_and_creates_no_payment() {
            ledger.given(opened(), toppedUp(10_000, 10_000));
            ledger.when(pay(10_001, CaptureMode.MANUAL)).expectRejection(InsufficientFunds.class, "insufficient_funds");
            ledger.when(pay(10_001, CaptureMode.IMMEDIATE)).expectRejection(InsufficientFunds.class, "insufficient_funds");
        }

        @Test
        void paying_in_another_currency_is_refused_with_currency_mismatch() {
            ledger.given(opened(), toppedUp(10_000, 10_000));
            ledger.when(new PayMerchant(WALLET, PAYMENT, MERCHANT, 60, "order-42", "tea", Money.of(100, USD),
                    CaptureMode.MANUAL, TTL, NOW)).expectRejection(CurrencyMismatch.class, "currency_mismatch");
        }
    }

    @Nested
    class HoldReleases {

        @Test
        void releasing_an_open_hold_returns_the_released_part_to_the_available_balance() {
            ledger.given(opened(), toppedUp(10_000, 10_000), heldFor(2_500, 10_000));
            ledger.when(new ReleasePaymentHold(WALLET, PAYMENT, cny(1_000), NOW))
                    .expectEvents(new PaymentHoldReleased(WALLET, PAYMENT, cny(2_500), cny(1_000), cny(8_500), NOW))
                    .expectResult(true);
        }

        @Test
        void a_settled_hold_is_no_longer_held() {
            ledger.given(opened(), toppedUp(10_000, 10_000), heldFor(2_500, 10_000),
                    new PaymentHoldReleased(WALLET, PAYMENT, cny(2_500), cny(1_000), cny(8_500), NOW));
            assertThat(ledger.when(new TopUpWallet(WALLET, "bank-2", cny(100), NOW)).result(WalletReceipt.class))
                    .isEqualTo(new WalletReceipt(WALLET, ALICE, cny(8_600), cny(0)));
        }

        @Test
        void a_fully_captured_hold_is_settled_with_nothing_released() {
            ledger.given(opened(), toppedUp(10_000, 10_000), heldFor(2_500, 10_000));
            ledger.when(new ReleasePaymentHold(WALLET, PAYMENT, cny(0), NOW))
                    .expectEvents(new PaymentHoldReleased(WALLET, PAYMENT, cny(2_500), cny(0), cny(7_500), NOW))
                    .expectResult(true);
        }

        @Test
        void a_repeated_release_of_a_settled_hold_changes_nothing_and_returns_false() {
            ledger.given(opened(), toppedUp(10_000, 10_000), heldFor(2_500, 10_000),
                    new PaymentHoldReleased(WALLET, PAYMENT, cny(2_500), cny(2_500), cny(10_000), NOW));
            ledger.when(new ReleasePaymentHold(WALLET, PAYMENT, cny(2_500), NOW))
                    .expectSuccessWithNoEvents()
                    .expectResult(false);
        }

        @Test
        void a_release_for_an_unknown_hold_changes_nothing_and_returns_false() {
            ledger.given(opened(), toppedUp(10_000, 10_000));
            ledger.when(new ReleasePaymentHold(WALLET, new PaymentId("p_unknown"), cny(2_500), NOW))
                    .expectSuccessWithNoEvents()
                    .expectResult(false);
        }

        @Test
        void an_immediate_payment_leaves_no_hold_to_release() {
            ledger.given(opened(), toppedUp(10_000, 10_000),
                    new WalletDebitedForPayment(WALLET, PAYMENT, MERCHANT, "order-42", cny(2_500), false, cny(7_500), NOW));
            ledger.when(new ReleasePaymentHold(WALLET, PAYMENT, cny(0), NOW))
                    .expectSuccessWithNoEvents()
                    .expectResult(false);
        }

        @Test
        void releasing_more_than_was_held_is_a_programmer_error_and_applies_nothing() {
            ledger.given(opened(), toppedUp(10_000, 10_000), heldFor(2_500, 10_000));
            ledger.when(new ReleasePaymentHold(WALLET, PAYMENT, cny(2_501), NOW))
                    .expectProgrammerError(IllegalArgumentException.class);
        }

        @Test
        void releasing_in_another_currency_is_refused_with_currency_mismatch() {
            ledger.given(opened(), toppedUp(10_000, 10_000), heldFor(2_500, 10_000));
            ledger.when(new ReleasePaymentHold(WALLET, PAYMENT, Money.of(100, USD), NOW))
                    .expectRejection(CurrencyMismatch.class, "currency_mismatch");
        }

        /**
         * The overflow check of a top-up counts the holds that will come back to the available
         * balance, so a hold can always be released (found by the ledger property).
         */
        @Test
        void a_hold_can_always_be_released_after_a_top_up_was_accepted() {
            long max = Long.MAX_VALUE;
            ledger.given(opened(), toppedUp(max, max), heldFor(2_500, max));
            var topUp = ledger.when(new TopUpWallet(WALLET, "bank-2", cny(2_500), NOW));
            if (topUp.failure() == null) {
                ledger.when(new ReleasePaymentHold(WALLET, PAYMENT, cny(2_500), NOW)).expectResult(true);
            } else {
                topUp.expectRejection(BalanceOverflow.class, "balance_overflow");
            }
        }
    }
}
