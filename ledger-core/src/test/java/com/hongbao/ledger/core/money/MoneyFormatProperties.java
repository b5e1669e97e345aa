package com.hongbao.ledger.core.money;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Currency;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Money#toDecimalString()}, and so {@link Money#appendDecimal} which the CSV bill uses too,
 * is exactly BigDecimal's plain string, for any amount and currency.
 */
class MoneyFormatProperties {

    @Property(tries = 20_000, edgeCases = net.jqwik.api.EdgeCasesMode.MIXIN)
    void the_decimal_string_is_the_exact_decimal_of_the_minor_units(@ForAll long minor,
                                                                     @ForAll("currencies") Currency currency) {
        String expected = BigDecimal.valueOf(minor, Math.max(0, currency.getDefaultFractionDigits())).toPlainString();
        assertThat(Money.of(minor, currency).toDecimalString()).isEqualTo(expected);
    }

    @Property(tries = 5_000)
    void small_amounts_keep_their_leading_zeros_and_sign(@ForAll("small") long minor,
                                                         @ForAll("currencies") Currency currency) {
        the_decimal_string_is_the_exact_decimal_of_the_minor_units(minor, currency);
    }

    @Provide
    Arbitrary<Long> small() {
        return Arbitraries.longs().between(-100_000, 100_000);
    }

    @Provide
    Arbitrary<Currency> currencies() {
        // CNY and USD (2 minor digits), JPY (0), BHD (3), CLF (4), XXX (none defined)
        return Arbitraries.of("CNY", "USD", "JPY", "BHD", "CLF", "XXX").map(Currency::getInstance);
    }
}
