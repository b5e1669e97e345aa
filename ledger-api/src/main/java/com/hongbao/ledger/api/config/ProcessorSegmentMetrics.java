package com.hongbao.ledger.api.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Per event processor and segment, what Axon's monitors do not show: how far each segment is
 * behind the head of the event store, which segments this node holds, which are in error, and how
 * many no node holds. Refreshed every few seconds from the processors' own status and the token
 * table (a handful of rows), never on the command path.
 *
 * <ul>
 *   <li>{@code ledger.processor.segment.lag} (processor, segment): events between the head of the
 *       event store and the segment's position, for the segments this node holds;</li>
 *   <li>{@code ledger.processor.segment.claimed} (processor, segment): 1 for each segment this node
 *       holds (the sum over nodes is the number of segments held);</li>
 *   <li>{@code ledger.processor.segment.error} (processor, segment): 1 while the segment's last batch
 *       failed and it waits to retry;</li>
 *   <li>{@code ledger.processor.segments.unclaimed} (processor): segments in the token table that no
 *       node holds, or whose holder's claim has timed out; more than 0 for longer than a takeover
 *       (claim timeout + 5 s) means a segment is not being processed.</li>
 * </ul>
 */
public class ProcessorSegmentMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorSegmentMetrics.class);

    private final EventProcessingConfiguration processing;
    private final JdbcTemplate jdbc;
    private final MultiGauge lag;
    private final MultiGauge claimed;
    private final MultiGauge errors;
    private final MultiGauge unclaimed;

    ProcessorSegmentMetrics(MeterRegistry registry, EventProcessingConfiguration processing, JdbcTemplate jdbc) {
        this.processing = processing;
        this.jdbc = jdbc;
        this.lag = MultiGauge.builder("ledger.processor.segment.lag").baseUnit("events")
                .description("events between the head of the event store and the segment's position (segments held by this node)")
                .register(registry);
        this.claimed = MultiGauge.builder("ledger.processor.segment.claimed")
                .description("1 for each segment this node holds").register(registry);
        this.errors = MultiGauge.builder("ledger.processor.segment.error")
                .description("1 while the segment's last batch failed").register(registry);
        this.unclaimed = MultiGauge.builder("ledger.processor.segments.unclaimed")
                .description("segments no node holds, or whose claim has timed out").register(registry);
    }

    /** Reads the processors' status and the token table and replaces every gauge's rows. */
    @Scheduled(initialDelay = 1_000, fixedDelay = 5_000)
    public void refresh() {
        try {
            long head = jdbc.queryForObject("SELECT COALESCE(MAX(global_index), -1) FROM event_entry", Long.class);
            List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
            List<MultiGauge.Row<?>> claimedRows = new ArrayList<>();
            List<MultiGauge.Row<?>> errorRows = new ArrayList<>();
            Map<String, Integer> unclaimedCounts = new HashMap<>();
            for (EventProcessor processor : processing.eventProcessors().values()) {
                if (!(processor instanceof StreamingEventProcessor streaming)) {
                    continue;
                }
                unclaimedCounts.put(processor.getName(), 0);
                for (Map.Entry<Integer, EventTrackerStatus> entry : streaming.processingStatus().entrySet()) {
                    Tags tags = Tags.of("processor", processor.getName(), "segment", Integer.toString(entry.getKey()));
                    EventTrackerStatus status = entry.getValue();
                    long position = status.getCurrentPosition().orElse(-1);
                    lagRows.add(MultiGauge.Row.of(tags, Math.max(0, head - position)));
                    claimedRows.add(MultiGauge.Row.of(tags, 1));
                    errorRows.add(MultiGauge.Row.of(tags, status.isErrorState() ? 1 : 0));
                }
            }
            Instant expired = Instant.now().minus(ProcessorTimings.CLAIM_TIMEOUT);
            jdbc.query("SELECT processor_name, owner, time_stamp FROM token_entry", row -> {
                String name = row.getString(1);
                if (unclaimedCounts.containsKey(name) && !held(row.getString(2), row.getString(3), expired)) {
                    unclaimedCounts.merge(name, 1, Integer::sum);
                }
            });
            lag.register(lagRows, true);
            claimed.register(claimedRows, true);
            errors.register(errorRows, true);
            List<MultiGauge.Row<?>> unclaimedRows = new ArrayList<>();
            unclaimedCounts.forEach((name, count) -> unclaimedRows.add(MultiGauge.Row.of(Tags.of("processor", name), count)));
            unclaimed.register(unclaimedRows, true);
        } catch (RuntimeException e) {
            // The database away shows in the pool's and the processors' metrics; the gauges keep their last values.
            LOG.debug("could not refresh the processor segment metrics", e);
        }
    }

    private static boolean held(String owner, String timestamp, Instant expired) {
        if (owner == null) {
            return false;
        }
        try {
            return Instant.parse(timestamp).isAfter(expired);
        } catch (DateTimeParseException | NullPointerException e) {
            return true;
        }
    }
}
