package com.hongbao.ledger.core.refund;

import static com.hongbao.ledger.core.testing.RejectionMatchers.rejectedWith;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.RefundId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.merchant.Merchant;
import com.hongbao.ledger.core.merchant.Merchant.MerchantOnboarded;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentCaptured;
import com.hongbao.ledger.core.refund.RefundCommand.RefundPayment;
import com.hongbao.ledger.core.refund.RefundCommand.SetNegativeLimit;
import com.hongbao.ledger.core.refund.RefundEvent.MerchantNegativeLimitSet;
import com.hongbao.ledger.core.refund.RefundEvent.MerchantRefundedPayment;
import com.hongbao.ledger.core.wallet.WalletCommand.CaptureMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.Test;

/** Given-when-then tests of refunds on the merchant's aggregate, every refusal included. */
class MerchantRefundTest {

    static final Currency CNY = Currency.getInstance("CNY");
    static final MerchantId SHOP = new MerchantId("m_tea");
    static final Instant CAPTURED_AT = Instant.parse("2026-02-16T12:00:00Z");
    static final Instant AT = CAPTURED_AT.plus(Duration.ofDays(3));
    static final PaymentId PAYMENT = new PaymentId("p_1");
    static final UserId ALICE = new UserId("alice");
    static final WalletId WALLET = WalletId.of(ALICE, CNY);
    /** 100.00 captured at 0.6%: fee 0.60, merchant credited 99.40. */
    static final PaymentCaptured CAPTURE = new PaymentCaptured(PAYMENT, WALLET, ALICE, SHOP, "T-1", cny(10_000),
            cny(10_000), cny(60), cny(9_940), cny(0), 60, CaptureMode.IMMEDIATE, CAPTURED_AT);

    final FixtureConfiguration<Merchant> fixture = new AggregateTestFixture<>(Merchant.class);
    final MerchantOnboarded onboarded = new MerchantOnboarded(SHOP, "Tea shop", 60, CNY, CAPTURED_AT.minusSeconds(60));

    static Money cny(long fen) {
        return Money.of(fen, CNY);
    }

    static RefundPayment refund(String number, long fen, long creditedFen, Instant at) {
        return new RefundPayment(SHOP, RefundId.of(SHOP, number), number, CAPTURE, cny(fen), creditedFen, at);
    }

    static MerchantRefundedPayment refunded(String number, long fen, long feeFen, long totalFen, int count) {
        return new MerchantRefundedPayment(SHOP, RefundId.of(SHOP, number), number, PAYMENT, WALLET, ALICE, cny(fen),
                cny(feeFen), cny(totalFen), count, AT);
    }

    @Test
    void a_partial_refund_returns_the_fee_pro_rata_rounded_down() {
        // 33.33 of 100.00: 0.60 × 0.3333 = 0.19998, rounded down to 0.19.
        fixture.given(onboarded)
                .when(refund("R1", 3_333, 9_940, AT))
                .expectEvents(refunded("R1", 3_333, 19, 3_333, 1))
                .expectResultMessagePayload(new RefundReceipt(RefundId.of(SHOP, "R1"), "R1", PAYMENT, cny(3_333),
                        cny(19), cny(3_333), cny(6_667), 1, AT));
    }

    @Test
    void the_refund_that_completes_the_payment_returns_the_rest_of_the_fee() {
        fixture.given(onboarded, refunded("R1", 3_333, 19, 3_333, 1), refunded("R2", 3_333, 20, 6_666, 2))
                .when(refund("R3", 3_334, 9_940, AT))
                .expectEvents(refunded("R3", 3_334, 21, 10_000, 3));
    }

    @Test
    void more_than_is_left_of_the_capture_is_refused() {
        fixture.given(onboarded, refunded("R1", 6_000, 36, 6_000, 1))
                .when(refund("R2", 4_001, 9_940, AT))
                .expectException(rejectedWith(LedgerRejection.class, "refund_exceeds_captured"))
                .expectNoEvents();
    }

    @Test
    void a_refund_number_used_again_is_refused_even_without_the_apis_idempotency_claim() {
        fixture.given(onboarded, refunded("R1", 1_000, 6, 1_000, 1))
                .when(refund("R1", 500, 9_940, AT))
                .expectException(rejectedWith(LedgerRejection.class, "refund_already_exists"))
                .expectNoEvents();
    }

    @Test
    void the_fifty_first_refund_is_refused() {
        List<Object> given = new ArrayList<>(List.of(onboarded));
        for (int i = 1; i <= 50; i++) {
            given.add(refunded("R" + i, 100, 0, 100L * i, i));
        }
        fixture.given(given)
                .when(refund("R51", 100, 9_940, AT))
                .expectException(rejectedWith(LedgerRejection.class, "refund_limit_reached"))
                .expectNoEvents();
    }

    @Test
    void day_366_is_too_late_and_day_365_is_not() {
        fixture.given(onboarded)
                .when(refund("R1", 100, 9_940, CAPTURED_AT.plus(Duration.ofDays(365)).plusSeconds(1)))
                .expectException(rejectedWith(LedgerRejection.class, "refund_window_closed"))
                .expectNoEvents();
        fixture.given(onboarded)
                .when(refund("R1", 100, 9_940, CAPTURED_AT.plus(Duration.ofDays(365))))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void a_balance_that_cannot_cover_the_refund_refuses_it_unless_finance_allowed_going_below_zero() {
        // The merchant has 50.00; refunding 60.00 takes 59.64 from it (0.36 is fee coming back).
        fixture.given(onboarded)
                .when(refund("R1", 6_000, 5_000, AT))
                .expectException(rejectedWith(LedgerRejection.class, "merchant_insufficient_balance"))
                .expectNoEvents();
        fixture.given(onboarded, new MerchantNegativeLimitSet(SHOP, cny(964), AT))
                .when(refund("R1", 6_000, 5_000, AT))
                .expectEvents(refunded("R1", 6_000, 36, 6_000, 1));
        fixture.given(onboarded, new MerchantNegativeLimitSet(SHOP, cny(963), AT))
                .when(refund("R1", 6_000, 5_000, AT))
                .expectException(rejectedWith(LedgerRejection.class, "merchant_insufficient_balance"))
                .expectNoEvents();
    }

    @Test
    void another_merchants_payment_is_not_found() {
        MerchantOnboarded other = new MerchantOnboarded(new MerchantId("m_rival"), "Rival", 60, CNY, CAPTURED_AT);
        fixture.given(other)
                .when(new RefundPayment(new MerchantId("m_rival"), RefundId.of(new MerchantId("m_rival"), "R1"), "R1",
                        CAPTURE, cny(100), 1_000_000, AT))
                .expectException(rejectedWith(LedgerRejection.class, "payment_not_found"))
                .expectNoEvents();
    }

    @Test
    void finance_sets_a_negative_limit() {
        fixture.given(onboarded)
                .when(new SetNegativeLimit(SHOP, cny(50_000), AT))
                .expectEvents(new MerchantNegativeLimitSet(SHOP, cny(50_000), AT));
    }
}
