package com.hongbao.ledger.api.config;

import com.hongbao.ledger.api.credits.IsolatedCreditDispatch;
import com.hongbao.ledger.api.idempotency.ClaimingInterceptor;
import com.hongbao.ledger.core.campaign.Campaign;
import com.hongbao.ledger.core.idempotency.IdempotencyClaim;
import com.hongbao.ledger.core.merchant.Merchant;
import com.hongbao.ledger.core.packet.RedPacket;
import com.hongbao.ledger.core.packet.RedPacketCreditor;
import com.hongbao.ledger.core.packet.SeedVault;
import com.hongbao.ledger.core.payment.Payment;
import com.hongbao.ledger.core.payment.PaymentHoldReleaser;
import com.hongbao.ledger.core.refund.RefundCreditor;
import com.hongbao.ledger.core.wallet.Wallet;
import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.AggregateSnapshotter;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Axon on PostgreSQL without Axon Server: the JDBC event store and token store on snake_case
 * tables, JSON events, one Spring transaction per unit of work shared by the event store, the
 * token store and the read models, and the aggregates with their caches.
 */
@Configuration(proxyBeanMethods = false)
public class AxonConfig {

    /** Wallets decided in memory; 100,000 wallets of a few KB each fit comfortably. */
    private static final long WALLET_CACHE_SIZE = 100_000;
    private static final long PAYMENT_CACHE_SIZE = 100_000;
    private static final long PACKET_CACHE_SIZE = 10_000;
    private static final long CAMPAIGN_CACHE_SIZE = 1_000;
    /** Merchants decided in memory; a merchant's state is bounded (ADR 17), a few tens of KB at most. */
    private static final long MERCHANT_CACHE_SIZE = 10_000;
    private static final int WALLET_SNAPSHOT_EVERY_EVENTS = 100;
    /**
     * Merchants and campaigns are rebuilt from their latest snapshot and at most this many events,
     * so a refund, a funding or an issuance costs the same after a thousand or a million events.
     */
    private static final int MERCHANT_SNAPSHOT_EVERY_EVENTS = 100;
    private static final int CAMPAIGN_SNAPSHOT_EVERY_EVENTS = 100;
    /** Snapshots are taken one at a time, off the command threads. */
    private static final Executor SNAPSHOT_EXECUTOR = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "aggregate-snapshotter");
        thread.setDaemon(true);
        return thread;
    });


    /** Explicit, because Axon's auto-configuration orders itself after Spring Boot 3 class names. */
    @Bean
    TransactionManager axonTransactionManager(PlatformTransactionManager transactionManager) {
        return new SpringTransactionManager(transactionManager);
    }

    /** Connections bound to the Spring transaction, so events, tokens and read-model rows commit together. */
    @Bean
    ConnectionProvider connectionProvider(DataSource dataSource) {
        return new UnitOfWorkAwareConnectionProviderWrapper(new SpringDataSourceConnectionProvider(dataSource));
    }

    /**
     * PostgreSQL reports a unique violation as SQLState 23505 (not as
     * SQLIntegrityConstraintViolationException); Axon turns it into a concurrency exception.
     */
    @Bean
    PersistenceExceptionResolver persistenceExceptionResolver() {
        return exception -> {
            for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
                if (cause instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                    return true;
                }
            }
            return false;
        };
    }

    /** Events, snapshots, tokens and messages as JSON (see {@link EventJson}). */
    @Bean
    @Primary
    Serializer serializer() {
        return EventJson.serializer();
    }

    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer(Serializer serializer) {
        return serializer;
    }

    @Bean
    @Qualifier("messageSerializer")
    Serializer messageSerializer(Serializer serializer) {
        return serializer;
    }

    @Bean
    EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable("event_entry")
                .snapshotTable("snapshot_entry")
                .globalIndexColumn("global_index")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .timestampColumn("time_stamp")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    @Bean
    EventStorageEngine eventStorageEngine(Serializer serializer, PersistenceExceptionResolver exceptionResolver,
                                          org.axonframework.config.Configuration configuration,
                                          ConnectionProvider connectionProvider, TransactionManager transactionManager,
                                          EventSchema eventSchema) {
        return new LedgerJdbcEventStorageEngine(JdbcEventStorageEngine.builder()
                .snapshotSerializer(serializer)
                .eventSerializer(serializer)
                .upcasterChain(configuration.upcasterChain())
                .snapshotFilter(configuration.snapshotFilter())
                .persistenceExceptionResolver(exceptionResolver)
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                // Each streaming processor reads the store on its own; 500 events per query instead of
                // the default 100 cuts the round trips of a replay fivefold (statements benchmark).
                .batchSize(500),
                eventSchema);
    }

    @Bean
    TokenSchema tokenSchema() {
        return TokenSchema.builder()
                .setTokenTable("token_entry")
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("time_stamp")
                .setOwnerColumn("owner")
                .build();
    }

    /**
     * Tokens are claimed in the name of this application instance. Axon's default owner is the
     * JVM's {@code pid@host}, which two instances share when they run in one JVM or in containers
     * with the same host name and pid: each would then take the other's claims as its own and both
     * would process every segment. A random suffix makes the owner unique per instance; a restarted
     * instance waits out the claim timeout of its predecessor's claims, as a new process does anyway.
     */
    @Bean
    TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer, TokenSchema tokenSchema) {
        String nodeId = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
        return JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .schema(tokenSchema)
                .serializer(serializer)
                .nodeId(nodeId)
                .claimTimeout(ProcessorTimings.CLAIM_TIMEOUT)
                .build();
    }

    /**
     * The aggregates, registered here because ledger-core carries no Spring stereotypes. Each reads
     * only events of its own type: ids are public (a wallet's is derived from its owner), and an id
     * of another kind of aggregate must be "not found", exactly like one that does not exist, not
     * a failure to apply a wallet's events to a payment.
     */
    @Bean
    ConfigurerModule aggregates(@Qualifier("walletCache") CaffeineAggregateCache walletCache,
                                @Qualifier("merchantCache") CaffeineAggregateCache merchantCache) {
        return configurer -> configurer
                .configureAggregate(AggregateConfigurer.defaultConfiguration(Wallet.class)
                        .configureFilterEventsByType(config -> true)
                        .configureCache(config -> walletCache)
                        // A wallet that is not in the cache (cold, or evicted after a rejected command)
                        // is rebuilt from its latest snapshot and at most this many events.
                        .configureSnapshotTrigger(config -> new EventCountSnapshotTriggerDefinition(
                                snapshotter(config, Wallet.class), WALLET_SNAPSHOT_EVERY_EVENTS)))
                .configureAggregate(AggregateConfigurer.defaultConfiguration(Payment.class)
                        .configureFilterEventsByType(config -> true)
                        .configureCache(config -> new CaffeineAggregateCache(PAYMENT_CACHE_SIZE)))
                // A hot packet is decided in memory between batches of grabs.
                .configureAggregate(AggregateConfigurer.defaultConfiguration(RedPacket.class)
                        .configureFilterEventsByType(config -> true)
                        .configureCache(config -> new CaffeineAggregateCache(PACKET_CACHE_SIZE)))
                // A merchant's refunds, fundings and settlements are decided in memory; its history grows
                // without bound, its state does not (it remembers only its latest refunds, ADR 17).
                .configureAggregate(AggregateConfigurer.defaultConfiguration(Merchant.class)
                        .configureFilterEventsByType(config -> true)
                        .configureCache(config -> merchantCache)
                        .configureSnapshotTrigger(config -> new EventCountSnapshotTriggerDefinition(
                                snapshotter(config, Merchant.class), MERCHANT_SNAPSHOT_EVERY_EVENTS)))
                // A campaign's state is bounded by its terms (recipients and packets its budget allows).
                .configureAggregate(AggregateConfigurer.defaultConfiguration(Campaign.class)
                        .configureFilterEventsByType(config -> true)
                        .configureCache(config -> new CaffeineAggregateCache(CAMPAIGN_CACHE_SIZE))
                        .configureSnapshotTrigger(config -> new EventCountSnapshotTriggerDefinition(
                                snapshotter(config, Campaign.class), CAMPAIGN_SNAPSHOT_EVERY_EVENTS)))
                .configureAggregate(AggregateConfigurer.defaultConfiguration(IdempotencyClaim.class)
                        .configureFilterEventsByType(config -> true));
    }

    /**
     * A failing event handler fails its batch, which is rolled back and retried with back-off,
     * instead of Axon's default of logging the error and moving on: skipping an event would skip
     * a hold release (money stuck in clearing) or a journal posting. A poison event therefore
     * halts its segment, visibly as processor lag, until it is fixed.
     */
    @Bean
    ConfigurerModule propagateEventHandlerErrors() {
        return configurer -> configurer.eventProcessing()
                .registerDefaultListenerInvocationErrorHandler(config -> PropagatingErrorHandler.instance());
    }

    /**
     * Spring's default snapshotter only knows aggregates declared as Spring beans; the core's
     * aggregates are registered through the configurer, so each snapshotted one gets its own,
     * sharing one executor.
     */
    private static <T> AggregateSnapshotter snapshotter(org.axonframework.config.Configuration config,
                                                        Class<T> aggregateType) {
        return AggregateSnapshotter.builder()
                .eventStore(config.eventStore())
                // The aggregate's model as its repository builds it: a handler's parameter that is a
                // Spring bean (the wallet's seed vault) resolves through the configuration's resolvers,
                // not through the classpath's alone, which a bare GenericAggregateFactory would use.
                .aggregateFactories(new GenericAggregateFactory<>(AnnotatedAggregateMetaModelFactory.inspectAggregate(
                        aggregateType, config.parameterResolverFactory(), config.handlerDefinition(aggregateType))))
                .parameterResolverFactory(config.parameterResolverFactory())
                .handlerDefinition(config.handlerDefinition(aggregateType))
                .transactionManager(config.getComponent(TransactionManager.class))
                // Not in the committing thread: that thread still holds the aggregate's lock, and when
                // every pooled connection belongs to a command queued on that lock, a snapshot
                // needing its own connection would stall the aggregate until the pool times out.
                .executor(SNAPSHOT_EXECUTOR)
                .build();
    }

    /** Wallets decided in memory; shared with {@link FreshCopyForDecisionsThatMayWriteNothing}. */
    @Bean
    @Primary
    CaffeineAggregateCache walletCache() {
        return new CaffeineAggregateCache(WALLET_CACHE_SIZE);
    }

    /** Merchants decided in memory; shared with {@link FreshCopyForDecisionsThatMayWriteNothing}. */
    @Bean
    CaffeineAggregateCache merchantCache() {
        return new CaffeineAggregateCache(MERCHANT_CACHE_SIZE);
    }

    /**
     * Creates idempotency claims in the unit of work of the command they guard, and makes the
     * commands that may write nothing (hold releases, payout holds) decide on the aggregate loaded
     * from the store.
     */
    @Bean
    ConfigurerModule claimingInterceptor(JsonMapper jsonMapper, Clock clock,
                                         @Qualifier("walletCache") CaffeineAggregateCache walletCache,
                                         @Qualifier("merchantCache") CaffeineAggregateCache merchantCache) {
        return configurer -> configurer.onInitialize(config -> config.onStart(Integer.MIN_VALUE, () -> {
            CommandBus commandBus = config.commandBus();
            commandBus.registerHandlerInterceptor(new ClaimingInterceptor(
                    () -> config.repository(IdempotencyClaim.class), jsonMapper, clock));
            commandBus.registerHandlerInterceptor(new FreshCopyForDecisionsThatMayWriteNothing(walletCache, merchantCache));
        }));
    }

    /*
     * The credit processors' handlers send their commands in isolation: each in its own unit of work
     * and transaction, retried in place on a concurrent change (ADR 0016, CreditsConfig).
     */
    @Bean
    RefundCreditor refundCreditor(IsolatedCreditDispatch credits) {
        return new RefundCreditor(credits);
    }

    @Bean
    RedPacketCreditor redPacketCreditor(IsolatedCreditDispatch credits) {
        return new RedPacketCreditor(credits);
    }

    @Bean
    PaymentHoldReleaser paymentHoldReleaser(IsolatedCreditDispatch credits) {
        return new PaymentHoldReleaser(credits);
    }
}
