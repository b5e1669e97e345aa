package com.hongbao.ledger.api.packets;

import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.packet.RedPacketCommand.ExpireRedPacket;
import com.hongbao.ledger.projections.packet.RedPacketQueries;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Expires red packets nobody emptied in time. It finds them in the read model and sends each an
 * {@link ExpireRedPacket}; the packet aggregate decides again, so a stale read model, a restart,
 * two nodes sweeping at once, or a last grab racing the expiry cannot refund twice or refund a
 * share that was taken. The refund reaches the sender through {@code RedPacketCreditor}.
 */
public class RedPacketExpirySweep {

    private static final Logger LOG = LoggerFactory.getLogger(RedPacketExpirySweep.class);
    private static final int BATCH = 500;

    private final RedPacketQueries packets;
    private final CommandGateway commandGateway;
    private final Clock clock;

    public RedPacketExpirySweep(RedPacketQueries packets, CommandGateway commandGateway, Clock clock) {
        this.packets = packets;
        this.commandGateway = commandGateway;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${ledger.red-packets.expiry-sweep-interval:PT30S}",
            initialDelayString = "${ledger.red-packets.expiry-sweep-interval:PT30S}")
    public void scheduled() {
        sweep();
    }

    /** Expires every packet due at the clock's current instant; returns how many expired. */
    public int sweep() {
        int expired = 0;
        Instant now = clock.instant();
        List<String> due;
        int expiredInBatch;
        do {
            due = packets.dueForExpiry(now, BATCH);
            expiredInBatch = 0;
            for (String packetId : due) {
                try {
                    if (Boolean.TRUE.equals(commandGateway.sendAndWait(new ExpireRedPacket(new PacketId(packetId), now)))) {
                        expiredInBatch++;
                    }
                } catch (RuntimeException e) {
                    LOG.warn("could not expire red packet {}; the next sweep retries", packetId, e);
                }
            }
            expired += expiredInBatch;
            // The read model trails the commands: a full batch that expired nothing new means it has not caught up yet.
        } while (due.size() == BATCH && expiredInBatch > 0);
        return expired;
    }
}
