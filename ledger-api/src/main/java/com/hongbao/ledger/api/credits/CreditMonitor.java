package com.hongbao.ledger.api.credits;

import com.hongbao.ledger.api.finance.Reconciliation;
import com.hongbao.ledger.projections.ledger.ReconciliationQueries.Checked;
import com.hongbao.ledger.projections.ledger.ReconciliationQueries.Difference;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Retries parked credits on a schedule and keeps the metrics that show money waiting:
 * {@code ledger.credits.parked} (credits in the dead-letter queue) and
 * {@code ledger.clearing.aged.amount} / {@code ledger.clearing.aged.items} (money due out of clearing
 * or escrow longer than the reconciliation's threshold, by kind and currency, in major units). The
 * gauges hold the last figures read, so a scrape never queries the database.
 */
public class CreditMonitor {

    private static final Logger log = LoggerFactory.getLogger(CreditMonitor.class);
    /** Aged items read per refresh for the gauges; their count is always exact. */
    private static final int AGED_LISTED = 10_000;

    private final ParkedCredits parkedCredits;
    private final Reconciliation reconciliation;
    private final AtomicLong parked = new AtomicLong();
    private final AtomicLong agedTotal = new AtomicLong();
    private final MultiGauge agedAmount;
    private final MultiGauge agedItems;

    public CreditMonitor(ParkedCredits parkedCredits, Reconciliation reconciliation, MeterRegistry registry) {
        this.parkedCredits = parkedCredits;
        this.reconciliation = reconciliation;
        Gauge.builder("ledger.credits.parked", parked, AtomicLong::get)
                .description("Credits parked in the dead-letter queue, waiting for their wallet").register(registry);
        Gauge.builder("ledger.clearing.aged.total", agedTotal, AtomicLong::get)
                .description("Items of money due out of clearing or escrow longer than the threshold").register(registry);
        agedAmount = MultiGauge.builder("ledger.clearing.aged.amount")
                .description("Money due out of clearing or escrow longer than the threshold, in major units")
                .register(registry);
        agedItems = MultiGauge.builder("ledger.clearing.aged.items")
                .description("Items of money due out of clearing or escrow longer than the threshold").register(registry);
    }

    /** Retries parked credits, then refreshes the parked count. */
    @Scheduled(fixedDelayString = "${ledger.credits.retry-interval:PT5S}",
            initialDelayString = "${ledger.credits.retry-interval:PT5S}")
    public void retryParked() {
        try {
            parkedCredits.retry();
            parked.set(parkedCredits.count());
        } catch (RuntimeException e) {
            log.warn("retrying parked credits failed: {}", e.toString());
        }
    }

    /** Reads the money aged in clearing for the gauges. */
    @Scheduled(fixedDelayString = "${ledger.credits.aged-refresh-interval:PT30S}",
            initialDelayString = "${ledger.credits.aged-refresh-interval:PT30S}")
    public void refreshAged() {
        try {
            refresh(reconciliation.agedClearing(AGED_LISTED));
        } catch (RuntimeException e) {
            log.warn("reading money aged in clearing failed: {}", e.toString());
        }
    }

    /** The figures as of the last refresh: parked credits. */
    public long parked() {
        return parked.get();
    }

    /** The figures as of the last refresh: items aged in clearing. */
    public long aged() {
        return agedTotal.get();
    }

    private void refresh(Checked aged) {
        Map<List<String>, long[]> byKind = new TreeMap<>((a, b) -> String.join("/", a).compareTo(String.join("/", b)));
        for (Difference difference : aged.differences()) {
            long[] sums = byKind.computeIfAbsent(List.of(difference.code(), difference.currency()), key -> new long[2]);
            sums[0] += difference.journal();
            sums[1]++;
        }
        List<MultiGauge.Row<?>> amounts = new ArrayList<>();
        List<MultiGauge.Row<?>> items = new ArrayList<>();
        byKind.forEach((key, sums) -> {
            Tags tags = Tags.of("kind", key.get(0), "currency", key.get(1));
            int digits = Math.max(0, java.util.Currency.getInstance(key.get(1)).getDefaultFractionDigits());
            double major = sums[0] / Math.pow(10, digits);
            amounts.add(MultiGauge.Row.of(tags, major));
            items.add(MultiGauge.Row.of(tags, sums[1]));
        });
        agedAmount.register(amounts, true);
        agedItems.register(items, true);
        agedTotal.set(aged.mismatched());
    }
}
