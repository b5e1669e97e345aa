package com.hongbao.ledger.core.merchant;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.createNew;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.campaign.Campaign;
import com.hongbao.ledger.core.campaign.CampaignCommand.FundCampaign;
import com.hongbao.ledger.core.campaign.CampaignEvent.MerchantFundedCampaign;
import com.hongbao.ledger.core.campaign.CampaignReceipt;
import com.hongbao.ledger.core.campaign.CampaignTerms;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.money.CurrencyMismatch;
import com.hongbao.ledger.core.money.Money;
import java.time.Instant;
import java.util.Currency;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A merchant and its terms. Payments do not pass through this aggregate: a merchant's settlement
 * account is credited by the postings of each captured payment, so a merchant in a flash sale
 * never serialises its payers.
 */
public class Merchant {

    /** WeChat Pay's standard rate, 0.6%. */
    public static final int DEFAULT_FEE_RATE_BASIS_POINTS = 60;
    /** The highest rate the platform will configure, 10%. */
    public static final int MAX_FEE_RATE_BASIS_POINTS = 1_000;

    @AggregateIdentifier
    private MerchantId merchantId;
    private Currency settlementCurrency;
    /** Everything this merchant's own commands took from its settlement balance (campaign budgets). */
    private long debitedMinor;

    /** For Axon's event sourcing. */
    protected Merchant() {
    }

    @CommandHandler
    public Merchant(OnboardMerchant command) {
        if (command.feeRateBasisPoints() < 0 || command.feeRateBasisPoints() > MAX_FEE_RATE_BASIS_POINTS) {
            throw new LedgerRejection("invalid_fee_rate",
                    "fee rate must be between 0 and " + MAX_FEE_RATE_BASIS_POINTS + " basis points");
        }
        apply(new MerchantOnboarded(command.merchantId(), command.name(), command.feeRateBasisPoints(),
                command.settlementCurrency(), command.onboardedAt()));
    }

    /**
     * Sets a campaign's budget aside from the settlement balance, if the balance covers it. The
     * balance is what the journal shows credited, less every debit this merchant decided itself;
     * the journal may lag behind credits but never shows one that did not happen, so the merchant
     * can never be taken below zero.
     */
    @CommandHandler
    public CampaignReceipt handle(FundCampaign command) throws Exception {
        CampaignTerms terms = command.terms().validated(command.minShareMinor(), command.maxShareMinor());
        if (!terms.budget().currency().equals(settlementCurrency)) {
            throw new CurrencyMismatch(settlementCurrency, terms.budget().currency());
        }
        long available = command.creditedMinorSeen() - debitedMinor;
        if (terms.budget().minor() > available) {
            throw new LedgerRejection("merchant_insufficient_balance", "the settlement balance is "
                    + Money.of(available, settlementCurrency) + ", the budget " + terms.budget());
        }
        apply(new MerchantFundedCampaign(merchantId, command.campaignId(), terms.budget(), command.at()));
        createNew(Campaign.class, () -> new Campaign(command));
        return new CampaignReceipt(command.campaignId(), merchantId, terms.budget(), terms.startsAt(), terms.endsAt());
    }

    @EventSourcingHandler
    void on(MerchantOnboarded event) {
        merchantId = event.merchantId();
        settlementCurrency = event.settlementCurrency();
    }

    @EventSourcingHandler
    void on(MerchantFundedCampaign event) {
        debitedMinor = Math.addExact(debitedMinor, event.budget().minor());
    }

    public record OnboardMerchant(@TargetAggregateIdentifier MerchantId merchantId, String name, int feeRateBasisPoints,
                                  Currency settlementCurrency, Instant onboardedAt) {
    }

    public record MerchantOnboarded(MerchantId merchantId, String name, int feeRateBasisPoints,
                                    Currency settlementCurrency, Instant onboardedAt) {
    }
}
