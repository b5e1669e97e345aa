package com.hongbao.ledger.api.web;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.id.UserId;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Validation of request fields; every failure is a 400 with a stable code and changes nothing. */
public final class Requests {

    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 200;
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Instant FIRST_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant AFTER_LAST_INSTANT = Instant.parse("+10000-01-01T00:00:00Z");

    private Requests() {
    }

    public static String required(String field, String value) {
        if (value == null) {
            throw new LedgerRejection("missing_field", "field '" + field + "' is required");
        }
        return value;
    }

    public static <T> T required(String field, T value) {
        if (value == null) {
            throw new LedgerRejection("missing_field", "field '" + field + "' is required");
        }
        return value;
    }

    /** Some creating requests have no natural key, so the client's {@code Idempotency-Key} is required. */
    public static void requireIdempotencyKey(String key, String what) {
        if (key == null) {
            throw new LedgerRejection("idempotency_key_required", what + " requires an Idempotency-Key header");
        }
    }

    /** An identifier-like reference: 1 to 64 letters, digits, '_', '.' or '-'. */
    public static String reference(String field, String value) {
        required(field, value);
        if (!REFERENCE.matcher(value).matches()) {
            throw new LedgerRejection("invalid_request",
                    "field '" + field + "' must be 1 to 64 letters, digits, '_', '.' or '-'");
        }
        return value;
    }

    /** A user id given as a query parameter (a filter), or a 400 {@code invalid_parameter}. */
    public static UserId userIdParameter(String parameter, String value) {
        try {
            return new UserId(value);
        } catch (IllegalArgumentException e) {
            throw new LedgerRejection("invalid_parameter", parameter + " must be 1 to 100 letters, digits, '_', '.' or '-'");
        }
    }

    /**
     * Free text of at most {@code maxLength} characters, or null. A lone surrogate (JSON allows
     * {@code "\ud800"}) is not a character: stored or hashed as UTF-8 it would become '?', so two
     * different requests would read back, and fingerprint, alike.
     */
    public static String optionalText(String field, String value, int maxLength) {
        if (value != null && (value.length() > maxLength || !isPlainText(value))) {
            throw new LedgerRejection("invalid_request",
                    "field '" + field + "' must be at most " + maxLength + " characters without control characters");
        }
        return value;
    }

    /** Whether the text has no control character and no unpaired surrogate. */
    private static boolean isPlainText(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    public static int pageSize(Integer limit) {
        if (limit == null) {
            return DEFAULT_PAGE_SIZE;
        }
        if (limit < 1) {
            throw new LedgerRejection("invalid_parameter", "limit must be at least 1");
        }
        if (limit > MAX_PAGE_SIZE) {
            throw new LedgerRejection("page_size_too_large", "limit must be at most " + MAX_PAGE_SIZE);
        }
        return limit;
    }

    /**
     * An ISO-8601 instant in the years 1 to 9999. {@link Instant#parse} takes years far beyond
     * what PostgreSQL stores or {@code Instant} arithmetic survives, and no ledger question needs them.
     */
    public static Instant instant(String parameter, String value) {
        if (value == null) {
            return null;
        }
        try {
            Instant instant = Instant.parse(value);
            if (instant.isBefore(FIRST_INSTANT) || !instant.isBefore(AFTER_LAST_INSTANT)) {
                throw new DateTimeParseException("out of range", value, 0);
            }
            return instant;
        } catch (DateTimeParseException e) {
            throw new LedgerRejection("invalid_parameter",
                    parameter + " must be an ISO-8601 instant from the year 1 to 9999, e.g. 2026-01-01T00:00:00Z");
        }
    }

    /** Refuses a time range whose end is before its start; either bound may be open (null). */
    public static void requireOrdered(String fromName, Instant from, String toName, Instant to) {
        if (from != null && to != null && to.isBefore(from)) {
            throw new LedgerRejection("invalid_parameter", toName + " must not be before " + fromName);
        }
    }
}
