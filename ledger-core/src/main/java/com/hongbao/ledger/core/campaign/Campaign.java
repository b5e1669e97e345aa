package com.hongbao.ledger.core.campaign;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.createNew;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.campaign.CampaignCommand.EndCampaign;
import com.hongbao.ledger.core.campaign.CampaignCommand.FundCampaign;
import com.hongbao.ledger.core.campaign.CampaignCommand.IssueCampaignPacket;
import com.hongbao.ledger.core.campaign.CampaignCommand.ReturnCampaignPacket;
import com.hongbao.ledger.core.campaign.CampaignEvent.CampaignCreated;
import com.hongbao.ledger.core.campaign.CampaignEvent.CampaignEnded;
import com.hongbao.ledger.core.campaign.CampaignEvent.CampaignPacketIssued;
import com.hongbao.ledger.core.campaign.CampaignEvent.CampaignPacketReturned;
import com.hongbao.ledger.core.id.CampaignId;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.packet.RedPacket;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/**
 * A merchant's brand campaign: its budget (money in its own account), the packets issued from
 * it, and the caps that bound issuance. Created by the merchant's aggregate in the unit of work
 * that moves the budget out of the settlement balance. Every issuance is decided here, so the
 * budget, the per-user caps and the daily cap can never be exceeded, however many issuances race.
 */
public class Campaign {

    @AggregateIdentifier
    private CampaignId campaignId;
    private MerchantId merchantId;
    private CampaignTerms terms;
    private long remainingMinor;
    private boolean ended;
    private final Map<UserId, Integer> issuedCountByUser = new HashMap<>();
    private final Map<UserId, Long> issuedMinorByUser = new HashMap<>();
    private final Map<LocalDate, Long> issuedMinorByDay = new HashMap<>();
    private final Set<PacketId> returnedPackets = new HashSet<>();

    /** For Axon's event sourcing. */
    protected Campaign() {
    }

    /** Called by the merchant, which has already moved the budget into the campaign's account. */
    public Campaign(FundCampaign command) {
        apply(new CampaignCreated(command.campaignId(), command.merchantId(), command.terms(), command.at()));
    }

    @CommandHandler
    public IssuedPacket handle(IssueCampaignPacket command) throws Exception {
        if (!merchantId.equals(command.merchantId())) {
            // Worded as the refusal of a campaign that does not exist: someone else's reads alike.
            throw new LedgerRejection("campaign_not_found", "no campaign " + command.campaignId());
        }
        if (command.at().isBefore(terms.startsAt())) {
            throw new LedgerRejection("campaign_not_started", "the campaign starts at " + terms.startsAt());
        }
        if (ended || !command.at().isBefore(terms.endsAt())) {
            throw new LedgerRejection("campaign_ended", "the campaign has ended");
        }
        UserId user = command.recipient();
        if (issuedCountByUser.getOrDefault(user, 0) >= terms.perUserMaxCount()) {
            throw new LedgerRejection("campaign_user_count_cap_reached",
                    "this user was issued the most packets the campaign allows per user");
        }
        long userLeft = terms.perUserMaxAmount().minor() - issuedMinorByUser.getOrDefault(user, 0L);
        long dayLeft = terms.dailyMaxAmount().minor() - issuedMinorByDay.getOrDefault(command.day(), 0L);
        long smallest = terms.fixedAmount() != null ? terms.fixedAmount().minor() : terms.minAmount().minor();
        if (remainingMinor < smallest) {
            throw new LedgerRejection("campaign_budget_exhausted", "the campaign's budget is spent");
        }
        if (userLeft < smallest) {
            throw new LedgerRejection("campaign_user_amount_cap_reached",
                    "this user was issued the most money the campaign allows per user");
        }
        if (dayLeft < smallest) {
            throw new LedgerRejection("campaign_daily_cap_reached", "the campaign issued all it may today");
        }
        long amount = terms.fixedAmount() != null ? terms.fixedAmount().minor() : randomAmount(command.draw());
        // A random amount is trimmed to what the budget and the caps still allow (never below the minimum).
        amount = Math.min(amount, Math.min(remainingMinor, Math.min(userLeft, dayLeft)));
        Money packetAmount = Money.of(amount, terms.budget().currency());
        apply(new CampaignPacketIssued(campaignId, merchantId, command.packetId(), user, packetAmount,
                Money.of(remainingMinor - amount, terms.budget().currency()), command.day(), command.at()));
        createNew(RedPacket.class, () -> new RedPacket(campaignId, command, packetAmount, terms.name()));
        return new IssuedPacket(command.packetId(), campaignId, user, packetAmount,
                Money.of(remainingMinor, terms.budget().currency()), command.at().plus(command.ttl()));
    }

    /** Returns whether the amount came back now; {@code false} for a packet already returned. */
    @CommandHandler
    public boolean handle(ReturnCampaignPacket command) {
        if (returnedPackets.contains(command.packetId())) {
            return false;
        }
        terms.budget().requireSameCurrency(command.amount());
        apply(new CampaignPacketReturned(campaignId, merchantId, command.packetId(), command.amount(), ended,
                command.at()));
        return true;
    }

    /** Returns whether the campaign ended now; {@code false} if it had ended before. */
    @CommandHandler
    public boolean handle(EndCampaign command) {
        if (ended) {
            return false;
        }
        if (command.at().isBefore(terms.endsAt())) {
            throw new IllegalStateException("campaign " + campaignId + " ends at " + terms.endsAt() + ", not " + command.at());
        }
        apply(new CampaignEnded(campaignId, merchantId, Money.of(remainingMinor, terms.budget().currency()), command.at()));
        return true;
    }

    /** Uniform in [min, max] from the caller's random draw. */
    private long randomAmount(long draw) {
        long min = terms.minAmount().minor();
        long span = terms.maxAmount().minor() - min + 1;
        return min + Math.floorMod(draw, span);
    }

    @EventSourcingHandler
    void on(CampaignCreated event) {
        campaignId = event.campaignId();
        merchantId = event.merchantId();
        terms = event.terms();
        remainingMinor = event.terms().budget().minor();
    }

    @EventSourcingHandler
    void on(CampaignPacketIssued event) {
        long amount = event.amount().minor();
        remainingMinor = event.remainingAfter().minor();
        issuedCountByUser.merge(event.recipient(), 1, Integer::sum);
        issuedMinorByUser.merge(event.recipient(), amount, Long::sum);
        issuedMinorByDay.merge(event.day(), amount, Long::sum);
    }

    @EventSourcingHandler
    void on(CampaignPacketReturned event) {
        returnedPackets.add(event.packetId());
        if (!event.toMerchant()) {
            remainingMinor += event.amount().minor();
        }
    }

    @EventSourcingHandler
    void on(CampaignEnded event) {
        ended = true;
        remainingMinor = 0;
    }
}
