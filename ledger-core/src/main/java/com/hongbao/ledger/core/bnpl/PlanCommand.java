package com.hongbao.ledger.core.bnpl;

import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.Money;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Commands about the buyer's instalment plans, decided by the buyer's wallet (ADR 8). */
public sealed interface PlanCommand {

    WalletId walletId();

    /**
     * Pay an order with a plan: the platform pays the merchant now (a payment captured at once,
     * {@code paymentId}, which also names the plan) and the buyer owes the schedule. Pay-in-4's first
     * instalment is taken from the wallet at checkout. {@code defaultCreditLimit} applies unless
     * finance set the buyer's own limit.
     */
    record CheckoutWithPlan(@TargetAggregateIdentifier WalletId walletId, PaymentId paymentId, MerchantId merchantId,
                            int merchantFeeRateBasisPoints, String orderNumber, String description, Money orderAmount,
                            PlanType planType, int planFeeBasisPoints, PlanTerms terms, Money defaultCreditLimit,
                            Instant at) implements PlanCommand {
    }

    /**
     * The buyer pays towards a plan from the wallet, oldest instalment first: {@code amount}, or, if it
     * is null, everything owed on the oldest {@code instalments} open instalments, or, if that is 0
     * too, everything owed.
     */
    record RepayPlan(@TargetAggregateIdentifier WalletId walletId, PaymentId planId, Money amount, int instalments,
                     Instant at) implements PlanCommand {
    }

    /**
     * Sent by the plan sweep: do what is due at {@code at} (collect due instalments, mark them overdue,
     * charge late fees, default). Answers whether anything happened.
     */
    record ReviewPlan(@TargetAggregateIdentifier WalletId walletId, PaymentId planId, Instant at)
            implements PlanCommand {
    }

    /** Finance sets the buyer's credit limit and whether their credit is frozen. */
    record SetCreditLine(@TargetAggregateIdentifier WalletId walletId, Money limit, boolean frozen, Instant at)
            implements PlanCommand {
    }
}
