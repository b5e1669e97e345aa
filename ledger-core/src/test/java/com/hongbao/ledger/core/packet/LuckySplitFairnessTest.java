package com.hongbao.ledger.core.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The point of the double-mean policy: the expected share does not depend on the grab position, so
 * grabbing first is no advantage. A statistical test on a fixed sample, hence deterministic.
 */
class LuckySplitFairnessTest {

    static final long TOTAL_FEN = 10_000;
    static final int SHARES = 10;
    static final int PACKETS = 20_000;
    static final double MEAN_SHARE_FEN = (double) TOTAL_FEN / SHARES;
    /**
     * 2% of the mean share, 20 fen. The shares' standard deviation is about 575 fen at the first
     * position (uniform on [1, 2,000]) and grows with the position to about 760 fen at the last two, so
     * over 20,000 packets the standard error of a position's mean is 4.1 to 5.4 fen and the tolerance
     * is at least 3.7 standard errors at every position: a fair policy fails on a fresh sample with a
     * probability of about 0.2% over all ten positions, while one that favoured early or late grabs by
     * 4% (40 fen, over 7 standard errors) would practically always fail. Rounding {@code 2 * remaining / sharesLeft} down shifts a position's
     * expectation by a few fen at most, well inside. The sample is fixed by the seed below, so the test
     * cannot flake; with it the largest deviation is about 10 fen.
     */
    static final double TOLERANCE_FEN = 0.02 * MEAN_SHARE_FEN;

    @Test
    void the_mean_share_is_the_same_at_every_grab_position() {
        Random random = new Random(20_260_210L);
        byte[] seed = new byte[32];
        double[] sums = new double[SHARES];
        double[] sumsOfSquares = new double[SHARES];
        for (int packet = 0; packet < PACKETS; packet++) {
            random.nextBytes(seed);
            List<Long> shares = LuckySplit.split(HexFormat.of().formatHex(seed), TOTAL_FEN, SHARES, 1, 20_000);
            for (int position = 0; position < SHARES; position++) {
                double share = shares.get(position);
                sums[position] += share;
                sumsOfSquares[position] += share * share;
            }
        }

        for (int position = 0; position < SHARES; position++) {
            double mean = sums[position] / PACKETS;
            assertThat(mean).as("mean share at grab position %d", position)
                    .isCloseTo(MEAN_SHARE_FEN, Offset.offset(TOLERANCE_FEN));
        }
        double firstMean = sums[0] / PACKETS;
        double firstVariance = (sumsOfSquares[0] - PACKETS * firstMean * firstMean) / (PACKETS - 1);
        assertThat(firstVariance).as("sample variance of the first share").isGreaterThan(0);
    }
}
