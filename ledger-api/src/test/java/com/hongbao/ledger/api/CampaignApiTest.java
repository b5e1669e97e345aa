package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.campaigns.CampaignEndSweep;
import com.hongbao.ledger.api.packets.RedPacketExpirySweep;
import com.hongbao.ledger.api.support.LedgerApiTest;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Brand campaigns over HTTP: funding from the settlement balance (and refusing more than it
 * holds), issuing within the caps, claiming, expiry back into the budget, the end returning the
 * rest to the merchant exactly once, and the report's figures computed by hand.
 */
class CampaignApiTest extends LedgerApiTest {

    @Autowired
    private RedPacketExpirySweep packetSweep;

    @Autowired
    private CampaignEndSweep campaignSweep;

    /** A merchant whose settlement balance holds 198.80 (200.00 paid, 0.6% fee), and a customer who paid it. */
    private record Shop(String merchantId, String token, UserWallet customer) {
    }

    private Shop shopWithSales() {
        String merchant = onboardMerchant(60);
        UserWallet customer = openWallet();
        topUp(customer.walletId(), "500.00");
        expectStatus(pay(customer, merchant, unique("order"), "200.00", "immediate"), 201);
        awaitProcessorsCaughtUp();
        return new Shop(merchant, merchantToken(merchant), customer);
    }

    private Response fund(Shop shop, String budget, String extra) {
        return post("/v1/merchants/" + shop.merchantId() + "/campaigns", shop.token(), fundBody(budget, extra),
                Map.of("Idempotency-Key", unique("fund")));
    }

    private String fundBody(String budget, String extra) {
        Instant now = clock.instant();
        return "{\"name\":\"Spring tea\","
                + "\"currency\":\"CNY\",\"budget\":\"" + budget + "\",\"startsAt\":\"" + now.minus(Duration.ofHours(1))
                + "\",\"endsAt\":\"" + now.plus(Duration.ofDays(7)) + "\",\"perUserMaxCount\":2,"
                + "\"perUserMaxAmount\":\"10.00\",\"dailyMaxAmount\":\"30.00\"" + extra + "}";
    }

    private Response issue(Shop shop, String campaignId, String userId) {
        return post("/v1/campaigns/" + campaignId + "/packets", shop.token(), "{\"userId\":\"" + userId + "\"}",
                Map.of("Idempotency-Key", unique("issue")));
    }

