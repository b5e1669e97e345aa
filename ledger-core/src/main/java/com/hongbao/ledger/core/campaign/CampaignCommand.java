package com.hongbao.ledger.core.campaign;

import com.hongbao.ledger.core.id.CampaignId;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.money.Money;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Commands about brand campaigns. */
public sealed interface CampaignCommand {

    /**
     * Set a campaign's budget aside from the merchant's settlement balance. {@code creditedMinorSeen}
     * is the total ever credited to the merchant's settlement account as the journal shows it (it
     * can only lag, so the balance it implies is never more than the merchant has).
     */
    record FundCampaign(@TargetAggregateIdentifier MerchantId merchantId, CampaignId campaignId, CampaignTerms terms,
                        long creditedMinorSeen, long minShareMinor, long maxShareMinor, Instant at)
            implements CampaignCommand {
    }

    /**
     * Issue one packet to a user, for that user only, expiring after {@code ttl}. {@code draw} is a
     * random number drawn by the caller, from which a random-amount campaign derives the amount;
     * {@code day} is {@code at}'s date in the platform's time zone, for the daily cap.
     */
    record IssueCampaignPacket(@TargetAggregateIdentifier CampaignId campaignId, MerchantId merchantId,
                               PacketId packetId, UserId recipient, long draw, LocalDate day, Duration ttl,
                               Instant at) implements CampaignCommand {
    }

    /** Take back the unclaimed amount of an expired campaign packet; a repeat changes nothing. */
    record ReturnCampaignPacket(@TargetAggregateIdentifier CampaignId campaignId, PacketId packetId, Money amount,
                                Instant at) implements CampaignCommand {
    }

    /** End the campaign at or after its end: the unissued budget returns to the merchant; a repeat changes nothing. */
    record EndCampaign(@TargetAggregateIdentifier CampaignId campaignId, Instant at) implements CampaignCommand {
    }
}
