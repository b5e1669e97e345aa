package com.hongbao.ledger.core.campaign;

import com.hongbao.ledger.core.id.CampaignId;
import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.money.Money;
import java.time.Instant;

/** A packet a campaign issued: for {@code recipient} only, until {@code expiresAt}. */
public record IssuedPacket(PacketId packetId, CampaignId campaignId, UserId recipient, Money amount,
                           Money budgetRemaining, Instant expiresAt) {
}
