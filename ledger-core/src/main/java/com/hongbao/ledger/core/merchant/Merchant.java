package com.hongbao.ledger.core.merchant;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.createNew;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.campaign.Campaign;
import com.hongbao.ledger.core.campaign.CampaignCommand.FundCampaign;
import com.hongbao.ledger.core.campaign.CampaignEvent.MerchantFundedCampaign;
import com.hongbao.ledger.core.campaign.CampaignReceipt;
import com.hongbao.ledger.core.campaign.CampaignTerms;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.RefundId;
import com.hongbao.ledger.core.money.CurrencyMismatch;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentCaptured;
import com.hongbao.ledger.core.refund.RefundCommand.RefundPayment;
import com.hongbao.ledger.core.refund.RefundCommand.SetNegativeLimit;
import com.hongbao.ledger.core.refund.RefundEvent.MerchantNegativeLimitSet;
import com.hongbao.ledger.core.refund.RefundEvent.MerchantRefundedPayment;
import com.hongbao.ledger.core.refund.RefundHistory;
import com.hongbao.ledger.core.refund.RefundHistoryBehind;
import com.hongbao.ledger.core.refund.RefundReceipt;
import com.hongbao.ledger.core.settlement.SettlementCommand.HoldPayouts;
import com.hongbao.ledger.core.settlement.SettlementCommand.SettleMerchantDay;
import com.hongbao.ledger.core.settlement.SettlementEvent.MerchantDaySettled;
import com.hongbao.ledger.core.settlement.SettlementEvent.MerchantPayoutsHeld;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import java.util.Iterator;
import java.util.LinkedHashMap;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A merchant and its terms. Payments do not pass through this aggregate: a merchant's settlement
 * account is credited by the postings of each captured payment, so a merchant in a flash sale
 * never serialises its payers.
 */
public class Merchant {

    /** WeChat Pay's standard rate, 0.6%. */
    public static final int DEFAULT_FEE_RATE_BASIS_POINTS = 60;
    /** The most refunds one payment may have. */
    public static final int MAX_REFUNDS_PER_PAYMENT = 50;
    /** How long after its capture a payment can be refunded. */
    public static final Duration REFUND_WINDOW = Duration.ofDays(365);
    /**
     * How many refunded payments, and how many refund numbers, a merchant keeps in memory: enough
     * for the refunds of one payment that race, and for the read model to catch up, whatever the
     * merchant's history.
     */
    public static final int REMEMBERED_REFUNDS = 256;
    /** The highest rate the platform will configure, 10%. */
    public static final int MAX_FEE_RATE_BASIS_POINTS = 1_000;

    @AggregateIdentifier
    private MerchantId merchantId;
    private Currency settlementCurrency;
    /** Everything this merchant's own commands took from its settlement balance (campaign budgets, refunds). */
    private long debitedMinor;
    /** How far below zero finance lets refunds take the settlement balance. */
    private long negativeLimitMinor;
    /**
     * The payments of the merchant's latest refunds, least recently refunded first, with what was
     * refunded of each so far: at most {@link #REMEMBERED_REFUNDS}. A payment refunded earlier than
     * that is decided on the refunds read model's history of it (see {@link RefundHistory}).
     */
    private final LinkedHashMap<PaymentId, RefundedSoFar> recentPayments = new LinkedHashMap<>();
    /**
     * The merchant's latest refund numbers with the event that used each, at most
     * {@link #REMEMBERED_REFUNDS}, so a refund number used twice is refused here too, not only by the
     * API's idempotency claim: a second debit would leave money in refund clearing that the payer's
     * wallet (which takes each refund once) would never collect. Older ones are looked up in the
     * refunds read model's history.
     */
    private final LinkedHashMap<RefundId, Long> recentRefundIds = new LinkedHashMap<>();
    /**
     * The latest of this merchant's events that it no longer remembers a payment or a refund number
     * of ({@code -1}: it forgot none). A history must reach it for a refund that needs one.
     */
    private long forgottenThroughSequence = -1;
    /** The last business day settled; days are settled in order, each once. */
    private LocalDate lastSettledDay;
    /** What settled days left unpaid: negative nets, held days, what the balance could not cover. */
    private long carriedMinor;
    /** The statements' net, payouts aside, of every day settled so far. */
    private long settledCumulativeMinor;
    private boolean payoutsHeld;

    /** For Axon's event sourcing. */
    protected Merchant() {
    }

