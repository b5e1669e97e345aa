package com.hongbao.ledger.projections.payment;

import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.projections.support.Cursor;
import com.hongbao.ledger.projections.support.Due;
import com.hongbao.ledger.projections.support.Dues;
import com.hongbao.ledger.projections.support.Page;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/** Payments by id and by merchant, and the authorisations that are due to expire. */
public class PaymentQueries {

    private static final String COLUMNS = "payment_id, merchant_id, order_number, wallet_id, payer_id, description,"
            + " currency, status, capture_mode, authorised_minor, captured_minor, fee_minor, released_minor,"
            + " fee_rate_basis_points, authorised_at, expires_at, settled_at";

    private final JdbcTemplate jdbc;

    public PaymentQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<PaymentView> byId(String paymentId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM payment WHERE payment_id = ?", PaymentQueries::view, paymentId)
                .stream().findFirst();
    }

    /** A merchant's payments, newest first. */
    public Page<PaymentView> byMerchant(String merchantId, String cursor, int limit) {
        return list("merchant_id", merchantId, cursor, limit);
    }

    /** Open authorisations whose expiry is at or before {@code now}, oldest first, after {@code after} (null: from the first). */
    public List<Due> dueForExpiry(Instant now, Due after, int limit) {
        return Dues.page(jdbc, "SELECT expires_at AS due_at, payment_id AS due_key, payment_id AS due_id FROM payment"
                + " WHERE status = 'authorised' AND expires_at <= ?", "expires_at", "payment_id", now, after, limit);
    }

    private Page<PaymentView> list(String column, String value, String cursor, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM payment WHERE " + column + " = ?");
        List<Object> args = new ArrayList<>();
        args.add(value);
        if (cursor != null) {
            Cursor position = Cursor.decode(cursor);
            sql.append(" AND (authorised_at, payment_id) < (?, ?)");
            args.add(Cursor.timestamp(position.major()));
            args.add(position.minor());
        }
        sql.append(" ORDER BY authorised_at DESC, payment_id DESC LIMIT ?");
        args.add(limit + 1);
        List<PaymentView> rows = jdbc.query(sql.toString(), PaymentQueries::view, args.toArray());
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<PaymentView> items = List.copyOf(rows.subList(0, limit));
        PaymentView last = items.get(limit - 1);
        return new Page<>(items, new Cursor(Cursor.micros(last.authorisedAt()), last.paymentId()).encode());
    }

    private static PaymentView view(ResultSet rs, int row) throws SQLException {
        String currency = rs.getString("currency");
        Timestamp settled = rs.getTimestamp("settled_at");
        return new PaymentView(rs.getString("payment_id"), rs.getString("merchant_id"), rs.getString("order_number"),
                rs.getString("wallet_id"), rs.getString("payer_id"), rs.getString("description"),
                rs.getString("status"), rs.getString("capture_mode"),
                Money.of(rs.getLong("authorised_minor"), currency), Money.of(rs.getLong("captured_minor"), currency),
                Money.of(rs.getLong("fee_minor"), currency), Money.of(rs.getLong("released_minor"), currency),
                rs.getInt("fee_rate_basis_points"), rs.getTimestamp("authorised_at").toInstant(),
                rs.getTimestamp("expires_at").toInstant(), settled == null ? null : settled.toInstant());
    }

    public record PaymentView(String paymentId, String merchantId, String orderNumber, String walletId, String payerId,
                              String description, String status, String captureMode, Money authorised, Money captured,
                              Money fee, Money released, int feeRateBasisPoints, Instant authorisedAt,
                              Instant expiresAt, Instant settledAt) {
    }
}
