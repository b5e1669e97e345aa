package com.hongbao.ledger.core.wallet;

import static com.hongbao.ledger.core.testing.RejectionMatchers.programmerError;
import static com.hongbao.ledger.core.testing.RejectionMatchers.rejectedWith;

import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.CurrencyMismatch;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.packet.LuckySplit;
import com.hongbao.ledger.core.packet.PacketLimits;
import com.hongbao.ledger.core.packet.PacketReceipt;
import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketSent;
import com.hongbao.ledger.core.packet.RedPacketKind;
import com.hongbao.ledger.core.packet.RedPacketRejection.InvalidPacket;
import com.hongbao.ledger.core.packet.TestSeedVault;
import com.hongbao.ledger.core.wallet.WalletCommand.ReceiveFromRedPacket;
import com.hongbao.ledger.core.wallet.WalletCommand.SendRedPacket;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletCreditedFromRedPacket;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletDebitedForRedPacket;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletOpened;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletToppedUp;
import com.hongbao.ledger.core.wallet.WalletRejection.BalanceOverflow;
import com.hongbao.ledger.core.wallet.WalletRejection.InsufficientFunds;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Given-when-then tests of the wallet's red-packet commands: sending (every rule of the limits,
 * each refusal applying nothing) and receiving a share or a refund exactly once.
 */
class WalletRedPacketTest {

    static final Currency CNY = Currency.getInstance("CNY");
    static final Instant AT = Instant.parse("2026-02-16T12:00:00Z");
    static final Duration TTL = Duration.ofHours(24);
    static final UserId ALICE = new UserId("alice");
    static final UserId BOB = new UserId("bob");
    static final UserId CAROL = new UserId("carol");
    static final WalletId WALLET = WalletId.of(ALICE, CNY);
    static final PacketId PACKET = new PacketId("rp_1");
    static final PacketLimits LIMITS = PacketLimits.defaults();
    static final String SEED = "11".repeat(32);

    final FixtureConfiguration<Wallet> fixture = new AggregateTestFixture<>(Wallet.class)
            .registerInjectableResource(TestSeedVault.INSTANCE);

    static Money cny(long fen) {
        return Money.of(fen, CNY);
    }

    static Object[] funded(long fen) {
        return new Object[] {new WalletOpened(WALLET, ALICE, CNY, AT.minusSeconds(3600)),
            new WalletToppedUp(WALLET, "bank-1", cny(fen), cny(fen), AT.minusSeconds(3600))};
    }

    static SendRedPacket send(RedPacketKind kind, long fen, int shares, List<UserId> members, UserId recipient,
                              String seed) {
        return new SendRedPacket(WALLET, PACKET, kind, cny(fen), shares, members, recipient, "恭喜发财", seed, LIMITS,
                TTL, AT);
    }

    @Nested
    class Sending {

        @Test
        void a_lucky_packet_moves_its_total_into_escrow_and_commits_to_its_seed() {
            fixture.given(funded(10_000))
                    .when(send(RedPacketKind.GROUP_LUCKY, 5_000, 3, List.of(ALICE, BOB, CAROL), null, SEED))
                    .expectEvents(
                            new WalletDebitedForRedPacket(WALLET, PACKET, cny(5_000), cny(5_000), AT),
                            new RedPacketSent(PACKET, ALICE, WALLET, RedPacketKind.GROUP_LUCKY, cny(5_000), 3, null,
                                    List.of(ALICE, BOB, CAROL), null, "恭喜发财", LuckySplit.commitment(SEED), null,
                                    TestSeedVault.INSTANCE.seal(PACKET, SEED), 1,
                                    20_000, AT, AT.plus(TTL), null))
                    .expectResultMessagePayload(new PacketReceipt(PACKET, WALLET, RedPacketKind.GROUP_LUCKY, cny(5_000), 3,
                            LuckySplit.commitment(SEED), AT.plus(TTL), cny(5_000)));
        }

        @Test
        void a_fixed_group_packet_takes_shares_times_the_amount() {
            fixture.given(funded(10_000))
                    .when(send(RedPacketKind.GROUP_FIXED, 888, 2, List.of(BOB, CAROL, BOB), null, null))
                    .expectEvents(
                            new WalletDebitedForRedPacket(WALLET, PACKET, cny(1_776), cny(8_224), AT),
                            new RedPacketSent(PACKET, ALICE, WALLET, RedPacketKind.GROUP_FIXED, cny(1_776), 2,
                                    cny(888), List.of(BOB, CAROL), null, "恭喜发财", null, null, null, 1, 20_000, AT,
                                    AT.plus(TTL), null));
        }

        @Test
        void a_single_packet_names_its_recipient() {
            fixture.given(funded(10_000))
                    .when(send(RedPacketKind.SINGLE, 520, 1, List.of(), BOB, null))
                    .expectEvents(
                            new WalletDebitedForRedPacket(WALLET, PACKET, cny(520), cny(9_480), AT),
                            new RedPacketSent(PACKET, ALICE, WALLET, RedPacketKind.SINGLE, cny(520), 1, cny(520),
                                    List.of(), BOB, "恭喜发财", null, null, null, 1, 20_000, AT, AT.plus(TTL), null));
        }

        @Test
        void more_than_the_wallet_has_is_refused() {
            fixture.given(funded(1_000))
                    .when(send(RedPacketKind.GROUP_FIXED, 600, 2, List.of(BOB, CAROL), null, null))
                    .expectException(rejectedWith(InsufficientFunds.class, "insufficient_funds"))
                    .expectNoEvents();
        }

