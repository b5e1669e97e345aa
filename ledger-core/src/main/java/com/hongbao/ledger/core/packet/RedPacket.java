package com.hongbao.ledger.core.packet;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.hongbao.ledger.core.campaign.CampaignCommand.IssueCampaignPacket;
import com.hongbao.ledger.core.id.CampaignId;
import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.packet.RedPacketCommand.ExpireRedPacket;
import com.hongbao.ledger.core.packet.RedPacketCommand.Grab;
import com.hongbao.ledger.core.packet.RedPacketCommand.GrabRedPacket;
import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketEmptied;
import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketExpired;
import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketGrabbed;
import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketSent;
import com.hongbao.ledger.core.wallet.WalletCommand.SendRedPacket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/**
 * One red packet: its escrowed amount, who may open it and the shares taken. It is created by
 * the sender's {@code Wallet} in the unit of work that moves the whole amount into its escrow.
 * Every grab is decided here, in order, so "at most one share per member", "first come, first
 * served" and "the last grab against the expiry" need no other coordination. A batch of grabs is
 * one command, so a hot packet commits many grabs per transaction.
 */
public class RedPacket {

    @AggregateIdentifier
    private PacketId packetId;
    private UserId sender;
    private WalletId senderWallet;
    private CampaignId campaignId;
    private RedPacketKind kind;
    private Currency currency;
    private int shares;
    private long shareAmountMinor;
    private long remainingMinor;
    private Set<UserId> members;
    private UserId recipient;
    /** Recorded in plain form: only by packets sent before seeds were sealed. */
    private String seed;
    private String sealedSeed;
    /** The sealed seed once opened: a cache of what the events say, not state of its own. */
    private transient String openedSeed;
    private long minShareMinor;
    private long maxShareMinor;
    private Instant expiresAt;
    private final Map<UserId, Long> grabbedMinor = new HashMap<>();
    private UserId bestLuck;
    private long bestLuckMinor;
    private boolean open;

    /** For Axon's event sourcing. */
    protected RedPacket() {
    }

    /**
     * Called by the sender's wallet, which has already moved {@code terms.total()} into the escrow.
     * A lucky packet's seed is recorded only sealed; its commitment is public.
     */
    public RedPacket(UserId sender, SendRedPacket command, RedPacketTerms terms, SeedVault vault) {
        String commitment = command.seed() == null ? null : LuckySplit.commitment(command.seed());
        String sealed = command.seed() == null ? null : vault.seal(command.packetId(), command.seed());
        apply(new RedPacketSent(command.packetId(), sender, command.walletId(), terms.kind(), terms.total(),
                terms.shares(), terms.shareAmount(), terms.members(), terms.recipient(), terms.greeting(), commitment,
                null, sealed, command.limits().minShareMinor(), command.limits().maxShareMinor(), command.at(),
                command.at().plus(command.ttl()), null));
    }

    /** Called by a campaign, which has already moved {@code amount} from its budget into the escrow. */
    public RedPacket(CampaignId campaignId, IssueCampaignPacket command, Money amount, String greeting) {
        apply(new RedPacketSent(command.packetId(), null, null, RedPacketKind.CAMPAIGN, amount, 1, amount, List.of(),
                command.recipient(), greeting, null, null, null, amount.minor(), amount.minor(), command.at(),
                command.at().plus(command.ttl()), campaignId));
    }

    @CommandHandler
    public GrabDecisions handle(GrabRedPacket command, SeedVault vault) {
        List<GrabOutcome> outcomes = new ArrayList<>(command.grabs().size());
        for (Grab grab : command.grabs()) {
            outcomes.add(grab(grab, command.at(), vault));
        }
        if (grabbedMinor.size() == shares) {
            return GrabDecisions.closed(outcomes, "packet_emptied", sharesTaken());
        }
        // Only the expiry event makes expiry final: until then a grab stamped before the expiry
        // instant (by a node whose clock is behind this command's) may still take a share.
        if (!open) {
            return GrabDecisions.closed(outcomes, "packet_expired", sharesTaken());
        }
        return GrabDecisions.open(outcomes);
    }

    private Map<UserId, Money> sharesTaken() {
        Map<UserId, Money> taken = new HashMap<>();
        grabbedMinor.forEach((grabber, minor) -> taken.put(grabber, Money.of(minor, currency)));
        return taken;
    }

