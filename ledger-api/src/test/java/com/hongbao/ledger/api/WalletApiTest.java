package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.support.ApiTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A user's wallet through the API: opening it, top-ups keyed by the bank's reference,
 * withdrawals keyed by the client's Idempotency-Key, and its history page by page.
 */
class WalletApiTest extends ApiTest {

    private static final String WITHDRAW_5 = "{\"bankAccountToken\":\"acct-1\",\"amount\":\"5.00\",\"currency\":\"CNY\"}";

    @Test
    void opening_a_wallet_answers_created_with_its_id_and_an_empty_balance() {
        String user = unique("u");
        String token = token(user, "user");

        Response opened = post("/v1/wallets", token, "{\"currency\":\"CNY\"}");

        expectStatus(opened, 201);
        String walletId = opened.json().get("walletId").asString();
        assertThat(walletId).startsWith("w_");
        awaitProcessorsCaughtUp();
        Response wallet = get("/v1/wallets/" + walletId, token);
        expectStatus(wallet, 200);
        assertThat(wallet.json().get("ownerId").asString()).isEqualTo(user);
        assertThat(wallet.json().get("available").get("amount").asString()).isEqualTo("0.00");
        assertThat(wallet.json().get("available").get("currency").asString()).isEqualTo("CNY");
        assertThat(wallet.json().get("held").get("amount").asString()).isEqualTo("0.00");
    }

    @Test
    void opening_a_second_wallet_in_the_same_currency_is_a_conflict_and_changes_nothing() {
        UserWallet owner = openWallet();
        topUp(owner.walletId(), "10.00");
        LedgerState before = ledgerState(wallet(owner));

        Response again = post("/v1/wallets", owner.token(), "{\"currency\":\"CNY\"}");

        expectProblem(again, 409, "wallet_already_exists");
        assertThat(ledgerState(wallet(owner))).isEqualTo(before);
        assertThat(available(owner)).isEqualTo("10.00");
    }

    @Test
    void opening_again_with_the_same_idempotency_key_and_body_answers_the_first_response() {
        String token = token(unique("u"), "user");
        Map<String, String> key = Map.of("Idempotency-Key", unique("open"));
        Response first = post("/v1/wallets", token, "{\"currency\":\"CNY\"}", key);
        expectStatus(first, 201);
        LedgerState before = ledgerState("wallet:" + first.json().get("walletId").asString());

        Response repeat = post("/v1/wallets", token, "{\"currency\":\"CNY\"}", key);
        Response withoutKey = post("/v1/wallets", token, "{\"currency\":\"CNY\"}");

        expectStatus(repeat, 201);
        assertThat(repeat.body()).isEqualTo(first.body());
        expectProblem(withoutKey, 409, "wallet_already_exists");
        assertThat(ledgerState("wallet:" + first.json().get("walletId").asString())).isEqualTo(before);
    }

    @Test
    void opening_with_a_used_idempotency_key_but_another_currency_is_refused_and_opens_nothing() {
        String token = token(unique("u"), "user");
        Map<String, String> key = Map.of("Idempotency-Key", unique("open"));
        expectStatus(post("/v1/wallets", token, "{\"currency\":\"CNY\"}", key), 201);
        LedgerState before = ledgerState();

        Response otherCurrency = post("/v1/wallets", token, "{\"currency\":\"HKD\"}", key);

        expectProblem(otherCurrency, 422, "idempotency_key_reused");
        assertThat(ledgerState()).isEqualTo(before);
        // The HKD wallet was not opened, so opening it now (with a fresh key) succeeds.
        expectStatus(post("/v1/wallets", token, "{\"currency\":\"HKD\"}", Map.of("Idempotency-Key", unique("open"))), 201);
    }

    @Test
    void a_repeated_top_up_with_the_same_bank_reference_answers_the_first_response_and_credits_once_whichever_admin_reports_it() {
        UserWallet owner = openWallet();
        String bankReference = unique("bank");
        String body = "{\"bankReference\":\"" + bankReference + "\",\"amount\":\"12.34\",\"currency\":\"CNY\"}";

        Response first = post(topUps(owner), admin(), body);
        LedgerState afterFirst = ledgerState(wallet(owner));
        Response repeat = post(topUps(owner), admin(), body);
        Response reportedByAnotherAdmin = post(topUps(owner), token(unique("ops"), "admin"), body);

        expectStatus(first, 201);
        expectStatus(reportedByAnotherAdmin, 201);
        assertThat(reportedByAnotherAdmin.body()).isEqualTo(first.body());
        assertThat(first.json().get("available").get("amount").asString()).isEqualTo("12.34");
        expectStatus(repeat, 201);
        assertThat(repeat.body()).isEqualTo(first.body());
        assertThat(ledgerState(wallet(owner))).isEqualTo(afterFirst);
        assertThat(available(owner)).isEqualTo("12.34");
        List<JsonNode> postings = allPostings("accountId=" + wallet(owner));
        assertThat(postings).filteredOn(posting -> posting.get("reference").asString().equals(bankReference)).hasSize(1);
    }

