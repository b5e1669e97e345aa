package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.bnpl.PlanReviewSweep;
import com.hongbao.ledger.api.support.LedgerApiTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Buy now, pay later over HTTP, with the clock moved through whole plans: paid on time by
 * automatic collection, late with a fee, paid off early, refunded halfway and then in full, and
 * defaulted. After each, the receivable accounts in the journal agree with what the plans owe and
 * the trial balance is zero. Every refusal leaves the ledger as it was.
 */
class BnplApiTest extends LedgerApiTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Autowired
    private PlanReviewSweep sweep;

    private record Buyer(UserWallet wallet, String merchantId) {
    }

    private Buyer buyer(String topUp) {
        String merchant = onboardMerchant(60);
        UserWallet wallet = openWallet();
        if (topUp != null) {
            topUp(wallet.walletId(), topUp);
        }
        return new Buyer(wallet, merchant);
    }

    private Response checkout(Buyer buyer, String amount, String plan) {
        return post("/v1/bnpl/checkouts", buyer.wallet().token(), "{\"merchantId\":\"" + buyer.merchantId()
                + "\",\"orderNumber\":\"" + unique("order") + "\",\"amount\":\"" + amount
                + "\",\"currency\":\"CNY\",\"plan\":\"" + plan + "\"}");
    }

    private JsonNode plan(UserWallet wallet, String planId) {
        awaitProcessorsCaughtUp();
        Response response = get("/v1/bnpl/plans/" + planId, wallet.token());
        expectStatus(response, 200);
        return response.json();
    }

    private Response repay(UserWallet wallet, String planId, String body) {
        return post("/v1/bnpl/plans/" + planId + "/repayments", wallet.token(), body,
                Map.of("Idempotency-Key", unique("repay")));
    }

    /** Moves the clock to noon (Shanghai) of {@code day} and runs the plan sweep there. */
    private void reviewOn(LocalDate day) {
        Instant target = day.atTime(LocalTime.NOON).atZone(SHANGHAI).toInstant();
        Duration ahead = Duration.between(clock.instant(), target);
        if (!ahead.isNegative()) {
            clock.advance(ahead);
        }
        awaitProcessorsCaughtUp();
        sweep.sweep();
        awaitProcessorsCaughtUp();
    }

    private static LocalDate dueDate(JsonNode plan, int number) {
        return LocalDate.parse(plan.get("instalments").get(number - 1).get("dueDate").asString());
    }

    private static List<String> statuses(JsonNode plan) {
        List<String> statuses = new ArrayList<>();
        plan.get("instalments").forEach(instalment -> statuses.add(instalment.get("status").asString()));
        return statuses;
    }

    /** The receivable account of a plan holds minus what the plan owes; the trial balance is zero. */
    private void assertBooksAgree(JsonNode plan) {
        String planId = plan.get("plan").get("planId").asString();
        String owed = amount(plan.get("plan").get("outstanding"));
        String receivable = accountBalance("bnpl_receivable:" + planId);
        assertThat(new BigDecimal(receivable).negate()).as("receivable of " + planId)
                .isEqualByComparingTo(owed);
        assertTrialBalanceIsZero();
    }

    @Test
    void pay_in_4_takes_a_quarter_at_checkout_pays_the_merchant_in_full_and_collects_the_rest_on_the_due_dates() {
        Buyer buyer = buyer("100.00");
        Response quote = get("/v1/bnpl/quote?merchantId=" + buyer.merchantId() + "&amount=100.00&currency=CNY&plan=pay_in_4",
                buyer.wallet().token());
        expectStatus(quote, 200);
        assertThat(amount(quote.json().get("dueAtCheckout"))).isEqualTo("25.00");
        assertThat(quote.json().get("schedule").get("instalments")).hasSize(4);

        Response checkout = checkout(buyer, "100.00", "pay_in_4");
        expectStatus(checkout, 201);
        String planId = checkout.json().get("planId").asString();
        assertThat(checkout.json().get("status").asString()).isEqualTo("current");
        assertThat(amount(checkout.json().get("outstanding"))).isEqualTo("75.00");
        awaitProcessorsCaughtUp();
        assertThat(available(buyer.wallet())).isEqualTo("75.00");
        assertThat(merchantBalance(buyer.merchantId())).as("paid in full less 0.6%").isEqualTo("99.40");
        JsonNode plan = plan(buyer.wallet(), planId);
        assertThat(statuses(plan)).containsExactly("paid", "due", "due", "due");
        assertThat(dueDate(plan, 2)).isEqualTo(dueDate(plan, 1).plusDays(14));
        assertBooksAgree(plan);
        // The merchant sees the payment like any other, captured.
        Response payment = get("/v1/payments/" + planId, merchantToken(buyer.merchantId()));
        expectStatus(payment, 200);
        assertThat(payment.json().get("status").asString()).isEqualTo("captured");

        for (int number = 2; number <= 4; number++) {
            reviewOn(dueDate(plan, number));
            assertThat(available(buyer.wallet())).isEqualTo(List.of("50.00", "25.00", "0.00").get(number - 2));
        }
        plan = plan(buyer.wallet(), planId);
        assertThat(plan.get("plan").get("status").asString()).isEqualTo("closed");
        assertThat(statuses(plan)).containsExactly("paid", "paid", "paid", "paid");
        assertThat(plan.get("plan").get("nextReviewAt").isNull()).isTrue();
        assertThat(journal("wallet:" + buyer.wallet().walletId(), "bnpl_repayment")).hasSize(4);
        assertBooksAgree(plan);
    }

    @Test
    void an_instalment_the_wallet_cannot_cover_becomes_overdue_draws_one_late_fee_after_the_grace_period_and_can_be_paid_later() {
        Buyer buyer = buyer(null);
        Response checkout = checkout(buyer, "300.00", "monthly_3");
        expectStatus(checkout, 201);
        String planId = checkout.json().get("planId").asString();
        // A 1.5% plan fee (4.50), stated in the schedule: 304.50 in three instalments of 101.50.
        assertThat(amount(checkout.json().get("planFee"))).isEqualTo("4.50");
        JsonNode plan = plan(buyer.wallet(), planId);
        assertThat(plan.get("instalments").get(0).get("amount").get("amount").asString()).isEqualTo("101.50");
        LocalDate due = dueDate(plan, 1);

        reviewOn(due);
        plan = plan(buyer.wallet(), planId);
        assertThat(plan.get("plan").get("status").asString()).as("due today, not yet overdue").isEqualTo("current");
        reviewOn(due.plusDays(1));
        plan = plan(buyer.wallet(), planId);
        assertThat(plan.get("plan").get("status").asString()).isEqualTo("overdue");
        assertThat(amount(plan.get("lateFees"))).as("still within the grace period").isEqualTo("0.00");
        reviewOn(due.plusDays(4));
        plan = plan(buyer.wallet(), planId);
        assertThat(amount(plan.get("lateFees"))).isEqualTo("5.00");
        reviewOn(due.plusDays(5));
        assertThat(amount(plan(buyer.wallet(), planId).get("lateFees"))).as("once per instalment").isEqualTo("5.00");
        assertBooksAgree(plan);

        topUp(buyer.wallet().walletId(), "106.50");
        Response repaid = repay(buyer.wallet(), planId, "{\"instalments\":1}");
        expectStatus(repaid, 200);
        assertThat(amount(repaid.json().get("outstanding"))).isEqualTo("203.00");
        assertThat(repaid.json().get("status").asString()).isEqualTo("current");
        plan = plan(buyer.wallet(), planId);
        assertThat(statuses(plan)).containsExactly("paid", "due", "due");
        assertThat(journal("bnpl_fee_revenue:platform", "bnpl_late_fee")).isNotEmpty();
        assertBooksAgree(plan);
    }

    @Test
    void a_plan_paid_off_early_closes_and_gives_the_credit_back() {
        Buyer buyer = buyer("1000.00");
        Response checkout = checkout(buyer, "600.00", "monthly_6");
        expectStatus(checkout, 201);
        String planId = checkout.json().get("planId").asString();
        awaitProcessorsCaughtUp();
        JsonNode credit = get("/v1/bnpl/credit", buyer.wallet().token()).json();
        // 600.00 plus a 3% plan fee.
        assertThat(amount(credit.get("used"))).isEqualTo("618.00");

        Response part = repay(buyer.wallet(), planId, "{\"amount\":\"150.00\",\"currency\":\"CNY\"}");
        expectStatus(part, 200);
        JsonNode plan = plan(buyer.wallet(), planId);
        assertThat(statuses(plan)).as("oldest first").containsExactly("paid", "due", "due", "due", "due", "due");
        assertThat(amount(plan.get("instalments").get(1).get("paid"))).isEqualTo("47.00");

        expectProblem(repay(buyer.wallet(), planId, "{\"amount\":\"468.01\",\"currency\":\"CNY\"}"), 422,
                "repayment_exceeds_outstanding");
        Response all = repay(buyer.wallet(), planId, "{\"payOff\":true}");
        expectStatus(all, 200);
        assertThat(all.json().get("status").asString()).isEqualTo("closed");
        awaitProcessorsCaughtUp();
        assertThat(available(buyer.wallet())).isEqualTo("382.00");
        assertThat(amount(get("/v1/bnpl/credit", buyer.wallet().token()).json().get("used"))).isEqualTo("0.00");
        expectProblem(repay(buyer.wallet(), planId, "{\"payOff\":true}"), 422, "plan_closed");
        assertBooksAgree(plan(buyer.wallet(), planId));
    }

    @Test
    void a_refund_halfway_reduces_the_last_instalments_and_a_full_refund_returns_everything_paid() {
        Buyer buyer = buyer("100.00");
        Response checkout = checkout(buyer, "100.00", "pay_in_4");
        expectStatus(checkout, 201);
        String planId = checkout.json().get("planId").asString();
        JsonNode plan = plan(buyer.wallet(), planId);
        reviewOn(dueDate(plan, 2));
        assertThat(available(buyer.wallet())).isEqualTo("50.00");
        String merchant = merchantToken(buyer.merchantId());

        Response half = post("/v1/payments/" + planId + "/refunds", merchant,
                "{\"refundNumber\":\"R-1\",\"amount\":\"30.00\",\"currency\":\"CNY\"}");
        expectStatus(half, 201);
        plan = plan(buyer.wallet(), planId);
        // 30.00 off what is owed, from the last instalment backwards: all of the 4th, 5.00 of the 3rd.
        assertThat(amount(plan.get("plan").get("outstanding"))).isEqualTo("20.00");
        assertThat(statuses(plan)).containsExactly("paid", "paid", "due", "refunded");
        assertThat(amount(plan.get("instalments").get(2).get("owed"))).isEqualTo("20.00");
        assertThat(available(buyer.wallet())).as("nothing beyond what was owed").isEqualTo("50.00");
        assertBooksAgree(plan);

        Response rest = post("/v1/payments/" + planId + "/refunds", merchant,
                "{\"refundNumber\":\"R-2\",\"amount\":\"70.00\",\"currency\":\"CNY\"}");
        expectStatus(rest, 201);
        plan = plan(buyer.wallet(), planId);
        assertThat(plan.get("plan").get("status").asString()).isEqualTo("closed");
        assertThat(available(buyer.wallet())).as("both instalments paid come back").isEqualTo("100.00");
        assertThat(merchantBalance(buyer.merchantId())).isEqualTo("0.00");
        assertThat(accountBalance("refund_clearing:platform")).isEqualTo("0.00");
        JsonNode refunds = get("/v1/payments/" + planId + "/refunds", buyer.wallet().token()).json();
        assertThat(refunds).hasSize(2);
        refunds.forEach(refund -> assertThat(refund.get("status").asString()).isEqualTo("credited"));
        assertBooksAgree(plan);
    }

    @Test
    void a_plan_more_than_60_days_overdue_is_defaulted_written_off_and_the_buyer_can_open_no_more_plans() {
        Buyer buyer = buyer(null);
        Response checkout = checkout(buyer, "90.00", "monthly_3");
        expectStatus(checkout, 201);
        String planId = checkout.json().get("planId").asString();
        JsonNode plan = plan(buyer.wallet(), planId);
        LocalDate due = dueDate(plan, 1);

        reviewOn(due.plusDays(60));
        plan = plan(buyer.wallet(), planId);
        assertThat(plan.get("plan").get("status").asString()).as("60 days overdue is not yet more than 60")
                .isEqualTo("overdue");
        JsonNode receivables = get("/v1/finance/bnpl/receivables", finance()).json();
        assertThat(new BigDecimal(accountBalance("bnpl_receivable:" + planId)).negate())
                .isEqualByComparingTo(amount(plan.get("plan").get("outstanding")));
        assertThat(new BigDecimal(amount(receivables.get("journalBalance"))).negate())
                .as("the journal's receivables are what plans owe")
                .isEqualByComparingTo(amount(receivables.get("outstanding")));
        assertThat(new BigDecimal(amount(receivables.get("ageing").get("31-60")))).isPositive();

        reviewOn(due.plusDays(61));
        plan = plan(buyer.wallet(), planId);
        assertThat(plan.get("plan").get("status").asString()).isEqualTo("defaulted");
        // Nothing was ever paid: everything scheduled (91.35, with a 1.5% plan fee) and every late
        // fee drawn (one per instalment overdue past the grace period) is written off.
        assertThat(amount(plan.get("plan").get("total"))).isEqualTo("91.35");
        BigDecimal lateFees = new BigDecimal(amount(plan.get("lateFees")));
        // 5.00 for each instalment overdue past its 3 days of grace by the time of the default.
        long drawingFees = 0;
        for (int number = 1; number <= 3; number++) {
            if (!dueDate(plan, number).plusDays(4).isAfter(due.plusDays(61))) {
                drawingFees++;
            }
        }
        assertThat(drawingFees).as("the first two instalments at least").isGreaterThanOrEqualTo(2);
        assertThat(lateFees).isEqualByComparingTo(new BigDecimal("5.00").multiply(BigDecimal.valueOf(drawingFees)));
        assertThat(new BigDecimal(amount(plan.get("writtenOff")))).isEqualByComparingTo(
                new BigDecimal("91.35").add(lateFees));
        assertThat(amount(plan.get("plan").get("outstanding"))).isEqualTo("0.00");
        assertThat(statuses(plan)).containsOnly("written_off");
        assertBooksAgree(plan);
        assertThat(journal("bad_debt_expense:platform", "bnpl_write_off")).isNotEmpty();

        JsonNode credit = get("/v1/bnpl/credit", buyer.wallet().token()).json();
        assertThat(credit.get("frozen").asBoolean()).isTrue();
        topUp(buyer.wallet().walletId(), "50.00");
        LedgerState before = ledgerState("wallet:" + buyer.wallet().walletId());
        expectProblem(checkout(buyer, "40.00", "pay_in_4"), 422, "credit_frozen");
        expectProblem(repay(buyer.wallet(), planId, "{\"payOff\":true}"), 422, "plan_defaulted");
        assertThat(ledgerState("wallet:" + buyer.wallet().walletId())).isEqualTo(before);
        Response listed = get("/v1/bnpl/plans?status=defaulted&userId=" + buyer.wallet().user(), finance());
        expectStatus(listed, 200);
        assertThat(listed.json().get("items")).hasSize(1);
        // The user filter is finance's: a user naming themselves gets their plans, anyone else is refused.
        Response own = get("/v1/bnpl/plans?status=defaulted&userId=" + buyer.wallet().user(), buyer.wallet().token());
        expectStatus(own, 200);
        assertThat(own.json().get("items")).hasSize(1);
        UserWallet other = openWallet();
        expectProblem(get("/v1/bnpl/plans?userId=" + buyer.wallet().user(), other.token()), 403, "forbidden");
    }

    @Test
    void bad_checkouts_and_repayments_are_refused_with_clear_codes_and_change_nothing() {
        Buyer buyer = buyer("10.00");
        LedgerState before = ledgerState("wallet:" + buyer.wallet().walletId(), "merchant:" + buyer.merchantId());
        expectProblem(checkout(buyer, "100.00", "pay_in_5"), 400, "invalid_request");
        expectProblem(checkout(buyer, "0", "pay_in_4"), 400, "amount_not_positive");
        expectProblem(checkout(buyer, "-5.00", "pay_in_4"), 400, "amount_not_positive");
        expectProblem(checkout(buyer, "10.001", "pay_in_4"), 400, "invalid_amount_precision");
        expectProblem(checkout(buyer, "0.03", "pay_in_4"), 422, "amount_too_small_for_plan");
        assertThat(amount(get("/v1/bnpl/credit", buyer.wallet().token()).json().get("limit")))
                .as("the configured default").isEqualTo("5000.00");
        expectProblem(checkout(buyer, "5000.01", "monthly_12"), 422, "credit_limit_exceeded");
        expectProblem(checkout(buyer, "100.00", "pay_in_4"), 422, "insufficient_funds");
        expectProblem(post("/v1/bnpl/checkouts", buyer.wallet().token(), "{\"merchantId\":\"" + buyer.merchantId()
                + "\",\"orderNumber\":\"o-usd\",\"amount\":\"10.00\",\"currency\":\"USD\",\"plan\":\"pay_in_4\"}"),
                422, "plan_currency_not_supported");
        expectProblem(post("/v1/bnpl/checkouts", buyer.wallet().token(), "{\"merchantId\":\"nobody\",\"orderNumber\":\"o-1\","
                + "\"amount\":\"10.00\",\"currency\":\"CNY\",\"plan\":\"pay_in_4\"}"), 422, "unknown_merchant");
        assertThat(ledgerState("wallet:" + buyer.wallet().walletId(), "merchant:" + buyer.merchantId()))
                .isEqualTo(before);

        Response checkout = checkout(buyer, "20.00", "pay_in_4");
        expectStatus(checkout, 201);
        String planId = checkout.json().get("planId").asString();
        UserWallet stranger = openWallet();
        before = ledgerState("wallet:" + buyer.wallet().walletId(), "bnpl_receivable:" + planId);
        expectProblem(post("/v1/bnpl/plans/" + planId + "/repayments", buyer.wallet().token(), "{\"payOff\":true}"),
                400, "idempotency_key_required");
        expectProblem(repay(buyer.wallet(), planId, "{\"payOff\":true,\"instalments\":1}"), 400, "invalid_request");
        expectProblem(repay(buyer.wallet(), planId, "{\"amount\":\"0.00\",\"currency\":\"CNY\"}"), 400,
                "amount_not_positive");
        expectProblem(repay(stranger, planId, "{\"payOff\":true}"), 404, "plan_not_found");
        expectProblem(get("/v1/bnpl/plans/" + planId, stranger.token()), 404, "plan_not_found");
        expectProblem(repay(buyer.wallet(), "p_unknown", "{\"payOff\":true}"), 404, "plan_not_found");
        expectProblem(repay(buyer.wallet(), planId, "{\"amount\":\"15.01\",\"currency\":\"CNY\"}"), 422,
                "repayment_exceeds_outstanding");
        expectProblem(repay(buyer.wallet(), planId, "{\"payOff\":true}"), 422, "insufficient_funds");
        assertThat(ledgerState("wallet:" + buyer.wallet().walletId(), "bnpl_receivable:" + planId)).isEqualTo(before);
    }

    @Test
    void concurrent_checkouts_never_take_a_buyer_past_the_credit_limit() throws Exception {
        Buyer buyer = buyer(null);
        expectStatus(put("/v1/users/" + buyer.wallet().user() + "/credit-line", finance(),
                "{\"limit\":\"100.00\",\"currency\":\"CNY\",\"frozen\":false}"), 200);
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // 40.00 plus a 1.5% plan fee: 40.60 each, so two fit in 100.00 and a third does not.
            calls.add(() -> checkout(buyer, "40.00", "monthly_3"));
        }
        List<Response> responses = concurrently(calls);
        assertThat(responses).filteredOn(response -> response.status() == 201).hasSize(2);
        assertThat(responses).filteredOn(response -> response.status() != 201)
                .allSatisfy(response -> expectProblem(response, 422, "credit_limit_exceeded"));
        awaitProcessorsCaughtUp();
        JsonNode credit = get("/v1/bnpl/credit", buyer.wallet().token()).json();
        assertThat(amount(credit.get("used"))).isEqualTo("81.20");
        assertThat(get("/v1/bnpl/plans", buyer.wallet().token()).json().get("items")).hasSize(2);
        assertTrialBalanceIsZero();
    }

    @Test
    void finance_sets_a_credit_limit_that_is_respected_exactly() {
        Buyer buyer = buyer("100.00");
        Response set = put("/v1/users/" + buyer.wallet().user() + "/credit-line", finance(),
                "{\"limit\":\"150.00\",\"currency\":\"CNY\",\"frozen\":false}");
        expectStatus(set, 200);
        // 200.00 pay-in-4 owes 150.00 after its first instalment: exactly the limit.
        expectStatus(checkout(buyer, "200.00", "pay_in_4"), 201);
        expectProblem(checkout(buyer, "0.04", "pay_in_4"), 422, "credit_limit_exceeded");
        awaitProcessorsCaughtUp();
        JsonNode credit = get("/v1/users/" + buyer.wallet().user() + "/credit-line", finance()).json();
        assertThat(amount(credit.get("limit"))).isEqualTo("150.00");
        assertThat(amount(credit.get("available"))).isEqualTo("0.00");
        expectProblem(put("/v1/users/" + buyer.wallet().user() + "/credit-line", buyer.wallet().token(),
                "{\"limit\":\"1.00\",\"currency\":\"CNY\",\"frozen\":false}"), 403, "forbidden");
    }
}
