package com.hongbao.ledger.projections.packet;

import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.projections.support.Cursor;
import com.hongbao.ledger.projections.support.Due;
import com.hongbao.ledger.projections.support.Dues;
import com.hongbao.ledger.projections.support.Page;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/** Red packets by id, the packets a user sent or received, and those due to expire. */
public class RedPacketQueries {

    private static final String COLUMNS = "p.packet_id, p.sender_id, p.campaign_id, p.kind, p.currency, p.total_minor, p.shares,"
            + " p.share_amount_minor, p.recipient_id, p.greeting, p.seed_commitment, p.seed, p.min_share_minor,"
            + " p.max_share_minor, p.status, p.grabbed_count, p.grabbed_minor, p.refunded_minor, p.best_luck_id,"
            + " p.best_luck_minor, p.sent_at, p.expires_at, p.finished_at";

    private final JdbcTemplate jdbc;

    public RedPacketQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The packet and every share taken, in grab order. */
    public Optional<PacketView> byId(String packetId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM red_packet p WHERE p.packet_id = ?", RedPacketQueries::summary,
                        packetId).stream().findFirst()
                .map(summary -> new PacketView(summary, grabs(packetId, summary.currency())));
    }

    /** The packets a user sent, newest first. */
    public Page<PacketSummary> sentBy(String userId, String cursor, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM red_packet p WHERE p.sender_id = ?");
        List<Object> args = new ArrayList<>(List.of(userId));
        if (cursor != null) {
            Cursor position = Cursor.decode(cursor);
            sql.append(" AND (p.sent_at, p.packet_id) < (?, ?)");
            args.add(Cursor.timestamp(position.major()));
            args.add(position.minor());
        }
        sql.append(" ORDER BY p.sent_at DESC, p.packet_id DESC LIMIT ?");
        args.add(limit + 1);
        List<PacketSummary> rows = jdbc.query(sql.toString(), RedPacketQueries::summary, args.toArray());
        return page(rows, limit, last -> new Cursor(Cursor.micros(last.sentAt()), last.packetId()));
    }

    /** The packets a user got a share of, newest share first, each with that share. */
    public Page<ReceivedPacket> receivedBy(String userId, String cursor, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + ", g.position, g.amount_minor, g.grabbed_at"
                + " FROM red_packet_grab g JOIN red_packet p ON p.packet_id = g.packet_id WHERE g.grabber_id = ?");
        List<Object> args = new ArrayList<>(List.of(userId));
        if (cursor != null) {
            Cursor position = Cursor.decode(cursor);
            sql.append(" AND (g.grabbed_at, g.packet_id) < (?, ?)");
            args.add(Cursor.timestamp(position.major()));
            args.add(position.minor());
        }
        sql.append(" ORDER BY g.grabbed_at DESC, g.packet_id DESC LIMIT ?");
        args.add(limit + 1);
        List<ReceivedPacket> rows = jdbc.query(sql.toString(), (rs, row) -> {
            PacketSummary packet = summary(rs, row);
            return new ReceivedPacket(packet, new Share(rs.getInt("position"), userId,
                    Money.of(rs.getLong("amount_minor"), packet.currency()), rs.getTimestamp("grabbed_at").toInstant()));
        }, args.toArray());
        return page(rows, limit, last -> new Cursor(Cursor.micros(last.share().grabbedAt()), last.packet().packetId()));
    }

    /** Open packets whose expiry is at or before {@code now}, oldest first, after {@code after} (null: from the first). */
    public List<Due> dueForExpiry(Instant now, Due after, int limit) {
        return Dues.page(jdbc, "SELECT expires_at AS due_at, packet_id AS due_key, packet_id AS due_id FROM red_packet"
                + " WHERE status = 'open' AND expires_at <= ?", "expires_at", "packet_id", now, after, limit);
    }

    private List<Share> grabs(String packetId, String currency) {
        return jdbc.query("SELECT position, grabber_id, amount_minor, grabbed_at FROM red_packet_grab"
                + " WHERE packet_id = ? ORDER BY position", (rs, row) -> new Share(rs.getInt("position"),
                rs.getString("grabber_id"), Money.of(rs.getLong("amount_minor"), currency),
                rs.getTimestamp("grabbed_at").toInstant()), packetId);
    }

    private static <T> Page<T> page(List<T> rows, int limit, java.util.function.Function<T, Cursor> cursorOf) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> items = List.copyOf(rows.subList(0, limit));
        return new Page<>(items, cursorOf.apply(items.get(limit - 1)).encode());
    }

    private static PacketSummary summary(ResultSet rs, int row) throws SQLException {
        String currency = rs.getString("currency");
        long shareAmount = rs.getLong("share_amount_minor");
        Money share = rs.wasNull() ? null : Money.of(shareAmount, currency);
        long bestLuckMinor = rs.getLong("best_luck_minor");
        Money bestLuck = rs.wasNull() ? null : Money.of(bestLuckMinor, currency);
        Timestamp finished = rs.getTimestamp("finished_at");
        return new PacketSummary(rs.getString("packet_id"), rs.getString("sender_id"), rs.getString("campaign_id"),
                rs.getString("kind"), currency,
                Money.of(rs.getLong("total_minor"), currency), rs.getInt("shares"), share,
                rs.getString("recipient_id"), rs.getString("greeting"), rs.getString("seed_commitment"),
                rs.getString("seed"), rs.getLong("min_share_minor"), rs.getLong("max_share_minor"),
                rs.getString("status"), rs.getInt("grabbed_count"), Money.of(rs.getLong("grabbed_minor"), currency),
                Money.of(rs.getLong("refunded_minor"), currency), rs.getString("best_luck_id"), bestLuck,
                rs.getTimestamp("sent_at").toInstant(), rs.getTimestamp("expires_at").toInstant(),
                finished == null ? null : finished.toInstant());
    }

    /**
     * A packet without its shares. {@code senderId} is null for a packet a campaign issued
     * ({@code campaignId} is then set). {@code seed} is null until the packet is emptied or expires;
     * {@code shareAmount} is null for a lucky packet; {@code bestLuck*} are set once emptied.
     */
    public record PacketSummary(String packetId, String senderId, String campaignId, String kind, String currency, Money total,
                                int shares, Money shareAmount, String recipientId, String greeting,
                                String seedCommitment, String seed, long minShareMinor, long maxShareMinor,
                                String status, int grabbedCount, Money grabbed, Money refunded, String bestLuckUserId,
                                Money bestLuckAmount, Instant sentAt, Instant expiresAt, Instant finishedAt) {
    }

    /** One share taken: its position in grab order, who took it, how much and when. */
    public record Share(int position, String userId, Money amount, Instant grabbedAt) {
    }

    public record PacketView(PacketSummary packet, List<Share> grabs) {
    }

    public record ReceivedPacket(PacketSummary packet, Share share) {
    }
}
