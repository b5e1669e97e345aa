package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.support.LedgerApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Many requests at the same instant, released together by a start gate: a wallet is never
 * overdrawn, one idempotency key moves money once however many requests carry it, and one
 * authorisation is captured once.
 */
class ConcurrencyTest extends LedgerApiTest {

    @Test
    void fifty_concurrent_payments_from_a_wallet_that_affords_ten_succeed_exactly_ten_times() throws Exception {
        String merchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "12.30");
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String orderNumber = "order-" + i;
            calls.add(() -> pay(payer, merchant, orderNumber, "1.23", "immediate"));
        }

        List<Response> responses = concurrently(calls);

        assertThat(statusAndCode(responses)).containsExactlyInAnyOrderEntriesOf(
                Map.of("201", 10L, "422 insufficient_funds", 40L));
        awaitProcessorsCaughtUp();
        assertThat(available(payer)).isEqualTo("0.00");
        assertThat(held(payer)).isEqualTo("0.00");
        assertThat(journal("wallet:" + payer.walletId(), "payment_debit")).hasSize(10);
        // 0.6% of 1.23 is 0.00738, rounded to 0.01: the merchant has 10 × 1.22.
        assertThat(merchantBalance(merchant)).isEqualTo("12.20");
        assertThat(journal("merchant:" + merchant, "payment_capture")).hasSize(10);
        Response listed = get("/v1/merchants/" + merchant + "/payments?limit=100", merchantToken(merchant));
        assertThat(listed.json().get("items").size()).isEqualTo(10);
        assertTrialBalanceIsZero();
    }

    @Test
    void twenty_concurrent_payments_with_one_idempotency_key_pay_once_and_all_get_the_first_response() throws Exception {
        String merchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "100.00");
        String body = "{\"merchantId\":\"" + merchant + "\",\"orderNumber\":\"order-1\",\"amount\":\"12.34\","
                + "\"currency\":\"CNY\",\"captureMode\":\"immediate\"}";
        Map<String, String> key = Map.of("Idempotency-Key", unique("key"));
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(() -> post("/v1/payments", payer.token(), body, key));
        }

        List<Response> responses = concurrently(calls);

        assertThat(statusAndCode(responses)).containsExactlyEntriesOf(Map.of("201", 20L));
        assertThat(responses).extracting(Response::body).containsOnly(responses.get(0).body());
        String paymentId = responses.get(0).json().get("paymentId").asString();
        awaitProcessorsCaughtUp();
        Response listed = get("/v1/merchants/" + merchant + "/payments?limit=100", merchantToken(merchant));
        assertThat(listed.json().get("items")).extracting(item -> item.get("paymentId").asString())
                .containsExactly(paymentId);
        assertThat(postingsOf(paymentId)).hasSize(5);
        assertThat(journal("wallet:" + payer.walletId(), "payment_debit")).hasSize(1);
        assertThat(available(payer)).isEqualTo("87.66");
        assertThat(merchantBalance(merchant)).isEqualTo("12.27");
        assertTrialBalanceIsZero();
    }

    @Test
    void twenty_concurrent_top_ups_with_one_bank_reference_credit_the_wallet_once() throws Exception {
        UserWallet owner = openWallet();
        String bankReference = unique("bank");
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(() -> topUp(owner.walletId(), bankReference, "25.50"));
        }

        List<Response> responses = concurrently(calls);

        assertThat(statusAndCode(responses)).containsExactlyEntriesOf(Map.of("201", 20L));
        assertThat(responses).extracting(Response::body).containsOnly(responses.get(0).body());
        assertThat(amount(responses.get(0).json().get("available"))).isEqualTo("25.50");
        awaitProcessorsCaughtUp();
        assertThat(available(owner)).isEqualTo("25.50");
        assertThat(journal("wallet:" + owner.walletId(), "top_up")).hasSize(1);
        assertThat(postingsOf(bankReference)).containsExactly(
                "top_up external_bank_funding:platform -2550",
                "top_up wallet:" + owner.walletId() + " 2550");
        assertTrialBalanceIsZero();
    }

    @Test
    void ten_concurrent_captures_of_one_authorisation_capture_it_once() throws Exception {
        String merchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "15.00");
        Response authorised = pay(payer, merchant, "order-1", "10.00", "manual");
        expectStatus(authorised, 201);
        String paymentId = authorised.json().get("paymentId").asString();
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(() -> capture(merchant, paymentId, "8.00"));
        }

        List<Response> responses = concurrently(calls);

        assertThat(statusAndCode(responses)).containsExactlyInAnyOrderEntriesOf(
                Map.of("200", 1L, "422 payment_already_captured", 9L));
        awaitProcessorsCaughtUp();
        // 8.00 captured with a fee of 0.05 (0.048 rounded); 2.00 released back.
        assertThat(merchantBalance(merchant)).isEqualTo("7.95");
        assertThat(available(payer)).isEqualTo("7.00");
        assertThat(held(payer)).isEqualTo("0.00");
        assertThat(journal("merchant:" + merchant, "payment_capture")).hasSize(1);
        assertThat(journal("wallet:" + payer.walletId(), "authorisation_release")).hasSize(1);
        assertTrialBalanceIsZero();
    }

    @Test
    void ten_payers_racing_for_one_order_number_of_a_merchant_pay_it_once_and_the_others_keep_their_money()
            throws Exception {
        String merchant = onboardMerchant(60);
        List<UserWallet> payers = concurrently(nTimes(10, () -> {
            UserWallet payer = openWallet();
            topUp(payer.walletId(), "10.00");
            return payer;
        }));
        List<Callable<Response>> calls = new ArrayList<>();
        for (UserWallet payer : payers) {
            calls.add(() -> pay(payer, merchant, "order-1", "6.00", "immediate"));
        }

        List<Response> responses = concurrently(calls);

        assertThat(statusAndCode(responses)).containsExactlyInAnyOrderEntriesOf(
                Map.of("201", 1L, "422 idempotency_key_reused", 9L));
        awaitProcessorsCaughtUp();
        for (int i = 0; i < payers.size(); i++) {
            String expected = responses.get(i).status() == 201 ? "4.00" : "10.00";
            assertThat(available(payers.get(i))).as("wallet of payer %d", i).isEqualTo(expected);
            assertThat(journal("wallet:" + payers.get(i).walletId(), "payment_debit"))
                    .hasSize(responses.get(i).status() == 201 ? 1 : 0);
        }
        assertThat(merchantBalance(merchant)).isEqualTo("5.96");
        assertTrialBalanceIsZero();
    }

    @Test
    void a_merchant_paid_by_forty_wallets_at_once_is_credited_every_payment() throws Exception {
        String merchant = onboardMerchant(60);
        List<UserWallet> payers = concurrently(nTimes(40, () -> {
            UserWallet payer = openWallet();
            topUp(payer.walletId(), "3.00");
            return payer;
        }));
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < payers.size(); i++) {
            UserWallet payer = payers.get(i);
            String orderNumber = "order-" + i;
            calls.add(() -> pay(payer, merchant, orderNumber, "2.50", "immediate"));
        }

        List<Response> responses = concurrently(calls);

        assertThat(statusAndCode(responses)).containsExactlyEntriesOf(Map.of("201", 40L));
        awaitProcessorsCaughtUp();
        // 0.6% of 2.50 is 0.015, rounded half up to 0.02: 40 × 2.48.
        assertThat(merchantBalance(merchant)).isEqualTo("99.20");
        assertThat(journal("merchant:" + merchant, "payment_capture")).hasSize(40);
        for (UserWallet payer : payers) {
            assertThat(available(payer)).isEqualTo("0.50");
        }
        assertTrialBalanceIsZero();
    }

    private static <T> List<Callable<T>> nTimes(int n, Callable<T> call) {
        List<Callable<T>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(call);
        }
        return calls;
    }

    /** How many responses had each status (and problem code): {@code "201"}, {@code "422 insufficient_funds"}. */
    private static Map<String, Long> statusAndCode(List<Response> responses) {
        return responses.stream().collect(Collectors.groupingBy(
                response -> response.status() + (response.status() >= 400 ? " " + response.code() : ""),
                Collectors.counting()));
    }
}
