package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.support.LedgerApiTest;
import com.hongbao.ledger.api.config.EventJson;
import com.hongbao.ledger.core.campaign.Campaign;
import com.hongbao.ledger.core.merchant.Merchant;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Merchants and campaigns, whose histories grow without bound, are cached and snapshotted, and
 * their snapshots stay small: a merchant remembers only its latest refunds and decides an older
 * payment's refund on the refunds read model (ADR 17).
 */
class MerchantSnapshotTest extends LedgerApiTest {

    @Autowired
    private EventStore eventStore;

    /** As configured in {@code AxonConfig}: a snapshot at least every this many events. */
    private static final int SNAPSHOT_EVERY_EVENTS = 100;

    @Test
    void a_merchant_with_more_refunds_than_it_remembers_is_rebuilt_from_a_small_snapshot_and_refunds_old_payments_right()
            throws Exception {
        String merchant = onboardMerchant(60);
        String shop = merchantToken(merchant);
        UserWallet payer = openWallet();
        int payments = Merchant.REMEMBERED_REFUNDS + 120;
        topUp(payer.walletId(), payments + ".00");
        List<String> paymentIds = new ArrayList<>();
        for (int i = 0; i < payments; i++) {
            Response paid = pay(payer, merchant, unique("o"), "1.00", "immediate");
            expectStatus(paid, 201);
            paymentIds.add(paid.json().get("paymentId").asString());
        }
        // The journal has seen the merchant's credits, so every refund below is covered.
        awaitProcessorsCaughtUp();
        for (int i = 0; i < payments; i++) {
            expectStatus(refund(shop, paymentIds.get(i), "R-" + i, "0.50"), 201);
        }

        // Snapshots are taken off the command threads, shortly after the commit that triggers them;
        // the latest one leaves at most SNAPSHOT_EVERY_EVENTS events to read after it.
        long lastEvent = jdbc.queryForObject("SELECT MAX(sequence_number) FROM event_entry"
                + " WHERE aggregate_identifier = ?", Long.class, merchant);
        assertThat(lastEvent).isEqualTo(payments);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT COALESCE(MAX(sequence_number), -1) FROM snapshot_entry WHERE aggregate_identifier = ?",
                Long.class, merchant) >= lastEvent - SNAPSHOT_EVERY_EVENTS);
        String snapshot = jdbc.queryForObject("SELECT convert_from(payload, 'UTF8') FROM snapshot_entry"
                + " WHERE aggregate_identifier = ? ORDER BY sequence_number DESC LIMIT 1", String.class, merchant);
        assertThat(snapshot).contains("\"merchantId\":\"" + merchant + "\"", "\"recentPayments\":{\"p_",
                "\"forgottenThroughSequence\":");
        // It holds at least its first 276 refunds, of which it remembers the latest 256 payments and
        // refund numbers: the snapshot does not grow with the merchant's history.
        assertThat(snapshot.split("\"p_", -1)).hasSize(Merchant.REMEMBERED_REFUNDS + 1);
        assertThat(snapshot.split("\"rf_", -1)).hasSize(Merchant.REMEMBERED_REFUNDS + 1);
        assertThat(snapshot).doesNotContain(paymentIds.get(0), paymentIds.get(19));
        assertThat(snapshot.length()).as("snapshot size").isLessThan(200 * Merchant.REMEMBERED_REFUNDS);
        assertReadsBackTheSame(snapshot, Merchant.class);
        assertRebuiltFromSnapshotAndAtMostAHundredEvents(merchant, Merchant.class);

        // A forgotten payment is refunded on its history in the read model: 0.50 of 1.00 is left,
        // and the fee (0.01 of 1.00) comes back with the refund that completes the payment.
        Response rest = refund(shop, paymentIds.get(0), "R-rest", "0.50");
        expectStatus(rest, 201);
        assertThat(rest.json().get("refundCount").asInt()).isEqualTo(2);
        assertThat(amount(rest.json().get("feeRefunded"))).isEqualTo("0.01");
        assertThat(amount(rest.json().get("refundable"))).isEqualTo("0.00");
        // A refusal rolls back and drops the merchant from its cache; the next refund rebuilds it
        // from the snapshot and the few events after it, and decides on the same state.
        expectProblem(refund(shop, paymentIds.get(0), "R-more", "0.01"), 422, "refund_exceeds_captured");
        expectProblem(refund(shop, paymentIds.get(1), "R-more", "0.51"), 422, "refund_exceeds_captured");
        Response second = refund(shop, paymentIds.get(1), "R-more", "0.50");
        expectStatus(second, 201);
        assertThat(second.json().get("refundCount").asInt()).isEqualTo(2);
        // A forgotten refund number is still the merchant's: reused for another payment, it moves nothing.
        LedgerState before = ledgerState("merchant:" + merchant, "wallet:" + payer.walletId());
        expectProblem(refund(shop, paymentIds.get(payments - 1), "R-0", "0.10"), 422, "idempotency_key_reused");
        assertThat(ledgerState("merchant:" + merchant, "wallet:" + payer.walletId())).isEqualTo(before);

        awaitProcessorsCaughtUp();
        assertTrialBalanceIsZero();

        // The migration that introduced the read model's reach computes it from the stored refunds
        // exactly as the read model keeps it.
        long reach = jdbc.queryForObject("SELECT through_sequence FROM refund_history_mark WHERE merchant_id = ?",
                Long.class, merchant);
        assertThat(reach).isEqualTo(jdbc.queryForObject("SELECT MAX(sequence_number) FROM event_entry"
                + " WHERE aggregate_identifier = ?", Long.class, merchant));
        jdbc.update("DELETE FROM refund_history_mark WHERE merchant_id = ?", merchant);
        jdbc.execute(backfill());
        assertThat(jdbc.queryForObject("SELECT through_sequence FROM refund_history_mark WHERE merchant_id = ?",
                Long.class, merchant)).isEqualTo(reach);

        // While the refunds read model is rebuilt, it reaches nothing: a forgotten payment's refund
        // waits, then is refused as a concurrent update with nothing moved; once rebuilt, it is decided.
        StreamingEventProcessor refunds = eventProcessing.eventProcessor("refunds", StreamingEventProcessor.class)
                .orElseThrow();
        refunds.shutdownAsync().get(30, TimeUnit.SECONDS);
        refunds.resetTokens();
        long head = jdbc.queryForObject("SELECT MAX(global_index) FROM event_entry", Long.class);
        try {
            expectProblem(refund(shop, paymentIds.get(2), "R-late", "0.10"), 409, "concurrent_update");
            assertThat(jdbc.queryForObject("SELECT MAX(global_index) FROM event_entry", Long.class))
                    .as("the event store's head").isEqualTo(head);
        } finally {
            refunds.start();
        }
        awaitProcessorsCaughtUp();
        Response late = refund(shop, paymentIds.get(2), "R-late", "0.50");
        expectStatus(late, 201);
        assertThat(late.json().get("refundCount").asInt()).isEqualTo(2);
        assertThat(amount(late.json().get("refundable"))).isEqualTo("0.00");
    }

    /**
     * What the aggregate's repository reads to rebuild it: the latest snapshot, then the events
     * after it, of which there are at most {@link #SNAPSHOT_EVERY_EVENTS}.
     */
    private void assertRebuiltFromSnapshotAndAtMostAHundredEvents(String aggregateId, Class<?> aggregateType) {
        DomainEventStream stream = eventStore.readEvents(aggregateId);
        assertThat(stream.next().getPayload()).as("the first thing read").isInstanceOf(aggregateType);
        long events = 0;
        while (stream.hasNext()) {
            stream.next();
            events++;
        }
        assertThat(events).as("events read after the snapshot").isLessThanOrEqualTo(SNAPSHOT_EVERY_EVENTS);
    }

    /**
     * A snapshot that cannot be read back is skipped (the aggregate is rebuilt from all its events),
     * which no answer would show: the stored JSON must read back into the aggregate and write the same.
     */
    private static void assertReadsBackTheSame(String snapshot, Class<?> aggregateType) {
        Serializer serializer = EventJson.serializer();
        Object restored = serializer.deserialize(new SimpleSerializedObject<>(snapshot, String.class,
                aggregateType.getName(), null));
        assertThat(restored).isInstanceOf(aggregateType);
        assertThat(serializer.serialize(restored, String.class).getData()).isEqualTo(snapshot);
    }

    /** The statement of the migration V120 that fills the read model's reach from the stored refunds. */
    private static String backfill() throws IOException {
        try (InputStream in = MerchantSnapshotTest.class.getResourceAsStream(
                "/db/migration/projections/V120__refund_history_mark.sql")) {
            String migration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return migration.substring(migration.indexOf("INSERT INTO refund_history_mark"));
        }
    }

    @Test
    void a_campaign_that_issued_many_packets_is_snapshotted_and_keeps_its_caps_once_rebuilt() {
        String merchant = onboardMerchant(60);
        String shop = merchantToken(merchant);
        UserWallet customer = openWallet();
        topUp(customer.walletId(), "200.00");
        expectStatus(pay(customer, merchant, unique("order"), "200.00", "immediate"), 201);
        awaitProcessorsCaughtUp();
        Instant now = clock.instant();
        Response funded = post("/v1/merchants/" + merchant + "/campaigns", shop, "{\"name\":\"Many packets\","
                + "\"currency\":\"CNY\",\"budget\":\"100.00\",\"startsAt\":\"" + now.minus(Duration.ofHours(1))
                + "\",\"endsAt\":\"" + now.plus(Duration.ofDays(7)) + "\",\"perUserMaxCount\":1,"
                + "\"perUserMaxAmount\":\"0.01\",\"dailyMaxAmount\":\"50.00\",\"fixedAmount\":\"0.01\"}",
                Map.of("Idempotency-Key", unique("fund")));
        expectStatus(funded, 201);
        String campaignId = funded.json().get("campaignId").asString();
        String first = unique("u");
        expectStatus(issue(shop, campaignId, first), 201);
        for (int i = 1; i < SNAPSHOT_EVERY_EVENTS + 20; i++) {
            expectStatus(issue(shop, campaignId, unique("u")), 201);
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM snapshot_entry WHERE aggregate_identifier = ?", Long.class, campaignId) > 0);
        assertReadsBackTheSame(jdbc.queryForObject("SELECT convert_from(payload, 'UTF8') FROM snapshot_entry"
                + " WHERE aggregate_identifier = ? ORDER BY sequence_number DESC LIMIT 1", String.class, campaignId),
                Campaign.class);
        assertRebuiltFromSnapshotAndAtMostAHundredEvents(campaignId, Campaign.class);

        // The refusal drops the campaign from its cache; rebuilt from its snapshot, it still knows
        // that the first recipient had their one packet, and how much of the budget is left.
        expectProblem(issue(shop, campaignId, first), 422, "campaign_user_count_cap_reached");
        expectProblem(issue(shop, campaignId, first), 422, "campaign_user_count_cap_reached");
        Response next = issue(shop, campaignId, unique("u"));
        expectStatus(next, 201);
        assertThat(amount(next.json().get("budgetRemaining"))).isEqualTo("98.79");
    }

    private Response refund(String shop, String paymentId, String number, String amount) {
        return post("/v1/payments/" + paymentId + "/refunds", shop,
                "{\"refundNumber\":\"" + number + "\",\"amount\":\"" + amount + "\",\"currency\":\"CNY\"}");
    }

    private Response issue(String shop, String campaignId, String userId) {
        return post("/v1/campaigns/" + campaignId + "/packets", shop, "{\"userId\":\"" + userId + "\"}",
                Map.of("Idempotency-Key", unique("issue")));
    }
}
