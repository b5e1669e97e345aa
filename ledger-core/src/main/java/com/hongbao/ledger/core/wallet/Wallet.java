package com.hongbao.ledger.core.wallet;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.createNew;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.bnpl.InstalmentPlan;
import com.hongbao.ledger.core.bnpl.InstalmentSchedule;
import com.hongbao.ledger.core.bnpl.PlanCommand.CheckoutWithPlan;
import com.hongbao.ledger.core.bnpl.PlanCommand.RepayPlan;
import com.hongbao.ledger.core.bnpl.PlanCommand.ReviewPlan;
import com.hongbao.ledger.core.bnpl.PlanCommand.SetCreditLine;
import com.hongbao.ledger.core.bnpl.PlanEvent.CreditLineSet;
import com.hongbao.ledger.core.bnpl.PlanEvent.InstalmentCollectionFailed;
import com.hongbao.ledger.core.bnpl.PlanEvent.InstalmentsOverdue;
import com.hongbao.ledger.core.bnpl.PlanEvent.InstalmentsPaid;
import com.hongbao.ledger.core.bnpl.PlanEvent.LateFeeCharged;
import com.hongbao.ledger.core.bnpl.PlanEvent.PlanChange;
import com.hongbao.ledger.core.bnpl.PlanEvent.PlanCheckedOut;
import com.hongbao.ledger.core.bnpl.PlanEvent.PlanDefaulted;
import com.hongbao.ledger.core.bnpl.PlanEvent.PlanRefundApplied;
import com.hongbao.ledger.core.bnpl.PlanReceipt;
import com.hongbao.ledger.core.bnpl.RepaymentSource;
import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.CurrencyMismatch;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.packet.LuckySplit;
import com.hongbao.ledger.core.packet.PacketReceipt;
import com.hongbao.ledger.core.packet.RedPacket;
import com.hongbao.ledger.core.packet.RedPacketTerms;
import com.hongbao.ledger.core.packet.SeedVault;
import com.hongbao.ledger.core.payment.Payment;
import com.hongbao.ledger.core.payment.PaymentReceipt;
import com.hongbao.ledger.core.wallet.WalletCommand.InspectWallet;
import com.hongbao.ledger.core.wallet.WalletCommand.OpenWallet;
import com.hongbao.ledger.core.wallet.WalletCommand.PayMerchant;
import com.hongbao.ledger.core.wallet.WalletCommand.ReceiveFromRedPacket;
import com.hongbao.ledger.core.wallet.WalletCommand.ReceiveRefund;
import com.hongbao.ledger.core.wallet.WalletCommand.ReleasePaymentHold;
import com.hongbao.ledger.core.wallet.WalletCommand.SendRedPacket;
import com.hongbao.ledger.core.wallet.WalletCommand.TopUpWallet;
import com.hongbao.ledger.core.wallet.WalletCommand.WithdrawFromWallet;
import com.hongbao.ledger.core.wallet.WalletEvent.PaymentHoldReleased;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletCreditedFromRedPacket;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletCreditedWithRefund;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletDebitedForPayment;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletDebitedForRedPacket;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletOpened;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletToppedUp;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletWithdrawn;
import com.hongbao.ledger.core.wallet.WalletRejection.BalanceOverflow;
import com.hongbao.ledger.core.wallet.WalletRejection.InsufficientFunds;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/**
 * A user's wallet: the one place that decides whether money may leave the user's available
 * balance. It is never negative. Money held for two-phase payments is not available; each open
 * hold is remembered until the payment settles it, which also makes repeated settlements harmless.
 *
 * <p>The wallet also holds its owner's buy-now-pay-later plans and credit line (ADR 8): every plan
 * movement takes money from the wallet or returns some to it, and the credit limit spans all plans.
 */
public class Wallet {

    @AggregateIdentifier
    private WalletId walletId;
    private UserId owner;
    private Currency currency;
    private long availableMinor;
    private final Map<PaymentId, Long> openHoldsMinor = new HashMap<>();
    /**
     * The red-packet credits already received ("packet/share", "packet/refund"), so a credit
     * delivered again changes nothing. A wallet receives from each packet at most twice.
     */
    private final Set<String> redPacketCredits = new HashSet<>();
    /** The refunds already received, by refund id, so a refund delivered again changes nothing. */
    private final Set<String> refundsReceived = new HashSet<>();
    /** The owner's instalment plans, by the payment each paid for, in checkout order. */
    private final Map<PaymentId, InstalmentPlan> plans = new LinkedHashMap<>();
    /** The credit limit finance set, in minor units; null while the configured default applies. */
    private Long creditLimitMinor;
    private boolean creditFrozen;

