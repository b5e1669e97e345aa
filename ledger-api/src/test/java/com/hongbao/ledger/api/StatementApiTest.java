package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.settlement.SettlementSweep;
import com.hongbao.ledger.api.web.StatementController;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import com.hongbao.ledger.api.support.LedgerApiTest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.JsonNode;

/**
 * Daily statements and T+1 settlement over HTTP, with the clock moved day by day: a day's totals
 * and lines, its closing as the next day's opening, the payout of its net once (also with two
 * sweeps racing), a negative net carried forward, payouts held and released, a late event as an
 * adjustment on the day it was recorded, the CSV bill against a hand-computed fixture and its limit
 * on concurrent downloads, reconciliation reporting statements that no longer agree, and the bulk
 * rebuild of the statements.
 *
 * <p>Events are recorded on the test's clock here ({@link GenericEventMessage#clock}), so that
 * "recorded after the day closed" can be arranged.
 */
class StatementApiTest extends LedgerApiTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Autowired
    private SettlementSweep settlement;

    @Autowired
    private StatementController statementController;

    @BeforeEach
    void recordEventsOnTheTestClock() {
        GenericEventMessage.clock = clock;
    }

    @AfterEach
    void recordEventsOnTheSystemClock() {
        GenericEventMessage.clock = Clock.systemUTC();
    }

    private record Shop(String merchantId, String token, UserWallet payer) {
    }

    private Shop shop(String topUp) {
        String merchantId = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), topUp);
        return new Shop(merchantId, merchantToken(merchantId), payer);
    }

    /** Moves the clock to noon (Shanghai) of the day after the clock's current day; returns that day. */
    private LocalDate nextDayAtNoon() {
        LocalDate day = LocalDate.ofInstant(clock.instant(), SHANGHAI).plusDays(1);
        clock.advance(Duration.between(clock.instant(), day.atTime(LocalTime.NOON).atZone(SHANGHAI).toInstant()));
        return day;
    }

    private String pay(Shop shop, String amount) {
        Response paid = pay(shop.payer(), shop.merchantId(), unique("order"), amount, "immediate");
        expectStatus(paid, 201);
        return paid.json().get("paymentId").asString();
    }

    /** Refunds once the journal shows the merchant's credits, which the merchant's balance is decided on (ADR 7). */
    private Response refund(Shop shop, String paymentId, String number, String amount) {
        awaitProcessorsCaughtUp();
        return post("/v1/payments/" + paymentId + "/refunds", shop.token(),
                "{\"refundNumber\":\"" + number + "\",\"amount\":\"" + amount + "\",\"currency\":\"CNY\"}");
    }

    private JsonNode statement(Shop shop, LocalDate day) {
        awaitProcessorsCaughtUp();
        Response response = get("/v1/merchants/" + shop.merchantId() + "/statements/" + day, shop.token());
        expectStatus(response, 200);
        return response.json();
    }

    /** Runs the settlement sweep (for every merchant in the database, other tests' too). */
    private void settle() {
        awaitProcessorsCaughtUp();
        settlement.sweep();
        awaitProcessorsCaughtUp();
    }

    private JsonNode settlements(Shop shop, LocalDate from, LocalDate to) {
        Response response = get("/v1/merchants/" + shop.merchantId() + "/settlements?from=" + from + "&to=" + to,
                finance());
        expectStatus(response, 200);
        return response.json();
    }

    private static String money(JsonNode node, String field) {
        return amount(node.get(field));
    }

    @Test
    void a_days_statement_adds_up_closes_into_the_next_day_and_is_paid_out_once() throws Exception {
        LocalDate day = nextDayAtNoon();
        Shop shop = shop("500.00");
        String first = pay(shop, "100.00");
        pay(shop, "50.00");
        expectStatus(refund(shop, first, "R-1", "20.00"), 201);
        Instant now = clock.instant();
        expectStatus(post("/v1/merchants/" + shop.merchantId() + "/campaigns", shop.token(), "{\"name\":\"Tea\","
                + "\"currency\":\"CNY\",\"budget\":\"10.00\",\"startsAt\":\"" + now.minus(Duration.ofHours(1))
                + "\",\"endsAt\":\"" + now.plus(Duration.ofDays(30)) + "\",\"perUserMaxCount\":1,"
                + "\"perUserMaxAmount\":\"1.00\",\"dailyMaxAmount\":\"5.00\",\"fixedAmount\":\"1.00\"}",
                Map.of("Idempotency-Key", unique("fund"))), 201);

        JsonNode open = statement(shop, day);
        assertThat(open.get("closed").asBoolean()).isFalse();
        JsonNode statement = open.get("statement");
        JsonNode totals = statement.get("totals");
        assertThat(money(statement, "opening")).isEqualTo("0.00");
        assertThat(totals.get("paymentsCount").asLong()).isEqualTo(2);
        assertThat(money(totals, "payments")).isEqualTo("150.00");
        assertThat(totals.get("refundsCount").asLong()).isEqualTo(1);
        assertThat(money(totals, "refunds")).isEqualTo("20.00");
        // 0.60 + 0.30 charged, 0.12 of the first fee refunded with a fifth of the payment.
        assertThat(money(totals, "fees")).isEqualTo("0.78");
        assertThat(money(totals, "campaign")).isEqualTo("-10.00");
        assertThat(money(totals, "payouts")).isEqualTo("0.00");
        // 99.40 + 49.70 − 19.88 − 10.00
        assertThat(money(totals, "net")).isEqualTo("119.22");
        assertThat(money(statement, "closing")).isEqualTo("119.22");
        List<String> types = new ArrayList<>();
        statement.get("lines").get("items").forEach(line -> types.add(line.get("type").asString()));
        assertThat(types).containsExactly("payment", "payment", "refund", "campaign_funding");
        settle();
        assertThat(settlements(shop, day, day)).as("the day has not closed").isEmpty();

        LocalDate next = nextDayAtNoon();
        assertThat(statement(shop, day).get("closed").asBoolean()).isTrue();
        awaitProcessorsCaughtUp();
        List<Callable<Integer>> sweeps = List.of(settlement::sweep, settlement::sweep);
        concurrently(sweeps);
        settle();
        JsonNode settled = settlements(shop, day, next);
        assertThat(settled).hasSize(1);
        assertThat(money(settled.get(0), "net")).isEqualTo("119.22");
        assertThat(money(settled.get(0), "payout")).isEqualTo("119.22");
        assertThat(money(settled.get(0), "carriedOut")).isEqualTo("0.00");
        assertThat(journal("merchant:" + shop.merchantId(), "payout")).as("two racing sweeps and a third pay once")
                .hasSize(1);
        assertThat(merchantBalance(shop.merchantId())).isEqualTo("0.00");

        JsonNode following = statement(shop, next).get("statement");
        assertThat(money(following, "opening")).as("the closing of a day is the opening of the next")
                .isEqualTo("119.22");
        assertThat(money(following.get("totals"), "payouts")).isEqualTo("-119.22");
        assertThat(money(following, "closing")).isEqualTo(merchantBalance(shop.merchantId()));
        assertThat(statement(shop, day).get("statement").get("settlement").get("payout").get("amount").asString())
                .isEqualTo("119.22");
        assertTrialBalanceIsZero();
        JsonNode reconciliation = get("/v1/finance/reconciliation", finance()).json();
        assertThat(reconciliation.get("balanced").asBoolean()).as("every statement agrees with the journal: %s",
                reconciliation).isTrue();
        assertThat(reconciliation.get("merchantStatementsChecked").asLong()).isPositive();
        assertThat(reconciliation.get("settledMerchantsChecked").asLong()).as("each merchant's settlements against its statements").isPositive();

        // A settled day's statement one fen off, and one of the payer's postings one fen off: each
        // check that covers them reports it, with both sides' figures.
        String wallet = "wallet:" + shop.payer().walletId();
        Map<String, Object> posting = jdbc.queryForMap("SELECT event_id, posting_index, amount_minor FROM journal_posting"
                + " WHERE account_id = ? ORDER BY occurred_at LIMIT 1", wallet);
        long walletJournal = jdbc.queryForObject("SELECT SUM(amount_minor) FROM journal_posting WHERE account_id = ?",
                Long.class, wallet);
        String corruptDay = "UPDATE statement_day SET net_minor = net_minor + ? WHERE merchant_id = ? AND business_day = ?";
        String corruptPosting = "UPDATE journal_posting SET amount_minor = amount_minor + ? WHERE event_id = ? AND posting_index = ?";
        JsonNode corrupted;
        jdbc.update(corruptDay, 1, shop.merchantId(), java.sql.Date.valueOf(day));
        jdbc.update(corruptPosting, 1, posting.get("event_id"), posting.get("posting_index"));
        try {
            corrupted = get("/v1/finance/reconciliation", finance()).json();
        } finally {
            jdbc.update(corruptDay, -1, shop.merchantId(), java.sql.Date.valueOf(day));
            jdbc.update(corruptPosting, -1, posting.get("event_id"), posting.get("posting_index"));
        }
        List<String> differences = new ArrayList<>();
        corrupted.get("differences").forEach(d -> differences.add(d.get("check").asString() + " "
                + d.get("accountId").asString() + " " + d.get("journal").asLong() + " " + d.get("compared").asLong()));
        assertThat(corrupted.get("balanced").asBoolean()).isFalse();
        assertThat(differences).as(corrupted.toString()).containsExactlyInAnyOrder(
                // the merchant's account is at 0.00 after the payout; its statement days now sum to 0.01
                "statement_balance merchant:" + shop.merchantId() + " 0 1",
                // the day's settlement covered 119.22; the statements up to that day now say 119.23
                "settled_net merchant:" + shop.merchantId() + "/" + day + " 11923 11922",
                // the payer's account recomputed from the journal, against the balances projection
                "account_balance " + wallet + " " + (walletJournal + 1) + " " + walletJournal,
                // and against the wallet aggregate's own view
                "wallet_aggregate " + wallet + " " + (walletJournal + 1) + " " + walletJournal);
        assertThat(corrupted.get("differenceCount").asLong()).isEqualTo(4);
        assertThat(get("/v1/finance/reconciliation", finance()).json().get("balanced").asBoolean())
                .as("restored, everything agrees again").isTrue();
    }

    @Test
    void a_negative_day_is_carried_forward_and_a_held_day_waits_until_released() {
        LocalDate first = nextDayAtNoon();
        Shop shop = shop("500.00");
        String payment = pay(shop, "50.00");

        nextDayAtNoon();
        settle();
        expectStatus(put("/v1/merchants/" + shop.merchantId() + "/negative-limit", finance(),
                "{\"amount\":\"100.00\",\"currency\":\"CNY\"}"), 200);
        // 30.00 back, 0.18 of the 0.30 fee with it: the merchant pays 29.82 after its 49.70 was paid out.
        expectStatus(refund(shop, payment, "R-1", "30.00"), 201);

        nextDayAtNoon();
        settle();
        pay(shop, "100.00");

        nextDayAtNoon();
        settle();
        Response held = put("/v1/merchants/" + shop.merchantId() + "/payout-hold", finance(), "{\"held\":true}");
        expectStatus(held, 200);
        assertThat(held.json().get("changed").asBoolean()).isTrue();
        pay(shop, "10.00");

        LocalDate last = nextDayAtNoon();
        awaitProcessorsCaughtUp();
        // Finance can run settlement by hand too; it is the same sweep.
        Response run = post("/v1/finance/settlements/run", finance(), "");
        expectStatus(run, 200);
        assertThat(run.json().get("settled").asInt()).isPositive();
        awaitProcessorsCaughtUp();
        JsonNode settled = settlements(shop, first, last);
        List<String> rows = new ArrayList<>();
        settled.forEach(row -> rows.add(money(row, "net") + " " + money(row, "carriedIn") + " "
                + money(row, "payout") + " " + money(row, "carriedOut") + " " + row.get("held").asBoolean()));
        assertThat(rows).containsExactly(
                "49.70 0.00 49.70 0.00 false",
                "-29.82 0.00 0.00 -29.82 false",
                "99.40 -29.82 69.58 0.00 false",
                "9.94 0.00 0.00 9.94 true");
        awaitProcessorsCaughtUp();
        assertThat(merchantBalance(shop.merchantId())).isEqualTo("9.94");

        Response released = put("/v1/merchants/" + shop.merchantId() + "/payout-hold", finance(), "{\"held\":false}");
        expectStatus(released, 200);
        awaitProcessorsCaughtUp();
        assertThat(merchantBalance(shop.merchantId())).as("the release pays what the held day left").isEqualTo("0.00");
        assertThat(journal("merchant:" + shop.merchantId(), "payout")).hasSize(3);
        nextDayAtNoon();
        settle();
        assertThat(settlements(shop, first, last.plusDays(1))).as("a day with nothing but a payout has nothing to settle")
                .hasSize(4);
        assertTrialBalanceIsZero();
    }

    @Test
    void an_event_recorded_after_its_day_closed_is_an_adjustment_on_the_day_it_was_recorded() {
        LocalDate day = nextDayAtNoon();
        Shop shop = shop("100.00");
        String payment = pay(shop, "40.00");
        // The refund happens on the same day, but its event is recorded a day later, after the close.
        GenericEventMessage.clock = Clock.offset(clock, Duration.ofDays(1));
        expectStatus(refund(shop, payment, "R-1", "10.00"), 201);
        GenericEventMessage.clock = clock;

        JsonNode closedDay = statement(shop, day).get("statement");
        assertThat(closedDay.get("totals").get("refundsCount").asLong()).isZero();
        assertThat(money(closedDay, "closing")).isEqualTo("39.76");
        JsonNode recordedDay = statement(shop, day.plusDays(1)).get("statement");
        assertThat(recordedDay.get("totals").get("refundsCount").asLong()).isEqualTo(1);
        assertThat(recordedDay.get("totals").get("adjustmentsCount").asLong()).isEqualTo(1);
        assertThat(money(recordedDay.get("totals"), "adjustments")).isEqualTo("-9.94");
        JsonNode line = recordedDay.get("lines").get("items").get(0);
        assertThat(line.get("adjustment").asBoolean()).isTrue();
        assertThat(LocalDate.ofInstant(Instant.parse(line.get("occurredAt").asString()), SHANGHAI)).isEqualTo(day);
        awaitProcessorsCaughtUp();
        assertThat(money(recordedDay, "closing")).isEqualTo(merchantBalance(shop.merchantId()));
    }

    @Test
    void the_bulk_rebuild_writes_the_same_statements_and_the_processor_goes_on_after_it() {
        LocalDate day = nextDayAtNoon();
        Shop shop = shop("300.00");
        String payment = pay(shop, "40.00");
        pay(shop, "0.99");
        // A late refund: an adjustment on the next day.
        GenericEventMessage.clock = Clock.offset(clock, Duration.ofDays(1));
        expectStatus(refund(shop, payment, "R-1", "10.00"), 201);
        GenericEventMessage.clock = clock;
        nextDayAtNoon();
        pay(shop, "12.00");
        nextDayAtNoon();
        settle();
        expectStatus(put("/v1/merchants/" + shop.merchantId() + "/payout-hold", finance(), "{\"held\":true}"), 200);
        awaitProcessorsCaughtUp();
        Map<String, List<Map<String, Object>>> before = statementTables();
        assertThat(before.get("statement_line")).anyMatch(row -> Boolean.TRUE.equals(row.get("adjustment")));
        assertThat(before.get("settlement")).isNotEmpty();
        assertThat(before.get("payout_hold")).isNotEmpty();
        JsonNode statementBefore = statement(shop, day);

        // Only administrators rebuild; a refusal changes nothing.
        expectStatus(post("/v1/admin/statements/rebuild", finance(), ""), 403);
        // Nor while another node holds a segment of the processor.
        int claimed = jdbc.update("UPDATE token_entry SET owner = 'another-node', time_stamp = ?"
                + " WHERE processor_name = 'statements' AND segment = (SELECT MIN(segment) FROM token_entry"
                + " WHERE processor_name = 'statements')", Instant.now().toString());
        assertThat(claimed).isEqualTo(1);
        try {
            Response refused = post("/v1/admin/statements/rebuild", admin(), "");
            expectStatus(refused, 409);
            assertThat(refused.code()).isEqualTo("processor_running_elsewhere");
        } finally {
            jdbc.update("UPDATE token_entry SET owner = NULL WHERE owner = 'another-node'");
        }
        assertThat(statementTables()).isEqualTo(before);

        Response rebuilt = post("/v1/admin/statements/rebuild", admin(), "");
        expectStatus(rebuilt, 200);
        Long head = jdbc.queryForObject("SELECT MAX(global_index) FROM event_entry", Long.class);
        assertThat(rebuilt.json().get("position").asLong()).isEqualTo(head);
        assertThat(rebuilt.json().get("events").asLong()).isEqualTo(
                jdbc.queryForObject("SELECT COUNT(*) FROM event_entry", Long.class));
        assertThat(statementTables()).isEqualTo(before);
        assertThat(statement(shop, day)).isEqualTo(statementBefore);

        // The processor goes on from where the rebuild ended: the next payment is one new line, once.
        LocalDate today = LocalDate.ofInstant(clock.instant(), SHANGHAI);
        long linesToday = statement(shop, today).get("statement").get("totals").get("lines").asLong();
        pay(shop, "3.00");
        assertThat(statement(shop, today).get("statement").get("totals").get("lines").asLong())
                .isEqualTo(linesToday + 1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM statement_line", Long.class))
                .isEqualTo(before.get("statement_line").size() + 1L);
    }

    private Map<String, List<Map<String, Object>>> statementTables() {
        return Map.of(
                "statement_line", jdbc.queryForList("SELECT * FROM statement_line ORDER BY event_id, posting_index"),
                "statement_day", jdbc.queryForList("SELECT * FROM statement_day ORDER BY merchant_id, business_day, currency"),
                "settlement", jdbc.queryForList("SELECT * FROM settlement ORDER BY merchant_id, business_day"),
                "payout_hold", jdbc.queryForList("SELECT * FROM payout_hold ORDER BY merchant_id"));
    }

    @Test
    void the_csv_bill_has_the_wechat_pay_layout_protects_ids_and_adds_up() throws Exception {
        LocalDate day = nextDayAtNoon();
        String merchantId = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "100.00");
        Response paid = post("/v1/payments", payer.token(), "{\"merchantId\":\"" + merchantId
                + "\",\"orderNumber\":\"20261122000123456789\",\"amount\":\"100.00\",\"currency\":\"CNY\","
                + "\"description\":\"Tea, green \\\"Longjing\\\"\"}");
        expectStatus(paid, 201);
        String paymentId = paid.json().get("paymentId").asString();
        Shop shop = new Shop(merchantId, merchantToken(merchantId), payer);
        Response refunded = refund(shop, paymentId, "R-1", "20.00");
        expectStatus(refunded, 201);
        String refundId = refunded.json().get("refundId").asString();
        JsonNode lines = statement(shop, day).get("statement").get("lines").get("items");

        Response bill = get("/v1/merchants/" + merchantId + "/statements.csv?from=" + day + "&to=" + day, shop.token());
        expectStatus(bill, 200);
        String payerRef = "u_" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest((merchantId + "\u0000" + payer.user()).getBytes(StandardCharsets.UTF_8)), 0, 12);
        DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        String paidAt = time.format(Instant.parse(lines.get(0).get("occurredAt").asString()).atZone(SHANGHAI));
        String refundedAt = time.format(Instant.parse(lines.get(1).get("occurredAt").asString()).atZone(SHANGHAI));
        String product = "\"`Tea, green \"\"Longjing\"\"\"";
        assertThat(bill.body()).isEqualTo(String.join("\r\n",
                "`Trade time,`Merchant id,`Order number,`Ledger payment id,`User id,`Trade type,`Trade state,"
                        + "`Currency,`Settlement amount,`Refund id,`Merchant refund number,`Refund amount,"
                        + "`Refund state,`Product,`Fee,`Fee rate,`Order amount,`Requested refund amount",
                "`" + paidAt + ",`" + merchantId + ",`20261122000123456789,`" + paymentId + ",`" + payerRef
                        + ",`payment,`SUCCESS,`CNY,`100.00,`,`,`0.00,`," + product + ",`0.60,`0.60%,`100.00,`0.00",
                "`" + refundedAt + ",`" + merchantId + ",`20261122000123456789,`" + paymentId + ",`" + payerRef
                        + ",`refund,`REFUND,`CNY,`0.00,`" + refundId + ",`R-1,`20.00,`SUCCESS," + product
                        + ",`-0.12,`,`100.00,`20.00",
                "",
                "`Total trades,`Total settlement amount,`Total refund amount,`Total fee",
                // 100.00 − 20.00 − 0.48 = 79.52: what the two lines did to the balance (99.40 − 19.88).
                "`2,`100.00,`20.00,`0.48", ""));
        assertThat(new BigDecimal("100.00").subtract(new BigDecimal("20.00")).subtract(new BigDecimal("0.48")))
                .isEqualByComparingTo(merchantBalance(merchantId));
    }

    @Test
    void a_bill_beyond_the_concurrent_downloads_is_refused_until_one_finishes() throws Exception {
        LocalDate day = nextDayAtNoon();
        Shop shop = shop("10.00");
        pay(shop, "1.00");
        awaitProcessorsCaughtUp();
        String path = "/v1/merchants/" + shop.merchantId() + "/statements.csv?from=" + day + "&to=" + day;
        // Four bills whose bodies have not been written yet hold the four permits, as four slow
        // clients would; each body releases its permit once written.
        Jwt jwt = Jwt.withTokenValue("direct").header("alg", "none").subject("finance")
                .claim("roles", List.of("finance")).build();
        SecurityContextHolder.getContext().setAuthentication(
                new JwtAuthenticationToken(jwt, List.of(new SimpleGrantedAuthority("ROLE_finance"))));
        List<StreamingResponseBody> pending = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                pending.add(statementController.bill(shop.merchantId(), day.toString(), day.toString(), jwt).getBody());
            }
        } finally {
            SecurityContextHolder.clearContext();
        }

        try {
            expectProblem(get(path, shop.token()), 503, "bill_downloads_busy");
            expectStatus(get("/v1/merchants/" + shop.merchantId() + "/statements/" + day, shop.token()), 200);

            ByteArrayOutputStream written = new ByteArrayOutputStream();
            pending.removeFirst().writeTo(written);
            assertThat(written.toString(StandardCharsets.UTF_8)).contains("`1,`1.00,`0.00,`0.01");
            Response bill = get(path, shop.token());
            expectStatus(bill, 200);
            assertThat(bill.body()).isEqualTo(written.toString(StandardCharsets.UTF_8));
        } finally {
            for (StreamingResponseBody body : pending) {
                body.writeTo(OutputStream.nullOutputStream());
            }
        }
        expectStatus(get(path, shop.token()), 200);
    }

    @Test
    void bad_statement_requests_are_refused_with_clear_codes() {
        LocalDate day = nextDayAtNoon();
        Shop shop = shop("10.00");
        Shop other = shop("10.00");
        String base = "/v1/merchants/" + shop.merchantId();
        expectProblem(get(base + "/statements.csv?from=" + day + "&to=" + day.plusDays(31), shop.token()), 400,
                "bill_range_too_long");
        expectStatus(get(base + "/statements.csv?from=" + day + "&to=" + day.plusDays(30), shop.token()), 200);
        expectProblem(get(base + "/statements.csv?from=" + day + "&to=" + day.minusDays(1), shop.token()), 400,
                "invalid_parameter");
        expectProblem(get(base + "/statements/2026-13-01", shop.token()), 400, "invalid_parameter");
        expectProblem(get(base + "/statements/+999999999-12-31", shop.token()), 400, "invalid_parameter");
        expectProblem(get(base + "/statements/1969-12-31", shop.token()), 400, "invalid_parameter");
        expectProblem(get(base + "/statements/" + day, other.token()), 404, "merchant_not_found");
        expectProblem(get(base + "/statements.csv?from=" + day + "&to=" + day, other.token()), 404,
                "merchant_not_found");
        expectProblem(put(base + "/payout-hold", shop.token(), "{\"held\":true}"), 403, "forbidden");
        expectProblem(put(base + "/payout-hold", finance(), "{}"), 400, "missing_field");
    }
}
