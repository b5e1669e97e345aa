package com.hongbao.ledger.core.packet;

/**
 * The configured limits a packet is sent under, in minor units: each share at least
 * {@code minShareMinor} and at most {@code maxShareMinor}, at most {@code maxShares} shares and at
 * most {@code maxGroupSize} members. They travel with the send command and are recorded in the
 * event, so a later change of configuration never changes how an existing packet is decided.
 */
public record PacketLimits(long minShareMinor, long maxShareMinor, int maxShares, int maxGroupSize) {

    public PacketLimits {
        if (minShareMinor < 1 || maxShareMinor < minShareMinor || maxShares < 1 || maxGroupSize < 1) {
            throw new IllegalArgumentException("invalid red packet limits: min " + minShareMinor + ", max "
                    + maxShareMinor + ", shares " + maxShares + ", group " + maxGroupSize);
        }
    }

    /** The defaults: 0.01 to 200.00 a share (in a two-decimal currency), 100 shares, 500 members. */
    public static PacketLimits defaults() {
        return new PacketLimits(1, 20_000, 100, 500);
    }
}
