package com.hongbao.ledger.api.security;

import com.hongbao.ledger.api.LedgerProperties;
import com.hongbao.ledger.api.web.ProblemResponses;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.stream.Collectors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bearer tokens (JWT) on every endpoint except health, the API docs and, in dev-token mode, the
 * token endpoint. Roles come from the token's {@code roles} claim. With dev tokens on, tokens are
 * signed and checked with an RSA key made at start-up; otherwise with the configured public key.
 */
@Configuration
@EnableMethodSecurity
public class SecurityConfig {

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, LedgerProperties properties, JsonMapper jsonMapper)
            throws Exception {
        // A stateless token API: no session, CSRF token, saved request, logout page or servlet
        // API wrapper (nothing here asks the request for its principal), each a filter every
        // request passed through.
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .logout(logout -> logout.disable())
                .servletApi(servletApi -> servletApi.disable())
                .authorizeHttpRequests(auth -> {
                    auth.requestMatchers("/actuator/health", "/actuator/health/**", "/v3/api-docs", "/v3/api-docs/**",
                            "/swagger-ui.html", "/swagger-ui/**", "/error").permitAll();
                    if (properties.devTokensEnabled()) {
                        auth.requestMatchers("/dev/tokens").permitAll();
                    }
                    auth.requestMatchers("/actuator/**").hasAnyRole("admin", "finance");
                    auth.anyRequest().authenticated();
                })
                .oauth2ResourceServer(server -> server
                        .bearerTokenResolver(new HeaderBearerTokenResolver())
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(authenticationConverter()))
                        .authenticationEntryPoint((request, response, e) -> {
                            if (e instanceof OAuth2AuthenticationException oauth
                                    && OAuth2ErrorCodes.INVALID_REQUEST.equals(oauth.getError().getErrorCode())) {
                                write(response, jsonMapper, "invalid_request", "send one Authorization header");
                            } else {
                                write(response, jsonMapper, "unauthorized", "a valid bearer token is required");
                            }
                        })
                        .accessDeniedHandler((request, response, e) ->
                                write(response, jsonMapper, "forbidden", "your role may not do this")))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint((request, response, e) ->
                                write(response, jsonMapper, "unauthorized", "a valid bearer token is required"))
                        .accessDeniedHandler((request, response, e) ->
                                write(response, jsonMapper, "forbidden", "your role may not do this")));
        return http.build();
    }

    /**
     * Spring Security's default firewall, its header checks without regular expressions
     * ({@link HeaderCharacters}); what it refuses (a ';' or an encoded '%' in the path, a control
     * character in a header) is a 400 problem, not an exception for the container's error page.
     */
    @Bean
    WebSecurityCustomizer firewall(JsonMapper jsonMapper) {
        return web -> web.httpFirewall(HeaderCharacters.firewall())
                .requestRejectedHandler((request, response, e) ->
                        write(response, jsonMapper, "request_rejected", ProblemResponses.REQUEST_REJECTED));
    }

    @Bean
    RSAKey tokenKey(LedgerProperties properties) throws NoSuchAlgorithmException, IOException {
        if (properties.devTokensEnabled()) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            return new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
                    .keyID("ledger-dev").build();
        }
        String location = properties.auth().jwtPublicKey();
        if (location == null || location.isBlank()) {
            throw new IllegalStateException("dev tokens are off (an external database is configured), so"
                    + " ledger.auth.jwt-public-key (LEDGER_AUTH_JWT_PUBLIC_KEY) must name the PEM public key that"
                    + " verifies tokens, or set ledger.auth.dev-tokens=true for a non-production setup");
        }
        try (InputStream in = new DefaultResourceLoader().getResource(location).getInputStream()) {
            String pem = new String(in.readAllBytes()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
            return new RSAKey.Builder(key).build();
        } catch (java.security.spec.InvalidKeySpecException e) {
            throw new IllegalStateException("not an RSA public key: " + location, e);
        }
    }

    /**
     * No observation of every security filter, authentication and authorization decision: on a
     * hot packet they were a fifth of a refused grab's CPU and tell nothing the request metric
     * ({@code http.server.requests}, kept) does not.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /** Verifies bearer tokens against the key, remembering verified tokens until they expire (at most 10 minutes). */
    @Bean
    JwtDecoder jwtDecoder(RSAKey tokenKey) throws Exception {
        return new CachingJwtDecoder(NimbusJwtDecoder.withPublicKey(tokenKey.toRSAPublicKey()).build(), Clock.systemUTC(),
                100_000, Duration.ofMinutes(10));
    }

    @Bean
    JwtEncoder jwtEncoder(RSAKey tokenKey) {
        return new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(tokenKey)));
    }

    private static JwtAuthenticationConverter authenticationConverter() {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(jwt -> {
            Collection<GrantedAuthority> authorities = Caller.roles(jwt).stream()
                    .map(role -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + role))
                    .collect(Collectors.toList());
            return authorities;
        });
        return converter;
    }

    private static void write(HttpServletResponse response, JsonMapper jsonMapper, String code, String detail)
            throws IOException {
        ProblemDetail problem = ProblemResponses.problem(code, detail);
        response.setStatus(problem.getStatus());
        response.setContentType("application/problem+json");
        response.getWriter().write(jsonMapper.writeValueAsString(problem));
    }
}
