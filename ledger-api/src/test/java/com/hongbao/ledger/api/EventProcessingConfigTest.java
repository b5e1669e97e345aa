package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.support.ApiTest;
import java.util.List;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.junit.jupiter.api.Test;

class EventProcessingConfigTest extends ApiTest {

    private static final List<String> GROUPS = List.of("ledger", "payments", "wallets", "merchants", "payment-hold-release");

    @Test
    void every_processing_group_is_a_pooled_streaming_processor_that_retries_a_failed_event_instead_of_skipping_it() {
        for (String group : GROUPS) {
            assertThat(eventProcessing.eventProcessor(group, PooledStreamingEventProcessor.class))
                    .as("processor %s", group).isPresent();
            assertThat(eventProcessing.listenerInvocationErrorHandler(group))
                    .as("error handler of %s", group).isInstanceOf(PropagatingErrorHandler.class);
        }
    }
}
