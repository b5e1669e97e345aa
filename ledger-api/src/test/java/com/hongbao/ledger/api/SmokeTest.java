package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.support.ApiTest;
import org.junit.jupiter.api.Test;

class SmokeTest extends ApiTest {

    @Test
    void a_user_pays_a_merchant_who_is_credited_net_of_the_fee_and_the_trial_balance_stays_zero() {
        String merchant = onboardMerchant(60);
        UserWallet alice = openWallet();
        topUp(alice.walletId(), "100.00");

        Response payment = pay(alice, merchant, "order-1", "12.34", "immediate");

        expectStatus(payment, 201);
        assertThat(payment.json().get("fee").get("amount").asString()).isEqualTo("0.07");
        assertThat(payment.json().get("net").get("amount").asString()).isEqualTo("12.27");
        awaitProcessorsCaughtUp();
        Response merchantView = get("/v1/merchants/" + merchant, merchantToken(merchant));
        assertThat(merchantView.json().get("settlementBalance").get("amount").asString()).isEqualTo("12.27");
        Response wallet = get("/v1/wallets/" + alice.walletId(), alice.token());
        assertThat(wallet.json().get("available").get("amount").asString()).isEqualTo("87.66");
        Response trial = get("/v1/trial-balance", token("fin", "finance"));
        assertThat(trial.json().get("balanced").asBoolean()).isTrue();
    }
}
