package com.hongbao.ledger.projections.merchant;

import com.hongbao.ledger.core.money.Money;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/** A merchant with its settlement balance. */
public class MerchantQueries {

    private final JdbcTemplate jdbc;

    public MerchantQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<MerchantView> byId(String merchantId) {
        return jdbc.query("SELECT m.merchant_id, m.name, m.fee_rate_basis_points, m.settlement_currency,"
                        + " m.onboarded_at, COALESCE(b.balance_minor, 0) FROM merchant m LEFT JOIN account_balance b"
                        + " ON b.account_id = 'merchant:' || m.merchant_id AND b.currency = m.settlement_currency"
                        + " WHERE m.merchant_id = ?",
                (rs, row) -> new MerchantView(rs.getString(1), rs.getString(2), rs.getInt(3),
                        Money.of(rs.getLong(6), rs.getString(4)), rs.getTimestamp(5).toInstant()), merchantId)
                .stream().findFirst();
    }

    public record MerchantView(String merchantId, String name, int feeRateBasisPoints, Money settlementBalance,
                               Instant onboardedAt) {
    }
}
