package com.hongbao.ledger.core.packet;

import com.hongbao.ledger.core.LedgerRejection;

/** Why a red packet could not be sent or opened. */
public final class RedPacketRejection {

    private RedPacketRejection() {
    }

    public static final class InvalidPacket extends LedgerRejection {
        public InvalidPacket(String code, String message) {
            super(code, message);
        }
    }
}
