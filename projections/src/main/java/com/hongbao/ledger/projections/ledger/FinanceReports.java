package com.hongbao.ledger.projections.ledger;

import com.hongbao.ledger.core.account.AccountType;
import com.hongbao.ledger.core.account.MovementType;
import com.hongbao.ledger.core.money.Money;
import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The platform's monthly figures, read from the journal alone so they agree with every balance and
 * statement finance derives from it. Everything that happened in the period is summed by one
 * statement over the period's postings (the time index bounds the scan to the month); only what
 * the receivables stood at when the month ended needs history, and that reads the receivable
 * postings through their own partial index (V107).
 *
 * <p>Each figure is taken from one side of its movements, so a movement is never counted twice:
 * <ul>
 *   <li>platform fees: the {@code platform_fee_revenue} account; earned is what was credited,
 *       refunded what refunds took back, net the difference;</li>
 *   <li>refunds: {@code payment_refund} on the {@code refund_clearing} side (what merchants paid
 *       back, card and instalment orders alike), counted by distinct refund;</li>
 *   <li>red packets: {@code red_packet_send} on the escrow side, counted by distinct packet;
 *       campaign packets are campaign spend, not sends;</li>
 *   <li>instalment plans: plan fees ({@code bnpl_checkout}), late fees ({@code bnpl_late_fee}) and
 *       fees reversed by refunds, all on {@code bnpl_fee_revenue}; write-offs on the receivable
 *       side, counted by distinct plan; receivables outstanding at the end of the period, as the
 *       buyers' debt (positive);</li>
 *   <li>campaign spend: packets issued from budgets less unclaimed packet money that came back
 *       (to the budget or, once a campaign ended, to the merchant), both on the escrow side: what
 *       users were given or still may claim. A packet issued in one month and returned in the next
 *       counts in each month respectively;</li>
 *   <li>merchant payouts: movement {@value #PAYOUT} on the merchant side, as a positive amount,
 *       counted by distinct reference. The movement type is still being added, so it is matched
 *       by its code and reports zero until payouts are booked.</li>
 * </ul>
 */
public class FinanceReports {

    /** The movement code of a merchant payout; a literal so the report does not wait for the enum. */
    public static final String PAYOUT = "payout";

    private final JdbcTemplate jdbc;

    public FinanceReports(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The figures of the period [from, to) in one currency. */
    public PeriodFigures period(String currency, Instant from, Instant to) {
        String fee = AccountType.PLATFORM_FEE_REVENUE.code();
        String refundClearing = AccountType.REFUND_CLEARING.code();
        String escrow = AccountType.RED_PACKET_ESCROW.code();
        String bnplFee = AccountType.BNPL_FEE_REVENUE.code();
        String receivable = AccountType.BNPL_RECEIVABLE.code();
        String merchant = AccountType.MERCHANT_SETTLEMENT.code();
        // One statement, so the period's movements and the receivables at its end are one snapshot.
        // Receivables are negative while owed: the debt at the end is minus every receivable
        // posting before it.
        return jdbc.queryForObject("SELECT"
                        + " COALESCE(SUM(amount_minor) FILTER (WHERE account_type = ? AND amount_minor > 0), 0),"
                        + " COALESCE(-SUM(amount_minor) FILTER (WHERE account_type = ? AND amount_minor < 0), 0),"
                        + " COUNT(DISTINCT reference) FILTER (WHERE movement_type = ? AND account_type = ?),"
                        + " COALESCE(SUM(amount_minor) FILTER (WHERE movement_type = ? AND account_type = ?), 0),"
                        + " COUNT(DISTINCT reference) FILTER (WHERE movement_type = ? AND account_type = ?),"
                        + " COALESCE(SUM(amount_minor) FILTER (WHERE movement_type = ? AND account_type = ?), 0),"
                        + " COALESCE(SUM(amount_minor) FILTER (WHERE movement_type = ? AND account_type = ?), 0),"
                        + " COALESCE(SUM(amount_minor) FILTER (WHERE movement_type = ? AND account_type = ?), 0),"
                        + " COALESCE(-SUM(amount_minor) FILTER (WHERE account_type = ? AND amount_minor < 0), 0),"
                        + " COUNT(DISTINCT reference) FILTER (WHERE movement_type = ? AND account_type = ?),"
                        + " COALESCE(SUM(amount_minor) FILTER (WHERE movement_type = ? AND account_type = ?), 0),"
                        + " COALESCE(SUM(amount_minor) FILTER (WHERE movement_type = ? AND account_type = ?), 0),"
                        + " COALESCE(-SUM(amount_minor) FILTER (WHERE movement_type = ? AND account_type = ?), 0),"
                        + " COUNT(DISTINCT reference) FILTER (WHERE movement_type = ? AND account_type = ?),"
                        + " COALESCE(-SUM(amount_minor) FILTER (WHERE movement_type = ? AND account_type = ?), 0),"
                        + " (SELECT COALESCE(-SUM(amount_minor), 0) FROM journal_posting"
                        + "  WHERE account_type = ? AND currency = ? AND occurred_at < ?)"
                        + " FROM journal_posting WHERE currency = ? AND occurred_at >= ? AND occurred_at < ?",
                (rs, row) -> {
                    int i = 1;
                    long feesEarned = rs.getLong(i++);
                    long feesRefunded = rs.getLong(i++);
                    Count refunds = new Count(rs.getLong(i++), Money.of(rs.getLong(i++), currency));
                    Count packets = new Count(rs.getLong(i++), Money.of(rs.getLong(i++), currency));
                    long planFees = rs.getLong(i++);
                    long lateFees = rs.getLong(i++);
                    long feesReversed = rs.getLong(i++);
                    Count writeOffs = new Count(rs.getLong(i++), Money.of(rs.getLong(i++), currency));
                    long issued = rs.getLong(i++);
                    long returned = rs.getLong(i++);
                    Count payouts = new Count(rs.getLong(i++), Money.of(rs.getLong(i++), currency));
                    long outstanding = rs.getLong(i);
                    return new PeriodFigures(
                            new Revenue(Money.of(feesEarned, currency), Money.of(feesRefunded, currency),
                                    Money.of(Math.subtractExact(feesEarned, feesRefunded), currency)),
                            refunds, packets,
                            new PlanFigures(Money.of(planFees, currency), Money.of(lateFees, currency),
                                    Money.of(feesReversed, currency),
                                    Money.of(Math.subtractExact(Math.addExact(planFees, lateFees), feesReversed),
                                            currency),
                                    writeOffs, Money.of(outstanding, currency)),
                            new CampaignSpend(Money.of(issued, currency), Money.of(returned, currency),
                                    Money.of(Math.subtractExact(issued, returned), currency)),
                            payouts);
                },
                fee, fee,
                MovementType.PAYMENT_REFUND.code(), refundClearing, MovementType.PAYMENT_REFUND.code(), refundClearing,
                MovementType.RED_PACKET_SEND.code(), escrow, MovementType.RED_PACKET_SEND.code(), escrow,
                MovementType.BNPL_CHECKOUT.code(), bnplFee, MovementType.BNPL_LATE_FEE.code(), bnplFee, bnplFee,
                MovementType.BNPL_WRITE_OFF.code(), receivable, MovementType.BNPL_WRITE_OFF.code(), receivable,
                MovementType.CAMPAIGN_PACKET_ISSUE.code(), escrow, MovementType.CAMPAIGN_PACKET_RETURN.code(), escrow,
                PAYOUT, merchant, PAYOUT, merchant,
                receivable, currency, Timestamp.from(to),
                currency, Timestamp.from(from), Timestamp.from(to));
    }

    public record PeriodFigures(Revenue platformFees, Count refunds, Count redPackets, PlanFigures instalmentPlans,
                                CampaignSpend campaigns, Count merchantPayouts) {
    }

    /** Fee revenue credited, taken back by refunds, and what remains. */
    public record Revenue(Money earned, Money refunded, Money net) {
    }

    /** How many distinct movements (refunds, packets, plans, payouts) and their total. */
    public record Count(long count, Money amount) {
    }

    /** Receivables outstanding are as of the end of the period, everything else is within it. */
    public record PlanFigures(Money planFees, Money lateFees, Money feesReversed, Money netFees, Count writeOffs,
                              Money receivablesOutstanding) {
    }

    public record CampaignSpend(Money issued, Money returned, Money net) {
    }
}
