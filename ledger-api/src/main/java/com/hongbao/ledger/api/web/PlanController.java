package com.hongbao.ledger.api.web;

import com.hongbao.ledger.api.LedgerProperties;
import com.hongbao.ledger.api.directory.AggregateFacts;
import com.hongbao.ledger.api.idempotency.IdempotentCommands;
import com.hongbao.ledger.api.idempotency.IdempotentRequest;
import com.hongbao.ledger.api.security.Caller;
import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.bnpl.InstalmentSchedule;
import com.hongbao.ledger.core.bnpl.PlanCommand.CheckoutWithPlan;
import com.hongbao.ledger.core.bnpl.PlanCommand.RepayPlan;
import com.hongbao.ledger.core.bnpl.PlanCommand.SetCreditLine;
import com.hongbao.ledger.core.bnpl.PlanEvent.CreditLineSet;
import com.hongbao.ledger.core.bnpl.PlanTerms;
import com.hongbao.ledger.core.bnpl.PlanType;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.merchant.Merchant.MerchantOnboarded;
import com.hongbao.ledger.core.money.AmountParser;
import com.hongbao.ledger.core.money.CurrencyMismatch;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentAuthorised;
import com.hongbao.ledger.projections.bnpl.BnplQueries;
import com.hongbao.ledger.projections.bnpl.BnplQueries.CreditView;
import com.hongbao.ledger.projections.bnpl.BnplQueries.PlanSummary;
import com.hongbao.ledger.projections.bnpl.BnplQueries.PlanView;
import com.hongbao.ledger.projections.bnpl.BnplQueries.Receivables;
import com.hongbao.ledger.projections.support.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Set;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Buy now, pay later: a buyer sees a plan's schedule before checkout, pays an order with a plan
 * (the merchant is paid at once), follows and repays their plans; finance sets credit lines and
 * reads plans by status, receivables and their ageing.
 */
@RestController
@Tag(name = "Buy now, pay later")
public class PlanController {

    private static final Set<String> STATUSES = Set.of("current", "overdue", "defaulted", "closed");

    private final IdempotentCommands commands;
    private final CommandGateway commandGateway;
    private final AggregateFacts facts;
    private final PaymentLookup paymentLookup;
    private final BnplQueries plans;
    private final LedgerProperties properties;
    private final Clock clock;

    public PlanController(IdempotentCommands commands, CommandGateway commandGateway, AggregateFacts facts,
                          PaymentLookup paymentLookup, BnplQueries plans, LedgerProperties properties, Clock clock) {
        this.paymentLookup = paymentLookup;
        this.commands = commands;
        this.commandGateway = commandGateway;
        this.facts = facts;
        this.plans = plans;
        this.properties = properties;
        this.clock = clock;
    }

    public record CheckoutRequest(String merchantId, String orderNumber, AmountInput amount, String currency,
                                  String plan, String description) {
    }

    /** Exactly one of: an amount (with its currency), a number of instalments, or {@code payOff: true}. */
    public record RepaymentRequest(AmountInput amount, String currency, Integer instalments, Boolean payOff) {
    }

    public record CreditLineRequest(AmountInput limit, String currency, Boolean frozen) {
    }

    /** The schedule a checkout would make now, the terms that would apply, and the buyer's credit. */
    public record Quote(InstalmentSchedule schedule, PlanTerms terms, Money dueAtCheckout, CreditView credit) {
    }

    @GetMapping("/v1/bnpl/quote")
    @PreAuthorize("hasRole('user')")
    @Operation(summary = "The schedule, fee and terms of paying an order with a plan, before checkout; changes nothing")
    public Quote quote(@RequestParam String merchantId, @RequestParam String amount, @RequestParam String currency,
                       @RequestParam String plan, @AuthenticationPrincipal Jwt jwt) {
        Caller caller = Caller.from(jwt);
        Currency orderCurrency = planCurrency(AmountParser.currency(currency));
        Money orderAmount = AmountParser.positive(amount, orderCurrency);
        properties.payments().requireWithinMaximum(orderAmount);
        merchant(merchantId, orderCurrency);
        PlanType type = planType(plan);
        requireEnoughForPlan(orderAmount, type);
        Instant now = clock.instant();
        InstalmentSchedule schedule = InstalmentSchedule.of(type, orderAmount,
                properties.bnpl().feeBasisPoints(type), now, properties.platform().timeZone());
        Money dueAtCheckout = type.firstDueAtCheckout() ? schedule.instalments().getFirst().amount()
                : Money.zero(orderCurrency);
        return new Quote(schedule, terms(orderCurrency), dueAtCheckout, credit(caller.userId(), orderCurrency));
    }

