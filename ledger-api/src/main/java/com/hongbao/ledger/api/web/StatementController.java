package com.hongbao.ledger.api.web;

import com.hongbao.ledger.api.config.StaleCopyRetry;
import com.hongbao.ledger.api.directory.AggregateFacts;
import com.hongbao.ledger.api.security.Caller;
import com.hongbao.ledger.api.settlement.SettlementSweep;
import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.merchant.Merchant.MerchantOnboarded;
import com.hongbao.ledger.core.settlement.SettlementCommand.HoldPayouts;
import com.hongbao.ledger.projections.ledger.LedgerQueries;
import com.hongbao.ledger.projections.statement.BusinessCalendar;
import com.hongbao.ledger.projections.statement.StatementQueries;
import com.hongbao.ledger.projections.statement.StatementQueries.SettlementView;
import com.hongbao.ledger.projections.statement.StatementQueries.Statement;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * A merchant's daily statements (JSON, and the CSV bill for up to 31 days, streamed), its
 * settlements, and finance's hold on its payouts. A merchant sees only its own; finance sees all.
 */
@RestController
@Tag(name = "Statements and settlement")
public class StatementController {

    /** The most days one CSV download covers. */
    static final int MAX_BILL_DAYS = 31;
    /**
     * The most bills streamed at once: each holds a database connection and a transaction for as
     * long as its client reads, and the pool is shared with commands and event processors.
     */
    static final int MAX_CONCURRENT_BILLS = 4;

    private final Semaphore bills = new Semaphore(MAX_CONCURRENT_BILLS);

    private final StatementQueries statements;
    private final LedgerQueries ledger;
    private final AggregateFacts facts;
    private final CommandGateway commandGateway;
    private final BusinessCalendar calendar;
    private final SettlementSweep settlement;
    private final Clock clock;

    public StatementController(StatementQueries statements, LedgerQueries ledger, AggregateFacts facts,
                               CommandGateway commandGateway, BusinessCalendar calendar, SettlementSweep settlement,
                               Clock clock) {
        this.statements = statements;
        this.ledger = ledger;
        this.facts = facts;
        this.commandGateway = commandGateway;
        this.calendar = calendar;
        this.settlement = settlement;
        this.clock = clock;
    }

    /** A statement and whether its day has closed (a closed statement never changes). */
    public record DailyStatement(boolean closed, Statement statement) {
    }

    public record PayoutHoldRequest(Boolean held) {
    }

    public record PayoutHoldView(String merchantId, boolean held, boolean changed) {
    }

    public record SettlementRun(int settled) {
    }

    @GetMapping("/v1/merchants/{merchantId}/statements/{day}")
    @PreAuthorize("hasAnyRole('merchant', 'finance')")
    @Operation(summary = "One business day's statement: opening, totals, closing, settlement and a page of line items")
    public DailyStatement statement(@PathVariable String merchantId, @PathVariable String day,
                                    @RequestParam(required = false) String cursor,
                                    @RequestParam(required = false) Integer limit, @AuthenticationPrincipal Jwt jwt) {
        MerchantOnboarded merchant = visibleMerchant(merchantId, Caller.from(jwt));
        LocalDate businessDay = date("day", day);
        return new DailyStatement(calendar.isClosed(businessDay, clock.instant()),
                statements.statement(merchantId, businessDay, merchant.settlementCurrency().getCurrencyCode(), cursor,
                        Requests.pageSize(limit)));
    }