    @CommandHandler
    public Merchant(OnboardMerchant command) {
        if (command.feeRateBasisPoints() < 0 || command.feeRateBasisPoints() > MAX_FEE_RATE_BASIS_POINTS) {
            throw new LedgerRejection("invalid_fee_rate",
                    "fee rate must be between 0 and " + MAX_FEE_RATE_BASIS_POINTS + " basis points");
        }
        apply(new MerchantOnboarded(command.merchantId(), command.name(), command.feeRateBasisPoints(),
                command.settlementCurrency(), command.onboardedAt()));
    }

    /**
     * Sets a campaign's budget aside from the settlement balance, if the balance covers it. The
     * balance is what the journal shows credited, less every debit this merchant decided itself;
     * the journal may lag behind credits but never shows one that did not happen, so the merchant
     * can never be taken below zero. Nothing is funded while finance holds the merchant's payouts.
     */
    @CommandHandler
    public CampaignReceipt handle(FundCampaign command) throws Exception {
        CampaignTerms terms = command.terms().validated(command.minShareMinor(), command.maxShareMinor());
        if (!terms.endsAt().isAfter(command.at())) {
            // It could issue nothing: the budget would leave and come straight back.
            throw new LedgerRejection("invalid_campaign_dates", "a campaign must end in the future; this one ended at "
                    + terms.endsAt());
        }
        if (!terms.budget().currency().equals(settlementCurrency)) {
            throw new CurrencyMismatch(settlementCurrency, terms.budget().currency());
        }
        // A campaign hands the settlement balance to users, who can withdraw it: with payouts held
        // by finance, that would be a payout by another road. Budgets funded before the hold stay.
        if (payoutsHeld) {
            throw new LedgerRejection("payouts_held",
                    "finance holds this merchant's payouts, so no campaign can be funded from its balance");
        }
        long available = available(command.creditedMinorSeen(), 0);
        if (terms.budget().minor() > available) {
            throw new LedgerRejection("merchant_insufficient_balance", "the settlement balance is "
                    + Money.of(available, settlementCurrency) + ", the budget " + terms.budget());
        }
        apply(new MerchantFundedCampaign(merchantId, command.campaignId(), terms.budget(), command.at()));
        createNew(Campaign.class, () -> new Campaign(command));
        return new CampaignReceipt(command.campaignId(), merchantId, terms.budget(), terms.startsAt(), terms.endsAt());
    }

