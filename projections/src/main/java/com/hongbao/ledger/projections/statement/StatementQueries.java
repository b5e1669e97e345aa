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
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/** A merchant's daily statements, its settlements, what is due for settlement, and the bill's lines as a stream. */
public class StatementQueries {

    private static final String LINE_COLUMNS = "l.event_id, l.posting_index, l.business_day, l.adjustment,"
            + " l.occurred_at, l.line_type, l.currency, l.amount_minor, l.gross_minor, l.fee_minor, l.fee_rate_bp,"
            + " l.payment_id, COALESCE(l.order_number, p.order_number) AS order_number, l.payer_ref, l.refund_id,"
            + " l.refund_number, l.reference, p.description, p.captured_minor AS order_minor,"
            + " r.credited_at AS refund_credited_at";
    private static final int LINE_COLUMN_COUNT = 20;
    private static final String LINE_JOINS = " FROM statement_line l"
            + " LEFT JOIN payment p ON p.payment_id = l.payment_id"
            + " LEFT JOIN refund r ON r.refund_id = l.refund_id";
    /** {@link #stream}'s copy: the lines in the order they happened, parameters as transaction-local settings. */
    private static final String BILL_COPY = "COPY (SELECT " + LINE_COLUMNS + LINE_JOINS
            + " WHERE l.merchant_id = current_setting('ledger.bill_merchant')"
            + " AND l.business_day BETWEEN current_setting('ledger.bill_from')::date"
            + " AND current_setting('ledger.bill_to')::date"
            + " AND l.currency = current_setting('ledger.bill_currency')::bpchar"
            + " ORDER BY l.business_day, l.occurred_at, l.event_id, l.posting_index) TO STDOUT (FORMAT binary)";
    /** The 1-based position of the opening in {@link #statement}'s rows, after the 20 line columns. */
    private static final int OPENING = LINE_COLUMN_COUNT + 1;
    private static final String TOTALS_COLUMNS = "t.lines, t.net_minor, t.payments_count, t.payments_minor,"
            + " t.refunds_count, t.refunds_minor, t.fees_minor, t.campaign_minor, t.payouts_count, t.payouts_minor,"
            + " t.adjustments_count, t.adjustments_minor";
    private static final int TOTALS = TOTALS_COLUMNS.split(",").length;
    private static final String SETTLEMENT_COLUMNS = "s.merchant_id, s.business_day, s.currency, s.net_minor,"
            + " s.carried_in_minor, s.payout_minor, s.carried_out_minor, s.held, s.settled_at";

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
        // One statement, one round trip: the page of lines (joined LATERAL, so an empty page is one
        // row of NULL line columns) with the opening, the day's totals and the settlement repeated
        // on each row. Four separate queries cost four round trips and four plannings per request,
        // and each round trip waits for the database process to be scheduled again.
        Date businessDay = Date.valueOf(day);
        StringBuilder sql = new StringBuilder("SELECT x.*, d.opening, " + TOTALS_COLUMNS + ", " + SETTLEMENT_COLUMNS
                + " FROM (SELECT COALESCE(SUM(net_minor), 0) AS opening FROM statement_day"
                + " WHERE merchant_id = ? AND currency = ? AND business_day < ?) d"
                + " LEFT JOIN statement_day t ON t.merchant_id = ? AND t.currency = ? AND t.business_day = ?"
                + " LEFT JOIN settlement s ON s.merchant_id = ? AND s.business_day = ?"
                + " LEFT JOIN LATERAL (SELECT " + LINE_COLUMNS + LINE_JOINS
                + " WHERE l.merchant_id = ? AND l.business_day = ? AND l.currency = ?");
        List<Object> args = new ArrayList<>(List.of(merchantId, currency, businessDay, merchantId, currency,
                businessDay, merchantId, businessDay, merchantId, businessDay, currency));
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
        // The limit as a literal, not a parameter: with it the generic plan costs what the custom
        // ones do, so PostgreSQL keeps the prepared statement's plan instead of planning each call.
        sql.append(" ORDER BY l.occurred_at, l.event_id, l.posting_index LIMIT ").append(limit + 1)
                .append(") x ON TRUE ORDER BY x.occurred_at, x.event_id, x.posting_index");
        return jdbc.query(sql.toString(), rs -> {
            List<LineView> lines = new ArrayList<>(Math.min(limit + 1, 1_024));
            long openingMinor = 0;
            DayTotals dayTotals = DayTotals.none(currency);
            SettlementView settlement = null;
            boolean first = true;
            while (rs.next()) {
                if (first) {
                    first = false;
                    openingMinor = rs.getLong(OPENING);
                    rs.getLong(OPENING + 1);
                    if (!rs.wasNull()) {
                        dayTotals = totals(rs, OPENING, currency);
                    }
                    if (rs.getString(OPENING + TOTALS + 1) != null) {
                        settlement = settlement(rs, OPENING + TOTALS);
                    }
                }
                if (rs.getString(1) != null) {
                    lines.add(line(rs, 0));
                }
            }
            String next = null;
            List<LineView> page = lines;
            if (lines.size() > limit) {
                page = lines.subList(0, limit);
                LineView last = page.getLast();
                next = new Cursor(Cursor.micros(last.occurredAt()), last.eventId() + "/" + last.postingIndex())
                        .encode();
            }
            return new Statement(merchantId, day, Money.of(openingMinor, currency), dayTotals,
                    Money.of(Math.addExact(openingMinor, dayTotals.net().minor()), currency), settlement,
                    new Page<>(List.copyOf(page), next));
        }, args.toArray());
    }

    public Optional<SettlementView> settlement(String merchantId, LocalDate day) {
        return jdbc.query("SELECT " + SETTLEMENT_COLUMNS + " FROM settlement s WHERE s.merchant_id = ?"
                + " AND s.business_day = ?", (rs, row) -> settlement(rs, 0), merchantId, Date.valueOf(day))
                .stream().findFirst();
    }

    /** A merchant's settlements in [from, to], oldest first. */
    public List<SettlementView> settlements(String merchantId, LocalDate from, LocalDate to) {
        return jdbc.query("SELECT " + SETTLEMENT_COLUMNS + " FROM settlement s WHERE s.merchant_id = ?"
                + " AND s.business_day BETWEEN ? AND ? ORDER BY s.business_day", (rs, row) -> settlement(rs, 0),
                merchantId, Date.valueOf(from), Date.valueOf(to));
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
     * as the database sends them (a binary COPY): memory does not grow with the number of lines. The
     * consumer runs inside a read-only transaction on one connection.
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

    /**
     * The bill's lines through {@code COPY ... TO STDOUT (FORMAT binary)} rather than a cursor: with
     * a cursor PostgreSQL waits while each fetched batch is handled, and the driver parses every
     * value from text; a copy streams, so the database produces the next lines while these are
     * written. COPY takes no bind parameters: they are set as transaction-local settings.
     */
    private static BillTotals stream(Connection connection, String merchantId, LocalDate from, LocalDate to,
                                     String currency, LineConsumer consumer) throws SQLException {
        try (PreparedStatement parameters = connection.prepareStatement("SELECT set_config('ledger.bill_merchant', ?,"
                + " true), set_config('ledger.bill_from', ?, true), set_config('ledger.bill_to', ?, true),"
                + " set_config('ledger.bill_currency', ?, true)")) {
            parameters.setString(1, merchantId);
            parameters.setString(2, from.toString());
            parameters.setString(3, to.toString());
            parameters.setString(4, currency);
            parameters.executeQuery().close();
        }
        CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(BILL_COPY);
        boolean complete = false;
        try {
            BinaryCopyReader rows = new BinaryCopyReader(copy, LINE_COLUMN_COUNT);
            long count = 0;
            String lastCurrency = null;
            Currency unit = null;
            while (rows.nextRow()) {
                String eventId = rows.string();
                int postingIndex = (int) rows.integer(0);
                LocalDate businessDay = rows.date();
                boolean adjustment = rows.bool();
                Instant occurredAt = rows.instant();
                String type = rows.repeated(0);
                String lineCurrency = rows.repeated(1);
                if (!lineCurrency.equals(lastCurrency)) {
                    lastCurrency = lineCurrency;
                    unit = Currency.getInstance(lineCurrency);
                }
                Money amount = Money.of(rows.integer(0), unit);
                Money gross = Money.of(rows.integer(0), unit);
                Money fee = Money.of(rows.integer(0), unit);
                int feeRate = (int) rows.integer(0);
                Integer feeRateBp = rows.isNull() ? null : feeRate;
                String paymentId = rows.string();
                String orderNumber = rows.string();
                String payerRef = rows.repeated(2);
                String refundId = rows.string();
                String refundNumber = rows.string();
                String reference = rows.string();
                String description = rows.string();
                long orderMinor = rows.integer(0);
                Money orderAmount = rows.isNull() ? null : Money.of(orderMinor, unit);
                boolean credited = rows.skip();
                consumer.accept(new LineView(eventId, postingIndex, businessDay, adjustment, occurredAt, type, amount,
                        gross, fee, feeRateBp, paymentId, orderNumber, payerRef, refundId, refundNumber, reference,
                        description, orderAmount, refundState(refundId, credited)));
                count++;
            }
            complete = true;
            return new BillTotals(count);
        } catch (IOException e) {
            throw new UncheckedIOException("the bill could not be written", e);
        } finally {
            if (!complete) {
                drain(copy);
            }
        }
    }

    /**
     * Reads an interrupted copy (the client went away) to its end, discarding the rows, so the
     * connection can be rolled back and reused. Not {@code cancelCopy()}: after cancelling a
     * COPY TO the driver misreads the next responses on that connection.
     */
    private static void drain(CopyOut copy) {
        try {
            while (copy.isActive() && copy.readFromCopy() != null) {
                // discard
            }
        } catch (SQLException e) {
            // The copy failed in the database; the caller rolls back.
        }
    }

    /** A line from a row of {@link #LINE_COLUMNS}, read by position. */
    private static LineView line(ResultSet rs, int row) throws SQLException {
        String currency = rs.getString(7);
        int feeRate = rs.getInt(11);
        Integer feeRateBp = rs.wasNull() ? null : feeRate;
        long orderMinor = rs.getLong(19);
        Money orderAmount = rs.wasNull() ? null : Money.of(orderMinor, currency);
        String refundId = rs.getString(15);
        // java.time straight from the driver: getDate/getTimestamp convert through a Calendar,
        // visible in a statement request's profile.
        boolean credited = rs.getObject(20, OffsetDateTime.class) != null;
        return new LineView(rs.getString(1), rs.getInt(2), rs.getObject(3, LocalDate.class), rs.getBoolean(4),
                rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6), Money.of(rs.getLong(8), currency),
                Money.of(rs.getLong(9), currency), Money.of(rs.getLong(10), currency), feeRateBp, rs.getString(12),
                rs.getString(13), rs.getString(14), refundId, rs.getString(16), rs.getString(17), rs.getString(18),
                orderAmount, refundState(refundId, credited));
    }

    /** A refund line's state: success once the payer has been credited, processing before; none for other lines. */
    private static String refundState(String refundId, boolean credited) {
        return refundId == null ? null : credited ? "success" : "processing";
    }

    /** A day's totals from the {@link #TOTALS_COLUMNS} after column {@code offset}. */
    private static DayTotals totals(ResultSet rs, int offset, String currency) throws SQLException {
        return new DayTotals(rs.getLong(offset + 1), Money.of(rs.getLong(offset + 2), currency),
                rs.getLong(offset + 3), Money.of(rs.getLong(offset + 4), currency),
                rs.getLong(offset + 5), Money.of(rs.getLong(offset + 6), currency),
                Money.of(rs.getLong(offset + 7), currency), Money.of(rs.getLong(offset + 8), currency),
                rs.getLong(offset + 9), Money.of(rs.getLong(offset + 10), currency),
                rs.getLong(offset + 11), Money.of(rs.getLong(offset + 12), currency));
    }

    /** A settlement from the {@link #SETTLEMENT_COLUMNS} after column {@code offset}. */
    private static SettlementView settlement(ResultSet rs, int offset) throws SQLException {
        String currency = rs.getString(offset + 3);
        return new SettlementView(rs.getString(offset + 1), rs.getObject(offset + 2, LocalDate.class),
                Money.of(rs.getLong(offset + 4), currency), Money.of(rs.getLong(offset + 5), currency),
                Money.of(rs.getLong(offset + 6), currency), Money.of(rs.getLong(offset + 7), currency),
                rs.getBoolean(offset + 8), rs.getObject(offset + 9, OffsetDateTime.class).toInstant());
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
