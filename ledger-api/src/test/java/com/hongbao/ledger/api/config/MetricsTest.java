package com.hongbao.ledger.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.support.ApiTest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Operators see the processors and the command bus at {@code /actuator/prometheus}: Axon's command
 * timers and processor monitors, and lag, claims and errors per processor and segment.
 */
class MetricsTest extends ApiTest {

    @Autowired
    ProcessorSegmentMetrics segmentMetrics;

    @Test
    void a_payment_shows_in_the_command_timer_and_every_processor_segment_shows_its_lag_and_claim() {
        String merchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "10.00");
        double paymentsBefore = commandCount(scrape(), "PayMerchant");
        expectStatus(pay(payer, merchant, "order-1", "2.00", "immediate"), 201);
        awaitProcessorsCaughtUp();
        segmentMetrics.refresh();

        String metrics = scrape();
        assertThat(commandCount(metrics, "PayMerchant")).as("payments timed by the command bus")
                .isEqualTo(paymentsBefore + 1);
        assertThat(metrics).contains("commandBus_successTimer_seconds{payloadType=\"PayMerchant\",quantile=\"0.99\"}");
        assertThat(metrics).containsPattern("eventProcessor_allTimer_seconds_count\\{processorName=\"payments\"} [1-9]");
        assertThat(metrics).contains("eventProcessor_latency{processorName=\"ledger\"}");
        assertThat(metrics).containsPattern("commandBus_successCounter_total\\{payloadType=\"PayMerchant\"} [1-9]")
                .contains("commandBus_failureCounter_total{payloadType=\"PayMerchant\"}")
                .contains("eventProcessor_failureCounter_total{processorName=\"refund-credits\"}");
        for (int segment = 0; segment < 4; segment++) {
            assertThat(metrics).as("payments segment %d", segment)
                    .contains("ledger_processor_segment_lag_events{processor=\"payments\",segment=\"" + segment + "\"} 0.0")
                    .contains("ledger_processor_segment_claimed{processor=\"payments\",segment=\"" + segment + "\"} 1.0")
                    .contains("ledger_processor_segment_error{processor=\"payments\",segment=\"" + segment + "\"} 0.0");
        }
        assertThat(metrics).contains("ledger_processor_segments_unclaimed{processor=\"payments\"} 0.0");
    }

    @Test
    void the_metrics_are_for_finance_and_admins_only() {
        expectStatus(get("/actuator/prometheus", null), 401);
        expectStatus(get("/actuator/prometheus", token(unique("u"), "user")), 403);
    }

    private String scrape() {
        Response response = get("/actuator/prometheus", token("metrics-reader", "finance"));
        expectStatus(response, 200);
        return response.body();
    }

    private static double commandCount(String metrics, String command) {
        Matcher count = Pattern.compile("commandBus_allTimer_seconds_count\\{payloadType=\"" + command + "\"} (\\S+)")
                .matcher(metrics);
        return count.find() ? Double.parseDouble(count.group(1)) : 0;
    }
}
