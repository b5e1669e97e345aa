package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.hongbao.ledger.api.support.ApiTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Requests that are malformed, or that no business rule could accept, are refused with a 4xx
 * problem and its stable code, and leave the ledger exactly as it was: no event, no posting, no
 * balance moved.
 *
 * <p>The tables of bad values are dynamic tests over one fresh wallet and merchant per table: each
 * case checks that the event store recorded nothing, and the table's last case that the wallet's
 * and merchant's journals, balances and the trial balance are exactly as before.
 */
class BadInputTest extends ApiTest {

    private static final String LARGEST_AMOUNT = "999999999999999.99";

    private String adminToken;

    /** An amount exactly as sent (raw JSON), the status and the code it is refused with. */
    private record BadAmount(String json, int status, String code) {
    }

    private static final List<BadAmount> BAD_AMOUNTS = List.of(
            new BadAmount("\"-1\"", 400, "amount_not_positive"),
            new BadAmount("-1", 400, "amount_not_positive"),
            new BadAmount("\"-12.34\"", 400, "amount_not_positive"),
            new BadAmount("\"0\"", 400, "amount_not_positive"),
            new BadAmount("0", 400, "amount_not_positive"),
            new BadAmount("\"0.00\"", 400, "amount_not_positive"),
            new BadAmount("\"-0\"", 400, "amount_not_positive"),
            new BadAmount("\"0.001\"", 400, "invalid_amount_precision"),
            new BadAmount("0.001", 400, "invalid_amount_precision"),
            new BadAmount("\"1.000\"", 400, "invalid_amount_precision"),
            new BadAmount("1e309", 400, "invalid_amount"),
            new BadAmount("\"1e309\"", 400, "invalid_amount"),
            new BadAmount("1E2", 400, "invalid_amount"),
            new BadAmount("NaN", 400, "malformed_json"),
            new BadAmount("Infinity", 400, "malformed_json"),
            new BadAmount("\"NaN\"", 400, "invalid_amount"),
            new BadAmount("\"Infinity\"", 400, "invalid_amount"),
            new BadAmount("\"abc\"", 400, "invalid_amount"),
            new BadAmount("\"\"", 400, "invalid_amount"),
            new BadAmount("\" 1.00\"", 400, "invalid_amount"),
            new BadAmount("\"+1.00\"", 400, "invalid_amount"),
            new BadAmount("\"1,00\"", 400, "invalid_amount"),
            new BadAmount("\"0x10\"", 400, "invalid_amount"),
            new BadAmount("\"1000000000000000.00\"", 400, "invalid_amount"),
            new BadAmount("true", 400, "invalid_amount"),
            new BadAmount("{\"x\":1}", 400, "invalid_amount"),
            new BadAmount("[1]", 400, "invalid_amount"),
            new BadAmount("null", 400, "missing_field"));

    @TestFactory
    Stream<DynamicTest> a_payment_of_a_bad_amount_is_refused_with_its_code_and_moves_no_money() {
        Fixture fixture = fixture();
        List<DynamicTest> cases = new ArrayList<>();
        for (BadAmount amount : BAD_AMOUNTS) {
            cases.add(refusal("amount " + amount.json(), amount.status(), amount.code(),
                    () -> post("/v1/payments", fixture.payer().token(), payment(fixture.merchant(), amount.json(), "\"CNY\""))));
        }
        return withUnchangedLedger(fixture, cases);
    }

    @TestFactory
    Stream<DynamicTest> a_top_up_of_a_bad_amount_is_refused_with_its_code_and_credits_nothing() {
        Fixture fixture = fixture();
        List<DynamicTest> cases = new ArrayList<>();
        for (BadAmount amount : BAD_AMOUNTS) {
            cases.add(refusal("amount " + amount.json(), amount.status(), amount.code(),
                    () -> post(topUps(fixture.payer()), admin(), topUp(unique("bank"), amount.json(), "\"CNY\""))));
        }
        return withUnchangedLedger(fixture, cases);
    }

