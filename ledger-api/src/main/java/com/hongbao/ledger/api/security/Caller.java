package com.hongbao.ledger.api.security;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.UserId;
import java.util.List;
import java.util.Set;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Who is calling, from the bearer token: the subject, the roles ({@code user}, {@code merchant},
 * {@code finance}, {@code admin}) and, for merchants, the merchant they act for.
 */
public record Caller(String subject, Set<String> roles, String merchantId) {

    public static final String ROLES_CLAIM = "roles";
    public static final String MERCHANT_CLAIM = "merchant_id";

    public static Caller from(Jwt jwt) {
        Object merchant = jwt.getClaims().get(MERCHANT_CLAIM);
        return new Caller(jwt.getSubject(), Set.copyOf(roles(jwt)),
                merchant instanceof String id ? id : jwt.getClaimAsString(MERCHANT_CLAIM));
    }

    /**
     * The token's roles. A JSON array of strings (what every token here carries) is read as it is;
     * anything else goes through the claim conversion Spring Security applies, which is the same
     * answer at several times the cost on every request.
     */
    public static List<String> roles(Jwt jwt) {
        Object claim = jwt.getClaims().get(ROLES_CLAIM);
        if (claim == null) {
            return List.of();
        }
        if (claim instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            @SuppressWarnings("unchecked")
            List<String> roles = (List<String>) list;
            return roles;
        }
        List<String> converted = jwt.getClaimAsStringList(ROLES_CLAIM);
        return converted == null ? List.of() : converted;
    }

    public boolean has(String role) {
        return roles.contains(role);
    }

    public boolean isFinance() {
        return has("finance");
    }

    public UserId userId() {
        if (!has("user")) {
            throw new LedgerRejection("forbidden", "this operation is for users");
        }
        return new UserId(subject);
    }

    /** The merchant this caller acts for; a caller without a merchant role acts for none. */
    public MerchantId merchant() {
        if (!has("merchant") || merchantId == null) {
            throw new LedgerRejection("forbidden", "this operation is for merchants");
        }
        return new MerchantId(merchantId);
    }

    public boolean actsFor(String merchant) {
        return has("merchant") && merchant.equals(merchantId);
    }
}
