package com.hongbao.ledger.core.campaign;

import com.hongbao.ledger.core.id.CampaignId;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.money.Money;
import java.time.Instant;

/** A funded campaign. */
public record CampaignReceipt(CampaignId campaignId, MerchantId merchantId, Money budget, Instant startsAt,
                              Instant endsAt) {
}
