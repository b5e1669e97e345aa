package com.hongbao.ledger.core.payment;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.money.Money;

/** Why a payment refused a command. */
public final class PaymentRejection {

    private PaymentRejection() {
    }

    /** Unknown, or not the caller's: the two are deliberately indistinguishable. */
    public static final class PaymentNotFound extends LedgerRejection {
        public PaymentNotFound(PaymentId paymentId) {
            super("payment_not_found", "no payment " + paymentId);
        }
    }

    public static final class CaptureExceedsAuthorisation extends LedgerRejection {
        public CaptureExceedsAuthorisation(Money requested, Money authorised) {
            super("capture_exceeds_authorisation", "cannot capture " + requested + " of an authorisation of " + authorised);
        }
    }

    public static final class AlreadyCaptured extends LedgerRejection {
        public AlreadyCaptured(PaymentId paymentId) {
            super("payment_already_captured", "payment " + paymentId + " is already captured");
        }
    }

    public static final class AuthorisationVoided extends LedgerRejection {
        public AuthorisationVoided(PaymentId paymentId) {
            super("authorisation_voided", "the authorisation of payment " + paymentId + " was voided");
        }
    }

    public static final class AuthorisationExpired extends LedgerRejection {
        public AuthorisationExpired(PaymentId paymentId) {
            super("authorisation_expired", "the authorisation of payment " + paymentId + " has expired");
        }
    }
}