        @Test
        void another_currency_is_refused() {
            fixture.given(funded(1_000))
                    .when(new SendRedPacket(WALLET, PACKET, RedPacketKind.SINGLE, Money.of(100, "USD"), 1, List.of(),
                            BOB, "", null, LIMITS, TTL, AT))
                    .expectException(CurrencyMismatch.class)
                    .expectNoEvents();
        }

        @ParameterizedTest(name = "{0} of {1} fen in {2} shares -> {5}")
        @CsvSource(delimiter = '|', textBlock = """
                GROUP_LUCKY | 1      | 2   | bob,carol       |       | share_below_minimum
                GROUP_LUCKY | 100    | 0   | bob,carol       |       | invalid_share_count
                GROUP_LUCKY | 10000  | 101 | bob,carol       |       | invalid_share_count
                GROUP_LUCKY | 40001  | 2   | bob,carol       |       | share_above_maximum
                GROUP_FIXED | 20001  | 1   | bob,carol       |       | share_above_maximum
                GROUP_FIXED | 100    | 3   | bob,carol       |       | shares_exceed_group_size
                GROUP_FIXED | 100    | 1   |                 |       | members_required
                GROUP_FIXED | 100    | 1   | bob             | bob   | recipient_not_allowed
                SINGLE      | 100    | 1   |                 |       | recipient_required
                SINGLE      | 100    | 1   |                 | alice | recipient_is_sender
                SINGLE      | 100    | 2   |                 | bob   | invalid_share_count
                SINGLE      | 100    | 1   | carol           | bob   | members_not_allowed
                EXCLUSIVE   | 100    | 1   | carol           | bob   | recipient_not_in_group
                """)
        void a_packet_outside_the_rules_is_refused_and_changes_nothing(RedPacketKind kind, long fen, int shares,
                                                                         String members, String recipient, String code) {
            List<UserId> group = members == null ? List.of()
                    : java.util.Arrays.stream(members.split(",")).map(UserId::new).toList();
            fixture.given(funded(1_000_000))
                    .when(send(kind, fen, shares, group, recipient == null ? null : new UserId(recipient),
                            kind == RedPacketKind.GROUP_LUCKY ? SEED : null))
                    .expectException(rejectedWith(InvalidPacket.class, code))
                    .expectNoEvents();
        }

        @Test
        void a_group_larger_than_the_limit_is_refused() {
            List<UserId> group = java.util.stream.IntStream.range(0, 501).mapToObj(i -> new UserId("u" + i)).toList();
            fixture.given(funded(1_000_000))
                    .when(send(RedPacketKind.GROUP_FIXED, 100, 1, group, null, null))
                    .expectException(rejectedWith(InvalidPacket.class, "group_too_large"))
                    .expectNoEvents();
        }

        @Test
        void a_greeting_longer_than_100_characters_is_refused() {
            fixture.given(funded(1_000_000))
                    .when(new SendRedPacket(WALLET, PACKET, RedPacketKind.SINGLE, cny(100), 1, List.of(), BOB,
                            "x".repeat(101), null, LIMITS, TTL, AT))
                    .expectException(rejectedWith(InvalidPacket.class, "greeting_too_long"))
                    .expectNoEvents();
        }

        @Test
        void a_lucky_packet_without_a_seed_is_a_programmer_error() {
            fixture.given(funded(1_000_000))
                    .when(send(RedPacketKind.GROUP_LUCKY, 100, 1, List.of(BOB), null, null))
                    .expectException(programmerError(IllegalArgumentException.class))
                    .expectNoEvents();
        }
    }

    @Nested
    class Receiving {

        @Test
        void a_share_is_credited_once() {
            fixture.given(funded(1_000))
                    .when(new ReceiveFromRedPacket(WALLET, PACKET, cny(250), false, AT))
                    .expectEvents(new WalletCreditedFromRedPacket(WALLET, PACKET, cny(250), false, cny(1_250), AT))
                    .expectResultMessagePayload(true);
        }

        @Test
        void a_repeated_credit_changes_nothing() {
            fixture.given(funded(1_000))
                    .andGiven(new WalletCreditedFromRedPacket(WALLET, PACKET, cny(250), false, cny(1_250), AT))
                    .when(new ReceiveFromRedPacket(WALLET, PACKET, cny(250), false, AT))
                    .expectNoEvents()
                    .expectResultMessagePayload(false);
        }

        @Test
        void a_refund_of_the_same_packet_is_a_different_credit() {
            fixture.given(funded(1_000))
                    .andGiven(new WalletCreditedFromRedPacket(WALLET, PACKET, cny(250), false, cny(1_250), AT))
                    .when(new ReceiveFromRedPacket(WALLET, PACKET, cny(50), true, AT))
                    .expectEvents(new WalletCreditedFromRedPacket(WALLET, PACKET, cny(50), true, cny(1_300), AT));
        }

        @Test
        void a_credit_that_would_overflow_the_balance_is_refused() {
            fixture.given(new WalletOpened(WALLET, ALICE, CNY, AT),
                            new WalletToppedUp(WALLET, "bank-1", cny(Long.MAX_VALUE), cny(Long.MAX_VALUE), AT))
                    .when(new ReceiveFromRedPacket(WALLET, PACKET, cny(1), false, AT))
                    .expectException(rejectedWith(BalanceOverflow.class, "balance_overflow"))
                    .expectNoEvents();
        }
    }
}
