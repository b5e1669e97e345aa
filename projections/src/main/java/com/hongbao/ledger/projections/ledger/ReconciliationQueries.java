package com.hongbao.ledger.projections.ledger;

import com.hongbao.ledger.core.account.AccountType;
import com.hongbao.ledger.core.account.MovementType;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The journal recomputed and set against what was derived from it. Each comparison is one
 * grouped statement, so the database does the work in a single pass and the application holds
 * only the differences (at most {@code limit} of them, and how many there were). Wallets are the
 * exception: their other side is the aggregate, so they are read in keyset batches the caller
 * compares one batch at a time.
 */
public class ReconciliationQueries {

    /** A check's name in a difference: what was compared with the journal. */
    public static final String ACCOUNT_BALANCE = "account_balance";
    public static final String POSTING_COUNT = "posting_count";
    public static final String PLAN_OUTSTANDING = "plan_outstanding";
    public static final String STATEMENT_BALANCE = "statement_balance";
    public static final String SETTLED_NET = "settled_net";
    /**
     * A check's name in a difference: money that has sat in clearing or escrow longer than the
     * threshold, on its way to an account that has not received it. Its {@code code} tells which
     * movement is missing (one of the {@code AGED_*} codes), its {@code reference} the refund, packet
     * or payment, and {@code since} when the money became due.
     */
    public static final String AGED_CLEARING = "aged_clearing";
    /** A merchant's refund in refund clearing that the payer's wallet has not taken. */
    public static final String AGED_REFUND_NOT_CREDITED = "refund_not_credited";
    /** Grabbed shares still in the packet's escrow, not in their grabbers' wallets. */
    public static final String AGED_SHARE_NOT_CREDITED = "share_not_credited";
    /** The unclaimed rest of an expired packet, still in its escrow, not back with its sender or campaign. */
    public static final String AGED_PACKET_NOT_RETURNED = "expired_packet_not_returned";
    /** The released part of a settled payment hold, still in payment clearing, not back in the wallet. */
    public static final String AGED_HOLD_NOT_RELEASED = "hold_release_not_returned";

    private final JdbcTemplate jdbc;

    public ReconciliationQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Every (account, currency) of the journal or of {@code account_balance}, its balance and
     * posting count recomputed from the postings and compared with the stored row; a side that is
     * missing counts as zero.
     */
    public Checked accounts(int limit) {
        return checked("WITH journal AS (SELECT account_id, currency, SUM(amount_minor) AS balance_minor,"
                        + " COUNT(*) AS posting_count FROM journal_posting GROUP BY account_id, currency),"
                        + " joined AS (SELECT COALESCE(j.account_id, b.account_id) AS account_id,"
                        + " COALESCE(j.currency, b.currency) AS currency,"
                        + " COALESCE(j.balance_minor, 0) AS journal_minor, COALESCE(b.balance_minor, 0) AS stored_minor,"
                        + " COALESCE(j.posting_count, 0) AS journal_count, COALESCE(b.posting_count, 0) AS stored_count"
                        + " FROM journal j FULL JOIN account_balance b"
                        + " ON b.account_id = j.account_id AND b.currency = j.currency),"
                        + " mismatched AS (SELECT * FROM joined"
                        + " WHERE journal_minor <> stored_minor OR journal_count <> stored_count)"
                        + " SELECT c.checked, c.mismatched, d.account_id, d.currency, d.journal_minor, d.stored_minor,"
                        + " d.journal_count, d.stored_count"
                        + " FROM (SELECT (SELECT COUNT(*) FROM joined) AS checked,"
                        + " (SELECT COUNT(*) FROM mismatched) AS mismatched) c"
                        + " LEFT JOIN (SELECT * FROM mismatched ORDER BY account_id, currency LIMIT ?) d ON TRUE",
                (rs, differences) -> {
                    // Compared as NUMERIC: a platform account's balance may exceed a long.
                    if (rs.getBigDecimal(5) != null && rs.getBigDecimal(5).compareTo(rs.getBigDecimal(6)) != 0) {
                        differences.add(new Difference(ACCOUNT_BALANCE, rs.getString(3), rs.getString(4),
                                rs.getLong(5), rs.getLong(6)));
                    }
                    if (rs.getLong(7) != rs.getLong(8)) {
                        differences.add(new Difference(POSTING_COUNT, rs.getString(3), rs.getString(4),
                                rs.getLong(7), rs.getLong(8)));
                    }
                }, limit);
    }

