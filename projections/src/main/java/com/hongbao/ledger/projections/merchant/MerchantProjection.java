package com.hongbao.ledger.projections.merchant;

import com.hongbao.ledger.core.merchant.Merchant.MerchantOnboarded;
import java.sql.Timestamp;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;

/** Merchants and their terms. */
@ProcessingGroup(MerchantProjection.PROCESSING_GROUP)
public class MerchantProjection {

    public static final String PROCESSING_GROUP = "merchants";

    private final JdbcTemplate jdbc;

    public MerchantProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(MerchantOnboarded event) {
        jdbc.update("INSERT INTO merchant (merchant_id, name, fee_rate_basis_points, settlement_currency, onboarded_at)"
                        + " VALUES (?,?,?,?,?) ON CONFLICT (merchant_id) DO NOTHING",
                event.merchantId().value(), event.name(), event.feeRateBasisPoints(),
                event.settlementCurrency().getCurrencyCode(), Timestamp.from(event.onboardedAt()));
    }

    @ResetHandler
    void reset() {
        jdbc.execute("TRUNCATE merchant");
    }
}