    @Test
    void a_campaign_runs_from_funding_to_its_end_and_the_report_adds_up() {
        Shop shop = shopWithSales();
        Response funded = fund(shop, "50.00", ",\"fixedAmount\":\"5.00\"");
        expectStatus(funded, 201);
        String campaignId = funded.json().get("campaignId").asString();
        UserWallet bob = openWallet();

        Response toBob = issue(shop, campaignId, bob.user());
        Response toCustomer = issue(shop, campaignId, shop.customer().user());
        expectStatus(toBob, 201);
        expectStatus(toCustomer, 201);
        assertThat(amount(toBob.json().get("amount"))).isEqualTo("5.00");
        String bobsPacket = toBob.json().get("packetId").asString();
        expectStatus(post("/v1/red-packets/" + bobsPacket + "/grab", bob.token(), ""), 200);
        expectStatus(pay(bob, shop.merchantId(), unique("order"), "5.00", "immediate"), 201);
        awaitProcessorsCaughtUp();
        // 198.80 − 50.00 budget + 4.97 (Bob's 5.00 payment less its 0.03 fee).
        assertThat(merchantBalance(shop.merchantId())).isEqualTo("153.77");

        clock.advance(Duration.ofHours(25));
        assertThat(packetSweep.sweep()).isGreaterThanOrEqualTo(1);
        awaitProcessorsCaughtUp();
        assertThat(amount(get("/v1/campaigns/" + campaignId, shop.token()).json().get("unissued"))).isEqualTo("45.00");

        clock.advance(Duration.ofDays(7));
        assertThat(campaignSweep.sweep()).isGreaterThanOrEqualTo(1);
        assertThat(campaignSweep.sweep()).isZero();
        awaitProcessorsCaughtUp();
        assertThat(campaignSweep.sweep()).isZero();
        // 198.80 + 4.97 (Bob's payment less its fee) − 5.00 claimed by Bob.
        assertThat(merchantBalance(shop.merchantId())).isEqualTo("198.77");
        assertThat(accountBalance("campaign_budget:" + campaignId)).isEqualTo("0.00");
        expectProblem(issue(shop, campaignId, bob.user()), 422, "campaign_ended");

        JsonNode report = get("/v1/campaigns/" + campaignId + "/report", token("fin", "finance")).json();
        assertThat(amount(report.get("budget"))).isEqualTo("50.00");
        assertCounted(report.get("issued"), 2, "10.00");
        assertCounted(report.get("claimed"), 1, "5.00");
        assertCounted(report.get("expired"), 1, "5.00");
        assertCounted(report.get("refunded"), 1, "45.00");
        assertThat(report.get("uniqueRecipients").asLong()).isEqualTo(2);
        assertThat(report.get("newRecipients").asLong()).isEqualTo(1);
        assertThat(report.get("returningRecipients").asLong()).isEqualTo(1);
        assertCounted(report.get("paymentsAfterClaim"), 1, "5.00");
        assertThat(report.get("newPayingCustomers").asLong()).isEqualTo(1);
        assertThat(amount(report.get("costPerNewPayingCustomer"))).isEqualTo("5.00");
        assertThat(report.get("timeZone").asString()).isEqualTo("Asia/Shanghai");
        long issuedPerDay = 0;
        long newPerDay = 0;
        long returningPerDay = 0;
        long newPayingPerDay = 0;
        for (JsonNode day : report.get("days")) {
            issuedPerDay += day.get("issued").get("count").asLong();
            newPerDay += day.get("newRecipients").asLong();
            returningPerDay += day.get("returningRecipients").asLong();
            long newPaying = day.get("newPayingCustomers").asLong();
            newPayingPerDay += newPaying;
            if (newPaying == 0) {
                assertThat(day.get("costPerNewPayingCustomer").isNull()).as(day.toString()).isTrue();
            } else {
                assertThat(new BigDecimal(amount(day.get("costPerNewPayingCustomer"))))
                        .isEqualByComparingTo(new BigDecimal(amount(day.get("claimed").get("amount")))
                                .divide(BigDecimal.valueOf(newPaying), 2, RoundingMode.HALF_UP));
            }
        }
        assertThat(issuedPerDay).isEqualTo(2);
        // Each counted on the day of the recipient's first packet, so the days add up to the totals.
        assertThat(newPerDay).isEqualTo(report.get("newRecipients").asLong()).isEqualTo(1);
        assertThat(returningPerDay).isEqualTo(report.get("returningRecipients").asLong()).isEqualTo(1);
        assertThat(newPayingPerDay).isEqualTo(report.get("newPayingCustomers").asLong()).isEqualTo(1);
        assertTrialBalanceIsZero();
    }

    @Test
    void a_budget_above_the_settlement_balance_is_refused_and_changes_nothing() {
        Shop shop = shopWithSales();
        String otherMerchant = merchantToken(onboardMerchant(60));
        LedgerState before = ledgerState("merchant:" + shop.merchantId());

        expectProblem(fund(shop, "198.81", ",\"fixedAmount\":\"5.00\""), 422, "merchant_insufficient_balance");
        expectProblem(fund(shop, "50.00", ""), 422, "invalid_campaign_amounts");
        expectProblem(fund(shop, "50.00", ",\"fixedAmount\":\"200.01\""), 422, "invalid_campaign_amounts");
        Instant now = clock.instant();
        String ended = "{\"name\":\"Last week\",\"currency\":\"CNY\",\"budget\":\"50.00\",\"startsAt\":\""
                + now.minus(Duration.ofDays(8)) + "\",\"endsAt\":\"" + now.minus(Duration.ofMinutes(1))
                + "\",\"perUserMaxCount\":2,\"perUserMaxAmount\":\"10.00\",\"dailyMaxAmount\":\"30.00\","
                + "\"fixedAmount\":\"5.00\"}";
        expectProblem(post("/v1/merchants/" + shop.merchantId() + "/campaigns", shop.token(), ended,
                Map.of("Idempotency-Key", unique("fund"))), 422, "invalid_campaign_dates");
        expectProblem(post("/v1/merchants/" + shop.merchantId() + "/campaigns", shop.token(),
                fundBody("50.00", ",\"fixedAmount\":\"5.00\"").replace("\"Spring tea\"", "\" \""),
                Map.of("Idempotency-Key", unique("fund"))), 400, "invalid_request");
        expectProblem(post("/v1/merchants/" + shop.merchantId() + "/campaigns", otherMerchant, "{}"), 404,
                "merchant_not_found");
        expectProblem(post("/v1/merchants/" + shop.merchantId() + "/campaigns", shop.token(),
                fundBody("50.00", ",\"fixedAmount\":\"5.00\"")), 400, "idempotency_key_required");

        assertThat(ledgerState("merchant:" + shop.merchantId())).isEqualTo(before);
        expectStatus(fund(shop, "198.80", ",\"fixedAmount\":\"5.00\""), 201);
    }