    @Test
    void reusing_a_bank_reference_for_another_amount_or_wallet_is_refused_and_credits_nothing() {
        UserWallet owner = openWallet();
        UserWallet other = openWallet();
        String bankReference = unique("bank");
        expectStatus(post(topUps(owner), admin(),
                "{\"bankReference\":\"" + bankReference + "\",\"amount\":\"12.34\",\"currency\":\"CNY\"}"), 201);
        LedgerState before = ledgerState(wallet(owner), wallet(other));

        Response otherAmount = post(topUps(owner), admin(),
                "{\"bankReference\":\"" + bankReference + "\",\"amount\":\"99.00\",\"currency\":\"CNY\"}");
        Response otherWallet = post(topUps(other), admin(),
                "{\"bankReference\":\"" + bankReference + "\",\"amount\":\"12.34\",\"currency\":\"CNY\"}");

        expectProblem(otherAmount, 422, "idempotency_key_reused");
        expectProblem(otherWallet, 422, "idempotency_key_reused");
        assertThat(ledgerState(wallet(owner), wallet(other))).isEqualTo(before);
        assertThat(available(owner)).isEqualTo("12.34");
        assertThat(available(other)).isEqualTo("0.00");
    }

    @Test
    void a_withdrawal_without_an_idempotency_key_is_refused_and_debits_nothing() {
        UserWallet owner = openWallet();
        topUp(owner.walletId(), "50.00");
        LedgerState before = ledgerState(wallet(owner));

        Response response = post(withdrawals(owner), owner.token(), WITHDRAW_5);
        Response tooLongKey = post(withdrawals(owner), owner.token(), WITHDRAW_5, Map.of("Idempotency-Key", "k".repeat(256)));

        expectProblem(response, 400, "idempotency_key_required");
        expectProblem(tooLongKey, 400, "invalid_idempotency_key");
        assertThat(ledgerState(wallet(owner))).isEqualTo(before);
    }

    @Test
    void a_withdrawal_reduces_the_available_balance_and_pays_out_to_the_bank() {
        UserWallet owner = openWallet();
        topUp(owner.walletId(), "50.00");

        Response response = post(withdrawals(owner), owner.token(),
                "{\"bankAccountToken\":\"acct-1\",\"amount\":\"20.50\",\"currency\":\"CNY\"}", idempotencyKey());

        expectStatus(response, 201);
        assertThat(response.json().get("available").get("amount").asString()).isEqualTo("29.50");
        assertThat(available(owner)).isEqualTo("29.50");
        JsonNode newest = allPostings("accountId=" + wallet(owner)).getFirst();
        assertThat(newest.get("movementType").asString()).isEqualTo("withdrawal");
        assertThat(newest.get("amount").get("amount").asString()).isEqualTo("-20.50");
    }

    @Test
    void a_withdrawal_above_the_balance_is_refused_as_insufficient_funds_and_changes_nothing() {
        UserWallet owner = openWallet();
        topUp(owner.walletId(), "50.00");
        LedgerState before = ledgerState(wallet(owner));

        Response response = post(withdrawals(owner), owner.token(),
                "{\"bankAccountToken\":\"acct-1\",\"amount\":\"50.01\",\"currency\":\"CNY\"}", idempotencyKey());

        expectProblem(response, 422, "insufficient_funds");
        assertThat(ledgerState(wallet(owner))).isEqualTo(before);
        assertThat(available(owner)).isEqualTo("50.00");
    }

    @Test
    void a_repeated_withdrawal_with_the_same_idempotency_key_answers_the_first_response_and_debits_once() {
        UserWallet owner = openWallet();
        topUp(owner.walletId(), "50.00");
        Map<String, String> key = idempotencyKey();

        Response first = post(withdrawals(owner), owner.token(), WITHDRAW_5, key);
        LedgerState afterFirst = ledgerState(wallet(owner));
        Response repeat = post(withdrawals(owner), owner.token(), WITHDRAW_5, key);

        expectStatus(first, 201);
        expectStatus(repeat, 201);
        assertThat(repeat.body()).isEqualTo(first.body());
        assertThat(ledgerState(wallet(owner))).isEqualTo(afterFirst);
        assertThat(available(owner)).isEqualTo("45.00");
        assertThat(allPostings("accountId=" + wallet(owner) + "&movementType=withdrawal")).hasSize(1);
    }

