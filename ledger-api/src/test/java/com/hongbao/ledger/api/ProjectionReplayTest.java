package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.support.LedgerApiTest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;

/**
 * Every read model is a function of the event store: emptied and rebuilt by replay, each table
 * holds exactly what it held before, and the journal agrees with the balances it feeds. The bulk
 * rebuild of the statements ({@code POST /v1/admin/statements/rebuild}) writes the same rows again.
 */
class ProjectionReplayTest extends LedgerApiTest {

    /** Each read model table with its primary key, the order its rows are compared in. */
    private static final Map<String, String> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("journal_posting", "event_id, posting_index");
        TABLES.put("account_balance", "account_id, currency");
        TABLES.put("payment", "payment_id");
        TABLES.put("wallet", "wallet_id");
        TABLES.put("merchant", "merchant_id");
        TABLES.put("refund", "refund_id");
        TABLES.put("refund_history_mark", "merchant_id");
        TABLES.put("bnpl_plan", "plan_id");
        TABLES.put("bnpl_instalment", "plan_id, number");
        TABLES.put("bnpl_credit_line", "wallet_id");
        TABLES.put("statement_line", "event_id, posting_index");
        TABLES.put("statement_day", "merchant_id, business_day, currency");
        TABLES.put("settlement", "merchant_id, business_day");
        TABLES.put("payout_hold", "merchant_id");
        TABLES.put("red_packet", "packet_id");
        TABLES.put("red_packet_grab", "packet_id, position");
        TABLES.put("campaign", "campaign_id");
        TABLES.put("campaign_packet", "packet_id");
    }

    /** Each processing group with the tables it writes. */
    private static final Map<String, List<String>> PROCESSING_GROUPS = new LinkedHashMap<>();

    static {
        PROCESSING_GROUPS.put("ledger", List.of("journal_posting", "account_balance"));
        PROCESSING_GROUPS.put("payments", List.of("payment"));
        PROCESSING_GROUPS.put("wallets", List.of("wallet"));
        PROCESSING_GROUPS.put("merchants", List.of("merchant"));
        PROCESSING_GROUPS.put("refunds", List.of("refund", "refund_history_mark"));
        PROCESSING_GROUPS.put("bnpl-plans", List.of("bnpl_plan", "bnpl_instalment", "bnpl_credit_line"));
        PROCESSING_GROUPS.put("statements", List.of("statement_line", "statement_day", "settlement", "payout_hold"));
        PROCESSING_GROUPS.put("red-packets", List.of("red_packet", "red_packet_grab"));
        PROCESSING_GROUPS.put("campaigns", List.of("campaign", "campaign_packet"));
    }

    @Test
    void replaying_each_processing_group_rebuilds_exactly_the_same_tables() throws Exception {
        moveMoneyInEveryWay();
        awaitProcessorsCaughtUp();
        // Two days on the day's statements are final whatever the time of day: settle them (every
        // merchant's, other tests' too).
        clock.advance(Duration.ofDays(2));
        expectStatus(post("/v1/finance/settlements/run", finance(), ""), 200);
        awaitProcessorsCaughtUp();
        assertJournalAgreesWithBalances();
        Map<String, List<Map<String, Object>>> before = snapshot();
        // Every table is compared with something in it, so a rebuild that loses rows cannot pass.
        for (String table : TABLES.keySet()) {
            assertThat(before.get(table)).as("rows of %s before the replay", table).isNotEmpty();
        }

        for (String group : PROCESSING_GROUPS.keySet()) {
            StreamingEventProcessor processor = eventProcessing.eventProcessor(group, StreamingEventProcessor.class)
                    .orElseThrow(() -> new AssertionError("no streaming processor " + group));
            processor.shutdownAsync().get(30, TimeUnit.SECONDS);
            processor.resetTokens();
            // The reset handler emptied the group's tables: what follows is a rebuild, not a no-op.
            for (String table : PROCESSING_GROUPS.get(group)) {
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class))
                        .as("rows of %s after resetting %s", table, group).isZero();
            }
            processor.start();
            // Waits for the restarted processor to claim every segment again and reach the head.
            awaitProcessorsCaughtUp();

            Map<String, List<Map<String, Object>>> after = snapshot();
            for (String table : TABLES.keySet()) {
                assertSameRows(group, table, before.get(table), after.get(table));
            }
        }
        assertJournalAgreesWithBalances();
        assertTrialBalanceIsZero();

        // The bulk rebuild of the statements writes the same rows as the processor's replay.
        Response rebuilt = post("/v1/admin/statements/rebuild", admin(), "");
        expectStatus(rebuilt, 200);
        assertThat(rebuilt.json().get("lines").asLong()).isEqualTo(before.get("statement_line").size());
        awaitProcessorsCaughtUp();
        Map<String, List<Map<String, Object>>> afterRebuild = snapshot();
        for (String table : TABLES.keySet()) {
            assertSameRows("the statements rebuild", table, before.get(table), afterRebuild.get(table));
        }
    }

    /**
     * Top-ups, immediate and two-phase payments, partial and full captures, a void, withdrawals, a
     * refund, an instalment plan with a repayment, a refund and a credit line, a lucky group packet
     * and a campaign's packet, each grabbed.
     */
    private void moveMoneyInEveryWay() {
        String shop = onboardMerchant(60);
        String cafe = onboardMerchant(38);
        UserWallet alice = openWallet();
        UserWallet bob = openWallet();
        topUp(alice.walletId(), "200.00");
        topUp(bob.walletId(), "80.00");
        topUp(bob.walletId(), "0.07");

        expectStatus(pay(alice, shop, "order-1", "12.34", "immediate"), 201);
        expectStatus(pay(bob, cafe, "order-1", "0.84", "immediate"), 201);
        String partial = paymentId(pay(alice, shop, "order-2", "50.00", "manual"));
        String full = paymentId(pay(bob, shop, "order-3", "20.00", "manual"));
        String voided = paymentId(pay(alice, cafe, "order-4", "33.33", "manual"));
        expectStatus(pay(bob, cafe, "order-5", "5.00", "manual"), 201); // left open
        expectStatus(capture(shop, partial, "17.77"), 200);
        expectStatus(capture(shop, full, null), 200);
        expectStatus(voidAuthorisation(cafe, voided), 200);
        expectStatus(withdraw(alice, "40.00"), 201);
        expectStatus(withdraw(bob, "0.07"), 201);
        String refunded = paymentId(pay(alice, shop, "order-6", "10.00", "immediate"));
        // A merchant's refund is decided on the credits the journal has seen (ADR 7).
        awaitProcessorsCaughtUp();
        expectStatus(post("/v1/payments/" + refunded + "/refunds", merchantToken(shop),
                "{\"refundNumber\":\"R-1\",\"amount\":\"4.00\",\"currency\":\"CNY\"}"), 201);
        expectStatus(put("/v1/users/" + alice.user() + "/credit-line", finance(),
                "{\"limit\":\"300.00\",\"currency\":\"CNY\",\"frozen\":false}"), 200);
        Response checkout = post("/v1/bnpl/checkouts", alice.token(), "{\"merchantId\":\"" + shop
                + "\",\"orderNumber\":\"order-7\",\"amount\":\"40.00\",\"currency\":\"CNY\",\"plan\":\"pay_in_4\"}");
        expectStatus(checkout, 201);
        String plan = checkout.json().get("planId").asString();
        expectStatus(post("/v1/bnpl/plans/" + plan + "/repayments", alice.token(),
                "{\"amount\":\"12.00\",\"currency\":\"CNY\"}", Map.of("Idempotency-Key", unique("repay"))), 200);
        awaitProcessorsCaughtUp();
        expectStatus(post("/v1/payments/" + plan + "/refunds", merchantToken(shop),
                "{\"refundNumber\":\"R-2\",\"amount\":\"5.00\",\"currency\":\"CNY\"}"), 201);
        awaitProcessorsCaughtUp();
        expectStatus(put("/v1/merchants/" + shop + "/payout-hold", finance(), "{\"held\":true}"), 200);
        expectStatus(put("/v1/merchants/" + shop + "/payout-hold", finance(), "{\"held\":false}"), 200);
        String packet = post("/v1/red-packets", alice.token(), "{\"kind\":\"group_lucky\",\"amount\":\"3.00\","
                + "\"currency\":\"CNY\",\"shares\":2,\"members\":[\"" + alice.user() + "\",\"" + bob.user() + "\"]}",
                Map.of("Idempotency-Key", unique("packet"))).json().get("packetId").asString();
        expectStatus(post("/v1/red-packets/" + packet + "/grab", bob.token(), ""), 200);
        Instant now = clock.instant();
        Response campaign = post("/v1/merchants/" + shop + "/campaigns", merchantToken(shop), "{\"name\":\"Tea\","
                + "\"currency\":\"CNY\",\"budget\":\"6.00\",\"startsAt\":\"" + now.minus(Duration.ofHours(1))
                + "\",\"endsAt\":\"" + now.plus(Duration.ofDays(7)) + "\",\"perUserMaxCount\":1,"
                + "\"perUserMaxAmount\":\"3.00\",\"dailyMaxAmount\":\"6.00\",\"fixedAmount\":\"3.00\"}",
                Map.of("Idempotency-Key", unique("fund")));
        expectStatus(campaign, 201);
        Response issued = post("/v1/campaigns/" + campaign.json().get("campaignId").asString() + "/packets",
                merchantToken(shop), "{\"userId\":\"" + bob.user() + "\"}", Map.of("Idempotency-Key", unique("issue")));
        expectStatus(issued, 201);
        expectStatus(post("/v1/red-packets/" + issued.json().get("packetId").asString() + "/grab", bob.token(), ""), 200);
        Response refused = withdraw(bob, "1000.00");
        expectStatus(refused, 422);
        assertThat(refused.code()).isEqualTo("insufficient_funds");
    }

    /**
     * What the journal says each account holds is what the balance projection says; no wallet and
     * no payment clearing is negative.
     */
    private void assertJournalAgreesWithBalances() {
        List<Map<String, Object>> fromJournal = jdbc.queryForList("SELECT account_id, currency,"
                + " SUM(amount_minor)::NUMERIC(38, 0) AS balance_minor, COUNT(*) AS posting_count"
                + " FROM journal_posting GROUP BY account_id, currency ORDER BY account_id, currency");
        List<Map<String, Object>> balances = jdbc.queryForList("SELECT account_id, currency, balance_minor, posting_count"
                + " FROM account_balance ORDER BY account_id, currency");
        assertThat(balances).isEqualTo(fromJournal);
        List<Map<String, Object>> negative = jdbc.queryForList("SELECT account_id, balance_minor FROM account_balance"
                + " WHERE account_type IN ('wallet', 'payment_clearing') AND balance_minor < 0");
        assertThat(negative).isEmpty();
    }

    private Map<String, List<Map<String, Object>>> snapshot() {
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        TABLES.forEach((table, key) -> tables.put(table, jdbc.queryForList("SELECT * FROM " + table + " ORDER BY " + key)));
        return tables;
    }

    /** Compares row by row, so a difference names its first row instead of printing whole tables. */
    private static void assertSameRows(String group, String table, List<Map<String, Object>> before,
                                       List<Map<String, Object>> after) {
        for (int i = 0; i < Math.min(before.size(), after.size()); i++) {
            assertThat(after.get(i)).as("row %d of %s after replaying %s", i, table, group).isEqualTo(before.get(i));
        }
        assertThat(after.size()).as("rows of %s after replaying %s", table, group).isEqualTo(before.size());
    }

    private static String paymentId(Response payment) {
        expectStatus(payment, 201);
        return payment.json().get("paymentId").asString();
    }
}
