package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.support.ApiTest;
import org.junit.jupiter.api.Test;

class WalletSnapshotTest extends ApiTest {

    @Test
    void a_busy_wallet_is_snapshotted_and_rebuilt_from_its_snapshot_with_the_same_balance_holds_and_plans() {
        String merchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "1000.00");
        expectStatus(pay(payer, merchant, unique("held"), "5.00", "manual"), 201);
        Response plan = post("/v1/bnpl/checkouts", payer.token(), "{\"merchantId\":\"" + merchant
                + "\",\"orderNumber\":\"" + unique("plan") + "\",\"amount\":\"40.00\",\"currency\":\"CNY\","
                + "\"plan\":\"pay_in_4\"}");
        expectStatus(plan, 201);
        String planId = plan.json().get("planId").asString();
        for (int i = 0; i < 110; i++) {
            expectStatus(pay(payer, merchant, unique("o"), "1.00", "immediate"), 201);
        }
        // Snapshots are taken off the command threads, shortly after the commit that triggers them.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM snapshot_entry WHERE aggregate_identifier = ?", Long.class, payer.walletId()) > 0);
        String snapshot = jdbc.queryForObject("SELECT convert_from(payload, 'UTF8') FROM snapshot_entry"
                + " WHERE aggregate_identifier = ? ORDER BY sequence_number DESC LIMIT 1", String.class, payer.walletId());
        assertThat(snapshot).contains("\"walletId\":\"" + payer.walletId() + "\"", "\"availableMinor\":",
                "\"openHoldsMinor\":{\"p_", "\"plans\":{\"" + planId + "\"");

        // A rejected command rolls back and drops the wallet from the cache, so the next command
        // rebuilds it from the snapshot and the events after it.
        Response refused = pay(payer, merchant, unique("too-much"), "100000.00", "immediate");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.code()).isEqualTo("insufficient_funds");
        Response next = pay(payer, merchant, unique("o"), "1.00", "immediate");

        expectStatus(next, 201);
        assertThat(next.json().get("walletId").asString()).isEqualTo(payer.walletId());
        // The plan came back from the snapshot: 30.00 still owed after the first instalment.
        Response paidOff = post("/v1/bnpl/plans/" + planId + "/repayments", payer.token(), "{\"payOff\":true}",
                java.util.Map.of("Idempotency-Key", unique("k")));
        expectStatus(paidOff, 200);
        assertThat(paidOff.json().get("paid").get("amount").asString()).isEqualTo("40.00");
        assertThat(paidOff.json().get("status").asString()).isEqualTo("closed");
        // 1000.00 − 5.00 held − 40.00 for the plan − 111 × 1.00 paid.
        Response withdrawal = post("/v1/wallets/" + payer.walletId() + "/withdrawals", payer.token(),
                "{\"bankAccountToken\":\"tok_1\",\"amount\":\"844.00\",\"currency\":\"CNY\"}",
                java.util.Map.of("Idempotency-Key", unique("k")));
        expectStatus(withdrawal, 201);
        assertThat(withdrawal.json().get("available").get("amount").asString()).isEqualTo("0.00");
        assertThat(withdrawal.json().get("held").get("amount").asString()).isEqualTo("5.00");
    }
}
