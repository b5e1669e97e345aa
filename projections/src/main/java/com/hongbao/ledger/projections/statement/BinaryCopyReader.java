package com.hongbao.ledger.projections.statement;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import org.postgresql.copy.CopyOut;

/**
 * Reads the rows of a {@code COPY ... TO STDOUT (FORMAT binary)}: a header, then per row a 16-bit
 * field count and per field a 32-bit length (-1: NULL) and the value in PostgreSQL's binary send
 * format, then a field count of -1. PostgreSQL sends the rows as fast as the socket takes them, so
 * it produces the next rows while the caller handles these; and nothing is parsed from text.
 *
 * <p>PostgreSQL sends one copy message per row (the header comes with the first), but nothing here
 * relies on it: a value may span messages.
 */
final class BinaryCopyReader {

    /** The binary COPY format's signature (also written by {@link StatementRebuild}). */
    static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    /** 2000-01-01, PostgreSQL's epoch for binary dates and timestamps, in days and seconds since 1970. */
    static final long POSTGRES_EPOCH_DAY = LocalDate.of(2000, 1, 1).toEpochDay();
    static final long POSTGRES_EPOCH_SECONDS = POSTGRES_EPOCH_DAY * 86_400;

    private final CopyOut copy;
    private final int fields;
    private byte[] data = new byte[0];
    private int position;
    /** The length of the field {@link #next} moved to, or -1 for NULL. */
    private int length;
    private boolean ended;
    private final byte[][] repeatedBytes = new byte[4][];
    private final String[] repeatedStrings = new String[4];

    /** Reads {@code copy}, whose rows must have {@code fields} fields. */
    BinaryCopyReader(CopyOut copy, int fields) throws SQLException {
        this.copy = copy;
        this.fields = fields;
        require(SIGNATURE.length + 8);
        if (!Arrays.equals(data, position, position + SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
            throw new SQLException("not a binary COPY stream");
        }
        position += SIGNATURE.length + 4; // the flags: no OIDs
        int extension = readInt();
        require(extension);
        position += extension;
    }

    /** Moves to the next row; false after the last, once the copy has ended. */
    boolean nextRow() throws SQLException {
        if (ended) {
            return false;
        }
        require(2);
        short count = (short) (((data[position] & 0xff) << 8) | (data[position + 1] & 0xff));
        position += 2;
        if (count == -1) {
            ended = true;
            while (copy.readFromCopy() != null) {
                // Read the copy to its end: the connection is free only after it.
            }
            return false;
        }
        if (count != fields) {
            throw new SQLException("a row of " + count + " fields, not " + fields);
        }
        return true;
    }

    /** Moves to the next field of the row: false if it is NULL. */
    private boolean next() throws SQLException {
        require(4);
        length = readInt();
        if (length < 0) {
            return false;
        }
        require(length);
        return true;
    }

    String string() throws SQLException {
        if (!next()) {
            return null;
        }
        String value = new String(data, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    /**
     * A text field that often repeats (a type, a currency): the string of the previous call with
     * the same {@code slot} when the bytes are the same, which saves a string per row.
     */
    String repeated(int slot) throws SQLException {
        if (!next()) {
            return null;
        }
        byte[] known = repeatedBytes[slot];
        if (known != null && length == known.length
                && Arrays.equals(data, position, position + length, known, 0, known.length)) {
            position += length;
            return repeatedStrings[slot];
        }
        String value = new String(data, position, length, StandardCharsets.UTF_8);
        repeatedBytes[slot] = Arrays.copyOfRange(data, position, position + length);
        repeatedStrings[slot] = value;
        position += length;
        return value;
    }

    /** A smallint, integer or bigint field; {@code fallback} if NULL. */
    long integer(long fallback) throws SQLException {
        if (!next()) {
            return fallback;
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            value = (value << 8) | (data[position + i] & 0xff);
        }
        // Sign-extend a 2- or 4-byte value.
        int unused = 64 - 8 * length;
        value = (value << unused) >> unused;
        position += length;
        return value;
    }

    boolean isNull() {
        return length < 0;
    }

    boolean bool() throws SQLException {
        if (!next()) {
            throw new SQLException("unexpected NULL boolean");
        }
        boolean value = data[position] != 0;
        position += length;
        return value;
    }

    LocalDate date() throws SQLException {
        if (!next()) {
            return null;
        }
        int days = readInt();
        return LocalDate.ofEpochDay(POSTGRES_EPOCH_DAY + days);
    }

    /** A timestamptz: microseconds since 2000-01-01T00:00:00Z. */
    Instant instant() throws SQLException {
        if (!next()) {
            return null;
        }
        long micros = 0;
        for (int i = 0; i < 8; i++) {
            micros = (micros << 8) | (data[position + i] & 0xff);
        }
        position += 8;
        return Instant.ofEpochSecond(POSTGRES_EPOCH_SECONDS + Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /** Skips a field, NULL or not; true if it was not NULL. */
    boolean skip() throws SQLException {
        if (!next()) {
            return false;
        }
        position += length;
        return true;
    }

    private int readInt() {
        int value = ((data[position] & 0xff) << 24) | ((data[position + 1] & 0xff) << 16)
                | ((data[position + 2] & 0xff) << 8) | (data[position + 3] & 0xff);
        position += 4;
        return value;
    }

    /** Makes {@code count} bytes available from {@link #position}, reading copy messages as needed. */
    private void require(int count) throws SQLException {
        while (data.length - position < count) {
            byte[] more = copy.readFromCopy();
            if (more == null) {
                throw new SQLException("the binary COPY stream ended early");
            }
            int left = data.length - position;
            if (left == 0) {
                data = more;
            } else {
                byte[] joined = new byte[left + more.length];
                System.arraycopy(data, position, joined, 0, left);
                System.arraycopy(more, 0, joined, left, more.length);
                data = joined;
            }
            position = 0;
        }
    }
}
