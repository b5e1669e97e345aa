package com.hongbao.ledger.projections.bnpl;

import com.hongbao.ledger.core.bnpl.InstalmentBalance;
import com.hongbao.ledger.core.bnpl.PlanEvent.CreditLineSet;
import com.hongbao.ledger.core.bnpl.PlanEvent.PlanChange;
import com.hongbao.ledger.core.bnpl.PlanEvent.PlanCheckedOut;
import com.hongbao.ledger.core.bnpl.PlanEvent.PlanDefaulted;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Instalment plans, their instalments and credit lines. Every plan fact states the plan and the
 * instalments it changed as they are afterwards, so each row is overwritten; the wallet's event
 * sequence number keeps an older fact from overwriting a newer one.
 */
@ProcessingGroup(BnplProjection.PROCESSING_GROUP)
public class BnplProjection {

    public static final String PROCESSING_GROUP = "bnpl-plans";

    private final JdbcTemplate jdbc;

    public BnplProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(PlanCheckedOut event, @SequenceNumber long sequence) {
        var schedule = event.schedule();
        var terms = event.terms();
        int inserted = jdbc.update("INSERT INTO bnpl_plan (plan_id, wallet_id, buyer_id, merchant_id, order_number, plan_type, currency,"
                        + " order_minor, fee_basis_points, fee_minor, total_minor, late_fee_minor, grace_days,"
                        + " late_fee_cap_minor, default_after_days, status, outstanding_minor, next_review_at,"
                        + " checked_out_at, updated_at, last_sequence) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                        + " ON CONFLICT (plan_id) DO NOTHING",
                event.planId().value(), event.walletId().value(), event.buyer().value(), event.merchantId().value(),
                event.orderNumber(), schedule.type().code(), schedule.total().currency().getCurrencyCode(),
                schedule.orderAmount().minor(), schedule.feeBasisPoints(), schedule.fee().minor(),
                schedule.total().minor(), terms.lateFee().minor(), terms.graceDays(),
                terms.lateFeeCapMinor(schedule.orderAmount()), terms.defaultAfterDays(), code(event),
                event.outstanding().minor(), timestamp(event), Timestamp.from(event.at()), Timestamp.from(event.at()),
                sequence);
        // A redelivered checkout must not put back instalments that later facts have changed.
        if (inserted == 1) {
            upsert(event.planId().value(), event.instalments());
        }
    }

    @EventHandler
    void on(PlanChange event, @SequenceNumber long sequence) {
        if (event instanceof PlanCheckedOut) {
            return;
        }
        int updated = jdbc.update("UPDATE bnpl_plan SET status = ?, outstanding_minor = ?, next_review_at = ?,"
                        + " updated_at = ?, last_sequence = ? WHERE plan_id = ? AND last_sequence < ?",
                code(event), event.outstanding().minor(), timestamp(event), Timestamp.from(event.at()), sequence,
                event.planId().value(), sequence);
        if (updated == 1) {
            upsert(event.planId().value(), event.instalments());
        }
        if (event instanceof PlanDefaulted) {
            jdbc.update("INSERT INTO bnpl_credit_line (wallet_id, buyer_id, currency, limit_minor, frozen)"
                            + " SELECT wallet_id, buyer_id, currency, NULL, TRUE FROM bnpl_plan WHERE plan_id = ?"
                            + " ON CONFLICT (wallet_id) DO UPDATE SET frozen = TRUE",
                    event.planId().value());
        }
    }

    @EventHandler
    void on(CreditLineSet event) {
        jdbc.update("INSERT INTO bnpl_credit_line (wallet_id, buyer_id, currency, limit_minor, frozen)"
                        + " VALUES (?,?,?,?,?) ON CONFLICT (wallet_id) DO UPDATE SET limit_minor = EXCLUDED.limit_minor,"
                        + " frozen = EXCLUDED.frozen",
                event.walletId().value(), event.owner().value(), event.limit().currency().getCurrencyCode(),
                event.limit().minor(), event.frozen());
    }

    @ResetHandler
    void reset() {
        jdbc.execute("TRUNCATE bnpl_plan, bnpl_instalment, bnpl_credit_line");
    }

    private void upsert(String planId, List<InstalmentBalance> instalments) {
        for (InstalmentBalance instalment : instalments) {
            jdbc.update("INSERT INTO bnpl_instalment (plan_id, number, due_date, amount_minor, late_fee_minor, paid_minor,"
                            + " reduced_minor, written_off_minor, overdue) VALUES (?,?,?,?,?,?,?,?,?)"
                            + " ON CONFLICT (plan_id, number) DO UPDATE SET late_fee_minor = EXCLUDED.late_fee_minor,"
                            + " paid_minor = EXCLUDED.paid_minor, reduced_minor = EXCLUDED.reduced_minor,"
                            + " written_off_minor = EXCLUDED.written_off_minor, overdue = EXCLUDED.overdue",
                    planId, instalment.number(), Date.valueOf(instalment.dueDate()), instalment.amount().minor(),
                    instalment.lateFee().minor(), instalment.paid().minor(), instalment.reduced().minor(),
                    instalment.writtenOff().minor(), instalment.overdue());
        }
    }

    private static String code(PlanChange event) {
        return event.status().name().toLowerCase(Locale.ROOT);
    }

    private static Timestamp timestamp(PlanChange event) {
        return event.nextReviewAt() == null ? null : Timestamp.from(event.nextReviewAt());
    }
}