    @Test
    void an_amount_with_a_hundred_million_digit_exponent_is_refused_at_once_without_computing_it() {
        Fixture fixture = fixture();
        LedgerState before = fixture.state();

        for (String amount : new String[] {"\"1e100000000\"", "1e100000000", "\"1E-100000000\"", "\"-1e100000000\""}) {
            long start = System.nanoTime();
            Response payment = post("/v1/payments", fixture.payer().token(), payment(fixture.merchant(), amount, "\"CNY\""));
            Response topUp = post(topUps(fixture.payer()), admin(), topUp(unique("bank"), amount, "\"CNY\""));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            expectProblem(payment, 400, "invalid_amount");
            expectProblem(topUp, 400, "invalid_amount");
            assertThat(elapsed).as("two requests with amount %s", amount).isLessThan(Duration.ofSeconds(2));
        }
        assertThat(fixture.state()).isEqualTo(before);
    }

    @Test
    void a_number_longer_than_the_json_parser_allows_is_malformed_json_and_as_text_an_invalid_amount() {
        Fixture fixture = fixture();
        LedgerState before = fixture.state();
        String thousandsOfDigits = "1" + "0".repeat(5_000);

        Response payment = post("/v1/payments", fixture.payer().token(),
                payment(fixture.merchant(), thousandsOfDigits, "\"CNY\""));
        Response topUp = post(topUps(fixture.payer()), admin(), topUp(unique("bank"), thousandsOfDigits, "\"CNY\""));
        Response paymentAsText = post("/v1/payments", fixture.payer().token(),
                payment(fixture.merchant(), "\"" + thousandsOfDigits + "\"", "\"CNY\""));
        Response topUpAsText = post(topUps(fixture.payer()), admin(),
                topUp(unique("bank"), "\"" + thousandsOfDigits + "\"", "\"CNY\""));

        // Jackson's stream constraints refuse numbers of more than 1,000 digits while reading the body.
        expectProblem(payment, 400, "malformed_json");
        expectProblem(topUp, 400, "malformed_json");
        expectProblem(paymentAsText, 400, "invalid_amount");
        expectProblem(topUpAsText, 400, "invalid_amount");
        assertThat(fixture.state()).isEqualTo(before);
    }

    @TestFactory
    Stream<DynamicTest> a_currency_the_ledger_does_not_support_is_refused_on_payments_and_top_ups() {
        Fixture fixture = fixture();
        List<DynamicTest> cases = new ArrayList<>();
        for (String currency : new String[] {"\"XYZ\"", "\"cny\"", "\"JPY\"", "\"\"", "12", "true"}) {
            // A flag is not text at all: the wrong type. A whole number reads as its digits: no currency.
            String code = currency.equals("true") ? "invalid_field_type" : "unsupported_currency";
            cases.add(refusal("payment in " + currency, 400, code,
                    () -> post("/v1/payments", fixture.payer().token(), payment(fixture.merchant(), "\"1.00\"", currency))));
            cases.add(refusal("top-up in " + currency, 400, code,
                    () -> post(topUps(fixture.payer()), admin(), topUp(unique("bank"), "\"1.00\"", currency))));
        }
        return withUnchangedLedger(fixture, cases);
    }

    @Test
    void paying_a_yuan_merchant_in_hong_kong_dollars_is_a_currency_mismatch() {
        Fixture fixture = fixture();
        expectStatus(post("/v1/wallets", fixture.payer().token(), "{\"currency\":\"HKD\"}"), 201);
        LedgerState before = fixture.state();

        Response response = post("/v1/payments", fixture.payer().token(), payment(fixture.merchant(), "\"1.00\"", "\"HKD\""));

        expectProblem(response, 422, "currency_mismatch");
        assertThat(fixture.state()).isEqualTo(before);
    }

    @Test
    void topping_up_a_yuan_wallet_in_hong_kong_dollars_is_a_currency_mismatch() {
        Fixture fixture = fixture();
        LedgerState before = fixture.state();

        Response response = post(topUps(fixture.payer()), admin(), topUp(unique("bank"), "\"1.00\"", "\"HKD\""));

        expectProblem(response, 422, "currency_mismatch");
        assertThat(fixture.state()).isEqualTo(before);
    }

