package com.hongbao.ledger.core.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.hongbao.ledger.core.bnpl.InstalmentSchedule;
import com.hongbao.ledger.core.bnpl.PlanEvent;
import com.hongbao.ledger.core.bnpl.PlanEvent.InstalmentsPaid;
import com.hongbao.ledger.core.bnpl.PlanEvent.LateFeeCharged;
import com.hongbao.ledger.core.bnpl.PlanEvent.PlanCheckedOut;
import com.hongbao.ledger.core.bnpl.PlanEvent.PlanDefaulted;
import com.hongbao.ledger.core.bnpl.PlanEvent.PlanRefundApplied;
import com.hongbao.ledger.core.bnpl.PlanStatus;
import com.hongbao.ledger.core.bnpl.PlanTerms;
import com.hongbao.ledger.core.bnpl.PlanType;
import com.hongbao.ledger.core.bnpl.RepaymentSource;
import com.hongbao.ledger.core.campaign.CampaignEvent.CampaignEnded;
import com.hongbao.ledger.core.campaign.CampaignEvent.CampaignPacketIssued;
import com.hongbao.ledger.core.campaign.CampaignEvent.CampaignPacketReturned;
import com.hongbao.ledger.core.campaign.CampaignEvent.MerchantFundedCampaign;
import com.hongbao.ledger.core.campaign.CampaignEvent;
import com.hongbao.ledger.core.id.CampaignId;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.RefundId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.id.WithdrawalId;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentCaptured;
import com.hongbao.ledger.core.payment.PaymentEvent;
import com.hongbao.ledger.core.refund.RefundEvent.MerchantRefundedPayment;
import com.hongbao.ledger.core.refund.RefundEvent;
import com.hongbao.ledger.core.settlement.SettlementEvent;
import com.hongbao.ledger.core.settlement.SettlementEvent.MerchantDaySettled;
import com.hongbao.ledger.core.settlement.SettlementEvent.MerchantPayoutsHeld;
import com.hongbao.ledger.core.wallet.WalletCommand.CaptureMode;
import com.hongbao.ledger.core.wallet.WalletEvent.PaymentHoldReleased;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletCreditedFromRedPacket;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletCreditedWithRefund;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletDebitedForPayment;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletDebitedForRedPacket;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletToppedUp;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletWithdrawn;
import com.hongbao.ledger.core.wallet.WalletEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every event that moves money books postings that sum to zero in its currency, for any valid
 * amounts, so the journal can never create or destroy money.
 */
class PostingsBalanceProperties {

    static final Instant AT = Instant.parse("2026-02-10T09:00:00Z");
    static final LocalDate DAY = LocalDate.parse("2026-02-10");
    static final MerchantId MERCHANT = new MerchantId("m_1");
    static final CampaignId CAMPAIGN = new CampaignId("cp_1");
    static final PacketId PACKET = new PacketId("rp_1");
    /** Large enough to matter, small enough that a 10% fee on it cannot overflow a long. */
    static final long LARGEST_AMOUNT_MINOR = 1_000_000_000_000_000L;

    @Property(tries = 1_000)
    void every_money_movement_books_postings_that_sum_to_zero_per_currency(
            @ForAll("moneyMovements") MoneyMovement movement) {
        assertThatCode(() -> JournalEntries.requireBalanced(movement.postings())).doesNotThrowAnyException();

        Map<Currency, Long> sums = new HashMap<>();
        for (Posting posting : movement.postings()) {
            sums.merge(posting.amount().currency(), posting.amount().minor(), Math::addExact);
        }
        assertThat(sums).allSatisfy((currency, sum) -> assertThat(sum).as("sum in %s", currency).isZero());
    }

    @Property(tries = 1_000)
    void every_posting_of_a_money_movement_moves_a_nonzero_amount_in_one_currency(
            @ForAll("moneyMovements") MoneyMovement movement) {
        assertThat(movement.postings()).allSatisfy(posting -> assertThat(posting.amount().isZero()).isFalse());
        assertThat(movement.postings().stream().map(posting -> posting.amount().currency()).distinct()).hasSizeLessThan(2);
        assertThat(movement.reference()).isNotBlank();
        assertThat(movement.occurredAt()).isEqualTo(AT);
    }

    @Example
    void the_generator_covers_every_event_type_that_moves_money() {
        Set<Class<?>> moneyMovements = Stream.of(WalletEvent.class, PaymentEvent.class, CampaignEvent.class, RefundEvent.class,
                        PlanEvent.class, SettlementEvent.class)
                .flatMap(PostingsBalanceProperties::permittedEventTypes)
                .filter(MoneyMovement.class::isAssignableFrom)
                .collect(Collectors.toSet());
        assertThat(moneyMovements).isNotEmpty();
        assertThat(movementArbitraries().keySet()).isEqualTo(moneyMovements);
    }

    /** The event types a sealed interface permits, through nested sealed interfaces such as {@code PlanChange}. */
    static Stream<Class<?>> permittedEventTypes(Class<?> sealed) {
        return Arrays.stream(sealed.getPermittedSubclasses())
                .flatMap(type -> type.isSealed() && type.isInterface() ? permittedEventTypes(type) : Stream.of(type));
    }

