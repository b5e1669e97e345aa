package com.hongbao.ledger.core.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.hongbao.ledger.core.LedgerRejection;
import java.time.Duration;
import java.util.Currency;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AmountParserTest {

    static final Currency CNY = Currency.getInstance("CNY");

    static String rejectionCode(String text) {
        LedgerRejection rejection = catchThrowableOfType(LedgerRejection.class, () -> AmountParser.positive(text, CNY));
        assertThat(rejection).as("rejection of %s", text).isNotNull();
        return rejection.code();
    }

    @Nested
    class Accepted {

        @ParameterizedTest(name = "\"{0}\" is {1} fen")
        @CsvSource({
                "12.34, 1234",
                "12.3,  1230",
                "12,    1200",
                "0.01,  1",
                "0.10,  10",
                "1.00,  100",
                "999999999999999.99, 99999999999999999"
        })
        void a_plain_decimal_becomes_minor_units(String text, long minor) {
            assertThat(AmountParser.positive(text, CNY)).isEqualTo(Money.of(minor, CNY));
        }

        @Test
        void fifteen_integer_digits_are_the_most_accepted() {
            assertThat(AmountParser.positive("9".repeat(15), CNY).minor()).isEqualTo(999_999_999_999_999_00L);
            assertThat(rejectionCode("1" + "0".repeat(15))).isEqualTo("invalid_amount");
        }

        @Test
        void trailing_zeros_beyond_the_currencys_digits_are_still_too_precise() {
            assertThat(rejectionCode("1.000")).isEqualTo("invalid_amount_precision");
        }
    }

    @Nested
    class Refused {

        @ParameterizedTest
        @ValueSource(strings = {"-1", "0", "0.00", "-0", "-0.01"})
        void zero_and_negative_amounts_are_not_positive(String text) {
            assertThat(rejectionCode(text)).isEqualTo("amount_not_positive");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0.001", "12.345", "1.0000000"})
        void more_decimals_than_the_currency_has_are_too_precise(String text) {
            assertThat(rejectionCode(text)).isEqualTo("invalid_amount_precision");
        }

        @ParameterizedTest
        @ValueSource(strings = {"1e309", "1e100000000", "1E2", "NaN", "Infinity", "abc", "", " ", "1.", ".5",
                "+1", " 1", "1 ", "01", "1,00", "1_000", "0x10", "１２", "--1", "1.2.3", "12.3456789012345678901"})
        void anything_but_a_plain_decimal_is_an_invalid_amount(String text) {
            assertThat(rejectionCode(text)).isEqualTo("invalid_amount");
        }

        @Test
        void a_missing_amount_is_an_invalid_amount() {
            assertThat(rejectionCode(null)).isEqualTo("invalid_amount");
        }

        @Test
        void a_thousand_digit_number_is_an_invalid_amount() {
            assertThat(rejectionCode("9".repeat(1_000))).isEqualTo("invalid_amount");
            assertThat(rejectionCode("1." + "0".repeat(1_000))).isEqualTo("invalid_amount");
        }

        /** A guard against pathological computation (a BigDecimal with a huge exponent), not a performance target. */
        @Test
        void a_huge_exponent_is_refused_without_computing_with_it() {
            String code = assertTimeoutPreemptively(Duration.ofSeconds(1), () -> rejectionCode("1e100000000"));
            assertThat(code).isEqualTo("invalid_amount");
        }
    }

    @Nested
    class Currencies {

        @ParameterizedTest
        @ValueSource(strings = {"CNY", "HKD", "USD"})
        void supported_currencies_resolve(String code) {
            assertThat(AmountParser.currency(code)).isEqualTo(Currency.getInstance(code));
        }

        @ParameterizedTest
        @ValueSource(strings = {"XYZ", "EUR", "JPY", "cny", "", "CNY "})
        void other_currencies_are_unsupported(String code) {
            LedgerRejection rejection = catchThrowableOfType(LedgerRejection.class, () -> AmountParser.currency(code));
            assertThat(rejection).isNotNull();
            assertThat(rejection.code()).isEqualTo("unsupported_currency");
        }

        @Test
        void a_missing_currency_is_unsupported() {
            LedgerRejection rejection = catchThrowableOfType(LedgerRejection.class, () -> AmountParser.currency(null));
            assertThat(rejection).isNotNull();
            assertThat(rejection.code()).isEqualTo("unsupported_currency");
        }

        @Test
        void the_amount_is_parsed_in_the_given_currency() {
            Currency usd = AmountParser.currency("USD");
            assertThat(AmountParser.positive("1.50", usd)).isEqualTo(Money.of(150, usd));
        }
    }
}
