package com.hongbao.ledger.projections.refund;

import com.hongbao.ledger.core.bnpl.PlanEvent.PlanRefundApplied;
import com.hongbao.ledger.core.refund.RefundEvent.MerchantRefundedPayment;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletCreditedWithRefund;
import java.sql.Timestamp;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Refunds, upserted from either of their two events, so redelivery and replay write the same row;
 * and per merchant, the latest of its refund events the table includes ({@code refund_history_mark}),
 * written in the same transaction, so a merchant can tell whether the table reaches far enough to
 * decide on (see {@link RefundQueries#history}).
 */
@ProcessingGroup(RefundProjection.PROCESSING_GROUP)
public class RefundProjection {

    public static final String PROCESSING_GROUP = "refunds";

    private final JdbcTemplate jdbc;

    public RefundProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(MerchantRefundedPayment event, @SequenceNumber long sequence) {
        jdbc.update("INSERT INTO refund (refund_id, payment_id, merchant_id, refund_number, payer_id, currency,"
                        + " amount_minor, fee_refunded_minor, refunded_at) VALUES (?,?,?,?,?,?,?,?,?)"
                        + " ON CONFLICT (refund_id) DO UPDATE SET payment_id = EXCLUDED.payment_id,"
                        + " merchant_id = EXCLUDED.merchant_id, refund_number = EXCLUDED.refund_number,"
                        + " payer_id = EXCLUDED.payer_id, currency = EXCLUDED.currency,"
                        + " amount_minor = EXCLUDED.amount_minor, fee_refunded_minor = EXCLUDED.fee_refunded_minor,"
                        + " refunded_at = EXCLUDED.refunded_at",
                event.refundId().value(), event.paymentId().value(), event.merchantId().value(), event.refundNumber(),
                event.payer().value(), event.amount().currency().getCurrencyCode(), event.amount().minor(),
                event.feeRefunded().minor(), Timestamp.from(event.at()));
        // A merchant's events arrive one at a time and in order; GREATEST keeps a redelivery harmless.
        jdbc.update("INSERT INTO refund_history_mark (merchant_id, through_sequence) VALUES (?,?)"
                        + " ON CONFLICT (merchant_id) DO UPDATE SET through_sequence"
                        + " = GREATEST(refund_history_mark.through_sequence, EXCLUDED.through_sequence)",
                event.merchantId().value(), sequence);
    }

    @EventHandler
    void on(WalletCreditedWithRefund event) {
        jdbc.update("INSERT INTO refund (refund_id, credited_at) VALUES (?,?)"
                        + " ON CONFLICT (refund_id) DO UPDATE SET credited_at = EXCLUDED.credited_at",
                event.refundId().value(), Timestamp.from(event.at()));
    }

    /** A refund of an order paid with an instalment plan reaches the buyer through the plan. */
    @EventHandler
    void on(PlanRefundApplied event) {
        jdbc.update("INSERT INTO refund (refund_id, credited_at) VALUES (?,?)"
                        + " ON CONFLICT (refund_id) DO UPDATE SET credited_at = EXCLUDED.credited_at",
                event.refundId().value(), Timestamp.from(event.at()));
    }

    @ResetHandler
    void reset() {
        jdbc.execute("TRUNCATE refund, refund_history_mark");
    }
}
