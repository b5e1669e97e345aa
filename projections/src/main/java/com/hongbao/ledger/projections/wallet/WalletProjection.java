package com.hongbao.ledger.projections.wallet;

import com.hongbao.ledger.core.wallet.WalletEvent.PaymentHoldReleased;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletDebitedForPayment;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletOpened;
import java.sql.Timestamp;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Wallets, their owners and the money held for open authorisations. Balances themselves come
 * from the ledger projection. Updates are guarded by the wallet's event sequence number.
 */
@ProcessingGroup(WalletProjection.PROCESSING_GROUP)
public class WalletProjection {

    public static final String PROCESSING_GROUP = "wallets";

    private final JdbcTemplate jdbc;

    public WalletProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(WalletOpened event, @SequenceNumber long sequence) {
        jdbc.update("INSERT INTO wallet (wallet_id, owner_id, currency, held_minor, opened_at, last_sequence)"
                        + " VALUES (?,?,?,0,?,?) ON CONFLICT (wallet_id) DO NOTHING",
                event.walletId().value(), event.owner().value(), event.currency().getCurrencyCode(),
                Timestamp.from(event.openedAt()), sequence);
    }

    @EventHandler
    void on(WalletDebitedForPayment event, @SequenceNumber long sequence) {
        // An immediate payment holds nothing; skipping it leaves last_sequence behind, which the
        // guard tolerates because sequence numbers only ever grow.
        if (event.held()) {
            addHeld(event.walletId().value(), event.amount().minor(), sequence);
        }
    }

    @EventHandler
    void on(PaymentHoldReleased event, @SequenceNumber long sequence) {
        addHeld(event.walletId().value(), Math.negateExact(event.held().minor()), sequence);
    }

    @ResetHandler
    void reset() {
        jdbc.execute("TRUNCATE wallet");
    }

    private void addHeld(String walletId, long deltaMinor, long sequence) {
        jdbc.update("UPDATE wallet SET held_minor = held_minor + ?, last_sequence = ?"
                + " WHERE wallet_id = ? AND last_sequence < ?", deltaMinor, sequence, walletId, sequence);
    }
}
