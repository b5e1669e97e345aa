package com.hongbao.ledger.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/** {@link HeaderCharacters} accepts exactly the header names and values Spring Security's firewall accepts by default. */
class HeaderCharactersProperties {

    @Property(tries = 20_000)
    void names_as_the_firewall_judges_them(@ForAll("texts") String name) {
        assertThat(HeaderCharacters.allowedName(name)).isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_NAMES.test(name));
    }

    @Property(tries = 20_000)
    void values_as_the_firewall_judges_them(@ForAll("texts") String value) {
        assertThat(HeaderCharacters.allowedValue(value)).isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_VALUES.test(value));
    }

    @Example
    void tab_is_allowed_in_values_only_and_other_controls_and_unassigned_code_points_nowhere() {
        assertThat(HeaderCharacters.allowedValue("a\tb")).isTrue();
        assertThat(HeaderCharacters.allowedName("a\tb")).isFalse();
        assertThat(HeaderCharacters.allowedValue("a\nb")).isFalse();
        assertThat(HeaderCharacters.allowedValue("a\u0085b")).isFalse();
        assertThat(HeaderCharacters.allowedValue("a\u0378b")).isFalse(); // unassigned
        assertThat(HeaderCharacters.allowedValue("Bearer 中文 é \uD83E\uDDE7")).isTrue();
        assertThat(HeaderCharacters.allowedValue("")).isTrue();
    }

    /** Mostly printable ASCII with controls, Latin-1, CJK, unassigned code points and lone or paired surrogates mixed in. */
    @Provide
    Arbitrary<String> texts() {
        Arbitrary<Character> special = Arbitraries.of('\t', '\n', '\r', '\u0000', '\u001f', '\u007f', '\u0085', '\u009f',
                '\u00a0', 'é', '中', '\u0378', '\u2028', '\ufffe', '\uffff', '\uD83E', '\uDDE7', '\uE000');
        Arbitrary<Character> any = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.chars().range(' ', '~')),
                net.jqwik.api.Tuple.of(3, special),
                net.jqwik.api.Tuple.of(1, Arbitraries.chars()));
        return any.list().ofMaxSize(16).map(chars -> {
            StringBuilder text = new StringBuilder();
            chars.forEach(text::append);
            return text.toString();
        });
    }
}
