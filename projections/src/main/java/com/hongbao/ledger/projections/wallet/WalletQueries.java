package com.hongbao.ledger.projections.wallet;

import com.hongbao.ledger.core.money.Money;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/** A wallet with its available balance (from the ledger) and held amount. */
public class WalletQueries {

    private final JdbcTemplate jdbc;

    public WalletQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<WalletView> byId(String walletId) {
        return jdbc.query("SELECT w.wallet_id, w.owner_id, w.currency, w.held_minor, w.opened_at,"
                        + " COALESCE(b.balance_minor, 0) FROM wallet w LEFT JOIN account_balance b"
                        + " ON b.account_id = 'wallet:' || w.wallet_id AND b.currency = w.currency WHERE w.wallet_id = ?",
                (rs, row) -> new WalletView(rs.getString(1), rs.getString(2), Money.of(rs.getLong(6), rs.getString(3)),
                        Money.of(rs.getLong(4), rs.getString(3)), rs.getTimestamp(5).toInstant()), walletId)
                .stream().findFirst();
    }

    public record WalletView(String walletId, String ownerId, Money available, Money held, Instant openedAt) {
    }
}
