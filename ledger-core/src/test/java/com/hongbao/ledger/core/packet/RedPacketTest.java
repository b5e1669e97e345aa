package com.hongbao.ledger.core.packet;

import static com.hongbao.ledger.core.testing.RejectionMatchers.programmerError;

import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.packet.RedPacketCommand.ExpireRedPacket;
import com.hongbao.ledger.core.packet.RedPacketCommand.Grab;
import com.hongbao.ledger.core.packet.RedPacketCommand.GrabRedPacket;
import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketEmptied;
import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketExpired;
import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketGrabbed;
import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketSent;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Given-when-then tests of grabbing and expiring a {@link RedPacket}, refusals included. */
class RedPacketTest {

    static final Currency CNY = Currency.getInstance("CNY");
    static final Instant SENT = Instant.parse("2026-02-16T12:00:00Z");
    static final Instant EXPIRES = SENT.plus(Duration.ofHours(24));
    static final Instant AT = SENT.plusSeconds(5);
    static final PacketId PACKET = new PacketId("rp_1");
    static final UserId ALICE = new UserId("alice");
    static final UserId BOB = new UserId("bob");
    static final UserId CAROL = new UserId("carol");
    static final UserId DAVE = new UserId("dave");
    static final UserId MALLORY = new UserId("mallory");
    static final String SEED = "11".repeat(32);

    final FixtureConfiguration<RedPacket> fixture = new AggregateTestFixture<>(RedPacket.class)
            .registerInjectableResource(TestSeedVault.INSTANCE);

    static Money cny(long fen) {
        return Money.of(fen, CNY);
    }

    static WalletId wallet(UserId user) {
        return WalletId.of(user, CNY);
    }

    static Grab grab(UserId user) {
        return new Grab(user, wallet(user));
    }

    static RedPacketSent fixed(long shareFen, int shares, List<UserId> members, UserId recipient, RedPacketKind kind) {
        return new RedPacketSent(PACKET, ALICE, wallet(ALICE), kind, cny(shareFen * shares), shares, cny(shareFen),
                members, recipient, "", null, null, null, 1, 20_000, SENT, EXPIRES, null);
    }

    static RedPacketSent lucky(long totalFen, int shares, List<UserId> members) {
        return new RedPacketSent(PACKET, ALICE, wallet(ALICE), RedPacketKind.GROUP_LUCKY, cny(totalFen), shares, null,
                members, null, "", LuckySplit.commitment(SEED), null, TestSeedVault.INSTANCE.seal(PACKET, SEED), 1,
                20_000, SENT, EXPIRES, null);
    }

    /** A lucky packet as recorded before seeds were sealed: its seed in plain form. */
    static RedPacketSent luckyWithPlainSeed(long totalFen, int shares, List<UserId> members) {
        return new RedPacketSent(PACKET, ALICE, wallet(ALICE), RedPacketKind.GROUP_LUCKY, cny(totalFen), shares, null,
                members, null, "", LuckySplit.commitment(SEED), SEED, null, 1, 20_000, SENT, EXPIRES, null);
    }

    static RedPacketGrabbed grabbed(UserId user, int position, long fen, long remainingFen) {
        return new RedPacketGrabbed(PACKET, user, wallet(user), position, cny(fen), cny(remainingFen), AT);
    }

    @Nested
    class Grabbing {

        @Test
        void shares_go_first_come_first_served_and_the_last_one_empties_the_packet() {
            fixture.given(fixed(300, 2, List.of(ALICE, BOB, CAROL), null, RedPacketKind.GROUP_FIXED))
                    .when(new GrabRedPacket(PACKET, List.of(grab(CAROL), grab(BOB), grab(ALICE)), AT))
                    .expectEvents(grabbed(CAROL, 0, 300, 300), grabbed(BOB, 1, 300, 0),
                            // A tie: the earliest share keeps the best luck.
                            new RedPacketEmptied(PACKET, CAROL, cny(300), null, AT))
                    .expectResultMessagePayload(GrabDecisions.closed(List.of(GrabOutcome.won(CAROL, cny(300), 0),
                                    GrabOutcome.won(BOB, cny(300), 1), GrabOutcome.refused(ALICE, "packet_emptied")),
                            // Every share, final: a node answers later grabs from this, winners included.
                            "packet_emptied", Map.of(CAROL, cny(300), BOB, cny(300))));
        }

