package com.hongbao.ledger.core.account;

import com.hongbao.ledger.core.id.Ids;
import java.util.Objects;

/**
 * A ledger account: its type and, for per-owner accounts, the owner's id. Platform-wide
 * accounts use the owner {@link #PLATFORM}. The string form {@code type:owner} is what the
 * journal stores and the API shows.
 */
public record AccountId(AccountType type, String owner) {

    public static final String PLATFORM = "platform";

    public AccountId {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(owner, "owner");
        // Owners are typed ids (or "platform"): 1 to 100 letters, digits, '_', '.' or '-'.
        if (!Ids.isValid(owner)) {
            throw new IllegalArgumentException("invalid account owner: " + owner);
        }
    }

    public static AccountId platform(AccountType type) {
        return new AccountId(type, PLATFORM);
    }

    public static AccountId parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("account id must look like type:owner, got " + text);
        }
        return new AccountId(AccountType.fromCode(text.substring(0, colon)), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return type.code() + ":" + owner;
    }
}
