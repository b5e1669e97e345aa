package com.hongbao.ledger.projections.statement;

import com.hongbao.ledger.core.account.AccountType;
import com.hongbao.ledger.core.account.MoneyMovement;
import com.hongbao.ledger.core.account.Posting;
import com.hongbao.ledger.core.campaign.CampaignEvent;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentCaptured;
import com.hongbao.ledger.core.refund.RefundEvent.MerchantRefundedPayment;
import com.hongbao.ledger.core.settlement.SettlementEvent;
import com.hongbao.ledger.core.settlement.SettlementEvent.MerchantDaySettled;
import com.hongbao.ledger.core.settlement.SettlementEvent.MerchantPayoutsHeld;
import com.hongbao.ledger.projections.support.BatchBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Merchant statements. Every posting on a merchant's settlement account becomes a line on the
 * business day the {@link BusinessCalendar} places it on, keyed by the event's identifier and the
 * posting's position, so a redelivered event inserts nothing; each day's totals grow by exactly
 * the lines that were new. A whole batch is written with a few multi-row statements, day totals in
 * key order so concurrent batches never deadlock. Settlements and payout holds are kept beside.
 */
@ProcessingGroup(StatementProjection.PROCESSING_GROUP)
public class StatementProjection {

    public static final String PROCESSING_GROUP = "statements";
    private static final int ROWS_PER_STATEMENT = 1_000;
    private static final int COLUMNS = 19;

    private final JdbcTemplate jdbc;
    private final BusinessCalendar calendar;

    public StatementProjection(JdbcTemplate jdbc, BusinessCalendar calendar) {
        this.jdbc = jdbc;
        this.calendar = calendar;
    }

    @EventHandler
    void on(MoneyMovement movement, EventMessage<?> message) {
        for (Line line : lines(movement, message.getIdentifier(), message.getTimestamp())) {
            BatchBuffer.add("statement-lines", line, this::write);
        }
        recordSettlementFacts(movement);
    }

    /** The statement lines of one event: one per posting on a merchant's settlement account. */
    List<Line> lines(MoneyMovement movement, String eventId, Instant recordedAt) {
        List<Posting> postings = movement.postings();
        List<Line> lines = new ArrayList<>(1);
        for (int index = 0; index < postings.size(); index++) {
            Posting posting = postings.get(index);
            if (posting.account().type() == AccountType.MERCHANT_SETTLEMENT) {
                lines.add(line(eventId, index, posting, movement, recordedAt));
            }
        }
        return lines;
    }

    /** Whether an event is a settlement or a payout hold, kept beside the statements. */
    static boolean isSettlementFact(MoneyMovement movement) {
        return movement instanceof MerchantDaySettled || movement instanceof MerchantPayoutsHeld;
    }

    /** Records a merchant's settled day or its payout hold; any other event is ignored. */
    void recordSettlementFacts(MoneyMovement movement) {
        switch (movement) {
            case MerchantDaySettled settled -> jdbc.update("INSERT INTO settlement (merchant_id, business_day, currency,"
                            + " net_minor, cumulative_net_minor, carried_in_minor, payout_minor, carried_out_minor, held,"
                            + " settled_at) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (merchant_id, business_day) DO NOTHING",
                    settled.merchantId().value(), Date.valueOf(settled.day()), settled.net().currency().getCurrencyCode(),
                    settled.net().minor(), settled.cumulativeNet().minor(), settled.carriedIn().minor(),
                    settled.payout().minor(), settled.carriedOut().minor(), settled.held(),
                    Timestamp.from(settled.at()));
            case MerchantPayoutsHeld held -> jdbc.update("INSERT INTO payout_hold (merchant_id, held, carried_out_minor,"
                            + " changed_at) VALUES (?,?,?,?) ON CONFLICT (merchant_id) DO UPDATE SET held = EXCLUDED.held,"
                            + " carried_out_minor = EXCLUDED.carried_out_minor, changed_at = EXCLUDED.changed_at"
                            + " WHERE payout_hold.changed_at <= EXCLUDED.changed_at",
                    held.merchantId().value(), held.held(), held.carriedOut().minor(), Timestamp.from(held.at()));
            default -> {
            }
        }
    }

    @ResetHandler
    void reset() {
        jdbc.execute("TRUNCATE statement_line, statement_day, settlement, payout_hold");
    }

