package com.hongbao.ledger.api.credits;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.support.LedgerApiTest;
import com.hongbao.ledger.core.packet.RedPacketCreditor;
import com.hongbao.ledger.core.payment.PaymentHoldReleaser;
import com.hongbao.ledger.core.refund.RefundCreditor;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.awaitility.Awaitility;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 16, item 6: the credit processors and the hold releaser deadlocked on wallets. A command
 * sent from a handler ran nested in the processor's batch and kept its wallet's lock until the batch
 * committed; three processors crediting the same wallets in different orders, each holding the
 * locks of a whole batch, made a cycle that Axon's lock factory refused with a
 * {@code DeadlockException}. Here the three processors are paused while their events pile up for
 * twenty wallets in three different orders (refunds ascending, packet shares descending, hold
 * releases shuffled), then started together while users pay from the same wallets. Every credit
 * lands, the wallets' balances are exact, and no deadlock is reported anywhere.
 */
class CreditDeadlockTest extends LedgerApiTest {

    private static final int WALLETS = 20;
    private static final List<String> CREDIT_PROCESSORS = List.of(RefundCreditor.PROCESSING_GROUP,
            RedPacketCreditor.PROCESSING_GROUP, PaymentHoldReleaser.PROCESSING_GROUP);

    @Autowired
    private IsolatedCreditDispatch credits;

    @Test
    void credits_for_the_same_wallets_in_three_orders_under_concurrent_payments_all_land_without_a_deadlock()
            throws Exception {
        String merchant = onboardMerchant(0);
        UserWallet sender = openWallet();
        topUp(sender.walletId(), "100.00");
        List<UserWallet> wallets = new ArrayList<>();
        List<String> paid = new ArrayList<>();
        List<String> held = new ArrayList<>();
        for (int i = 0; i < WALLETS; i++) {
            UserWallet wallet = openWallet();
            topUp(wallet.walletId(), "100.00");
            Response payment = pay(wallet, merchant, unique("order"), "10.00", "immediate");
            expectStatus(payment, 201);
            paid.add(payment.json().get("paymentId").asString());
            Response hold = pay(wallet, merchant, unique("order"), "5.00", "manual");
            expectStatus(hold, 201);
            held.add(hold.json().get("paymentId").asString());
            wallets.add(wallet);
        }
        awaitProcessorsCaughtUp();
        long deadlocksBefore = credits.deadlocks();

        try (ExceptionLog deadlocks = ExceptionLog.watching("DeadlockException")) {
            List<StreamingEventProcessor> processors = CREDIT_PROCESSORS.stream().map(group ->
                    eventProcessing.eventProcessor(group, StreamingEventProcessor.class).orElseThrow()).toList();
            processors.forEach(StreamingEventProcessor::shutDown);
            List<String> refunds = new ArrayList<>();
            try {
                for (int i = 0; i < WALLETS; i++) {
                    refunds.add(refund(merchant, paid.get(i), "10.00"));
                }
                for (int i = WALLETS - 1; i >= 0; i--) {
                    sendAndGrab(sender, wallets.get(i), "1.00");
                }
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < WALLETS; i++) {
                    order.add(i);
                }
                Collections.shuffle(order, new Random(16));
                for (int i : order) {
                    expectStatus(post("/v1/payments/" + held.get(i) + "/capture", merchantToken(merchant),
                            "{\"amount\":\"3.00\",\"currency\":\"CNY\"}"), 200);
                }
            } finally {
                processors.forEach(StreamingEventProcessor::start);
            }

            // Users pay from the same wallets while the processors credit them.
            AtomicIntegerArray payments = new AtomicIntegerArray(WALLETS);
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService payers = Executors.newFixedThreadPool(4);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                running.add(payers.submit(() -> {
                    Random random = new Random(seed);
                    while (!stop.get()) {
                        int i = random.nextInt(WALLETS);
                        if (pay(wallets.get(i), merchant, unique("order"), "1.00", "immediate").status() == 201) {
                            payments.incrementAndGet(i);
                        }
                    }
                }));
            }
            Thread.sleep(3_000);
            stop.set(true);
            for (Future<?> payer : running) {
                payer.get(30, TimeUnit.SECONDS);
            }
            payers.shutdown();

            Awaitility.await("every refund credited").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM refund WHERE credited_at IS NOT NULL"
                            + " AND refund_id IN (" + String.join(",", Collections.nCopies(refunds.size(), "?")) + ")",
                            Integer.class, refunds.toArray()) == refunds.size());
            awaitProcessorsCaughtUp();
            // 100 topped up, 10 paid and refunded, 1 grabbed, 3 captured of a 5 hold (2 released), 1 per payment.
            for (int i = 0; i < WALLETS; i++) {
                BigDecimal expected = new BigDecimal("98.00").subtract(BigDecimal.valueOf(payments.get(i)));
                assertThat(available(wallets.get(i))).as("wallet %d", i).isEqualTo(expected.setScale(2).toPlainString());
                assertThat(held(wallets.get(i))).as("wallet %d held", i).isEqualTo("0.00");
            }
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM dead_letter_entry WHERE sequence_identifier IN ("
                    + String.join(",", Collections.nCopies(WALLETS, "?")) + ")", Integer.class,
                    wallets.stream().map(UserWallet::walletId).toArray())).as("parked credits").isZero();
            assertThat(deadlocks.lines()).as("deadlocks logged").isEmpty();
            assertThat(credits.deadlocks() - deadlocksBefore).as("deadlocks retried by the credits").isZero();
        }
        assertTrialBalanceIsZero();
    }

    private String refund(String merchant, String paymentId, String amount) {
        Response refunded = post("/v1/payments/" + paymentId + "/refunds", merchantToken(merchant),
                "{\"refundNumber\":\"" + unique("R") + "\",\"amount\":\"" + amount + "\",\"currency\":\"CNY\"}");
        expectStatus(refunded, 201);
        var id = refunded.json().get("refundId");
        return id.isString() ? id.asString() : id.get("value").asString();
    }

    private void sendAndGrab(UserWallet sender, UserWallet recipient, String amount) {
        Response sent = post("/v1/red-packets", sender.token(), "{\"kind\":\"single\",\"amount\":\"" + amount
                + "\",\"currency\":\"CNY\",\"recipient\":\"" + recipient.user() + "\"}",
                Map.of("Idempotency-Key", unique("send")));
        expectStatus(sent, 201);
        expectStatus(post("/v1/red-packets/" + sent.json().get("packetId").asString() + "/grab", recipient.token(), ""),
                200);
    }
}
