package com.hongbao.ledger.core.payment;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.payment.PaymentCommand.CapturePayment;
import com.hongbao.ledger.core.payment.PaymentCommand.ExpireAuthorisation;
import com.hongbao.ledger.core.payment.PaymentCommand.VoidAuthorisation;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentAuthorisationExpired;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentAuthorisationVoided;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentAuthorised;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentCaptured;
import com.hongbao.ledger.core.testing.InMemoryLedger;
import com.hongbao.ledger.core.wallet.WalletCommand.CaptureMode;
import com.hongbao.ledger.core.wallet.WalletCommand.ReleasePaymentHold;
import com.hongbao.ledger.core.wallet.WalletEvent.PaymentHoldReleased;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletDebitedForPayment;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletOpened;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletToppedUp;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link PaymentHoldReleaser} in a subscribing processor: each outcome of a held payment
 * settles the payer's hold in the same call, and a redelivered outcome returns nothing twice.
 */
class PaymentHoldReleaserTest {

    static final Currency CNY = Currency.getInstance("CNY");
    static final UserId PAYER = new UserId("alice");
    static final WalletId WALLET = WalletId.of(PAYER, CNY);
    static final MerchantId MERCHANT = new MerchantId("m_1001");
    static final PaymentId PAYMENT = new PaymentId("p_1");
    static final Instant AT = Instant.parse("2026-02-10T09:00:00Z");
    static final Instant EXPIRES_AT = AT.plus(Duration.ofMinutes(30));
    static final Instant LATER = AT.plusSeconds(60);

    final InMemoryLedger ledger = InMemoryLedger.withHoldReleaser();

    @AfterEach
    void stopLedger() {
        ledger.close();
    }

    static Money cny(long fen) {
        return Money.of(fen, CNY);
    }

    /** Alice had 100.00 and holds 10.00 of it for a manual payment. */
    void givenAHeldPaymentOfTenYuan() {
        ledger.given(
                new WalletOpened(WALLET, PAYER, CNY, AT),
                new WalletToppedUp(WALLET, "bank-1", cny(10_000), cny(10_000), AT),
                new WalletDebitedForPayment(WALLET, PAYMENT, MERCHANT, "order-42", cny(1_000), true, cny(9_000), AT),
                new PaymentAuthorised(PAYMENT, WALLET, PAYER, MERCHANT, "order-42", "tea", cny(1_000), 60,
                        CaptureMode.MANUAL, AT, EXPIRES_AT));
    }

    @Test
    void a_partial_capture_returns_the_uncaptured_rest_to_the_payer_at_once() {
        givenAHeldPaymentOfTenYuan();
        ledger.when(new CapturePayment(PAYMENT, MERCHANT, cny(250), LATER)).expectEvents(
                new PaymentCaptured(PAYMENT, WALLET, PAYER, MERCHANT, "order-42", cny(1_000), cny(250), cny(2), cny(248),
                        cny(750), 60, CaptureMode.MANUAL, LATER),
                new PaymentHoldReleased(WALLET, PAYMENT, cny(1_000), cny(750), cny(9_750), LATER));
    }

    @Test
    void a_full_capture_settles_the_hold_with_nothing_returned() {
        givenAHeldPaymentOfTenYuan();
        ledger.when(new CapturePayment(PAYMENT, MERCHANT, null, LATER)).expectEvents(
                new PaymentCaptured(PAYMENT, WALLET, PAYER, MERCHANT, "order-42", cny(1_000), cny(1_000), cny(6), cny(994),
                        cny(0), 60, CaptureMode.MANUAL, LATER),
                new PaymentHoldReleased(WALLET, PAYMENT, cny(1_000), cny(0), cny(9_000), LATER));
    }

    @Test
    void a_void_returns_the_whole_hold_to_the_payer() {
        givenAHeldPaymentOfTenYuan();
        ledger.when(new VoidAuthorisation(PAYMENT, MERCHANT, LATER)).expectEvents(
                new PaymentAuthorisationVoided(PAYMENT, WALLET, MERCHANT, cny(1_000), LATER),
                new PaymentHoldReleased(WALLET, PAYMENT, cny(1_000), cny(1_000), cny(10_000), LATER));
    }

    @Test
    void an_expiry_returns_the_whole_hold_to_the_payer() {
        givenAHeldPaymentOfTenYuan();
        ledger.when(new ExpireAuthorisation(PAYMENT, EXPIRES_AT)).expectEvents(
                new PaymentAuthorisationExpired(PAYMENT, WALLET, MERCHANT, cny(1_000), EXPIRES_AT),
                new PaymentHoldReleased(WALLET, PAYMENT, cny(1_000), cny(1_000), cny(10_000), EXPIRES_AT));
    }

    @Test
    void a_redelivered_outcome_is_settled_again_but_returns_nothing_twice() {
        givenAHeldPaymentOfTenYuan();
        PaymentAuthorisationVoided voided = new PaymentAuthorisationVoided(PAYMENT, WALLET, MERCHANT, cny(1_000), LATER);
        ledger.given(voided, voided);

        assertThat(ledger.commands()).filteredOn(ReleasePaymentHold.class::isInstance).hasSize(2);
        assertThat(ledger.events()).filteredOn(PaymentHoldReleased.class::isInstance).containsExactly(
                new PaymentHoldReleased(WALLET, PAYMENT, cny(1_000), cny(1_000), cny(10_000), LATER));
    }

    @Test
    void an_immediate_capture_has_no_hold_to_settle_and_sends_nothing() {
        ledger.given(
                new WalletOpened(WALLET, PAYER, CNY, AT),
                new WalletToppedUp(WALLET, "bank-1", cny(10_000), cny(10_000), AT),
                new WalletDebitedForPayment(WALLET, PAYMENT, MERCHANT, "order-42", cny(1_000), false, cny(9_000), AT),
                new PaymentAuthorised(PAYMENT, WALLET, PAYER, MERCHANT, "order-42", "tea", cny(1_000), 60,
                        CaptureMode.IMMEDIATE, AT, AT),
                new PaymentCaptured(PAYMENT, WALLET, PAYER, MERCHANT, "order-42", cny(1_000), cny(1_000), cny(6),
                        cny(994), cny(0), 60, CaptureMode.IMMEDIATE, AT));

        assertThat(ledger.commands()).noneMatch(ReleasePaymentHold.class::isInstance);
        assertThat(ledger.events()).noneMatch(PaymentHoldReleased.class::isInstance);
    }
}
