package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.packets.RedPacketExpirySweep;
import com.hongbao.ledger.api.support.LedgerApiTest;
import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.packet.GrabDecisions;
import com.hongbao.ledger.core.packet.RedPacketCommand.ExpireRedPacket;
import com.hongbao.ledger.core.packet.RedPacketCommand.Grab;
import com.hongbao.ledger.core.packet.RedPacketCommand.GrabRedPacket;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Red packets over HTTP on real PostgreSQL: sending each kind, grabbing (first come, first served,
 * once per member, spendable at once), the best luck, the verifiable lucky split, expiry refunds
 * exactly once, listings, and every refusal leaving the ledger as it was.
 */
class RedPacketApiTest extends LedgerApiTest {

    @Autowired
    private RedPacketExpirySweep expirySweep;

    @Autowired
    private CommandGateway commands;

    private Response send(UserWallet sender, String body) {
        return post("/v1/red-packets", sender.token(), body, Map.of("Idempotency-Key", unique("send")));
    }

    private String sendOk(UserWallet sender, String body) {
        Response response = send(sender, body);
        expectStatus(response, 201);
        return response.json().get("packetId").asString();
    }

    private static String members(UserWallet... wallets) {
        return java.util.Arrays.stream(wallets).map(w -> "\"" + w.user() + "\"").collect(Collectors.joining(",", "[", "]"));
    }

    private Response grab(String packetId, UserWallet grabber) {
        return post("/v1/red-packets/" + packetId + "/grab", grabber.token(), "");
    }

    private UserWallet funded(String amount) {
        UserWallet wallet = openWallet();
        topUp(wallet.walletId(), amount);
        return wallet;
    }

