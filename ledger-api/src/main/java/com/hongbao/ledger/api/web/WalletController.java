package com.hongbao.ledger.api.web;

import com.hongbao.ledger.api.directory.AggregateFacts;
import com.hongbao.ledger.api.idempotency.IdempotentCommands;
import com.hongbao.ledger.api.idempotency.IdempotentRequest;
import com.hongbao.ledger.api.security.Caller;
import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.account.AccountId;
import com.hongbao.ledger.core.account.AccountType;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.id.WithdrawalId;
import com.hongbao.ledger.core.money.AmountParser;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.wallet.WalletCommand.OpenWallet;
import com.hongbao.ledger.core.wallet.WalletCommand.TopUpWallet;
import com.hongbao.ledger.core.wallet.WalletCommand.WithdrawFromWallet;
import com.hongbao.ledger.projections.ledger.LedgerQueries;
import com.hongbao.ledger.projections.ledger.LedgerQueries.JournalFilter;
import com.hongbao.ledger.projections.ledger.LedgerQueries.PostingView;
import com.hongbao.ledger.projections.support.Page;
import com.hongbao.ledger.projections.wallet.WalletQueries;
import com.hongbao.ledger.projections.wallet.WalletQueries.WalletView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
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

/** Users' wallets: open, top up (from a bank, by admins), withdraw, balance and history. */
@RestController
@RequestMapping("/v1/wallets")
@Tag(name = "Wallets")
public class WalletController {

    private final IdempotentCommands commands;
    private final AggregateFacts facts;
    private final WalletQueries wallets;
    private final LedgerQueries ledger;
    private final Clock clock;

    public WalletController(IdempotentCommands commands, AggregateFacts facts, WalletQueries wallets,
                            LedgerQueries ledger, Clock clock) {
        this.commands = commands;
        this.facts = facts;
        this.wallets = wallets;
        this.ledger = ledger;
        this.clock = clock;
    }

    public record OpenWalletRequest(String currency) {
    }

    public record TopUpRequest(String bankReference, AmountInput amount, String currency) {
    }

    public record WithdrawalRequest(String bankAccountToken, AmountInput amount, String currency) {
    }

    @PostMapping
    @PreAuthorize("hasRole('user')")
    @Operation(summary = "Open the caller's wallet in a currency (one wallet per user and currency)")
    public ResponseEntity<String> open(@RequestBody OpenWalletRequest request, @AuthenticationPrincipal Jwt jwt,
                                       @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        Caller caller = Caller.from(jwt);
        UserId owner = caller.userId();
        var currency = AmountParser.currency(Requests.required("currency", request.currency()));
        WalletId walletId = WalletId.of(owner, currency);
        return commands.send(new IdempotentRequest(new OpenWallet(walletId, owner, currency, clock.instant()),
                caller.subject(), "POST", "/v1/wallets", request, IdempotentCommands.scopes(List.of(), caller.subject(), key),
                HttpStatus.CREATED, "wallet_not_found", "wallet_already_exists"));
    }

    @PostMapping("/{walletId}/top-ups")
    @PreAuthorize("hasRole('admin')")
    @Operation(summary = "Credit money received from a bank; the bank reference is the idempotency key")
    public ResponseEntity<String> topUp(@PathVariable String walletId, @RequestBody TopUpRequest request,
                                        @AuthenticationPrincipal Jwt jwt,
                                        @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        Caller caller = Caller.from(jwt);
        WalletId wallet = walletId(walletId);
        String bankReference = Requests.reference("bankReference", request.bankReference());
        Money amount = Requests.required("amount", request.amount()).toMoney(Requests.required("currency", request.currency()));
        // The bank's reference names the transfer whoever reports it, so the submitting admin is not
        // part of the request's identity: another admin's identical report gets the first response.
        return commands.send(new IdempotentRequest(new TopUpWallet(wallet, bankReference, amount, clock.instant()),
                "bank", "POST", "/v1/wallets/" + walletId + "/top-ups", request,
                IdempotentCommands.scopes(List.of("bank-top-up:" + bankReference), caller.subject(), key),
                HttpStatus.CREATED, "wallet_not_found", "wallet_already_exists"));
    }

    @PostMapping("/{walletId}/withdrawals")
    @PreAuthorize("hasRole('user')")
    @Operation(summary = "Withdraw to a bank account; requires an Idempotency-Key")
    public ResponseEntity<String> withdraw(@PathVariable String walletId, @RequestBody WithdrawalRequest request,
                                           @AuthenticationPrincipal Jwt jwt,
                                           @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        Caller caller = Caller.from(jwt);
        WalletId wallet = walletId(walletId);
        facts.ownedWallet(wallet, caller.userId());
        Requests.requireIdempotencyKey(key, "a withdrawal");
        String bankAccount = Requests.reference("bankAccountToken", request.bankAccountToken());
        Money amount = Requests.required("amount", request.amount()).toMoney(Requests.required("currency", request.currency()));
        return commands.send(new IdempotentRequest(
                new WithdrawFromWallet(wallet, WithdrawalId.random(), bankAccount, amount, clock.instant()),
                caller.subject(), "POST", "/v1/wallets/" + walletId + "/withdrawals", request,
                IdempotentCommands.scopes(List.of(), caller.subject(), key), HttpStatus.CREATED,
                "wallet_not_found", "wallet_already_exists"));
    }

    @GetMapping("/{walletId}")
    @PreAuthorize("hasAnyRole('user', 'finance')")
    @Operation(summary = "A wallet's available and held balance")
    public WalletView get(@PathVariable String walletId, @AuthenticationPrincipal Jwt jwt) {
        WalletId wallet = visibleWallet(walletId, Caller.from(jwt));
        return wallets.byId(wallet.value())
                .orElseThrow(() -> new LedgerRejection("wallet_not_found", "no wallet " + walletId));
    }

    @GetMapping("/{walletId}/history")
    @PreAuthorize("hasAnyRole('user', 'finance')")
    @Operation(summary = "A wallet's postings, newest first")
    public Page<PostingView> history(@PathVariable String walletId, @AuthenticationPrincipal Jwt jwt,
                                     @Parameter(description = "cursor from the previous page") @RequestParam(required = false) String cursor,
                                     @RequestParam(required = false) Integer limit) {
        WalletId wallet = visibleWallet(walletId, Caller.from(jwt));
        return ledger.journal(new JournalFilter(new AccountId(AccountType.WALLET, wallet.value()).toString(), null, null, null),
                cursor, Requests.pageSize(limit));
    }

    private WalletId visibleWallet(String walletId, Caller caller) {
        WalletId wallet = walletId(walletId);
        if (caller.isFinance()) {
            facts.wallet(wallet).orElseThrow(() -> new LedgerRejection("wallet_not_found", "no wallet " + walletId));
        } else {
            facts.ownedWallet(wallet, caller.userId());
        }
        return wallet;
    }

    private static WalletId walletId(String text) {
        try {
            return new WalletId(text);
        } catch (IllegalArgumentException e) {
            throw new LedgerRejection("wallet_not_found", "no wallet " + text);
        }
    }
}
