package com.hongbao.ledger.core.packet;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.core.account.AccountId;
import com.hongbao.ledger.core.account.AccountType;
import com.hongbao.ledger.core.account.MoneyMovement;
import com.hongbao.ledger.core.account.Posting;
import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.packet.RedPacketCommand.ExpireRedPacket;
import com.hongbao.ledger.core.packet.RedPacketCommand.Grab;
import com.hongbao.ledger.core.packet.RedPacketCommand.GrabRedPacket;
import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketGrabbed;
import com.hongbao.ledger.core.testing.InMemoryLedger;
import com.hongbao.ledger.core.testing.Outcome;
import com.hongbao.ledger.core.wallet.WalletCommand.OpenWallet;
import com.hongbao.ledger.core.wallet.WalletCommand.SendRedPacket;
import com.hongbao.ledger.core.wallet.WalletCommand.TopUpWallet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Any red packet, grabbed by any sequence of batches (members and outsiders, repeats included)
 * and then expired, on a real Axon configuration with the red-packet creditor running
 * synchronously: every member gets at most one share, shares are within the limits, what was
 * taken plus what was refunded is the total, the packet's escrow ends at zero, no wallet is ever
 * negative, and the trial balance stays at zero.
 */
class RedPacketInvariantsProperties {

    static final Currency CNY = Currency.getInstance("CNY");
    static final Instant SENT = Instant.parse("2026-02-16T12:00:00Z");
    static final Duration TTL = Duration.ofHours(24);
    static final PacketId PACKET = new PacketId("rp_1");
    static final UserId SENDER = new UserId("sender");
    static final PacketLimits LIMITS = PacketLimits.defaults();

    @Property(tries = 60)
    void escrow_ends_at_zero_and_nobody_gets_two_shares(@ForAll @IntRange(min = 1, max = 25) int groupSize,
                                                        @ForAll @IntRange(min = 1, max = 25) int sharesWanted,
                                                        @ForAll boolean lucky,
                                                        @ForAll @LongRange(min = 1, max = 20_000) long perShareMinor,
                                                        @ForAll("grabSequences") List<List<Integer>> batches) {
        int shares = Math.min(sharesWanted, groupSize);
        List<UserId> members = new ArrayList<>();
        for (int i = 0; i < groupSize; i++) {
            members.add(new UserId("m" + i));
        }
        long amountMinor = lucky ? perShareMinor * shares : perShareMinor;
        long totalMinor = lucky ? amountMinor : perShareMinor * shares;
        try (InMemoryLedger ledger = InMemoryLedger.withHoldReleaser()) {
            WalletId senderWallet = open(ledger, SENDER, 10_000_000);
            for (UserId member : members) {
                open(ledger, member, 0);
            }
            ledger.when(new SendRedPacket(senderWallet, PACKET, lucky ? RedPacketKind.GROUP_LUCKY : RedPacketKind.GROUP_FIXED,
                    Money.of(amountMinor, CNY), shares, members, null, "", lucky ? LuckySplit.newSeed() : null, LIMITS,
                    TTL, SENT)).expectSuccess();

            Instant at = SENT;
            for (List<Integer> batch : batches) {
                at = at.plusSeconds(1);
                List<Grab> grabs = new ArrayList<>();
                for (int index : batch) {
                    // Indexes past the group are outsiders.
                    UserId user = index < groupSize ? members.get(index) : new UserId("outsider" + index);
                    grabs.add(new Grab(user, WalletId.of(user, CNY)));
                }
                ledger.when(new GrabRedPacket(PACKET, grabs, at)).expectSuccess();
                assertInvariants(ledger);
            }
            ledger.when(new ExpireRedPacket(PACKET, SENT.plus(TTL))).expectSuccess();
            assertInvariants(ledger);

            Map<UserId, Long> taken = new HashMap<>();
            for (Object event : ledger.events()) {
                if (event instanceof RedPacketGrabbed grabbed) {
                    assertThat(taken.put(grabbed.grabber(), grabbed.amount().minor())).as("a second share").isNull();
                    assertThat(grabbed.amount().minor()).isBetween(LIMITS.minShareMinor(), LIMITS.maxShareMinor());
                }
            }
            assertThat(taken.size()).isLessThanOrEqualTo(shares);
            Map<AccountId, Long> balances = balances(ledger);
            long refunded = totalMinor - taken.values().stream().mapToLong(Long::longValue).sum();
            assertThat(balances.getOrDefault(new AccountId(AccountType.RED_PACKET_ESCROW, PACKET.value()), 0L))
                    .as("escrow at the end").isZero();
            assertThat(balances.get(new AccountId(AccountType.WALLET, senderWallet.value())))
                    .as("the sender's wallet: opening balance less what was taken")
                    .isEqualTo(10_000_000 - totalMinor + refunded);
        }
    }

    @Provide
    Arbitrary<List<List<Integer>>> grabSequences() {
        // Up to 30 indexes per batch over a group of up to 25 members: some outsiders, some repeats.
        return Arbitraries.integers().between(0, 29).list().ofMinSize(1).ofMaxSize(30).list().ofMinSize(0).ofMaxSize(6);
    }

    private static WalletId open(InMemoryLedger ledger, UserId user, long topUpMinor) {
        WalletId wallet = WalletId.of(user, CNY);
        ledger.when(new OpenWallet(wallet, user, CNY, SENT.minusSeconds(60))).expectSuccess();
        if (topUpMinor > 0) {
            ledger.when(new TopUpWallet(wallet, "bank-" + user, Money.of(topUpMinor, CNY), SENT.minusSeconds(30)))
                    .expectSuccess();
        }
        return wallet;
    }

    private static void assertInvariants(InMemoryLedger ledger) {
        Map<AccountId, Long> balances = balances(ledger);
        assertThat(balances.values().stream().mapToLong(Long::longValue).sum()).as("trial balance").isZero();
        Set<AccountId> negative = new HashSet<>();
        balances.forEach((account, minor) -> {
            if (account.type().noOverdraft() && minor < 0) {
                negative.add(account);
            }
        });
        assertThat(negative).as("accounts that may never be negative").isEmpty();
    }

    private static Map<AccountId, Long> balances(InMemoryLedger ledger) {
        Map<AccountId, Long> balances = new HashMap<>();
        for (Object event : ledger.events()) {
            if (event instanceof MoneyMovement movement) {
                for (Posting posting : movement.postings()) {
                    balances.merge(posting.account(), posting.amount().minor(), Long::sum);
                }
            }
        }
        return balances;
    }
}