    @Test
    void a_lucky_packet_is_split_among_the_members_exactly_and_the_split_checks_out_against_the_seed() {
        UserWallet alice = funded("100.00");
        UserWallet bob = openWallet();
        UserWallet carol = openWallet();
        UserWallet dave = openWallet();
        Response sent = send(alice, "{\"kind\":\"group_lucky\",\"amount\":\"10.00\",\"currency\":\"CNY\",\"shares\":3,"
                + "\"members\":" + members(alice, bob, carol, dave) + ",\"greeting\":\"恭喜发财\"}");
        expectStatus(sent, 201);
        String packetId = sent.json().get("packetId").asString();
        assertThat(amount(sent.json().get("total"))).isEqualTo("10.00");
        assertThat(amount(sent.json().get("availableAfter"))).isEqualTo("90.00");
        assertThat(sent.json().get("seedCommitment").asString()).hasSize(64);
        // The stored event holds the seed only sealed: reading the event store foretells no draw.
        String sentEvent = jdbc.queryForObject("SELECT convert_from(payload, 'UTF8') FROM event_entry"
                + " WHERE aggregate_identifier = ? AND sequence_number = 0", String.class, packetId);
        assertThat(sentEvent).contains("\"seed\":null").contains("\"sealedSeed\":\"v1:");

        List<String> shares = new ArrayList<>();
        for (UserWallet grabber : List.of(carol, bob, dave)) {
            Response grabbed = grab(packetId, grabber);
            expectStatus(grabbed, 200);
            shares.add(amount(grabbed.json().get("amount")));
        }
        expectProblem(grab(packetId, alice), 410, "packet_emptied");
        assertThat(shares.stream().map(BigDecimal::new).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo("10.00");
        assertThat(shares).allSatisfy(share -> assertThat(new BigDecimal(share)).isGreaterThanOrEqualTo(new BigDecimal("0.01")));

        awaitProcessorsCaughtUp();
        JsonNode page = get("/v1/red-packets/" + packetId, bob.token()).json();
        assertThat(page.get("packet").get("status").asString()).isEqualTo("emptied");
        List<String> paid = new ArrayList<>();
        page.get("grabs").forEach(share -> paid.add(amount(share.get("amount"))));
        assertThat(paid).containsExactlyElementsOf(shares);
        assertThat(page.get("grabs").get(0).get("userId").asString()).isEqualTo(carol.user());
        int best = 0;
        for (int i = 1; i < 3; i++) {
            if (new BigDecimal(shares.get(i)).compareTo(new BigDecimal(shares.get(best))) > 0) {
                best = i;
            }
        }
        assertThat(page.get("packet").get("bestLuckUserId").asString())
                .isEqualTo(List.of(carol, bob, dave).get(best).user());

        JsonNode verification = get("/v1/red-packets/" + packetId + "/verification", dave.token()).json();
        assertThat(verification.get("revealed").asBoolean()).isTrue();
        assertThat(verification.get("seed").asString()).hasSize(64);
        assertThat(sentEvent).doesNotContain(verification.get("seed").asString());
        assertThat(verification.get("commitmentMatches").asBoolean()).isTrue();
        assertThat(verification.get("verified").asBoolean()).isTrue();
        assertThat(accountBalance("red_packet_escrow:" + packetId)).isEqualTo("0.00");
        assertThat(available(alice)).isEqualTo("90.00");
        assertThat(journal("wallet:" + bob.walletId(), "red_packet_claim")).hasSize(1);
        assertTrialBalanceIsZero();
    }

    @Test
    void a_grabbed_share_is_spendable_by_the_very_next_request() {
        UserWallet alice = funded("50.00");
        UserWallet bob = openWallet();
        String merchant = onboardMerchant(60);
        String packetId = sendOk(alice, "{\"kind\":\"single\",\"amount\":\"8.88\",\"currency\":\"CNY\",\"recipient\":\""
                + bob.user() + "\"}");

        expectStatus(grab(packetId, bob), 200);
        Response paid = pay(bob, merchant, "order-1", "8.88", "immediate");

        expectStatus(paid, 201);
        awaitProcessorsCaughtUp();
        assertThat(available(bob)).isEqualTo("0.00");
        assertThat(accountBalance("red_packet_escrow:" + packetId)).isEqualTo("0.00");
        assertTrialBalanceIsZero();
    }

    @Test
    void an_expired_packet_refunds_the_sender_once_and_refuses_later_grabs() {
        UserWallet alice = funded("20.00");
        UserWallet bob = openWallet();
        UserWallet carol = openWallet();
        UserWallet dave = openWallet();
        String packetId = sendOk(alice, "{\"kind\":\"group_fixed\",\"amount\":\"2.00\",\"currency\":\"CNY\",\"shares\":3,"
                + "\"members\":" + members(bob, carol, dave) + "}");
        expectStatus(grab(packetId, bob), 200);
        // The test clock follows real time plus an offset: a minute short of the expiry leaves room for the test itself.
        clock.advance(Duration.ofHours(24).minusMinutes(1));
        awaitProcessorsCaughtUp();
        expirySweep.sweep();
        expectStatus(grab(packetId, dave), 200);

        clock.advance(Duration.ofMinutes(1));
        assertThat(expirySweep.sweep()).isGreaterThanOrEqualTo(1);
        assertThat(expirySweep.sweep()).isZero();
        expectProblem(grab(packetId, carol), 410, "packet_expired");

        awaitProcessorsCaughtUp();
        assertThat(expirySweep.sweep()).isZero();
        assertThat(available(alice)).isEqualTo("16.00");
        assertThat(journal("wallet:" + alice.walletId(), "red_packet_refund")).hasSize(1);
        assertThat(accountBalance("red_packet_escrow:" + packetId)).isEqualTo("0.00");
        JsonNode packet = get("/v1/red-packets/" + packetId, alice.token()).json().get("packet");
        assertThat(packet.get("status").asString()).isEqualTo("expired");
        assertThat(amount(packet.get("refunded"))).isEqualTo("2.00");
        assertTrialBalanceIsZero();
    }

    @Test
    void the_last_grab_racing_the_expiry_is_decided_once_and_every_fen_ends_in_one_wallet() throws Exception {
        UserWallet alice = funded("20.00");
        UserWallet bob = openWallet();
        Grab bobsGrab = new Grab(new UserId(bob.user()), new WalletId(bob.walletId()));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        int won = 0;
        int expired = 0;
        try {
            for (int i = 0; i < 20; i++) {
                Response sent = send(alice, "{\"kind\":\"group_fixed\",\"amount\":\"1.00\",\"currency\":\"CNY\","
                        + "\"shares\":1,\"members\":" + members(bob) + "}");
                expectStatus(sent, 201);
                PacketId packet = new PacketId(sent.json().get("packetId").asString());
                Instant expiresAt = Instant.parse(sent.json().get("expiresAt").asString());
                // The grab a millisecond before the expiry, the expiry at it, released together.
                CountDownLatch start = new CountDownLatch(1);
                Future<GrabDecisions> grab = pool.submit(() -> {
                    start.await();
                    return commands.sendAndWait(new GrabRedPacket(packet, List.of(bobsGrab), expiresAt.minusMillis(1)));
                });
                Future<Boolean> expiry = pool.submit(() -> {
                    start.await();
                    return commands.sendAndWait(new ExpireRedPacket(packet, expiresAt));
                });
                start.countDown();
                boolean grabbed = grab.get(30, TimeUnit.SECONDS).outcomes().getFirst().won();
                boolean refunded = expiry.get(30, TimeUnit.SECONDS);
                assertThat(grabbed).as("packet %d: exactly one of the grab and the expiry took the share", i)
                        .isNotEqualTo(refunded);
                won += grabbed ? 1 : 0;
                expired += refunded ? 1 : 0;
            }
        } finally {
            pool.shutdownNow();
        }

        awaitProcessorsCaughtUp();
        assertThat(won + expired).isEqualTo(20);
        assertThat(new BigDecimal(available(alice)).add(new BigDecimal(available(bob)))).isEqualByComparingTo("20.00");
        assertThat(available(bob)).isEqualTo(new BigDecimal(won).setScale(2).toPlainString());
        assertThat(journal("wallet:" + alice.walletId(), "red_packet_refund")).hasSize(expired);
        assertTrialBalanceIsZero();
    }

    @Test
    void a_member_grabs_once_even_with_fifty_concurrent_attempts() throws Exception {
        UserWallet alice = funded("20.00");
        UserWallet bob = openWallet();
        UserWallet carol = openWallet();
        String packetId = sendOk(alice, "{\"kind\":\"group_lucky\",\"amount\":\"5.00\",\"currency\":\"CNY\",\"shares\":2,"
                + "\"members\":" + members(bob, carol) + "}");
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(() -> grab(packetId, bob));
        }

        List<Response> responses = concurrently(calls);

        Map<String, Long> outcomes = responses.stream().collect(Collectors.groupingBy(
                response -> response.status() + (response.status() >= 400 ? " " + response.code() : ""),
                Collectors.counting()));
        assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(Map.of("200", 1L, "409 already_grabbed", 49L));
        Response won = responses.stream().filter(response -> response.status() == 200).findFirst().orElseThrow();
        // The packet is still open: each repeat was decided by the aggregate, and carries the share.
        assertThat(responses).filteredOn(response -> response.status() == 409)
                .allSatisfy(repeat -> assertThat(repeat.json().get("share")).isEqualTo(won.json().get("amount")));
        expectProblem(grab(packetId, bob), 409, "already_grabbed");
        awaitProcessorsCaughtUp();
        assertThat(journal("wallet:" + bob.walletId(), "red_packet_claim")).hasSize(1);
        assertTrialBalanceIsZero();
    }

