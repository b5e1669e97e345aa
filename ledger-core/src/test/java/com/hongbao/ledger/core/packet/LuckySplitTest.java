package com.hongbao.ledger.core.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LuckySplitTest {

    /** The bytes 0x00 to 0x1f: a seed whose commitment anyone can recompute with standard tools. */
    static final String COUNTING_SEED = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    static final String ZERO_SEED = "00".repeat(32);
    /** 200.00 CNY, the largest share of a lucky packet. */
    static final long MAX_SHARE_FEN = 20_000;

    @Nested
    class Seeds {

        /**
         * A known answer: {@code printf '000102...1e1f' | xxd -r -p | sha256sum}, which hashes the seed's
         * raw bytes, not its hex text.
         */
        @Test
        void the_commitment_is_the_sha256_of_the_seeds_raw_bytes() {
            assertThat(LuckySplit.commitment(COUNTING_SEED))
                    .isEqualTo("630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd");
        }

        @Test
        void a_new_seed_is_valid_and_two_new_seeds_differ() {
            String seed = LuckySplit.newSeed();
            assertThat(LuckySplit.isValidSeed(seed)).isTrue();
            assertThat(LuckySplit.newSeed()).isNotEqualTo(seed);
        }

        @Test
        void a_seed_is_exactly_64_lowercase_hex_characters() {
            assertThat(LuckySplit.isValidSeed(COUNTING_SEED)).isTrue();
            assertThat(LuckySplit.isValidSeed(COUNTING_SEED.toUpperCase())).isFalse();
            assertThat(LuckySplit.isValidSeed(COUNTING_SEED.substring(2))).isFalse();
            assertThat(LuckySplit.isValidSeed(COUNTING_SEED + "00")).isFalse();
            assertThat(LuckySplit.isValidSeed("g" + COUNTING_SEED.substring(1))).isFalse();
            assertThat(LuckySplit.isValidSeed(null)).isFalse();
        }

        @Test
        void an_invalid_seed_is_a_programmer_error() {
            assertThatThrownBy(() -> LuckySplit.commitment(COUNTING_SEED.toUpperCase()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> LuckySplit.split("abc", 10_000, 10, 1, MAX_SHARE_FEN))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Draws {

        @Test
        void the_last_share_takes_all_that_remains() {
            assertThat(LuckySplit.draw(COUNTING_SEED, 9, 1_234, 1, 1, MAX_SHARE_FEN)).isEqualTo(1_234);
        }

        @Test
        void one_fen_into_one_share_is_that_fen() {
            assertThat(LuckySplit.draw(COUNTING_SEED, 0, 1, 1, 1, MAX_SHARE_FEN)).isEqualTo(1);
            assertThat(LuckySplit.split(COUNTING_SEED, 1, 1, 1, MAX_SHARE_FEN)).containsExactly(1L);
        }

        @Test
        void when_only_the_smallest_shares_fit_every_share_is_the_smallest() {
            assertThat(LuckySplit.split(COUNTING_SEED, 10, 10, 1, MAX_SHARE_FEN)).containsOnly(1L).hasSize(10);
        }

        @Test
        void when_only_the_largest_shares_fit_every_share_is_the_largest() {
            assertThat(LuckySplit.split(COUNTING_SEED, 3 * MAX_SHARE_FEN, 3, 1, MAX_SHARE_FEN))
                    .containsExactly(MAX_SHARE_FEN, MAX_SHARE_FEN, MAX_SHARE_FEN);
        }

        @Test
        void a_share_is_at_most_twice_the_mean_of_what_remains() {
            for (int index = 0; index < 100; index++) {
                assertThat(LuckySplit.draw(COUNTING_SEED, index, 100, 10, 1, MAX_SHARE_FEN)).isBetween(1L, 20L);
            }
        }
    }

    @Nested
    class ProgrammerErrors {

        @Test
        void less_than_the_smallest_share_for_each_is_refused() {
            assertThatThrownBy(() -> LuckySplit.split(COUNTING_SEED, 9, 10, 1, MAX_SHARE_FEN))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> LuckySplit.draw(COUNTING_SEED, 0, 0, 1, 1, MAX_SHARE_FEN))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void more_than_the_largest_share_for_each_is_refused() {
            assertThatThrownBy(() -> LuckySplit.split(COUNTING_SEED, 10 * MAX_SHARE_FEN + 1, 10, 1, MAX_SHARE_FEN))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void no_shares_left_is_refused() {
            assertThatThrownBy(() -> LuckySplit.draw(COUNTING_SEED, 0, 100, 0, 1, MAX_SHARE_FEN))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> LuckySplit.split(COUNTING_SEED, 100, 0, 1, MAX_SHARE_FEN))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void share_bounds_below_one_fen_or_out_of_order_are_refused() {
            assertThatThrownBy(() -> LuckySplit.split(COUNTING_SEED, 100, 10, 0, MAX_SHARE_FEN))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> LuckySplit.split(COUNTING_SEED, 100, 10, 11, 10))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void a_negative_grab_position_is_refused() {
            assertThatThrownBy(() -> LuckySplit.draw(COUNTING_SEED, -1, 100, 10, 1, MAX_SHARE_FEN))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void bounds_whose_product_with_the_share_count_overflows_are_refused() {
            assertThatThrownBy(() -> LuckySplit.split(COUNTING_SEED, 100, 10, 1, Long.MAX_VALUE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasCauseInstanceOf(ArithmeticException.class);
        }
    }

    @Nested
    class Determinism {

        @Test
        void a_seed_always_gives_the_same_split_and_another_seed_another_split() {
            List<Long> split = LuckySplit.split(COUNTING_SEED, 10_000, 10, 1, MAX_SHARE_FEN);
            assertThat(LuckySplit.split(COUNTING_SEED, 10_000, 10, 1, MAX_SHARE_FEN)).isEqualTo(split);
            assertThat(LuckySplit.split(ZERO_SEED, 10_000, 10, 1, MAX_SHARE_FEN)).isNotEqualTo(split);
        }

        /**
         * Known answers that pin the algorithm against accidental change: a split once revealed must
         * recompute to the same shares forever, so a change here breaks every published packet. The
         * values were also computed independently from the class documentation (with Python's hashlib),
         * which checks that the documentation describes the code.
         */
        @Test
        void the_split_of_100_yuan_into_5_shares_is_pinned_for_two_fixed_seeds() {
            assertThat(LuckySplit.split(COUNTING_SEED, 10_000, 5, 1, MAX_SHARE_FEN))
                    .containsExactly(414L, 2_209L, 1_198L, 2_096L, 4_083L);
            assertThat(LuckySplit.split(ZERO_SEED, 10_000, 5, 1, MAX_SHARE_FEN))
                    .containsExactly(3_309L, 1_330L, 762L, 3_761L, 838L);
        }
    }
}
