package com.hongbao.ledger.projections.campaign;

import com.hongbao.ledger.core.campaign.CampaignEvent.CampaignCreated;
import com.hongbao.ledger.core.campaign.CampaignEvent.CampaignEnded;
import com.hongbao.ledger.core.campaign.CampaignEvent.CampaignPacketIssued;
import com.hongbao.ledger.core.campaign.CampaignEvent.CampaignPacketReturned;
import com.hongbao.ledger.core.campaign.CampaignTerms;
import com.hongbao.ledger.core.money.Money;
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
 * Campaigns and their packets. Updates of a campaign row are guarded by the campaign's event
 * sequence number; a packet's claim and expiry are set once (only while still unset), so
 * redelivery and replay write the same rows.
 */
@ProcessingGroup(CampaignProjection.PROCESSING_GROUP)
public class CampaignProjection {

    public static final String PROCESSING_GROUP = "campaigns";

    private final JdbcTemplate jdbc;

    public CampaignProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(CampaignCreated event, @SequenceNumber long sequence) {
        CampaignTerms terms = event.terms();
        jdbc.update("INSERT INTO campaign (campaign_id, merchant_id, name, currency, budget_minor, starts_at, ends_at,"
                        + " per_user_max_count, per_user_max_minor, daily_max_minor, fixed_minor, min_minor, max_minor,"
                        + " status, remaining_minor, returned_to_merchant_minor, returned_to_merchant_count, created_at,"
                        + " last_sequence) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,'active',?,0,0,?,?)"
                        + " ON CONFLICT (campaign_id) DO NOTHING",
                event.campaignId().value(), event.merchantId().value(), terms.name(),
                terms.budget().currency().getCurrencyCode(), terms.budget().minor(), Timestamp.from(terms.startsAt()),
                Timestamp.from(terms.endsAt()), terms.perUserMaxCount(), terms.perUserMaxAmount().minor(),
                terms.dailyMaxAmount().minor(), minor(terms.fixedAmount()), minor(terms.minAmount()),
                minor(terms.maxAmount()), terms.budget().minor(), Timestamp.from(event.at()), sequence);
    }

    @EventHandler
    void on(CampaignPacketIssued event, @SequenceNumber long sequence) {
        jdbc.update("UPDATE campaign SET remaining_minor = ?, last_sequence = ? WHERE campaign_id = ?"
                + " AND last_sequence < ?", event.remainingAfter().minor(), sequence, event.campaignId().value(), sequence);
    }

    @EventHandler
    void on(CampaignPacketReturned event, @SequenceNumber long sequence) {
        if (event.toMerchant()) {
            jdbc.update("UPDATE campaign SET returned_to_merchant_minor = returned_to_merchant_minor + ?,"
                            + " returned_to_merchant_count = returned_to_merchant_count + 1, last_sequence = ?"
                            + " WHERE campaign_id = ? AND last_sequence < ?", event.amount().minor(), sequence,
                    event.campaignId().value(), sequence);
        } else {
            jdbc.update("UPDATE campaign SET remaining_minor = remaining_minor + ?, last_sequence = ?"
                    + " WHERE campaign_id = ? AND last_sequence < ?", event.amount().minor(), sequence,
                    event.campaignId().value(), sequence);
        }
    }

    @EventHandler
    void on(CampaignEnded event, @SequenceNumber long sequence) {
        jdbc.update("UPDATE campaign SET status = 'ended', ended_at = ?, remaining_minor = 0,"
                        + " returned_to_merchant_minor = returned_to_merchant_minor + ?,"
                        + " returned_to_merchant_count = returned_to_merchant_count + ?, last_sequence = ?"
                        + " WHERE campaign_id = ? AND last_sequence < ?", Timestamp.from(event.at()),
                event.returned().minor(), event.returned().isZero() ? 0 : 1, sequence, event.campaignId().value(),
                sequence);
    }

    /**
     * A campaign packet's row comes from the packet's own first event, so its grab and expiry (later
     * events of the same packet) always find it.
     */
    @EventHandler
    void on(RedPacketSent event) {
        if (event.campaignId() != null) {
            jdbc.update("INSERT INTO campaign_packet (packet_id, campaign_id, user_id, amount_minor, issued_at)"
                            + " VALUES (?,?,?,?,?) ON CONFLICT (packet_id) DO NOTHING", event.packetId().value(),
                    event.campaignId().value(), event.recipient().value(), event.total().minor(),
                    Timestamp.from(event.sentAt()));
        }
    }

    /** Any packet's grab; only a campaign packet has a row to mark. */
    @EventHandler
    void on(RedPacketGrabbed event) {
        jdbc.update("UPDATE campaign_packet SET claimed_at = ? WHERE packet_id = ? AND claimed_at IS NULL",
                Timestamp.from(event.at()), event.packetId().value());
    }

    @EventHandler
    void on(RedPacketExpired event) {
        if (event.campaignId() != null) {
            jdbc.update("UPDATE campaign_packet SET expired_at = ? WHERE packet_id = ? AND expired_at IS NULL",
                    Timestamp.from(event.at()), event.packetId().value());
        }
    }

    @ResetHandler
    void reset() {
        jdbc.execute("TRUNCATE campaign, campaign_packet");
    }

    private static Long minor(Money money) {
        return money == null ? null : money.minor();
    }
}
