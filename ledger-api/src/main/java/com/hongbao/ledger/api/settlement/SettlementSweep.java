package com.hongbao.ledger.api.settlement;

import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.settlement.SettlementCommand.SettleMerchantDay;
import com.hongbao.ledger.projections.ledger.LedgerQueries;
import com.hongbao.ledger.projections.statement.BusinessCalendar;
import com.hongbao.ledger.projections.statement.StatementQueries;
import com.hongbao.ledger.projections.statement.StatementQueries.DueSettlement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Settles closed business days (T+1): every merchant day that has statement lines and is later
 * than the merchant's last settled day gets a {@link SettleMerchantDay} with the day's net, in day
 * order. The merchant's aggregate settles each day once and only in order, so a run that failed
 * half-way, a restart, or two nodes running at once settle nothing twice; a merchant whose day
 * fails is left for the next run, and its later days with it, so no day is ever skipped.
 */
public class SettlementSweep {

    private static final Logger LOG = LoggerFactory.getLogger(SettlementSweep.class);
    private static final int BATCH = 1_000;

    private final StatementQueries statements;
    private final LedgerQueries ledger;
    private final CommandGateway commandGateway;
    private final BusinessCalendar calendar;
    private final Duration settleDelay;
    private final Clock clock;

    public SettlementSweep(StatementQueries statements, LedgerQueries ledger, CommandGateway commandGateway,
                           BusinessCalendar calendar, Duration settleDelay, Clock clock) {
        this.statements = statements;
        this.ledger = ledger;
        this.commandGateway = commandGateway;
        this.calendar = calendar;
        this.settleDelay = settleDelay;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${ledger.settlement.sweep-interval:PT5M}",
            initialDelayString = "${ledger.settlement.sweep-interval:PT5M}")
    public void scheduled() {
        sweep();
    }

    /** Settles every due merchant day at the clock's current instant; returns how many were settled now. */
    public int sweep() {
        Instant now = clock.instant();
        int settled = 0;
        List<DueSettlement> due;
        Set<String> failedMerchants = new HashSet<>();
        int attempted = 0;
        do {
            due = statements.dueSettlements(calendar.lastClosedDay(now.minus(settleDelay)), BATCH);
            int before = settled;
            for (DueSettlement day : due) {
                if (failedMerchants.contains(day.merchantId())) {
                    continue;
                }
                attempted++;
                try {
                    Boolean done = commandGateway.sendAndWait(new SettleMerchantDay(new MerchantId(day.merchantId()),
                            day.day(), day.net(), ledger.creditedMinor("merchant:" + day.merchantId(),
                                    day.net().currency().getCurrencyCode()), now));
                    if (Boolean.TRUE.equals(done)) {
                        settled++;
                    }
                } catch (RuntimeException e) {
                    LOG.warn("could not settle {} for {}; the next run retries it", day.day(), day.merchantId(), e);
                    failedMerchants.add(day.merchantId());
                }
            }
            // The read model shows a settlement only once its event is processed: one pass is enough,
            // unless a full page may have hidden more days; then wait for the page to change.
            if (due.size() < BATCH || settled == before) {
                break;
            }
        } while (attempted < 100 * BATCH);
        return settled;
    }
}
