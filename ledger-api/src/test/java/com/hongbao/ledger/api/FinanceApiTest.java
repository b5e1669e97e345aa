package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.support.ApiTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Finance's view of the ledger: the trial balance, balances now and in the past, and the journal
 * with its filters. Times are the test clock's: movements are booked at the business clock's
 * instant, so moving the clock between two of them puts a known instant between them.
 */
class FinanceApiTest extends ApiTest {

    @Test
    void the_trial_balance_is_balanced_with_every_currency_at_zero_after_a_mix_of_operations() {
        Mix mix = aMixOfOperations();

        Response trial = get("/v1/trial-balance", finance());

        expectStatus(trial, 200);
        assertThat(trial.json().get("balanced").asBoolean()).as(trial.body()).isTrue();
        Set<String> currencies = new HashSet<>();
        for (JsonNode line : trial.json().get("currencies")) {
            currencies.add(line.get("currency").asString());
            assertThat(line.get("totalMinor").asLong()).as(line.toString()).isZero();
            long sum = 0;
            for (JsonNode type : line.get("accountTypes")) {
                sum = Math.addExact(sum, type.get("balanceMinor").asLong());
            }
            assertThat(sum).as(line.toString()).isZero();
        }
        assertThat(currencies).contains("CNY", "HKD");
        assertThat(balance("merchant:" + mix.merchant())).isEqualTo("CNY 29.82");
        assertThat(balance("merchant:" + mix.hkdMerchant())).isEqualTo("HKD 7.95");
        assertThat(balance(mix.wallet())).isEqualTo("CNY 60.00");
    }

    @Test
    void an_accounts_balance_as_of_a_past_instant_counts_only_the_movements_up_to_that_instant() {
        UserWallet owner = openWallet();
        Instant beforeFirst = clock.instant().minusMillis(1);
        topUp(owner.walletId(), "10.00");
        clock.advance(Duration.ofHours(1));
        Instant between = clock.instant().minus(Duration.ofMinutes(30));
        topUp(owner.walletId(), "5.00");
        awaitProcessorsCaughtUp();
        String account = "wallet:" + owner.walletId();
        Instant firstBooked = Instant.parse(allPostings("accountId=" + account).getLast().get("occurredAt").asString());

        Response now = get("/v1/accounts/" + account + "/balance", finance());
        Response then = get("/v1/accounts/" + account + "/balance?asOf=" + between, finance());
        Response atFirst = get("/v1/accounts/" + account + "/balance?asOf=" + firstBooked, finance());
        Response justBeforeFirst = get("/v1/accounts/" + account + "/balance?asOf=" + firstBooked.minusNanos(1_000), finance());
        Response beforeAny = get("/v1/accounts/" + account + "/balance?asOf=" + beforeFirst, finance());

        assertThat(amounts(now)).containsExactly("CNY 15.00");
        assertThat(now.json().get("accountId").asString()).isEqualTo(account);
        assertThat(amounts(then)).containsExactly("CNY 10.00");
        assertThat(Instant.parse(then.json().get("asOf").asString())).isEqualTo(between);
        assertThat(amounts(atFirst)).as("movements at the instant itself count").containsExactly("CNY 10.00");
        assertThat(amounts(justBeforeFirst)).as("an account's currencies show zero before its first movement")
                .containsExactly("CNY 0.00");
        assertThat(amounts(beforeAny)).containsExactly("CNY 0.00");
        assertThat(firstBooked).isAfter(beforeFirst).isBefore(between);
    }

    @Test
    void a_balance_as_of_something_that_is_not_an_instant_is_an_invalid_parameter() {
        UserWallet owner = openWallet();
        topUp(owner.walletId(), "10.00");
        LedgerState before = ledgerState("wallet:" + owner.walletId());

        for (String asOf : new String[] {"yesterday", "2026-01-01", "2026-01-01T00:00:00", "1700000000"}) {
            expectProblem(get("/v1/accounts/wallet:" + owner.walletId() + "/balance?asOf=" + asOf, finance()), 400,
                    "invalid_parameter");
        }
        expectProblem(get("/v1/journal?from=tomorrow", finance()), 400, "invalid_parameter");
        expectProblem(get("/v1/journal?to=2026-13-01T00:00:00Z", finance()), 400, "invalid_parameter");
        assertThat(ledgerState("wallet:" + owner.walletId())).isEqualTo(before);
    }