    /**
     * Refunds part or all of a captured payment. The fee comes back pro rata: the fee refunded so
     * far is always the fee times the share of the capture refunded so far, rounded down, so the
     * refunded fees never exceed the fee and a full refund returns all of it. The merchant pays
     * the rest out of its balance (credits the journal has seen, less its own debits, plus the
     * negative limit finance allowed).
     */
    @CommandHandler
    public RefundReceipt handle(RefundPayment command) {
        PaymentCaptured capture = command.capture();
        if (!capture.merchantId().equals(merchantId)) {
            throw new LedgerRejection("payment_not_found", "no payment " + capture.paymentId());
        }
        Money amount = command.amount();
        capture.captured().requireSameCurrency(amount);
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("refund amounts are validated positive at the edge: " + amount);
        }
        PaymentId paymentId = capture.paymentId();
        RefundedSoFar remembered = recentPayments.get(paymentId);
        boolean numberRemembered = recentRefundIds.containsKey(command.refundId());
        RefundHistory history = null;
        if (!numberRemembered && forgottenThroughSequence >= 0) {
            // The payment or the number may be among what this merchant forgot: only a history
            // that includes everything it forgot can say whether they were used.
            history = completeHistory(command.history(), paymentId);
        }
        if (numberRemembered || (history != null && history.refundIdTaken())) {
            throw new LedgerRejection("refund_already_exists", "refund " + command.refundNumber() + " was already made");
        }
        // The merchant's memory, when it has the payment, is at least as recent as any history.
        RefundedSoFar before = remembered != null ? remembered
                : history != null ? new RefundedSoFar(history.refundedMinor(), history.refundCount(), -1)
                : RefundedSoFar.NONE;
        int count = before.count();
        if (count >= MAX_REFUNDS_PER_PAYMENT) {
            throw new LedgerRejection("refund_limit_reached", "a payment can be refunded at most "
                    + MAX_REFUNDS_PER_PAYMENT + " times");
        }
        if (command.at().isAfter(capture.capturedAt().plus(REFUND_WINDOW))) {
            throw new LedgerRejection("refund_window_closed", "a payment can be refunded only within 365 days");
        }
        long refundedBefore = before.refundedMinor();
        long capturedMinor = capture.captured().minor();
        if (amount.minor() > capturedMinor - refundedBefore) {
            throw new LedgerRejection("refund_exceeds_captured", "at most "
                    + Money.of(capturedMinor - refundedBefore, amount.currency()) + " of this payment can be refunded");
        }
        long refundedAfter = refundedBefore + amount.minor();
        // Every refund returned the fee so far rounded down, so the fee back before this one is
        // the same function of what was refunded before: no per-payment fee needs remembering.
        long feeBefore = proRataFloor(capture.fee().minor(), refundedBefore, capturedMinor);
        long feeAfter = proRataFloor(capture.fee().minor(), refundedAfter, capturedMinor);
        long feeRefunded = feeAfter - feeBefore;
        long fromMerchant = amount.minor() - feeRefunded;
        long available = available(command.creditedMinorSeen(), negativeLimitMinor);
        if (fromMerchant > available) {
            throw new LedgerRejection("merchant_insufficient_balance", "the settlement balance cannot cover "
                    + Money.of(fromMerchant, amount.currency()));
        }
        Money refundedTotal = Money.of(refundedAfter, amount.currency());
        apply(new MerchantRefundedPayment(merchantId, command.refundId(), command.refundNumber(), paymentId,
                capture.walletId(), capture.payer(), amount, Money.of(feeRefunded, amount.currency()), refundedTotal,
                count + 1, command.at()));
        return new RefundReceipt(command.refundId(), command.refundNumber(), paymentId, amount,
                Money.of(feeRefunded, amount.currency()), refundedTotal,
                Money.of(capturedMinor - refundedAfter, amount.currency()), count + 1, command.at());
    }

    /**
     * The history given with a refund, if it is of the payment and includes every refund this
     * merchant forgot; otherwise the refund cannot be decided yet.
     */
    private RefundHistory completeHistory(RefundHistory given, PaymentId paymentId) {
        if (given == null || !given.paymentId().equals(paymentId)
                || given.completeThroughSequence() < forgottenThroughSequence) {
            throw new RefundHistoryBehind(forgottenThroughSequence, given == null ? -1 : given.completeThroughSequence());
        }
        return given;
    }

    @CommandHandler
    public void handle(SetNegativeLimit command) {
        if (!command.limit().currency().equals(settlementCurrency)) {
            throw new CurrencyMismatch(settlementCurrency, command.limit().currency());
        }
        if (command.limit().isNegative()) {
            throw new IllegalArgumentException("negative limits are validated at the edge: " + command.limit());
        }
        apply(new MerchantNegativeLimitSet(merchantId, command.limit(), command.at()));
    }

    /**
     * Settles a closed business day, once: what the statements moved that no earlier settlement
     * covered, plus what earlier days carried, is paid out if positive, payouts are not held, and the
     * merchant has it (credits the journal has seen less its own debits); the rest is carried
     * forward. A day already settled, or earlier than one, changes nothing, so a settlement run that
     * failed half-way can simply run again.
     */
    @CommandHandler
    public boolean handle(SettleMerchantDay command) {
        if (lastSettledDay != null && !command.day().isAfter(lastSettledDay)) {
            return false;
        }
        Money cumulative = command.cumulativeNet();
        if (!cumulative.currency().equals(settlementCurrency)) {
            throw new CurrencyMismatch(settlementCurrency, cumulative.currency());
        }
        long net = Math.subtractExact(cumulative.minor(), settledCumulativeMinor);
        long due = Math.addExact(carriedMinor, net);
        long payout = payoutsHeld ? 0 : payable(due, command.creditedMinorSeen());
        apply(new MerchantDaySettled(merchantId, command.day(), Money.of(net, settlementCurrency), cumulative,
                Money.of(carriedMinor, settlementCurrency), Money.of(payout, settlementCurrency),
                Money.of(due - payout, settlementCurrency), payoutsHeld, command.at()));
        return true;
    }

    /** Holds or releases payouts; a release pays what held days accumulated. Answers whether anything changed. */
    @CommandHandler
    public boolean handle(HoldPayouts command) {
        if (command.held() == payoutsHeld) {
            return false;
        }
        long payout = command.held() ? 0 : payable(carriedMinor, command.creditedMinorSeen());
        apply(new MerchantPayoutsHeld(merchantId, command.held(), Money.of(payout, settlementCurrency),
                Money.of(carriedMinor - payout, settlementCurrency), command.at()));
        return true;
    }

    /** What of {@code dueMinor} can be paid out now: nothing if not positive, at most what the merchant has. */
    private long payable(long dueMinor, long creditedMinorSeen) {
        return Math.max(0, Math.min(dueMinor, available(creditedMinorSeen, 0)));
    }

    /** What the merchant may still take: credits the journal has seen, less its own debits, plus {@code allowance}. */
    private long available(long creditedMinorSeen, long allowanceMinor) {
        return Math.addExact(Math.subtractExact(creditedMinorSeen, debitedMinor), allowanceMinor);
    }

    /** {@code value × part ÷ whole}, rounded down, without overflow. */
    static long proRataFloor(long value, long part, long whole) {
        return java.math.BigInteger.valueOf(value).multiply(java.math.BigInteger.valueOf(part))
                .divide(java.math.BigInteger.valueOf(whole)).longValueExact();
    }

    @EventSourcingHandler
    void on(MerchantRefundedPayment event, @SequenceNumber long sequence) {
        debitedMinor = Math.addExact(debitedMinor, event.amount().minor() - event.feeRefunded().minor());
        // Removed first, so the payment moves to the most recent end.
        recentPayments.remove(event.paymentId());
        recentPayments.put(event.paymentId(),
                new RefundedSoFar(event.refundedTotalAfter().minor(), event.refundCountAfter(), sequence));
        recentRefundIds.put(event.refundId(), sequence);
        // Forgetting happens here, in event order only, so a rebuild (from the events or from a
        // snapshot) remembers exactly what the live aggregate did.
        while (recentPayments.size() > REMEMBERED_REFUNDS) {
            Iterator<RefundedSoFar> eldest = recentPayments.values().iterator();
            forgottenThroughSequence = Math.max(forgottenThroughSequence, eldest.next().lastSequence());
            eldest.remove();
        }
        while (recentRefundIds.size() > REMEMBERED_REFUNDS) {
            Iterator<Long> eldest = recentRefundIds.values().iterator();
            forgottenThroughSequence = Math.max(forgottenThroughSequence, eldest.next());
            eldest.remove();
        }
    }

    /** How many payments and refund numbers the merchant remembers now (for tests of its bound). */
    int rememberedPayments() {
        return recentPayments.size();
    }

    int rememberedRefundNumbers() {
        return recentRefundIds.size();
    }

    long forgottenThroughSequence() {
        return forgottenThroughSequence;
    }

    /**
     * What was refunded of a payment so far, by how many refunds, and the merchant's event of the
     * latest one.
     */
    record RefundedSoFar(long refundedMinor, int count, long lastSequence) {

        static final RefundedSoFar NONE = new RefundedSoFar(0, 0, -1);
    }

    @EventSourcingHandler
    void on(MerchantDaySettled event) {
        lastSettledDay = event.day();
        settledCumulativeMinor = event.cumulativeNet().minor();
        carriedMinor = event.carriedOut().minor();
        debitedMinor = Math.addExact(debitedMinor, event.payout().minor());
    }

    @EventSourcingHandler
    void on(MerchantPayoutsHeld event) {
        payoutsHeld = event.held();
        carriedMinor = event.carriedOut().minor();
        debitedMinor = Math.addExact(debitedMinor, event.payout().minor());
    }

    @EventSourcingHandler
    void on(MerchantNegativeLimitSet event) {
        negativeLimitMinor = event.limit().minor();
    }

    @EventSourcingHandler
    void on(MerchantOnboarded event) {
        merchantId = event.merchantId();
        settlementCurrency = event.settlementCurrency();
    }

    @EventSourcingHandler
    void on(MerchantFundedCampaign event) {
        debitedMinor = Math.addExact(debitedMinor, event.budget().minor());
    }

    public record OnboardMerchant(@TargetAggregateIdentifier MerchantId merchantId, String name, int feeRateBasisPoints,
                                  Currency settlementCurrency, Instant onboardedAt) {
    }

    public record MerchantOnboarded(MerchantId merchantId, String name, int feeRateBasisPoints,
                                    Currency settlementCurrency, Instant onboardedAt) {
    }
}
