package com.hongbao.ledger.projections.packet;

import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketEmptied;
import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketExpired;
import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketGrabbed;
import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketSent;
import java.sql.Timestamp;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Red packets as their senders and members see them. Inserts are idempotent by key and updates
 * are guarded by the packet's event sequence number, so a redelivered batch or a replay writes
 * the same rows. The seed is stored only from the event that reveals it.
 */
@ProcessingGroup(RedPacketProjection.PROCESSING_GROUP)
public class RedPacketProjection {

    public static final String PROCESSING_GROUP = "red-packets";

    private final JdbcTemplate jdbc;

    public RedPacketProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(RedPacketSent event, @SequenceNumber long sequence) {
        String packetId = event.packetId().value();
        jdbc.update("INSERT INTO red_packet (packet_id, sender_id, campaign_id, kind, currency, total_minor, shares,"
                        + " share_amount_minor, recipient_id, greeting, seed_commitment, min_share_minor, max_share_minor,"
                        + " status, grabbed_count, grabbed_minor, refunded_minor, sent_at, expires_at, last_sequence)"
                        + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,'open',0,0,0,?,?,?) ON CONFLICT (packet_id) DO NOTHING",
                packetId, event.sender() == null ? null : event.sender().value(),
                event.campaignId() == null ? null : event.campaignId().value(), event.kind().code(), event.total().currency().getCurrencyCode(),
                event.total().minor(), event.shares(), event.shareAmount() == null ? null : event.shareAmount().minor(),
                event.recipient() == null ? null : event.recipient().value(), event.greeting(), event.seedCommitment(),
                event.minShareMinor(), event.maxShareMinor(), Timestamp.from(event.sentAt()),
                Timestamp.from(event.expiresAt()), sequence);
    }

    @EventHandler
    void on(RedPacketGrabbed event, @SequenceNumber long sequence) {
        String packetId = event.packetId().value();
        jdbc.update("INSERT INTO red_packet_grab (packet_id, position, grabber_id, amount_minor, grabbed_at)"
                        + " VALUES (?,?,?,?,?) ON CONFLICT (packet_id, position) DO NOTHING", packetId, event.position(),
                event.grabber().value(), event.amount().minor(), Timestamp.from(event.at()));
        jdbc.update("UPDATE red_packet SET grabbed_count = grabbed_count + 1, grabbed_minor = grabbed_minor + ?,"
                + " last_sequence = ? WHERE packet_id = ? AND last_sequence < ?", event.amount().minor(), sequence,
                packetId, sequence);
    }

    @EventHandler
    void on(RedPacketEmptied event, @SequenceNumber long sequence) {
        jdbc.update("UPDATE red_packet SET status = 'emptied', best_luck_id = ?, best_luck_minor = ?, seed = ?,"
                        + " finished_at = ?, last_sequence = ? WHERE packet_id = ? AND last_sequence < ?",
                event.bestLuck().value(), event.bestLuckAmount().minor(), event.seed(), Timestamp.from(event.at()),
                sequence, event.packetId().value(), sequence);
    }

    @EventHandler
    void on(RedPacketExpired event, @SequenceNumber long sequence) {
        jdbc.update("UPDATE red_packet SET status = 'expired', refunded_minor = ?, seed = ?, finished_at = ?,"
                        + " last_sequence = ? WHERE packet_id = ? AND last_sequence < ?", event.refund().minor(),
                event.seed(), Timestamp.from(event.at()), sequence, event.packetId().value(), sequence);
    }

    @ResetHandler
    void reset() {
        jdbc.execute("TRUNCATE red_packet, red_packet_grab");
    }
}
