package com.hongbao.ledger.core.packet;

import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.Money;
import java.time.Instant;

/**
 * What sending a packet did: the total taken into escrow, the commitment to a lucky packet's
 * seed (null for the fixed kinds), when it expires, and what the sender's wallet has left.
 */
public record PacketReceipt(PacketId packetId, WalletId walletId, RedPacketKind kind, Money total, int shares,
                            String seedCommitment, Instant expiresAt, Money availableAfter) {
}
