package com.hongbao.ledger.projections.statement;

import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.projections.support.Cursor;
import com.hongbao.ledger.projections.support.Page;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/** A merchant's daily statements, its settlements, what is due for settlement, and the bill's lines as a stream. */
public class StatementQueries {

    private static final String LINE_COLUMNS = "l.event_id, l.posting_index, l.business_day, l.adjustment,"
            + " l.occurred_at, l.line_type, l.currency, l.amount_minor, l.gross_minor, l.fee_minor, l.fee_rate_bp,"
            + " l.payment_id, COALESCE(l.order_number, p.order_number) AS order_number, l.payer_ref, l.refund_id,"
            + " l.refund_number, l.reference, p.description, p.captured_minor AS order_minor,"
            + " r.credited_at AS refund_credited_at";
    private static final String LINE_JOINS = " FROM statement_line l"
            + " LEFT JOIN payment p ON p.payment_id = l.payment_id"
            + " LEFT JOIN refund r ON r.refund_id = l.refund_id";
    private static final int STREAM_FETCH_SIZE = 5_000;

    private final JdbcTemplate jdbc;

    public StatementQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The statement of one merchant's business day in one currency: the opening balance (every line
     * of earlier days), the day's totals, the closing balance, and a page of its lines in the order
     * they happened.
     */
    public Statement statement(String merchantId, LocalDate day, String currency, String cursor, int limit) {
        Long opening = jdbc.queryForObject("SELECT COALESCE(SUM(net_minor), 0) FROM statement_day"
                + " WHERE merchant_id = ? AND currency = ? AND business_day < ?", Long.class, merchantId, currency,
                Date.valueOf(day));
        long openingMinor = opening == null ? 0 : opening;
        List<DayTotals> totals = jdbc.query("SELECT lines, net_minor, payments_count, payments_minor, refunds_count,"
                + " refunds_minor, fees_minor, campaign_minor, payouts_count, payouts_minor, adjustments_count,"
                + " adjustments_minor FROM statement_day WHERE merchant_id = ? AND currency = ? AND business_day = ?",
                (rs, row) -> totals(rs, currency), merchantId, currency, Date.valueOf(day));
        DayTotals dayTotals = totals.isEmpty() ? DayTotals.none(currency) : totals.getFirst();
        StringBuilder sql = new StringBuilder("SELECT " + LINE_COLUMNS + LINE_JOINS
                + " WHERE l.merchant_id = ? AND l.business_day = ? AND l.currency = ?");
        List<Object> args = new ArrayList<>(List.of(merchantId, Date.valueOf(day), currency));
        if (cursor != null) {
            Cursor position = Cursor.decode(cursor);
            int slash = position.minor().lastIndexOf('/');
            if (slash < 0) {
                throw new Cursor.InvalidCursor();
            }
            sql.append(" AND (l.occurred_at, l.event_id, l.posting_index) > (?, ?, ?)");
            args.add(Cursor.timestamp(position.major()));
            args.add(position.minor().substring(0, slash));
            args.add(Cursor.parseInt(position.minor().substring(slash + 1)));
        }
        sql.append(" ORDER BY l.occurred_at, l.event_id, l.posting_index LIMIT ?");
        args.add(limit + 1);
        List<LineView> lines = jdbc.query(sql.toString(), StatementQueries::line, args.toArray());
        String next = null;
        if (lines.size() > limit) {
            lines = lines.subList(0, limit);
            LineView last = lines.getLast();
            next = new Cursor(Cursor.micros(last.occurredAt()), last.eventId() + "/" + last.postingIndex()).encode();
        }
        Optional<SettlementView> settlement = settlement(merchantId, day);
        return new Statement(merchantId, day, Money.of(openingMinor, currency), dayTotals,
                Money.of(Math.addExact(openingMinor, dayTotals.net().minor()), currency), settlement.orElse(null),
                new Page<>(List.copyOf(lines), next));
    }

    public Optional<SettlementView> settlement(String merchantId, LocalDate day) {
        return jdbc.query("SELECT merchant_id, business_day, currency, net_minor, carried_in_minor, payout_minor,"
                + " carried_out_minor, held, settled_at FROM settlement WHERE merchant_id = ? AND business_day = ?",
                StatementQueries::settlement, merchantId, Date.valueOf(day)).stream().findFirst();
    }

    /** A merchant's settlements in [from, to], oldest first. */
    public List<SettlementView> settlements(String merchantId, LocalDate from, LocalDate to) {
        return jdbc.query("SELECT merchant_id, business_day, currency, net_minor, carried_in_minor, payout_minor,"
                + " carried_out_minor, held, settled_at FROM settlement WHERE merchant_id = ? AND business_day BETWEEN ? AND ?"
                + " ORDER BY business_day", StatementQueries::settlement, merchantId, Date.valueOf(from), Date.valueOf(to));
    }

    /**
     * Merchants with settlement to do up to {@code lastClosedDay}, after {@code afterMerchantId}
     * (keyset, "" for the first), at most {@code limit}: those with a closed day later than their last
     * settled one that has lines other than payouts; those whose statements up to that day moved more
     * or less than their settlements covered (a line that reached a settled day late); and those
     * with a positive amount carried (the balance could not cover it) and payouts not held. None
     * whose last settled day is {@code lastClosedDay} itself: nothing more can be settled today.
     */
    public List<String> merchantsDueSettlement(LocalDate lastClosedDay, String afterMerchantId, int limit) {
        return jdbc.queryForList("SELECT d.merchant_id FROM statement_day d"
                + " LEFT JOIN LATERAL (SELECT s.business_day, s.cumulative_net_minor, s.carried_out_minor, s.settled_at"
                + " FROM settlement s WHERE s.merchant_id = d.merchant_id ORDER BY s.business_day DESC LIMIT 1) l ON TRUE"
                + " LEFT JOIN payout_hold h ON h.merchant_id = d.merchant_id"
                + " WHERE d.business_day <= ? AND d.merchant_id > ?"
                + " AND (l.business_day IS NULL OR l.business_day < ?)"
                + " GROUP BY d.merchant_id, l.business_day, l.cumulative_net_minor, l.carried_out_minor, l.settled_at,"
                + " h.held, h.carried_out_minor, h.changed_at"
                + " HAVING BOOL_OR(d.lines > d.payouts_count AND (l.business_day IS NULL OR d.business_day > l.business_day))"
                + " OR SUM(d.net_minor - d.payouts_minor) FILTER (WHERE l.business_day IS NOT NULL"
                + " AND d.business_day <= l.business_day) <> l.cumulative_net_minor"
                // What is carried now: as the last settlement left it, unless a release of held payouts came after.
                + " OR (CASE WHEN h.changed_at > l.settled_at THEN h.carried_out_minor ELSE l.carried_out_minor END > 0"
                + " AND NOT COALESCE(h.held, FALSE))"
                + " ORDER BY d.merchant_id LIMIT ?", String.class, Date.valueOf(lastClosedDay), afterMerchantId,
                Date.valueOf(lastClosedDay), limit);
    }

    /**
     * A merchant's closed days up to {@code lastClosedDay}, oldest first, each with the statements'
     * net (payouts aside) of every day up to it and whether it had lines other than payouts.
     */
    public List<ClosedDay> closedDays(String merchantId, LocalDate lastClosedDay) {
        return jdbc.query("SELECT business_day, currency, SUM(net_minor - payouts_minor) OVER (PARTITION BY currency"
                + " ORDER BY business_day) AS cumulative, lines > payouts_count AS active FROM statement_day"
                + " WHERE merchant_id = ? AND business_day <= ? ORDER BY business_day",
                (rs, row) -> new ClosedDay(rs.getDate(1).toLocalDate(), Money.of(rs.getLong(3), rs.getString(2)),
                        rs.getBoolean(4)), merchantId, Date.valueOf(lastClosedDay));
    }

    /** The day a merchant last settled, if any. */
    public Optional<LocalDate> lastSettledDay(String merchantId) {
        return jdbc.query("SELECT MAX(business_day) FROM settlement WHERE merchant_id = ?",
                (rs, row) -> rs.getDate(1) == null ? null : rs.getDate(1).toLocalDate(), merchantId)
                .stream().filter(java.util.Objects::nonNull).findFirst();
    }

    /**
     * Streams the lines of a merchant's days [from, to] in one currency, in the order they happened,
     * through a database cursor: memory does not grow with the number of lines. The consumer runs
     * inside a read-only transaction on one connection.
     */
    public BillTotals streamLines(String merchantId, LocalDate from, LocalDate to, String currency,
                                  LineConsumer consumer) {
        return jdbc.execute((ConnectionCallback<BillTotals>) connection -> {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try {
                BillTotals totals = stream(connection, merchantId, from, to, currency, consumer);
                connection.commit();
                return totals;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setReadOnly(false);
                connection.setAutoCommit(autoCommit);
            }
        });
    }

    private static BillTotals stream(Connection connection, String merchantId, LocalDate from, LocalDate to,
                                     String currency, LineConsumer consumer) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + LINE_COLUMNS + LINE_JOINS
                + " WHERE l.merchant_id = ? AND l.business_day BETWEEN ? AND ? AND l.currency = ?"
                + " ORDER BY l.business_day, l.occurred_at, l.event_id, l.posting_index")) {
            statement.setFetchSize(STREAM_FETCH_SIZE);
            statement.setString(1, merchantId);
            statement.setDate(2, Date.valueOf(from));
            statement.setDate(3, Date.valueOf(to));
            statement.setString(4, currency);
            long count = 0;
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    consumer.accept(line(rs, 0));
                    count++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("the bill could not be written", e);
            }
            return new BillTotals(count);
        }
    }

    /** A line from a row of {@link #LINE_COLUMNS}, read by position: a bill reads a million of them. */
    private static LineView line(ResultSet rs, int row) throws SQLException {
        String currency = rs.getString(7);
        int feeRate = rs.getInt(11);
        Integer feeRateBp = rs.wasNull() ? null : feeRate;
        long orderMinor = rs.getLong(19);
        Money orderAmount = rs.wasNull() ? null : Money.of(orderMinor, currency);
        String refundId = rs.getString(15);
        Timestamp credited = rs.getTimestamp(20);
        return new LineView(rs.getString(1), rs.getInt(2), rs.getDate(3).toLocalDate(), rs.getBoolean(4),
                rs.getTimestamp(5).toInstant(), rs.getString(6), Money.of(rs.getLong(8), currency),
                Money.of(rs.getLong(9), currency), Money.of(rs.getLong(10), currency), feeRateBp, rs.getString(12),
                rs.getString(13), rs.getString(14), refundId, rs.getString(16), rs.getString(17), rs.getString(18),
                orderAmount, refundId == null ? null : (credited == null ? "processing" : "success"));
    }

    private static DayTotals totals(ResultSet rs, String currency) throws SQLException {
        return new DayTotals(rs.getLong("lines"), Money.of(rs.getLong("net_minor"), currency),
                rs.getLong("payments_count"), Money.of(rs.getLong("payments_minor"), currency),
                rs.getLong("refunds_count"), Money.of(rs.getLong("refunds_minor"), currency),
                Money.of(rs.getLong("fees_minor"), currency), Money.of(rs.getLong("campaign_minor"), currency),
                rs.getLong("payouts_count"), Money.of(rs.getLong("payouts_minor"), currency),
                rs.getLong("adjustments_count"), Money.of(rs.getLong("adjustments_minor"), currency));
    }

    private static SettlementView settlement(ResultSet rs, int row) throws SQLException {
        String currency = rs.getString("currency");
        return new SettlementView(rs.getString("merchant_id"), rs.getDate("business_day").toLocalDate(),
                Money.of(rs.getLong("net_minor"), currency), Money.of(rs.getLong("carried_in_minor"), currency),
                Money.of(rs.getLong("payout_minor"), currency), Money.of(rs.getLong("carried_out_minor"), currency),
                rs.getBoolean("held"), rs.getTimestamp("settled_at").toInstant());
    }

    /**
     * A day's totals. {@code fees}: fees charged less fees refunded; {@code campaign}: fundings
     * (negative) and returns; {@code payouts}: negative; {@code adjustments}: lines recorded after
     * the day they happened on had closed, included in the other totals too.
     */
    public record DayTotals(long lines, Money net, long paymentsCount, Money payments, long refundsCount,
                            Money refunds, Money fees, Money campaign, long payoutsCount, Money payouts,
                            long adjustmentsCount, Money adjustments) {

        static DayTotals none(String currency) {
            Money zero = Money.of(0, currency);
            return new DayTotals(0, zero, 0, zero, 0, zero, zero, zero, 0, zero, 0, zero);
        }
    }

    /** {@code closing = opening + totals.net}; the closing of a day is the opening of the next. */
    public record Statement(String merchantId, LocalDate businessDay, Money opening, DayTotals totals, Money closing,
                            SettlementView settlement, Page<LineView> lines) {
    }

    /**
     * One line: {@code amount} is what it did to the settlement balance; {@code gross} the captured
     * or refunded amount; {@code fee} the fee charged (negative: refunded).
     */
    public record LineView(String eventId, int postingIndex, LocalDate businessDay, boolean adjustment,
                           Instant occurredAt, String type, Money amount, Money gross, Money fee, Integer feeRateBp,
                           String paymentId, String orderNumber, String payerRef, String refundId, String refundNumber,
                           String reference, String description, Money orderAmount, String refundState) {
    }

    public record SettlementView(String merchantId, LocalDate businessDay, Money net, Money carriedIn, Money payout,
                                 Money carriedOut, boolean held, Instant settledAt) {
    }

    /** A closed day of a merchant: the statements' net (payouts aside) of every day up to it, and whether it had lines other than payouts. */
    public record ClosedDay(LocalDate day, Money cumulativeNet, boolean active) {
    }

    public record BillTotals(long lines) {
    }

    /** Takes each streamed line, e.g. writing it to a response; a failure aborts the stream. */
    @FunctionalInterface
    public interface LineConsumer {
        void accept(LineView line) throws IOException;
    }
}