    /**
     * Runs in US dollars: every top-up is mirrored on the one external bank funding account of its
     * currency, which this test drives to within 0.3% of the largest amount the journal can hold.
     * The other tests work in yuan, so their top-ups never meet that account.
     */
    @Test
    void top_ups_that_would_overflow_the_balance_are_refused_as_balance_overflow_and_credit_nothing() {
        String user = unique("u");
        String token = token(user, "user");
        Response opened = post("/v1/wallets", token, "{\"currency\":\"USD\"}");
        expectStatus(opened, 201);
        String walletId = opened.json().get("walletId").asString();

        int accepted = 0;
        Response refused = null;
        String balanceBeforeRefusal = null;
        long headBeforeRefusal = -1;
        while (refused == null && accepted < 100) {
            long head = eventStoreHead();
            Response response = post("/v1/wallets/" + walletId + "/top-ups", admin(),
                    topUp(unique("bank"), "\"" + LARGEST_AMOUNT + "\"", "\"USD\""));
            if (response.status() == 201) {
                accepted++;
                balanceBeforeRefusal = response.json().get("available").get("amount").asString();
            } else {
                refused = response;
                headBeforeRefusal = head;
            }
        }

        // Long.MAX_VALUE cents is 92233720368547758.07; 92 of the largest amounts fit, the 93rd does not.
        assertThat(accepted).isEqualTo(92);
        expectProblem(refused, 422, "balance_overflow");
        assertThat(eventStoreHead()).isEqualTo(headBeforeRefusal);
        assertThat(balanceBeforeRefusal).isEqualTo("91999999999999999.08");
        LedgerState before = ledgerState("wallet:" + walletId, "external_bank_funding:platform");
        Response journal = get("/v1/journal?limit=200&accountId=wallet:" + walletId, token("fin", "finance"));
        assertThat(journal.json().get("items").size()).isEqualTo(92);
        Response wallet = get("/v1/wallets/" + walletId, token);
        assertThat(wallet.json().get("available").get("amount").asString()).isEqualTo("91999999999999999.08");

        Response again = post("/v1/wallets/" + walletId + "/top-ups", admin(),
                topUp(unique("bank"), "\"" + LARGEST_AMOUNT + "\"", "\"USD\""));
        Response oneCent = post("/v1/wallets/" + walletId + "/top-ups", admin(),
                topUp(unique("bank"), "\"0.01\"", "\"USD\""));

        expectProblem(again, 422, "balance_overflow");
        expectStatus(oneCent, 201);
        assertThat(oneCent.json().get("available").get("amount").asString()).isEqualTo("91999999999999999.09");
        Response trial = get("/v1/trial-balance", token("fin", "finance"));
        assertThat(trial.json().get("balanced").asBoolean()).as(trial.toString()).isTrue();
        assertThat(before.eventStoreHead()).isEqualTo(headBeforeRefusal);
    }

    @TestFactory
    Stream<DynamicTest> a_field_the_api_does_not_define_is_refused_as_unknown_field() {
        Fixture fixture = fixture();
        List<DynamicTest> cases = new ArrayList<>();
        for (String field : new String[] {"balance", "ownerId", "status", "walletId", "fee"}) {
            String extra = ",\"" + field + "\":\"999.00\"}";
            cases.add(refusal("payment with " + field, 400, "unknown_field", () -> post("/v1/payments",
                    fixture.payer().token(), withoutClosingBrace(payment(fixture.merchant(), "\"1.00\"", "\"CNY\"")) + extra)));
            cases.add(refusal("top-up with " + field, 400, "unknown_field", () -> post(topUps(fixture.payer()), admin(),
                    withoutClosingBrace(topUp(unique("bank"), "\"1.00\"", "\"CNY\"")) + extra)));
            cases.add(refusal("opening a wallet with " + field, 400, "unknown_field",
                    () -> post("/v1/wallets", token(unique("u"), "user"), "{\"currency\":\"CNY\"" + extra)));
        }
        return withUnchangedLedger(fixture, cases);
    }

