package com.hongbao.ledger.api.web;

import com.hongbao.ledger.api.LedgerProperties;
import com.hongbao.ledger.api.directory.AggregateFacts;
import com.hongbao.ledger.api.idempotency.IdempotentCommands;
import com.hongbao.ledger.api.idempotency.IdempotentRequest;
import com.hongbao.ledger.api.security.Caller;
import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.merchant.Merchant.MerchantOnboarded;
import com.hongbao.ledger.core.money.AmountParser;
import com.hongbao.ledger.core.money.CurrencyMismatch;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.payment.PaymentCommand.CapturePayment;
import com.hongbao.ledger.core.payment.PaymentCommand.VoidAuthorisation;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentAuthorised;
import com.hongbao.ledger.core.wallet.WalletCommand.CaptureMode;
import com.hongbao.ledger.core.wallet.WalletCommand.PayMerchant;
import com.hongbao.ledger.projections.payment.PaymentQueries;
import com.hongbao.ledger.projections.payment.PaymentQueries.PaymentView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.Currency;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Payments: a user pays a merchant's order from their wallet (captured at once, or authorised
 * for the merchant to capture or void later); the merchant's order number is the idempotency key.
 */
@RestController
@RequestMapping("/v1/payments")
@Tag(name = "Payments")
public class PaymentController {

    private final IdempotentCommands commands;
    private final AggregateFacts facts;
    private final PaymentLookup paymentLookup;
    private final PaymentQueries payments;
    private final LedgerProperties properties;
    private final Clock clock;

    public PaymentController(IdempotentCommands commands, AggregateFacts facts, PaymentLookup paymentLookup,
                             PaymentQueries payments, LedgerProperties properties, Clock clock) {
        this.paymentLookup = paymentLookup;
        this.commands = commands;
        this.facts = facts;
        this.payments = payments;
        this.properties = properties;
        this.clock = clock;
    }

    /** {@code captureMode} is {@code immediate} (the default) or {@code manual}. */
    public record PaymentRequest(String merchantId, String orderNumber, AmountInput amount, String currency,
                                 String captureMode, String description) {
    }

    /** Without an amount, the whole authorisation is captured. */
    public record CaptureRequest(AmountInput amount, String currency) {
    }

    @PostMapping
    @PreAuthorize("hasRole('user')")
    @Operation(summary = "Pay a merchant's order from the caller's wallet in the order's currency")
    public ResponseEntity<String> pay(@RequestBody PaymentRequest request, @AuthenticationPrincipal Jwt jwt,
                                      @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        Caller caller = Caller.from(jwt);
        UserId payer = caller.userId();
        String merchantText = Requests.reference("merchantId", request.merchantId());
        String orderNumber = Requests.reference("orderNumber", request.orderNumber());
        String description = Requests.optionalText("description", request.description(), 256);
        Currency currency = AmountParser.currency(Requests.required("currency", request.currency()));
        Money amount = Requests.required("amount", request.amount()).toMoney(currency.getCurrencyCode());
        properties.payments().requireWithinMaximum(amount);
        CaptureMode mode = captureMode(request.captureMode());
        MerchantId merchantId = new MerchantId(merchantText);
        MerchantOnboarded merchant = facts.merchant(merchantId)
                .orElseThrow(() -> new LedgerRejection("unknown_merchant", "no merchant " + merchantText));
        if (!merchant.settlementCurrency().equals(currency)) {
            throw new CurrencyMismatch(merchant.settlementCurrency(), currency);
        }
        PayMerchant command = new PayMerchant(WalletId.of(payer, currency), PaymentId.random(), merchantId,
                merchant.feeRateBasisPoints(), orderNumber, description, amount, mode,
                properties.payments().authorisationTtl(), clock.instant());
        return commands.send(new IdempotentRequest(command, caller.subject(), "POST", "/v1/payments", request,
                IdempotentCommands.scopes(List.of("payment-order:" + merchantId + ":" + orderNumber), caller.subject(), key),
                HttpStatus.CREATED, "wallet_not_found", "payment_already_exists"));
    }

