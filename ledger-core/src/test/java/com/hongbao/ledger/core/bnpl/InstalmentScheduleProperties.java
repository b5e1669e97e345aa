package com.hongbao.ledger.core.bnpl;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.core.money.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Currency;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * For any plan, order amount, fee rate, checkout instant and zone: the instalments sum to the order
 * amount plus the fee exactly, each is at least one fen, all but the last are equal and the last
 * carries only the remainder of the division, and the due dates run strictly forward from the checkout
 * date, starting on it only for pay-in-4.
 */
class InstalmentScheduleProperties {

    static final Currency CNY = Currency.getInstance("CNY");
    /** 10,000,000,000.00 CNY: far above any order, far below where a total could overflow. */
    static final long MAX_ORDER_FEN = 1_000_000_000_000L;
    static final Instant EARLIEST_CHECKOUT = Instant.parse("2000-01-01T00:00:00Z");
    static final Instant LATEST_CHECKOUT = Instant.parse("2100-01-01T00:00:00Z");
    static final List<ZoneId> ZONES =
            List.of(ZoneId.of("Asia/Shanghai"), ZoneId.of("UTC"), ZoneId.of("America/New_York"));

    record Order(PlanType type, long amountFen) {
    }

    @Property(tries = 2_000)
    void instalments_sum_to_the_order_plus_the_fee_and_all_but_the_last_are_equal(
            @ForAll("orders") Order order, @ForAll @IntRange(min = 0, max = 10_000) int feeBasisPoints,
            @ForAll("checkouts") Instant checkoutAt, @ForAll("zones") ZoneId zone) {
        Money amount = Money.of(order.amountFen(), CNY);
        InstalmentSchedule schedule = InstalmentSchedule.of(order.type(), amount, feeBasisPoints, checkoutAt, zone);
        List<Long> amounts = schedule.instalments().stream().map(instalment -> instalment.amount().minor()).toList();
        int count = order.type().instalments();

        assertThat(amounts).hasSize(count);
        assertThat(schedule.fee()).isEqualTo(amount.timesBasisPointsRoundedHalfUp(feeBasisPoints));
        assertThat(schedule.total()).isEqualTo(amount.plus(schedule.fee()));
        assertThat(amounts.stream().mapToLong(Long::longValue).reduce(0, Math::addExact))
                .isEqualTo(Math.addExact(order.amountFen(), schedule.fee().minor()));
        assertThat(amounts).allSatisfy(fen -> assertThat(fen).isGreaterThanOrEqualTo(1L));
        long share = amounts.get(0);
        long last = amounts.get(count - 1);
        assertThat(amounts.subList(0, count - 1)).containsOnly(share);
        assertThat(last - share).as("what the last instalment carries over the others").isBetween(0L, count - 1L);
    }

    @Property(tries = 2_000)
    void due_dates_run_strictly_forward_and_start_at_checkout_only_for_pay_in_4(
            @ForAll("orders") Order order, @ForAll("checkouts") Instant checkoutAt, @ForAll("zones") ZoneId zone) {
        InstalmentSchedule schedule = InstalmentSchedule.of(order.type(), Money.of(order.amountFen(), CNY), 0,
                checkoutAt, zone);
        List<Instalment> instalments = schedule.instalments();
        LocalDate checkoutDate = LocalDate.ofInstant(checkoutAt, zone);

        for (int index = 1; index < instalments.size(); index++) {
            assertThat(instalments.get(index).dueDate()).as("instalment %d", index + 1)
                    .isAfter(instalments.get(index - 1).dueDate());
        }
        LocalDate firstDueDate = instalments.get(0).dueDate();
        assertThat(firstDueDate.equals(checkoutDate)).isEqualTo(order.type() == PlanType.PAY_IN_4);
        assertThat(firstDueDate).isAfterOrEqualTo(checkoutDate);
        assertThat(instalments).allSatisfy(instalment -> assertThat(instalment.dueBy(zone)).isAfter(checkoutAt));
    }

    @Provide
    Arbitrary<Order> orders() {
        return Arbitraries.of(PlanType.class).flatMap(type ->
                Arbitraries.longs().between(type.instalments(), MAX_ORDER_FEN)
                        .map(amountFen -> new Order(type, amountFen)));
    }

    @Provide
    Arbitrary<Instant> checkouts() {
        return Arbitraries.longs().between(EARLIEST_CHECKOUT.getEpochSecond(), LATEST_CHECKOUT.getEpochSecond())
                .map(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<ZoneId> zones() {
        return Arbitraries.of(ZONES);
    }
}