    @PostMapping("/v1/bnpl/checkouts")
    @PreAuthorize("hasRole('user')")
    @Operation(summary = "Pay a merchant's order with an instalment plan; the order number is the idempotency key")
    public ResponseEntity<String> checkout(@RequestBody CheckoutRequest request, @AuthenticationPrincipal Jwt jwt,
                                           @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        Caller caller = Caller.from(jwt);
        String merchantText = Requests.reference("merchantId", request.merchantId());
        String orderNumber = Requests.reference("orderNumber", request.orderNumber());
        String description = Requests.optionalText("description", request.description(), 256);
        Currency currency = planCurrency(AmountParser.currency(Requests.required("currency", request.currency())));
        Money amount = Requests.required("amount", request.amount()).toMoney(currency.getCurrencyCode());
        properties.payments().requireWithinMaximum(amount);
        PlanType type = planType(Requests.required("plan", request.plan()));
        MerchantOnboarded merchant = merchant(merchantText, currency);
        requireEnoughForPlan(amount, type);
        CheckoutWithPlan command = new CheckoutWithPlan(WalletId.of(caller.userId(), currency), PaymentId.random(),
                merchant.merchantId(), merchant.feeRateBasisPoints(), orderNumber, description, amount, type,
                properties.bnpl().feeBasisPoints(type), terms(currency), money(properties.bnpl().defaultCreditLimit(),
                currency), clock.instant());
        return commands.send(new IdempotentRequest(command, caller.subject(), "POST", "/v1/bnpl/checkouts", request,
                IdempotentCommands.scopes(List.of("payment-order:" + merchant.merchantId() + ":" + orderNumber),
                        caller.subject(), key),
                HttpStatus.CREATED, "wallet_not_found", "payment_already_exists"));
    }

    @GetMapping("/v1/bnpl/plans/{planId}")
    @PreAuthorize("hasAnyRole('user', 'merchant', 'finance')")
    @Operation(summary = "A plan and its instalments, as its buyer, its merchant or finance sees it")
    public PlanView plan(@PathVariable String planId, @AuthenticationPrincipal Jwt jwt) {
        Caller caller = Caller.from(jwt);
        return plans.plan(planId)
                .filter(view -> caller.isFinance() || caller.actsFor(view.plan().merchantId())
                        || (caller.has("user") && caller.subject().equals(view.plan().buyerId())))
                .orElseThrow(() -> planNotFound(planId));
    }

    @GetMapping("/v1/bnpl/plans")
    @PreAuthorize("hasAnyRole('user', 'finance')")
    @Operation(summary = "Plans, newest first: a user's own, or for finance every plan (or one user's), by status")
    public Page<PlanSummary> list(@RequestParam(required = false) String status,
                                  @RequestParam(required = false) String userId,
                                  @RequestParam(required = false) String cursor,
                                  @RequestParam(required = false) Integer limit, @AuthenticationPrincipal Jwt jwt) {
        Caller caller = Caller.from(jwt);
        if (status != null && !STATUSES.contains(status)) {
            throw new LedgerRejection("invalid_parameter", "status must be current, overdue, defaulted or closed");
        }
        int size = Requests.pageSize(limit);
        if (caller.isFinance()) {
            return userId == null ? plans.all(status, cursor, size) : plans.byBuyer(Requests.userIdParameter("userId", userId).value(), status, cursor, size);
        }
        if (userId != null && !userId.equals(caller.subject())) {
            // Not a filter a user may set: answering with their own plans would read as the other user's.
            throw new LedgerRejection("forbidden", "only finance lists another user's plans");
        }
        return plans.byBuyer(caller.subject(), status, cursor, size);
    }

    @PostMapping("/v1/bnpl/plans/{planId}/repayments")
    @PreAuthorize("hasRole('user')")
    @Operation(summary = "Pay towards a plan from the wallet, oldest instalment first: an amount, a number of"
            + " instalments, or everything; requires an Idempotency-Key")
    public ResponseEntity<String> repay(@PathVariable String planId, @RequestBody RepaymentRequest request,
                                        @AuthenticationPrincipal Jwt jwt,
                                        @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        Caller caller = Caller.from(jwt);
        Requests.requireIdempotencyKey(key, "a repayment");
        int given = (request.amount() != null ? 1 : 0) + (request.instalments() != null ? 1 : 0)
                + (Boolean.TRUE.equals(request.payOff()) ? 1 : 0);
        if (given != 1) {
            throw new LedgerRejection("invalid_request", "give exactly one of amount, instalments or payOff: true");
        }
        PaymentAuthorised paid = paymentLookup.payment(paymentId(planId))
                .filter(payment -> payment.payer().equals(caller.userId()))
                .orElseThrow(() -> planNotFound(planId));
        Currency currency = paid.amount().currency();
        Money amount = null;
        int instalments = 0;
        if (request.amount() != null) {
            amount = request.amount().toMoney(Requests.required("currency", request.currency()));
            if (!amount.currency().equals(currency)) {
                throw new CurrencyMismatch(currency, amount.currency());
            }
        } else if (request.instalments() != null) {
            instalments = request.instalments();
            if (instalments < 1 || instalments > PlanType.MONTHLY_12.instalments()) {
                throw new LedgerRejection("invalid_request", "instalments must be 1 to 12");
            }
        }
        RepayPlan command = new RepayPlan(paid.walletId(), paid.paymentId(), amount, instalments, clock.instant());
        return commands.send(new IdempotentRequest(command, caller.subject(), "POST",
                "/v1/bnpl/plans/" + planId + "/repayments", request,
                IdempotentCommands.scopes(List.of(), caller.subject(), key), HttpStatus.OK, "plan_not_found",
                "repayment_already_exists"));
    }

