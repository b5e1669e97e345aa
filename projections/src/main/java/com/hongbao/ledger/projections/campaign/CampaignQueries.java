package com.hongbao.ledger.projections.campaign;

import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.projections.support.Due;
import com.hongbao.ledger.projections.support.Dues;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Campaigns by id, those due to end, and the campaign report: what was issued, claimed, expired
 * and returned, who received packets (new to the merchant or returning), and what recipients
 * spent at the merchant within 7 days after claiming.
 */
public class CampaignQueries {

    /** How long after claiming a packet a recipient's payment counts towards the campaign. */
    public static final String ATTRIBUTION_WINDOW = "7 days";

    private final JdbcTemplate jdbc;

    public CampaignQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<CampaignView> byId(String campaignId) {
        return jdbc.query("SELECT * FROM campaign WHERE campaign_id = ?", CampaignQueries::view, campaignId).stream()
                .findFirst();
    }

    /** Running campaigns whose end is at or before {@code now}, oldest first, after {@code after} (null: from the first). */
    public List<Due> dueToEnd(Instant now, Due after, int limit) {
        return Dues.page(jdbc, "SELECT ends_at AS due_at, campaign_id AS due_key, campaign_id AS due_id FROM campaign"
                + " WHERE status = 'active' AND ends_at <= ?", "ends_at", "campaign_id", now, after, limit);
    }

    private static final int DAY_COUNTERS = 13;

    /** The report for the whole campaign and per day (days in {@code zone}), or empty for an unknown campaign. */
    public Optional<CampaignReport> report(String campaignId, ZoneId zone) {
        return byId(campaignId).map(campaign -> {
            String currency = campaign.currency();
            Map<LocalDate, long[]> days = new TreeMap<>();
            // PostgreSQL reads a bare offset such as '+08:00' with the POSIX sign (west positive); an
            // interval means what ISO-8601 means. Region ids (Asia/Shanghai) stay names, for their rules.
            String atZone = zone instanceof ZoneOffset ? "AT TIME ZONE CAST(? AS INTERVAL)" : "AT TIME ZONE ?";
            Object tz = zone instanceof ZoneOffset offset ? offsetInterval(offset) : zone.getId();
            // Per-day counters: 0 issued, 1 issued minor, 2 claimed, 3 claimed minor, 4 expired, 5 expired minor,
            // 6 recipients, 7 new recipients, 8 payments, 9 payments minor, 10 new paying customers,
            // 11 returning recipients, 12 claimed minor of the packets issued that day.
            jdbc.query("SELECT (issued_at " + atZone + ")::date AS day, COUNT(*), SUM(amount_minor),"
                    + " COUNT(DISTINCT user_id), COALESCE(SUM(amount_minor) FILTER (WHERE claimed_at IS NOT NULL), 0)"
                    + " FROM campaign_packet WHERE campaign_id = ? GROUP BY 1", rs -> {
                long[] day = day(days, rs);
                day[0] = rs.getLong(2);
                day[1] = rs.getLong(3);
                day[6] = rs.getLong(4);
                day[12] = rs.getLong(5);
            }, tz, campaignId);
            jdbc.query("SELECT (claimed_at " + atZone + ")::date, COUNT(*), SUM(amount_minor) FROM campaign_packet"
                    + " WHERE campaign_id = ? AND claimed_at IS NOT NULL GROUP BY 1", rs -> {
                long[] day = day(days, rs);
                day[2] = rs.getLong(2);
                day[3] = rs.getLong(3);
            }, tz, campaignId);
            jdbc.query("SELECT (expired_at " + atZone + ")::date, COUNT(*), SUM(amount_minor) FROM campaign_packet"
                    + " WHERE campaign_id = ? AND expired_at IS NOT NULL GROUP BY 1", rs -> {
                long[] day = day(days, rs);
                day[4] = rs.getLong(2);
                day[5] = rs.getLong(3);
            }, tz, campaignId);
            // New, returning and new paying recipients count on the day of their first packet, so
            // the days add up to the campaign's totals.
            jdbc.query("WITH firsts AS (" + FIRST_PACKETS + ") SELECT (first_at " + atZone + ")::date,"
                    + " COUNT(*) FILTER (WHERE is_new), COUNT(*) FILTER (WHERE NOT is_new),"
                    + " COUNT(*) FILTER (WHERE is_new AND EXISTS (SELECT 1 FROM payment p WHERE " + ATTRIBUTED_PAYMENT
                    + " AND p.payer_id = f.user_id)) FROM firsts f GROUP BY 1", rs -> {
                long[] day = day(days, rs);
                day[7] = rs.getLong(2);
                day[11] = rs.getLong(3);
                day[10] = rs.getLong(4);
            }, campaign.merchantId(), campaignId, tz, campaign.merchantId(), campaignId);
            jdbc.query("SELECT (p.authorised_at " + atZone + ")::date, COUNT(*), SUM(p.captured_minor) FROM payment p"
                    + " WHERE " + ATTRIBUTED_PAYMENT + " GROUP BY 1", rs -> {
                long[] day = day(days, rs);
                day[8] = rs.getLong(2);
                day[9] = rs.getLong(3);
            }, tz, campaign.merchantId(), campaignId);

            long[] sum = new long[DAY_COUNTERS];
            List<DayReport> perDay = days.entrySet().stream().map(entry -> {
                long[] d = entry.getValue();
                for (int i = 0; i < sum.length; i++) {
                    sum[i] = Math.addExact(sum[i], d[i]);
                }
                return new DayReport(entry.getKey(), counted(d[0], d[1], currency), counted(d[2], d[3], currency),
                        counted(d[4], d[5], currency), d[6], d[7], d[11], counted(d[8], d[9], currency), d[10],
                        costPer(d[12], d[10], currency));
            }).toList();
            // Every recipient has exactly one first-packet day, so the totals are the days' sums.
            long newRecipients = sum[7];
            long returningRecipients = sum[11];
            long newPaying = sum[10];
            return new CampaignReport(campaign, campaign.budget(),
                    counted(sum[0], sum[1], currency), counted(sum[2], sum[3], currency), counted(sum[4], sum[5], currency),
                    counted(campaign.returnedToMerchantCount(), campaign.returnedToMerchantMinor(), currency),
                    newRecipients + returningRecipients, newRecipients, returningRecipients,
                    counted(sum[8], sum[9], currency), newPaying, costPer(sum[3], newPaying, currency), zone.getId(),
                    perDay);
        });
    }

