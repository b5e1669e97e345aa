package com.hongbao.ledger.api.web;

import com.hongbao.ledger.api.directory.AggregateFacts;
import com.hongbao.ledger.api.idempotency.IdempotentCommands;
import com.hongbao.ledger.api.idempotency.IdempotentRequest;
import com.hongbao.ledger.api.security.Caller;
import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.account.AccountId;
import com.hongbao.ledger.core.account.AccountType;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.merchant.Merchant;
import com.hongbao.ledger.core.merchant.Merchant.OnboardMerchant;
import com.hongbao.ledger.core.money.AmountParser;
import com.hongbao.ledger.projections.ledger.LedgerQueries;
import com.hongbao.ledger.projections.ledger.LedgerQueries.JournalFilter;
import com.hongbao.ledger.projections.ledger.LedgerQueries.PostingView;
import com.hongbao.ledger.projections.merchant.MerchantQueries;
import com.hongbao.ledger.projections.merchant.MerchantQueries.MerchantView;
import com.hongbao.ledger.projections.payment.PaymentQueries;
import com.hongbao.ledger.projections.payment.PaymentQueries.PaymentView;
import com.hongbao.ledger.projections.support.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Merchants: onboarding (admins), settlement balance, history and payments (the merchant itself, finance). */
@RestController
@RequestMapping("/v1/merchants")
@Tag(name = "Merchants")
public class MerchantController {

    private final IdempotentCommands commands;
    private final AggregateFacts facts;
    private final MerchantQueries merchants;
    private final PaymentQueries payments;
    private final LedgerQueries ledger;
    private final Clock clock;

    public MerchantController(IdempotentCommands commands, AggregateFacts facts, MerchantQueries merchants,
                              PaymentQueries payments, LedgerQueries ledger, Clock clock) {
        this.commands = commands;
        this.facts = facts;
        this.merchants = merchants;
        this.payments = payments;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** {@code feeRateBasisPoints} defaults to 60 (0.6%), {@code settlementCurrency} to CNY. */
    public record OnboardRequest(String merchantId, String name, Integer feeRateBasisPoints, String settlementCurrency) {
    }

    @PostMapping
    @PreAuthorize("hasRole('admin')")
    @Operation(summary = "Onboard a merchant with a fee rate in basis points")
    public ResponseEntity<String> onboard(@RequestBody OnboardRequest request, @AuthenticationPrincipal Jwt jwt,
                                          @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        Caller caller = Caller.from(jwt);
        MerchantId merchantId = new MerchantId(Requests.reference("merchantId", request.merchantId()));
        String name = Requests.required("name", request.name());
        if (name.isBlank()) {
            throw new LedgerRejection("invalid_request", "field 'name' must not be blank");
        }
        Requests.optionalText("name", name, 200);
        int feeRate = request.feeRateBasisPoints() == null ? Merchant.DEFAULT_FEE_RATE_BASIS_POINTS
                : request.feeRateBasisPoints();
        var currency = AmountParser.currency(request.settlementCurrency() == null ? "CNY" : request.settlementCurrency());
        return commands.send(new IdempotentRequest(
                new OnboardMerchant(merchantId, name, feeRate, currency, clock.instant()), caller.subject(), "POST",
                "/v1/merchants", request, IdempotentCommands.scopes(List.of(), caller.subject(), key),
                HttpStatus.CREATED, "merchant_not_found", "merchant_already_exists"));
    }

    @GetMapping("/{merchantId}")
    @PreAuthorize("hasAnyRole('merchant', 'finance', 'admin')")
    @Operation(summary = "A merchant's terms and settlement balance")
    public MerchantView get(@PathVariable String merchantId, @AuthenticationPrincipal Jwt jwt) {
        visible(merchantId, Caller.from(jwt));
        return merchants.byId(merchantId)
                .orElseThrow(() -> new LedgerRejection("merchant_not_found", "no merchant " + merchantId));
    }

    @GetMapping("/{merchantId}/history")
    @PreAuthorize("hasAnyRole('merchant', 'finance', 'admin')")
    @Operation(summary = "A merchant's settlement postings, newest first")
    public Page<PostingView> history(@PathVariable String merchantId, @AuthenticationPrincipal Jwt jwt,
                                     @RequestParam(required = false) String cursor,
                                     @RequestParam(required = false) Integer limit) {
        MerchantId merchant = visible(merchantId, Caller.from(jwt));
        return ledger.journal(new JournalFilter(new AccountId(AccountType.MERCHANT_SETTLEMENT, merchant.value()).toString(),
                null, null, null), cursor, Requests.pageSize(limit));
    }

    @GetMapping("/{merchantId}/payments")
    @PreAuthorize("hasAnyRole('merchant', 'finance', 'admin')")
    @Operation(summary = "A merchant's payments, newest first")
    public Page<PaymentView> payments(@PathVariable String merchantId, @AuthenticationPrincipal Jwt jwt,
                                      @RequestParam(required = false) String cursor,
                                      @RequestParam(required = false) Integer limit) {
        MerchantId merchant = visible(merchantId, Caller.from(jwt));
        return payments.byMerchant(merchant.value(), cursor, Requests.pageSize(limit));
    }

    private MerchantId visible(String merchantId, Caller caller) {
        if (!(caller.isFinance() || caller.has("admin") || caller.actsFor(merchantId))) {
            throw new LedgerRejection("merchant_not_found", "no merchant " + merchantId);
        }
        try {
            MerchantId merchant = new MerchantId(merchantId);
            facts.merchant(merchant).orElseThrow(() -> new LedgerRejection("merchant_not_found", "no merchant " + merchantId));
            return merchant;
        } catch (IllegalArgumentException e) {
            throw new LedgerRejection("merchant_not_found", "no merchant " + merchantId);
        }
    }
}
