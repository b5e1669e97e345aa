package com.hongbao.ledger.core.payment;

import static com.hongbao.ledger.core.testing.RejectionMatchers.programmerError;
import static com.hongbao.ledger.core.testing.RejectionMatchers.rejectedWith;

import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.CurrencyMismatch;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.payment.PaymentCommand.CapturePayment;
import com.hongbao.ledger.core.payment.PaymentCommand.ExpireAuthorisation;
import com.hongbao.ledger.core.payment.PaymentCommand.VoidAuthorisation;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentAuthorisationExpired;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentAuthorisationVoided;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentAuthorised;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentCaptured;
import com.hongbao.ledger.core.payment.PaymentRejection.AlreadyCaptured;
import com.hongbao.ledger.core.payment.PaymentRejection.AuthorisationExpired;
import com.hongbao.ledger.core.payment.PaymentRejection.AuthorisationVoided;
import com.hongbao.ledger.core.payment.PaymentRejection.CaptureExceedsAuthorisation;
import com.hongbao.ledger.core.payment.PaymentRejection.PaymentNotFound;
import com.hongbao.ledger.core.wallet.WalletCommand.CaptureMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Given-when-then tests of every {@link Payment} command, rejections included, on Axon's
 * {@link AggregateTestFixture}. A payment is created by the paying wallet, so its creation is
 * tested in {@code WalletTest}; here every payment starts from its {@link PaymentAuthorised} event.
 */
class PaymentTest {

    static final Currency CNY = Currency.getInstance("CNY");
    static final Currency USD = Currency.getInstance("USD");
    static final UserId PAYER = new UserId("alice");
    static final WalletId WALLET = WalletId.of(PAYER, CNY);
    static final MerchantId MERCHANT = new MerchantId("m_1001");
    static final MerchantId OTHER_MERCHANT = new MerchantId("m_2002");
    static final PaymentId PAYMENT = new PaymentId("p_1");
    static final int FEE_RATE = 60;
    static final Instant AUTHORISED_AT = Instant.parse("2026-02-10T09:00:00Z");
    static final Instant EXPIRES_AT = AUTHORISED_AT.plus(Duration.ofMinutes(30));
    static final Instant BEFORE_EXPIRY = EXPIRES_AT.minusSeconds(1);
    static final long AUTHORISED_FEN = 1_000;

    final FixtureConfiguration<Payment> fixture = new AggregateTestFixture<>(Payment.class);

    static Money cny(long fen) {
        return Money.of(fen, CNY);
    }

    static PaymentAuthorised authorised() {
        return new PaymentAuthorised(PAYMENT, WALLET, PAYER, MERCHANT, "order-42", "two bubble teas",
                cny(AUTHORISED_FEN), FEE_RATE, CaptureMode.MANUAL, AUTHORISED_AT, EXPIRES_AT);
    }

    static PaymentCaptured captured(long capturedFen, long feeFen, Instant at) {
        return new PaymentCaptured(PAYMENT, WALLET, PAYER, MERCHANT, "order-42", cny(AUTHORISED_FEN), cny(capturedFen),
                cny(feeFen), cny(capturedFen - feeFen), cny(AUTHORISED_FEN - capturedFen), FEE_RATE, CaptureMode.MANUAL, at);
    }

    static PaymentAuthorisationVoided voided(Instant at) {
        return new PaymentAuthorisationVoided(PAYMENT, WALLET, MERCHANT, cny(AUTHORISED_FEN), at);
    }

    static PaymentAuthorisationExpired expired(Instant at) {
        return new PaymentAuthorisationExpired(PAYMENT, WALLET, MERCHANT, cny(AUTHORISED_FEN), at);
    }

    /** The receipt of the payment of {@link #authorised()} after these outcomes. */
    static PaymentReceipt receipt(PaymentStatus status, long capturedFen, long feeFen, long releasedFen) {
        return new PaymentReceipt(PAYMENT, WALLET, MERCHANT, "order-42", status, cny(AUTHORISED_FEN), cny(capturedFen),
                cny(feeFen), cny(capturedFen - feeFen), cny(releasedFen), FEE_RATE, AUTHORISED_AT, EXPIRES_AT);
    }

    @Nested
    class Captures {

        @Test
        void a_full_capture_takes_the_whole_authorisation_and_releases_nothing() {
            fixture.given(authorised())
                    .when(new CapturePayment(PAYMENT, MERCHANT, null, BEFORE_EXPIRY))
                    // 0.6% of 10.00 is exactly 6 fen.
                    .expectEvents(captured(1_000, 6, BEFORE_EXPIRY))
                    .expectResultMessagePayload(receipt(PaymentStatus.CAPTURED, 1_000, 6, 0));
        }

