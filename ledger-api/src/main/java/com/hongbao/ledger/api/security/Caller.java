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
        List<String> roles = jwt.getClaimAsStringList(ROLES_CLAIM);
        return new Caller(jwt.getSubject(), roles == null ? Set.of() : Set.copyOf(roles),
                jwt.getClaimAsString(MERCHANT_CLAIM));
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
