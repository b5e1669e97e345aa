package com.hongbao.ledger.core.packet;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The "double-mean" policy for lucky red packets: each grab takes a uniformly random amount of at
 * most twice the mean of what remains, and the last grab takes whatever is left.
 *
 * <p>Why double the mean: a share drawn uniformly from [low, 2 × remaining / sharesLeft] has an
 * expected value of about the mean of what remains, so the expected share is the same at every grab
 * position (about total / shares); grabbing early is no advantage. The bounds keep every share within
 * [minShare, maxShare] and always leave enough, and not too much, for the shares still to come, so the
 * last share is within the bounds too and the shares sum to the total exactly: the remainder of the
 * division goes to the last grab.
 *
 * <p>Why a seed instead of a random number generator: the split is a pure function of a secret seed,
 * so the ledger can publish {@link #commitment(String) the seed's commitment} when the packet is sent,
 * reveal the seed once the packet is closed, and anyone can check that the seed matches the
 * commitment and recompute every share. Until then the seed is a secret: it does not belong in an
 * event or a log before it is revealed.
 *
 * <p>The draw, precisely, so that it can be recomputed outside Java. All amounts are integers in
 * minor units (fen); "/" is integer division and "%" the remainder. For the share at 0-based grab
 * position {@code index}, with {@code remaining} left for {@code sharesLeft} shares:
 * <ol>
 *   <li>If {@code sharesLeft == 1}, the share is {@code remaining}.</li>
 *   <li>Otherwise {@code low = max(minShare, remaining - (sharesLeft - 1) * maxShare)} and
 *       {@code high = min(2 * remaining / sharesLeft, maxShare, remaining - (sharesLeft - 1) * minShare)}.
 *       If {@code low == high}, the share is {@code low} and nothing is hashed.</li>
 *   <li>Otherwise let {@code range = high - low + 1}. For {@code attempt = 0, 1, 2, ...}: let
 *       {@code h = SHA-256(seed || index || attempt)}, where {@code seed} is the seed's 32 raw bytes
 *       (the hex string decoded) and {@code index} and {@code attempt} are each 4 bytes, big-endian;
 *       let {@code v} be the first 8 bytes of {@code h} read as a big-endian unsigned integer with the
 *       top bit cleared (so {@code 0 <= v < 2^63}). If {@code v < (2^63 / range) * range}, the share is
 *       {@code low + v % range}; otherwise try the next attempt.</li>
 * </ol>
 * The rejection in step 3 drops the incomplete last block of {@code range} values below 2^63, so
 * every amount in [low, high] is exactly equally likely (a plain {@code v % range} would favour the
 * small ones). An attempt is rejected with probability {@code (2^63 % range) / 2^63}, below
 * {@code range / 2^63}: for shares of up to 200.00 (20,000 fen) that is below 2^-48, so a second
 * attempt practically never happens.
 */
public final class LuckySplit {

    private static final int SEED_BYTES = 32;
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom SECURE_RANDOM = new SecureRandom();

    private LuckySplit() {
    }

    /** A fresh secret seed: 32 random bytes from SecureRandom, as 64 lowercase hex chars. */
    public static String newSeed() {
        byte[] seed = new byte[SEED_BYTES];
        SECURE_RANDOM.nextBytes(seed);
        return HEX.formatHex(seed);
    }

    /** The public commitment to a seed: lowercase hex SHA-256 of the seed's 32 raw bytes. */
    public static String commitment(String seedHex) {
        return HEX.formatHex(sha256().digest(seedBytes(seedHex)));
    }

    /** Whether seedHex is 64 lowercase hex chars. */
    public static boolean isValidSeed(String seedHex) {
        if (seedHex == null || seedHex.length() != 2 * SEED_BYTES) {
            return false;
        }
        return seedHex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    /**
     * The amount of the share taken at 0-based grab position {@code index}, given what remains and
     * how many shares are left, as the class documentation describes. The last share
     * ({@code sharesLeft == 1}) takes all that remains.
     *
     * <p>An invalid seed, a negative index, {@code sharesLeft < 1}, bounds outside
     * {@code 1 <= minShare <= maxShare}, or a {@code remaining} outside
     * [{@code sharesLeft * minShare}, {@code sharesLeft * maxShare}] (including a product that overflows
     * a long) is a programmer error and throws {@link IllegalArgumentException}.
     */
    public static long draw(String seedHex, int index, long remaining, int sharesLeft, long minShare, long maxShare) {
        byte[] seed = seedBytes(seedHex);
        if (index < 0) {
            throw new IllegalArgumentException("negative grab position: " + index);
        }
        if (sharesLeft < 1) {
            throw new IllegalArgumentException("no shares left: " + sharesLeft);
        }
        if (minShare < 1 || minShare > maxShare) {
            throw new IllegalArgumentException("share bounds must satisfy 1 <= min <= max: min " + minShare
                    + ", max " + maxShare);
        }
        long leastRemaining = multiplyOrReject(sharesLeft, minShare);
        long mostRemaining = multiplyOrReject(sharesLeft, maxShare);
        if (remaining < leastRemaining || remaining > mostRemaining) {
            throw new IllegalArgumentException(remaining + " cannot be split into " + sharesLeft
                    + " shares of " + minShare + " to " + maxShare);
        }
        if (sharesLeft == 1) {
            return remaining;
        }
        // Neither product below overflows: each is at most sharesLeft * maxShare, checked above.
        long others = sharesLeft - 1L;
        long low = Math.max(minShare, remaining - others * maxShare);
        long high = Math.min(twiceTheMean(remaining, sharesLeft), Math.min(maxShare, remaining - others * minShare));
        if (low == high) {
            return low;
        }
        return uniform(seed, index, low, high);
    }

    /** The whole split of a packet: draw(...) for index 0..shares-1, each applied to what remains. Sums to total exactly. */
    public static List<Long> split(String seedHex, long total, int shares, long minShare, long maxShare) {
        if (shares < 1) {
            throw new IllegalArgumentException("a packet has at least one share: " + shares);
        }
        List<Long> amounts = new ArrayList<>(shares);
        long remaining = total;
        for (int index = 0; index < shares; index++) {
            long amount = draw(seedHex, index, remaining, shares - index, minShare, maxShare);
            amounts.add(amount);
            remaining -= amount;
        }
        if (remaining != 0) {
            throw new AssertionError("the shares of " + total + " leave " + remaining);
        }
        return List.copyOf(amounts);
    }

    /**
     * {@code 2 * remaining / sharesLeft} without forming {@code 2 * remaining}, which can overflow:
     * with {@code remaining = q * sharesLeft + r}, it is {@code 2 * q + 2 * r / sharesLeft}. As
     * {@code sharesLeft >= 2}, {@code 2 * q} is at most {@code Long.MAX_VALUE - 1} and the second term at
     * most 1.
     */
    private static long twiceTheMean(long remaining, int sharesLeft) {
        long q = remaining / sharesLeft;
        long r = remaining % sharesLeft;
        return 2 * q + 2 * r / sharesLeft;
    }

    /** A uniform integer in [low, high] from the seed, by rejection sampling (see the class documentation). */
    private static long uniform(byte[] seed, int index, long low, long high) {
        long range = high - low + 1;
        // (2^63 / range) * range, as an unsigned long: Long.MIN_VALUE's bits are 2^63, and the product
        // is at most 2^63, so it is exact in 64 unsigned bits.
        long limit = Long.divideUnsigned(Long.MIN_VALUE, range) * range;
        MessageDigest sha256 = sha256();
        for (int attempt = 0; ; attempt++) {
            byte[] hash = sha256.digest(ByteBuffer.allocate(SEED_BYTES + 2 * Integer.BYTES)
                    .put(seed).putInt(index).putInt(attempt).array());
            long v = ByteBuffer.wrap(hash).getLong() & Long.MAX_VALUE;
            if (Long.compareUnsigned(v, limit) < 0) {
                return low + v % range;
            }
        }
    }

    private static long multiplyOrReject(int shares, long amount) {
        try {
            return Math.multiplyExact(shares, amount);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(shares + " shares of " + amount + " overflow a long", e);
        }
    }

    private static byte[] seedBytes(String seedHex) {
        if (!isValidSeed(seedHex)) {
            throw new IllegalArgumentException("a seed is 64 lowercase hex characters");
        }
        return HEX.parseHex(seedHex);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
