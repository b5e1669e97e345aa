package com.hongbao.ledger.projections.support;

import com.hongbao.ledger.core.id.Ids;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;

/**
 * An opaque keyset cursor: the sort key of the last row of a page, a number and a tie-breaker.
 * Clients pass it back unchanged; anything else is refused as {@link InvalidCursor}.
 */
public record Cursor(long major, String minor) {

    /** The first microsecond of the year 10000. */
    private static final long MAX_MICROS = 253_402_300_800_000_000L;

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((major + "." + minor).getBytes(StandardCharsets.UTF_8));
    }

    public static Cursor decode(String text) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int dot = plain.indexOf('.');
            String minor = plain.substring(dot + 1);
            if (!isTieBreaker(minor)) {
                throw new InvalidCursor();
            }
            return new Cursor(Long.parseLong(plain.substring(0, dot)), minor);
        } catch (RuntimeException e) {
            throw new InvalidCursor();
        }
    }

    /**
     * Tie-breakers this service issues are ids, an event's posting adding '/' and its index.
     * Anything else (a NUL, say, which PostgreSQL refuses in text) was not issued here and never
     * reaches a query.
     */
    private static boolean isTieBreaker(String minor) {
        int slash = minor.indexOf('/');
        if (slash < 0) {
            return Ids.isValid(minor);
        }
        String index = minor.substring(slash + 1);
        return Ids.isValid(minor.substring(0, slash)) && !index.isEmpty() && index.length() <= 9
                && index.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** An instant as microseconds since the epoch, PostgreSQL's timestamp precision. */
    public static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    /**
     * The instant of a cursor. Cursors this service issues hold times of movements and payments,
     * so one outside [1970, 10000) was not issued here; refusing it also keeps values PostgreSQL
     * cannot store as a timestamp out of the query.
     */
    public static Timestamp timestamp(long micros) {
        if (micros < 0 || micros >= MAX_MICROS) {
            throw new InvalidCursor();
        }
        return Timestamp.from(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1_000L));
    }

    public static int parseInt(String text) {
        try {
            return Integer.parseInt(text);
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