        @Test
        void a_capture_of_exactly_the_authorised_amount_is_a_full_capture() {
            fixture.given(authorised())
                    .when(new CapturePayment(PAYMENT, MERCHANT, cny(1_000), BEFORE_EXPIRY))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(captured(1_000, 6, BEFORE_EXPIRY));
        }

        @Test
        void a_partial_capture_releases_the_rest_and_rounds_the_fee_half_up() {
            fixture.given(authorised())
                    .when(new CapturePayment(PAYMENT, MERCHANT, cny(250), BEFORE_EXPIRY))
                    // 0.6% of 2.50 is 1.5 fen, rounded half up to 2 fen; 7.50 goes back to the payer.
                    .expectEvents(captured(250, 2, BEFORE_EXPIRY))
                    .expectResultMessagePayload(receipt(PaymentStatus.CAPTURED, 250, 2, 750));
        }

        @Test
        void a_fee_below_half_a_fen_rounds_down_to_nothing() {
            fixture.given(authorised())
                    // 0.6% of 0.83 is 0.498 fen.
                    .when(new CapturePayment(PAYMENT, MERCHANT, cny(83), BEFORE_EXPIRY))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(captured(83, 0, BEFORE_EXPIRY));
        }

        @Test
        void capturing_more_than_was_authorised_is_refused_with_capture_exceeds_authorisation() {
            fixture.given(authorised())
                    .when(new CapturePayment(PAYMENT, MERCHANT, cny(1_001), BEFORE_EXPIRY))
                    .expectException(rejectedWith(CaptureExceedsAuthorisation.class, "capture_exceeds_authorisation"))
                    .expectNoEvents();
        }

        @Test
        void another_merchants_capture_is_refused_as_payment_not_found() {
            fixture.given(authorised())
                    .when(new CapturePayment(PAYMENT, OTHER_MERCHANT, null, BEFORE_EXPIRY))
                    .expectException(rejectedWith(PaymentNotFound.class, "payment_not_found"))
                    .expectNoEvents();
        }

        @Test
        void capturing_after_a_void_is_refused_with_authorisation_voided() {
            fixture.given(authorised(), voided(AUTHORISED_AT.plusSeconds(60)))
                    .when(new CapturePayment(PAYMENT, MERCHANT, null, BEFORE_EXPIRY))
                    .expectException(rejectedWith(AuthorisationVoided.class, "authorisation_voided"))
                    .expectNoEvents();
        }

        @Test
        void capturing_a_captured_payment_is_refused_with_payment_already_captured() {
            fixture.given(authorised(), captured(250, 2, AUTHORISED_AT.plusSeconds(60)))
                    .when(new CapturePayment(PAYMENT, MERCHANT, cny(100), BEFORE_EXPIRY))
                    .expectException(rejectedWith(AlreadyCaptured.class, "payment_already_captured"))
                    .expectNoEvents();
        }

        @Test
        void capturing_at_the_expiry_instant_is_refused_with_authorisation_expired() {
            fixture.given(authorised())
                    .when(new CapturePayment(PAYMENT, MERCHANT, null, EXPIRES_AT))
                    .expectException(rejectedWith(AuthorisationExpired.class, "authorisation_expired"))
                    .expectNoEvents();
        }

        @Test
        void capturing_after_the_expiry_instant_is_refused_with_authorisation_expired_even_before_the_sweep() {
            fixture.given(authorised())
                    .when(new CapturePayment(PAYMENT, MERCHANT, null, EXPIRES_AT.plusSeconds(1)))
                    .expectException(rejectedWith(AuthorisationExpired.class, "authorisation_expired"))
                    .expectNoEvents();
        }

        @Test
        void capturing_an_expired_authorisation_is_refused_with_authorisation_expired() {
            fixture.given(authorised(), expired(EXPIRES_AT))
                    // Even a capture dated before the expiry: the expiry has happened.
                    .when(new CapturePayment(PAYMENT, MERCHANT, null, BEFORE_EXPIRY))
                    .expectException(rejectedWith(AuthorisationExpired.class, "authorisation_expired"))
                    .expectNoEvents();
        }

        @Test
        void capturing_in_another_currency_is_refused_with_currency_mismatch() {
            fixture.given(authorised())
                    .when(new CapturePayment(PAYMENT, MERCHANT, Money.of(100, USD), BEFORE_EXPIRY))
                    .expectException(rejectedWith(CurrencyMismatch.class, "currency_mismatch"))
                    .expectNoEvents();
        }

        @Test
        void capturing_nothing_is_a_programmer_error() {
            fixture.given(authorised())
                    .when(new CapturePayment(PAYMENT, MERCHANT, cny(0), BEFORE_EXPIRY))
                    .expectException(programmerError(IllegalArgumentException.class))
                    .expectNoEvents();
        }