    /**
     * Every instalment plan's {@code outstanding_minor} against what its receivable account says
     * is owed (minus its journal balance, as the receivable is negative while owed); a receivable
     * without a plan row and a plan without receivable postings are compared with zero.
     */
    public Checked plans(int limit) {
        return checked("WITH journal AS (SELECT account_id, currency, -SUM(amount_minor) AS owed_minor"
                        + " FROM journal_posting WHERE account_type = ? GROUP BY account_id, currency),"
                        + " joined AS (SELECT COALESCE(j.account_id, ? || p.plan_id) AS account_id,"
                        + " COALESCE(j.currency, p.currency) AS currency,"
                        + " COALESCE(j.owed_minor, 0) AS journal_minor, COALESCE(p.outstanding_minor, 0) AS stored_minor"
                        + " FROM journal j FULL JOIN bnpl_plan p"
                        + " ON j.account_id = ? || p.plan_id AND j.currency = p.currency),"
                        + " mismatched AS (SELECT * FROM joined WHERE journal_minor <> stored_minor)"
                        + " SELECT c.checked, c.mismatched, d.account_id, d.currency, d.journal_minor, d.stored_minor"
                        + " FROM (SELECT (SELECT COUNT(*) FROM joined) AS checked,"
                        + " (SELECT COUNT(*) FROM mismatched) AS mismatched) c"
                        + " LEFT JOIN (SELECT * FROM mismatched ORDER BY account_id, currency LIMIT ?) d ON TRUE",
                (rs, differences) -> differences.add(new Difference(PLAN_OUTSTANDING, rs.getString(3),
                        rs.getString(4), rs.getLong(5), rs.getLong(6))),
                AccountType.BNPL_RECEIVABLE.code(), receivablePrefix(), receivablePrefix(), limit);
    }

    /**
     * Every merchant settlement account's journal balance against the sum of its statement days
     * (every line of every day, adjustments included): a statement agrees with the journal to the fen.
     */
    public Checked statements(int limit) {
        return checked("WITH journal AS (SELECT substr(account_id, ?) AS merchant_id, currency,"
                        + " SUM(amount_minor) AS balance_minor FROM journal_posting WHERE account_type = ?"
                        + " GROUP BY account_id, currency),"
                        + " statements AS (SELECT merchant_id, currency, SUM(net_minor) AS balance_minor"
                        + " FROM statement_day GROUP BY merchant_id, currency),"
                        + " joined AS (SELECT ? || COALESCE(j.merchant_id, s.merchant_id) AS account_id,"
                        + " COALESCE(j.currency, s.currency) AS currency, COALESCE(j.balance_minor, 0) AS journal_minor,"
                        + " COALESCE(s.balance_minor, 0) AS stored_minor FROM journal j FULL JOIN statements s"
                        + " ON s.merchant_id = j.merchant_id AND s.currency = j.currency),"
                        + " mismatched AS (SELECT * FROM joined WHERE journal_minor <> stored_minor)"
                        + " SELECT c.checked, c.mismatched, d.account_id, d.currency, d.journal_minor, d.stored_minor"
                        + " FROM (SELECT (SELECT COUNT(*) FROM joined) AS checked,"
                        + " (SELECT COUNT(*) FROM mismatched) AS mismatched) c"
                        + " LEFT JOIN (SELECT * FROM mismatched ORDER BY account_id, currency LIMIT ?) d ON TRUE",
                (rs, differences) -> differences.add(new Difference(STATEMENT_BALANCE, rs.getString(3),
                        rs.getString(4), rs.getLong(5), rs.getLong(6))),
                AccountType.MERCHANT_SETTLEMENT.code().length() + 2, AccountType.MERCHANT_SETTLEMENT.code(),
                AccountType.MERCHANT_SETTLEMENT.code() + ":", limit);
    }

    /**
     * Each merchant's settlements against its statements: what its last settlement covered (the
     * statements' net, payouts aside, up to that day, as the merchant's aggregate settled it) and what
     * those days' statements say now. A difference is a line that reached a day after the day was
     * settled: the next settlement covers it, but the closed statement changed.
     */
    public Checked settlements(int limit) {
        return checked("WITH last AS (SELECT DISTINCT ON (merchant_id) merchant_id, business_day, currency,"
                        + " cumulative_net_minor FROM settlement ORDER BY merchant_id, business_day DESC),"
                        + " joined AS (SELECT ? || l.merchant_id || '/' || l.business_day AS account_id, l.currency,"
                        + " COALESCE((SELECT SUM(d.net_minor - d.payouts_minor) FROM statement_day d"
                        + " WHERE d.merchant_id = l.merchant_id AND d.currency = l.currency"
                        + " AND d.business_day <= l.business_day), 0) AS journal_minor,"
                        + " l.cumulative_net_minor AS stored_minor FROM last l),"
                        + " mismatched AS (SELECT * FROM joined WHERE journal_minor <> stored_minor)"
                        + " SELECT c.checked, c.mismatched, d.account_id, d.currency, d.journal_minor, d.stored_minor"
                        + " FROM (SELECT (SELECT COUNT(*) FROM joined) AS checked,"
                        + " (SELECT COUNT(*) FROM mismatched) AS mismatched) c"
                        + " LEFT JOIN (SELECT * FROM mismatched ORDER BY account_id, currency LIMIT ?) d ON TRUE",
                (rs, differences) -> differences.add(new Difference(SETTLED_NET, rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getLong(6))),
                AccountType.MERCHANT_SETTLEMENT.code() + ":", limit);
    }

