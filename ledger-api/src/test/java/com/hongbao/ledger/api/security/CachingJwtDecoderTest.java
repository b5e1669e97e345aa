package com.hongbao.ledger.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hongbao.ledger.api.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/** A verified token is reused until it expires; nothing the delegate refuses is ever remembered. */
class CachingJwtDecoderTest {

    private final MutableClock clock = new MutableClock();
    private final AtomicInteger verifications = new AtomicInteger();

    private JwtDecoder delegate(Duration lifetime) {
        return token -> {
            verifications.incrementAndGet();
            if (token.startsWith("bad")) {
                throw new BadJwtException("signature does not verify");
            }
            Instant now = clock.instant();
            if (token.startsWith("expired")) {
                throw new BadJwtException("expired");
            }
            return Jwt.withTokenValue(token).header("alg", "RS256").subject("alice").issuedAt(now)
                    .expiresAt(token.startsWith("forever") ? null : now.plus(lifetime)).build();
        };
    }

    @Test
    void the_same_token_is_verified_once_while_it_is_valid() {
        CachingJwtDecoder decoder = new CachingJwtDecoder(delegate(Duration.ofHours(1)), clock, 10, Duration.ofMinutes(10));

        Jwt first = decoder.decode("good-1");
        Jwt second = decoder.decode("good-1");

        assertThat(second).isSameAs(first);
        assertThat(verifications).hasValue(1);
        decoder.decode("good-2");
        assertThat(verifications).hasValue(2);
    }

    @Test
    void a_cached_token_past_its_expiry_goes_back_to_the_delegate() {
        CachingJwtDecoder decoder = new CachingJwtDecoder(delegate(Duration.ofSeconds(30)), clock, 10, Duration.ofMinutes(10));
        decoder.decode("good-1");

        clock.advance(Duration.ofSeconds(31));
        decoder.decode("good-1");

        assertThat(verifications).hasValue(2);
    }

    @Test
    void refused_tokens_are_never_remembered() {
        CachingJwtDecoder decoder = new CachingJwtDecoder(delegate(Duration.ofHours(1)), clock, 10, Duration.ofMinutes(10));

        assertThatThrownBy(() -> decoder.decode("bad-1")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> decoder.decode("bad-1")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> decoder.decode("forever-1")).isInstanceOf(BadJwtException.class)
                .hasMessageContaining("must expire");

        assertThat(verifications).hasValue(3);
    }
}
