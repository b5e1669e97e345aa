package com.hongbao.ledger.api.credits;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.packets.RedPacketExpirySweep;
import com.hongbao.ledger.api.support.LedgerApiTest;
import com.hongbao.ledger.core.packet.RedPacketCreditor;
import com.hongbao.ledger.core.payment.PaymentHoldReleaser;
import com.hongbao.ledger.core.refund.RefundCreditor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Issue 16, item 2: while the credit processors stalled, reconciliation said balanced, because
 * money on its way out of clearing is in neither the wallet's journal account nor its aggregate.
 * Here the three credit processors are stopped while a refund is made, a hold is voided and a packet
 * expires; once the money has waited longer than the threshold, reconciliation reports each with its
 * own check and code, and once the processors run again, it is balanced.
 */
class AgedClearingReconciliationTest extends LedgerApiTest {

    private static final List<String> CREDIT_PROCESSORS = List.of(RefundCreditor.PROCESSING_GROUP,
            RedPacketCreditor.PROCESSING_GROUP, PaymentHoldReleaser.PROCESSING_GROUP);

    @Autowired
    private RedPacketExpirySweep expirySweep;

    @Test
    void money_stalled_in_clearing_past_the_threshold_is_a_difference_and_balanced_again_once_credited() {
        String merchant = onboardMerchant(0);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "100.00");
        UserWallet recipient = openWallet();
        Response paid = pay(payer, merchant, unique("order"), "10.00", "immediate");
        expectStatus(paid, 201);
        Response held = pay(payer, merchant, unique("order"), "5.00", "manual");
        expectStatus(held, 201);
        String holdPayment = held.json().get("paymentId").asString();
        Response sent = post("/v1/red-packets", payer.token(), "{\"kind\":\"single\",\"amount\":\"3.00\","
                + "\"currency\":\"CNY\",\"recipient\":\"" + recipient.user() + "\"}", Map.of("Idempotency-Key", unique("s")));
        expectStatus(sent, 201);
        String packet = sent.json().get("packetId").asString();
        awaitProcessorsCaughtUp();

        List<StreamingEventProcessor> processors = CREDIT_PROCESSORS.stream().map(group ->
                eventProcessing.eventProcessor(group, StreamingEventProcessor.class).orElseThrow()).toList();
        processors.forEach(StreamingEventProcessor::shutDown);
        String refund;
        try {
            clock.advance(Duration.ofHours(25));
            assertThat(expirySweep.sweep()).isGreaterThanOrEqualTo(1);
            Response refunded = post("/v1/payments/" + paid.json().get("paymentId").asString() + "/refunds",
                    merchantToken(merchant), "{\"refundNumber\":\"" + unique("R") + "\",\"amount\":\"4.00\",\"currency\":\"CNY\"}");
            expectStatus(refunded, 201);
            JsonNode id = refunded.json().get("refundId");
            refund = id.isString() ? id.asString() : id.get("value").asString();
            expectStatus(post("/v1/payments/" + holdPayment + "/void", merchantToken(merchant), ""), 200);
            Awaitility.await("the read models have the stalled movements").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50)).until(() ->
                            jdbc.queryForObject("SELECT COUNT(*) FROM refund WHERE refund_id = ? AND refunded_at IS NOT NULL",
                                    Integer.class, refund) == 1
                            && "voided".equals(jdbc.queryForObject("SELECT status FROM payment WHERE payment_id = ?",
                                    String.class, holdPayment))
                            && "expired".equals(jdbc.queryForObject("SELECT status FROM red_packet WHERE packet_id = ?",
                                    String.class, packet))
                            && jdbc.queryForObject("SELECT COUNT(*) FROM journal_posting WHERE reference = ?",
                                    Integer.class, refund) >= 2);

            assertThat(aged(reconciliation(), refund, holdPayment, packet)).as("within the threshold").isEmpty();
            clock.advance(Duration.ofMinutes(6));
            JsonNode report = reconciliation();
            assertThat(report.get("balanced").asBoolean()).as(report.toString()).isFalse();
            assertThat(report.get("clearingItemsChecked").asLong()).isGreaterThanOrEqualTo(3);
            assertThat(aged(report, refund, holdPayment, packet)).containsExactlyInAnyOrder(
                    "refund_not_credited refund_clearing:platform CNY 400 " + refund,
                    "hold_release_not_returned payment_clearing:platform CNY 500 " + holdPayment,
                    "expired_packet_not_returned red_packet_escrow:" + packet + " CNY 300 " + packet);
        } finally {
            processors.forEach(StreamingEventProcessor::start);
        }
        awaitProcessorsCaughtUp();
        JsonNode report = reconciliation();
        assertThat(aged(report, refund, holdPayment, packet)).isEmpty();
        assertThat(report.get("balanced").asBoolean()).as(report.toString()).isTrue();
        assertThat(available(payer)).isEqualTo("94.00"); // 100 - 10 + 4 refunded - 5 + 5 released - 3 + 3 returned
    }

    private JsonNode reconciliation() {
        Response response = get("/v1/finance/reconciliation", finance());
        expectStatus(response, 200);
        return response.json();
    }

    /** The aged-clearing differences about these references, as {@code code account currency minor reference}. */
    private static List<String> aged(JsonNode report, String... references) {
        List<String> found = new ArrayList<>();
        report.get("differences").forEach(d -> {
            if (d.get("check").asString().equals("aged_clearing")
                    && List.of(references).contains(d.get("reference").asString())) {
                found.add(d.get("code").asString() + " " + d.get("accountId").asString() + " "
                        + d.get("currency").asString() + " " + d.get("journal").asLong() + " "
                        + d.get("reference").asString());
            }
        });
        return found;
    }
}
