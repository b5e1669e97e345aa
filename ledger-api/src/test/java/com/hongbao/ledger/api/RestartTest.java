package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.bnpl.PlanReviewSweep;
import com.hongbao.ledger.api.packets.RedPacketExpirySweep;
import com.hongbao.ledger.api.payments.AuthorisationExpirySweep;
import com.hongbao.ledger.api.support.LedgerApiTest;
import com.hongbao.ledger.api.support.TestDatabase;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.wallet.WalletCommand.TopUpWallet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.awaitility.Awaitility;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Deadlines survive restarts: an authorisation made before a node started is expired by that
 * node, and an instalment that falls due is collected by it, though the node has nothing of
 * either in memory (no timer, no cached aggregate): it works from what the event store and the
 * read models hold. The second node is a whole application on the same
 * database with its clock past the expiry; the test's own node keeps running its event
 * processors, so it settles the hold, and its stale cached payment must lose to the expiry.
 */
class RestartTest extends LedgerApiTest {

    @Test
    void a_node_started_after_an_authorisation_expires_it_from_stored_state_and_the_money_returns_once() {
        String merchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "40.00");
        Response authorised = pay(payer, merchant, "order-1", "25.00", "manual");
        expectStatus(authorised, 201);
        String paymentId = authorised.json().get("paymentId").asString();
        awaitProcessorsCaughtUp();
        sweepOnANodeAhead(Duration.ofDays(7).plusMinutes(1), AuthorisationExpirySweep.class,
                AuthorisationExpirySweep::sweep, "the authorisation is expired once");

