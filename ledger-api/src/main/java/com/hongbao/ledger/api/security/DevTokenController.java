package com.hongbao.ledger.api.security;

import com.hongbao.ledger.api.LedgerProperties;
import com.hongbao.ledger.api.web.Requests;
import com.hongbao.ledger.core.LedgerRejection;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Issues demo tokens, signed with the local key. Exists only in dev-token mode (the embedded
 * default); with an external database and no explicit opt-in, this controller is not created.
 */
@RestController
@ConditionalOnExpression("#{T(com.hongbao.ledger.api.security.DevTokenController).enabled(environment)}")
@Tag(name = "Dev tokens (embedded mode only)")
public class DevTokenController {

    private static final Set<String> ROLES = Set.of("user", "merchant", "finance", "admin");

    private final JwtEncoder encoder;
    private final LedgerProperties properties;

    public DevTokenController(JwtEncoder encoder, LedgerProperties properties) {
        this.encoder = encoder;
        this.properties = properties;
    }

    /** Mirrors {@link LedgerProperties#devTokensEnabled()} before the properties are bound. */
    public static boolean enabled(org.springframework.core.env.Environment environment) {
        String explicit = environment.getProperty("ledger.auth.dev-tokens");
        if (explicit != null && !explicit.isBlank()) {
            return Boolean.parseBoolean(explicit);
        }
        String url = environment.getProperty("ledger.db.url", "");
        return url.isBlank();
    }

    public record TokenRequest(String subject, List<String> roles, String merchantId) {
    }

    public record TokenResponse(String accessToken, String tokenType, long expiresInSeconds) {
    }

    @PostMapping("/dev/tokens")
    @Operation(summary = "Issue a demo bearer token for a subject with roles (user, merchant, finance, admin)")
    public TokenResponse issue(@RequestBody TokenRequest request) {
        String subject = Requests.reference("subject", request.subject());
        List<String> roles = Requests.required("roles", request.roles());
        // Set.containsAll throws on a null element; JSON may well send one.
        if (roles.isEmpty() || roles.stream().anyMatch(role -> role == null || !ROLES.contains(role))) {
            throw new LedgerRejection("invalid_request", "roles must be a non-empty subset of " + ROLES);
        }
        if (roles.contains("merchant")) {
            Requests.reference("merchantId", request.merchantId());
        }
        // Token lifetimes follow the wall clock the decoder checks them against, not the ledger's business clock.
        Instant now = Instant.now();
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder().issuer("ledger-dev").subject(subject).issuedAt(now)
                .expiresAt(now.plus(properties.auth().devTokenLifetime())).claim(Caller.ROLES_CLAIM, roles);
        if (request.merchantId() != null) {
            claims.claim(Caller.MERCHANT_CLAIM, request.merchantId());
        }
        String token = encoder.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).build(),
                claims.build())).getTokenValue();
        return new TokenResponse(token, "Bearer", properties.auth().devTokenLifetime().toSeconds());
    }
}