    /**
     * Each recipient's first packet of the campaign, and whether they were new to the merchant then:
     * no payment to it captured before that packet was issued. Parameters: merchant id, campaign id.
     */
    private static final String FIRST_PACKETS = "SELECT cp.user_id, MIN(cp.issued_at) AS first_at,"
            + " NOT EXISTS (SELECT 1 FROM payment p WHERE p.payer_id = cp.user_id AND p.merchant_id = ?"
            + " AND p.captured_minor > 0 AND p.authorised_at < MIN(cp.issued_at)) AS is_new"
            + " FROM campaign_packet cp WHERE cp.campaign_id = ? GROUP BY cp.user_id";

    /**
     * A captured payment by a recipient to the merchant, made within the attribution window after
     * one of their packets of this campaign was claimed. Parameters: merchant id, campaign id.
     */
    private static final String ATTRIBUTED_PAYMENT = "p.merchant_id = ? AND p.captured_minor > 0 AND EXISTS ("
            + "SELECT 1 FROM campaign_packet cp WHERE cp.campaign_id = ? AND cp.user_id = p.payer_id"
            + " AND cp.claimed_at IS NOT NULL AND p.authorised_at >= cp.claimed_at"
            + " AND p.authorised_at < cp.claimed_at + INTERVAL '" + ATTRIBUTION_WINDOW + "')";

    /** An offset as a PostgreSQL interval, e.g. {@code +08:00} → {@code 08:00:00}, {@code -05:30} → {@code -05:30:00}. */
    public static String offsetInterval(ZoneOffset offset) {
        int seconds = offset.getTotalSeconds();
        int abs = Math.abs(seconds);
        return String.format(java.util.Locale.ROOT, "%s%02d:%02d:%02d", seconds < 0 ? "-" : "", abs / 3600,
                (abs / 60) % 60, abs % 60);
    }

