package com.hongbao.ledger.api.web;

import com.hongbao.ledger.api.LedgerProperties;
import com.hongbao.ledger.api.finance.Reconciliation;
import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.account.AccountId;
import com.hongbao.ledger.core.account.MovementType;
import com.hongbao.ledger.core.money.AmountParser;
import com.hongbao.ledger.projections.ledger.FinanceReports;
import com.hongbao.ledger.projections.ledger.LedgerQueries;
import com.hongbao.ledger.projections.ledger.LedgerQueries.JournalFilter;
import com.hongbao.ledger.projections.ledger.LedgerQueries.PostingView;
import com.hongbao.ledger.projections.ledger.LedgerQueries.TrialBalanceLine;
import com.hongbao.ledger.projections.support.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Finance's view of the ledger: balances now and in the past, the journal and its searches, the
 * trial balance, reconciliation of everything derived from the journal, and the monthly report.
 */
@RestController
@RequestMapping("/v1")
@Tag(name = "Finance")
@PreAuthorize("hasRole('finance')")
public class FinanceController {

    private static final Pattern MONTH = Pattern.compile("[0-9]{4}-[0-9]{2}");

    private final LedgerQueries ledger;
    private final FinanceReports reports;
    private final Reconciliation reconciliation;
    private final ZoneId platformZone;

    public FinanceController(LedgerQueries ledger, FinanceReports reports, Reconciliation reconciliation,
                             LedgerProperties properties) {
        this.ledger = ledger;
        this.reports = reports;
        this.reconciliation = reconciliation;
        this.platformZone = properties.platform().timeZone();
    }

    public record AccountBalance(String accountId, Instant asOf, List<AccountAmount> balances) {
    }

    /**
     * An amount in the shape of every other amount here ({@code amount} as a decimal string, and
     * {@code currency}), of any size: a platform account sums over every wallet and merchant, and
     * may pass what a {@code long} of minor units holds.
     */
    public record AccountAmount(String amount, String currency) {

        static AccountAmount of(LedgerQueries.ExactBalance balance) {
            return of(balance.minor(), balance.currency());
        }

        static AccountAmount of(BigInteger minor, String currency) {
            int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
            return new AccountAmount(new BigDecimal(minor, digits).toPlainString(), currency);
        }
    }

    public record TrialBalance(List<TrialBalanceLine> currencies, boolean balanced) {
    }

    /**
     * The platform's figures for a calendar month in the platform's time zone: movements at or
     * after {@code from} and before {@code to}; receivables outstanding are as of {@code to}.
     */
    public record MonthlyReport(String month, String currency, String timeZone, Instant from, Instant to,
                                FinanceReports.PeriodFigures figures) {
    }

    @GetMapping("/accounts/{accountId}/balance")
    @Operation(summary = "An account's balance now, or as of a past instant (movements at or before it), "
            + "in every currency it holds")
    public AccountBalance balance(@PathVariable String accountId,
                                  @Parameter(description = "ISO-8601 instant") @RequestParam(required = false) String asOf) {
        String account = account(accountId);
        Instant at = Requests.instant("asOf", asOf);
        List<LedgerQueries.ExactBalance> current = ledger.balances(account);
        if (current.isEmpty()) {
            throw new LedgerRejection("account_not_found", "no postings to account " + accountId);
        }
        if (at == null) {
            return new AccountBalance(account, null, current.stream().map(AccountAmount::of).toList());
        }
        // Every currency the account holds, zero where it had no movement yet at that instant.
        Map<String, AccountAmount> past = new LinkedHashMap<>();
        current.forEach(balance -> past.put(balance.currency(), AccountAmount.of(BigInteger.ZERO, balance.currency())));
        ledger.balancesAsOf(account, at).forEach(balance -> past.put(balance.currency(), AccountAmount.of(balance)));
        return new AccountBalance(account, at, List.copyOf(past.values()));
    }

