package com.hongbao.ledger.projections.ledger;

import com.hongbao.ledger.core.account.JournalEntries;
import com.hongbao.ledger.core.account.MoneyMovement;
import com.hongbao.ledger.core.account.Posting;
import com.hongbao.ledger.projections.support.BatchBuffer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The journal and account balances. Each money-moving event becomes its postings, keyed by the
 * event's identifier, and each account's balance grows by exactly the postings that were new:
 * a redelivered event inserts no posting and so changes no balance. Postings and balances of a
 * whole batch are written with one statement each, in account order so concurrent batches never
 * deadlock, which also keeps a hot merchant's balance row to one update per batch.
 */
@ProcessingGroup(LedgerProjection.PROCESSING_GROUP)
public class LedgerProjection {

    public static final String PROCESSING_GROUP = "ledger";
    private static final int ROWS_PER_STATEMENT = 1_000;

    private final JdbcTemplate jdbc;

    public LedgerProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /*
     * The key is the event's own identifier, never the tracking token handed to the handler: in a
     * pooled processor's batch that token need not be the event's own position, and two events
     * sharing a key would silently drop postings.
     */
    @EventHandler
    void on(MoneyMovement movement, EventMessage<?> message) {
        List<Posting> postings = JournalEntries.requireBalanced(movement.postings());
        for (int i = 0; i < postings.size(); i++) {
            BatchBuffer.add("ledger-postings", new PostingRow(message.getIdentifier(), i, postings.get(i), movement),
                    this::write);
        }
    }

    @ResetHandler
    void reset() {
        jdbc.execute("TRUNCATE journal_posting, account_balance");
    }

    private void write(List<PostingRow> rows) {
        Map<String, BalanceDelta> deltas = new TreeMap<>();
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            insertPostings(rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT)), deltas);
        }
        List<BalanceDelta> sorted = new ArrayList<>(deltas.values());
        for (int from = 0; from < sorted.size(); from += ROWS_PER_STATEMENT) {
            upsertBalances(sorted.subList(from, Math.min(sorted.size(), from + ROWS_PER_STATEMENT)));
        }
    }

    /** Inserts the postings not yet in the journal and adds the inserted ones to the deltas. */
    private void insertPostings(List<PostingRow> rows, Map<String, BalanceDelta> deltas) {
        StringBuilder sql = new StringBuilder("INSERT INTO journal_posting (event_id, posting_index, "
                + "account_id, account_type, currency, amount_minor, movement_type, reference, occurred_at) VALUES ");
        List<Object> args = new ArrayList<>(rows.size() * 9);
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?)");
            PostingRow row = rows.get(i);
            args.add(row.eventId());
            args.add(row.postingIndex());
            args.add(row.posting().account().toString());
            args.add(row.posting().account().type().code());
            args.add(row.posting().amount().currency().getCurrencyCode());
            args.add(row.posting().amount().minor());
            args.add(row.movement().movementType().code());
            args.add(row.movement().reference());
            args.add(Timestamp.from(row.movement().occurredAt()));
        }
        sql.append(" ON CONFLICT (event_id, posting_index) DO NOTHING"
                + " RETURNING account_id, currency, account_type, amount_minor");
        jdbc.query(sql.toString(), resultSet -> {
            String accountId = resultSet.getString(1);
            String currency = resultSet.getString(2);
            String accountType = resultSet.getString(3);
            deltas.computeIfAbsent(accountId + "|" + currency,
                            key -> new BalanceDelta(accountId, currency, accountType))
                    .add(resultSet.getLong(4));
        }, args.toArray());
    }

    private void upsertBalances(List<BalanceDelta> deltas) {
        StringBuilder sql = new StringBuilder(
                "INSERT INTO account_balance (account_id, currency, account_type, balance_minor, posting_count,"
                        + " credited_minor) VALUES ");
        List<Object> args = new ArrayList<>(deltas.size() * 6);
        for (int i = 0; i < deltas.size(); i++) {
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?)");
            BalanceDelta delta = deltas.get(i);
            args.add(delta.accountId);
            args.add(delta.currency);
            args.add(delta.accountType);
            args.add(new BigDecimal(delta.amountMinor));
            args.add(delta.postingCount);
            args.add(new BigDecimal(delta.creditedMinor));
        }
        sql.append(" ON CONFLICT (account_id, currency) DO UPDATE SET"
                + " balance_minor = account_balance.balance_minor + EXCLUDED.balance_minor,"
                + " posting_count = account_balance.posting_count + EXCLUDED.posting_count,"
                + " credited_minor = account_balance.credited_minor + EXCLUDED.credited_minor");
        jdbc.update(sql.toString(), args.toArray());
    }

    private record PostingRow(String eventId, int postingIndex, Posting posting, MoneyMovement movement) {
    }

    /**
     * What a batch adds to one account. Kept exact beyond a {@code long}: a batch of large
     * postings to one platform account may add up to more, and the balance column is NUMERIC.
     */
    private static final class BalanceDelta {
        private final String accountId;
        private final String currency;
        private final String accountType;
        private BigInteger amountMinor = BigInteger.ZERO;
        private long postingCount;
        private BigInteger creditedMinor = BigInteger.ZERO;

        private BalanceDelta(String accountId, String currency, String accountType) {
            this.accountId = accountId;
            this.currency = currency;
            this.accountType = accountType;
        }

        private void add(long minor) {
            BigInteger amount = BigInteger.valueOf(minor);
            amountMinor = amountMinor.add(amount);
            postingCount++;
            if (minor > 0) {
                creditedMinor = creditedMinor.add(amount);
            }
        }
    }
}
