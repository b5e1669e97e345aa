package com.hongbao.ledger.core.testing;

import com.hongbao.ledger.core.bnpl.PlanEvent;
import com.hongbao.ledger.core.campaign.Campaign;
import com.hongbao.ledger.core.merchant.Merchant.MerchantOnboarded;
import com.hongbao.ledger.core.merchant.Merchant;
import com.hongbao.ledger.core.packet.AesGcmSeedVault;
import com.hongbao.ledger.core.packet.RedPacket;
import com.hongbao.ledger.core.packet.RedPacketCreditor;
import com.hongbao.ledger.core.packet.SeedVault;
import com.hongbao.ledger.core.payment.Payment;
import com.hongbao.ledger.core.payment.PaymentEvent;
import com.hongbao.ledger.core.payment.PaymentHoldReleaser;
import com.hongbao.ledger.core.refund.RefundCreditor;
import com.hongbao.ledger.core.wallet.Wallet;
import com.hongbao.ledger.core.wallet.WalletEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;

/**
 * A real Axon configuration of the core aggregates over an in-memory event store: commands go
 * through the command bus and event-sourcing repositories exactly as in production, and every
 * published event is recorded by an event handler in a subscribing processor, so it is seen
 * synchronously, in publication order, before the command returns.
 *
 * <p>Each aggregate's commands are tested on Axon's {@code AggregateTestFixture}, which holds one
 * aggregate at a time. This harness is for what spans several: the {@link PaymentHoldReleaser}
 * reacting to a payment's outcome on the paying wallet, and the property tests, which run long
 * sequences of commands against many wallets and payments.
 */
public final class InMemoryLedger implements AutoCloseable {

    private final Configuration configuration;
    private final EventRecorder recorder = new EventRecorder();
    private final List<Object> dispatchedCommands = new CopyOnWriteArrayList<>();
    private final Map<String, Long> givenSequences = new HashMap<>();

    private InMemoryLedger(boolean releaseHolds, boolean cacheAggregates) {
        Configurer configurer = DefaultConfigurer.defaultConfiguration()
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
                // Lucky seeds sealed as in production (a fixed test key).
                .registerComponent(SeedVault.class, c -> new AesGcmSeedVault(new byte[AesGcmSeedVault.KEY_BYTES]))
                .configureAggregate(aggregate(Wallet.class, cacheAggregates))
                .configureAggregate(aggregate(Payment.class, cacheAggregates))
                .configureAggregate(aggregate(Merchant.class, cacheAggregates))
                .configureAggregate(aggregate(RedPacket.class, cacheAggregates))
                .configureAggregate(aggregate(Campaign.class, cacheAggregates));
        configurer.eventProcessing(processing -> {
            processing.usingSubscribingEventProcessors();
            processing.registerEventHandler(c -> recorder);
            if (releaseHolds) {
                processing.registerEventHandler(c -> new PaymentHoldReleaser(c.commandGateway()));
                processing.registerEventHandler(c -> new RedPacketCreditor(c.commandGateway()));
                processing.registerEventHandler(c -> new RefundCreditor(c.commandGateway()));
            }
            // A failing reaction must fail the test, not be logged and skipped.
            processing.registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance());
        });
        this.configuration = configurer.start();
        configuration.commandBus().registerDispatchInterceptor(messages -> (index, message) -> {
            dispatchedCommands.add(message.getPayload());
            return message;
        });
    }

    /** The aggregates alone: nothing reacts to their events except the recorder. */
    public static InMemoryLedger aggregatesOnly() {
        return new InMemoryLedger(false, false);
    }

    /**
     * The aggregates, the {@link PaymentHoldReleaser} (settles holds), the {@link RedPacketCreditor}
     * (credits shares and refunds) and the {@link RefundCreditor} (delivers merchant refunds to the
     * payer's wallet), all synchronous.
     */
    public static InMemoryLedger withHoldReleaser() {
        return new InMemoryLedger(true, false);
    }

    /**
     * As {@link #withHoldReleaser()}, with Axon's weak-reference aggregate cache, as a production
     * configuration may have. The in-memory event store finds an aggregate's events by scanning
     * every event, so a long-lived ledger without the cache slows down as it fills.
     */
    public static InMemoryLedger withHoldReleaserAndAggregateCache() {
        return new InMemoryLedger(true, true);
    }

    private static <A> AggregateConfigurer<A> aggregate(Class<A> type, boolean cached) {
        AggregateConfigurer<A> aggregate = AggregateConfigurer.defaultConfiguration(type);
        return cached ? aggregate.configureWeakReferenceCache() : aggregate;
    }

    /**
     * Stores past events of the aggregates they name, in order, as if the aggregates had applied
     * them. They are not part of any later command's outcome.
     */
    public InMemoryLedger given(Object... events) {
        for (Object event : events) {
            String type;
            String aggregateId;
            switch (event) {
                case WalletEvent walletEvent -> {
                    type = Wallet.class.getSimpleName();
                    aggregateId = walletEvent.walletId().value();
                }
                case PlanEvent planEvent -> {
                    type = Wallet.class.getSimpleName();
                    aggregateId = planEvent.walletId().value();
                }
                case PaymentEvent paymentEvent -> {
                    type = Payment.class.getSimpleName();
                    aggregateId = paymentEvent.paymentId().value();
                }
                case MerchantOnboarded onboarded -> {
                    type = Merchant.class.getSimpleName();
                    aggregateId = onboarded.merchantId().value();
                }
                default -> throw new IllegalArgumentException("not an event of a core aggregate: " + event);
            }
            long sequence = givenSequences.merge(aggregateId, 0L, (previous, ignored) -> previous + 1);
            configuration.eventStore().publish(new GenericDomainEventMessage<>(type, aggregateId, sequence, event));
        }
        return this;
    }

    /** Sends a command and records what it returned or threw, and the events it caused. */
    public Outcome when(Object command) {
        int before = recorder.size();
        Object result = null;
        RuntimeException failure = null;
        try {
            result = configuration.commandGateway().sendAndWait(command);
        } catch (RuntimeException e) {
            failure = e;
        }
        return new Outcome(result, failure, recorder.since(before));
    }

    /** Every command dispatched so far, by the test or by event handlers, in dispatch order. */
    public List<Object> commands() {
        return List.copyOf(dispatchedCommands);
    }

    /** Every event published so far, including given ones, in publication order. */
    public List<Object> events() {
        return recorder.since(0);
    }

    /** The events published after the first {@code count}, in publication order. */
    public List<Object> eventsAfter(int count) {
        return recorder.since(count);
    }

    /** How many events have been published so far. */
    public int eventCount() {
        return recorder.size();
    }

    public Configuration configuration() {
        return configuration;
    }

    @Override
    public void close() {
        configuration.shutdown();
    }

    /** Records every event payload in a subscribing processor. */
    static final class EventRecorder {

        private final List<Object> payloads = new ArrayList<>();

        @EventHandler
        synchronized void on(Object payload) {
            payloads.add(payload);
        }

        synchronized int size() {
            return payloads.size();
        }

        synchronized List<Object> since(int index) {
            return List.copyOf(payloads.subList(index, payloads.size()));
        }
    }
}