        @Test
        void lucky_shares_follow_the_committed_seed_and_the_best_luck_is_named() {
            List<Long> split = LuckySplit.split(SEED, 1_000, 3, 1, 20_000);
            UserId[] order = {BOB, CAROL, DAVE};
            int best = 0;
            for (int i = 1; i < 3; i++) {
                if (split.get(i) > split.get(best)) {
                    best = i;
                }
            }
            fixture.given(lucky(1_000, 3, List.of(BOB, CAROL, DAVE)))
                    .when(new GrabRedPacket(PACKET, List.of(grab(BOB), grab(CAROL), grab(DAVE)), AT))
                    .expectEvents(grabbed(BOB, 0, split.get(0), 1_000 - split.get(0)),
                            grabbed(CAROL, 1, split.get(1), 1_000 - split.get(0) - split.get(1)),
                            grabbed(DAVE, 2, split.get(2), 0),
                            new RedPacketEmptied(PACKET, order[best], cny(split.get(best)), SEED, AT));
        }

        @Test
        void a_packet_recorded_with_its_seed_in_plain_form_draws_and_reveals_the_same_split() {
            List<Long> split = LuckySplit.split(SEED, 1_000, 3, 1, 20_000);
            fixture.given(luckyWithPlainSeed(1_000, 3, List.of(BOB, CAROL, DAVE)))
                    .when(new GrabRedPacket(PACKET, List.of(grab(BOB), grab(CAROL)), AT))
                    .expectEvents(grabbed(BOB, 0, split.get(0), 1_000 - split.get(0)),
                            grabbed(CAROL, 1, split.get(1), 1_000 - split.get(0) - split.get(1)));
            fixture.given(luckyWithPlainSeed(1_000, 3, List.of(BOB, CAROL, DAVE)), grabbed(BOB, 0, 400, 600))
                    .when(new ExpireRedPacket(PACKET, EXPIRES))
                    .expectEvents(new RedPacketExpired(PACKET, ALICE, wallet(ALICE), cny(600), 2, SEED, EXPIRES, null));
        }

        @Test
        void a_member_grabs_at_most_once_and_is_told_their_share() {
            fixture.given(fixed(300, 2, List.of(BOB, CAROL), null, RedPacketKind.GROUP_FIXED), grabbed(BOB, 0, 300, 300))
                    .when(new GrabRedPacket(PACKET, List.of(grab(BOB)), AT))
                    .expectNoEvents()
                    .expectResultMessagePayload(GrabDecisions.open(List.of(new GrabOutcome(BOB, "already_grabbed", cny(300), -1))));
        }

        @Test
        void twice_in_one_batch_is_one_share() {
            fixture.given(fixed(300, 2, List.of(BOB, CAROL), null, RedPacketKind.GROUP_FIXED))
                    .when(new GrabRedPacket(PACKET, List.of(grab(BOB), grab(BOB)), AT))
                    .expectEvents(grabbed(BOB, 0, 300, 300))
                    .expectResultMessagePayload(GrabDecisions.open(List.of(GrabOutcome.won(BOB, cny(300), 0),
                            new GrabOutcome(BOB, "already_grabbed", cny(300), -1))));
        }

        @Test
        void someone_outside_the_group_learns_nothing() {
            fixture.given(fixed(300, 2, List.of(BOB, CAROL), null, RedPacketKind.GROUP_FIXED))
                    .when(new GrabRedPacket(PACKET, List.of(grab(MALLORY)), AT))
                    .expectNoEvents()
                    .expectResultMessagePayload(GrabDecisions.open(List.of(GrabOutcome.refused(MALLORY, "packet_not_found"))));
        }

        @Test
        void a_sender_outside_the_group_cannot_grab() {
            fixture.given(fixed(300, 2, List.of(BOB, CAROL), null, RedPacketKind.GROUP_FIXED))
                    .when(new GrabRedPacket(PACKET, List.of(grab(ALICE)), AT))
                    .expectNoEvents()
                    .expectResultMessagePayload(GrabDecisions.open(List.of(GrabOutcome.refused(ALICE, "not_group_member"))));
        }

        @Test
        void an_exclusive_packet_opens_only_for_the_named_member() {
            fixture.given(fixed(520, 1, List.of(ALICE, BOB, CAROL), BOB, RedPacketKind.EXCLUSIVE))
                    .when(new GrabRedPacket(PACKET, List.of(grab(CAROL), grab(ALICE), grab(BOB)), AT))
                    .expectEvents(grabbed(BOB, 0, 520, 0), new RedPacketEmptied(PACKET, BOB, cny(520), null, AT))
                    .expectResultMessagePayload(GrabDecisions.closed(List.of(GrabOutcome.refused(CAROL, "packet_for_another_member"),
                            GrabOutcome.refused(ALICE, "packet_for_another_member"), GrabOutcome.won(BOB, cny(520), 0)),
                            "packet_emptied", Map.of(BOB, cny(520))));
        }

