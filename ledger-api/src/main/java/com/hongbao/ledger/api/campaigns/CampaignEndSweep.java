package com.hongbao.ledger.api.campaigns;

import com.hongbao.ledger.api.deadlines.DueSweep;
import com.hongbao.ledger.core.campaign.CampaignCommand.EndCampaign;
import com.hongbao.ledger.core.id.CampaignId;
import com.hongbao.ledger.projections.campaign.CampaignQueries;
import java.time.Clock;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Ends campaigns past their end: each gets an {@link EndCampaign}, which returns the unissued
 * budget to the merchant exactly once (the campaign decides again, so a repeat changes nothing).
 */
public class CampaignEndSweep {

    private final DueSweep sweep;
    private final Clock clock;

    public CampaignEndSweep(CampaignQueries campaigns, CommandGateway commandGateway, Clock clock) {
        this.sweep = new DueSweep("campaign", campaigns::dueToEnd,
                (id, now) -> new EndCampaign(new CampaignId(id), now), commandGateway);
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${ledger.platform.campaign-sweep-interval:PT30S}",
            initialDelayString = "${ledger.platform.campaign-sweep-interval:PT30S}")
    public void scheduled() {
        sweep();
    }

    /** Ends every campaign due at the clock's current instant; returns how many ended. */
    public int sweep() {
        return sweep.sweep(clock.instant());
    }
}
