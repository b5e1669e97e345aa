package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.payments.AuthorisationExpirySweep;
import com.hongbao.ledger.api.support.LedgerApiTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Payments through the API: immediate payments with the fee rounded half up to the fen, the order
 * number as idempotency key, the two-phase lifecycle (authorise, then capture, void or expire) and
 * the merchant's payment list. Every test checks where the money went: wallet, merchant, fee
 * revenue, the payment's postings and the trial balance.
 */
class PaymentApiTest extends LedgerApiTest {

    @Autowired
    private AuthorisationExpirySweep expirySweep;

    @Test
    void an_immediate_payment_charges_the_fee_rounded_half_up_to_the_fen_and_credits_the_merchant_net() {
        String merchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "10.00");
        awaitProcessorsCaughtUp();
        BigDecimal feeRevenueBefore = new BigDecimal(accountBalance(FEE_REVENUE));

        // 0.6% of 0.84 is 0.00504: half a fen or more rounds up to 0.01.
        Response rounded = pay(payer, merchant, "order-084", "0.84", "immediate");
        // 0.6% of 0.83 is 0.00498: less than half a fen rounds down to nothing.
        Response free = pay(payer, merchant, "order-083", "0.83", "immediate");
        // 0.6% of 2.50 is exactly 0.015: the half rounds up.
        Response half = pay(payer, merchant, "order-250", "2.50", "immediate");

        expectStatus(rounded, 201);
        expectStatus(free, 201);
        expectStatus(half, 201);
        assertReceipt(rounded.json(), "captured", "0.84", "0.84", "0.01", "0.83", "0.00");
        assertReceipt(free.json(), "captured", "0.83", "0.83", "0.00", "0.83", "0.00");
        assertReceipt(half.json(), "captured", "2.50", "2.50", "0.02", "2.48", "0.00");
        assertThat(rounded.json().get("feeRateBasisPoints").asInt()).isEqualTo(60);