    @Test
    void a_field_given_twice_is_refused_as_duplicate_field() {
        Fixture fixture = fixture();
        LedgerState before = fixture.state();

        Response payment = post("/v1/payments", fixture.payer().token(), "{\"merchantId\":\"" + fixture.merchant()
                + "\",\"orderNumber\":\"o-1\",\"amount\":\"1.00\",\"amount\":\"90.00\",\"currency\":\"CNY\"}");
        Response sameValueTwice = post("/v1/payments", fixture.payer().token(), "{\"merchantId\":\"" + fixture.merchant()
                + "\",\"orderNumber\":\"o-2\",\"amount\":\"1.00\",\"currency\":\"CNY\",\"currency\":\"CNY\"}");
        Response topUp = post(topUps(fixture.payer()), admin(),
                "{\"bankReference\":\"a\",\"bankReference\":\"b\",\"amount\":\"1.00\",\"currency\":\"CNY\"}");

        expectProblem(payment, 400, "duplicate_field");
        expectProblem(sameValueTwice, 400, "duplicate_field");
        expectProblem(topUp, 400, "duplicate_field");
        assertThat(fixture.state()).isEqualTo(before);
    }

    @Test
    void a_body_above_sixty_four_kibibytes_is_refused_as_payload_too_large_with_or_without_a_length() {
        Fixture fixture = fixture();
        LedgerState before = fixture.state();
        String padding = "x".repeat(64 * 1024);
        String largePayment = "{\"merchantId\":\"" + fixture.merchant()
                + "\",\"orderNumber\":\"o-1\",\"amount\":\"1.00\",\"currency\":\"CNY\",\"description\":\"" + padding + "\"}";

        Response payment = post("/v1/payments", fixture.payer().token(), largePayment);
        Response topUp = post(topUps(fixture.payer()), admin(), "{\"bankReference\":\"" + padding
                + "\",\"amount\":\"1.00\",\"currency\":\"CNY\"}");
        Response chunkedPayment = postChunked("/v1/payments", fixture.payer().token(), largePayment);

        expectProblem(payment, 413, "payload_too_large");
        expectProblem(topUp, 413, "payload_too_large");
        expectProblem(chunkedPayment, 413, "payload_too_large");
        assertThat(fixture.state()).isEqualTo(before);
    }

    @Test
    void a_chunked_body_within_the_limit_is_accepted() {
        Fixture fixture = fixture();

        Response payment = postChunked("/v1/payments", fixture.payer().token(),
                payment(fixture.merchant(), "\"1.00\"", "\"CNY\""));

        expectStatus(payment, 201);
        assertThat(payment.json().get("captured").get("amount").asString()).isEqualTo("1.00");
    }

    @Test
    void a_page_of_more_than_two_hundred_items_is_refused_as_page_size_too_large() {
        Fixture fixture = fixture();
        String finance = token("fin", "finance");
        String merchant = merchantToken(fixture.merchant());
        LedgerState before = fixture.state();

        expectProblem(get("/v1/journal?limit=201", finance), 400, "page_size_too_large");
        expectProblem(get("/v1/journal?limit=2147483647", finance), 400, "page_size_too_large");
        expectProblem(get(history(fixture.payer()) + "?limit=201", fixture.payer().token()), 400, "page_size_too_large");
        expectProblem(get("/v1/merchants/" + fixture.merchant() + "/history?limit=201", merchant), 400,
                "page_size_too_large");
        expectProblem(get("/v1/merchants/" + fixture.merchant() + "/payments?limit=201", merchant), 400,
                "page_size_too_large");
        expectProblem(get("/v1/journal?limit=99999999999", finance), 400, "page_size_too_large");
        expectStatus(get("/v1/journal?limit=200", finance), 200);
        expectStatus(get(history(fixture.payer()) + "?limit=200", fixture.payer().token()), 200);
        assertThat(fixture.state()).isEqualTo(before);
    }

