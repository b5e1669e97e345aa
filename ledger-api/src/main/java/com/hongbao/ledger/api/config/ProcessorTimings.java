package com.hongbao.ledger.api.config;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * How fast a node takes over the segments of a node that died (ADR 0014): every segment within
 * the claim timeout plus a few seconds.
 *
 * <p>A live node keeps its claims fresh: the pooled processors' coordinator extends the claims of
 * busy work packages too (Axon's {@code enableCoordinatorClaimExtension}), and an idle work package
 * extends its claim after {@link #CLAIM_EXTENSION_THRESHOLD}, well inside the
 * {@link #CLAIM_TIMEOUT}. A claim older than the timeout therefore belongs to a node that is gone.
 *
 * <p>Axon's coordinator looks for claimable segments every token claim interval, but it skips a
 * segment it released itself after a failed batch until a back-off of up to 60 seconds has passed,
 * and after an error of its own it waits up to 60 seconds before coordinating again; neither back-off
 * can be configured in Axon 4.13. So {@link ExpiredClaimTakeover} checks the token table every
 * second for claims that have timed out and claims those segments through the processor's own
 * {@link StreamingEventProcessor#claimSegment(int)}, which disregards that back-off. A segment
 * that no node holds (released after errors) is left to the back-off, so a failing segment is not
 * retried in a loop.
 */
@Configuration(proxyBeanMethods = false)
public class ProcessorTimings {

    /** A claim not extended for this long is free for any node to take (the token store's claim timeout). */
    public static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(10);
    /** An idle work package extends its claim after this long; Axon's default is 5 s. */
    static final Duration CLAIM_EXTENSION_THRESHOLD = Duration.ofSeconds(3);
    /** How often the token table is checked for claims that timed out. */
    static final long TAKEOVER_CHECK_MILLIS = 1_000;

    /** Applies to every pooled streaming processor, before its settings from application.yml. */
    @Bean
    ConfigurerModule claimExtension() {
        return configurer -> configurer.eventProcessing().registerPooledStreamingEventProcessorConfiguration(
                (config, builder) -> builder
                        .claimExtensionThreshold(CLAIM_EXTENSION_THRESHOLD.toMillis())
                        .enableCoordinatorClaimExtension());
    }

    @Bean
    ExpiredClaimTakeover expiredClaimTakeover(EventProcessingConfiguration processing, JdbcTemplate jdbc,
                                              MeterRegistry registry) {
        return new ExpiredClaimTakeover(processing, jdbc, registry);
    }

    /**
     * Claims, for this node, every segment whose holder's claim has timed out, and counts each in
     * {@code ledger.processor.segment.takeovers} (tag processor): a node that died, or one stalled
     * for longer than the claim timeout.
     */
    public static class ExpiredClaimTakeover {

        private static final Logger LOG = LoggerFactory.getLogger(ExpiredClaimTakeover.class);

        private final EventProcessingConfiguration processing;
        private final JdbcTemplate jdbc;
        private final MeterRegistry registry;

        ExpiredClaimTakeover(EventProcessingConfiguration processing, JdbcTemplate jdbc, MeterRegistry registry) {
            this.processing = processing;
            this.jdbc = jdbc;
            this.registry = registry;
        }

        @Scheduled(initialDelay = TAKEOVER_CHECK_MILLIS, fixedDelay = TAKEOVER_CHECK_MILLIS)
        public void takeOverExpiredClaims() {
            try {
                Instant expired = Instant.now().minus(CLAIM_TIMEOUT);
                Map<String, List<Integer>> abandoned = new HashMap<>();
                jdbc.query("SELECT processor_name, segment, time_stamp FROM token_entry WHERE owner IS NOT NULL", row -> {
                    if (olderThan(row.getString(3), expired)) {
                        abandoned.computeIfAbsent(row.getString(1), name -> new ArrayList<>()).add(row.getInt(2));
                    }
                });
                abandoned.forEach((name, segments) -> processing.eventProcessor(name, EventProcessor.class)
                        .filter(processor -> processor instanceof StreamingEventProcessor && processor.isRunning())
                        .map(StreamingEventProcessor.class::cast)
                        .ifPresent(processor -> segments.forEach(segment -> {
                            if (!processor.processingStatus().containsKey(segment)) {
                                LOG.info("taking over segment {} of {}: its holder's claim timed out", segment, name);
                                processor.claimSegment(segment);
                                registry.counter("ledger.processor.segment.takeovers", "processor", name).increment();
                            }
                        })));
            } catch (RuntimeException e) {
                // The database away: the processors report it themselves; the next check tries again.
                LOG.debug("could not check for timed-out segment claims", e);
            }
        }

        private static boolean olderThan(String timestamp, Instant expired) {
            try {
                return timestamp != null && Instant.parse(timestamp).isBefore(expired);
            } catch (DateTimeParseException e) {
                return false;
            }
        }
    }
}