    @Test
    void shares_go_to_the_first_comers_and_nobody_else() throws Exception {
        UserWallet alice = funded("100.00");
        List<UserWallet> group = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            group.add(openWallet());
        }
        String packetId = sendOk(alice, "{\"kind\":\"group_lucky\",\"amount\":\"3.00\",\"currency\":\"CNY\",\"shares\":5,"
                + "\"members\":" + members(group.toArray(UserWallet[]::new)) + "}");
        List<Callable<Response>> calls = new ArrayList<>();
        for (UserWallet member : group) {
            calls.add(() -> grab(packetId, member));
        }

        List<Response> responses = concurrently(calls);

        List<Response> won = responses.stream().filter(response -> response.status() == 200).toList();
        assertThat(won).hasSize(5);
        assertThat(responses.stream().filter(response -> response.status() != 200))
                .allSatisfy(response -> expectProblem(response, 410, "packet_emptied"));
        assertThat(won.stream().map(response -> new BigDecimal(amount(response.json().get("amount"))))
                .reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo("3.00");
        awaitProcessorsCaughtUp();
        assertThat(accountBalance("red_packet_escrow:" + packetId)).isEqualTo("0.00");
        assertTrialBalanceIsZero();
    }

    @Test
    void only_the_named_member_opens_an_exclusive_packet_and_outsiders_cannot_tell_it_exists() {
        UserWallet alice = funded("20.00");
        UserWallet bob = openWallet();
        UserWallet carol = openWallet();
        UserWallet mallory = openWallet();
        String packetId = sendOk(alice, "{\"kind\":\"exclusive\",\"amount\":\"6.66\",\"currency\":\"CNY\",\"recipient\":\""
                + bob.user() + "\",\"members\":" + members(alice, bob, carol) + "}");

        LedgerState before = ledgerState("red_packet_escrow:" + packetId, "wallet:" + carol.walletId());

        expectProblem(grab(packetId, carol), 422, "packet_for_another_member");
        expectProblem(grab(packetId, alice), 422, "packet_for_another_member");
        Response outsider = grab(packetId, mallory);
        Response unknown = grab("rp_00000000000000000000000000000000", mallory);
        expectProblem(outsider, 404, "packet_not_found");
        expectProblem(unknown, 404, "packet_not_found");
        assertThat(outsider.json().get("detail")).isEqualTo(unknown.json().get("detail"));
        expectProblem(get("/v1/red-packets/" + packetId, mallory.token()), 404, "packet_not_found");
        assertThat(ledgerState("red_packet_escrow:" + packetId, "wallet:" + carol.walletId())).isEqualTo(before);
        expectStatus(grab(packetId, bob), 200);
        // Emptied now, and known to be: who could never grab it is still told why, not that it is empty.
        expectProblem(grab(packetId, carol), 422, "packet_for_another_member");
        expectProblem(grab(packetId, alice), 422, "packet_for_another_member");
    }