    @Provide
    Arbitrary<MoneyMovement> moneyMovements() {
        return Arbitraries.oneOf(movementArbitraries().values());
    }

    static Map<Class<?>, Arbitrary<? extends MoneyMovement>> movementArbitraries() {
        return Map.ofEntries(
                Map.entry(MerchantDaySettled.class, Combinators.combine(amounts(), Arbitraries.of(true, false))
                        .as((payout, zero) -> new MerchantDaySettled(MERCHANT, DAY, payout, payout, Money.zero(payout.currency()),
                                zero ? Money.zero(payout.currency()) : payout, Money.zero(payout.currency()), false, AT))),
                Map.entry(MerchantPayoutsHeld.class, Combinators.combine(amounts(), Arbitraries.of(true, false))
                        .as((payout, held) -> new MerchantPayoutsHeld(MERCHANT, held,
                                held ? Money.zero(payout.currency()) : payout, Money.zero(payout.currency()), AT))),
                Map.entry(MerchantFundedCampaign.class, amounts().map(amount -> new MerchantFundedCampaign(MERCHANT,
                        CAMPAIGN, amount, AT))),
                Map.entry(CampaignPacketIssued.class, amounts().map(amount -> new CampaignPacketIssued(CAMPAIGN,
                        MERCHANT, PACKET, new UserId("bob"), amount, Money.zero(amount.currency()), DAY, AT))),
                Map.entry(CampaignPacketReturned.class, Combinators.combine(amounts(), Arbitraries.of(true, false))
                        .as((amount, toMerchant) -> new CampaignPacketReturned(CAMPAIGN, MERCHANT, PACKET, amount,
                                toMerchant, AT))),
                Map.entry(CampaignEnded.class, Combinators.combine(amounts(), Arbitraries.of(true, false))
                        .as((amount, zero) -> new CampaignEnded(CAMPAIGN, MERCHANT,
                                zero ? Money.zero(amount.currency()) : amount, AT))),
                Map.entry(MerchantRefundedPayment.class, Combinators.combine(amounts(), permille())
                        .as((amount, permille) -> new MerchantRefundedPayment(MERCHANT, new RefundId("rf_1"), "R1",
                                new PaymentId("p_1"), new WalletId("w_1"), new UserId("alice"), amount,
                                share(amount, permille), amount, 1, AT))),
                Map.entry(WalletCreditedWithRefund.class, Combinators.combine(walletIds(), amounts())
                        .as((wallet, amount) -> new WalletCreditedWithRefund(wallet, new RefundId("rf_1"),
                                new PaymentId("p_1"), amount, amount, AT))),
                Map.entry(WalletToppedUp.class, Combinators.combine(walletIds(), amounts(), amounts())
                        .as((wallet, amount, before) -> new WalletToppedUp(wallet, "bank-ref-1", amount,
                                Money.of(amount.minor() + before.minor() % LARGEST_AMOUNT_MINOR, amount.currency()), AT))),
                Map.entry(WalletWithdrawn.class, Combinators.combine(walletIds(), amounts())
                        .as((wallet, amount) -> new WalletWithdrawn(wallet, new WithdrawalId("wd_1"), "tok_bank", amount,
                                Money.zero(amount.currency()), AT))),
                Map.entry(WalletDebitedForPayment.class, Combinators.combine(walletIds(), amounts(), Arbitraries.of(true, false))
                        .as((wallet, amount, held) -> new WalletDebitedForPayment(wallet, new PaymentId("p_1"),
                                new MerchantId("m_1"), "order-1", amount, held, Money.zero(amount.currency()), AT))),
                Map.entry(PaymentHoldReleased.class, Combinators.combine(walletIds(), amounts(), permille())
                        .as((wallet, held, permille) -> new PaymentHoldReleased(wallet, new PaymentId("p_1"), held,
                                share(held, permille), held, AT))),
                Map.entry(WalletDebitedForRedPacket.class, Combinators.combine(walletIds(), amounts())
                        .as((wallet, amount) -> new WalletDebitedForRedPacket(wallet, new PacketId("rp_1"), amount,
                                Money.zero(amount.currency()), AT))),
                Map.entry(WalletCreditedFromRedPacket.class, Combinators.combine(walletIds(), amounts(), Arbitraries.of(true, false))
                        .as((wallet, amount, refund) -> new WalletCreditedFromRedPacket(wallet, new PacketId("rp_1"),
                                amount, refund, amount, AT))),
                Map.entry(PaymentCaptured.class, Combinators.combine(walletIds(), amounts(), Arbitraries.integers().between(1, 1_000),
                                Arbitraries.integers().between(0, 1_000), Arbitraries.of(CaptureMode.class))
                        .as(PostingsBalanceProperties::captureOf)),
                Map.entry(PlanCheckedOut.class, Combinators.combine(walletIds(), amounts(), Arbitraries.of(PlanType.class),
                                Arbitraries.integers().between(0, InstalmentSchedule.MAX_FEE_BASIS_POINTS))
                        .as(PostingsBalanceProperties::checkedOut)),
                Map.entry(InstalmentsPaid.class, Combinators.combine(walletIds(), amounts(), Arbitraries.of(RepaymentSource.class))
                        .as((wallet, amount, source) -> new InstalmentsPaid(wallet, PLAN, source, amount,
                                Money.zero(amount.currency()), PlanStatus.CURRENT, amount, List.of(), AT, AT))),
                Map.entry(LateFeeCharged.class, Combinators.combine(walletIds(), amounts())
                        .as((wallet, fee) -> new LateFeeCharged(wallet, PLAN, 2, fee, fee, PlanStatus.OVERDUE, fee,
                                List.of(), AT, AT))),
                Map.entry(PlanRefundApplied.class, Combinators.combine(walletIds(), amounts(), permille(), permille(),
                                permille(), Arbitraries.of(true, false))
                        .as(PostingsBalanceProperties::refundApplied)),
                Map.entry(PlanDefaulted.class, Combinators.combine(walletIds(), amounts())
                        .as((wallet, writtenOff) -> new PlanDefaulted(wallet, PLAN, writtenOff, PlanStatus.DEFAULTED,
                                Money.zero(writtenOff.currency()), List.of(), null, AT))));
    }