    /** For Axon's event sourcing. */
    protected Wallet() {
    }

    @CommandHandler
    public Wallet(OpenWallet command) {
        apply(new WalletOpened(command.walletId(), command.owner(), command.currency(), command.openedAt()));
    }

    @CommandHandler
    public WalletReceipt handle(TopUpWallet command) {
        Money amount = requirePositive(command.amount());
        long after = availableAfterCredit(amount);
        apply(new WalletToppedUp(walletId, command.bankReference(), amount, Money.of(after, currency), command.at()));
        return receipt();
    }

    @CommandHandler
    public WalletReceipt handle(WithdrawFromWallet command) {
        Money amount = requireAvailable(command.amount());
        apply(new WalletWithdrawn(walletId, command.withdrawalId(), command.bankAccountToken(), amount,
                available().minus(amount), command.at()));
        return receipt();
    }

    @CommandHandler
    public PaymentReceipt handle(PayMerchant command) throws Exception {
        Money amount = requireAvailable(command.amount());
        boolean held = command.captureMode() == WalletCommand.CaptureMode.MANUAL;
        apply(new WalletDebitedForPayment(walletId, command.paymentId(), command.merchantId(), command.orderNumber(),
                amount, held, available().minus(amount), command.at()));
        return createNew(Payment.class, () -> new Payment(owner, command)).invoke(Payment::receipt);
    }

    @CommandHandler
    public PacketReceipt handle(SendRedPacket command, SeedVault vault) throws Exception {
        requireOwnCurrency(command.amount());
        RedPacketTerms terms = RedPacketTerms.of(owner, command);
        Money total = requireAvailable(terms.total());
        apply(new WalletDebitedForRedPacket(walletId, command.packetId(), total, available().minus(total), command.at()));
        createNew(RedPacket.class, () -> new RedPacket(owner, command, terms, vault));
        return new PacketReceipt(command.packetId(), walletId, terms.kind(), total, terms.shares(),
                command.seed() == null ? null : LuckySplit.commitment(command.seed()), command.at().plus(command.ttl()),
                available());
    }

    /** Returns whether money arrived; {@code false} for a repeat of a credit already made. */
    @CommandHandler
    public boolean handle(ReceiveFromRedPacket command) {
        String credit = redPacketCredit(command.packetId(), command.refund());
        if (redPacketCredits.contains(credit)) {
            return false;
        }
        Money amount = requirePositive(command.amount());
        long after = availableAfterCredit(amount);
        apply(new WalletCreditedFromRedPacket(walletId, command.packetId(), amount, command.refund(),
                Money.of(after, currency), command.at()));
        return true;
    }

    /** Returns whether the refund arrived now; {@code false} for a refund already taken. */
    @CommandHandler
    public boolean handle(ReceiveRefund command) {
        if (refundsReceived.contains(command.refundId().value())) {
            return false;
        }
        Money amount = requirePositive(command.amount());
        InstalmentPlan plan = plans.get(command.paymentId());
        if (plan != null) {
            PlanRefundApplied applied;
            try {
                applied = plan.refund(walletId, command.refundId(), amount, availableMinor, command.at());
            } catch (ArithmeticException overflow) {
                throw new BalanceOverflow(walletId);
            }
            availableAfterCredit(applied.toWallet());
            apply(applied);
            return true;
        }
        long after = availableAfterCredit(amount);
        apply(new WalletCreditedWithRefund(walletId, command.refundId(), command.paymentId(), amount,
                Money.of(after, currency), command.at()));
        return true;
    }

