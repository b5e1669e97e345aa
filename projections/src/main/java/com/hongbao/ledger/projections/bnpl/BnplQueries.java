package com.hongbao.ledger.projections.bnpl;

import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.projections.support.Cursor;
import com.hongbao.ledger.projections.support.Due;
import com.hongbao.ledger.projections.support.Dues;
import com.hongbao.ledger.projections.support.Page;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/** Instalment plans for their buyers and for finance: one plan, listings, credit lines, receivables and ageing. */
public class BnplQueries {

    private static final String PLAN_COLUMNS = "p.plan_id, p.wallet_id, p.buyer_id, p.merchant_id, p.order_number,"
            + " p.plan_type, p.currency, p.order_minor, p.fee_basis_points, p.fee_minor, p.total_minor, p.status,"
            + " p.outstanding_minor, p.next_review_at, p.checked_out_at, p.updated_at";

    private final JdbcTemplate jdbc;

    public BnplQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<PlanView> plan(String planId) {
        List<PlanSummary> found = jdbc.query("SELECT " + PLAN_COLUMNS + " FROM bnpl_plan p WHERE p.plan_id = ?",
                BnplQueries::summary, planId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        PlanSummary plan = found.getFirst();
        String currency = plan.orderAmount().currency().getCurrencyCode();
        List<InstalmentView> instalments = jdbc.query("SELECT number, due_date, amount_minor, late_fee_minor, paid_minor,"
                + " reduced_minor, written_off_minor, owed_minor, overdue FROM bnpl_instalment WHERE plan_id = ?"
                + " ORDER BY number", (rs, row) -> new InstalmentView(rs.getInt("number"),
                rs.getDate("due_date").toLocalDate(), Money.of(rs.getLong("amount_minor"), currency),
                Money.of(rs.getLong("late_fee_minor"), currency), Money.of(rs.getLong("paid_minor"), currency),
                Money.of(rs.getLong("reduced_minor"), currency), Money.of(rs.getLong("written_off_minor"), currency),
                Money.of(rs.getLong("owed_minor"), currency), instalmentStatus(rs)), planId);
        long lateFees = 0;
        long paid = 0;
        long reduced = 0;
        long writtenOff = 0;
        for (InstalmentView instalment : instalments) {
            lateFees += instalment.lateFee().minor();
            paid += instalment.paid().minor();
            reduced += instalment.reducedByRefunds().minor();
            writtenOff += instalment.writtenOff().minor();
        }
        Long refunded = jdbc.queryForObject("SELECT COALESCE(SUM(amount_minor), 0) FROM refund WHERE payment_id = ?",
                Long.class, planId);
        return Optional.of(new PlanView(plan, Money.of(lateFees, currency), Money.of(paid, currency),
                Money.of(refunded == null ? 0 : refunded, currency), Money.of(reduced, currency),
                Money.of(writtenOff, currency), instalments));
    }

    /** A buyer's plans, newest first, optionally of one status. */
    public Page<PlanSummary> byBuyer(String buyerId, String status, String cursor, int limit) {
        return list("p.buyer_id = ?", buyerId, status, cursor, limit);
    }

    /** Every plan of a status (or all), newest first, for finance. */
    public Page<PlanSummary> all(String status, String cursor, int limit) {
        return list("TRUE", null, status, cursor, limit);
    }

    /** Plans needing a review at {@code now}, as {@code walletId/planId}, soonest first, after {@code after} (null: from the first). */
    public List<Due> dueForReview(Instant now, Due after, int limit) {
        // Plans fall due at the same midnight by the thousand: paged by (next_review_at, plan_id), its index.
        return Dues.page(jdbc, "SELECT next_review_at AS due_at, plan_id AS due_key, wallet_id || '/' || plan_id AS due_id"
                + " FROM bnpl_plan WHERE next_review_at <= ?", "next_review_at", "plan_id", now, after, limit);
    }

    /**
     * A buyer's credit line in a currency: the limit (the one finance set, else {@code defaultLimit}),
     * what their open plans use of it (scheduled amounts still owed, late fees aside), and whether
     * it is frozen.
     */
    public CreditView credit(String walletId, String buyerId, Money defaultLimit) {
        String currency = defaultLimit.currency().getCurrencyCode();
        List<Object[]> line = jdbc.query("SELECT limit_minor, frozen FROM bnpl_credit_line WHERE wallet_id = ?",
                (rs, row) -> new Object[] {rs.getObject("limit_minor"), rs.getBoolean("frozen")}, walletId);
        long limit = line.isEmpty() || line.getFirst()[0] == null ? defaultLimit.minor() : (Long) line.getFirst()[0];
        boolean frozen = !line.isEmpty() && (Boolean) line.getFirst()[1];
        Long used = jdbc.queryForObject("SELECT COALESCE(SUM(LEAST(i.owed_minor, i.amount_minor)), 0)"
                + " FROM bnpl_plan p JOIN bnpl_instalment i ON i.plan_id = p.plan_id"
                + " WHERE p.wallet_id = ? AND p.status IN ('current', 'overdue') AND i.owed_minor > 0", Long.class,
                walletId);
        long usedMinor = used == null ? 0 : used;
        return new CreditView(buyerId, Money.of(limit, currency), Money.of(usedMinor, currency),
                Money.of(Math.max(0, limit - usedMinor), currency), frozen);
    }

    /**
     * Receivables in a currency on {@code today} (a day in the platform's zone): plans and what they
     * owe by status, what open plans owe by how many days each instalment is past its due date, and
     * the balance of the receivable accounts in the journal, which must be minus the total owed.
     */
    public Receivables receivables(String currency, LocalDate today) {
        Map<String, StatusTotal> byStatus = new LinkedHashMap<>();
        for (String status : List.of("current", "overdue", "defaulted", "closed")) {
            byStatus.put(status, new StatusTotal(0, Money.zero(java.util.Currency.getInstance(currency))));
        }
        jdbc.query("SELECT status, COUNT(*) AS plans, COALESCE(SUM(outstanding_minor), 0) AS owed FROM bnpl_plan"
                + " WHERE currency = ? GROUP BY status", rs -> {
                    byStatus.put(rs.getString("status"), new StatusTotal(rs.getLong("plans"),
                            Money.of(rs.getLong("owed"), currency)));
                }, currency);
        Map<String, Money> ageing = new LinkedHashMap<>();
        for (String bucket : List.of("current", "1-30", "31-60", "60+")) {
            ageing.put(bucket, Money.zero(java.util.Currency.getInstance(currency)));
        }
        jdbc.query("SELECT CASE WHEN ? - i.due_date <= 0 THEN 'current' WHEN ? - i.due_date <= 30 THEN '1-30'"
                + " WHEN ? - i.due_date <= 60 THEN '31-60' ELSE '60+' END AS bucket, SUM(i.owed_minor) AS owed"
                + " FROM bnpl_plan p JOIN bnpl_instalment i ON i.plan_id = p.plan_id"
                + " WHERE p.currency = ? AND p.status IN ('current', 'overdue') AND i.owed_minor > 0 GROUP BY 1", rs -> {
                    ageing.put(rs.getString("bucket"), Money.of(rs.getLong("owed"), currency));
                }, Date.valueOf(today), Date.valueOf(today), Date.valueOf(today), currency);
        long owed = 0;
        for (StatusTotal total : byStatus.values()) {
            owed += total.outstanding().minor();
        }
        Long journal = jdbc.queryForObject("SELECT COALESCE(SUM(balance_minor), 0) FROM account_balance"
                + " WHERE account_type = 'bnpl_receivable' AND currency = ?", Long.class, currency);
        Long writtenOff = jdbc.queryForObject("SELECT COALESCE(SUM(balance_minor), 0) FROM account_balance"
                + " WHERE account_type = 'bad_debt_expense' AND currency = ?", Long.class, currency);
        return new Receivables(today, Money.of(owed, currency), byStatus, ageing,
                Money.of(journal == null ? 0 : journal, currency),
                Money.of(writtenOff == null ? 0 : -writtenOff, currency));
    }

    private Page<PlanSummary> list(String where, String value, String status, String cursor, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + PLAN_COLUMNS + " FROM bnpl_plan p WHERE " + where);
        List<Object> args = new ArrayList<>();
        if (value != null) {
            args.add(value);
        }
        if (status != null) {
            sql.append(" AND p.status = ?");
            args.add(status);
        }
        if (cursor != null) {
            Cursor position = Cursor.decode(cursor);
            sql.append(" AND (p.checked_out_at, p.plan_id) < (?, ?)");
            args.add(Cursor.timestamp(position.major()));
            args.add(position.minor());
        }
        sql.append(" ORDER BY p.checked_out_at DESC, p.plan_id DESC LIMIT ?");
        args.add(limit + 1);
        List<PlanSummary> rows = jdbc.query(sql.toString(), BnplQueries::summary, args.toArray());
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            PlanSummary last = rows.getLast();
            next = new Cursor(Cursor.micros(last.checkedOutAt()), last.planId()).encode();
        }
        return new Page<>(List.copyOf(rows), next);
    }

    private static String instalmentStatus(ResultSet rs) throws SQLException {
        if (rs.getLong("owed_minor") == 0) {
            if (rs.getLong("written_off_minor") > 0) {
                return "written_off";
            }
            return rs.getLong("paid_minor") > 0 || rs.getLong("reduced_minor") == 0 ? "paid" : "refunded";
        }
        return rs.getBoolean("overdue") ? "overdue" : "due";
    }

    private static PlanSummary summary(ResultSet rs, int row) throws SQLException {
        String currency = rs.getString("currency");
        Timestamp next = rs.getTimestamp("next_review_at");
        return new PlanSummary(rs.getString("plan_id"), rs.getString("buyer_id"), rs.getString("merchant_id"),
                rs.getString("order_number"), rs.getString("plan_type"), rs.getString("status"),
                Money.of(rs.getLong("order_minor"), currency), rs.getInt("fee_basis_points"),
                Money.of(rs.getLong("fee_minor"), currency), Money.of(rs.getLong("total_minor"), currency),
                Money.of(rs.getLong("outstanding_minor"), currency), next == null ? null : next.toInstant(),
                rs.getTimestamp("checked_out_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }

    /** A plan in a listing. {@code nextReviewAt}: when the plan next needs attention (null once settled). */
    public record PlanSummary(String planId, String buyerId, String merchantId, String orderNumber, String planType,
                              String status, Money orderAmount, int planFeeBasisPoints, Money planFee, Money total,
                              Money outstanding, Instant nextReviewAt, Instant checkedOutAt, Instant updatedAt) {
    }

    /**
     * One plan with its instalments. {@code outstanding = total + lateFees - paid - reducedByRefunds - writtenOff};
     * {@code refunded} counts every refund of the order, including what went back to the wallet.
     */
    public record PlanView(PlanSummary plan, Money lateFees, Money paid, Money refunded, Money reducedByRefunds,
                           Money writtenOff, List<InstalmentView> instalments) {
    }

    /** {@code status}: due, overdue, paid, refunded or written_off. */
    public record InstalmentView(int number, LocalDate dueDate, Money amount, Money lateFee, Money paid,
                                 Money reducedByRefunds, Money writtenOff, Money owed, String status) {
    }

    public record CreditView(String userId, Money limit, Money used, Money available, boolean frozen) {
    }

    public record StatusTotal(long plans, Money outstanding) {
    }

    /**
     * @param outstanding    what every plan owes
     * @param journalBalance the sum of the receivable accounts in the journal: minus {@code outstanding}
     * @param writtenOff     bad-debt expense to date, net of what refunds recovered
     */
    public record Receivables(LocalDate asOf, Money outstanding, Map<String, StatusTotal> byStatus,
                              Map<String, Money> ageing, Money journalBalance, Money writtenOff) {
    }
}
