package com.hongbao.ledger.core.packet;

import com.hongbao.ledger.core.id.PacketId;

/**
 * Keeps a lucky packet's seed unreadable in the event store until the packet reveals it (when it
 * is emptied or expires). {@code RedPacketSent} carries the seed sealed for its packet; only the
 * packet's own commands open it, with the key the vault holds outside the database. Whoever reads
 * the event store alone cannot work out the draws of an open packet.
 */
public interface SeedVault {

    /** The seed, sealed so that only {@link #open} for the same packet gives it back. */
    String seal(PacketId packet, String seed);

    /** The seed sealed for the packet; throws {@link IllegalStateException} if it was not sealed for it with this key. */
    String open(PacketId packet, String sealed);
}