    @Test
    void reusing_an_idempotency_key_for_a_different_withdrawal_is_refused_and_debits_nothing() {
        UserWallet owner = openWallet();
        topUp(owner.walletId(), "50.00");
        Map<String, String> key = idempotencyKey();
        expectStatus(post(withdrawals(owner), owner.token(), WITHDRAW_5, key), 201);
        LedgerState before = ledgerState(wallet(owner));

        Response otherAmount = post(withdrawals(owner), owner.token(),
                "{\"bankAccountToken\":\"acct-1\",\"amount\":\"6.00\",\"currency\":\"CNY\"}", key);
        Response otherAccount = post(withdrawals(owner), owner.token(),
                "{\"bankAccountToken\":\"acct-2\",\"amount\":\"5.00\",\"currency\":\"CNY\"}", key);

        expectProblem(otherAmount, 422, "idempotency_key_reused");
        expectProblem(otherAccount, 422, "idempotency_key_reused");
        assertThat(ledgerState(wallet(owner))).isEqualTo(before);
        assertThat(available(owner)).isEqualTo("45.00");
    }

    @Test
    void two_users_may_use_the_same_idempotency_key_without_meeting() {
        UserWallet alice = openWallet();
        UserWallet bob = openWallet();
        topUp(alice.walletId(), "50.00");
        topUp(bob.walletId(), "50.00");
        Map<String, String> key = Map.of("Idempotency-Key", "shared-" + unique("k"));

        expectStatus(post(withdrawals(alice), alice.token(), WITHDRAW_5, key), 201);
        expectStatus(post(withdrawals(bob), bob.token(), WITHDRAW_5, key), 201);

        assertThat(available(alice)).isEqualTo("45.00");
        assertThat(available(bob)).isEqualTo("45.00");
    }

    @Test
    void wallet_history_lists_postings_newest_first_and_pages_through_each_exactly_once() {
        UserWallet owner = openWallet();
        List<String> references = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String reference = unique("bank");
            expectStatus(post(topUps(owner), admin(),
                    "{\"bankReference\":\"" + reference + "\",\"amount\":\"" + i + ".00\",\"currency\":\"CNY\"}"), 201);
            references.add(reference);
        }
        awaitProcessorsCaughtUp();

        List<JsonNode> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        do {
            Response page = get("/v1/wallets/" + owner.walletId() + "/history?limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), owner.token());
            expectStatus(page, 200);
            pageSizes.add(page.json().get("items").size());
            page.json().get("items").forEach(seen::add);
            JsonNode next = page.json().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asString();
        } while (cursor != null && pageSizes.size() < 10);

        assertThat(pageSizes).containsExactly(2, 2, 1);
        assertThat(seen).extracting(posting -> posting.get("reference").asString())
                .containsExactlyElementsOf(references.reversed());
        assertThat(seen).extracting(posting -> posting.get("amount").get("amount").asString())
                .containsExactly("5.00", "4.00", "3.00", "2.00", "1.00");
        Set<String> entries = new HashSet<>();
        java.time.Instant previous = java.time.Instant.MAX;
        for (JsonNode posting : seen) {
            java.time.Instant occurredAt = java.time.Instant.parse(posting.get("occurredAt").asString());
            assertThat(occurredAt).isBeforeOrEqualTo(previous);
            assertThat(entries.add(posting.get("eventId").asString() + "/" + posting.get("postingIndex").asInt())).isTrue();
            assertThat(posting.get("accountId").asString()).isEqualTo(wallet(owner));
            previous = occurredAt;
        }
    }

    // ---- Helpers ----------------------------------------------------------------------------

    private String admin() {
        return token("admin-1", "admin");
    }

    private static String wallet(UserWallet wallet) {
        return "wallet:" + wallet.walletId();
    }

    private static String topUps(UserWallet wallet) {
        return "/v1/wallets/" + wallet.walletId() + "/top-ups";
    }

    private static String withdrawals(UserWallet wallet) {
        return "/v1/wallets/" + wallet.walletId() + "/withdrawals";
    }

    private static Map<String, String> idempotencyKey() {
        return Map.of("Idempotency-Key", unique("key"));
    }

    /** The wallet's available balance as its owner reads it, once the read models have caught up. */
    private String available(UserWallet wallet) {
        awaitProcessorsCaughtUp();
        Response response = get("/v1/wallets/" + wallet.walletId(), wallet.token());
        expectStatus(response, 200);
        return response.json().get("available").get("amount").asString();
    }

    /** Every posting of the journal matching the query, newest first, read page by page as finance. */
    private List<JsonNode> allPostings(String query) {
        awaitProcessorsCaughtUp();
        String finance = token("fin", "finance");
        List<JsonNode> postings = new ArrayList<>();
        String cursor = null;
        do {
            Response page = get("/v1/journal?limit=200&" + query + (cursor == null ? "" : "&cursor=" + cursor), finance);
            expectStatus(page, 200);
            page.json().get("items").forEach(postings::add);
            JsonNode next = page.json().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asString();
        } while (cursor != null);
        return postings;
    }
}
