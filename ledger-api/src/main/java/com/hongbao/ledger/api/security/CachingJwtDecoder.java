package com.hongbao.ledger.api.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers tokens that were verified, so a client sending the same bearer token on every request
 * pays the RSA signature check once, not per request (it was a sixth of a request's CPU). Only
 * tokens that passed the delegate's full verification are kept; a kept token is used only until
 * its own expiry and at most {@code maxAge}, whichever comes first, so a cached answer is never
 * one the delegate would not give. The key is the whole token text, signature included.
 */
public final class CachingJwtDecoder implements JwtDecoder {

    private final JwtDecoder delegate;
    private final Clock clock;
    private final Cache<String, Jwt> verified;

    public CachingJwtDecoder(JwtDecoder delegate, Clock clock, long maxTokens, Duration maxAge) {
        this.delegate = delegate;
        this.clock = clock;
        this.verified = Caffeine.newBuilder().maximumSize(maxTokens).expireAfterWrite(maxAge).build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt cached = verified.getIfPresent(token);
        if (cached != null) {
            Instant expiresAt = cached.getExpiresAt();
            if (expiresAt != null && clock.instant().isBefore(expiresAt)) {
                return cached;
            }
            verified.invalidate(token);
            // Expired since it was cached: the delegate gives the proper refusal.
        }
        Jwt jwt = delegate.decode(token);
        if (jwt.getExpiresAt() == null) {
            throw new BadJwtException("a bearer token must expire");
        }
        verified.put(token, jwt);
        return jwt;
    }
}
