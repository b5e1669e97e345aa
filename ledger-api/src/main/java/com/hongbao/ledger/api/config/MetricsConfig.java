package com.hongbao.ledger.api.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.function.Function;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.EventProcessorLatencyMonitor;
import org.axonframework.micrometer.MessageCountingMonitor;
import org.axonframework.micrometer.MessageTimerMonitor;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.MultiMessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Axon's Micrometer monitors on Spring Boot's registry, so they are exported at
 * {@code /actuator/prometheus}; wired here because Axon's auto-configuration for them orders itself
 * after Spring Boot 3 class names (it is excluded in application.yml).
 *
 * <ul>
 *   <li>{@code commandBus.*Timer} and {@code commandBus.*Counter}, tagged with the command's type:
 *       how long each command takes and how many fail;</li>
 *   <li>{@code eventProcessor.*Timer}, {@code eventProcessor.*Counter} and
 *       {@code eventProcessor.latency} (age of the last event handled), tagged with the processor's
 *       name only;</li>
 *   <li>{@code eventStore.*}: events published;</li>
 *   <li>per processor and segment, lag, claim and error state ({@link ProcessorSegmentMetrics}).</li>
 * </ul>
 *
 * <p>Axon's {@code GlobalMetricRegistry} would add a {@code CapacityMonitor} to each, which keeps
 * every measurement of the last ten minutes in a sorted map and allocates a reservoir per message:
 * too dear on the payment path, so the timers and counters are composed here without it. Event
 * timings are tagged by processor but not by event type, to keep the number of series small.
 *
 * <p>Axon's latency monitor registers its gauge again for every event; Micrometer logs one warning
 * per processor about it ("This Gauge has been already registered") and keeps the one gauge.
 */
@Configuration(proxyBeanMethods = false)
public class MetricsConfig {

    /** Percentiles of every Axon timer; Axon's default publishes six. */
    private static final double[] PERCENTILES = {0.5, 0.95, 0.99};

    @Bean
    ConfigurerModule axonMessageMonitors(MeterRegistry registry) {
        return configurer -> configurer.configureMessageMonitor(configuration -> (componentType, componentName) ->
                monitor(registry, componentType, componentName));
    }

    @Bean
    ProcessorSegmentMetrics processorSegmentMetrics(MeterRegistry registry, EventProcessingConfiguration processing,
                                                    JdbcTemplate jdbc) {
        return new ProcessorSegmentMetrics(registry, processing, jdbc);
    }

    @SuppressWarnings("unchecked")
    static MessageMonitor<Message<?>> monitor(MeterRegistry registry, Class<?> componentType, String componentName) {
        if (EventProcessor.class.isAssignableFrom(componentType)) {
            Function<Message<?>, Iterable<Tag>> processor = message -> Tags.of("processorName", componentName);
            List<MessageMonitor<? super EventMessage<?>>> monitors = List.of(
                    timer("eventProcessor", registry, processor),
                    EventProcessorLatencyMonitor.builder().meterNamePrefix("eventProcessor").meterRegistry(registry)
                            .tagsBuilder(processor).build(),
                    MessageCountingMonitor.buildMonitor("eventProcessor", registry, processor));
            // The configuration asks for a monitor of any message; a processor only ever passes it events.
            return (MessageMonitor<Message<?>>) (MessageMonitor<?>) new MultiMessageMonitor<EventMessage<?>>(monitors);
        }
        if (CommandBus.class.isAssignableFrom(componentType)) {
            Function<Message<?>, Iterable<Tag>> payloadType =
                    message -> Tags.of("payloadType", message.getPayloadType().getSimpleName());
            return new MultiMessageMonitor<>(List.of(
                    timer(componentName, registry, payloadType),
                    MessageCountingMonitor.buildMonitor(componentName, registry, payloadType)));
        }
        if (EventBus.class.isAssignableFrom(componentType)) {
            Function<Message<?>, Iterable<Tag>> none = message -> Tags.empty();
            return new MultiMessageMonitor<>(List.of(
                    timer(componentName, registry, none),
                    MessageCountingMonitor.buildMonitor(componentName, registry, none)));
        }
        return NoOpMessageMonitor.instance();
    }

    private static MessageTimerMonitor timer(String prefix, MeterRegistry registry,
                                             Function<Message<?>, Iterable<Tag>> tags) {
        return MessageTimerMonitor.builder().meterNamePrefix(prefix).meterRegistry(registry).tagsBuilder(tags)
                .timerCustomization(timer -> timer.publishPercentiles(PERCENTILES))
                .build();
    }
}
