package com.hongbao.ledger.projections.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An opaque keyset cursor: the sort key of the last row of a page, a number and a tie-breaker.
 * Clients pass it back unchanged; anything else is refused as {@link InvalidCursor}.
 */
public record Cursor(long major, String minor) {

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((major + "." + minor).getBytes(StandardCharsets.UTF_8));
    }

    public static Cursor decode(String text) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int dot = plain.indexOf('.');
            return new Cursor(Long.parseLong(plain.substring(0, dot)), plain.substring(dot + 1));
        } catch (RuntimeException e) {
            throw new InvalidCursor();
        }
    }

    /** The tie-breaker as a number, for cursors whose tie-breaker is one. */
    public long minorAsLong() {
        try {
            return Long.parseLong(minor);
        } catch (NumberFormatException e) {
            throw new InvalidCursor();
        }
    }

    /** The cursor is not one this service issued. */
    public static final class InvalidCursor extends RuntimeException {
        public InvalidCursor() {
            super("invalid page cursor", null, false, false);
        }
    }
}