    @Test
    void no_campaign_is_funded_while_finance_holds_the_merchants_payouts() {
        Shop shop = shopWithSales();
        String finance = token("fin-1", "finance");
        String hold = "/v1/merchants/" + shop.merchantId() + "/payout-hold";
        expectStatus(put(hold, finance, "{\"held\":true}"), 200);
        LedgerState before = ledgerState("merchant:" + shop.merchantId());

        expectProblem(fund(shop, "100.00", ",\"fixedAmount\":\"5.00\""), 422, "payouts_held");
        assertThat(ledgerState("merchant:" + shop.merchantId())).isEqualTo(before);

        expectStatus(put(hold, finance, "{\"held\":false}"), 200);
        expectStatus(fund(shop, "100.00", ",\"fixedAmount\":\"5.00\""), 201);
    }

    @Test
    void issuing_stops_at_the_per_user_and_daily_caps_with_their_own_codes() {
        Shop shop = shopWithSales();
        String campaignId = fund(shop, "100.00", ",\"minAmount\":\"4.00\",\"maxAmount\":\"5.00\"").json()
                .get("campaignId").asString();
        String bob = unique("u");
        expectStatus(issue(shop, campaignId, bob), 201);
        expectStatus(issue(shop, campaignId, bob), 201);
        expectProblem(issue(shop, campaignId, bob), 422, "campaign_user_count_cap_reached");
        int issued = 2;
        Response refused = null;
        for (int i = 0; i < 10 && refused == null; i++) {
            Response response = issue(shop, campaignId, unique("u"));
            if (response.status() == 201) {
                issued++;
            } else {
                refused = response;
            }
        }
        // At most 30.00 a day in packets of 4.00 to 5.00: between 6 and 7 packets, then the daily cap.
        expectProblem(refused, 422, "campaign_daily_cap_reached");
        assertThat(issued).isBetween(6, 7);
        Response unknown = issue(shop, "cp_unknown", bob);
        Response someoneElses = post("/v1/campaigns/" + campaignId + "/packets", merchantToken(onboardMerchant(60)),
                "{\"userId\":\"" + bob + "\"}", Map.of("Idempotency-Key", unique("issue")));
        expectProblem(unknown, 404, "campaign_not_found");
        expectProblem(someoneElses, 404, "campaign_not_found");
        // Worded alike: each names the id asked for and nothing more.
        assertThat(someoneElses.json().get("detail").asString().replace(campaignId, "<id>"))
                .isEqualTo(unknown.json().get("detail").asString().replace("cp_unknown", "<id>"));
        expectProblem(get("/v1/campaigns/" + campaignId + "/report", merchantToken(onboardMerchant(60))), 404,
                "campaign_not_found");
    }

    private static void assertCounted(JsonNode counted, long count, String amount) {
        assertThat(counted.get("count").asLong()).as("count of %s", counted).isEqualTo(count);
        assertThat(amount(counted.get("amount"))).as("amount of %s", counted).isEqualTo(amount);
    }
}