    @Test
    void a_sender_outside_the_group_is_not_a_member_before_and_after_the_packet_is_emptied() {
        UserWallet alice = funded("20.00");
        UserWallet bob = openWallet();
        UserWallet carol = openWallet();
        String packetId = sendOk(alice, "{\"kind\":\"group_fixed\",\"amount\":\"1.00\",\"currency\":\"CNY\","
                + "\"shares\":1,\"members\":" + members(bob, carol) + "}");

        expectProblem(grab(packetId, alice), 422, "not_group_member");
        Response won = grab(packetId, bob);
        expectStatus(won, 200);
        expectProblem(grab(packetId, carol), 410, "packet_emptied");
        assertThat(grab(packetId, carol).json().has("share")).as("a refusal without a share carries none").isFalse();
        expectProblem(grab(packetId, alice), 422, "not_group_member");
        // A winner who lost the answer grabs again and is told the share, from memory now.
        Response again = grab(packetId, bob);
        expectProblem(again, 409, "already_grabbed");
        assertThat(again.json().get("share")).isEqualTo(won.json().get("amount"));
    }

    @Test
    void the_sender_and_the_grabbers_list_their_packets() {
        UserWallet alice = funded("20.00");
        UserWallet bob = openWallet();
        String first = sendOk(alice, "{\"kind\":\"single\",\"amount\":\"1.00\",\"currency\":\"CNY\",\"recipient\":\""
                + bob.user() + "\"}");
        clock.advance(Duration.ofSeconds(1));
        String second = sendOk(alice, "{\"kind\":\"single\",\"amount\":\"2.00\",\"currency\":\"CNY\",\"recipient\":\""
                + bob.user() + "\"}");
        expectStatus(grab(first, bob), 200);
        awaitProcessorsCaughtUp();

        JsonNode sent = get("/v1/red-packets?role=sent&limit=1", alice.token()).json();
        assertThat(sent.get("items").get(0).get("packetId").asString()).isEqualTo(second);
        JsonNode older = get("/v1/red-packets?role=sent&limit=1&cursor=" + sent.get("nextCursor").asString(),
                alice.token()).json();
        assertThat(older.get("items").get(0).get("packetId").asString()).isEqualTo(first);
        JsonNode received = get("/v1/red-packets?role=received", bob.token()).json();
        assertThat(received.get("items")).hasSize(1);
        assertThat(received.get("items").get(0).get("packet").get("packetId").asString()).isEqualTo(first);
        assertThat(amount(received.get("items").get(0).get("share").get("amount"))).isEqualTo("1.00");
        expectProblem(get("/v1/red-packets?role=stolen", bob.token()), 400, "invalid_parameter");
    }