    private GrabOutcome grab(Grab grab, Instant at, SeedVault vault) {
        UserId grabber = grab.grabber();
        if (!maysee(grabber)) {
            // Someone outside the packet learns nothing, not even that it exists.
            return GrabOutcome.refused(grabber, "packet_not_found");
        }
        String ineligible = ineligibility(recipient, members, grabber);
        if (ineligible != null) {
            return GrabOutcome.refused(grabber, ineligible);
        }
        Long already = grabbedMinor.get(grabber);
        if (already != null) {
            return new GrabOutcome(grabber, "already_grabbed", Money.of(already, currency), -1);
        }
        if (grabbedMinor.size() == shares) {
            return GrabOutcome.refused(grabber, "packet_emptied");
        }
        if (!open || !at.isBefore(expiresAt)) {
            return GrabOutcome.refused(grabber, "packet_expired");
        }
        int position = grabbedMinor.size();
        int sharesLeft = shares - position;
        long amount = kind == RedPacketKind.GROUP_LUCKY
                ? LuckySplit.draw(seed(vault), position, remainingMinor, sharesLeft, minShareMinor, maxShareMinor)
                : shareAmountMinor;
        apply(new RedPacketGrabbed(packetId, grabber, grab.wallet(), position, Money.of(amount, currency),
                Money.of(remainingMinor - amount, currency), at));
        if (sharesLeft == 1) {
            apply(new RedPacketEmptied(packetId, bestLuck, Money.of(bestLuckMinor, currency), seed(vault), at));
        }
        return GrabOutcome.won(grabber, Money.of(amount, currency), position);
    }

    /** Returns whether the packet expired now; {@code false} if it was emptied or expired before. */
    @CommandHandler
    public boolean handle(ExpireRedPacket command, SeedVault vault) {
        if (!open) {
            return false;
        }
        if (command.at().isBefore(expiresAt)) {
            throw new IllegalStateException("packet " + packetId + " expires at " + expiresAt + ", not " + command.at());
        }
        apply(new RedPacketExpired(packetId, sender, senderWallet, Money.of(remainingMinor, currency),
                shares - grabbedMinor.size(), seed(vault), command.at(), campaignId));
        return true;
    }

    /** A lucky packet's seed, opened once when first needed; null for the fixed kinds. */
    private String seed(SeedVault vault) {
        if (seed != null || sealedSeed == null) {
            return seed;
        }
        if (openedSeed == null) {
            openedSeed = vault.open(packetId, sealedSeed);
        }
        return openedSeed;
    }

    /**
     * Why someone who sees a packet may never grab it, or null if they may: a packet for one
     * recipient is theirs alone; a group packet is for its members (its sender may not be one).
     * The API answers these from the sent event before anything else, in the same words.
     */
    public static String ineligibility(UserId recipient, Set<UserId> members, UserId grabber) {
        if (recipient != null && !recipient.equals(grabber)) {
            return "packet_for_another_member";
        }
        if (recipient == null && !members.contains(grabber)) {
            return "not_group_member";
        }
        return null;
    }

    /** The sender, the recipient and the members see the packet; nobody else knows it exists. */
    private boolean maysee(UserId user) {
        return user.equals(sender) || user.equals(recipient) || members.contains(user);
    }

    @EventSourcingHandler
    void on(RedPacketSent event) {
        packetId = event.packetId();
        sender = event.sender();
        senderWallet = event.senderWallet();
        campaignId = event.campaignId();
        kind = event.kind();
        currency = event.total().currency();
        shares = event.shares();
        shareAmountMinor = event.shareAmount() == null ? 0 : event.shareAmount().minor();
        remainingMinor = event.total().minor();
        members = new HashSet<>(event.members());
        recipient = event.recipient();
        seed = event.seed();
        sealedSeed = event.sealedSeed();
        minShareMinor = event.minShareMinor();
        maxShareMinor = event.maxShareMinor();
        expiresAt = event.expiresAt();
        open = true;
    }

    @EventSourcingHandler
    void on(RedPacketGrabbed event) {
        grabbedMinor.put(event.grabber(), event.amount().minor());
        remainingMinor = event.remainingAfter().minor();
        // Strictly greater: on a tie the earliest share keeps the best luck.
        if (bestLuck == null || event.amount().minor() > bestLuckMinor) {
            bestLuck = event.grabber();
            bestLuckMinor = event.amount().minor();
        }
    }

    @EventSourcingHandler
    void on(RedPacketEmptied event) {
        open = false;
    }

    @EventSourcingHandler
    void on(RedPacketExpired event) {
        open = false;
        remainingMinor = 0;
    }
}