    private Line line(String eventId, int index, Posting posting, MoneyMovement movement, Instant recordedAt) {
        BusinessCalendar.Placement placement = calendar.place(movement.occurredAt(), recordedAt);
        String merchantId = posting.account().owner();
        long amount = posting.amount().minor();
        Line line = new Line(eventId, index, merchantId, placement.day(), placement.adjustment(),
                movement.occurredAt(), recordedAt, "other", posting.amount().currency().getCurrencyCode(), amount,
                0, 0, null, null, null, null, null, null, movement.reference());
        return switch (movement) {
            case PaymentCaptured capture -> line.with("payment", capture.captured().minor(), capture.fee().minor(),
                    capture.feeRateBasisPoints(), capture.paymentId().value(), capture.orderNumber(),
                    payerRef(merchantId, capture.payer().value()), null, null);
            case MerchantRefundedPayment refund -> line.with("refund", refund.amount().minor(),
                    -refund.feeRefunded().minor(), null, refund.paymentId().value(), null,
                    payerRef(merchantId, refund.payer().value()), refund.refundId().value(), refund.refundNumber());
            case CampaignEvent campaign -> line.with(amount < 0 ? "campaign_funding" : "campaign_return", 0, 0, null,
                    null, null, null, null, null);
            case SettlementEvent settlement -> line.with("payout", 0, 0, null, null, null, null, null, null);
            default -> line;
        };
    }

    /**
     * A stable pseudonym of a payer for one merchant (as a bill's buyer id): the merchant can tell
     * repeat buyers apart but cannot recover the user id, nor match buyers with another merchant.
     */
    static String payerRef(String merchantId, String payerId) {
        byte[] digest = SHA_256.get().digest((merchantId + "\u0000" + payerId).getBytes(StandardCharsets.UTF_8));
        return "u_" + HexFormat.of().formatHex(digest, 0, 12);
    }

