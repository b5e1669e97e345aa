package com.hongbao.ledger.core.campaign;

import com.hongbao.ledger.core.account.AccountId;
import com.hongbao.ledger.core.account.AccountType;
import com.hongbao.ledger.core.account.MoneyMovement;
import com.hongbao.ledger.core.account.MovementType;
import com.hongbao.ledger.core.account.Posting;
import com.hongbao.ledger.core.id.CampaignId;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.money.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Facts about brand campaigns and the merchant money they move. */
public sealed interface CampaignEvent {

    CampaignId campaignId();

    static AccountId merchantAccount(MerchantId merchantId) {
        return new AccountId(AccountType.MERCHANT_SETTLEMENT, merchantId.value());
    }

    static AccountId budgetAccount(CampaignId campaignId) {
        return new AccountId(AccountType.CAMPAIGN_BUDGET, campaignId.value());
    }

    static AccountId escrowAccount(PacketId packetId) {
        return new AccountId(AccountType.RED_PACKET_ESCROW, packetId.value());
    }

    /** The merchant set the budget aside from its settlement balance (an event of the merchant). */
    record MerchantFundedCampaign(MerchantId merchantId, CampaignId campaignId, Money budget, Instant at)
            implements CampaignEvent, MoneyMovement {

        @Override
        public MovementType movementType() {
            return MovementType.CAMPAIGN_FUNDING;
        }

        @Override
        public List<Posting> postings() {
            return List.of(new Posting(merchantAccount(merchantId), budget.negate()), new Posting(budgetAccount(campaignId), budget));
        }

        @Override
        public String reference() {
            return campaignId.value();
        }

        @Override
        public Instant occurredAt() {
            return at;
        }
    }

    record CampaignCreated(CampaignId campaignId, MerchantId merchantId, CampaignTerms terms, Instant at)
            implements CampaignEvent {
    }

    /** A packet for {@code recipient} was issued out of the budget into its escrow. */
    record CampaignPacketIssued(CampaignId campaignId, MerchantId merchantId, PacketId packetId, UserId recipient,
                                Money amount, Money remainingAfter, LocalDate day, Instant at)
            implements CampaignEvent, MoneyMovement {

        @Override
        public MovementType movementType() {
            return MovementType.CAMPAIGN_PACKET_ISSUE;
        }

        @Override
        public List<Posting> postings() {
            return List.of(new Posting(budgetAccount(campaignId), amount.negate()), new Posting(escrowAccount(packetId), amount));
        }

        @Override
        public String reference() {
            return packetId.value();
        }

        @Override
        public Instant occurredAt() {
            return at;
        }
    }

    /**
     * An expired packet's amount came back: into the budget while the campaign runs, to the
     * merchant ({@code toMerchant}) once it has ended.
     */
    record CampaignPacketReturned(CampaignId campaignId, MerchantId merchantId, PacketId packetId, Money amount,
                                  boolean toMerchant, Instant at) implements CampaignEvent, MoneyMovement {

        @Override
        public MovementType movementType() {
            return MovementType.CAMPAIGN_PACKET_RETURN;
        }

        @Override
        public List<Posting> postings() {
            return List.of(new Posting(escrowAccount(packetId), amount.negate()),
                    new Posting(toMerchant ? merchantAccount(merchantId) : budgetAccount(campaignId), amount));
        }

        @Override
        public String reference() {
            return packetId.value();
        }

        @Override
        public Instant occurredAt() {
            return at;
        }
    }

    /** The campaign ended; the unissued budget went back to the merchant. */
    record CampaignEnded(CampaignId campaignId, MerchantId merchantId, Money returned, Instant at)
            implements CampaignEvent, MoneyMovement {

        @Override
        public MovementType movementType() {
            return MovementType.CAMPAIGN_BUDGET_RETURN;
        }

        @Override
        public List<Posting> postings() {
            if (returned.isZero()) {
                return List.of();
            }
            return List.of(new Posting(budgetAccount(campaignId), returned.negate()), new Posting(merchantAccount(merchantId), returned));
        }

        @Override
        public String reference() {
            return campaignId.value();
        }

        @Override
        public Instant occurredAt() {
            return at;
        }
    }
}