    @TestFactory
    Stream<DynamicTest> a_page_size_that_is_not_a_positive_whole_number_is_an_invalid_parameter() {
        Fixture fixture = fixture();
        String finance = token("fin", "finance");
        List<DynamicTest> cases = new ArrayList<>();
        for (String limit : new String[] {"0", "-1", "abc", "1.5", "-99999999999"}) {
            cases.add(refusal("journal with limit=" + limit, 400, "invalid_parameter",
                    () -> get("/v1/journal?limit=" + limit, finance)));
            cases.add(refusal("wallet history with limit=" + limit, 400, "invalid_parameter",
                    () -> get(history(fixture.payer()) + "?limit=" + limit, fixture.payer().token())));
        }
        return withUnchangedLedger(fixture, cases);
    }

    @TestFactory
    Stream<DynamicTest> a_cursor_the_service_did_not_issue_is_refused_as_invalid_cursor() {
        Fixture fixture = fixture();
        String finance = token("fin", "finance");
        String merchant = merchantToken(fixture.merchant());
        List<String> garbage = List.of("garbage", "%25%25%25", "bm90LWEtY3Vyc29y", "", base64("12"), base64("x.1"),
                base64("99999999999999999999.1"), base64("."));
        List<DynamicTest> cases = new ArrayList<>();
        for (String cursor : garbage) {
            cases.add(refusal("journal with cursor '" + cursor + "'", 400, "invalid_cursor",
                    () -> get("/v1/journal?cursor=" + cursor, finance)));
            cases.add(refusal("wallet history with cursor '" + cursor + "'", 400, "invalid_cursor",
                    () -> get(history(fixture.payer()) + "?cursor=" + cursor, fixture.payer().token())));
            cases.add(refusal("merchant history with cursor '" + cursor + "'", 400, "invalid_cursor",
                    () -> get("/v1/merchants/" + fixture.merchant() + "/history?cursor=" + cursor, merchant)));
            cases.add(refusal("merchant payments with cursor '" + cursor + "'", 400, "invalid_cursor",
                    () -> get("/v1/merchants/" + fixture.merchant() + "/payments?cursor=" + cursor, merchant)));
        }
        // Journal cursors end in a posting's index, payment cursors in a time no payment can have.
        cases.add(refusal("journal with a cursor ending in text", 400, "invalid_cursor",
                () -> get("/v1/journal?cursor=" + base64("1.x"), finance)));
        for (long micros : new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE}) {
            cases.add(refusal("merchant payments with a cursor at " + micros + " microseconds", 400, "invalid_cursor",
                    () -> get("/v1/merchants/" + fixture.merchant() + "/payments?cursor=" + base64(micros + ".p_1"), merchant)));
        }
        return withUnchangedLedger(fixture, cases);
    }

    @TestFactory
    Stream<DynamicTest> a_fee_rate_that_is_not_a_number_is_refused_as_invalid_field_type() {
        Fixture fixture = fixture();
        List<DynamicTest> cases = new ArrayList<>();
        for (String feeRate : new String[] {"\"abc\"", "{}", "[60]", "true", "99999999999"}) {
            String merchantId = unique("m");
            cases.add(refusal("feeRateBasisPoints " + feeRate, 400, "invalid_field_type", () -> {
                Response response = post("/v1/merchants", admin(), "{\"merchantId\":\"" + merchantId
                        + "\",\"name\":\"Shop\",\"feeRateBasisPoints\":" + feeRate + "}");
                expectProblem(get("/v1/merchants/" + merchantId, admin()), 404, "merchant_not_found");
                return response;
            }));
        }
        return withUnchangedLedger(fixture, cases);
    }

    @Test
    void an_object_where_a_text_field_belongs_is_refused_as_invalid_field_type() {
        Fixture fixture = fixture();
        LedgerState before = fixture.state();

        Response payment = post("/v1/payments", fixture.payer().token(), "{\"merchantId\":{\"id\":\"" + fixture.merchant()
                + "\"},\"orderNumber\":\"o-1\",\"amount\":\"1.00\",\"currency\":\"CNY\"}");
        Response topUp = post(topUps(fixture.payer()), admin(),
                "{\"bankReference\":[\"a\"],\"amount\":\"1.00\",\"currency\":\"CNY\"}");

        expectProblem(payment, 400, "invalid_field_type");
        assertThat(payment.json().get("detail").asString()).contains("merchantId");
        expectProblem(topUp, 400, "invalid_field_type");
        assertThat(topUp.json().get("detail").asString()).contains("bankReference");
        assertThat(fixture.state()).isEqualTo(before);
    }

    @TestFactory
    Stream<DynamicTest> a_request_without_a_required_field_is_refused_as_missing_field() {
        Fixture fixture = fixture();
        String merchant = fixture.merchant();
        Map<String, String> payments = Map.of(
                "merchantId", "{\"orderNumber\":\"o-1\",\"amount\":\"1.00\",\"currency\":\"CNY\"}",
                "orderNumber", "{\"merchantId\":\"" + merchant + "\",\"amount\":\"1.00\",\"currency\":\"CNY\"}",
                "amount", "{\"merchantId\":\"" + merchant + "\",\"orderNumber\":\"o-1\",\"currency\":\"CNY\"}",
                "currency", "{\"merchantId\":\"" + merchant + "\",\"orderNumber\":\"o-1\",\"amount\":\"1.00\"}");
        Map<String, String> topUps = Map.of(
                "bankReference", "{\"amount\":\"1.00\",\"currency\":\"CNY\"}",
                "amount", "{\"bankReference\":\"b-1\",\"currency\":\"CNY\"}",
                "currency", "{\"bankReference\":\"b-1\",\"amount\":\"1.00\"}");
        List<DynamicTest> cases = new ArrayList<>();
        payments.forEach((field, body) -> cases.add(missing("payment without " + field, field,
                () -> post("/v1/payments", fixture.payer().token(), body))));
        cases.add(missing("empty payment", "merchantId", () -> post("/v1/payments", fixture.payer().token(), "{}")));
        topUps.forEach((field, body) -> cases.add(missing("top-up without " + field, field,
                () -> post(topUps(fixture.payer()), admin(), body))));
        cases.add(missing("empty top-up", "bankReference", () -> post(topUps(fixture.payer()), admin(), "{}")));
        cases.add(missing("onboarding without merchantId", "merchantId",
                () -> post("/v1/merchants", admin(), "{\"name\":\"Shop\",\"feeRateBasisPoints\":60}")));
        cases.add(missing("onboarding without name", "name", () -> post("/v1/merchants", admin(),
                "{\"merchantId\":\"" + unique("m") + "\",\"feeRateBasisPoints\":60}")));
        cases.add(missing("opening a wallet without currency", "currency",
                () -> post("/v1/wallets", token(unique("u"), "user"), "{}")));
        cases.add(missing("withdrawal without amount", "amount", () -> post(history(fixture.payer()).replace("history",
                "withdrawals"), fixture.payer().token(), "{\"bankAccountToken\":\"acct-1\",\"currency\":\"CNY\"}",
                Map.of("Idempotency-Key", unique("k")))));
        return withUnchangedLedger(fixture, cases);
    }

    @Test
    void a_request_without_a_body_or_with_broken_json_is_refused_as_malformed_json() {
        Fixture fixture = fixture();
        LedgerState before = fixture.state();

        expectProblem(post("/v1/payments", fixture.payer().token(), ""), 400, "malformed_json");
        expectProblem(post("/v1/payments", fixture.payer().token(), "{\"merchantId\":"), 400, "malformed_json");
        expectProblem(post("/v1/payments", fixture.payer().token(), "[]"), 400, "invalid_field_type");
        expectProblem(post("/v1/payments", fixture.payer().token(), "{\"merchantId\":\"m\"}{\"merchantId\":\"m\"}"), 400,
                "malformed_json");
        expectProblem(post(topUps(fixture.payer()), admin(), "{'amount':'1.00'}"), 400, "malformed_json");
        expectProblem(post(topUps(fixture.payer()), admin(), "null"), 400, "malformed_json");
        assertThat(fixture.state()).isEqualTo(before);
    }

    @TestFactory
    Stream<DynamicTest> a_fee_rate_outside_zero_to_ten_percent_is_refused_as_invalid_fee_rate() {
        Fixture fixture = fixture();
        List<DynamicTest> cases = new ArrayList<>();
        for (int feeRate : new int[] {1001, 10_000, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            String merchantId = unique("m");
            cases.add(refusal("feeRateBasisPoints " + feeRate, 400, "invalid_fee_rate", () -> {
                Response response = post("/v1/merchants", admin(), JSON.writeValueAsString(
                        Map.of("merchantId", merchantId, "name", "Shop", "feeRateBasisPoints", feeRate)));
                expectProblem(get("/v1/merchants/" + merchantId, admin()), 404, "merchant_not_found");
                return response;
            }));
        }
        cases.add(dynamicTest("the rates at the edges, 0 and 1000, are accepted", () -> {
            for (int feeRate : new int[] {0, 1000}) {
                Response response = post("/v1/merchants", admin(), JSON.writeValueAsString(
                        Map.of("merchantId", unique("m"), "name", "Shop", "feeRateBasisPoints", feeRate)));
                expectStatus(response, 201);
            }
        }));
        return cases.stream();
    }

    // ---- Helpers ----------------------------------------------------------------------------

    /** A merchant and a user's wallet holding 100.00 CNY, both fresh. */
    private record Fixture(String merchant, UserWallet payer, Supplier<LedgerState> stateReader) {
        LedgerState state() {
            return stateReader.get();
        }
    }

    private Fixture fixture() {
        String merchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "100.00");
        return new Fixture(merchant, payer,
                () -> ledgerState("wallet:" + payer.walletId(), "merchant:" + merchant));
    }

    /** A case of a table: the request is refused with the status and code, and the event store records nothing. */
    private DynamicTest refusal(String name, int status, String code, Supplier<Response> request) {
        return dynamicTest(name + " -> " + status + " " + code, () -> {
            long head = eventStoreHead();
            expectProblem(request.get(), status, code);
            assertThat(eventStoreHead()).as("events recorded by a refused request").isEqualTo(head);
        });
    }

    private DynamicTest missing(String name, String field, Supplier<Response> request) {
        return refusal(name, 400, "missing_field", () -> {
            Response response = request.get();
            assertThat(response.body()).as(name).contains("'" + field + "'");
            return response;
        });
    }

    /** The cases, then one that the fixture's accounts and the trial balance are as they were before them. */
    private Stream<DynamicTest> withUnchangedLedger(Fixture fixture, List<DynamicTest> cases) {
        LedgerState before = fixture.state();
        return Stream.concat(cases.stream(), Stream.of(dynamicTest("and the ledger is exactly as before",
                () -> assertThat(fixture.state()).isEqualTo(before))));
    }

    private static String base64(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    private long eventStoreHead() {
        Long head = jdbc.queryForObject("SELECT COALESCE(MAX(global_index), -1) FROM event_entry", Long.class);
        return head == null ? -1 : head;
    }

    private String admin() {
        if (adminToken == null) {
            adminToken = token("admin-1", "admin");
        }
        return adminToken;
    }

    private static String topUps(UserWallet wallet) {
        return "/v1/wallets/" + wallet.walletId() + "/top-ups";
    }

    private static String history(UserWallet wallet) {
        return "/v1/wallets/" + wallet.walletId() + "/history";
    }

    /** A payment body with the amount and currency exactly as given (raw JSON). */
    private static String payment(String merchant, String amountJson, String currencyJson) {
        return "{\"merchantId\":\"" + merchant + "\",\"orderNumber\":\"" + unique("o") + "\",\"amount\":" + amountJson
                + ",\"currency\":" + currencyJson + ",\"captureMode\":\"immediate\"}";
    }

    /** A top-up body with the amount and currency exactly as given (raw JSON). */
    private static String topUp(String bankReference, String amountJson, String currencyJson) {
        return "{\"bankReference\":\"" + bankReference + "\",\"amount\":" + amountJson + ",\"currency\":" + currencyJson + "}";
    }

    private static String withoutClosingBrace(String json) {
        return json.substring(0, json.lastIndexOf('}'));
    }

    /** Posts with chunked transfer encoding: no Content-Length for the server to check up front. */
    private Response postChunked(String path, String token, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofString(body)))
                .build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
