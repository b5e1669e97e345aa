package com.hongbao.ledger.core.refund;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.RefundId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.merchant.Merchant.MerchantOnboarded;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentCaptured;
import com.hongbao.ledger.core.refund.RefundCommand.RefundPayment;
import com.hongbao.ledger.core.refund.RefundEvent.MerchantRefundedPayment;
import com.hongbao.ledger.core.testing.InMemoryLedger;
import com.hongbao.ledger.core.wallet.WalletCommand.CaptureMode;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * For any capture, fee rate and sequence of partial refunds: the refunded fees never exceed the
 * fee, each refund returns no more fee than its own amount, and once the whole capture is
 * refunded the whole fee is back.
 */
class RefundFeeProperties {

    static final Currency CNY = Currency.getInstance("CNY");
    static final MerchantId SHOP = new MerchantId("m_tea");
    static final Instant AT = Instant.parse("2026-02-16T12:00:00Z");

    @Property(tries = 200)
    void refunded_fees_never_exceed_the_fee_and_a_full_refund_returns_all_of_it(
            @ForAll @LongRange(min = 1, max = 100_000_000) long capturedMinor,
            @ForAll @IntRange(min = 0, max = 1_000) int feeRateBasisPoints,
            @ForAll @Size(min = 1, max = 49) List<@IntRange(min = 1, max = 1_000) Integer> parts) {
        Money captured = Money.of(capturedMinor, CNY);
        Money fee = captured.timesBasisPointsRoundedHalfUp(feeRateBasisPoints);
        PaymentCaptured capture = new PaymentCaptured(new PaymentId("p_1"), WalletId.of(new UserId("alice"), CNY),
                new UserId("alice"), SHOP, "T-1", captured, captured, fee, captured.minus(fee), Money.zero(CNY),
                feeRateBasisPoints, CaptureMode.IMMEDIATE, AT);
        try (InMemoryLedger ledger = InMemoryLedger.aggregatesOnly()) {
            ledger.given(new MerchantOnboarded(SHOP, "Tea shop", feeRateBasisPoints, CNY, AT));
            long refunded = 0;
            long feeBack = 0;
            int number = 0;
            // Each part is a share (in permille) of what is left; the last refund takes the rest.
            for (int i = 0; i <= parts.size() && refunded < capturedMinor; i++) {
                long left = capturedMinor - refunded;
                long amount = i == parts.size() ? left : Math.max(1, left * parts.get(i) / 1_000);
                RefundPayment refund = new RefundPayment(SHOP, RefundId.of(SHOP, "R" + number), "R" + number, capture,
                        Money.of(amount, CNY), Long.MAX_VALUE / 2, AT);
                number++;
                List<Object> events = ledger.when(refund).expectSuccess().events();
                MerchantRefundedPayment refundedEvent = (MerchantRefundedPayment) events.get(0);
                long feeRefunded = refundedEvent.feeRefunded().minor();
                assertThat(feeRefunded).isBetween(0L, amount);
                refunded += amount;
                feeBack += feeRefunded;
                assertThat(feeBack).as("fees refunded so far").isLessThanOrEqualTo(fee.minor());
            }
            assertThat(refunded).isEqualTo(capturedMinor);
            assertThat(feeBack).as("the whole fee after a full refund").isEqualTo(fee.minor());
        }
    }
}