        @Test
        void a_single_packet_opens_only_for_its_recipient() {
            fixture.given(fixed(520, 1, List.of(), BOB, RedPacketKind.SINGLE))
                    .when(new GrabRedPacket(PACKET, List.of(grab(ALICE), grab(CAROL), grab(BOB)), AT))
                    .expectEvents(grabbed(BOB, 0, 520, 0), new RedPacketEmptied(PACKET, BOB, cny(520), null, AT))
                    .expectResultMessagePayload(GrabDecisions.closed(List.of(GrabOutcome.refused(ALICE, "packet_for_another_member"),
                            GrabOutcome.refused(CAROL, "packet_not_found"), GrabOutcome.won(BOB, cny(520), 0)),
                            "packet_emptied", Map.of(BOB, cny(520))));
        }

        @Test
        void after_the_expiry_instant_nothing_is_taken_but_until_the_expiry_event_that_is_not_final() {
            fixture.given(fixed(300, 2, List.of(BOB, CAROL), null, RedPacketKind.GROUP_FIXED))
                    .when(new GrabRedPacket(PACKET, List.of(grab(BOB)), EXPIRES))
                    .expectNoEvents()
                    // Not reported closed: a node whose clock is behind may still take a share.
                    .expectResultMessagePayload(GrabDecisions.open(List.of(GrabOutcome.refused(BOB, "packet_expired"))));
            fixture.given(fixed(300, 2, List.of(BOB, CAROL), null, RedPacketKind.GROUP_FIXED))
                    .when(new GrabRedPacket(PACKET, List.of(grab(CAROL)), EXPIRES.minusMillis(1)))
                    .expectEvents(new RedPacketGrabbed(PACKET, CAROL, wallet(CAROL), 0, cny(300), cny(300),
                            EXPIRES.minusMillis(1)));
        }

        @Test
        void after_the_expiry_event_nothing_is_taken() {
            fixture.given(fixed(300, 2, List.of(BOB, CAROL), null, RedPacketKind.GROUP_FIXED),
                            new RedPacketExpired(PACKET, ALICE, wallet(ALICE), cny(600), 2, null, EXPIRES, null))
                    .when(new GrabRedPacket(PACKET, List.of(grab(BOB)), AT))
                    .expectNoEvents()
                    .expectResultMessagePayload(GrabDecisions.closed(List.of(GrabOutcome.refused(BOB, "packet_expired")),
                            "packet_expired", Map.of()));
        }

        @Test
        void a_closed_packet_answers_with_every_share_it_gave_in_earlier_commands_too() {
            fixture.given(fixed(300, 3, List.of(BOB, CAROL, DAVE), null, RedPacketKind.GROUP_FIXED),
                            grabbed(BOB, 0, 300, 600),
                            new RedPacketExpired(PACKET, ALICE, wallet(ALICE), cny(600), 2, null, EXPIRES, null))
                    .when(new GrabRedPacket(PACKET, List.of(grab(CAROL), grab(BOB)), EXPIRES))
                    .expectNoEvents()
                    .expectResultMessagePayload(GrabDecisions.closed(List.of(GrabOutcome.refused(CAROL, "packet_expired"),
                                    new GrabOutcome(BOB, "already_grabbed", cny(300), -1)),
                            "packet_expired", Map.of(BOB, cny(300))));
        }
    }

    @Nested
    class Expiring {

        @Test
        void what_is_unclaimed_returns_to_the_sender_and_the_seed_is_revealed() {
            fixture.given(lucky(1_000, 3, List.of(BOB, CAROL, DAVE)), grabbed(BOB, 0, 400, 600))
                    .when(new ExpireRedPacket(PACKET, EXPIRES))
                    .expectEvents(new RedPacketExpired(PACKET, ALICE, wallet(ALICE), cny(600), 2, SEED, EXPIRES, null))
                    .expectResultMessagePayload(true);
        }

        @Test
        void an_emptied_packet_has_nothing_to_return() {
            fixture.given(fixed(300, 1, List.of(BOB), null, RedPacketKind.GROUP_FIXED), grabbed(BOB, 0, 300, 0),
                            new RedPacketEmptied(PACKET, BOB, cny(300), null, AT))
                    .when(new ExpireRedPacket(PACKET, EXPIRES))
                    .expectNoEvents()
                    .expectResultMessagePayload(false);
        }

        @Test
        void it_expires_exactly_once() {
            fixture.given(fixed(300, 2, List.of(BOB, CAROL), null, RedPacketKind.GROUP_FIXED),
                            new RedPacketExpired(PACKET, ALICE, wallet(ALICE), cny(600), 2, null, EXPIRES, null))
                    .when(new ExpireRedPacket(PACKET, EXPIRES.plusSeconds(60)))
                    .expectNoEvents()
                    .expectResultMessagePayload(false);
        }

        @Test
        void expiring_before_the_expiry_instant_is_a_programmer_error() {
            fixture.given(fixed(300, 2, List.of(BOB, CAROL), null, RedPacketKind.GROUP_FIXED))
                    .when(new ExpireRedPacket(PACKET, EXPIRES.minusMillis(1)))
                    .expectException(programmerError(IllegalStateException.class))
                    .expectNoEvents();
        }
    }
}
