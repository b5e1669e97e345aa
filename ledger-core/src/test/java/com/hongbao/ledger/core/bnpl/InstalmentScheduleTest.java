package com.hongbao.ledger.core.bnpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hongbao.ledger.core.money.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class InstalmentScheduleTest {

    static final Currency CNY = Currency.getInstance("CNY");
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    /** 2026-01-31 10:00 in Shanghai (UTC+8). */
    static final Instant JAN_31_10AM_SHANGHAI = Instant.parse("2026-01-31T02:00:00Z");
    /** 2026-01-31 17:00 UTC, which is already 2026-02-01 01:00 in Shanghai. */
    static final Instant JAN_31_5PM_UTC = Instant.parse("2026-01-31T17:00:00Z");

    static Money cny(long fen) {
        return Money.of(fen, CNY);
    }

    static List<Long> amountsInFen(InstalmentSchedule schedule) {
        return schedule.instalments().stream().map(instalment -> instalment.amount().minor()).toList();
    }

    static List<LocalDate> dueDates(InstalmentSchedule schedule) {
        return schedule.instalments().stream().map(Instalment::dueDate).toList();
    }

    static LocalDate date(String iso) {
        return LocalDate.parse(iso);
    }

    @Nested
    class Amounts {

        @Test
        void pay_in_4_of_100_yuan_without_a_fee_is_four_instalments_of_25_yuan() {
            InstalmentSchedule schedule = InstalmentSchedule.of(PlanType.PAY_IN_4, cny(10_000), 0,
                    JAN_31_10AM_SHANGHAI, SHANGHAI);

            assertThat(schedule.fee()).isEqualTo(cny(0));
            assertThat(schedule.total()).isEqualTo(cny(10_000));
            assertThat(amountsInFen(schedule)).containsExactly(2_500L, 2_500L, 2_500L, 2_500L);
            assertThat(schedule.instalments()).extracting(Instalment::number).containsExactly(1, 2, 3, 4);
        }

        @Test
        void the_remainder_of_the_division_goes_to_the_last_instalment() {
            InstalmentSchedule schedule = InstalmentSchedule.of(PlanType.PAY_IN_4, cny(10_001), 0,
                    JAN_31_10AM_SHANGHAI, SHANGHAI);

            assertThat(amountsInFen(schedule)).containsExactly(2_500L, 2_500L, 2_500L, 2_501L);
        }

        /** 150 bp of 100.00 is 1.50; 101.50 in 3 is 33.83 with 1 fen over, which the last instalment takes. */
        @Test
        void monthly_3_of_100_yuan_with_a_fee_of_150_basis_points_states_the_fee_and_splits_the_total() {
            InstalmentSchedule schedule = InstalmentSchedule.of(PlanType.MONTHLY_3, cny(10_000), 150,
                    JAN_31_10AM_SHANGHAI, SHANGHAI);

            assertThat(schedule.type()).isEqualTo(PlanType.MONTHLY_3);
            assertThat(schedule.orderAmount()).isEqualTo(cny(10_000));
            assertThat(schedule.feeBasisPoints()).isEqualTo(150);
            assertThat(schedule.fee()).isEqualTo(cny(150));
            assertThat(schedule.total()).isEqualTo(cny(10_150));
            assertThat(amountsInFen(schedule)).containsExactly(3_383L, 3_383L, 3_384L);
        }

        /** 60 bp (0.6%) of 2.50 is 1.5 fen, which rounds up to 2; of 2.49 it is 1.494 fen, which rounds down to 1. */
        @Test
        void the_fee_is_rounded_half_up_to_the_fen() {
            InstalmentSchedule halfAFen = InstalmentSchedule.of(PlanType.MONTHLY_3, cny(250), 60,
                    JAN_31_10AM_SHANGHAI, SHANGHAI);
            assertThat(halfAFen.fee()).isEqualTo(cny(2));
            assertThat(halfAFen.total()).isEqualTo(cny(252));
            assertThat(amountsInFen(halfAFen)).containsExactly(84L, 84L, 84L);

            InstalmentSchedule underHalfAFen = InstalmentSchedule.of(PlanType.MONTHLY_3, cny(249), 60,
                    JAN_31_10AM_SHANGHAI, SHANGHAI);
            assertThat(underHalfAFen.fee()).isEqualTo(cny(1));
            assertThat(amountsInFen(underHalfAFen)).containsExactly(83L, 83L, 84L);
        }

        @Test
        void a_fee_of_10000_basis_points_doubles_the_total() {
            InstalmentSchedule schedule = InstalmentSchedule.of(PlanType.MONTHLY_6, cny(601), 10_000,
                    JAN_31_10AM_SHANGHAI, SHANGHAI);

            assertThat(schedule.fee()).isEqualTo(cny(601));
            assertThat(amountsInFen(schedule)).containsExactly(200L, 200L, 200L, 200L, 200L, 202L);
        }

        @Test
        void one_fen_for_each_instalment_is_the_smallest_schedule() {
            assertThat(amountsInFen(InstalmentSchedule.of(PlanType.PAY_IN_4, cny(4), 0, JAN_31_10AM_SHANGHAI, SHANGHAI)))
                    .containsExactly(1L, 1L, 1L, 1L);
            assertThat(amountsInFen(InstalmentSchedule.of(PlanType.MONTHLY_12, cny(12), 0, JAN_31_10AM_SHANGHAI,
                    SHANGHAI))).hasSize(12).containsOnly(1L);
        }

        /** 0.02 with a 100% fee is 0.04 in all, enough for four instalments of one fen. */
        @Test
        void the_fee_counts_towards_the_smallest_schedule() {
            InstalmentSchedule schedule = InstalmentSchedule.of(PlanType.PAY_IN_4, cny(2), 10_000,
                    JAN_31_10AM_SHANGHAI, SHANGHAI);

            assertThat(amountsInFen(schedule)).containsExactly(1L, 1L, 1L, 1L);
        }
    }

    @Nested
    class DueDates {

        @Test
        void pay_in_4_is_due_at_checkout_and_then_every_14_days() {
            InstalmentSchedule schedule = InstalmentSchedule.of(PlanType.PAY_IN_4, cny(10_000), 0,
                    JAN_31_10AM_SHANGHAI, SHANGHAI);

            assertThat(dueDates(schedule)).containsExactly(
                    date("2026-01-31"), date("2026-02-14"), date("2026-02-28"), date("2026-03-14"));
        }

        /** plusMonths clamps to the end of a shorter month, and each month counts from the checkout date. */
        @Test
        void monthly_12_from_the_31st_of_january_is_due_on_each_months_last_day_or_the_31st() {
            InstalmentSchedule schedule = InstalmentSchedule.of(PlanType.MONTHLY_12, cny(120_000), 0,
                    JAN_31_10AM_SHANGHAI, SHANGHAI);

            assertThat(dueDates(schedule)).containsExactly(
                    date("2026-02-28"), date("2026-03-31"), date("2026-04-30"), date("2026-05-31"),
                    date("2026-06-30"), date("2026-07-31"), date("2026-08-31"), date("2026-09-30"),
                    date("2026-10-31"), date("2026-11-30"), date("2026-12-31"), date("2027-01-31"));
        }

        @Test
        void a_monthly_plan_from_the_31st_of_january_of_a_leap_year_is_first_due_on_the_29th_of_february() {
            InstalmentSchedule schedule = InstalmentSchedule.of(PlanType.MONTHLY_3, cny(10_000), 0,
                    Instant.parse("2028-01-31T02:00:00Z"), SHANGHAI);

            assertThat(dueDates(schedule)).containsExactly(date("2028-02-29"), date("2028-03-31"), date("2028-04-30"));
        }

        @Test
        void nothing_of_a_monthly_plan_is_due_at_checkout() {
            InstalmentSchedule schedule = InstalmentSchedule.of(PlanType.MONTHLY_6, cny(10_000), 0,
                    Instant.parse("2026-03-15T02:00:00Z"), SHANGHAI);

            assertThat(dueDates(schedule)).containsExactly(date("2026-04-15"), date("2026-05-15"), date("2026-06-15"),
                    date("2026-07-15"), date("2026-08-15"), date("2026-09-15"));
        }

        @Test
        void day_0_is_the_local_date_of_the_checkout_in_the_platforms_zone() {
            InstalmentSchedule inShanghai = InstalmentSchedule.of(PlanType.PAY_IN_4, cny(10_000), 0,
                    JAN_31_5PM_UTC, SHANGHAI);
            InstalmentSchedule inUtc = InstalmentSchedule.of(PlanType.PAY_IN_4, cny(10_000), 0,
                    JAN_31_5PM_UTC, ZoneOffset.UTC);

            assertThat(dueDates(inShanghai)).containsExactly(
                    date("2026-02-01"), date("2026-02-15"), date("2026-03-01"), date("2026-03-15"));
            assertThat(dueDates(inUtc)).containsExactly(
                    date("2026-01-31"), date("2026-02-14"), date("2026-02-28"), date("2026-03-14"));
        }

        @Test
        void the_zone_decides_which_month_a_monthly_plan_counts_from() {
            InstalmentSchedule inShanghai = InstalmentSchedule.of(PlanType.MONTHLY_3, cny(10_000), 0,
                    JAN_31_5PM_UTC, SHANGHAI);
            InstalmentSchedule inUtc = InstalmentSchedule.of(PlanType.MONTHLY_3, cny(10_000), 0,
                    JAN_31_5PM_UTC, ZoneOffset.UTC);

            assertThat(dueDates(inShanghai)).containsExactly(date("2026-03-01"), date("2026-04-01"), date("2026-05-01"));
            assertThat(dueDates(inUtc)).containsExactly(date("2026-02-28"), date("2026-03-31"), date("2026-04-30"));
        }

        @Test
        void the_default_zone_is_shanghai() {
            assertThat(InstalmentSchedule.DEFAULT_ZONE).isEqualTo(SHANGHAI);
        }
    }

    @Nested
    class Deadlines {

        @Test
        void an_instalment_is_due_by_the_start_of_the_next_local_day() {
            InstalmentSchedule schedule = InstalmentSchedule.of(PlanType.PAY_IN_4, cny(10_000), 0,
                    JAN_31_10AM_SHANGHAI, SHANGHAI);
            Instalment second = schedule.instalments().get(1);

            assertThat(second.dueDate()).isEqualTo(date("2026-02-14"));
            assertThat(second.dueBy(SHANGHAI)).isEqualTo(Instant.parse("2026-02-14T16:00:00Z"));
        }

        @Test
        void the_first_pay_in_4_instalment_is_due_by_the_end_of_the_checkout_day() {
            InstalmentSchedule schedule = InstalmentSchedule.of(PlanType.PAY_IN_4, cny(10_000), 0,
                    JAN_31_10AM_SHANGHAI, SHANGHAI);

            assertThat(schedule.instalments().get(0).dueBy(SHANGHAI)).isEqualTo(Instant.parse("2026-01-31T16:00:00Z"))
                    .isAfter(JAN_31_10AM_SHANGHAI);
        }

        /** New York moves from UTC-5 to UTC-4 at 02:00 on 2026-03-08, so the two deadlines are 23 hours apart. */
        @Test
        void the_deadline_follows_daylight_saving_time_in_the_zone() {
            assertThat(new Instalment(1, date("2026-03-07"), cny(1)).dueBy(NEW_YORK))
                    .isEqualTo(Instant.parse("2026-03-08T05:00:00Z"));
            assertThat(new Instalment(2, date("2026-03-08"), cny(1)).dueBy(NEW_YORK))
                    .isEqualTo(Instant.parse("2026-03-09T04:00:00Z"));
        }
    }

    @Nested
    class PlanTypes {

        @Test
        void each_plan_has_a_stable_code_and_its_number_of_instalments() {
            assertThat(PlanType.values()).extracting(PlanType::code)
                    .containsExactly("pay_in_4", "monthly_3", "monthly_6", "monthly_12");
            assertThat(PlanType.values()).extracting(PlanType::instalments).containsExactly(4, 3, 6, 12);
            assertThat(PlanType.values()).extracting(PlanType::firstDueAtCheckout)
                    .containsExactly(true, false, false, false);
            for (PlanType type : PlanType.values()) {
                assertThat(PlanType.fromCode(type.code())).isEqualTo(type);
            }
        }

        @Test
        void an_unknown_code_is_refused() {
            assertThatThrownBy(() -> PlanType.fromCode("monthly_24")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> PlanType.fromCode("PAY_IN_4")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> PlanType.fromCode(null)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class ProgrammerErrors {

        @Test
        void three_fen_cannot_be_paid_in_4() {
            assertThatThrownBy(() -> InstalmentSchedule.of(PlanType.PAY_IN_4, cny(3), 0, JAN_31_10AM_SHANGHAI, SHANGHAI))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void eleven_fen_cannot_be_paid_in_12() {
            assertThatThrownBy(() -> InstalmentSchedule.of(PlanType.MONTHLY_12, cny(11), 0, JAN_31_10AM_SHANGHAI,
                    SHANGHAI)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void a_zero_or_negative_order_amount_is_refused() {
            assertThatThrownBy(() -> InstalmentSchedule.of(PlanType.MONTHLY_3, cny(0), 0, JAN_31_10AM_SHANGHAI, SHANGHAI))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> InstalmentSchedule.of(PlanType.MONTHLY_3, cny(-10_000), 0, JAN_31_10AM_SHANGHAI,
                    SHANGHAI)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void a_fee_rate_outside_0_to_10000_basis_points_is_refused() {
            assertThatThrownBy(() -> InstalmentSchedule.of(PlanType.MONTHLY_3, cny(10_000), -1, JAN_31_10AM_SHANGHAI,
                    SHANGHAI)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> InstalmentSchedule.of(PlanType.MONTHLY_3, cny(10_000), 10_001,
                    JAN_31_10AM_SHANGHAI, SHANGHAI)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void a_total_that_overflows_a_long_is_refused() {
            assertThatThrownBy(() -> InstalmentSchedule.of(PlanType.MONTHLY_3, cny(Long.MAX_VALUE), 1,
                    JAN_31_10AM_SHANGHAI, SHANGHAI))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasCauseInstanceOf(ArithmeticException.class);
        }

        @Test
        void a_schedule_whose_instalments_do_not_sum_to_the_total_cannot_be_made() {
            List<Instalment> short1Fen = List.of(new Instalment(1, date("2026-02-28"), cny(3_333)),
                    new Instalment(2, date("2026-03-31"), cny(3_333)), new Instalment(3, date("2026-04-30"), cny(3_333)));

            assertThatThrownBy(() -> new InstalmentSchedule(PlanType.MONTHLY_3, cny(10_000), 0, cny(0), cny(10_000),
                    short1Fen)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void a_schedule_with_due_dates_out_of_order_cannot_be_made() {
            List<Instalment> outOfOrder = List.of(new Instalment(1, date("2026-03-31"), cny(1)),
                    new Instalment(2, date("2026-02-28"), cny(1)), new Instalment(3, date("2026-04-30"), cny(1)));

            assertThatThrownBy(() -> new InstalmentSchedule(PlanType.MONTHLY_3, cny(3), 0, cny(0), cny(3), outOfOrder))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void an_instalment_of_nothing_cannot_be_made() {
            assertThatThrownBy(() -> new Instalment(1, date("2026-02-28"), cny(0)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Instalment(0, date("2026-02-28"), cny(1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
