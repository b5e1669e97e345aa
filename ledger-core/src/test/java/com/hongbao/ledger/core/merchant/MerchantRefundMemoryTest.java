package com.hongbao.ledger.core.merchant;

import static com.hongbao.ledger.core.testing.RejectionMatchers.rejectedWith;
import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.RefundId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.merchant.Merchant.MerchantOnboarded;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentCaptured;
import com.hongbao.ledger.core.refund.RefundCommand.RefundPayment;
import com.hongbao.ledger.core.refund.RefundCommand.SetNegativeLimit;
import com.hongbao.ledger.core.refund.RefundEvent.MerchantRefundedPayment;
import com.hongbao.ledger.core.refund.RefundHistory;
import com.hongbao.ledger.core.refund.RefundHistoryBehind;
import com.hongbao.ledger.core.refund.RefundReceipt;
import com.hongbao.ledger.core.wallet.WalletCommand.CaptureMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.Test;

/**
 * A merchant remembers only its latest {@value Merchant#REMEMBERED_REFUNDS} refunded payments and
 * refund numbers, however many refunds it made; an older payment or number is decided on the
 * refunds read model's history, and only on a history that includes everything it forgot.
 */
class MerchantRefundMemoryTest {

    static final Currency CNY = Currency.getInstance("CNY");
    static final MerchantId SHOP = new MerchantId("m_tea");
    static final Instant CAPTURED_AT = Instant.parse("2026-02-16T12:00:00Z");
    static final Instant AT = CAPTURED_AT.plus(Duration.ofDays(3));
    static final UserId ALICE = new UserId("alice");
    static final WalletId WALLET = WalletId.of(ALICE, CNY);
    static final int MEMORY = Merchant.REMEMBERED_REFUNDS;

    final FixtureConfiguration<Merchant> fixture = new AggregateTestFixture<>(Merchant.class);
    final MerchantOnboarded onboarded = new MerchantOnboarded(SHOP, "Tea shop", 60, CNY, CAPTURED_AT.minusSeconds(60));

    static Money cny(long fen) {
        return Money.of(fen, CNY);
    }

    static PaymentId payment(int i) {
        return new PaymentId("p_" + i);
    }

    /** 100.00 captured at 0.6%: fee 0.60, merchant credited 99.40. */
    static PaymentCaptured capture(int i) {
        return new PaymentCaptured(payment(i), WALLET, ALICE, SHOP, "T-" + i, cny(10_000), cny(10_000), cny(60),
                cny(9_940), cny(0), 60, CaptureMode.IMMEDIATE, CAPTURED_AT);
    }

    static MerchantRefundedPayment refunded(String number, int i, long fen, long feeFen, long totalFen, int count) {
        return new MerchantRefundedPayment(SHOP, RefundId.of(SHOP, number), number, payment(i), WALLET, ALICE, cny(fen),
                cny(feeFen), cny(totalFen), count, AT);
    }

    static RefundPayment refund(String number, int i, long fen, RefundHistory history) {
        return new RefundPayment(SHOP, RefundId.of(SHOP, number), number, capture(i), cny(fen), 100_000_000, AT,
                history);
    }

    /**
     * The merchant onboarded (event 0), then 60.00 refunded of each of {@code payments} payments,
     * payment i by refund "R" + i as the merchant's event i + 1.
     */
    List<Object> history(int payments) {
        List<Object> given = new ArrayList<>(List.of(onboarded));
        for (int i = 0; i < payments; i++) {
            given.add(refunded("R" + i, i, 6_000, 36, 6_000, 1));
        }
        return given;
    }

    @Test
    void however_many_payments_it_refunded_the_merchant_remembers_a_bounded_number() {
        fixture.given(history(3 * MEMORY))
                .when(new SetNegativeLimit(SHOP, cny(0), AT))
                .expectState(merchant -> {
                    assertThat(merchant.rememberedPayments()).isEqualTo(MEMORY);
                    assertThat(merchant.rememberedRefundNumbers()).isEqualTo(MEMORY);
                    // Payments 0 .. 2×MEMORY−1 were forgotten; the last of them was event 2×MEMORY.
                    assertThat(merchant.forgottenThroughSequence()).isEqualTo(2L * MEMORY);
                });
    }

