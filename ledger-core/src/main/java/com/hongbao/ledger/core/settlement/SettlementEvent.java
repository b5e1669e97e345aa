package com.hongbao.ledger.core.settlement;

import com.hongbao.ledger.core.account.AccountId;
import com.hongbao.ledger.core.account.AccountType;
import com.hongbao.ledger.core.account.MoneyMovement;
import com.hongbao.ledger.core.account.MovementType;
import com.hongbao.ledger.core.account.Posting;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.money.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Facts about merchant settlement, recorded by the merchant's aggregate. Event names are permanent. */
public sealed interface SettlementEvent extends MoneyMovement {

    MerchantId merchantId();

    /** What was paid out; zero when nothing was. */
    Money payout();

    Instant at();

    AccountId PAYOUTS = AccountId.platform(AccountType.EXTERNAL_BANK_PAYOUTS);

    @Override
    default MovementType movementType() {
        return MovementType.PAYOUT;
    }

    @Override
    default List<Posting> postings() {
        if (!payout().isPositive()) {
            return List.of();
        }
        return List.of(new Posting(new AccountId(AccountType.MERCHANT_SETTLEMENT, merchantId().value()),
                payout().negate()), new Posting(PAYOUTS, payout()));
    }

    @Override
    default Instant occurredAt() {
        return at();
    }

    /**
     * Business day {@code day} was settled: {@code net} is what the statements up to that day moved
     * that no earlier settlement covered ({@code cumulativeNet} less what was settled before: usually
     * the day's own net); {@code carriedIn} (what earlier days left unpaid: negative nets, held days)
     * plus {@code net} was due; {@code payout} went to the merchant's bank and {@code carriedOut} is
     * carried to the next day. {@code payout} is zero when payouts are held, when what was due is not
     * positive, or beyond what the merchant has.
     */
    record MerchantDaySettled(MerchantId merchantId, LocalDate day, Money net, Money cumulativeNet, Money carriedIn,
                              Money payout, Money carriedOut, boolean held, Instant at) implements SettlementEvent {

        @Override
        public String reference() {
            return merchantId.value() + "/" + day;
        }
    }

    /**
     * Finance held or released the merchant's payouts. A release pays out at once what held days
     * accumulated ({@code payout}), and carries the rest ({@code carriedOut}).
     */
    record MerchantPayoutsHeld(MerchantId merchantId, boolean held, Money payout, Money carriedOut, Instant at)
            implements SettlementEvent {

        @Override
        public String reference() {
            return merchantId.value() + "/" + (held ? "hold" : "release") + "/" + at;
        }
    }
}
