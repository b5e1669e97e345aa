package com.hongbao.ledger.core.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Currency;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MoneyTest {

    static final Currency CNY = Currency.getInstance("CNY");
    static final Currency USD = Currency.getInstance("USD");

    static Money cny(long fen) {
        return Money.of(fen, CNY);
    }

    @Nested
    class Arithmetic {

        @Test
        void adding_and_subtracting_work_in_minor_units() {
            assertThat(cny(1_050).plus(cny(250))).isEqualTo(cny(1_300));
            assertThat(cny(1_050).minus(cny(1_100))).isEqualTo(cny(-50));
            assertThat(cny(250).negate()).isEqualTo(cny(-250));
        }

        @Test
        void comparisons_and_signs_follow_the_minor_units() {
            assertThat(cny(2).isGreaterThan(cny(1))).isTrue();
            assertThat(cny(1).isGreaterThan(cny(1))).isFalse();
            assertThat(cny(1).isLessThan(cny(2))).isTrue();
            assertThat(cny(3).min(cny(2))).isEqualTo(cny(2));
            assertThat(cny(2).min(cny(3))).isEqualTo(cny(2));
            assertThat(cny(1).isPositive()).isTrue();
            assertThat(cny(-1).isNegative()).isTrue();
            assertThat(Money.zero(CNY).isZero()).isTrue();
            assertThat(Money.zero(CNY).isPositive()).isFalse();
        }

        @Test
        void the_two_factories_name_the_same_amount() {
            assertThat(Money.of(123, "CNY")).isEqualTo(cny(123));
        }

        @Test
        void a_currency_is_required() {
            assertThatThrownBy(() -> Money.of(1, (Currency) null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Nested
    class Overflow {

        @Test
        void adding_past_the_largest_amount_fails_instead_of_wrapping() {
            assertThatThrownBy(() -> cny(Long.MAX_VALUE).plus(cny(1))).isInstanceOf(ArithmeticException.class);
        }

        @Test
        void subtracting_past_the_smallest_amount_fails_instead_of_wrapping() {
            assertThatThrownBy(() -> cny(Long.MIN_VALUE).minus(cny(1))).isInstanceOf(ArithmeticException.class);
        }

        @Test
        void negating_the_smallest_amount_fails_instead_of_wrapping() {
            assertThatThrownBy(() -> cny(Long.MIN_VALUE).negate()).isInstanceOf(ArithmeticException.class);
        }

        @Test
        void a_rate_of_the_largest_amounts_is_exact_although_amount_times_rate_exceeds_a_long() {
            for (long minor : new long[] {Long.MAX_VALUE, Long.MAX_VALUE / 2, Long.MAX_VALUE - 4_999, 9_223_372_036_854_770_000L}) {
                for (int basisPoints : new int[] {1, 60, 1_000, 9_999, 10_000}) {
                    long expected = java.math.BigInteger.valueOf(minor).multiply(java.math.BigInteger.valueOf(basisPoints))
                            .add(java.math.BigInteger.valueOf(5_000)).divide(java.math.BigInteger.valueOf(10_000))
                            .longValueExact();
                    assertThat(cny(minor).timesBasisPointsRoundedHalfUp(basisPoints).minor())
                            .as("%d fen at %d bp", minor, basisPoints).isEqualTo(expected);
                }
            }
        }
    }

    @Nested
    class CurrencyMismatches {

        @Test
        void adding_two_currencies_is_refused_with_currency_mismatch() {
            assertThatThrownBy(() -> cny(100).plus(Money.of(100, USD)))
                    .isInstanceOfSatisfying(CurrencyMismatch.class,
                            mismatch -> assertThat(mismatch.code()).isEqualTo("currency_mismatch"))
                    .hasMessageContaining("CNY").hasMessageContaining("USD");
        }

        @Test
        void subtracting_comparing_and_taking_the_minimum_of_two_currencies_are_refused() {
            Money dollars = Money.of(100, USD);
            assertThatThrownBy(() -> cny(100).minus(dollars)).isInstanceOf(CurrencyMismatch.class);
            assertThatThrownBy(() -> cny(100).isGreaterThan(dollars)).isInstanceOf(CurrencyMismatch.class);
            assertThatThrownBy(() -> cny(100).isLessThan(dollars)).isInstanceOf(CurrencyMismatch.class);
            assertThatThrownBy(() -> cny(100).min(dollars)).isInstanceOf(CurrencyMismatch.class);
            assertThatThrownBy(() -> cny(100).requireSameCurrency(dollars)).isInstanceOf(CurrencyMismatch.class);
        }
    }

    @Nested
    class BasisPoints {

        /** 0.6% (60 basis points), WeChat Pay's rate, around the half-fen boundary. */
        @ParameterizedTest(name = "{1} bp of {0} fen is {2} fen")
        @CsvSource({
                "83,    60,     0",   // 0.498 fen rounds down
                "84,    60,     1",   // 0.504 fen rounds up
                "250,   60,     2",   // 1.5 fen: exactly half rounds up
                "249,   60,     1",   // 1.494 fen
                "10000, 60,     60",  // exact
                "1,     5000,   1",   // 0.5 fen: exactly half rounds up
                "1,     4999,   0",   // 0.4999 fen
                "12345, 0,      0",   // no fee
                "12345, 10000,  12345", // the whole amount
                "0,     60,     0"
        })
        void a_rate_is_the_exact_share_rounded_half_up_to_the_fen(long minor, int basisPoints, long expected) {
            assertThat(cny(minor).timesBasisPointsRoundedHalfUp(basisPoints)).isEqualTo(cny(expected));
        }

        @Test
        void a_rate_keeps_the_currency() {
            assertThat(Money.of(250, USD).timesBasisPointsRoundedHalfUp(60)).isEqualTo(Money.of(2, USD));
        }

        @Test
        void a_rate_outside_zero_to_ten_thousand_basis_points_is_a_programmer_error() {
            assertThatThrownBy(() -> cny(100).timesBasisPointsRoundedHalfUp(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> cny(100).timesBasisPointsRoundedHalfUp(10_001)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void a_rate_applied_to_a_negative_amount_is_a_programmer_error() {
            assertThatThrownBy(() -> cny(-100).timesBasisPointsRoundedHalfUp(60)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Display {

        @Test
        void the_decimal_string_has_exactly_the_currencys_minor_digits() {
            assertThat(cny(1_234).toDecimalString()).isEqualTo("12.34");
            assertThat(cny(5).toDecimalString()).isEqualTo("0.05");
            assertThat(cny(0).toDecimalString()).isEqualTo("0.00");
            assertThat(cny(-150).toDecimalString()).isEqualTo("-1.50");
            assertThat(cny(Long.MAX_VALUE).toDecimalString()).isEqualTo("92233720368547758.07");
        }

        @Test
        void the_decimal_string_has_the_sign_on_amounts_below_one_major_unit() {
            assertThat(cny(-5).toDecimalString()).isEqualTo("-0.05");
            assertThat(cny(-99).toDecimalString()).isEqualTo("-0.99");
            assertThat(cny(Long.MIN_VALUE).toDecimalString()).isEqualTo("-92233720368547758.08");
            assertThat(Money.of(-7, "BHD").toDecimalString()).isEqualTo("-0.007");
            assertThat(Money.of(1_050, "JPY").toDecimalString()).isEqualTo("1050");
        }

        @Test
        void the_string_form_names_the_currency() {
            assertThat(cny(1_234)).hasToString("12.34 CNY");
        }
    }
}
