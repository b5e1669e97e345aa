package com.hongbao.ledger.api.web;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.account.AccountId;
import com.hongbao.ledger.core.account.MovementType;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.projections.ledger.LedgerQueries;
import com.hongbao.ledger.projections.ledger.LedgerQueries.JournalFilter;
import com.hongbao.ledger.projections.ledger.LedgerQueries.PostingView;
import com.hongbao.ledger.projections.ledger.LedgerQueries.TrialBalanceLine;
import com.hongbao.ledger.projections.support.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Finance's view of the ledger: balances now and in the past, the journal and the trial balance. */
@RestController
@RequestMapping("/v1")
@Tag(name = "Finance")
@PreAuthorize("hasRole('finance')")
public class FinanceController {

    private final LedgerQueries ledger;

    public FinanceController(LedgerQueries ledger) {
        this.ledger = ledger;
    }

    public record AccountBalance(String accountId, Instant asOf, List<Money> balances) {
    }

    public record TrialBalance(List<TrialBalanceLine> currencies, boolean balanced) {
    }

    @GetMapping("/accounts/{accountId}/balance")
    @Operation(summary = "An account's balance now, or as of a past instant (movements at or before it), "
            + "in every currency it holds")
    public AccountBalance balance(@PathVariable String accountId,
                                  @Parameter(description = "ISO-8601 instant") @RequestParam(required = false) String asOf) {
        String account = account(accountId);
        Instant at = Requests.instant("asOf", asOf);
        List<Money> current = ledger.balances(account);
        if (current.isEmpty()) {
            throw new LedgerRejection("account_not_found", "no postings to account " + accountId);
        }
        if (at == null) {
            return new AccountBalance(account, null, current);
        }
        // Every currency the account holds, zero where it had no movement yet at that instant.
        Map<Currency, Money> past = new LinkedHashMap<>();
        current.forEach(money -> past.put(money.currency(), Money.zero(money.currency())));
        ledger.balancesAsOf(account, at).forEach(money -> past.put(money.currency(), money));
        return new AccountBalance(account, at, List.copyOf(past.values()));
    }

    @GetMapping("/journal")
    @Operation(summary = "Postings, newest first, filtered by account, movement type and time range [from, to)")
    public Page<PostingView> journal(@RequestParam(required = false) String accountId,
                                     @RequestParam(required = false) String movementType,
                                     @RequestParam(required = false) String from,
                                     @RequestParam(required = false) String to,
                                     @RequestParam(required = false) String cursor,
                                     @RequestParam(required = false) Integer limit) {
        String movement = null;
        if (movementType != null) {
            try {
                movement = MovementType.fromCode(movementType).code();
            } catch (IllegalArgumentException e) {
                throw new LedgerRejection("invalid_parameter", "unknown movementType " + movementType);
            }
        }
        return ledger.journal(new JournalFilter(accountId == null ? null : account(accountId), movement,
                Requests.instant("from", from), Requests.instant("to", to)), cursor, Requests.pageSize(limit));
    }

    @GetMapping("/trial-balance")
    @Operation(summary = "Every account summed by type and currency; each currency totals zero")
    public TrialBalance trialBalance() {
        List<TrialBalanceLine> lines = ledger.trialBalance();
        return new TrialBalance(lines, lines.stream().allMatch(line -> line.totalMinor() == 0));
    }

    private static String account(String text) {
        try {
            return AccountId.parse(text).toString();
        } catch (IllegalArgumentException e) {
            throw new LedgerRejection("invalid_parameter", "accountId must look like type:owner, e.g. wallet:w_123");
        }
    }
}
