package com.hongbao.ledger.core.packet;

import com.hongbao.ledger.core.id.CampaignId;
import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.Money;
import java.time.Instant;
import java.util.List;

/**
 * Facts about a {@link RedPacket}. They move no money themselves: the sender's wallet debits
 * into the packet's escrow, and the wallets credit out of it, each with its own postings.
 */
public sealed interface RedPacketEvent {

    PacketId packetId();

    /**
     * The packet was sent. {@code seedCommitment} (SHA-256 of the seed) is public from here on;
     * the seed itself is in the event only sealed ({@link SeedVault}) and is revealed by the event
     * that empties or expires the packet, so every lucky draw was fixed before the first grab and
     * nobody reading the event store can foresee one.
     *
     * @param shareAmount each share of a fixed kind; null for a lucky packet
     * @param seed the seed in plain form: only in packets sent before seeds were sealed; null since
     * @param sealedSeed the secret of a lucky packet's draws, sealed for this packet; null for the
     *                   fixed kinds (and in packets sent before seeds were sealed)
     * @param campaignId the campaign that issued the packet (then {@code sender} and {@code senderWallet}
     *                   are null); null for a packet a user sent
     */
    record RedPacketSent(PacketId packetId, UserId sender, WalletId senderWallet, RedPacketKind kind, Money total,
                         int shares, Money shareAmount, List<UserId> members, UserId recipient, String greeting,
                         String seedCommitment, String seed, String sealedSeed, long minShareMinor, long maxShareMinor,
                         Instant sentAt, Instant expiresAt, CampaignId campaignId) implements RedPacketEvent {
    }

    /** A share was taken; the wallet of the grabber is credited with {@code amount} by {@link RedPacketCreditor}. */
    record RedPacketGrabbed(PacketId packetId, UserId grabber, WalletId grabberWallet, int position, Money amount,
                            Money remainingAfter, Instant at) implements RedPacketEvent {
    }

    /** The last share was taken. Best luck is the largest share, the earliest on a tie. */
    record RedPacketEmptied(PacketId packetId, UserId bestLuck, Money bestLuckAmount, String seed, Instant at)
            implements RedPacketEvent {
    }

    /**
     * The packet expired with shares unclaimed; {@code refund} returns to the sender's wallet, or
     * to the campaign that issued it.
     */
    record RedPacketExpired(PacketId packetId, UserId sender, WalletId senderWallet, Money refund, int sharesUnclaimed,
                            String seed, Instant at, CampaignId campaignId) implements RedPacketEvent {
    }
}
