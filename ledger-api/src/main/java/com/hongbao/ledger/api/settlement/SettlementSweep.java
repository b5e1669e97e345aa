package com.hongbao.ledger.api.settlement;

import com.hongbao.ledger.api.config.StaleCopyRetry;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.settlement.SettlementCommand.SettleMerchantDay;
import com.hongbao.ledger.projections.ledger.LedgerQueries;
import com.hongbao.ledger.projections.statement.BusinessCalendar;
import com.hongbao.ledger.projections.statement.StatementQueries;
import com.hongbao.ledger.projections.statement.StatementQueries.ClosedDay;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Settles closed business days (T+1). For each merchant with something to settle it sends, day by
 * day in order, a {@link SettleMerchantDay} with what the merchant's statements moved up to that
 * day; the merchant settles the part no earlier settlement covered. It settles each day once and
 * only in order, so a run that failed half-way, a restart, or two nodes running at once settle
 * nothing twice; a merchant whose day fails is left for the next run, its later days with it, so no
 * day is skipped. A line that reached a day after it was settled is settled with the next day, and a
 * positive amount left carried (the balance could not cover it) is retried on the next day.
 *
 * <p>Nothing is settled while the statements read model is replaying: its day totals are then
 * incomplete.
 */
public class SettlementSweep {

    private static final Logger LOG = LoggerFactory.getLogger(SettlementSweep.class);
    private static final int BATCH = 500;

    private final StatementQueries statements;
    private final LedgerQueries ledger;
    private final CommandGateway commandGateway;
    private final BusinessCalendar calendar;
    private final Duration settleDelay;
    private final BooleanSupplier statementsCurrent;
    private final Clock clock;

    /**
     * @param statementsCurrent whether the statements read model is processing live events (not
     *                          stopped, not replaying)
     */
    public SettlementSweep(StatementQueries statements, LedgerQueries ledger, CommandGateway commandGateway,
                           BusinessCalendar calendar, Duration settleDelay, BooleanSupplier statementsCurrent,
                           Clock clock) {
        this.statements = statements;
        this.ledger = ledger;
        this.commandGateway = commandGateway;
        this.calendar = calendar;
        this.settleDelay = settleDelay;
        this.statementsCurrent = statementsCurrent;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${ledger.settlement.sweep-interval:PT5M}",
            initialDelayString = "${ledger.settlement.sweep-interval:PT5M}")
    public void scheduled() {
        sweep();
    }

    /** Settles every due merchant day at the clock's current instant; returns how many were settled now. */
    public int sweep() {
        if (!statementsCurrent.getAsBoolean()) {
            LOG.info("the statements read model is not current (stopped or replaying); settlement waits");
            return 0;
        }
        Instant now = clock.instant();
        LocalDate lastClosedDay = calendar.lastClosedDay(now.minus(settleDelay));
        int settled = 0;
        String after = "";
        List<String> merchants;
        do {
            merchants = statements.merchantsDueSettlement(lastClosedDay, after, BATCH);
            for (String merchantId : merchants) {
                settled += settle(merchantId, lastClosedDay, now);
            }
            if (!merchants.isEmpty()) {
                after = merchants.getLast();
            }
        } while (merchants.size() == BATCH);
        return settled;
    }

    /** Settles one merchant's due days in order; stops at the first that fails. */
    private int settle(String merchantId, LocalDate lastClosedDay, Instant now) {
        LocalDate lastSettled = statements.lastSettledDay(merchantId).orElse(null);
        List<ClosedDay> days = statements.closedDays(merchantId, lastClosedDay);
        if (days.isEmpty()) {
            return 0;
        }
        List<ClosedDay> due = new ArrayList<>();
        for (ClosedDay day : days) {
            if (day.active() && (lastSettled == null || day.day().isAfter(lastSettled))) {
                due.add(day);
            }
        }
        if (due.isEmpty()) {
            // A late line on a settled day, or a carried amount to retry: settled with the last closed day.
            due.add(new ClosedDay(lastClosedDay, days.getLast().cumulativeNet(), false));
        }
        int settled = 0;
        for (ClosedDay day : due) {
            try {
                // Merchants are cached: another node's settlement or refund can make this copy stale.
                Boolean done = StaleCopyRetry.sendAndWait(commandGateway, new SettleMerchantDay(new MerchantId(merchantId),
                        day.day(), day.cumulativeNet(), ledger.creditedMinor("merchant:" + merchantId,
                                day.cumulativeNet().currency().getCurrencyCode()), now));
                if (Boolean.TRUE.equals(done)) {
                    settled++;
                }
            } catch (RuntimeException e) {
                LOG.warn("could not settle {} for {}; the next run retries it", day.day(), merchantId, e);
                return settled;
            }
        }
        return settled;
    }
}
