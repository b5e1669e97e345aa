package com.hongbao.ledger.core.id;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

/** Validation and deterministic derivation shared by the typed ids. */
public final class Ids {

    /** The longest id. */
    static final int MAX_LENGTH = 100;

    private Ids() {
    }

    /**
     * Every typed id is 1 to 100 letters, digits, '_', '.' or '-'. Checked by hand rather than with
     * a regular expression: ids are made for every event read back from the store, and
     * {@code String.matches} compiles its pattern on every call.
     */
    static void requireValid(String value, String type) {
        Objects.requireNonNull(value, "value");
        if (!isValid(value)) {
            throw new IllegalArgumentException("invalid " + type + ": " + value);
        }
    }

    /** Whether the text is 1 to 100 letters, digits, '_', '.' or '-', as every typed id is. */
    public static boolean isValid(String value) {
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** A name-based UUID (without dashes) over the parts, separated so that no two part lists collide. */
    static String nameBased(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("\u0000", parts).getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", "");
    }

    static String sha256Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
