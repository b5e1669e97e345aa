package com.hongbao.ledger.core.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A lucky packet's shares sum to its total exactly and each lies within the share bounds, for any
 * seed and any total the bounds allow: no split can create or lose a fen.
 */
class LuckySplitProperties {

    /** 200.00 CNY, the largest share of a lucky packet. */
    static final long MAX_SHARE_FEN = 20_000;
    static final int MAX_SHARES = 100;

    record Packet(long total, int shares, long minShare, long maxShare) {
    }

    @Property(tries = 1_000)
    void lucky_packet_shares_sum_to_total_and_are_between_one_fen_and_200_yuan(
            @ForAll("seeds") String seed, @ForAll("packetsOfUpTo200YuanAShare") Packet packet) {
        List<Long> shares = LuckySplit.split(seed, packet.total(), packet.shares(), 1, MAX_SHARE_FEN);

        assertThat(shares).hasSize(packet.shares());
        assertThat(shares.stream().mapToLong(Long::longValue).sum()).isEqualTo(packet.total());
        assertThat(shares).allSatisfy(share -> assertThat(share).isBetween(1L, MAX_SHARE_FEN));
        long remaining = packet.total();
        for (int index = 0; index < shares.size() - 1; index++) {
            int sharesLeft = packet.shares() - index;
            assertThat(shares.get(index)).as("share %d of %s", index, shares)
                    .isLessThanOrEqualTo(2 * remaining / sharesLeft);
            remaining -= shares.get(index);
        }
    }

    @Property(tries = 1_000)
    void shares_sum_to_total_and_respect_any_share_bounds(
            @ForAll("seeds") String seed, @ForAll("packetsWithAnyBounds") Packet packet) {
        assertSplitsExactlyWithinBounds(seed, packet);
    }

    /** Bounds so large that twice what remains, and the share count times the bounds, border on overflow. */
    @Property(tries = 500)
    void shares_sum_to_total_even_when_the_bounds_approach_the_largest_long(
            @ForAll("seeds") String seed, @ForAll("packetsWithHugeBounds") Packet packet) {
        assertSplitsExactlyWithinBounds(seed, packet);
    }

    static void assertSplitsExactlyWithinBounds(String seed, Packet packet) {
        List<Long> shares = LuckySplit.split(seed, packet.total(), packet.shares(), packet.minShare(), packet.maxShare());

        assertThat(shares).hasSize(packet.shares());
        assertThat(shares.stream().mapToLong(Long::longValue).reduce(0, Math::addExact)).isEqualTo(packet.total());
        assertThat(shares).allSatisfy(share -> assertThat(share).isBetween(packet.minShare(), packet.maxShare()));
    }

    @Provide
    Arbitrary<String> seeds() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32).map(HexFormat.of()::formatHex);
    }

    @Provide
    Arbitrary<Packet> packetsOfUpTo200YuanAShare() {
        return Arbitraries.integers().between(1, MAX_SHARES).flatMap(shares ->
                Arbitraries.longs().between(shares, shares * MAX_SHARE_FEN)
                        .map(total -> new Packet(total, shares, 1, MAX_SHARE_FEN)));
    }

    @Provide
    Arbitrary<Packet> packetsWithAnyBounds() {
        return Combinators.combine(Arbitraries.integers().between(1, MAX_SHARES), Arbitraries.longs().between(1, 10_000),
                        Arbitraries.longs().between(0, 20_000))
                .flatAs((shares, minShare, spread) -> packets(shares, minShare, minShare + spread));
    }

    @Provide
    Arbitrary<Packet> packetsWithHugeBounds() {
        return Arbitraries.integers().between(1, MAX_SHARES).flatMap(shares -> {
            long largestShare = Long.MAX_VALUE / shares;
            return Combinators.combine(Arbitraries.longs().between(1, largestShare),
                            Arbitraries.longs().between(1, largestShare))
                    .flatAs((a, b) -> packets(shares, Math.min(a, b), Math.max(a, b)));
        });
    }

    static Arbitrary<Packet> packets(int shares, long minShare, long maxShare) {
        return Arbitraries.longs().between(shares * minShare, shares * maxShare)
                .map(total -> new Packet(total, shares, minShare, maxShare));
    }
}