    static final PaymentId PLAN = new PaymentId("p_plan");

    /** A checkout as the wallet records it: the schedule of any plan, with any plan fee (so possibly none). */
    static PlanCheckedOut checkedOut(WalletId wallet, Money orderAmount, PlanType type, int feeBasisPoints) {
        Money amount = Money.of(Math.max(orderAmount.minor(), type.instalments()), orderAmount.currency());
        InstalmentSchedule schedule = InstalmentSchedule.of(type, amount, feeBasisPoints, AT, ZoneId.of("Asia/Shanghai"));
        PlanTerms terms = new PlanTerms(Money.of(500, amount.currency()), 3, 2_500, 60, ZoneId.of("Asia/Shanghai"));
        return new PlanCheckedOut(wallet, PLAN, new UserId("alice"), MERCHANT, "order-1", schedule, terms,
                schedule.total(), schedule.total(), PlanStatus.CURRENT, schedule.total(), List.of(), AT, AT);
    }

    /**
     * A refund as a plan splits it: of {@code amount}, a share reduces what is owed, a share recovers a
     * write-off, the rest goes to the wallet; a full refund also reverses fees, which come back to the
     * wallet. Always {@code amount + feesReversed = reduced + recovered + toWallet}.
     */
    static PlanRefundApplied refundApplied(WalletId wallet, Money amount, int reducedPermille, int recoveredPermille,
                                           int feesPermille, boolean full) {
        Money reduced = share(amount, reducedPermille);
        Money recovered = share(amount.minus(reduced), recoveredPermille);
        Money feesReversed = full ? share(amount, feesPermille) : Money.zero(amount.currency());
        Money toWallet = amount.plus(feesReversed).minus(reduced).minus(recovered);
        return new PlanRefundApplied(wallet, PLAN, new RefundId("rf_1"), amount, reduced, recovered, feesReversed,
                toWallet, toWallet, full ? PlanStatus.CLOSED : PlanStatus.CURRENT, Money.zero(amount.currency()),
                List.of(), null, AT);
    }

    /** A capture as {@code Payment} computes it: the fee at the rate, half up; the rest released. */
    static PaymentCaptured captureOf(WalletId wallet, Money authorised, int capturedPermille, int feeRateBasisPoints,
                                     CaptureMode mode) {
        Money captured = share(authorised, capturedPermille);
        if (captured.isZero()) {
            captured = Money.of(1, authorised.currency());
        }
        Money fee = captured.timesBasisPointsRoundedHalfUp(feeRateBasisPoints);
        return new PaymentCaptured(new PaymentId("p_1"), wallet, new UserId("alice"), new MerchantId("m_1"), "order-1",
                authorised, captured, fee, captured.minus(fee), authorised.minus(captured), feeRateBasisPoints, mode, AT);
    }

    /** {@code permille}/1000 of the amount, rounded down, computed without overflow. */
    static Money share(Money amount, int permille) {
        return Money.of(amount.minor() / 1_000 * permille + amount.minor() % 1_000 * permille / 1_000,
                amount.currency());
    }

    static Arbitrary<Integer> permille() {
        return Arbitraries.integers().between(0, 1_000);
    }

    static Arbitrary<Money> amounts() {
        return Combinators.combine(Arbitraries.longs().between(1, LARGEST_AMOUNT_MINOR), currencies()).as(Money::of);
    }

    static Arbitrary<Currency> currencies() {
        return Arbitraries.of("CNY", "HKD", "USD").map(Currency::getInstance);
    }

    static Arbitrary<WalletId> walletIds() {
        return Arbitraries.strings().withChars("abcdef0123456789").ofMinLength(1).ofMaxLength(32)
                .map(suffix -> new WalletId("w_" + suffix));
    }
}