    @Test
    void packets_outside_the_rules_are_refused_and_change_nothing() {
        UserWallet alice = funded("1000.00");
        UserWallet bob = openWallet();
        UserWallet carol = openWallet();
        UserWallet outsider = openWallet();
        String group = members(bob, carol);
        LedgerState before = ledgerState("wallet:" + alice.walletId());
        Map<String, String> refusals = new java.util.LinkedHashMap<>();
        refusals.put("{\"kind\":\"group_lucky\",\"amount\":\"0.01\",\"currency\":\"CNY\",\"shares\":2,\"members\":" + group + "}", "422 share_below_minimum");
        refusals.put("{\"kind\":\"group_lucky\",\"amount\":\"1.00\",\"currency\":\"CNY\",\"shares\":0,\"members\":" + group + "}", "422 invalid_share_count");
        refusals.put("{\"kind\":\"group_lucky\",\"amount\":\"100.00\",\"currency\":\"CNY\",\"shares\":101,\"members\":" + group + "}", "422 invalid_share_count");
        refusals.put("{\"kind\":\"group_fixed\",\"amount\":\"200.01\",\"currency\":\"CNY\",\"shares\":1,\"members\":" + group + "}", "422 share_above_maximum");
        refusals.put("{\"kind\":\"group_lucky\",\"amount\":\"400.01\",\"currency\":\"CNY\",\"shares\":2,\"members\":" + group + "}", "422 share_above_maximum");
        refusals.put("{\"kind\":\"exclusive\",\"amount\":\"1.00\",\"currency\":\"CNY\",\"recipient\":\"" + outsider.user() + "\",\"members\":" + group + "}", "422 recipient_not_in_group");
        refusals.put("{\"kind\":\"group_fixed\",\"amount\":\"1.00\",\"currency\":\"CNY\",\"members\":" + group + "}", "400 missing_field");
        refusals.put("{\"kind\":\"jackpot\",\"amount\":\"1.00\",\"currency\":\"CNY\",\"shares\":1,\"members\":" + group + "}", "400 invalid_request");
        refusals.put("{\"kind\":\"single\",\"amount\":\"1.001\",\"currency\":\"CNY\",\"recipient\":\"" + bob.user() + "\"}", "400 invalid_amount_precision");
        refusals.put("{\"kind\":\"single\",\"amount\":\"-1.00\",\"currency\":\"CNY\",\"recipient\":\"" + bob.user() + "\"}", "400 amount_not_positive");
        refusals.put("{\"kind\":\"single\",\"amount\":\"1.00\",\"currency\":\"CNY\",\"recipient\":\"" + bob.user() + "\",\"total\":\"5\"}", "400 unknown_field");
        refusals.put("{\"kind\":\"single\",\"amount\":\"1.00\",\"currency\":\"CNY\",\"recipient\":\"not a user\"}", "400 invalid_request");
        refusals.put("{\"kind\":\"single\",\"amount\":\"1.00\",\"currency\":\"USD\",\"recipient\":\"" + bob.user() + "\"}", "404 wallet_not_found");
        refusals.put("{\"kind\":\"single\",\"amount\":\"1000.00\",\"currency\":\"CNY\",\"recipient\":\"" + bob.user() + "\"}", "422 share_above_maximum");

        Map<String, String> actual = new java.util.LinkedHashMap<>();
        for (String body : refusals.keySet()) {
            Response response = send(alice, body);
            actual.put(body, response.status() + " " + response.code());
        }

        assertThat(actual).isEqualTo(refusals);
        assertThat(ledgerState("wallet:" + alice.walletId())).isEqualTo(before);
    }

    @Test
    void a_send_needs_an_idempotency_key_and_a_repeat_sends_once() {
        UserWallet alice = funded("20.00");
        UserWallet bob = openWallet();
        String body = "{\"kind\":\"single\",\"amount\":\"3.00\",\"currency\":\"CNY\",\"recipient\":\"" + bob.user() + "\"}";
        LedgerState before = ledgerState("wallet:" + alice.walletId());

        expectProblem(post("/v1/red-packets", alice.token(), body), 400, "idempotency_key_required");
        assertThat(ledgerState("wallet:" + alice.walletId())).isEqualTo(before);

        Map<String, String> key = Map.of("Idempotency-Key", unique("send"));
        Response first = post("/v1/red-packets", alice.token(), body, key);
        Response again = post("/v1/red-packets", alice.token(), body, key);
        expectStatus(first, 201);
        expectStatus(again, 201);
        assertThat(again.body()).isEqualTo(first.body());
        awaitProcessorsCaughtUp();
        assertThat(available(alice)).isEqualTo("17.00");
    }

    @Test
    void grabbing_without_a_wallet_in_the_packets_currency_is_refused_and_changes_nothing() {
        UserWallet alice = funded("20.00");
        String stranger = unique("u");
        String strangerToken = token(stranger, "user");
        String packetId = sendOk(alice, "{\"kind\":\"single\",\"amount\":\"1.00\",\"currency\":\"CNY\",\"recipient\":\""
                + stranger + "\"}");
        LedgerState before = ledgerState("red_packet_escrow:" + packetId);

        expectProblem(post("/v1/red-packets/" + packetId + "/grab", strangerToken, ""), 422, "no_wallet_in_currency");

        assertThat(ledgerState("red_packet_escrow:" + packetId)).isEqualTo(before);
    }
}