    /**
     * Pays an order with an instalment plan: checks the credit line, records the plan, creates the
     * payment that pays the merchant at once, and takes pay-in-4's first instalment from the wallet.
     */
    @CommandHandler
    public PlanReceipt handle(CheckoutWithPlan command) throws Exception {
        Money amount = requireOwnCurrency(command.orderAmount());
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("order amounts are validated positive at the edge: " + amount);
        }
        if (creditFrozen) {
            throw new LedgerRejection("credit_frozen", "this user's credit is frozen; no new plans can be opened");
        }
        if (plans.containsKey(command.paymentId())) {
            throw new LedgerRejection("payment_already_exists", "payment " + command.paymentId() + " already has a plan");
        }
        if (amount.minor() < command.planType().instalments()) {
            throw new LedgerRejection("amount_too_small_for_plan", "a " + command.planType().code() + " plan needs at least "
                    + Money.of(command.planType().instalments(), currency) + ", one minor unit per instalment");
        }
        InstalmentSchedule schedule = InstalmentSchedule.of(command.planType(), amount, command.planFeeBasisPoints(),
                command.at(), command.terms().zone());
        Money atCheckout = command.planType().firstDueAtCheckout()
                ? schedule.instalments().getFirst().amount() : Money.zero(currency);
        Money limit = creditLimit(command.defaultCreditLimit());
        Money usedAfter = creditUsed().plus(schedule.total()).minus(atCheckout);
        if (usedAfter.isGreaterThan(limit)) {
            throw new LedgerRejection("credit_limit_exceeded", "the credit limit is " + limit + ", of which "
                    + limit.minus(creditUsed()).min(limit) + " is available; this plan needs "
                    + schedule.total().minus(atCheckout));
        }
        if (atCheckout.isPositive()) {
            requireAvailable(atCheckout);
        }
        apply(InstalmentPlan.checkout(walletId, owner, command, schedule, limit, usedAfter));
        PayMerchant payment = new PayMerchant(walletId, command.paymentId(), command.merchantId(),
                command.merchantFeeRateBasisPoints(), command.orderNumber(), command.description(), amount,
                WalletCommand.CaptureMode.IMMEDIATE, java.time.Duration.ZERO, command.at());
        createNew(Payment.class, () -> new Payment(owner, payment));
        InstalmentPlan plan = plans.get(command.paymentId());
        if (atCheckout.isPositive()) {
            apply(plan.repay(walletId, atCheckout, 0, RepaymentSource.CHECKOUT, availableMinor, command.at()));
        }
        return plan.receipt();
    }

    /** The buyer pays towards a plan from the wallet, oldest instalment first. */
    @CommandHandler
    public PlanReceipt handle(RepayPlan command) {
        InstalmentPlan plan = requirePlan(command.planId());
        if (command.amount() != null) {
            requirePositive(command.amount());
        }
        apply(plan.repay(walletId, command.amount(), command.instalments(), RepaymentSource.MANUAL, availableMinor,
                command.at()));
        return plan.receipt();
    }

    /** Does what is due on a plan at the command's instant; answers whether anything happened. */
    @CommandHandler
    public boolean handle(ReviewPlan command) {
        InstalmentPlan plan = plans.get(command.planId());
        if (plan == null) {
            return false;
        }
        boolean acted = false;
        for (Optional<PlanChange> due = plan.nextDue(walletId, availableMinor, command.at()); due.isPresent();
                due = plan.nextDue(walletId, availableMinor, command.at())) {
            apply(due.get());
            acted = true;
        }
        return acted;
    }

    @CommandHandler
    public CreditLineSet handle(SetCreditLine command) {
        Money limit = requireOwnCurrency(command.limit());
        if (limit.isNegative()) {
            throw new IllegalArgumentException("credit limits are validated at the edge: " + limit);
        }
        CreditLineSet set = new CreditLineSet(walletId, owner, limit, command.frozen(), command.at());
        apply(set);
        return set;
    }

    /** The plan of a payment made by this wallet's owner, or not found (also for another user's payment). */
    private InstalmentPlan requirePlan(PaymentId planId) {
        InstalmentPlan plan = plans.get(planId);
        if (plan == null) {
            throw new LedgerRejection("plan_not_found", "no instalment plan " + planId);
        }
        return plan;
    }

    private Money creditLimit(Money defaultLimit) {
        return creditLimitMinor == null ? requireOwnCurrency(defaultLimit) : Money.of(creditLimitMinor, currency);
    }

    /** The scheduled amounts still owed on the owner's open plans. */
    private Money creditUsed() {
        Money used = Money.zero(currency);
        for (InstalmentPlan plan : plans.values()) {
            used = used.plus(plan.principalOwed());
        }
        return used;
    }

    private static String redPacketCredit(PacketId packetId, boolean refund) {
        return packetId.value() + (refund ? "/refund" : "/share");
    }

    /** Read-only: applies no event, so inspecting a wallet leaves its history exactly as it was. */
    @CommandHandler
    public WalletReceipt handle(InspectWallet command) {
        return receipt();
    }

    /** Returns whether a hold was settled; {@code false} for a repeat of a settlement already made. */
    @CommandHandler
    public boolean handle(ReleasePaymentHold command) {
        Long heldMinor = openHoldsMinor.get(command.paymentId());
        if (heldMinor == null) {
            return false;
        }
        Money released = requireOwnCurrency(command.released());
        if (released.isNegative() || released.minor() > heldMinor) {
            throw new IllegalArgumentException("release of " + released + " from a hold of " + heldMinor);
        }
        apply(new PaymentHoldReleased(walletId, command.paymentId(), Money.of(heldMinor, currency), released,
                available().plus(released), command.at()));
        return true;
    }

    @EventSourcingHandler
    void on(WalletOpened event) {
        walletId = event.walletId();
        owner = event.owner();
        currency = event.currency();
    }

    @EventSourcingHandler
    void on(WalletToppedUp event) {
        availableMinor = event.availableAfter().minor();
    }

    @EventSourcingHandler
    void on(WalletWithdrawn event) {
        availableMinor = event.availableAfter().minor();
    }

    @EventSourcingHandler
    void on(WalletDebitedForPayment event) {
        availableMinor = event.availableAfter().minor();
        if (event.held()) {
            openHoldsMinor.put(event.paymentId(), event.amount().minor());
        }
    }

    @EventSourcingHandler
    void on(WalletDebitedForRedPacket event) {
        availableMinor = event.availableAfter().minor();
    }

    @EventSourcingHandler
    void on(WalletCreditedFromRedPacket event) {
        availableMinor = event.availableAfter().minor();
        redPacketCredits.add(redPacketCredit(event.packetId(), event.refund()));
    }

    @EventSourcingHandler
    void on(WalletCreditedWithRefund event) {
        availableMinor = event.availableAfter().minor();
        refundsReceived.add(event.refundId().value());
    }

    @EventSourcingHandler
    void on(PlanCheckedOut event) {
        plans.put(event.planId(), new InstalmentPlan(event));
    }

    @EventSourcingHandler
    void on(InstalmentsPaid event) {
        availableMinor = event.availableAfter().minor();
        plans.get(event.planId()).apply(event);
    }

    @EventSourcingHandler
    void on(InstalmentCollectionFailed event) {
        plans.get(event.planId()).apply(event);
    }

    @EventSourcingHandler
    void on(InstalmentsOverdue event) {
        plans.get(event.planId()).apply(event);
    }

    @EventSourcingHandler
    void on(LateFeeCharged event) {
        plans.get(event.planId()).apply(event);
    }

    @EventSourcingHandler
    void on(PlanRefundApplied event) {
        availableMinor = event.availableAfter().minor();
        refundsReceived.add(event.refundId().value());
        plans.get(event.planId()).apply(event);
    }

    @EventSourcingHandler
    void on(PlanDefaulted event) {
        plans.get(event.planId()).apply(event);
        creditFrozen = true;
    }

    @EventSourcingHandler
    void on(CreditLineSet event) {
        creditLimitMinor = event.limit().minor();
        creditFrozen = event.frozen();
    }

    @EventSourcingHandler
    void on(PaymentHoldReleased event) {
        availableMinor = event.availableAfter().minor();
        openHoldsMinor.remove(event.paymentId());
    }

    /**
     * The available balance once {@code amount} is credited. Held money comes back to the
     * available balance when its payment settles, so it must fit then too.
     */
    private long availableAfterCredit(Money amount) {
        try {
            long after = Math.addExact(availableMinor, amount.minor());
            Math.addExact(after, heldTotal().minor());
            return after;
        } catch (ArithmeticException overflow) {
            throw new BalanceOverflow(walletId);
        }
    }

    private Money available() {
        return Money.of(availableMinor, currency);
    }

    private Money heldTotal() {
        long held = 0;
        for (long minor : openHoldsMinor.values()) {
            held = Math.addExact(held, minor);
        }
        return Money.of(held, currency);
    }

    private WalletReceipt receipt() {
        return new WalletReceipt(walletId, owner, available(), heldTotal());
    }

    private Money requireOwnCurrency(Money amount) {
        if (!amount.currency().equals(currency)) {
            throw new CurrencyMismatch(currency, amount.currency());
        }
        return amount;
    }

    /** Amounts are validated positive at the edge; a non-positive one here is a programmer error. */
    private Money requirePositive(Money amount) {
        requireOwnCurrency(amount);
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("amounts reaching a wallet are validated positive: " + amount);
        }
        return amount;
    }

    private Money requireAvailable(Money amount) {
        requirePositive(amount);
        if (amount.minor() > availableMinor) {
            throw new InsufficientFunds(walletId, amount, available());
        }
        return amount;
    }
}
