package com.hongbao.ledger.core.bnpl;

import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.money.Money;
import java.time.Instant;
import java.util.List;

/**
 * An instalment plan as its wallet sees it after a command. Always
 * {@code outstanding = total + lateFees - paid - reducedByRefunds - writtenOff}.
 *
 * @param planId   the plan, named by the payment that paid the merchant
 * @param refunded         every refund of the order received so far, whether it reduced what was owed or went to the wallet
 * @param reducedByRefunds what refunds took off what was owed
 */
public record PlanReceipt(PaymentId planId, MerchantId merchantId, String orderNumber, PlanType planType,
                          PlanStatus status, Money orderAmount, int planFeeBasisPoints, Money planFee, Money total,
                          Money lateFees, Money paid, Money refunded, Money reducedByRefunds, Money writtenOff, Money outstanding,
                          PlanTerms terms, List<InstalmentBalance> instalments, Instant nextReviewAt,
                          Instant checkedOutAt) {
}