        awaitProcessorsCaughtUp();
        assertThat(available(payer)).isEqualTo("5.83");
        assertThat(held(payer)).isEqualTo("0.00");
        assertThat(merchantBalance(merchant)).isEqualTo("4.14");
        assertThat(new BigDecimal(accountBalance(FEE_REVENUE)).subtract(feeRevenueBefore)).isEqualByComparingTo("0.03");
        String wallet = "wallet:" + payer.walletId();
        assertThat(postingsOf(paymentId(rounded))).containsExactly(
                "payment_debit " + wallet + " -84",
                "payment_debit payment_clearing:platform 84",
                "payment_capture payment_clearing:platform -84",
                "payment_capture merchant:" + merchant + " 83",
                "payment_capture platform_fee_revenue:platform 1");
        // No fee, no fee posting.
        assertThat(postingsOf(paymentId(free))).containsExactly(
                "payment_debit " + wallet + " -83",
                "payment_debit payment_clearing:platform 83",
                "payment_capture payment_clearing:platform -83",
                "payment_capture merchant:" + merchant + " 83");
        assertThat(journal("merchant:" + merchant, "payment_capture")).hasSize(3);
        assertThat(journal(wallet, "payment_debit")).hasSize(3);
        JsonNode view = get("/v1/payments/" + paymentId(half), payer.token()).json();
        assertThat(view.get("status").asString()).isEqualTo("captured");
        assertThat(view.get("captureMode").asString()).isEqualTo("immediate");
        assertThat(amount(view.get("fee"))).isEqualTo("0.02");
        assertTrialBalanceIsZero();
    }

    @Test
    void the_order_number_is_the_idempotency_key_within_the_merchant() {
        String merchant = onboardMerchant(60);
        String otherMerchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "100.00");

        Response first = pay(payer, merchant, "order-7", "12.34", "immediate");
        Response again = pay(payer, merchant, "order-7", "12.34", "immediate");
        Response differentAmount = pay(payer, merchant, "order-7", "12.35", "immediate");
        Response elsewhere = pay(payer, otherMerchant, "order-7", "12.34", "immediate");

        expectStatus(first, 201);
        expectStatus(again, 201);
        assertThat(again.body()).isEqualTo(first.body());
        expectStatus(differentAmount, 422);
        assertThat(differentAmount.code()).isEqualTo("idempotency_key_reused");
        expectStatus(elsewhere, 201);
        assertThat(paymentId(elsewhere)).isNotEqualTo(paymentId(first));
        assertThat(elsewhere.json().get("merchantId").asString()).isEqualTo(otherMerchant);

        awaitProcessorsCaughtUp();
        assertThat(payments(merchant)).extracting(item -> item.get("paymentId").asString())
                .containsExactly(paymentId(first));
        assertThat(payments(otherMerchant)).extracting(item -> item.get("paymentId").asString())
                .containsExactly(paymentId(elsewhere));
        // Debited once per merchant, not once per request.
        assertThat(available(payer)).isEqualTo("75.32");
        assertThat(journal("wallet:" + payer.walletId(), "payment_debit")).hasSize(2);
        assertThat(merchantBalance(merchant)).isEqualTo("12.27");
        assertThat(merchantBalance(otherMerchant)).isEqualTo("12.27");
        assertTrialBalanceIsZero();
    }

    @Test
    void an_authorisation_holds_the_money_and_a_partial_capture_charges_the_fee_on_the_captured_part_only() {
        String merchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "20.00");
        awaitProcessorsCaughtUp();
        BigDecimal feeRevenueBefore = new BigDecimal(accountBalance(FEE_REVENUE));

        Response authorised = pay(payer, merchant, "order-1", "10.00", "manual");

        expectStatus(authorised, 201);
        assertReceipt(authorised.json(), "authorised", "10.00", "0.00", "0.00", "0.00", "0.00");
        String paymentId = paymentId(authorised);
        awaitProcessorsCaughtUp();
        assertThat(available(payer)).isEqualTo("10.00");
        assertThat(held(payer)).isEqualTo("10.00");
        assertThat(merchantBalance(merchant)).isEqualTo("0.00");

        Response tooMuch = capture(merchant, paymentId, "10.01");
        expectStatus(tooMuch, 422);
        assertThat(tooMuch.code()).isEqualTo("capture_exceeds_authorisation");

        // 0.6% of 6.00 is 0.036, rounded half up to 0.04; the uncaptured 4.00 goes back to the payer.
        Response captured = capture(merchant, paymentId, "6.00");

        expectStatus(captured, 200);
        assertReceipt(captured.json(), "captured", "10.00", "6.00", "0.04", "5.96", "4.00");
        awaitProcessorsCaughtUp();
        assertThat(available(payer)).isEqualTo("14.00");
        assertThat(held(payer)).isEqualTo("0.00");
        assertThat(merchantBalance(merchant)).isEqualTo("5.96");
        assertThat(new BigDecimal(accountBalance(FEE_REVENUE)).subtract(feeRevenueBefore)).isEqualByComparingTo("0.04");
        String wallet = "wallet:" + payer.walletId();
        assertThat(postingsOf(paymentId)).containsExactly(
                "payment_authorisation " + wallet + " -1000",
                "payment_authorisation payment_clearing:platform 1000",
                "payment_capture payment_clearing:platform -600",
                "payment_capture merchant:" + merchant + " 596",
                "payment_capture platform_fee_revenue:platform 4",
                "authorisation_release payment_clearing:platform -400",
                "authorisation_release " + wallet + " 400");
        JsonNode view = get("/v1/payments/" + paymentId, merchantToken(merchant)).json();
        assertThat(view.get("status").asString()).isEqualTo("captured");
        assertThat(view.get("captureMode").asString()).isEqualTo("manual");
        assertThat(amount(view.get("captured"))).isEqualTo("6.00");
        assertThat(amount(view.get("released"))).isEqualTo("4.00");
        assertTrialBalanceIsZero();
    }

    @Test
    void only_the_payments_own_merchant_may_capture_it() {
        String merchant = onboardMerchant(60);
        String stranger = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "5.00");
        String paymentId = paymentId(pay(payer, merchant, "order-1", "5.00", "manual"));

        Response response = capture(stranger, paymentId, null);

        expectStatus(response, 404);
        assertThat(response.code()).isEqualTo("payment_not_found");
        expectStatus(capture(merchant, paymentId, null), 200);
    }

    @Test
    void a_capture_naming_another_or_an_unknown_currency_without_an_amount_captures_nothing() {
        String merchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "10.00");
        String paymentId = paymentId(pay(payer, merchant, unique("order"), "10.00", "manual"));
        awaitProcessorsCaughtUp();
        LedgerState before = ledgerState("wallet:" + payer.walletId(), "merchant:" + merchant);
        String path = "/v1/payments/" + paymentId + "/capture";

        expectProblem(post(path, merchantToken(merchant), "{\"currency\":\"USD\"}"), 422, "currency_mismatch");
        expectProblem(post(path, merchantToken(merchant), "{\"currency\":\"XYZ\"}"), 400, "unsupported_currency");
        awaitProcessorsCaughtUp();
        assertThat(ledgerState("wallet:" + payer.walletId(), "merchant:" + merchant)).isEqualTo(before);
        Response captured = post(path, merchantToken(merchant), "{\"currency\":\"CNY\"}");
        expectStatus(captured, 200);
        assertThat(captured.json().get("status").asString()).isEqualTo("captured");
    }

    @Test
    void a_payment_above_the_configured_maximum_is_refused_and_moves_nothing() {
        String merchant = onboardMerchant(0);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "3000000.00");
        awaitProcessorsCaughtUp();
        LedgerState before = ledgerState("wallet:" + payer.walletId(), "merchant:" + merchant);

        expectProblem(pay(payer, merchant, unique("order"), "1000000.01", "immediate"), 422, "amount_above_maximum");
        expectProblem(post("/v1/bnpl/checkouts", payer.token(), "{\"merchantId\":\"" + merchant
                + "\",\"orderNumber\":\"" + unique("order") + "\",\"amount\":\"1000000.01\",\"currency\":\"CNY\","
                + "\"plan\":\"pay_in_4\"}"), 422, "amount_above_maximum");
        awaitProcessorsCaughtUp();
        assertThat(ledgerState("wallet:" + payer.walletId(), "merchant:" + merchant)).isEqualTo(before);
        expectStatus(pay(payer, merchant, unique("order"), "1000000.00", "immediate"), 201);
    }

    @Test
    void a_void_returns_the_whole_authorisation_and_a_voided_authorisation_cannot_be_captured() {
        String merchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "9.00");
        String paymentId = paymentId(pay(payer, merchant, "order-1", "7.00", "manual"));
        awaitProcessorsCaughtUp();
        assertThat(available(payer)).isEqualTo("2.00");
        assertThat(held(payer)).isEqualTo("7.00");

        Response voided = voidAuthorisation(merchant, paymentId);

        expectStatus(voided, 200);
        assertReceipt(voided.json(), "voided", "7.00", "0.00", "0.00", "0.00", "7.00");
        Response captureAfterVoid = capture(merchant, paymentId, null);
        expectStatus(captureAfterVoid, 422);
        assertThat(captureAfterVoid.code()).isEqualTo("authorisation_voided");
        awaitProcessorsCaughtUp();
        assertThat(available(payer)).isEqualTo("9.00");
        assertThat(held(payer)).isEqualTo("0.00");
        assertThat(merchantBalance(merchant)).isEqualTo("0.00");
        String wallet = "wallet:" + payer.walletId();
        assertThat(postingsOf(paymentId)).containsExactly(
                "payment_authorisation " + wallet + " -700",
                "payment_authorisation payment_clearing:platform 700",
                "authorisation_release payment_clearing:platform -700",
                "authorisation_release " + wallet + " 700");
        assertThat(get("/v1/payments/" + paymentId, payer.token()).json().get("status").asString()).isEqualTo("voided");
        assertTrialBalanceIsZero();
    }

    @Test
    void a_captured_payment_can_be_neither_voided_nor_captured_again() {
        String merchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "10.00");
        String manual = paymentId(pay(payer, merchant, "order-1", "3.00", "manual"));
        String immediate = paymentId(pay(payer, merchant, "order-2", "4.00", "immediate"));

        Response captured = capture(merchant, manual, null);
        Response capturedAgain = capture(merchant, manual, null);
        Response voidAfterCapture = voidAuthorisation(merchant, manual);
        Response voidImmediate = voidAuthorisation(merchant, immediate);
        Response captureImmediate = capture(merchant, immediate, "1.00");

        expectStatus(captured, 200);
        assertReceipt(captured.json(), "captured", "3.00", "3.00", "0.02", "2.98", "0.00");
        for (Response refused : List.of(capturedAgain, voidAfterCapture, voidImmediate, captureImmediate)) {
            expectStatus(refused, 422);
            assertThat(refused.code()).isEqualTo("payment_already_captured");
        }
        awaitProcessorsCaughtUp();
        // 0.6% of 4.00 is 0.024, rounded to 0.02: the merchant has 2.98 + 3.98.
        assertThat(merchantBalance(merchant)).isEqualTo("6.96");
        assertThat(available(payer)).isEqualTo("3.00");
        assertThat(held(payer)).isEqualTo("0.00");
        // A full capture releases nothing, so it posts no release.
        assertThat(journal("wallet:" + payer.walletId(), "authorisation_release")).isEmpty();
        assertTrialBalanceIsZero();
    }

    @Test
    void an_expired_authorisation_cannot_be_captured_and_the_sweep_returns_the_money_exactly_once() {
        String merchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "50.00");
        String paymentId = paymentId(pay(payer, merchant, "order-1", "30.00", "manual"));
        awaitProcessorsCaughtUp();
        assertThat(available(payer)).isEqualTo("20.00");

        clock.advance(Duration.ofDays(7).plusSeconds(1));
        Response late = capture(merchant, paymentId, null);

        expectStatus(late, 422);
        assertThat(late.code()).isEqualTo("authorisation_expired");
        assertThat(expirySweep.sweep()).isGreaterThanOrEqualTo(1);
        awaitProcessorsCaughtUp();
        assertThat(available(payer)).isEqualTo("50.00");
        assertThat(held(payer)).isEqualTo("0.00");
        JsonNode view = get("/v1/payments/" + paymentId, payer.token()).json();
        assertThat(view.get("status").asString()).isEqualTo("expired");
        assertThat(amount(view.get("released"))).isEqualTo("30.00");
        assertThat(view.get("settledAt").isNull()).isFalse();
        Response captureAfterExpiry = capture(merchant, paymentId, null);
        expectStatus(captureAfterExpiry, 422);
        assertThat(captureAfterExpiry.code()).isEqualTo("authorisation_expired");
        Response voidAfterExpiry = voidAuthorisation(merchant, paymentId);
        expectStatus(voidAfterExpiry, 422);
        assertThat(voidAfterExpiry.code()).isEqualTo("authorisation_expired");

        // Nothing is due any more: a second sweep expires nothing and returns nothing twice.
        assertThat(expirySweep.sweep()).isZero();
        awaitProcessorsCaughtUp();
        assertThat(available(payer)).isEqualTo("50.00");
        assertThat(journal("wallet:" + payer.walletId(), "authorisation_release")).hasSize(1);
        assertThat(postingsOf(paymentId)).containsExactly(
                "payment_authorisation wallet:" + payer.walletId() + " -3000",
                "payment_authorisation payment_clearing:platform 3000",
                "authorisation_release payment_clearing:platform -3000",
                "authorisation_release wallet:" + payer.walletId() + " 3000");
        assertThat(merchantBalance(merchant)).isEqualTo("0.00");
        assertTrialBalanceIsZero();
    }

    @Test
    void a_merchants_payments_are_listed_newest_first_page_by_page() {
        String merchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "10.00");
        List<String> paid = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            Response payment = pay(payer, merchant, "order-" + i, "1.0" + i, i % 2 == 0 ? "manual" : "immediate");
            expectStatus(payment, 201);
            paid.add(0, paymentId(payment));
        }
        awaitProcessorsCaughtUp();
        String token = merchantToken(merchant);

        List<String> listed = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        do {
            Response page = get("/v1/merchants/" + merchant + "/payments?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
                    token);
            expectStatus(page, 200);
            page.json().get("items").forEach(item -> listed.add(item.get("paymentId").asString()));
            pageSizes.add(page.json().get("items").size());
            JsonNode next = page.json().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asString();
        } while (cursor != null);

        assertThat(pageSizes).containsExactly(2, 2, 1);
        assertThat(listed).containsExactlyElementsOf(paid);
        Response all = get("/v1/merchants/" + merchant + "/payments?limit=10", token);
        assertThat(all.json().get("items")).extracting(item -> item.get("orderNumber").asString())
                .containsExactly("order-5", "order-4", "order-3", "order-2", "order-1");
        assertThat(all.json().get("nextCursor").isNull()).isTrue();
        Response badCursor = get("/v1/merchants/" + merchant + "/payments?cursor=not-a-cursor", token);
        expectStatus(badCursor, 400);
        assertThat(badCursor.code()).isEqualTo("invalid_cursor");
        Response otherMerchant = get("/v1/merchants/" + merchant + "/payments", merchantToken(onboardMerchant(60)));
        expectStatus(otherMerchant, 404);
        assertThat(otherMerchant.code()).isEqualTo("merchant_not_found");
    }

    private List<JsonNode> payments(String merchantId) {
        Response page = get("/v1/merchants/" + merchantId + "/payments?limit=100", merchantToken(merchantId));
        expectStatus(page, 200);
        List<JsonNode> items = new ArrayList<>();
        page.json().get("items").forEach(items::add);
        return items;
    }

    private static String paymentId(Response payment) {
        return payment.json().get("paymentId").asString();
    }

    private static void assertReceipt(JsonNode receipt, String status, String authorised, String captured, String fee,
                                      String net, String released) {
        assertThat(receipt.get("status").asString()).as("status of %s", receipt).isEqualTo(status);
        assertThat(amount(receipt.get("authorised"))).as("authorised").isEqualTo(authorised);
        assertThat(amount(receipt.get("captured"))).as("captured").isEqualTo(captured);
        assertThat(amount(receipt.get("fee"))).as("fee").isEqualTo(fee);
        assertThat(amount(receipt.get("net"))).as("net").isEqualTo(net);
        assertThat(amount(receipt.get("released"))).as("released").isEqualTo(released);
    }
}