    @Test
    void the_journal_filters_by_movement_type() {
        Mix mix = aMixOfOperations();

        // Amounts sorted as text: the two hold releases are made asynchronously, in either order.
        Map<String, List<String>> walletMovements = new TreeMap<>();
        for (String type : new String[] {"top_up", "withdrawal", "payment_debit", "payment_authorisation",
                "authorisation_release", "payment_capture"}) {
            walletMovements.put(type, allPostings("accountId=" + mix.wallet() + "&movementType=" + type).stream()
                    .peek(posting -> assertThat(posting.get("movementType").asString()).isEqualTo(type))
                    .map(posting -> posting.get("amount").get("amount").asString()).sorted().toList());
        }
        List<JsonNode> captures = allPostings("accountId=merchant:" + mix.merchant() + "&movementType=payment_capture");
        List<JsonNode> anyWithdrawals = allPostings("movementType=withdrawal&from=" + mix.from() + "&to=" + mix.to());

        assertThat(walletMovements).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "authorisation_release", List.of("12.00", "20.00"),
                "payment_authorisation", List.of("-20.00", "-30.00"),
                "payment_capture", List.of(),
                "payment_debit", List.of("-12.00"),
                "top_up", List.of("100.00"),
                "withdrawal", List.of("-10.00"))));
        assertThat(captures).extracting(posting -> posting.get("amount").get("amount").asString())
                .containsExactly("17.89", "11.93");
        assertThat(anyWithdrawals).extracting(posting -> posting.get("movementType").asString()).containsOnly("withdrawal");
        assertThat(anyWithdrawals).extracting(posting -> posting.get("accountId").asString())
                .containsExactly("external_bank_withdrawals:platform", mix.wallet());
    }

    @Test
    void the_journal_filters_by_account() {
        Mix mix = aMixOfOperations();

        List<JsonNode> wallet = allPostings("accountId=" + mix.wallet());
        List<JsonNode> merchant = allPostings("accountId=merchant:" + mix.merchant());

        assertThat(wallet).hasSize(7).allSatisfy(posting -> assertThat(posting.get("accountId").asString()).isEqualTo(mix.wallet()));
        assertThat(merchant).hasSize(2)
                .allSatisfy(posting -> assertThat(posting.get("accountId").asString()).isEqualTo("merchant:" + mix.merchant()));
        assertThat(allPostings("accountId=wallet:" + unique("w"))).isEmpty();
    }

    @Test
    void the_journal_filters_by_time_from_inclusive_to_exclusive() {
        UserWallet owner = openWallet();
        String account = "wallet:" + owner.walletId();
        topUp(owner.walletId(), "1.00");
        clock.advance(Duration.ofHours(1));
        Instant afterFirst = clock.instant().minus(Duration.ofMinutes(30));
        topUp(owner.walletId(), "2.00");
        clock.advance(Duration.ofHours(1));
        Instant afterSecond = clock.instant().minus(Duration.ofMinutes(30));
        topUp(owner.walletId(), "3.00");
        Instant second = Instant.parse(allPostings("accountId=" + account).get(1).get("occurredAt").asString());

        assertThat(amountsOf("accountId=" + account + "&from=" + afterFirst + "&to=" + afterSecond)).containsExactly("2.00");
        assertThat(amountsOf("accountId=" + account + "&from=" + afterFirst)).containsExactly("3.00", "2.00");
        assertThat(amountsOf("accountId=" + account + "&to=" + afterSecond)).containsExactly("2.00", "1.00");
        assertThat(amountsOf("accountId=" + account + "&from=" + second + "&to=" + afterSecond)).containsExactly("2.00");
        assertThat(amountsOf("accountId=" + account + "&from=" + afterFirst + "&to=" + second)).isEmpty();
        // A range that ends before it starts is a mistake in the request, as for bills and settlements.
        expectProblem(get("/v1/journal?accountId=" + account + "&from=" + afterSecond + "&to=" + afterFirst, finance()),
                400, "invalid_parameter");
    }

    @Test
    void an_unknown_movement_type_or_a_malformed_account_is_an_invalid_parameter() {
        UserWallet owner = openWallet();
        topUp(owner.walletId(), "10.00");
        LedgerState before = ledgerState("wallet:" + owner.walletId());

        for (String movementType : new String[] {"refund", "TOP_UP", "top-up", ""}) {
            expectProblem(get("/v1/journal?movementType=" + movementType, finance()), 400, "invalid_parameter");
        }
        for (String accountId : new String[] {"nocolon", "bogus:x", "wallet:", ":x", "wallet:a:b", "WALLET:x"}) {
            String encoded = URLEncoder.encode(accountId, StandardCharsets.UTF_8);
            expectProblem(get("/v1/journal?accountId=" + encoded, finance()), 400, "invalid_parameter");
            expectProblem(get("/v1/accounts/" + encoded + "/balance", finance()), 400, "invalid_parameter");
        }
        assertThat(ledgerState("wallet:" + owner.walletId())).isEqualTo(before);
    }

    @Test
    void the_balance_of_an_account_without_postings_is_not_found() {
        UserWallet owner = openWallet();
        awaitProcessorsCaughtUp();

        expectProblem(get("/v1/accounts/wallet:" + owner.walletId() + "/balance", finance()), 404, "account_not_found");
        expectProblem(get("/v1/accounts/merchant:" + unique("m") + "/balance", finance()), 404, "account_not_found");
        expectProblem(get("/v1/accounts/wallet:" + owner.walletId() + "/balance?asOf=2026-01-01T00:00:00Z", finance()),
                404, "account_not_found");
        topUp(owner.walletId(), "1.00");
        awaitProcessorsCaughtUp();
        expectStatus(get("/v1/accounts/wallet:" + owner.walletId() + "/balance", finance()), 200);
    }

    @Test
    void the_postings_of_every_journal_entry_sum_to_zero_in_each_currency() {
        Mix mix = aMixOfOperations();

        List<JsonNode> postings = allPostings("from=" + mix.from() + "&to=" + mix.to());

        Map<String, Map<String, Long>> sums = new TreeMap<>();
        Map<String, Integer> counts = new HashMap<>();
        Set<String> keys = new HashSet<>();
        for (JsonNode posting : postings) {
            String entry = posting.get("eventId").asString();
            assertThat(keys.add(entry + "/" + posting.get("postingIndex").asInt())).as("posting seen twice").isTrue();
            long minor = new java.math.BigDecimal(posting.get("amount").get("amount").asString()).movePointRight(2)
                    .longValueExact();
            sums.computeIfAbsent(entry, key -> new TreeMap<>())
                    .merge(posting.get("amount").get("currency").asString(), minor, Math::addExact);
            counts.merge(entry, 1, Integer::sum);
        }
        Set<String> walletEntries = new HashSet<>();
        allPostings("accountId=" + mix.wallet()).forEach(posting -> walletEntries.add(posting.get("eventId").asString()));

        assertThat(sums).isNotEmpty();
        sums.forEach((entry, byCurrency) -> assertThat(byCurrency.values()).as("entry %s", entry).containsOnly(0L));
        counts.forEach((entry, count) -> assertThat(count).as("postings of entry %s", entry).isGreaterThanOrEqualTo(2));
        assertThat(sums.keySet()).containsAll(walletEntries);
    }

    // ---- Helpers ----------------------------------------------------------------------------

    /** The accounts and the time range [from, to) of {@link #aMixOfOperations()}. */
    private record Mix(String wallet, String merchant, String hkdMerchant, Instant from, Instant to) {
    }

    /**
     * Top-up 100.00; withdrawal 10.00; immediate payment 12.00 (fee 0.6%: 0.07); payment of 30.00
     * authorised and 18.00 captured (fee 0.11, 12.00 released); payment of 20.00 authorised and
     * voided; and in Hong Kong dollars a top-up of 9.00 and a payment of 8.00 (fee 0.05).
     */
    private Mix aMixOfOperations() {
        Instant from = clock.instant().minusMillis(1);
        String merchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "100.00");
        expectStatus(post("/v1/wallets/" + payer.walletId() + "/withdrawals", payer.token(),
                "{\"bankAccountToken\":\"acct-1\",\"amount\":\"10.00\",\"currency\":\"CNY\"}",
                Map.of("Idempotency-Key", unique("k"))), 201);
        expectStatus(pay(payer, merchant, "order-1", "12.00", "immediate"), 201);
        Response authorised = pay(payer, merchant, "order-2", "30.00", "manual");
        expectStatus(authorised, 201);
        expectStatus(post("/v1/payments/" + authorised.json().get("paymentId").asString() + "/capture",
                merchantToken(merchant), "{\"amount\":\"18.00\",\"currency\":\"CNY\"}"), 200);
        Response toVoid = pay(payer, merchant, "order-3", "20.00", "manual");
        expectStatus(toVoid, 201);
        expectStatus(post("/v1/payments/" + toVoid.json().get("paymentId").asString() + "/void",
                merchantToken(merchant), ""), 200);

        String hkdMerchantId = unique("m");
        expectStatus(post("/v1/merchants", token("admin-1", "admin"), JSON.writeValueAsString(Map.of("merchantId",
                hkdMerchantId, "name", "Kowloon", "feeRateBasisPoints", 60, "settlementCurrency", "HKD"))), 201);
        Response hkdWallet = post("/v1/wallets", payer.token(), "{\"currency\":\"HKD\"}");
        expectStatus(hkdWallet, 201);
        expectStatus(post("/v1/wallets/" + hkdWallet.json().get("walletId").asString() + "/top-ups",
                token("admin-1", "admin"), "{\"bankReference\":\"" + unique("bank")
                        + "\",\"amount\":\"9.00\",\"currency\":\"HKD\"}"), 201);
        expectStatus(post("/v1/payments", payer.token(), "{\"merchantId\":\"" + hkdMerchantId
                + "\",\"orderNumber\":\"order-4\",\"amount\":\"8.00\",\"currency\":\"HKD\"}"), 201);
        awaitProcessorsCaughtUp();
        return new Mix("wallet:" + payer.walletId(), merchant, hkdMerchantId, from, clock.instant().plusSeconds(1));
    }

    private String finance() {
        return token("fin", "finance");
    }

    /** The account's current balances, e.g. {@code CNY 12.34}, comma-separated. */
    private String balance(String accountId) {
        Response response = get("/v1/accounts/" + accountId + "/balance", finance());
        expectStatus(response, 200);
        return String.join(", ", amounts(response));
    }

    private static List<String> amounts(Response balance) {
        expectStatus(balance, 200);
        List<String> amounts = new ArrayList<>();
        balance.json().get("balances").forEach(money ->
                amounts.add(money.get("currency").asString() + " " + money.get("amount").asString()));
        return amounts;
    }

    private List<String> amountsOf(String query) {
        return allPostings(query).stream().map(posting -> posting.get("amount").get("amount").asString()).toList();
    }

    /** Every posting of the journal matching the query, newest first, read page by page. */
    private List<JsonNode> allPostings(String query) {
        awaitProcessorsCaughtUp();
        List<JsonNode> postings = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = get("/v1/journal?limit=50&" + query + (cursor == null ? "" : "&cursor=" + cursor), finance());
            expectStatus(page, 200);
            page.json().get("items").forEach(postings::add);
            JsonNode next = page.json().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asString();
            assertThat(++pages).as("pages of " + query).isLessThan(1_000);
        } while (cursor != null);
        return postings;
    }
}
