package com.hongbao.ledger.projections.ledger;

import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.projections.support.Cursor;
import com.hongbao.ledger.projections.support.Page;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/** Finance's questions of the journal: balances now and in the past, postings, the trial balance. */
public class LedgerQueries {

    private final JdbcTemplate jdbc;

    public LedgerQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** An account's balance in one currency, in minor units of any size (a platform account sums over everyone). */
    public record ExactBalance(String currency, BigInteger minor) {
    }

    /** An account's balance in each currency it has postings in, exact whatever its size; empty if it has none. */
    public List<ExactBalance> balances(String accountId) {
        return jdbc.query("SELECT currency, balance_minor FROM account_balance WHERE account_id = ? ORDER BY currency",
                (rs, row) -> new ExactBalance(rs.getString(1), rs.getBigDecimal(2).toBigIntegerExact()), accountId);
    }

    /** {@link #balances} counting only the movements that happened at or before {@code at}. */
    public List<ExactBalance> balancesAsOf(String accountId, Instant at) {
        return jdbc.query("SELECT currency, SUM(amount_minor) FROM journal_posting"
                        + " WHERE account_id = ? AND occurred_at <= ? GROUP BY currency ORDER BY currency",
                (rs, row) -> new ExactBalance(rs.getString(1), rs.getBigDecimal(2).toBigIntegerExact()), accountId,
                Timestamp.from(at));
    }

    /** Everything ever credited to an account in a currency (its positive postings), as far as the journal has seen. */
    public long creditedMinor(String accountId, String currency) {
        List<Long> credited = jdbc.queryForList("SELECT credited_minor FROM account_balance WHERE account_id = ?"
                + " AND currency = ?", Long.class, accountId, currency);
        return credited.isEmpty() ? 0 : credited.get(0);
    }

    /** Postings newest first, filtered by whichever criteria are not null. */
    public Page<PostingView> journal(JournalFilter filter, String cursor, int limit) {
        StringBuilder sql = new StringBuilder("SELECT event_id, posting_index, account_id, account_type,"
                + " currency, amount_minor, movement_type, reference, occurred_at FROM journal_posting WHERE TRUE");
        List<Object> args = new ArrayList<>();
        if (filter.accountId() != null) {
            sql.append(" AND account_id = ?");
            args.add(filter.accountId());
        }
        if (filter.accountsAnyOf() != null) {
            if (filter.accountsAnyOf().isEmpty()) {
                sql.append(" AND FALSE");
            } else {
                sql.append(" AND account_id IN (").append(String.join(",",
                        Collections.nCopies(filter.accountsAnyOf().size(), "?"))).append(")");
                args.addAll(filter.accountsAnyOf());
            }
        }
        if (filter.currency() != null) {
            sql.append(" AND currency = ?");
            args.add(filter.currency());
        }
        // The size of a posting, whichever side it is on: a 10.00 payment is -10.00 to the wallet.
        if (filter.minAbsMinor() != null) {
            sql.append(" AND ABS(amount_minor) >= ?");
            args.add(filter.minAbsMinor());
        }
        if (filter.maxAbsMinor() != null) {
            sql.append(" AND ABS(amount_minor) <= ?");
            args.add(filter.maxAbsMinor());
        }
        if (filter.movementType() != null) {
            sql.append(" AND movement_type = ?");
            args.add(filter.movementType());
        }
        if (filter.from() != null) {
            sql.append(" AND occurred_at >= ?");
            args.add(Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            sql.append(" AND occurred_at < ?");
            args.add(Timestamp.from(filter.to()));
        }
        if (cursor != null) {
            Cursor position = Cursor.decode(cursor);
            int slash = position.minor().lastIndexOf('/');
            if (slash < 0) {
                throw new Cursor.InvalidCursor();
            }
            sql.append(" AND (occurred_at, event_id, posting_index) < (?, ?, ?)");
            args.add(Cursor.timestamp(position.major()));
            args.add(position.minor().substring(0, slash));
            args.add(Cursor.parseInt(position.minor().substring(slash + 1)));
        }
        sql.append(" ORDER BY occurred_at DESC, event_id DESC, posting_index DESC LIMIT ?");
        args.add(limit + 1);
        List<PostingView> rows = jdbc.query(sql.toString(), LedgerQueries::posting, args.toArray());
        return page(rows, limit);
    }

    /** Every account's balance summed by account type and currency; each currency's total is zero. */
    public List<TrialBalanceLine> trialBalance() {
        Map<String, List<TrialBalanceLine.TypeTotal>> byCurrency = new LinkedHashMap<>();
        jdbc.query("SELECT currency, account_type, SUM(balance_minor), COUNT(*) FROM account_balance"
                + " GROUP BY currency, account_type ORDER BY currency, account_type", rs -> {
                    byCurrency.computeIfAbsent(rs.getString(1), key -> new ArrayList<>())
                            .add(new TrialBalanceLine.TypeTotal(rs.getString(2),
                                    rs.getBigDecimal(3).toBigIntegerExact(), rs.getLong(4)));
                });
        List<TrialBalanceLine> lines = new ArrayList<>();
        byCurrency.forEach((currency, totals) -> {
            BigInteger sum = BigInteger.ZERO;
            for (TrialBalanceLine.TypeTotal total : totals) {
                sum = sum.add(total.balanceMinor());
            }
            lines.add(new TrialBalanceLine(currency, totals, sum));
        });
        return lines;
    }

    static Page<PostingView> page(List<PostingView> rows, int limit) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<PostingView> items = rows.subList(0, limit);
        PostingView last = items.get(limit - 1);
        return new Page<>(List.copyOf(items),
                new Cursor(Cursor.micros(last.occurredAt()), last.eventId() + "/" + last.postingIndex()).encode());
    }

    private static PostingView posting(ResultSet rs, int row) throws SQLException {
        return new PostingView(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                Money.of(rs.getLong(6), rs.getString(5)), rs.getString(7), rs.getString(8),
                rs.getTimestamp(9).toInstant());
    }

    /**
     * Criteria of a journal search; null means any, and all that are given must hold. {@code to} is
     * exclusive. {@code accountsAnyOf} lets one search span several accounts (a user's wallets in
     * each currency); an empty list matches nothing. The amount bounds are inclusive, in minor units
     * of {@code currency}, and compare a posting's size whatever its sign.
     */
    public record JournalFilter(String accountId, List<String> accountsAnyOf, String movementType, Instant from,
                                Instant to, String currency, Long minAbsMinor, Long maxAbsMinor) {

        public JournalFilter {
            accountsAnyOf = accountsAnyOf == null ? null : List.copyOf(accountsAnyOf);
        }

        /** One account (or any), a movement type and a time range: the filters of a wallet's or merchant's history. */
        public JournalFilter(String accountId, String movementType, Instant from, Instant to) {
            this(accountId, null, movementType, from, to, null, null, null);
        }
    }

    public record PostingView(String eventId, int postingIndex, String accountId, String accountType,
                              Money amount, String movementType, String reference, Instant occurredAt) {
    }

    /**
     * A currency's accounts summed by type, in minor units. Exact integers of any size: one type's
     * sum over many accounts (all wallets, say) may exceed a {@code long} while the total is zero.
     */
    public record TrialBalanceLine(String currency, List<TypeTotal> accountTypes, BigInteger totalMinor) {

        public record TypeTotal(String accountType, BigInteger balanceMinor, long accounts) {
        }
    }
}
