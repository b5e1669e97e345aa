package com.hongbao.ledger.projections.refund;

import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.RefundId;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.refund.RefundHistory;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/** A payment's refunds, oldest first; and the refunds history a merchant decides on once it forgot some. */
public class RefundQueries {

    private final JdbcTemplate jdbc;

    public RefundQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Every refund of the payment the merchant side has recorded, oldest first. {@code status} is
     * {@code credited} once the payer's wallet has the money, {@code refunded} before.
     */
    public List<RefundView> byPayment(String paymentId) {
        return jdbc.query("SELECT refund_id, refund_number, currency, amount_minor, fee_refunded_minor, refunded_at,"
                + " credited_at FROM refund WHERE payment_id = ? ORDER BY refunded_at, refund_id", (rs, row) -> {
                    String currency = rs.getString("currency");
                    Timestamp credited = rs.getTimestamp("credited_at");
                    return new RefundView(rs.getString("refund_id"), rs.getString("refund_number"),
                            Money.of(rs.getLong("amount_minor"), currency),
                            Money.of(rs.getLong("fee_refunded_minor"), currency), credited == null ? "refunded" : "credited",
                            rs.getTimestamp("refunded_at").toInstant(), credited == null ? null : credited.toInstant());
                }, paymentId);
    }

    /**
     * What the table knows of a payment's refunds and of a refund number, and how far it reaches for
     * the merchant, in one statement, so all of it is of one moment of the table.
     */
    public RefundHistory history(MerchantId merchantId, PaymentId paymentId, RefundId refundId) {
        return jdbc.queryForObject("SELECT"
                + " (SELECT COALESCE(SUM(amount_minor), 0) FROM refund WHERE payment_id = ? AND merchant_id = ?) AS refunded,"
                + " (SELECT COUNT(amount_minor) FROM refund WHERE payment_id = ? AND merchant_id = ?) AS refunds,"
                + " EXISTS (SELECT 1 FROM refund WHERE refund_id = ? AND merchant_id IS NOT NULL) AS taken,"
                + " COALESCE((SELECT through_sequence FROM refund_history_mark WHERE merchant_id = ?), -1) AS through",
                (rs, row) -> new RefundHistory(paymentId, rs.getLong("refunded"), rs.getInt("refunds"),
                        rs.getBoolean("taken"), rs.getLong("through")),
                paymentId.value(), merchantId.value(), paymentId.value(), merchantId.value(), refundId.value(),
                merchantId.value());
    }

    public record RefundView(String refundId, String refundNumber, Money amount, Money feeRefunded, String status,
                             Instant refundedAt, Instant creditedAt) {
    }
}
