package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.support.LedgerApiTest;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Finance's searches of the journal (by merchant, user and size), the reconciliation of
 * everything derived from the journal, and the monthly platform report. Figures are computed by
 * hand from the operations each test makes; the database is shared with other test classes, so
 * searches are scoped to fresh users and merchants, and the report is read for a month years
 * ahead of everything else.
 */
class FinanceQueriesApiTest extends LedgerApiTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    /** A merchant at 1% and a user who paid it 20.00 and 5.00 in CNY and topped up 9.00 HKD. */
    private record Shopper(String merchant, UserWallet user) {
    }

    private Shopper shopper() {
        String merchant = onboardMerchant(100);
        UserWallet user = openWallet();
        topUp(user.walletId(), "100.00");
        expectStatus(pay(user, merchant, "order-1", "20.00", "immediate"), 201);
        expectStatus(pay(user, merchant, "order-2", "5.00", "immediate"), 201);
        Response hkd = post("/v1/wallets", user.token(), "{\"currency\":\"HKD\"}");
        expectStatus(hkd, 201);
        expectStatus(post("/v1/wallets/" + hkd.json().get("walletId").asString() + "/top-ups", admin(),
                "{\"bankReference\":\"" + unique("bank") + "\",\"amount\":\"9.00\",\"currency\":\"HKD\"}"), 201);
        awaitProcessorsCaughtUp();
        return new Shopper(merchant, user);
    }

    @Test
    void the_journal_is_searched_by_merchant_by_user_and_by_amount() {
        Shopper s = shopper();

        assertThat(amounts("merchantId=" + s.merchant())).containsExactly("CNY 4.95", "CNY 19.80");
        assertThat(amounts("merchantId=" + s.merchant() + "&movementType=top_up")).isEmpty();
        assertThat(amounts("userId=" + s.user().user()))
                .containsExactly("HKD 9.00", "CNY -5.00", "CNY -20.00", "CNY 100.00");
        assertThat(amounts("userId=" + s.user().user() + "&currency=HKD")).containsExactly("HKD 9.00");
        assertThat(amounts("userId=" + s.user().user() + "&currency=CNY&minAmount=5&maxAmount=20.00"))
                .containsExactly("CNY -5.00", "CNY -20.00");
        assertThat(amounts("userId=" + s.user().user() + "&currency=CNY&minAmount=5.01"))
                .containsExactly("CNY -20.00", "CNY 100.00");
        assertThat(amounts("userId=" + s.user().user() + "&currency=CNY&maxAmount=4.99")).isEmpty();
        assertThat(amounts("merchantId=" + s.merchant() + "&currency=CNY&minAmount=4.95&maxAmount=4.95"))
                .containsExactly("CNY 4.95");
        assertThat(amounts("merchantId=" + s.merchant() + "&userId=" + s.user().user())).isEmpty();
        assertThat(amounts("userId=" + unique("nobody"))).isEmpty();

        // Combined with a movement type, one posting a page.
        String query = "userId=" + s.user().user() + "&movementType=payment_debit&currency=CNY&minAmount=1.00&limit=1";
        JsonNode first = get("/v1/journal?" + query, finance()).json();
        assertThat(first.get("items")).hasSize(1);
        assertThat(first.get("items").get(0).get("amount").get("amount").asString()).isEqualTo("-5.00");
        JsonNode second = get("/v1/journal?" + query + "&cursor=" + first.get("nextCursor").asString(), finance()).json();
        assertThat(second.get("items")).hasSize(1);
        assertThat(second.get("items").get(0).get("amount").get("amount").asString()).isEqualTo("-20.00");
        JsonNode next = second.get("nextCursor");
        if (next != null && !next.isNull()) {
            assertThat(get("/v1/journal?" + query + "&cursor=" + next.asString(), finance()).json().get("items")).isEmpty();
        }
    }

    @Test
    void bad_search_and_report_parameters_are_refused_with_their_codes_and_change_nothing() {
        Shopper s = shopper();
        String wallet = "wallet:" + s.user().walletId();
        LedgerState before = ledgerState(wallet, "merchant:" + s.merchant());

        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("currency=CNY&minAmount=1e9", "invalid_amount");
        refused.put("currency=CNY&maxAmount=NaN", "invalid_amount");
        refused.put("currency=CNY&minAmount=12345678901234567", "invalid_amount");
        refused.put("currency=CNY&minAmount=0.001", "invalid_amount_precision");
        refused.put("currency=CNY&minAmount=0", "amount_not_positive");
        refused.put("currency=CNY&maxAmount=-5.00", "amount_not_positive");
        refused.put("currency=EUR&minAmount=1.00", "unsupported_currency");
        refused.put("currency=cny", "unsupported_currency");
        refused.put("minAmount=1.00", "invalid_parameter");
        refused.put("maxAmount=1.00", "invalid_parameter");
        refused.put("currency=CNY&minAmount=20.00&maxAmount=19.99", "invalid_parameter");
        refused.put("userId=bad%20id", "invalid_parameter");
        refused.put("userId=", "invalid_parameter");
        refused.put("merchantId=a:b", "invalid_parameter");
        refused.put("merchantId=" + "m".repeat(101), "invalid_parameter");
        refused.put("userId=" + s.user().user() + "&limit=201", "page_size_too_large");
        refused.put("userId=" + s.user().user() + "&cursor=garbage", "invalid_cursor");
        refused.forEach((query, code) -> expectProblem(get("/v1/journal?" + query, finance()), 400, code));

        for (String month : new String[] {"2026-13", "2026-00", "2026-1", "26-11", "November", "2026-11-01", "+12026-11", "", "0000-01"}) {
            expectProblem(get("/v1/finance/reports/monthly?month=" + month, finance()), 400, "invalid_parameter");
        }
        expectProblem(get("/v1/finance/reports/monthly", finance()), 400, "invalid_parameter");
        expectProblem(get("/v1/finance/reports/monthly?month=2026-11&currency=EUR", finance()), 400,
                "unsupported_currency");
        expectProblem(get("/v1/finance/reports/monthly?month=2026-11", s.user().token()), 403, "forbidden");
        expectProblem(get("/v1/finance/reconciliation", s.user().token()), 403, "forbidden");
        expectProblem(get("/v1/journal?merchantId=" + s.merchant(), merchantToken(s.merchant())), 403, "forbidden");

        assertThat(ledgerState(wallet, "merchant:" + s.merchant())).isEqualTo(before);
    }

    @Test
    void reconciliation_is_balanced_after_a_mix_of_operations_and_reports_a_corrupted_balance() {
        Shopper s = shopper();
        UserWallet bob = openWallet();
        // An open authorisation: the held money is on payment_clearing, not the wallet's account.
        expectStatus(pay(s.user(), s.merchant(), "order-3", "7.00", "manual"), 201);
        refund(s.merchant(), paymentOf(s.user(), s.merchant(), "order-4", "3.00"), "3.00");
        expectStatus(checkout(s.user(), s.merchant(), "40.00", "monthly_3"), 201);
        sendPacket(s.user(), bob, "6.66");
        awaitProcessorsCaughtUp();

        JsonNode report = reconciliation();
        assertThat(report.get("balanced").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.get("differenceCount").asLong()).isZero();
        assertThat(report.get("differences")).isEmpty();
        assertThat(report.get("walletsChecked").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(report.get("plansChecked").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(report.get("merchantStatementsChecked").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(report.get("accountsChecked").asLong()).isGreaterThanOrEqualTo(8);

        String account = "wallet:" + s.user().walletId();
        long journal = jdbc.queryForObject("SELECT SUM(amount_minor) FROM journal_posting WHERE account_id = ?"
                + " AND currency = 'CNY'", Long.class, account);
        jdbc.update("UPDATE account_balance SET balance_minor = balance_minor + 1 WHERE account_id = ? AND currency = 'CNY'",
                account);
        String planId = jdbc.queryForObject("SELECT plan_id FROM bnpl_plan WHERE buyer_id = ?", String.class,
                s.user().user());
        jdbc.update("UPDATE bnpl_plan SET outstanding_minor = outstanding_minor - 100 WHERE plan_id = ?", planId);
        JsonNode corrupted;
        try {
            corrupted = reconciliation();
        } finally {
            jdbc.update("UPDATE account_balance SET balance_minor = balance_minor - 1 WHERE account_id = ?"
                    + " AND currency = 'CNY'", account);
            jdbc.update("UPDATE bnpl_plan SET outstanding_minor = outstanding_minor + 100 WHERE plan_id = ?", planId);
        }

        assertThat(corrupted.get("balanced").asBoolean()).isFalse();
        assertThat(corrupted.get("differenceCount").asLong()).isEqualTo(2);
        List<String> differences = new ArrayList<>();
        corrupted.get("differences").forEach(d -> differences.add(d.get("check").asString() + " "
                + d.get("accountId").asString() + " " + d.get("currency").asString() + " "
                + d.get("journal").asLong() + " " + d.get("compared").asLong()));
        // The wallet's own check reads the journal, not account_balance, so it still agrees.
        assertThat(differences).containsExactly(
                "account_balance " + account + " CNY " + journal + " " + (journal + 1),
                "plan_outstanding bnpl_receivable:" + planId + " CNY 4060 3960");
        assertThat(reconciliation().get("balanced").asBoolean()).isTrue();
    }

    @Test
    void the_monthly_report_sums_the_months_movements_in_the_platform_time_zone() {
        YearMonth month = YearMonth.from(clock.instant().atZone(SHANGHAI)).plusYears(6);
        Instant start = month.atDay(1).atStartOfDay(SHANGHAI).toInstant();
        String merchant = onboardMerchant(100);
        UserWallet alice = openWallet();
        UserWallet bob = openWallet();
        topUp(alice.walletId(), "300.00");
        awaitProcessorsCaughtUp();
        clock.advance(Duration.between(clock.instant(), start.minus(Duration.ofMinutes(30))));
        // Half an hour before the month (Shanghai time): counts in the month before.
        expectStatus(pay(alice, merchant, "before", "3.00", "immediate"), 201);
        awaitProcessorsCaughtUp();
        String previous = month.minusMonths(1).toString();
        JsonNode before = monthly(previous);
        clock.advance(Duration.ofHours(1));

        expectStatus(pay(alice, merchant, "order-1", "20.00", "immediate"), 201); // fee 0.20
        refund(merchant, paymentOf(alice, merchant, "order-2", "5.00"), "5.00"); // fee 0.05, refunded in full
        sendPacket(alice, bob, "8.88");
        expectStatus(checkout(alice, merchant, "100.00", "monthly_3"), 201); // plan fee 1.50, platform fee 1.00
        awaitProcessorsCaughtUp();

        JsonNode report = monthly(month.toString());
        assertThat(report.get("month").asString()).isEqualTo(month.toString());
        assertThat(report.get("timeZone").asString()).isEqualTo("Asia/Shanghai");
        assertThat(Instant.parse(report.get("from").asString())).isEqualTo(start);
        assertThat(Instant.parse(report.get("to").asString()))
                .isEqualTo(month.plusMonths(1).atDay(1).atStartOfDay(SHANGHAI).toInstant());
        JsonNode figures = report.get("figures");
        JsonNode fees = figures.get("platformFees");
        assertThat(amount(fees.get("earned"))).isEqualTo("1.25");
        assertThat(amount(fees.get("refunded"))).isEqualTo("0.05");
        assertThat(amount(fees.get("net"))).isEqualTo("1.20");
        assertThat(figures.get("refunds").get("count").asLong()).isEqualTo(1);
        assertThat(amount(figures.get("refunds").get("amount"))).isEqualTo("5.00");
        assertThat(figures.get("redPackets").get("count").asLong()).isEqualTo(1);
        assertThat(amount(figures.get("redPackets").get("amount"))).isEqualTo("8.88");
        JsonNode plans = figures.get("instalmentPlans");
        assertThat(amount(plans.get("planFees"))).isEqualTo("1.50");
        assertThat(amount(plans.get("lateFees"))).isEqualTo("0.00");
        assertThat(amount(plans.get("feesReversed"))).isEqualTo("0.00");
        assertThat(amount(plans.get("netFees"))).isEqualTo("1.50");
        assertThat(plans.get("writeOffs").get("count").asLong()).isZero();
        assertThat(amount(plans.get("writeOffs").get("amount"))).isEqualTo("0.00");
        assertThat(minor(plans.get("receivablesOutstanding"))
                - minor(before.get("figures").get("instalmentPlans").get("receivablesOutstanding")))
                .as("what the new plan owes: 100.00 and its fee").isEqualTo(10_150);
        assertThat(amount(figures.get("campaigns").get("net"))).isEqualTo("0.00");
        assertThat(figures.get("merchantPayouts").get("count").asLong()).isZero();
        assertThat(amount(figures.get("merchantPayouts").get("amount"))).isEqualTo("0.00");

        assertThat(amount(before.get("figures").get("platformFees").get("earned"))).as("the payment before the month")
                .isEqualTo("0.03");
        JsonNode hkd = get("/v1/finance/reports/monthly?month=" + month + "&currency=HKD", finance()).json();
        assertThat(hkd.get("figures").get("platformFees").get("net").get("amount").asString()).isEqualTo("0.00");
    }

    // ---- Helpers ----------------------------------------------------------------------------

    private JsonNode reconciliation() {
        Response response = get("/v1/finance/reconciliation", finance());
        expectStatus(response, 200);
        return response.json();
    }

    private JsonNode monthly(String month) {
        Response response = get("/v1/finance/reports/monthly?month=" + month + "&currency=CNY", finance());
        expectStatus(response, 200);
        return response.json();
    }

    private static long minor(JsonNode money) {
        return new java.math.BigDecimal(amount(money)).movePointRight(2).longValueExact();
    }

    private String paymentOf(UserWallet payer, String merchant, String order, String amount) {
        Response paid = pay(payer, merchant, order, amount, "immediate");
        expectStatus(paid, 201);
        awaitProcessorsCaughtUp(); // the merchant's side of the capture, which the refund draws on
        return paid.json().get("paymentId").asString();
    }

    private void refund(String merchant, String paymentId, String amount) {
        expectStatus(post("/v1/payments/" + paymentId + "/refunds", merchantToken(merchant),
                "{\"refundNumber\":\"" + unique("R") + "\",\"amount\":\"" + amount + "\",\"currency\":\"CNY\"}"), 201);
    }

    private Response checkout(UserWallet buyer, String merchant, String amount, String plan) {
        return post("/v1/bnpl/checkouts", buyer.token(), "{\"merchantId\":\"" + merchant + "\",\"orderNumber\":\""
                + unique("order") + "\",\"amount\":\"" + amount + "\",\"currency\":\"CNY\",\"plan\":\"" + plan + "\"}");
    }

    private void sendPacket(UserWallet sender, UserWallet recipient, String amount) {
        expectStatus(post("/v1/red-packets", sender.token(), "{\"kind\":\"single\",\"amount\":\"" + amount
                + "\",\"currency\":\"CNY\",\"recipient\":\"" + recipient.user() + "\"}",
                Map.of("Idempotency-Key", unique("send"))), 201);
    }

    /** The journal's postings for the query, newest first, as {@code CUR amount}, following every page. */
    private List<String> amounts(String query) {
        awaitProcessorsCaughtUp();
        List<String> amounts = new ArrayList<>();
        String cursor = null;
        do {
            Response page = get("/v1/journal?limit=2&" + query + (cursor == null ? "" : "&cursor=" + cursor), finance());
            expectStatus(page, 200);
            page.json().get("items").forEach(posting -> amounts.add(posting.get("amount").get("currency").asString()
                    + " " + posting.get("amount").get("amount").asString()));
            JsonNode next = page.json().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asString();
        } while (cursor != null);
        return amounts;
    }
}