    @GetMapping(value = "/v1/merchants/{merchantId}/statements.csv", produces = "text/csv")
    @PreAuthorize("hasAnyRole('merchant', 'finance')")
    @Operation(summary = "The bill of business days [from, to] (at most 31) as CSV in WeChat Pay's daily bill layout, streamed")
    public ResponseEntity<StreamingResponseBody> bill(@PathVariable String merchantId, @RequestParam String from,
                                                      @RequestParam String to, @AuthenticationPrincipal Jwt jwt) {
        MerchantOnboarded merchant = visibleMerchant(merchantId, Caller.from(jwt));
        LocalDate first = date("from", from);
        LocalDate last = date("to", to);
        if (last.isBefore(first)) {
            throw new LedgerRejection("invalid_parameter", "to is before from");
        }
        if (ChronoUnit.DAYS.between(first, last) >= MAX_BILL_DAYS) {
            throw new LedgerRejection("bill_range_too_long", "a bill covers at most " + MAX_BILL_DAYS + " days");
        }
        String currency = merchant.settlementCurrency().getCurrencyCode();
        if (!bills.tryAcquire()) {
            throw new LedgerRejection("bill_downloads_busy", "too many bills are being downloaded; try again shortly");
        }
        StreamingResponseBody body = output -> {
            try {
                BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8),
                        64 * 1024);
                StatementCsv csv = new StatementCsv(writer, merchantId, calendar.zone());
                csv.header();
                statements.streamLines(merchantId, first, last, currency, csv::line);
                csv.summary(currency);
                writer.flush();
            } finally {
                bills.release();
            }
        };
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + merchantId + "_" + first + "_"
                        + last + ".csv\"")
                .body(body);
    }

    @GetMapping("/v1/merchants/{merchantId}/settlements")
    @PreAuthorize("hasAnyRole('merchant', 'finance')")
    @Operation(summary = "Settlements of business days [from, to]: net, carried in and out, payout, held")
    public List<SettlementView> settlements(@PathVariable String merchantId, @RequestParam String from,
                                            @RequestParam String to, @AuthenticationPrincipal Jwt jwt) {
        visibleMerchant(merchantId, Caller.from(jwt));
        LocalDate first = date("from", from);
        LocalDate last = date("to", to);
        if (last.isBefore(first) || ChronoUnit.DAYS.between(first, last) > 366) {
            throw new LedgerRejection("invalid_parameter", "from must not be after to, at most 366 days apart");
        }
        return statements.settlements(merchantId, first, last);
    }

    @PostMapping("/v1/finance/settlements/run")
    @PreAuthorize("hasRole('finance')")
    @Operation(summary = "Settle every due merchant day now, as the schedule would; safe to repeat (each day settles once)")
    public SettlementRun runSettlement() {
        return new SettlementRun(settlement.sweep());
    }

    @PutMapping("/v1/merchants/{merchantId}/payout-hold")
    @PreAuthorize("hasRole('finance')")
    @Operation(summary = "Hold (true) or release (false) a merchant's payouts; a release pays what held days accumulated")
    public PayoutHoldView hold(@PathVariable String merchantId, @RequestBody PayoutHoldRequest request) {
        MerchantOnboarded merchant = merchant(merchantId);
        boolean held = Requests.required("held", request.held());
        Boolean changed = StaleCopyRetry.sendAndWait(commandGateway, new HoldPayouts(merchant.merchantId(), held,
                ledger.creditedMinor("merchant:" + merchantId, merchant.settlementCurrency().getCurrencyCode()),
                clock.instant()));
        return new PayoutHoldView(merchantId, held, Boolean.TRUE.equals(changed));
    }

    private MerchantOnboarded visibleMerchant(String merchantId, Caller caller) {
        if (!caller.isFinance() && !caller.actsFor(merchantId)) {
            throw new LedgerRejection("merchant_not_found", "no merchant " + merchantId);
        }
        return merchant(merchantId);
    }

    private MerchantOnboarded merchant(String merchantId) {
        try {
            return facts.merchant(new MerchantId(merchantId))
                    .orElseThrow(() -> new LedgerRejection("merchant_not_found", "no merchant " + merchantId));
        } catch (IllegalArgumentException e) {
            throw new LedgerRejection("merchant_not_found", "no merchant " + merchantId);
        }
    }

    private static LocalDate date(String name, String text) {
        try {
            LocalDate date = LocalDate.parse(text);
            if (date.getYear() < 1970 || date.getYear() > 9999) {
                throw new DateTimeParseException("out of range", text, 0);
            }
            return date;
        } catch (DateTimeParseException e) {
            throw new LedgerRejection("invalid_parameter", name + " must be a date like 2026-11-22, from 1970 to 9999");
        }
    }
}