    /** One digest per processing thread: looking the algorithm up costs more than hashing a short id. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    });

    private void write(List<Line> lines) {
        Map<String, DayDelta> deltas = new TreeMap<>();
        for (int from = 0; from < lines.size(); from += ROWS_PER_STATEMENT) {
            insert(lines.subList(from, Math.min(lines.size(), from + ROWS_PER_STATEMENT)), deltas);
        }
        List<DayDelta> sorted = new ArrayList<>(deltas.values());
        for (int from = 0; from < sorted.size(); from += ROWS_PER_STATEMENT) {
            upsertDays(sorted.subList(from, Math.min(sorted.size(), from + ROWS_PER_STATEMENT)));
        }
    }

    private void insert(List<Line> lines, Map<String, DayDelta> deltas) {
        StringBuilder sql = new StringBuilder("INSERT INTO statement_line (event_id, posting_index, merchant_id,"
                + " business_day, adjustment, occurred_at, recorded_at, line_type, currency, amount_minor, gross_minor,"
                + " fee_minor, fee_rate_bp, payment_id, order_number, payer_ref, refund_id, refund_number, reference)"
                + " VALUES ");
        List<Object> args = new ArrayList<>(lines.size() * COLUMNS);
        for (int i = 0; i < lines.size(); i++) {
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
            Line line = lines.get(i);
            args.add(line.eventId());
            args.add(line.postingIndex());
            args.add(line.merchantId());
            args.add(Date.valueOf(line.day()));
            args.add(line.adjustment());
            args.add(Timestamp.from(line.occurredAt()));
            args.add(Timestamp.from(line.recordedAt()));
            args.add(line.type());
            args.add(line.currency());
            args.add(line.amountMinor());
            args.add(line.grossMinor());
            args.add(line.feeMinor());
            args.add(line.feeRateBp());
            args.add(line.paymentId());
            args.add(line.orderNumber());
            args.add(line.payerRef());
            args.add(line.refundId());
            args.add(line.refundNumber());
            args.add(line.reference());
        }
        sql.append(" ON CONFLICT (event_id, posting_index) DO NOTHING RETURNING merchant_id, business_day, currency,"
                + " line_type, adjustment, amount_minor, gross_minor, fee_minor");
        jdbc.query(sql.toString(), rs -> {
            String merchant = rs.getString(1);
            LocalDate day = rs.getDate(2).toLocalDate();
            String currency = rs.getString(3);
            deltas.computeIfAbsent(merchant + "|" + day + "|" + currency, key -> new DayDelta(merchant, day, currency))
                    .add(rs.getString(4), rs.getBoolean(5), rs.getLong(6), rs.getLong(7), rs.getLong(8));
        }, args.toArray());
    }

    private void upsertDays(List<DayDelta> days) {
        StringBuilder sql = new StringBuilder("INSERT INTO statement_day (merchant_id, business_day, currency, lines,"
                + " net_minor, payments_count, payments_minor, refunds_count, refunds_minor, fees_minor, campaign_minor,"
                + " payouts_count, payouts_minor, adjustments_count, adjustments_minor) VALUES ");
        List<Object> args = new ArrayList<>(days.size() * 15);
        for (int i = 0; i < days.size(); i++) {
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
            DayDelta day = days.get(i);
            args.add(day.merchant);
            args.add(Date.valueOf(day.day));
            args.add(day.currency);
            args.add(day.lines);
            args.add(day.net);
            args.add(day.paymentsCount);
            args.add(day.payments);
            args.add(day.refundsCount);
            args.add(day.refunds);
            args.add(day.fees);
            args.add(day.campaign);
            args.add(day.payoutsCount);
            args.add(day.payouts);
            args.add(day.adjustmentsCount);
            args.add(day.adjustments);
        }
        sql.append(" ON CONFLICT (merchant_id, business_day, currency) DO UPDATE SET"
                + " lines = statement_day.lines + EXCLUDED.lines,"
                + " net_minor = statement_day.net_minor + EXCLUDED.net_minor,"
                + " payments_count = statement_day.payments_count + EXCLUDED.payments_count,"
                + " payments_minor = statement_day.payments_minor + EXCLUDED.payments_minor,"
                + " refunds_count = statement_day.refunds_count + EXCLUDED.refunds_count,"
                + " refunds_minor = statement_day.refunds_minor + EXCLUDED.refunds_minor,"
                + " fees_minor = statement_day.fees_minor + EXCLUDED.fees_minor,"
                + " campaign_minor = statement_day.campaign_minor + EXCLUDED.campaign_minor,"
                + " payouts_count = statement_day.payouts_count + EXCLUDED.payouts_count,"
                + " payouts_minor = statement_day.payouts_minor + EXCLUDED.payouts_minor,"
                + " adjustments_count = statement_day.adjustments_count + EXCLUDED.adjustments_count,"
                + " adjustments_minor = statement_day.adjustments_minor + EXCLUDED.adjustments_minor");
        jdbc.update(sql.toString(), args.toArray());
    }

    /** One statement line, as {@code statement_line} holds it. */
    record Line(String eventId, int postingIndex, String merchantId, LocalDate day, boolean adjustment,
                        Instant occurredAt, Instant recordedAt, String type, String currency, long amountMinor,
                        long grossMinor, long feeMinor, Integer feeRateBp, String paymentId, String orderNumber,
                        String payerRef, String refundId, String refundNumber, String reference) {

        Line with(String lineType, long gross, long fee, Integer feeRate, String payment, String order, String payer,
                  String refund, String refundNo) {
            return new Line(eventId, postingIndex, merchantId, day, adjustment, occurredAt, recordedAt, lineType,
                    currency, amountMinor, gross, fee, feeRate, payment, order, payer, refund, refundNo, reference);
        }
    }

    /** What newly inserted lines add to one merchant's day. */
    private static final class DayDelta {
        private final String merchant;
        private final LocalDate day;
        private final String currency;
        private long lines;
        private long net;
        private long paymentsCount;
        private long payments;
        private long refundsCount;
        private long refunds;
        private long fees;
        private long campaign;
        private long payoutsCount;
        private long payouts;
        private long adjustmentsCount;
        private long adjustments;

        private DayDelta(String merchant, LocalDate day, String currency) {
            this.merchant = merchant;
            this.day = day;
            this.currency = currency;
        }

        private void add(String type, boolean adjustment, long amount, long gross, long fee) {
            lines++;
            net = Math.addExact(net, amount);
            fees = Math.addExact(fees, fee);
            switch (type) {
                case "payment" -> {
                    paymentsCount++;
                    payments = Math.addExact(payments, gross);
                }
                case "refund" -> {
                    refundsCount++;
                    refunds = Math.addExact(refunds, gross);
                }
                case "campaign_funding", "campaign_return" -> campaign = Math.addExact(campaign, amount);
                case "payout" -> {
                    payoutsCount++;
                    payouts = Math.addExact(payouts, amount);
                }
                default -> {
                }
            }
            if (adjustment) {
                adjustmentsCount++;
                adjustments = Math.addExact(adjustments, amount);
            }
        }
    }
}
