package com.hongbao.ledger.core.payment;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

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
import com.hongbao.ledger.core.payment.PaymentRejection.AlreadyCaptured;
import com.hongbao.ledger.core.payment.PaymentRejection.AuthorisationExpired;
import com.hongbao.ledger.core.payment.PaymentRejection.AuthorisationVoided;
import com.hongbao.ledger.core.payment.PaymentRejection.CaptureExceedsAuthorisation;
import com.hongbao.ledger.core.payment.PaymentRejection.PaymentNotFound;
import com.hongbao.ledger.core.wallet.WalletCommand.CaptureMode;
import com.hongbao.ledger.core.wallet.WalletCommand.PayMerchant;
import java.time.Instant;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/**
 * One payment of a user to a merchant. It is created by the paying {@code Wallet} in the same
 * unit of work that takes the money into clearing, and from then on owns the lifecycle: capture
 * (with the fee), void or expiry. Money due back to the payer is returned by the wallet when it
 * hears of the outcome ({@link PaymentHoldReleaser}).
 */
public class Payment {

    @AggregateIdentifier
    private PaymentId paymentId;
    private WalletId walletId;
    private UserId payer;
    private MerchantId merchantId;
    private String orderNumber;
    private Money authorised;
    private Money captured;
    private Money fee;
    private Money released;
    private int feeRateBasisPoints;
    private CaptureMode captureMode;
    private PaymentStatus status;
    private Instant authorisedAt;
    private Instant expiresAt;

    /** For Axon's event sourcing. */
    protected Payment() {
    }

    /** Called by the wallet, which has already taken {@code command.amount()} from the payer. */
    public Payment(UserId payer, PayMerchant command) {
        Instant expiry = command.captureMode() == CaptureMode.MANUAL
                ? command.at().plus(command.authorisationTtl())
                : command.at();
        // Events applied in a constructor reach the event sourcing handlers only after it returns, so
        // the capture is computed once the authorisation has been applied.
        var applied = apply(new PaymentAuthorised(command.paymentId(), command.walletId(), payer, command.merchantId(),
                command.orderNumber(), command.description(), command.amount(), command.feeRateBasisPoints(),
                command.captureMode(), command.at(), expiry));
        if (command.captureMode() == CaptureMode.IMMEDIATE) {
            applied.andThenApply(() -> captureOf(command.amount(), command.at()));
        }
    }

    @CommandHandler
    public PaymentReceipt handle(CapturePayment command) {
        requireMerchant(command.merchantId());
        requireOpenAuthorisation(command.at());
        Money amount = command.amount() == null ? authorised : command.amount();
        authorised.requireSameCurrency(amount);
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("capture amounts are validated positive: " + amount);
        }
        if (amount.isGreaterThan(authorised)) {
            throw new CaptureExceedsAuthorisation(amount, authorised);
        }
        apply(captureOf(amount, command.at()));
        return receipt();
    }

    @CommandHandler
    public PaymentReceipt handle(VoidAuthorisation command) {
        requireMerchant(command.merchantId());
        requireOpenAuthorisation(command.at());
        apply(new PaymentAuthorisationVoided(paymentId, walletId, merchantId, authorised, command.at()));
        return receipt();
    }

    /** Returns whether the authorisation expired now; {@code false} if it was already settled or is not yet due. */
    @CommandHandler
    public boolean handle(ExpireAuthorisation command) {
        if (status != PaymentStatus.AUTHORISED || command.at().isBefore(expiresAt)) {
            return false;
        }
        apply(new PaymentAuthorisationExpired(paymentId, walletId, merchantId, authorised, command.at()));
        return true;
    }

    /** The fee is the captured amount at the merchant's rate, rounded half up to the minor unit. */
    private PaymentCaptured captureOf(Money amount, Instant at) {
        Money captureFee = amount.timesBasisPointsRoundedHalfUp(feeRateBasisPoints);
        return new PaymentCaptured(paymentId, walletId, payer, merchantId, orderNumber, authorised, amount,
                captureFee, amount.minus(captureFee), authorised.minus(amount), feeRateBasisPoints, captureMode, at);
    }

    private void requireMerchant(MerchantId caller) {
        if (!merchantId.equals(caller)) {
            throw new PaymentNotFound(paymentId);
        }
    }

    private void requireOpenAuthorisation(Instant at) {
        switch (status) {
            case CAPTURED -> throw new AlreadyCaptured(paymentId);
            case VOIDED -> throw new AuthorisationVoided(paymentId);
            case EXPIRED -> throw new AuthorisationExpired(paymentId);
            case AUTHORISED -> {
                if (!at.isBefore(expiresAt)) {
                    throw new AuthorisationExpired(paymentId);
                }
            }
        }
    }

    public PaymentReceipt receipt() {
        Money zero = Money.zero(authorised.currency());
        Money capturedOrZero = captured == null ? zero : captured;
        Money feeOrZero = fee == null ? zero : fee;
        return new PaymentReceipt(paymentId, walletId, merchantId, orderNumber, status, authorised, capturedOrZero,
                feeOrZero, capturedOrZero.minus(feeOrZero), released == null ? zero : released, feeRateBasisPoints,
                authorisedAt, expiresAt);
    }

    @EventSourcingHandler
    void on(PaymentAuthorised event) {
        paymentId = event.paymentId();
        walletId = event.walletId();
        payer = event.payer();
        merchantId = event.merchantId();
        orderNumber = event.orderNumber();
        authorised = event.amount();
        feeRateBasisPoints = event.feeRateBasisPoints();
        captureMode = event.captureMode();
        authorisedAt = event.authorisedAt();
        expiresAt = event.expiresAt();
        status = PaymentStatus.AUTHORISED;
    }

    @EventSourcingHandler
    void on(PaymentCaptured event) {
        status = PaymentStatus.CAPTURED;
        captured = event.captured();
        fee = event.fee();
        released = event.released();
    }

    @EventSourcingHandler
    void on(PaymentAuthorisationVoided event) {
        status = PaymentStatus.VOIDED;
        released = event.released();
    }

    @EventSourcingHandler
    void on(PaymentAuthorisationExpired event) {
        status = PaymentStatus.EXPIRED;
        released = event.released();
    }
}