    /**
     * Money due out of clearing or escrow before {@code dueBefore} and still there, from the read
     * models at rest: refunds not credited (the refund row has no credit), grabbed shares not
     * credited and expired packets' rests not returned (a packet whose escrow still holds more than its
     * open shares), and released holds not returned (a settled manual payment with a released part and
     * no release in the journal). A packet's share is counted aged only for the part of its
     * uncredited money that later grabs cannot explain, so a share grabbed a moment ago never is.
     * {@code checked} counts the items looked at: the refunds not yet credited, the packets whose
     * escrow is not empty and the settled manual payments with a released part.
     */
    public Checked agedClearing(Instant dueBefore, int limit) {
        Timestamp cutoff = Timestamp.from(dueBefore);
        String refundClearing = AccountType.REFUND_CLEARING.code() + ":platform";
        String paymentClearing = AccountType.PAYMENT_CLEARING.code() + ":platform";
        String escrow = AccountType.RED_PACKET_ESCROW.code();
        return checked("WITH refunds AS (SELECT ? AS account_id, currency, amount_minor AS aged_minor,"
                        + " ? AS code, refund_id AS reference, refunded_at AS since FROM refund"
                        + " WHERE credited_at IS NULL AND refunded_at IS NOT NULL),"
                        + " escrows AS (SELECT b.account_id, p.packet_id, p.currency, p.status, p.total_minor,"
                        + " p.grabbed_minor, p.refunded_minor, p.finished_at, p.sent_at, b.balance_minor,"
                        + " COALESCE((SELECT -SUM(j.amount_minor) FROM journal_posting j WHERE j.account_id = b.account_id"
                        + " AND j.movement_type = ?), 0) AS claimed_minor,"
                        + " COALESCE((SELECT SUM(g.amount_minor) FROM red_packet_grab g WHERE g.packet_id = p.packet_id"
                        + " AND g.grabbed_at >= ?), 0) AS recent_minor,"
                        + " (SELECT MIN(g.grabbed_at) FROM red_packet_grab g WHERE g.packet_id = p.packet_id) AS first_grab"
                        + " FROM account_balance b JOIN red_packet p ON b.account_id = ? || p.packet_id"
                        + " WHERE b.account_type = ? AND b.balance_minor <> 0),"
                        + " shares AS (SELECT account_id, currency, grabbed_minor - claimed_minor - recent_minor AS aged_minor,"
                        + " ? AS code, packet_id AS reference, first_grab AS since FROM escrows),"
                        + " rests AS (SELECT account_id, currency,"
                        + " balance_minor - (grabbed_minor - claimed_minor) AS aged_minor,"
                        + " ? AS code, packet_id AS reference, finished_at AS since FROM escrows"
                        + " WHERE status = 'expired' AND finished_at < ?),"
                        + " holds AS (SELECT ? AS account_id, p.currency, p.released_minor AS aged_minor, ? AS code,"
                        + " p.payment_id AS reference, p.settled_at AS since FROM payment p"
                        + " WHERE p.capture_mode = 'manual' AND p.status <> 'authorised' AND p.released_minor > 0"
                        + " AND NOT EXISTS (SELECT 1 FROM journal_posting j WHERE j.movement_type = ?"
                        + " AND j.reference = p.payment_id)),"
                        + " items AS (SELECT * FROM refunds UNION ALL SELECT * FROM shares UNION ALL SELECT * FROM rests"
                        + " UNION ALL SELECT * FROM holds),"
                        + " aged AS (SELECT * FROM items WHERE aged_minor > 0 AND (code = ? OR since < ?)),"
                        + " counted AS (SELECT (SELECT COUNT(*) FROM refunds) + (SELECT COUNT(*) FROM escrows)"
                        + " + (SELECT COUNT(*) FROM holds) AS checked, (SELECT COUNT(*) FROM aged) AS mismatched)"
                        + " SELECT c.checked, c.mismatched, d.account_id, d.currency, d.aged_minor, d.code, d.reference,"
                        + " d.since FROM counted c"
                        + " LEFT JOIN (SELECT * FROM aged ORDER BY since, reference LIMIT ?) d ON TRUE",
                (rs, differences) -> differences.add(new Difference(AGED_CLEARING, rs.getString(3), rs.getString(4),
                        rs.getLong(5), 0L, rs.getString(6), rs.getString(7),
                        rs.getTimestamp(8) == null ? null : rs.getTimestamp(8).toInstant())),
                refundClearing, AGED_REFUND_NOT_CREDITED,
                MovementType.RED_PACKET_CLAIM.code(), cutoff, escrow + ":", escrow,
                AGED_SHARE_NOT_CREDITED, AGED_PACKET_NOT_RETURNED, cutoff,
                paymentClearing, AGED_HOLD_NOT_RELEASED, MovementType.AUTHORISATION_RELEASE.code(),
                AGED_SHARE_NOT_CREDITED, cutoff, limit);
    }