        /**
         * The core cannot tell an unknown id from a foreign one; the API maps both to payment_not_found.
         * The fixture holds one aggregate, so the unknown payment is the only one it has heard of.
         */
        @Test
        void capturing_an_unknown_payment_fails_with_axons_aggregate_not_found() {
            fixture.givenNoPriorActivity()
                    .when(new CapturePayment(new PaymentId("p_unknown"), MERCHANT, null, BEFORE_EXPIRY))
                    .expectException(programmerError(AggregateNotFoundException.class))
                    .expectNoEvents();
        }
    }

    @Nested
    class Voids {

        @Test
        void a_void_releases_the_whole_authorisation() {
            fixture.given(authorised())
                    .when(new VoidAuthorisation(PAYMENT, MERCHANT, BEFORE_EXPIRY))
                    .expectEvents(voided(BEFORE_EXPIRY))
                    .expectResultMessagePayload(receipt(PaymentStatus.VOIDED, 0, 0, AUTHORISED_FEN));
        }

        @Test
        void voiding_a_captured_payment_is_refused_with_payment_already_captured() {
            fixture.given(authorised(), captured(1_000, 6, AUTHORISED_AT.plusSeconds(60)))
                    .when(new VoidAuthorisation(PAYMENT, MERCHANT, BEFORE_EXPIRY))
                    .expectException(rejectedWith(AlreadyCaptured.class, "payment_already_captured"))
                    .expectNoEvents();
        }

        @Test
        void voiding_a_voided_authorisation_is_refused_with_authorisation_voided() {
            fixture.given(authorised(), voided(AUTHORISED_AT.plusSeconds(60)))
                    .when(new VoidAuthorisation(PAYMENT, MERCHANT, BEFORE_EXPIRY))
                    .expectException(rejectedWith(AuthorisationVoided.class, "authorisation_voided"))
                    .expectNoEvents();
        }

        @Test
        void voiding_an_expired_authorisation_is_refused_with_authorisation_expired() {
            fixture.given(authorised(), expired(EXPIRES_AT))
                    .when(new VoidAuthorisation(PAYMENT, MERCHANT, EXPIRES_AT.plusSeconds(1)))
                    .expectException(rejectedWith(AuthorisationExpired.class, "authorisation_expired"))
                    .expectNoEvents();
        }

        @Test
        void voiding_at_the_expiry_instant_is_refused_with_authorisation_expired() {
            fixture.given(authorised())
                    .when(new VoidAuthorisation(PAYMENT, MERCHANT, EXPIRES_AT))
                    .expectException(rejectedWith(AuthorisationExpired.class, "authorisation_expired"))
                    .expectNoEvents();
        }

        @Test
        void another_merchants_void_is_refused_as_payment_not_found() {
            fixture.given(authorised())
                    .when(new VoidAuthorisation(PAYMENT, OTHER_MERCHANT, BEFORE_EXPIRY))
                    .expectException(rejectedWith(PaymentNotFound.class, "payment_not_found"))
                    .expectNoEvents();
        }
    }

    @Nested
    class Expiry {

        @Test
        void an_authorisation_not_yet_due_does_not_expire() {
            fixture.given(authorised())
                    .when(new ExpireAuthorisation(PAYMENT, BEFORE_EXPIRY))
                    .expectResultMessagePayload(false)
                    .expectNoEvents();
        }

        @Test
        void an_authorisation_expires_at_its_expiry_instant_and_releases_the_whole_hold() {
            fixture.given(authorised())
                    .when(new ExpireAuthorisation(PAYMENT, EXPIRES_AT))
                    .expectEvents(expired(EXPIRES_AT))
                    .expectResultMessagePayload(true);
        }

        @Test
        void an_authorisation_past_due_expires_when_the_sweep_arrives() {
            Instant sweep = EXPIRES_AT.plus(Duration.ofHours(3));
            fixture.given(authorised())
                    .when(new ExpireAuthorisation(PAYMENT, sweep))
                    .expectEvents(expired(sweep))
                    .expectResultMessagePayload(true);
        }

        @Test
        void a_captured_payment_does_not_expire() {
            fixture.given(authorised(), captured(250, 2, BEFORE_EXPIRY))
                    .when(new ExpireAuthorisation(PAYMENT, EXPIRES_AT.plusSeconds(1)))
                    .expectResultMessagePayload(false)
                    .expectNoEvents();
        }

        @Test
        void a_voided_authorisation_does_not_expire() {
            fixture.given(authorised(), voided(BEFORE_EXPIRY))
                    .when(new ExpireAuthorisation(PAYMENT, EXPIRES_AT.plusSeconds(1)))
                    .expectResultMessagePayload(false)
                    .expectNoEvents();
        }

        @Test
        void an_expired_authorisation_does_not_expire_twice() {
            fixture.given(authorised(), expired(EXPIRES_AT))
                    .when(new ExpireAuthorisation(PAYMENT, EXPIRES_AT.plusSeconds(60)))
                    .expectResultMessagePayload(false)
                    .expectNoEvents();
        }
    }
}