    private static long[] day(Map<LocalDate, long[]> days, ResultSet rs) throws SQLException {
        return days.computeIfAbsent(rs.getObject(1, LocalDate.class), key -> new long[DAY_COUNTERS]);
    }

    /** The claimed amount over the new paying customers, half up to the fen; null when there are none. */
    private static Money costPer(long claimedMinor, long newPaying, String currency) {
        return newPaying == 0 ? null : Money.of(BigDecimal.valueOf(claimedMinor)
                .divide(BigDecimal.valueOf(newPaying), 0, RoundingMode.HALF_UP).longValueExact(), currency);
    }

    private static Counted counted(long count, long minor, String currency) {
        return new Counted(count, Money.of(minor, currency));
    }

    private static CampaignView view(ResultSet rs, int row) throws SQLException {
        Timestamp ended = rs.getTimestamp("ended_at");
        String currency = rs.getString("currency");
        return new CampaignView(rs.getString("campaign_id"), rs.getString("merchant_id"), rs.getString("name"), currency,
                Money.of(rs.getLong("budget_minor"), currency),
                Money.of(rs.getLong("remaining_minor"), currency), rs.getTimestamp("starts_at").toInstant(),
                rs.getTimestamp("ends_at").toInstant(), rs.getInt("per_user_max_count"),
                Money.of(rs.getLong("per_user_max_minor"), currency), Money.of(rs.getLong("daily_max_minor"), currency),
                money(rs, "fixed_minor", currency), money(rs, "min_minor", currency), money(rs, "max_minor", currency),
                rs.getString("status"), rs.getLong("returned_to_merchant_minor"), rs.getInt("returned_to_merchant_count"),
                rs.getTimestamp("created_at").toInstant(), ended == null ? null : ended.toInstant());
    }

    private static Money money(ResultSet rs, String column, String currency) throws SQLException {
        long minor = rs.getLong(column);
        return rs.wasNull() ? null : Money.of(minor, currency);
    }

    /** A campaign as its merchant and finance see it. The returned-to-merchant totals feed the report. */
    public record CampaignView(String campaignId, String merchantId, String name, String currency, Money budget,
                               Money unissued, Instant startsAt, Instant endsAt, int perUserMaxCount,
                               Money perUserMaxAmount, Money dailyMaxAmount, Money fixedAmount, Money minAmount,
                               Money maxAmount, String status, long returnedToMerchantMinor,
                               int returnedToMerchantCount, Instant createdAt, Instant endedAt) {
    }

    /** A count of packets or payments and their amount. */
    public record Counted(long count, Money amount) {
    }

    /**
     * The campaign report. {@code refunded} is what went back to the merchant (unissued budget at
     * the end, and packets that expired after it); {@code paymentsAfterClaim} are recipients'
     * payments to the merchant within 7 days after claiming (their amount is the GMV);
     * {@code costPerNewPayingCustomer} is the claimed amount over the new recipients who paid.
     */
    public record CampaignReport(CampaignView campaign, Money budget, Counted issued, Counted claimed, Counted expired,
                                 Counted refunded, long uniqueRecipients, long newRecipients, long returningRecipients,
                                 Counted paymentsAfterClaim, long newPayingCustomers, Money costPerNewPayingCustomer,
                                 String timeZone, List<DayReport> days) {
    }

    /**
     * One day of the report: packets by the day they were issued, claimed or expired; the day's
     * distinct recipients; new and returning recipients and new paying customers on the day of
     * their first packet of the campaign (so each adds up to its total over the days); payments by
     * the day made; and the cost per new paying customer: what was claimed of the packets issued
     * that day over the new paying customers acquired that day. What went back to the merchant is
     * reported for the whole campaign only: it is settled once, at the end.
     */
    public record DayReport(LocalDate day, Counted issued, Counted claimed, Counted expired, long recipients,
                            long newRecipients, long returningRecipients, Counted paymentsAfterClaim,
                            long newPayingCustomers, Money costPerNewPayingCustomer) {
    }
}
