package com.hongbao.ledger.api.credits;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.support.LedgerApiTest;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * One wallet at its maximum balance must not hold back anybody else's credits (issue 16, item 3),
 * and the money waiting for it must not hide (item 2). The full wallet's refund and packet share are
 * parked behind that wallet alone, listed for finance, counted in the gauge, reported by
 * reconciliation once past the clearing-age threshold, and applied exactly once as soon as the
 * wallet has room again. Everything here is in HKD, so the huge balances meet no other test's
 * platform accounts in CNY.
 */
class FullWalletCreditsTest extends LedgerApiTest {

    /** The largest amount one request may carry; 92 of them and a remainder fill a wallet to a long's worth. */
    private static final String LARGEST_AMOUNT = "999999999999999.99";

    @Autowired
    private MeterRegistry meters;

    @Autowired
    private CreditMonitor creditMonitor;

    @Test
    void a_full_wallets_credits_wait_for_it_alone_are_visible_and_are_applied_once_when_it_has_room() {
        String merchant = hkdMerchant();
        UserWallet sender = hkdWallet();
        topUpHkd(sender, "100.00");
        UserWallet full = hkdWallet();
        topUpHkd(full, "10.00");
        String fullPayment = payHkd(full, merchant, "1.00");
        // Other users whose credits fall in the full wallet's segment (two segments: the sequence's hash parity).
        List<UserWallet> others = new ArrayList<>();
        List<String> otherPayments = new ArrayList<>();
        while (others.size() < 3) {
            UserWallet other = hkdWallet();
            if ((other.walletId().hashCode() & 1) == (full.walletId().hashCode() & 1)) {
                topUpHkd(other, "10.00");
                otherPayments.add(payHkd(other, merchant, "1.00"));
                others.add(other);
            }
        }
        fillToTheMaximum(full);
        awaitProcessorsCaughtUp();

        String fullRefund = refundHkd(merchant, fullPayment, "1.00");
        String fullPacket = sendAndGrab(sender, full, "2.00");
        List<String> otherRefunds = new ArrayList<>();
        for (int i = 0; i < others.size(); i++) {
            otherRefunds.add(refundHkd(merchant, otherPayments.get(i), "1.00"));
            sendAndGrab(sender, others.get(i), "0.50");
        }

        // Everybody else's refund and share are credited promptly, past the full wallet's parked credits.
        Awaitility.await("other users' credits").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> {
                    for (UserWallet other : others) {
                        assertThat(availableHkd(other)).isEqualTo("10.50");
                    }
                });
        // The refunds read model follows the wallets' credits a moment later.
        Awaitility.await("other users' refunds shown credited").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                    for (String refund : otherRefunds) {
                        assertThat(jdbc.queryForObject("SELECT credited_at IS NOT NULL FROM refund WHERE refund_id = ?",
                                Boolean.class, refund)).as(refund).isTrue();
                    }
                });

        // The full wallet's two credits are parked behind it, retried, and finance sees them.
        Awaitility.await("the full wallet's credits parked and retried").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    List<JsonNode> parked = parkedFor(full);
                    assertThat(parked).extracting(credit -> credit.get("eventType").asString())
                            .containsExactlyInAnyOrder("MerchantRefundedPayment", "RedPacketGrabbed");
                    // A retry that fails again is parked again with its count: the failure did not
                    // doom the retry's transaction (it would have lost the requeue).
                    assertThat(parked).allSatisfy(credit -> assertThat(credit.get("attempts").asLong())
                            .isGreaterThanOrEqualTo(2));
                });
        List<JsonNode> parked = parkedFor(full);
        assertThat(parked).extracting(credit -> credit.get("amount").get("amount").asString())
                .containsExactlyInAnyOrder("1.00", "2.00");
        assertThat(parked).allSatisfy(credit -> {
            assertThat(credit.get("processingGroup").asString()).isIn("refund-credits", "red-packet-credits");
            assertThat(credit.get("causeType").asString()).contains("BalanceOverflow");
            assertThat(credit.get("amount").get("currency").asString()).isEqualTo("HKD");
        });
        Awaitility.await("the parked gauge").atMost(Duration.ofSeconds(15))
                .until(() -> gauge("ledger.credits.parked") >= 2);
        expectProblem(get("/v1/finance/parked-credits", full.token()), 403, "forbidden");
        expectProblem(get("/v1/finance/parked-credits?limit=0", finance()), 400, "invalid_parameter");
        assertThat(availableHkd(full)).isEqualTo(maximum());

        // Within the threshold the money waiting is not yet a difference; past it, reconciliation reports it.
        assertThat(agedDifferences(reconciliation(), fullRefund, fullPacket)).isEmpty();
        clock.advance(Duration.ofMinutes(6));
        JsonNode report = reconciliation();
        assertThat(report.get("balanced").asBoolean()).as(report.toString()).isFalse();
        assertThat(agedDifferences(report, fullRefund, fullPacket)).containsExactlyInAnyOrder(
                "refund_not_credited refund_clearing:platform HKD 100 " + fullRefund,
                "share_not_credited red_packet_escrow:" + fullPacket + " HKD 200 " + fullPacket);
        creditMonitor.refreshAged();
        assertThat(creditMonitor.aged()).isGreaterThanOrEqualTo(2);
        assertThat(meters.find("ledger.clearing.aged.amount").tags("kind", "refund_not_credited", "currency", "HKD")
                .gauge()).isNotNull();
        assertThat(meters.find("ledger.clearing.aged.amount").tags("kind", "share_not_credited", "currency", "HKD")
                .gauge().value()).isGreaterThanOrEqualTo(2.0);

        // Room again: the parked credits are applied, once each, and leave the list.
        withdrawHkd(full, "5.00");
        Awaitility.await("the parked credits applied").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(parkedFor(full)).isEmpty());
        awaitProcessorsCaughtUp();
        BigDecimal expected = new BigDecimal(maximum()).subtract(new BigDecimal("5.00")).add(new BigDecimal("3.00"));
        assertThat(availableHkd(full)).isEqualTo(expected.toPlainString());
        String account = "wallet:" + full.walletId();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM journal_posting WHERE account_id = ? AND reference = ?"
                + " AND movement_type = 'refund_credit'", Long.class, account, fullRefund)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM journal_posting WHERE account_id = ? AND reference = ?"
                + " AND movement_type = 'red_packet_claim'", Long.class, account, fullPacket)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM event_entry WHERE aggregate_identifier = ?"
                + " AND payload_type LIKE '%WalletCreditedWithRefund'", Long.class, full.walletId())).isEqualTo(1);
        JsonNode after = reconciliation();
        assertThat(agedDifferences(after, fullRefund, fullPacket)).isEmpty();
        assertThat(after.get("balanced").asBoolean()).as(after.toString()).isTrue();
        assertTrialBalanceIsZero();
    }

    private List<JsonNode> parkedFor(UserWallet wallet) {
        Response response = get("/v1/finance/parked-credits?limit=200", finance());
        expectStatus(response, 200);
        assertThat(response.json().get("count").asLong()).isGreaterThanOrEqualTo(response.json().get("credits").size());
        List<JsonNode> credits = new ArrayList<>();
        response.json().get("credits").forEach(credit -> {
            if (credit.get("target").asString().equals(wallet.walletId())) {
                credits.add(credit);
            }
        });
        return credits;
    }

    private double gauge(String name) {
        Gauge gauge = meters.find(name).gauge();
        return gauge == null ? -1 : gauge.value();
    }

    /** The aged-clearing differences about these references, as {@code code account currency minor reference}. */
    private static List<String> agedDifferences(JsonNode report, String... references) {
        List<String> found = new ArrayList<>();
        report.get("differences").forEach(d -> {
            if (d.get("check").asString().equals("aged_clearing")
                    && List.of(references).contains(d.get("reference").asString())) {
                assertThat(d.get("compared").asLong()).isZero();
                assertThat(d.get("since")).isNotNull();
                found.add(d.get("code").asString() + " " + d.get("accountId").asString() + " "
                        + d.get("currency").asString() + " " + d.get("journal").asLong() + " "
                        + d.get("reference").asString());
            }
        });
        return found;
    }

    private JsonNode reconciliation() {
        awaitProcessorsCaughtUp();
        Response response = get("/v1/finance/reconciliation", finance());
        expectStatus(response, 200);
        return response.json();
    }

    private static String maximum() {
        return BigDecimal.valueOf(Long.MAX_VALUE, 2).toPlainString();
    }

    /** Tops the wallet up until its balance is the largest a wallet can hold. */
    private void fillToTheMaximum(UserWallet wallet) {
        for (int i = 0; i < 92; i++) {
            topUpHkd(wallet, LARGEST_AMOUNT);
        }
        awaitProcessorsCaughtUp();
        BigDecimal room = new BigDecimal(maximum()).subtract(new BigDecimal(availableHkd(wallet)));
        topUpHkd(wallet, room.toPlainString());
        awaitProcessorsCaughtUp();
        assertThat(availableHkd(wallet)).isEqualTo(maximum());
    }

    private String hkdMerchant() {
        String merchantId = unique("m");
        expectStatus(post("/v1/merchants", admin(), JSON.writeValueAsString(Map.of("merchantId", merchantId,
                "name", "Shop " + merchantId, "feeRateBasisPoints", 60, "settlementCurrency", "HKD"))), 201);
        return merchantId;
    }

    private UserWallet hkdWallet() {
        String user = unique("u");
        String token = token(user, "user");
        Response response = post("/v1/wallets", token, "{\"currency\":\"HKD\"}");
        expectStatus(response, 201);
        return new UserWallet(user, token, response.json().get("walletId").asString());
    }

    private void topUpHkd(UserWallet wallet, String amount) {
        expectStatus(post("/v1/wallets/" + wallet.walletId() + "/top-ups", admin(), "{\"bankReference\":\""
                + unique("bank") + "\",\"amount\":\"" + amount + "\",\"currency\":\"HKD\"}"), 201);
    }

    private void withdrawHkd(UserWallet wallet, String amount) {
        expectStatus(post("/v1/wallets/" + wallet.walletId() + "/withdrawals", wallet.token(),
                "{\"bankAccountToken\":\"acct-1\",\"amount\":\"" + amount + "\",\"currency\":\"HKD\"}",
                Map.of("Idempotency-Key", unique("withdraw"))), 201);
    }

    private String payHkd(UserWallet payer, String merchant, String amount) {
        Response paid = post("/v1/payments", payer.token(), "{\"merchantId\":\"" + merchant + "\",\"orderNumber\":\""
                + unique("order") + "\",\"amount\":\"" + amount + "\",\"currency\":\"HKD\",\"captureMode\":\"immediate\"}");
        expectStatus(paid, 201);
        return paid.json().get("paymentId").asString();
    }

    private String refundHkd(String merchant, String paymentId, String amount) {
        Response refunded = post("/v1/payments/" + paymentId + "/refunds", merchantToken(merchant),
                "{\"refundNumber\":\"" + unique("R") + "\",\"amount\":\"" + amount + "\",\"currency\":\"HKD\"}");
        expectStatus(refunded, 201);
        JsonNode id = refunded.json().get("refundId");
        return id.isString() ? id.asString() : id.get("value").asString();
    }

    /** Sends a single packet to the recipient, who grabs it; returns the packet's id. */
    private String sendAndGrab(UserWallet sender, UserWallet recipient, String amount) {
        Response sent = post("/v1/red-packets", sender.token(), "{\"kind\":\"single\",\"amount\":\"" + amount
                + "\",\"currency\":\"HKD\",\"recipient\":\"" + recipient.user() + "\"}",
                Map.of("Idempotency-Key", unique("send")));
        expectStatus(sent, 201);
        String packetId = sent.json().get("packetId").asString();
        expectStatus(post("/v1/red-packets/" + packetId + "/grab", recipient.token(), ""), 200);
        return packetId;
    }

    private String availableHkd(UserWallet wallet) {
        Response response = get("/v1/wallets/" + wallet.walletId(), wallet.token());
        expectStatus(response, 200);
        assertThat(response.json().get("available").get("currency").asString()).isEqualTo("HKD");
        return response.json().get("available").get("amount").asString();
    }
}
