package com.hongbao.ledger.core.bnpl;

import com.hongbao.ledger.core.money.Money;
import java.time.LocalDate;
import java.util.Objects;

/**
 * Where one instalment of a plan stands. Events carry the instalments they changed in this form,
 * after the change, so a read model that applies them twice writes the same row.
 *
 * <p>What is owed on it: {@code amount + lateFee - paid - reduced - writtenOff}, never negative.
 *
 * @param amount     as scheduled
 * @param lateFee    the late fee charged on it, zero if none
 * @param paid       what the buyer paid towards it (late fee first, then the amount)
 * @param reduced    what refunds of the order took off it
 * @param writtenOff what was written off when the plan defaulted
 * @param overdue    whether it was still owed when its due date ended (it stays marked once paid)
 */
public record InstalmentBalance(int number, LocalDate dueDate, Money amount, Money lateFee, Money paid, Money reduced,
                                Money writtenOff, boolean overdue) {

    public InstalmentBalance {
        Objects.requireNonNull(dueDate, "dueDate");
        if (owedMinor(amount, lateFee, paid, reduced, writtenOff) < 0) {
            throw new IllegalArgumentException("instalment " + number + " is settled beyond what it asked: " + amount
                    + " + " + lateFee + " - " + paid + " - " + reduced + " - " + writtenOff);
        }
    }

    static InstalmentBalance scheduled(Instalment instalment) {
        Money zero = Money.zero(instalment.amount().currency());
        return new InstalmentBalance(instalment.number(), instalment.dueDate(), instalment.amount(), zero, zero, zero,
                zero, false);
    }

    private static long owedMinor(Money amount, Money lateFee, Money paid, Money reduced, Money writtenOff) {
        return amount.plus(lateFee).minus(paid).minus(reduced).minus(writtenOff).minor();
    }

    /** What is still owed on this instalment. */
    public Money owed() {
        return Money.of(owedMinor(amount, lateFee, paid, reduced, writtenOff), amount.currency());
    }

    /**
     * The part of what is owed that counts against the buyer's credit limit: what is owed, without
     * the late fee (payments pay the late fee first, so what is left is the scheduled amount).
     */
    Money principalOwed() {
        return owed().min(amount);
    }

    boolean open() {
        return owed().isPositive();
    }

    InstalmentBalance withPaid(Money more) {
        return new InstalmentBalance(number, dueDate, amount, lateFee, paid.plus(more), reduced, writtenOff, overdue);
    }

    InstalmentBalance withReduced(Money more) {
        return new InstalmentBalance(number, dueDate, amount, lateFee, paid, reduced.plus(more), writtenOff, overdue);
    }

    InstalmentBalance withLateFee(Money fee) {
        return new InstalmentBalance(number, dueDate, amount, lateFee.plus(fee), paid, reduced, writtenOff, overdue);
    }

    InstalmentBalance writeOff() {
        return new InstalmentBalance(number, dueDate, amount, lateFee, paid, reduced, writtenOff.plus(owed()), overdue);
    }

    InstalmentBalance markedOverdue() {
        return new InstalmentBalance(number, dueDate, amount, lateFee, paid, reduced, writtenOff, true);
    }
}
