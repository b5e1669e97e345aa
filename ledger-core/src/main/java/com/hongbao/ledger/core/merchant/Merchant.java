package com.hongbao.ledger.core.merchant;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.id.MerchantId;
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

    @EventSourcingHandler
    void on(MerchantOnboarded event) {
        merchantId = event.merchantId();
    }

    public record OnboardMerchant(@TargetAggregateIdentifier MerchantId merchantId, String name, int feeRateBasisPoints,
                                  Currency settlementCurrency, Instant onboardedAt) {
    }

    public record MerchantOnboarded(MerchantId merchantId, String name, int feeRateBasisPoints,
                                    Currency settlementCurrency, Instant onboardedAt) {
    }
}
