package com.hongbao.ledger.core.bnpl;

import com.hongbao.ledger.core.money.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a buy-now-pay-later order is paid: the plan, the order amount, the plan fee (stated, so the
 * buyer sees what the plan costs) and the instalments, which sum to the order amount plus the fee
 * exactly.
 *
 * <p>The policy, in {@link #of}:
 * <ul>
 *   <li>The fee is the order amount times the fee rate in basis points (0 to 10,000), rounded half up
 *       to the minor unit (fen for CNY), as {@link Money#timesBasisPointsRoundedHalfUp(int)} does.</li>
 *   <li>The total, order amount plus fee, is divided into the plan's number of equal instalments in
 *       minor units, and the remainder of the division goes to the LAST instalment. So every instalment
 *       but the last is the same, and the last exceeds them by less than the number of instalments.
 *       Putting the remainder last means the buyer never pays more than an equal share up front. Every
 *       instalment is at least one minor unit, so a total smaller than the number of instalments is
 *       refused.</li>
 *   <li>Pay-in-4's "25% at checkout" is simply instalment 1 of those 4 equal instalments of the
 *       total; it is not computed separately as a quarter of the order amount.</li>
 *   <li>Due dates are calendar days in the platform's time zone ({@link #DEFAULT_ZONE} unless
 *       configured otherwise). Day 0 is the local date of the checkout instant in that zone, so the
 *       same instant can be a different day 0 in different zones. Pay-in-4's instalments are due on
 *       days 0, 14, 28 and 42. A monthly plan's instalment {@code k} is due {@code k} months after day 0
 *       by {@link LocalDate#plusMonths(long)}, and nothing is due at checkout. {@code plusMonths} clamps
 *       to the end of a shorter month: a checkout on 31 January has instalments due on 28 (or 29)
 *       February, 31 March, 30 April and so on. Each month is counted from day 0, not from the
 *       previous due date, so one short month does not pull every later due date earlier.</li>
 *   <li>An instalment is collected on its due date and overdue once that day has ended; see
 *       {@link Instalment#dueBy(ZoneId)}.</li>
 * </ul>
 *
 * <p>The canonical constructor checks only what holds of every schedule (the instalments sum to the
 * total, which is the order amount plus the fee, one instalment per number of the plan, due dates in
 * order), not the rounding and division rules of {@link #of}. A schedule once agreed with a buyer
 * keeps its amounts and dates even if the policy changes later.
 *
 * @param feeBasisPoints the plan fee rate, 0 to 10,000
 * @param fee the plan fee in the order's currency, possibly zero
 * @param total the order amount plus the fee: what the buyer pays over the plan
 * @param instalments in order, numbered from 1
 */
public record InstalmentSchedule(PlanType type, Money orderAmount, int feeBasisPoints, Money fee, Money total,
                                 List<Instalment> instalments) {

    /** The platform's time zone, whose calendar days the due dates are, unless configured otherwise. */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

    /** The largest plan fee rate: 10,000 basis points, the whole order amount again. */
    public static final int MAX_FEE_BASIS_POINTS = 10_000;

    /** The days between pay-in-4's instalments. */
    public static final int PAY_IN_4_INTERVAL_DAYS = 14;

    public InstalmentSchedule {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(orderAmount, "orderAmount");
        Objects.requireNonNull(fee, "fee");
        Objects.requireNonNull(total, "total");
        instalments = List.copyOf(instalments);
        requireValidTerms(orderAmount, feeBasisPoints);
        if (fee.isNegative()) {
            throw new IllegalArgumentException("a plan fee is not negative: " + fee);
        }
        if (!total.equals(orderAmount.plus(fee))) {
            throw new IllegalArgumentException("the total " + total + " is not the order amount " + orderAmount
                    + " plus the fee " + fee);
        }
        if (instalments.size() != type.instalments()) {
            throw new IllegalArgumentException("a " + type.code() + " plan has " + type.instalments()
                    + " instalments, not " + instalments.size());
        }
        Money sum = Money.zero(total.currency());
        LocalDate previousDueDate = null;
        for (int index = 0; index < instalments.size(); index++) {
            Instalment instalment = instalments.get(index);
            if (instalment.number() != index + 1) {
                throw new IllegalArgumentException("instalment " + (index + 1) + " is numbered " + instalment.number());
            }
            if (previousDueDate != null && !instalment.dueDate().isAfter(previousDueDate)) {
                throw new IllegalArgumentException("instalment " + instalment.number() + " is due on "
                        + instalment.dueDate() + ", not after " + previousDueDate);
            }
            sum = sum.plus(instalment.amount());
            previousDueDate = instalment.dueDate();
        }
        if (!sum.equals(total)) {
            throw new IllegalArgumentException("the instalments sum to " + sum + ", not to the total " + total);
        }
    }

    /**
     * The schedule of an order paid under {@code type} with a plan fee of {@code feeBasisPoints}, for a
     * checkout at {@code checkoutAt}, with due dates in {@code zone}; the class documentation states the
     * policy.
     *
     * <p>Throws {@link IllegalArgumentException} for a non-positive amount, a fee rate outside 0 to
     * 10,000 basis points, an amount too small for every instalment to be at least one minor unit
     * (total smaller than the number of instalments), or an amount whose total overflows a long. The
     * API validates amounts and plans before they get here, so each is a programmer error.
     */
    public static InstalmentSchedule of(PlanType type, Money orderAmount, int feeBasisPoints, Instant checkoutAt,
                                        ZoneId zone) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(orderAmount, "orderAmount");
        Objects.requireNonNull(checkoutAt, "checkoutAt");
        Objects.requireNonNull(zone, "zone");
        requireValidTerms(orderAmount, feeBasisPoints);
        Money fee = orderAmount.timesBasisPointsRoundedHalfUp(feeBasisPoints);
        Money total = plusOrReject(orderAmount, fee);
        int count = type.instalments();
        if (total.minor() < count) {
            throw new IllegalArgumentException(total + " cannot be paid in " + count
                    + " instalments of at least one minor unit each");
        }
        // Equal shares, and the remainder of the division on the last: each share is at least 1 as
        // total >= count, and the last exceeds the others by total % count < count.
        long share = total.minor() / count;
        long lastShare = share + total.minor() % count;
        LocalDate checkoutDate = LocalDate.ofInstant(checkoutAt, zone);
        List<Instalment> instalments = new ArrayList<>(count);
        for (int number = 1; number <= count; number++) {
            long amount = number == count ? lastShare : share;
            instalments.add(new Instalment(number, dueDate(type, checkoutDate, number),
                    Money.of(amount, total.currency())));
        }
        return new InstalmentSchedule(type, orderAmount, feeBasisPoints, fee, total, instalments);
    }

    /** Instalment {@code number} (from 1) of a plan of {@code type}, for a checkout on local date {@code checkoutDate}. */
    private static LocalDate dueDate(PlanType type, LocalDate checkoutDate, int number) {
        return switch (type) {
            case PAY_IN_4 -> checkoutDate.plusDays((long) PAY_IN_4_INTERVAL_DAYS * (number - 1));
            // Counted from the checkout date each time, so a clamped month (31 Jan to 28 Feb) does not
            // carry over to the next due date (31 Mar, not 28 Mar).
            case MONTHLY_3, MONTHLY_6, MONTHLY_12 -> checkoutDate.plusMonths(number);
        };
    }

    private static void requireValidTerms(Money orderAmount, int feeBasisPoints) {
        if (!orderAmount.isPositive()) {
            throw new IllegalArgumentException("an order amount is positive: " + orderAmount);
        }
        if (feeBasisPoints < 0 || feeBasisPoints > MAX_FEE_BASIS_POINTS) {
            throw new IllegalArgumentException("a plan fee rate is 0 to " + MAX_FEE_BASIS_POINTS
                    + " basis points, not " + feeBasisPoints);
        }
    }

    private static Money plusOrReject(Money orderAmount, Money fee) {
        try {
            return orderAmount.plus(fee);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(orderAmount + " plus a fee of " + fee + " overflows a long", e);
        }
    }
}
