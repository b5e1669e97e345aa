package com.hongbao.ledger.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

/** Roles and merchant read straight from the claims give what Spring Security's claim conversion gives. */
class CallerTest {

    private static Jwt token(Map<String, Object> claims) {
        Jwt.Builder builder = Jwt.withTokenValue("t").header("alg", "RS256").subject("alice");
        claims.forEach(builder::claim);
        return builder.build();
    }

    @Test
    void a_list_of_roles_and_a_merchant_are_read_as_they_are() {
        Caller caller = Caller.from(token(Map.of("roles", List.of("merchant", "user"), "merchant_id", "m_tea")));

        assertThat(caller.subject()).isEqualTo("alice");
        assertThat(caller.roles()).containsExactlyInAnyOrder("merchant", "user");
        assertThat(caller.actsFor("m_tea")).isTrue();
        assertThat(caller.actsFor("m_other")).isFalse();
    }

    @Test
    void roles_in_another_shape_get_spring_securitys_conversion() {
        Jwt single = token(Map.of("roles", "finance"));
        Jwt mixed = token(Map.of("roles", List.of("user", 7)));

        assertThat(Caller.roles(single)).isEqualTo(single.getClaimAsStringList("roles")).containsExactly("finance");
        assertThat(Caller.roles(mixed)).isEqualTo(mixed.getClaimAsStringList("roles")).containsExactly("user", "7");
        assertThat(Caller.from(single).isFinance()).isTrue();
    }

    @Test
    void no_roles_and_no_merchant_is_a_caller_with_neither() {
        Caller caller = Caller.from(token(Map.of("scope", "x")));

        assertThat(caller.roles()).isEqualTo(Set.of());
        assertThat(caller.merchantId()).isNull();
        assertThat(caller.actsFor("m_tea")).isFalse();
    }
}
