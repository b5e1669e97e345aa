package com.hongbao.ledger.projections.payment;

import com.hongbao.ledger.core.payment.PaymentEvent.PaymentAuthorisationExpired;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentAuthorisationVoided;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentAuthorised;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentCaptured;
import com.hongbao.ledger.core.payment.PaymentStatus;
import java.sql.Timestamp;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import com.hongbao.ledger.projections.support.StatementBatch;
import com.hongbao.ledger.projections.support.StatementBatch.Phase;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Payments as merchants and payers see them. Each update is guarded by the payment's event
 * sequence number, so a redelivered event changes nothing. Writes of a processor batch go to the
 * database as one JDBC batch per statement, inserts first (see {@link StatementBatch}).
 */
@ProcessingGroup(PaymentProjection.PROCESSING_GROUP)
public class PaymentProjection {

    public static final String PROCESSING_GROUP = "payments";

    private final JdbcTemplate jdbc;

    public PaymentProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(PaymentAuthorised event, @SequenceNumber long sequence) {
        write(Phase.CREATE, "INSERT INTO payment (payment_id, merchant_id, order_number, wallet_id, payer_id, description,"
                        + " currency, status, capture_mode, authorised_minor, captured_minor, fee_minor, released_minor,"
                        + " fee_rate_basis_points, authorised_at, expires_at, last_sequence)"
                        + " VALUES (?,?,?,?,?,?,?,?,?,?,0,0,0,?,?,?,?) ON CONFLICT (payment_id) DO NOTHING",
                event.paymentId().value(), event.merchantId().value(), event.orderNumber(), event.walletId().value(),
                event.payer().value(), event.description(), event.amount().currency().getCurrencyCode(),
                PaymentStatus.AUTHORISED.code(), event.captureMode().name().toLowerCase(java.util.Locale.ROOT),
                event.amount().minor(), event.feeRateBasisPoints(), Timestamp.from(event.authorisedAt()),
                Timestamp.from(event.expiresAt()), sequence);
    }

    @EventHandler
    void on(PaymentCaptured event, @SequenceNumber long sequence) {
        write(Phase.UPDATE, "UPDATE payment SET status = ?, captured_minor = ?, fee_minor = ?, released_minor = ?,"
                        + " settled_at = ?, last_sequence = ? WHERE payment_id = ? AND last_sequence < ?",
                PaymentStatus.CAPTURED.code(), event.captured().minor(), event.fee().minor(), event.released().minor(),
                Timestamp.from(event.capturedAt()), sequence, event.paymentId().value(), sequence);
    }

    @EventHandler
    void on(PaymentAuthorisationVoided event, @SequenceNumber long sequence) {
        settle(event.paymentId().value(), PaymentStatus.VOIDED, event.released().minor(), event.voidedAt(), sequence);
    }

    @EventHandler
    void on(PaymentAuthorisationExpired event, @SequenceNumber long sequence) {
        settle(event.paymentId().value(), PaymentStatus.EXPIRED, event.released().minor(), event.expiredAt(), sequence);
    }

    private void write(Phase phase, String sql, Object... args) {
        StatementBatch.add(jdbc, "payment-projection", phase, sql, args);
    }

    @ResetHandler
    void reset() {
        jdbc.execute("TRUNCATE payment");
    }

    private void settle(String paymentId, PaymentStatus status, long releasedMinor, Instant at, long sequence) {
        write(Phase.UPDATE, "UPDATE payment SET status = ?, released_minor = ?, settled_at = ?, last_sequence = ?"
                        + " WHERE payment_id = ? AND last_sequence < ?",
                status.code(), releasedMinor, Timestamp.from(at), sequence, paymentId, sequence);
    }
}