    @GetMapping("/journal")
    @Operation(summary = "Postings, newest first, filtered by account, merchant, user, movement type, time range "
            + "[from, to) and size: minAmount and maxAmount (inclusive, with currency) bound a posting's absolute amount")
    public Page<PostingView> journal(@RequestParam(required = false) String accountId,
                                     @Parameter(description = "postings on the merchant's settlement account")
                                     @RequestParam(required = false) String merchantId,
                                     @Parameter(description = "postings on the user's wallets in every currency")
                                     @RequestParam(required = false) String userId,
                                     @RequestParam(required = false) String movementType,
                                     @RequestParam(required = false) String from,
                                     @RequestParam(required = false) String to,
                                     @Parameter(description = "only postings in this currency; required with an amount bound")
                                     @RequestParam(required = false) String currency,
                                     @Parameter(description = "decimal, e.g. 10.00") @RequestParam(required = false) String minAmount,
                                     @Parameter(description = "decimal, e.g. 99.99") @RequestParam(required = false) String maxAmount,
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
        JournalSearch.Bounds bounds = JournalSearch.amountBounds(currency, minAmount, maxAmount);
        Instant fromInstant = Requests.instant("from", from);
        Instant toInstant = Requests.instant("to", to);
        Requests.requireOrdered("from", fromInstant, "to", toInstant);
        return ledger.journal(new JournalFilter(accountId == null ? null : account(accountId),
                        JournalSearch.accounts(merchantId, userId), movement, fromInstant, toInstant,
                        bounds.currency(), bounds.minMinor(), bounds.maxMinor()),
                cursor, Requests.pageSize(limit));
    }

    @GetMapping("/trial-balance")
    @Operation(summary = "Every account summed by type and currency; each currency totals zero")
    public TrialBalance trialBalance() {
        List<TrialBalanceLine> lines = ledger.trialBalance();
        return new TrialBalance(lines, lines.stream().allMatch(line -> line.totalMinor().signum() == 0));
    }

    @GetMapping("/finance/reconciliation")
    @Operation(summary = "Recomputes every account's balance and posting count from the journal and compares them with "
            + "the balances; each wallet's journal balance with its aggregate's available balance; each instalment "
            + "plan's outstanding amount with its receivable account. Changes nothing")
    public Reconciliation.Report reconciliation() {
        return reconciliation.run();
    }

    @GetMapping("/finance/reports/monthly")
    @Operation(summary = "The platform's figures for a calendar month in the platform's time zone: fee revenue, refunds, "
            + "red packets, instalment-plan fees, receivables and write-offs, campaign spend, merchant payouts")
    public MonthlyReport monthlyReport(@Parameter(description = "e.g. 2026-11") @RequestParam String month,
                                       @RequestParam(defaultValue = "CNY") String currency) {
        YearMonth period = month(month);
        String code = AmountParser.currency(currency).getCurrencyCode();
        Instant from = period.atDay(1).atStartOfDay(platformZone).toInstant();
        Instant to = period.plusMonths(1).atDay(1).atStartOfDay(platformZone).toInstant();
        return new MonthlyReport(period.toString(), code, platformZone.getId(), from, to,
                reports.period(code, from, to));
    }

    private static YearMonth month(String text) {
        if (MONTH.matcher(text).matches()) {
            try {
                YearMonth month = YearMonth.parse(text);
                // Years 1 to 9999, as for every instant the API takes; year 0 would start in year -1 UTC.
                if (month.getYear() >= 1) {
                    return month;
                }
            } catch (DateTimeParseException e) {
                // falls through to the rejection
            }
        }
        throw new LedgerRejection("invalid_parameter", "month must be a calendar month, e.g. 2026-11");
    }

    private static String account(String text) {
        try {
            return AccountId.parse(text).toString();
        } catch (IllegalArgumentException e) {
            throw new LedgerRejection("invalid_parameter", "accountId must look like type:owner, e.g. wallet:w_123");
        }
    }
}