        awaitProcessorsCaughtUp();
        JsonNode view = get("/v1/payments/" + paymentId, payer.token()).json();
        assertThat(view.get("status").asString()).isEqualTo("expired");
        assertThat(available(payer)).isEqualTo("40.00");
        assertThat(held(payer)).isEqualTo("0.00");
        // This node still caches the payment as authorised and its clock is before the expiry: the
        // capture is decided on stale state, loses on the event store's unique index, and is decided
        // again on the stored expiry.
        Response capture = capture(merchant, paymentId, null);
        expectStatus(capture, 422);
        assertThat(capture.code()).isEqualTo("authorisation_expired");
        awaitProcessorsCaughtUp();
        assertThat(postingsOf(paymentId)).containsExactly(
                "payment_authorisation wallet:" + payer.walletId() + " -2500",
                "payment_authorisation payment_clearing:platform 2500",
                "authorisation_release payment_clearing:platform -2500",
                "authorisation_release wallet:" + payer.walletId() + " 2500");
        assertThat(merchantBalance(merchant)).isEqualTo("0.00");
        assertTrialBalanceIsZero();
    }

    @Test
    void a_node_started_after_an_instalment_falls_due_collects_it_once_from_stored_state() {
        String merchant = onboardMerchant(60);
        UserWallet buyer = openWallet();
        topUp(buyer.walletId(), "40.00");
        Response checkout = post("/v1/bnpl/checkouts", buyer.token(), "{\"merchantId\":\"" + merchant
                + "\",\"orderNumber\":\"order-1\",\"amount\":\"40.00\",\"currency\":\"CNY\",\"plan\":\"pay_in_4\"}");
        expectStatus(checkout, 201);
        String planId = checkout.json().get("planId").asString();
        awaitProcessorsCaughtUp();
        sweepOnANodeAhead(Duration.ofDays(14).plusMinutes(1), PlanReviewSweep.class, PlanReviewSweep::sweep,
                "nothing more is due before the third due date");

        awaitProcessorsCaughtUp();
        assertThat(available(buyer)).isEqualTo("20.00");
        assertThat(journal("wallet:" + buyer.walletId(), "bnpl_repayment")).hasSize(2);
        // This node's cached wallet is stale: the repayment is decided again on the stored collection.
        Response paidOff = post("/v1/bnpl/plans/" + planId + "/repayments", buyer.token(), "{\"payOff\":true}",
                java.util.Map.of("Idempotency-Key", unique("k")));
        expectStatus(paidOff, 200);
        assertThat(paidOff.json().get("status").asString()).isEqualTo("closed");
        assertThat(paidOff.json().get("paid").get("amount").asString()).isEqualTo("40.00");
        awaitProcessorsCaughtUp();
        assertThat(available(buyer)).isEqualTo("0.00");
        assertThat(accountBalance("bnpl_receivable:" + planId)).isEqualTo("0.00");
        assertTrialBalanceIsZero();
    }

    @Test
    void a_node_started_after_a_packet_expires_refunds_it_once_from_stored_state() {
        UserWallet alice = openWallet();
        UserWallet bob = openWallet();
        topUp(alice.walletId(), "10.00");
        Response sent = post("/v1/red-packets", alice.token(), "{\"kind\":\"group_fixed\",\"amount\":\"3.00\","
                + "\"currency\":\"CNY\",\"shares\":1,\"members\":[\"" + bob.user() + "\"]}",
                Map.of("Idempotency-Key", "restart-packet"));
        expectStatus(sent, 201);
        String packetId = sent.json().get("packetId").asString();
        awaitProcessorsCaughtUp();
        sweepOnANodeAhead(Duration.ofHours(24).plusMinutes(1), RedPacketExpirySweep.class,
                RedPacketExpirySweep::sweep, "the packet is refunded once");

        awaitProcessorsCaughtUp();
        assertThat(available(alice)).isEqualTo("10.00");
        assertThat(accountBalance("red_packet_escrow:" + packetId)).isEqualTo("0.00");
        // This node still caches the packet as open; its grab loses on the event store and is decided again.
        expectProblem(post("/v1/red-packets/" + packetId + "/grab", bob.token(), ""), 410, "packet_expired");
        assertTrialBalanceIsZero();
    }

    @Test
    void a_refusal_decided_on_a_wallet_cached_before_another_nodes_top_up_is_decided_again_on_stored_state() {
        String merchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "10.00");
        expectStatus(pay(payer, merchant, "order-1", "10.00", "immediate"), 201);
        Duration sameTime = Duration.between(Instant.now(), clock.instant());

        // This node now caches the wallet at 0.00; the other node tops it up.
        try (ConfigurableApplicationContext other = startNode(Clock.offset(Clock.systemUTC(), sameTime))) {
            other.getBean(CommandGateway.class).sendAndWait(new TopUpWallet(new WalletId(payer.walletId()), "bank-other-node",
                    Money.of(5_000, "CNY"), clock.instant()));
        }

        Response payment = pay(payer, merchant, "order-2", "20.00", "immediate");
        expectStatus(payment, 201);
        awaitProcessorsCaughtUp();
        assertThat(available(payer)).isEqualTo("30.00");
        assertTrialBalanceIsZero();
    }

    /**
     * Starts a node whose clock runs {@code ahead} of this test's clock and runs its sweep: something
     * is due the first time, and once the processors have caught up, nothing more.
     */
    private <S> void sweepOnANodeAhead(Duration ahead, Class<S> sweepType, ToIntFunction<S> sweep, String once) {
        Duration offset = Duration.between(Instant.now(), clock.instant()).plus(ahead);
        try (ConfigurableApplicationContext restarted = startNode(Clock.offset(Clock.systemUTC(), offset))) {
            S started = restarted.getBean(sweepType);
            assertThat(sweep.applyAsInt(started)).isGreaterThanOrEqualTo(1);
            awaitProcessorsCaughtUp();
            assertThat(sweep.applyAsInt(started)).as(once).isZero();
        }
    }

    /**
     * Starts a second application on the test database with the given clock. The segments of the
     * event processors belong to this test's node, which keeps the read models: the second node
     * must not take them (its token claims are in its own name, though both run in one JVM), and
     * its processors are then stopped.
     */
    private static ConfigurableApplicationContext startNode(Clock clock) {
        TestDatabase.Server database = TestDatabase.get();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(LedgerApplication.class)
                .initializers(created -> ((GenericApplicationContext) created).registerBean("restartedNodeClock",
                        Clock.class, () -> clock, definition -> definition.setPrimary(true)))
                .run("--server.port=0", "--ledger.db.url=" + database.url(), "--ledger.db.user=" + database.user(),
                        "--ledger.db.password=" + database.password(), "--ledger.auth.dev-tokens=true",
                        "--ledger.payments.expiry-sweep-interval=PT1H", "--ledger.red-packets.expiry-sweep-interval=PT1H",
                        "--ledger.platform.campaign-sweep-interval=PT1H", "--ledger.bnpl.review-sweep-interval=PT1H", "--ledger.settlement.sweep-interval=PT1H", "--spring.main.banner-mode=off",
                        "--logging.level.org.axonframework=WARN", "--logging.level.org.springdoc=WARN");
        Collection<EventProcessor> processors = context.getBean(EventProcessingConfiguration.class)
                .eventProcessors().values();
        Awaitility.await("the second node claims none of the first node's segments")
                .during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10))
                .until(() -> processors.stream().allMatch(processor ->
                        ((StreamingEventProcessor) processor).processingStatus().isEmpty()));
        processors.forEach(EventProcessor::shutDown);
        return context;
    }
}
