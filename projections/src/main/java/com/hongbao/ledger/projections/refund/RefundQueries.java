package com.hongbao.ledger.projections.refund;

import com.hongbao.ledger.core.money.Money;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/** A payment's refunds, oldest first. */
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

    public record RefundView(String refundId, String refundNumber, Money amount, Money feeRefunded, String status,
                             Instant refundedAt, Instant creditedAt) {
    }
}