    @GetMapping("/v1/bnpl/credit")
    @PreAuthorize("hasRole('user')")
    @Operation(summary = "The caller's credit line: limit, what open plans use of it, what is available, whether frozen")
    public CreditView ownCredit(@AuthenticationPrincipal Jwt jwt) {
        return credit(Caller.from(jwt).userId(), properties.bnpl().currency());
    }

    @GetMapping("/v1/users/{userId}/credit-line")
    @PreAuthorize("hasRole('finance')")
    @Operation(summary = "A user's credit line")
    public CreditView creditLine(@PathVariable String userId) {
        return credit(userId(userId), properties.bnpl().currency());
    }

    @PutMapping("/v1/users/{userId}/credit-line")
    @PreAuthorize("hasRole('finance')")
    @Operation(summary = "Set a user's credit limit and whether their credit is frozen")
    public CreditLineSet setCreditLine(@PathVariable String userId, @RequestBody CreditLineRequest request) {
        UserId user = userId(userId);
        Currency currency = planCurrency(AmountParser.currency(Requests.required("currency", request.currency())));
        AmountInput input = Requests.required("limit", request.limit());
        Money limit = input.toNonNegativeMoney(currency.getCurrencyCode());
        WalletId walletId = WalletId.of(user, currency);
        facts.wallet(walletId).orElseThrow(() -> new LedgerRejection("wallet_not_found", "no wallet " + walletId));
        return commandGateway.sendAndWait(new SetCreditLine(walletId, limit,
                Requests.required("frozen", request.frozen()), clock.instant()));
    }

    @GetMapping("/v1/finance/bnpl/receivables")
    @PreAuthorize("hasRole('finance')")
    @Operation(summary = "What plans owe by status, their ageing by days past due, and the receivable accounts' balance")
    public Receivables receivables(@RequestParam(defaultValue = "CNY") String currency) {
        Currency code = AmountParser.currency(currency);
        return plans.receivables(code.getCurrencyCode(), LocalDate.ofInstant(clock.instant(),
                properties.platform().timeZone()));
    }

    private CreditView credit(UserId user, Currency currency) {
        return plans.credit(WalletId.of(user, currency).value(), user.value(),
                money(properties.bnpl().defaultCreditLimit(), currency));
    }

    /**
     * Plans are offered in one currency (configured; CNY by default), so a user has one credit line:
     * its limit and a freeze after a default cover every plan the user has.
     */
    private Currency planCurrency(Currency currency) {
        if (!currency.equals(properties.bnpl().currency())) {
            throw new LedgerRejection("plan_currency_not_supported", "instalment plans are offered in "
                    + properties.bnpl().currency().getCurrencyCode() + " only");
        }
        return currency;
    }

    private PlanTerms terms(Currency currency) {
        LedgerProperties.Bnpl bnpl = properties.bnpl();
        return new PlanTerms(money(bnpl.lateFee(), currency), bnpl.graceDays(), bnpl.lateFeeCapBasisPoints(),
                bnpl.defaultAfterDays(), properties.platform().timeZone());
    }

    private static Money money(java.math.BigDecimal amount, Currency currency) {
        return amount.signum() == 0 ? Money.zero(currency) : AmountParser.positive(amount.toPlainString(), currency);
    }

    private MerchantOnboarded merchant(String merchantId, Currency currency) {
        MerchantOnboarded merchant = facts.merchant(new MerchantId(Requests.reference("merchantId", merchantId)))
                .orElseThrow(() -> new LedgerRejection("unknown_merchant", "no merchant " + merchantId));
        if (!merchant.settlementCurrency().equals(currency)) {
            throw new CurrencyMismatch(merchant.settlementCurrency(), currency);
        }
        return merchant;
    }

    private static void requireEnoughForPlan(Money amount, PlanType type) {
        if (amount.minor() < type.instalments()) {
            throw new LedgerRejection("amount_too_small_for_plan", "a " + type.code()
                    + " plan needs at least one minor unit per instalment");
        }
    }

    private static PlanType planType(String code) {
        try {
            return PlanType.fromCode(code);
        } catch (IllegalArgumentException e) {
            throw new LedgerRejection("invalid_request", "plan must be pay_in_4, monthly_3, monthly_6 or monthly_12");
        }
    }

    private static UserId userId(String text) {
        try {
            return new UserId(text);
        } catch (IllegalArgumentException e) {
            throw new LedgerRejection("wallet_not_found", "no user " + text);
        }
    }

    private static PaymentId paymentId(String text) {
        try {
            return new PaymentId(text);
        } catch (IllegalArgumentException e) {
            throw planNotFound(text);
        }
    }

    private static LedgerRejection planNotFound(String planId) {
        return new LedgerRejection("plan_not_found", "no instalment plan " + planId);
    }
}
