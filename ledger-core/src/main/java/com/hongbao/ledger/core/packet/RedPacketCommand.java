package com.hongbao.ledger.core.packet;

import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import java.time.Instant;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Commands decided by the {@link RedPacket} aggregate. */
public sealed interface RedPacketCommand {

    PacketId packetId();

    /**
     * One or more grab attempts, decided in the order given within one unit of work (one database
     * transaction for a whole burst on a hot packet). Each attempt gets its own {@link GrabOutcome}.
     */
    record GrabRedPacket(@TargetAggregateIdentifier PacketId packetId, List<Grab> grabs, Instant at)
            implements RedPacketCommand {

        public GrabRedPacket {
            grabs = List.copyOf(grabs);
            if (grabs.isEmpty()) {
                throw new IllegalArgumentException("a grab command carries at least one attempt");
            }
        }
    }

    /** Who is grabbing, and the wallet (in the packet's currency) their share goes to. */
    record Grab(UserId grabber, WalletId wallet) {
    }

    /** Return what is unclaimed to the sender, if the packet is past its expiry and still open; otherwise nothing. */
    record ExpireRedPacket(@TargetAggregateIdentifier PacketId packetId, Instant at) implements RedPacketCommand {
    }
}
