package com.hongbao.ledger.api.packets;

import com.hongbao.ledger.api.deadlines.DueSweep;
import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.packet.RedPacketCommand.ExpireRedPacket;
import com.hongbao.ledger.projections.packet.RedPacketQueries;
import java.time.Clock;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Expires red packets nobody emptied in time: each open packet past its expiry gets an
 * {@link ExpireRedPacket}. The packet decides again, so a last grab racing the expiry can neither
 * lose its share nor be refunded as well. The refund reaches the sender (or the campaign) through
 * {@code RedPacketCreditor}.
 */
public class RedPacketExpirySweep {

    private final DueSweep sweep;
    private final Clock clock;

    public RedPacketExpirySweep(RedPacketQueries packets, CommandGateway commandGateway, Clock clock) {
        this.sweep = new DueSweep("red packet", packets::dueForExpiry,
                (id, now) -> new ExpireRedPacket(new PacketId(id), now), commandGateway);
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${ledger.red-packets.expiry-sweep-interval:PT30S}",
            initialDelayString = "${ledger.red-packets.expiry-sweep-interval:PT30S}")
    public void scheduled() {
        sweep();
    }

    /** Expires every packet due at the clock's current instant; returns how many expired. */
    public int sweep() {
        return sweep.sweep(clock.instant());
    }
}