    @PostMapping("/{paymentId}/capture")
    @PreAuthorize("hasRole('merchant')")
    @Operation(summary = "Capture an authorised payment, all of it or part; the rest is released to the payer")
    public ResponseEntity<String> capture(@PathVariable String paymentId,
                                          @RequestBody(required = false) CaptureRequest request,
                                          @AuthenticationPrincipal Jwt jwt,
                                          @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        Caller caller = Caller.from(jwt);
        Money amount = null;
        PaymentId payment = paymentId(paymentId);
        Currency currency = null;
        if (request != null && request.amount() != null) {
            amount = request.amount().toMoney(Requests.required("currency", request.currency()));
        } else if (request != null && request.currency() != null) {
            currency = AmountParser.currency(request.currency());
        }
        PaymentAuthorised paid = ownPayment(payment, caller, paymentId);
        if (currency != null && !paid.amount().currency().equals(currency)) {
            // A currency without an amount still has to be the payment's: capturing all of a CNY
            // payment on a request that says USD would be a guess.
            throw new CurrencyMismatch(paid.amount().currency(), currency);
        }
        return commands.send(new IdempotentRequest(
                new CapturePayment(payment, caller.merchant(), amount, clock.instant()), caller.subject(), "POST",
                "/v1/payments/" + paymentId + "/capture", request == null ? new CaptureRequest(null, null) : request,
                IdempotentCommands.scopes(List.of(), caller.subject(), key), HttpStatus.OK, "payment_not_found",
                "payment_already_exists"));
    }

    @PostMapping("/{paymentId}/void")
    @PreAuthorize("hasRole('merchant')")
    @Operation(summary = "Void an authorisation; the whole hold returns to the payer")
    public ResponseEntity<String> voidAuthorisation(@PathVariable String paymentId, @AuthenticationPrincipal Jwt jwt,
                                                    @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        Caller caller = Caller.from(jwt);
        PaymentId payment = paymentId(paymentId);
        ownPayment(payment, caller, paymentId);
        return commands.send(new IdempotentRequest(new VoidAuthorisation(payment, caller.merchant(), clock.instant()),
                caller.subject(), "POST", "/v1/payments/" + paymentId + "/void", "",
                IdempotentCommands.scopes(List.of(), caller.subject(), key), HttpStatus.OK, "payment_not_found",
                "payment_already_exists"));
    }

    @GetMapping("/{paymentId}")
    @PreAuthorize("hasAnyRole('user', 'merchant', 'finance')")
    @Operation(summary = "A payment, as its payer, its merchant or finance sees it")
    public PaymentView get(@PathVariable String paymentId, @AuthenticationPrincipal Jwt jwt) {
        Caller caller = Caller.from(jwt);
        return payments.byId(paymentId)
                .filter(view -> caller.isFinance() || caller.actsFor(view.merchantId())
                        || (caller.has("user") && caller.subject().equals(view.payerId())))
                .orElseThrow(() -> new LedgerRejection("payment_not_found", "no payment " + paymentId));
    }

    private static CaptureMode captureMode(String text) {
        if (text == null || text.equals("immediate")) {
            return CaptureMode.IMMEDIATE;
        }
        if (text.equals("manual")) {
            return CaptureMode.MANUAL;
        }
        throw new LedgerRejection("invalid_request", "captureMode must be 'immediate' or 'manual'");
    }

    /**
     * The payment if it is the calling merchant's. Someone else's payment and one that does not
     * exist are refused here alike, by the same lookup, before any command is sent: the two take
     * the same path and answer the same problem.
     */
    private PaymentAuthorised ownPayment(PaymentId payment, Caller caller, String text) {
        return paymentLookup.payment(payment).filter(paid -> paid.merchantId().equals(caller.merchant()))
                .orElseThrow(() -> new LedgerRejection("payment_not_found", "no payment " + text));
    }

    private static PaymentId paymentId(String text) {
        try {
            return new PaymentId(text);
        } catch (IllegalArgumentException e) {
            throw new LedgerRejection("payment_not_found", "no payment " + text);
        }
    }
}
