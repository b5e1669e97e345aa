package com.hongbao.ledger.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/** {@link HeaderBearerTokenResolver} gives Spring Security's {@link DefaultBearerTokenResolver}'s answer for any header. */
class HeaderBearerTokenResolverProperties {

    private final BearerTokenResolver spring = new DefaultBearerTokenResolver();
    private final BearerTokenResolver ours = new HeaderBearerTokenResolver();

    @Property(tries = 20_000)
    void the_same_token_absence_or_error_as_spring_security(@ForAll("headers") String header) {
        assertThat(outcome(ours, header)).isEqualTo(outcome(spring, header));
    }

    @Example
    void reads_a_token_with_padding_in_any_case_of_the_scheme_and_refuses_the_rest() {
        assertThat(outcome(ours, "bEaReR ab.C-d_e~f+g/h==")).isEqualTo("token ab.C-d_e~f+g/h==");
        assertThat(outcome(ours, null)).isEqualTo("none");
        assertThat(outcome(ours, "Basic dXNlcjpwYXNz")).isEqualTo("none");
        assertThat(outcome(ours, "Bearer ab=c")).isEqualTo("error invalid_token Bearer token is malformed");
        assertThat(outcome(ours, "Bearer")).isEqualTo("error invalid_token Bearer token is malformed");
        assertThat(outcome(ours, "Bearer  abc")).isEqualTo("error invalid_token Bearer token is malformed");
    }

    @Provide
    Arbitrary<String> headers() {
        Arbitrary<String> scheme = Arbitraries.of("", "Bearer ", "bearer ", "BEARER ", "bEaReR ", "Bearer", "Bearer  ",
                "Bearerx ", "Basic ", " Bearer ", "Bearer\t");
        Arbitrary<String> body = Arbitraries.strings().withChars("aZz09-._~+/= !é中\t:").ofMaxLength(12);
        Arbitrary<String> padding = Arbitraries.strings().withChars("=").ofMaxLength(3);
        return Combinators.combine(scheme, body, padding).as((s, b, p) -> s + b + p);
    }

    /** "none", "token …" or "error code description", as {@code resolver} answers a request with that header. */
    private static String outcome(BearerTokenResolver resolver, String header) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1/anything");
        if (header != null) {
            request.addHeader("Authorization", header);
        }
        try {
            String token = resolver.resolve(request);
            return token == null ? "none" : "token " + token;
        } catch (OAuth2AuthenticationException e) {
            return "error " + e.getError().getErrorCode() + " " + e.getError().getDescription();
        }
    }
}
