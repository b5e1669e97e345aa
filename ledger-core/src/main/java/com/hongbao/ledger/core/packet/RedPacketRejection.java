package com.hongbao.ledger.core.packet;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.id.PacketId;

/** Why a red packet could not be sent or opened. */
public final class RedPacketRejection {

    private RedPacketRejection() {
    }

    /** Unknown, or not visible to the caller: the two are deliberately indistinguishable. */
    public static final class PacketNotFound extends LedgerRejection {
        public PacketNotFound(PacketId packetId) {
            super("packet_not_found", "no red packet " + packetId);
        }
    }

    public static final class InvalidPacket extends LedgerRejection {
        public InvalidPacket(String code, String message) {
            super(code, message);
        }
    }
}
