package com.hongbao.ledger.core.packet;

import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.Money;

/** What sending a packet did: the total taken into escrow and what the sender's wallet has left. */
public record PacketReceipt(PacketId packetId, WalletId walletId, Money total, Money availableAfter) {
}
