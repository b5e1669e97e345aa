package com.hongbao.ledger.api.web;

import com.hongbao.ledger.api.config.StaleCopyRetry;
import com.hongbao.ledger.api.directory.AggregateFacts;
import com.hongbao.ledger.api.idempotency.IdempotentCommands;
import com.hongbao.ledger.api.idempotency.IdempotentRequest;
import com.hongbao.ledger.api.security.Caller;
import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.RefundId;
import com.hongbao.ledger.core.merchant.Merchant.MerchantOnboarded;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentAuthorised;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentCaptured;
import com.hongbao.ledger.core.refund.RefundCommand.RefundPayment;
import com.hongbao.ledger.core.refund.RefundCommand.SetNegativeLimit;
import com.hongbao.ledger.core.refund.RefundHistory;
import com.hongbao.ledger.core.refund.RefundHistoryBehind;
import com.hongbao.ledger.projections.ledger.LedgerQueries;
import com.hongbao.ledger.projections.refund.RefundQueries;
import com.hongbao.ledger.projections.refund.RefundQueries.RefundView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Refunds: a merchant refunds a captured payment, in full or in parts (its refund number is the
 * idempotency key); payer, merchant and finance read a payment's refunds; finance sets how far a
 * merchant's balance may go below zero for refunds.
 */
@RestController
@Tag(name = "Refunds")
public class RefundController {

    /** How long a refund waits at most for the refunds read model to reach the merchant's forgotten refunds. */
    private static final int HISTORY_ATTEMPTS = 40;
    private static final Duration HISTORY_PAUSE = Duration.ofMillis(50);

    private final IdempotentCommands commands;
    private final CommandGateway commandGateway;
    private final AggregateFacts facts;
    private final PaymentLookup paymentLookup;
    private final LedgerQueries ledger;
    private final RefundQueries refunds;
    private final Clock clock;

    public RefundController(IdempotentCommands commands, CommandGateway commandGateway, AggregateFacts facts,
                            PaymentLookup paymentLookup, LedgerQueries ledger, RefundQueries refunds, Clock clock) {
        this.paymentLookup = paymentLookup;
        this.commands = commands;
        this.commandGateway = commandGateway;
        this.facts = facts;
        this.ledger = ledger;
        this.refunds = refunds;
        this.clock = clock;
    }

    public record RefundRequest(String refundNumber, AmountInput amount, String currency) {
    }

    public record NegativeLimitRequest(AmountInput amount, String currency) {
    }

    public record NegativeLimitView(String merchantId, Money negativeLimit) {
    }

    @PostMapping("/v1/payments/{paymentId}/refunds")
    @PreAuthorize("hasRole('merchant')")
    @Operation(summary = "Refund all or part of a captured payment; the refund number is the idempotency key")
    public ResponseEntity<String> refund(@PathVariable String paymentId, @RequestBody RefundRequest request,
                                         @AuthenticationPrincipal Jwt jwt,
                                         @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        Caller caller = Caller.from(jwt);
        MerchantId merchant = caller.merchant();
        String refundNumber = Requests.reference("refundNumber", request.refundNumber());
        Money amount = Requests.required("amount", request.amount()).toMoney(Requests.required("currency", request.currency()));
        PaymentId payment = paymentId(paymentId);
        PaymentAuthorised authorised = paymentLookup.payment(payment).filter(paid -> paid.merchantId().equals(merchant))
                .orElseThrow(() -> notFound(paymentId));
        if (!authorised.amount().currency().equals(amount.currency())) {
            throw new LedgerRejection("currency_mismatch", "the payment is in " + authorised.amount().currency());
        }
        PaymentCaptured capture = facts.capture(payment).orElseThrow(() -> new LedgerRejection("payment_not_captured",
                "only a captured payment can be refunded; this one is authorised, voided or expired"));
        RefundId refundId = RefundId.of(merchant, refundNumber);
        for (int attempt = 1; ; attempt++) {
            // The payment's refunds as the read model knows them, for a merchant that no longer
            // remembers them all; the merchant checks that they reach far enough (ADR 17).
            RefundHistory history = refunds.history(merchant, payment, refundId);
            RefundPayment command = new RefundPayment(merchant, refundId, refundNumber, capture, amount,
                    ledger.creditedMinor("merchant:" + merchant.value(), amount.currency().getCurrencyCode()),
                    clock.instant(), history);
            try {
                return commands.send(new IdempotentRequest(command, caller.subject(), "POST",
                        "/v1/payments/" + paymentId + "/refunds", request,
                        IdempotentCommands.scopes(List.of("refund:" + merchant + ":" + refundNumber), caller.subject(), key),
                        HttpStatus.CREATED, "merchant_not_found", "refund_already_exists"));
            } catch (RefundHistoryBehind behind) {
                // The read model lags behind the merchant's latest refunds (or is being rebuilt);
                // it only catches up, so reading it again shortly decides the refund. Beyond the
                // wait, the client sees concurrent_update (retry), and nothing changed.
                if (attempt >= HISTORY_ATTEMPTS) {
                    throw behind;
                }
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(HISTORY_PAUSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerRejection("concurrent_update", "interrupted while the refunds history caught up; retry");
        }
    }

    @GetMapping("/v1/payments/{paymentId}/refunds")
    @PreAuthorize("hasAnyRole('user', 'merchant', 'finance')")
    @Operation(summary = "A payment's refunds, oldest first: amount, fee returned, and whether the payer has the money")
    public List<RefundView> list(@PathVariable String paymentId, @AuthenticationPrincipal Jwt jwt) {
        Caller caller = Caller.from(jwt);
        paymentLookup.payment(paymentId(paymentId))
                .filter(paid -> caller.isFinance() || caller.actsFor(paid.merchantId().value())
                        || (caller.has("user") && caller.subject().equals(paid.payer().value())))
                .orElseThrow(() -> notFound(paymentId));
        return refunds.byPayment(paymentId);
    }

    @PutMapping("/v1/merchants/{merchantId}/negative-limit")
    @PreAuthorize("hasRole('finance')")
    @Operation(summary = "How far below zero refunds may take the merchant's settlement balance (0 for not at all)")
    public NegativeLimitView negativeLimit(@PathVariable String merchantId, @RequestBody NegativeLimitRequest request) {
        MerchantOnboarded merchant = facts.merchant(new MerchantId(Requests.reference("merchantId", merchantId)))
                .orElseThrow(() -> new LedgerRejection("merchant_not_found", "no merchant " + merchantId));
        AmountInput amount = Requests.required("amount", request.amount());
        String currency = Requests.required("currency", request.currency());
        Money limit = amount.toNonNegativeMoney(currency);
        StaleCopyRetry.sendAndWait(commandGateway, new SetNegativeLimit(merchant.merchantId(), limit, clock.instant()));
        return new NegativeLimitView(merchant.merchantId().value(), limit);
    }

    private static PaymentId paymentId(String text) {
        try {
            return new PaymentId(text);
        } catch (IllegalArgumentException e) {
            throw notFound(text);
        }
    }

    private static LedgerRejection notFound(String paymentId) {
        return new LedgerRejection("payment_not_found", "no payment " + paymentId);
    }
}
