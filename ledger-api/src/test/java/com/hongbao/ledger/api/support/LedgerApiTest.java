package com.hongbao.ledger.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * {@link ApiTest} with the money checks the payment, concurrency and replay tests share: balances
 * through the API, a payment's postings in the journal, and the trial balance. Amounts are compared
 * as the decimal strings the API returns ({@code "12.34"}), never as floating-point numbers.
 */
public abstract class LedgerApiTest extends ApiTest {

    protected static final String FEE_REVENUE = "platform_fee_revenue:platform";

    protected String finance() {
        return token("finance-1", "finance");
    }

    protected String admin() {
        return token("admin-1", "admin");
    }

    /** The amount of a money object of the API, e.g. {@code "12.34"}. */
    protected static String amount(JsonNode money) {
        assertThat(money.get("currency").asString()).isEqualTo("CNY");
        return money.get("amount").asString();
    }

    /** A wallet as its owner sees it: available and held (read models; await the processors first). */
    protected JsonNode wallet(UserWallet wallet) {
        Response response = get("/v1/wallets/" + wallet.walletId(), wallet.token());
        expectStatus(response, 200);
        return response.json();
    }

    protected String available(UserWallet wallet) {
        return amount(wallet(wallet).get("available"));
    }

    protected String held(UserWallet wallet) {
        return amount(wallet(wallet).get("held"));
    }

    /** An account's CNY balance as finance sees it; {@code "0.00"} for an account without postings. */
    protected String accountBalance(String accountId) {
        Response response = get("/v1/accounts/" + accountId + "/balance", finance());
        if (response.status() == 404 && "account_not_found".equals(response.code())) {
            return "0.00";
        }
        expectStatus(response, 200);
        for (JsonNode money : response.json().get("balances")) {
            if (money.get("currency").asString().equals("CNY")) {
                return money.get("amount").asString();
            }
        }
        return "0.00";
    }

    protected String merchantBalance(String merchantId) {
        Response response = get("/v1/merchants/" + merchantId, merchantToken(merchantId));
        expectStatus(response, 200);
        return amount(response.json().get("settlementBalance"));
    }

    /** Every currency of the trial balance sums to zero. */
    protected void assertTrialBalanceIsZero() {
        Response trial = get("/v1/trial-balance", finance());
        expectStatus(trial, 200);
        assertThat(trial.json().get("balanced").asBoolean()).as("trial balance %s", trial.body()).isTrue();
        for (JsonNode line : trial.json().get("currencies")) {
            assertThat(line.get("totalMinor").asLong()).as("total of %s", line.get("currency")).isZero();
        }
    }

    /** All postings of an account with a movement type, newest first, following every page of the journal. */
    protected List<JsonNode> journal(String accountId, String movementType) {
        List<JsonNode> postings = new ArrayList<>();
        String cursor = null;
        do {
            Response page = get("/v1/journal?accountId=" + accountId + "&movementType=" + movementType + "&limit=100"
                    + (cursor == null ? "" : "&cursor=" + cursor), finance());
            expectStatus(page, 200);
            page.json().get("items").forEach(postings::add);
            JsonNode next = page.json().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asString();
        } while (cursor != null);
        return postings;
    }

    /**
     * The postings whose reference is {@code reference} (a payment id, a bank reference), in journal
     * order, as {@code movement_type account_id amount_minor} lines.
     */
    protected List<String> postingsOf(String reference) {
        return jdbc.query("SELECT movement_type, account_id, amount_minor FROM journal_posting WHERE reference = ?"
                        + " ORDER BY (SELECT e.global_index FROM event_entry e WHERE e.event_identifier = journal_posting.event_id),"
                        + " posting_index",
                (rs, row) -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getLong(3), reference);
    }

    protected Response capture(String merchantId, String paymentId, String amount) {
        String body = amount == null ? "{}" : "{\"amount\":\"" + amount + "\",\"currency\":\"CNY\"}";
        return post("/v1/payments/" + paymentId + "/capture", merchantToken(merchantId), body);
    }

    protected Response voidAuthorisation(String merchantId, String paymentId) {
        return post("/v1/payments/" + paymentId + "/void", merchantToken(merchantId), "");
    }

    protected Response topUp(String walletId, String bankReference, String amount) {
        return post("/v1/wallets/" + walletId + "/top-ups", admin(),
                "{\"bankReference\":\"" + bankReference + "\",\"amount\":\"" + amount + "\",\"currency\":\"CNY\"}");
    }

    protected Response withdraw(UserWallet wallet, String amount) {
        return post("/v1/wallets/" + wallet.walletId() + "/withdrawals", wallet.token(),
                "{\"bankAccountToken\":\"bank-acct-" + wallet.user() + "\",\"amount\":\"" + amount
                        + "\",\"currency\":\"CNY\"}", Map.of("Idempotency-Key", unique("withdrawal")));
    }

    /**
     * Runs {@code calls} at the same instant: each on its own thread, all released by one start gate,
     * and returns their results in order.
     */
    protected static <T> List<T> concurrently(List<Callable<T>> calls) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch ready = new CountDownLatch(calls.size());
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : calls) {
                futures.add(executor.submit(() -> {
                    ready.countDown();
                    start.await();
                    return call.call();
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).as("all threads ready").isTrue();
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(120, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            executor.shutdownNow();
        }
    }
}