    @Test
    void a_merchant_that_forgot_nothing_needs_no_history() {
        fixture.given(history(MEMORY))
                .when(refund("N1", MEMORY + 5, 1_000, null))
                .expectEvents(refunded("N1", MEMORY + 5, 1_000, 6, 1_000, 1))
                // This refund is the one too many: payment 0, refunded as event 1, is forgotten now.
                .expectState(merchant -> assertThat(merchant.forgottenThroughSequence()).isEqualTo(1));
    }

    @Test
    void a_refund_after_the_merchant_forgot_some_needs_a_history_that_includes_what_it_forgot() {
        // Payment 0 (event 1) was forgotten when payment MEMORY was refunded.
        long forgotten = 1;
        fixture.given(history(MEMORY + 1))
                .when(refund("N1", 0, 1_000, null))
                .expectException(rejectedWith(RefundHistoryBehind.class, "concurrent_update"))
                .expectNoEvents();
        fixture.given(history(MEMORY + 1))
                .when(refund("N1", 0, 1_000, new RefundHistory(payment(0), 6_000, 1, false, forgotten - 1)))
                .expectException(rejectedWith(RefundHistoryBehind.class, "concurrent_update"))
                .expectNoEvents();
        fixture.given(history(MEMORY + 1))
                .when(refund("N1", 0, 1_000, new RefundHistory(payment(1), 6_000, 1, false, MEMORY + 1)))
                .expectException(rejectedWith(RefundHistoryBehind.class, "concurrent_update"))
                .expectNoEvents();
        // A payment the merchant remembers still needs the history for the new refund number.
        fixture.given(history(MEMORY + 1))
                .when(refund("N1", MEMORY, 1_000, null))
                .expectException(rejectedWith(RefundHistoryBehind.class, "concurrent_update"))
                .expectNoEvents();
    }

    @Test
    void a_forgotten_payment_is_decided_on_its_history_exactly_as_if_remembered() {
        RefundHistory paymentZero = new RefundHistory(payment(0), 6_000, 1, false, 1);
        fixture.given(history(MEMORY + 1))
                .when(refund("N1", 0, 4_001, paymentZero))
                .expectException(rejectedWith(LedgerRejection.class, "refund_exceeds_captured"))
                .expectNoEvents();
        // The rest of 100.00: the fee back is 0.60 less the 0.36 returned with the first 60.00.
        fixture.given(history(MEMORY + 1))
                .when(refund("N1", 0, 4_000, paymentZero))
                .expectEvents(refunded("N1", 0, 4_000, 24, 10_000, 2))
                .expectResultMessagePayload(new RefundReceipt(RefundId.of(SHOP, "N1"), "N1", payment(0), cny(4_000),
                        cny(24), cny(10_000), cny(0), 2, AT));
        fixture.given(history(MEMORY + 1))
                .when(refund("N1", 0, 100, new RefundHistory(payment(0), 100, Merchant.MAX_REFUNDS_PER_PAYMENT, false,
                        MEMORY + 1)))
                .expectException(rejectedWith(LedgerRejection.class, "refund_limit_reached"))
                .expectNoEvents();
    }

    @Test
    void a_forgotten_refund_number_is_refused_when_the_history_has_it() {
        fixture.given(history(MEMORY + 1))
                .when(refund("R0", 7, 100, new RefundHistory(payment(7), 0, 0, true, MEMORY + 1)))
                .expectException(rejectedWith(LedgerRejection.class, "refund_already_exists"))
                .expectNoEvents();
        // A remembered number needs no history at all.
        fixture.given(history(MEMORY + 1))
                .when(refund("R" + MEMORY, 7, 100, null))
                .expectException(rejectedWith(LedgerRejection.class, "refund_already_exists"))
                .expectNoEvents();
    }

    @Test
    void a_remembered_payment_is_decided_on_the_memory_even_when_the_history_lags_behind_it() {
        // Payment MEMORY was refunded 60.00 as the merchant's latest event, which the history does
        // not include yet; the history is complete for everything forgotten, so it may be used for
        // the refund number, but the payment's own total comes from memory.
        fixture.given(history(MEMORY + 1))
                .when(refund("N1", MEMORY, 4_001, new RefundHistory(payment(MEMORY), 0, 0, false, 1)))
                .expectException(rejectedWith(LedgerRejection.class, "refund_exceeds_captured"))
                .expectNoEvents();
    }
}