    /** The next {@code size} wallets after {@code afterWalletId} (exclusive; "" for the first), in id order. */
    public List<WalletRef> wallets(String afterWalletId, int size) {
        return jdbc.query("SELECT wallet_id, currency FROM wallet WHERE wallet_id > ? ORDER BY wallet_id LIMIT ?",
                (rs, row) -> new WalletRef(rs.getString(1), rs.getString(2)), afterWalletId, size);
    }

    /**
     * The journal balance of each wallet's account in the wallet's own currency, by wallet id;
     * a wallet without postings is absent (its balance is zero).
     */
    public Map<String, Long> walletBalances(List<WalletRef> wallets) {
        Map<String, Long> balances = new HashMap<>();
        if (wallets.isEmpty()) {
            return balances;
        }
        StringBuilder sql = new StringBuilder("SELECT w.wallet_id, SUM(j.amount_minor) FROM journal_posting j"
                + " JOIN (VALUES ");
        List<Object> args = new ArrayList<>();
        for (int i = 0; i < wallets.size(); i++) {
            sql.append(i == 0 ? "" : ",").append("(?, ?, ?)");
            WalletRef wallet = wallets.get(i);
            args.add(wallet.walletId());
            args.add(accountOf(wallet.walletId()));
            args.add(wallet.currency());
        }
        sql.append(") AS w (wallet_id, account_id, currency)"
                + " ON j.account_id = w.account_id AND j.currency = w.currency GROUP BY w.wallet_id");
        jdbc.query(sql.toString(), rs -> {
            balances.put(rs.getString(1), rs.getLong(2));
        }, args.toArray());
        return balances;
    }

    /** The journal account of a wallet. */
    public static String accountOf(String walletId) {
        return AccountType.WALLET.code() + ":" + walletId;
    }

    private static String receivablePrefix() {
        return AccountType.BNPL_RECEIVABLE.code() + ":";
    }

    private Checked checked(String sql, DifferenceReader reader, Object... args) {
        long[] counts = new long[2];
        List<Difference> differences = new ArrayList<>();
        jdbc.query(sql, rs -> {
            counts[0] = rs.getLong(1);
            counts[1] = rs.getLong(2);
            if (rs.getString(3) != null) {
                reader.read(rs, differences);
            }
        }, args);
        return new Checked(counts[0], counts[1], Collections.unmodifiableList(differences));
    }

    @FunctionalInterface
    private interface DifferenceReader {
        void read(java.sql.ResultSet rs, List<Difference> differences) throws java.sql.SQLException;
    }

    /**
     * What one check found: how many rows it compared, how many disagreed, and the first of those.
     * An account whose balance and count both disagree is one mismatched row and two differences.
     */
    public record Checked(long checked, long mismatched, List<Difference> differences) {
    }

    /**
     * One disagreement: the account and currency, what the journal says and what the compared
     * side says ({@code compared} is null when that side could not be read). Amounts are in minor
     * units; for {@link #POSTING_COUNT} both are counts.
     */
    public record Difference(String check, String accountId, String currency, long journal, Long compared,
                             String code, String reference, Instant since) {

        /**
         * A comparison's difference. Only {@link #AGED_CLEARING} has the rest: {@code journal} is the
         * money still in clearing, {@code compared} zero, what should be there by now.
         */
        public Difference(String check, String accountId, String currency, long journal, Long compared) {
            this(check, accountId, currency, journal, compared, null, null, null);
        }
    }

    /** A wallet to compare: its id and the one currency it holds. */
    public record WalletRef(String walletId, String currency) {
    }
}
