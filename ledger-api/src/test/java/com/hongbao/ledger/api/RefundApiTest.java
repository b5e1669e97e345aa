package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.support.LedgerApiTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Refunds over HTTP: in parts and in full (the fee back pro rata, all of it with the last part),
 * back in the payer's wallet, idempotent on the refund number, racing refunds, the merchant's
 * balance and finance's negative limit, and every refusal leaving the ledger as it was.
 */
class RefundApiTest extends LedgerApiTest {

    private record Sale(String merchantId, String token, UserWallet payer, String paymentId) {
    }

    /** A 100.00 immediate payment to a fresh merchant (0.6%: fee 0.60, merchant 99.40). */
    private Sale sale() {
        String merchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "100.00");
        Response paid = pay(payer, merchant, unique("order"), "100.00", "immediate");
        expectStatus(paid, 201);
        awaitProcessorsCaughtUp();
        return new Sale(merchant, merchantToken(merchant), payer, paid.json().get("paymentId").asString());
    }

    private Response refund(Sale sale, String number, String amount) {
        return post("/v1/payments/" + sale.paymentId() + "/refunds", sale.token(),
                "{\"refundNumber\":\"" + number + "\",\"amount\":\"" + amount + "\",\"currency\":\"CNY\"}");
    }

    @Test
    void refunds_in_parts_return_the_money_and_the_fee_pro_rata_and_the_last_part_returns_all_of_it() {
        Sale sale = sale();

        Response first = refund(sale, "R-1", "33.33");
        expectStatus(first, 201);
        assertThat(amount(first.json().get("feeRefunded"))).isEqualTo("0.19");
        assertThat(amount(first.json().get("refundable"))).isEqualTo("66.67");
        assertThat(refund(sale, "R-1", "33.33").body()).as("the same refund again").isEqualTo(first.body());
        expectProblem(refund(sale, "R-1", "10.00"), 422, "idempotency_key_reused");
        Response last = refund(sale, "R-2", "66.67");
        expectStatus(last, 201);
        assertThat(amount(last.json().get("feeRefunded"))).isEqualTo("0.41");

        awaitProcessorsCaughtUp();
        assertThat(available(sale.payer())).isEqualTo("100.00");
        assertThat(merchantBalance(sale.merchantId())).isEqualTo("0.00");
        assertThat(accountBalance("refund_clearing:platform")).isEqualTo("0.00");
        assertThat(journal("wallet:" + sale.payer().walletId(), "refund_credit")).hasSize(2);
        JsonNode listed = get("/v1/payments/" + sale.paymentId() + "/refunds", sale.payer().token()).json();
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).get("refundNumber").asString()).isEqualTo("R-1");
        assertThat(listed.get(0).get("status").asString()).isEqualTo("credited");
        expectProblem(refund(sale, "R-3", "0.01"), 422, "refund_exceeds_captured");
        assertTrialBalanceIsZero();
    }

    @Test
    void two_racing_refunds_that_together_exceed_the_payment_refund_once() throws Exception {
        Sale sale = sale();
        List<Callable<Response>> calls = List.of(() -> refund(sale, "R-a", "60.00"), () -> refund(sale, "R-b", "60.00"));

        List<Response> responses = concurrently(calls);

        Map<String, Long> outcomes = responses.stream().collect(Collectors.groupingBy(
                response -> response.status() + (response.status() >= 400 ? " " + response.code() : ""),
                Collectors.counting()));
        assertThat(outcomes).isEqualTo(Map.of("201", 1L, "422 refund_exceeds_captured", 1L));
        awaitProcessorsCaughtUp();
        assertThat(available(sale.payer())).isEqualTo("60.00");
        assertTrialBalanceIsZero();
    }

    @Test
    void refusals_change_nothing() {
        Sale sale = sale();
        String otherMerchant = merchantToken(onboardMerchant(60));
        LedgerState before = ledgerState("merchant:" + sale.merchantId(), "wallet:" + sale.payer().walletId());

        expectProblem(refund(sale, "R-0", "0"), 400, "amount_not_positive");
        expectProblem(refund(sale, "R-0", "-1.00"), 400, "amount_not_positive");
        expectProblem(refund(sale, "R-0", "1.001"), 400, "invalid_amount_precision");
        expectProblem(post("/v1/payments/p_unknown/refunds", sale.token(),
                "{\"refundNumber\":\"R-0\",\"amount\":\"1.00\",\"currency\":\"CNY\"}"), 404, "payment_not_found");
        expectProblem(post("/v1/payments/" + sale.paymentId() + "/refunds", otherMerchant,
                "{\"refundNumber\":\"R-0\",\"amount\":\"1.00\",\"currency\":\"CNY\"}"), 404, "payment_not_found");
        expectProblem(refund(sale, "R-0", "100.01"), 422, "refund_exceeds_captured");

        assertThat(ledgerState("merchant:" + sale.merchantId(), "wallet:" + sale.payer().walletId())).isEqualTo(before);
    }

    @Test
    void uncaptured_and_voided_payments_cannot_be_refunded() {
        Sale sale = sale();
        topUp(sale.payer().walletId(), "20.00");
        Response authorised = pay(sale.payer(), sale.merchantId(), unique("order"), "10.00", "manual");
        Response voided = pay(sale.payer(), sale.merchantId(), unique("order"), "10.00", "manual");
        String voidedId = voided.json().get("paymentId").asString();
        expectStatus(post("/v1/payments/" + voidedId + "/void", sale.token(), ""), 200);

        for (String paymentId : List.of(authorised.json().get("paymentId").asString(), voidedId)) {
            expectProblem(post("/v1/payments/" + paymentId + "/refunds", sale.token(),
                    "{\"refundNumber\":\"R-x\",\"amount\":\"1.00\",\"currency\":\"CNY\"}"), 422, "payment_not_captured");
        }
    }

    @Test
    void the_fifty_first_refund_and_a_refund_on_day_366_are_refused() {
        Sale sale = sale();
        for (int i = 1; i <= 50; i++) {
            expectStatus(refund(sale, "R-" + i, "0.01"), 201);
        }
        expectProblem(refund(sale, "R-51", "0.01"), 422, "refund_limit_reached");

        Sale later = sale();
        clock.advance(Duration.ofDays(366));
        expectProblem(refund(later, "R-1", "1.00"), 422, "refund_window_closed");
    }

    @Test
    void a_merchant_balance_that_cannot_cover_a_refund_refuses_it_unless_finance_set_a_negative_limit() {
        Sale sale = sale();
        // The merchant funds a campaign with 90.00 of its 99.40, leaving 9.40.
        expectStatus(post("/v1/merchants/" + sale.merchantId() + "/campaigns", sale.token(), "{\"name\":\"x\","
                + "\"currency\":\"CNY\",\"budget\":\"90.00\",\"startsAt\":\"" + clock.instant() + "\",\"endsAt\":\""
                + clock.instant().plus(Duration.ofDays(1)) + "\",\"perUserMaxCount\":1,\"perUserMaxAmount\":\"1.00\","
                + "\"dailyMaxAmount\":\"1.00\",\"fixedAmount\":\"1.00\"}", Map.of("Idempotency-Key", unique("fund"))), 201);
        awaitProcessorsCaughtUp();

        // 20.00 refunded takes 19.88 from the merchant (0.12 of fee comes back): 10.48 more than it has.
        expectProblem(refund(sale, "R-1", "20.00"), 422, "merchant_insufficient_balance");
        String finance = token("fin", "finance");
        expectProblem(put("/v1/merchants/" + sale.merchantId() + "/negative-limit", sale.token(),
                "{\"amount\":\"10.48\",\"currency\":\"CNY\"}"), 403, "forbidden");
        expectStatus(put("/v1/merchants/" + sale.merchantId() + "/negative-limit", finance,
                "{\"amount\":\"10.47\",\"currency\":\"CNY\"}"), 200);
        expectProblem(refund(sale, "R-1", "20.00"), 422, "merchant_insufficient_balance");
        expectStatus(put("/v1/merchants/" + sale.merchantId() + "/negative-limit", finance,
                "{\"amount\":\"10.48\",\"currency\":\"CNY\"}"), 200);
        expectStatus(refund(sale, "R-1", "20.00"), 201);

        awaitProcessorsCaughtUp();
        assertThat(merchantBalance(sale.merchantId())).isEqualTo("-10.48");
        assertTrialBalanceIsZero();
    }
}
