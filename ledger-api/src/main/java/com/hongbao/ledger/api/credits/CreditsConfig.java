package com.hongbao.ledger.api.credits;

import com.hongbao.ledger.api.finance.Reconciliation;
import com.hongbao.ledger.core.packet.RedPacketCreditor;
import com.hongbao.ledger.core.payment.PaymentHoldReleaser;
import com.hongbao.ledger.core.refund.RefundCreditor;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The credit processors ({@code refund-credits}, {@code red-packet-credits},
 * {@code payment-hold-release}): their commands sent in isolation, their events in sequence by
 * target wallet, Axon's sequenced dead-letter queue on JDBC for what cannot be applied now, its
 * automatic retries, and the metrics of parked credits and of money aged in clearing (ADR 0016).
 */
@Configuration(proxyBeanMethods = false)
public class CreditsConfig {

    /** The processing groups whose handlers move money out of clearing or escrow. */
    public static final List<String> CREDIT_GROUPS = List.of(RefundCreditor.PROCESSING_GROUP,
            RedPacketCreditor.PROCESSING_GROUP, PaymentHoldReleaser.PROCESSING_GROUP);
    /** Diagnostics of a parked credit: how many times it was tried. */
    public static final String ATTEMPTS = "attempts";
    /** Workers for the credits' commands: one per credit processor thread (two each), one for the retries, a spare. */
    private static final int CREDIT_WORKERS = 8;
    private static final Duration CREDIT_TIMEOUT = Duration.ofSeconds(30);
    /** Far above any real number: a full queue would fail its processor's segment instead of parking. */
    private static final int MAX_PARKED_SEQUENCES = 1_000_000;
    private static final int MAX_PARKED_PER_WALLET = 100_000;
    /** A node that claimed a parked sequence and died leaves it to another node after this long. */
    private static final Duration RETRY_CLAIM = Duration.ofSeconds(30);

    @Bean(destroyMethod = "close")
    IsolatedCreditDispatch creditDispatch(CommandGateway commandGateway, @Qualifier("walletCache") Cache walletCache) {
        return new IsolatedCreditDispatch(commandGateway, walletCache, CREDIT_WORKERS, CREDIT_TIMEOUT);
    }

    @Bean
    DeadLetterSchema deadLetterSchema() {
        return DeadLetterSchema.builder()
                .deadLetterTable("dead_letter_entry")
                .deadLetterIdentifierColumn("dead_letter_id")
                .processingGroupColumn("processing_group")
                .sequenceIdentifierColumn("sequence_identifier")
                .sequenceIndexColumn("sequence_index")
                .messageTypeColumn("message_type")
                .eventIdentifierColumn("event_identifier")
                .timestampColumn("time_stamp")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .aggregateTypeColumn("aggregate_type")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .tokenTypeColumn("token_type")
                .tokenColumn("token")
                .enqueuedAtColumn("enqueued_at")
                .lastTouchedColumn("last_touched")
                .processingStartedColumn("processing_started")
                .causeTypeColumn("cause_type")
                .causeMessageColumn("cause_message")
                .diagnosticsColumn("diagnostics")
                .build();
    }

    /**
     * Each credit group in sequence by target wallet, with a JDBC dead-letter queue and a policy that
     * parks every failure (a credit is never skipped) with its cause and the number of attempts.
     *
     * <p>Axon retries a parked sequence in a unit of work of its own (the queue's claim and requeue)
     * around one nested unit of work per letter. A letter that fails again does not doom the
     * enclosing transaction, so its requeue (attempts, cause, last touched) commits: Axon's
     * {@code SpringTransactionManager} ends only the transactions it began, and the queue takes its
     * connection in the enclosing unit of work, so the letter's rollback does not roll the connection
     * back. The commands themselves never take part in these transactions
     * ({@link IsolatedCreditDispatch}).
     */
    @Bean
    ConfigurerModule creditDeadLetters(ConnectionProvider connectionProvider, TransactionManager transactionManager,
                                       Serializer serializer, DeadLetterSchema schema) {
        return configurer -> {
            for (String group : CREDIT_GROUPS) {
                configurer.eventProcessing()
                        .registerSequencingPolicy(group, config -> new CreditSequencing())
                        .registerDeadLetterPolicy(group, config -> CreditsConfig::decide)
                        .registerDeadLetterQueue(group, config -> JdbcSequencedDeadLetterQueue.builder()
                                .processingGroup(group)
                                .connectionProvider(connectionProvider)
                                .transactionManager(transactionManager)
                                .schema(schema)
                                .genericSerializer(serializer)
                                .eventSerializer(serializer)
                                .maxSequences(MAX_PARKED_SEQUENCES)
                                .maxSequenceSize(MAX_PARKED_PER_WALLET)
                                .claimDuration(RETRY_CLAIM)
                                .build());
            }
        };
    }

    /** Parks (or parks again) every failed credit, counting its attempts; the cause is kept by the queue. */
    static EnqueueDecision<EventMessage<?>> decide(DeadLetter<? extends EventMessage<?>> letter, Throwable cause) {
        long attempts = attempts(letter.diagnostics()) + 1;
        return Decisions.requeue(cause, parked -> parked.diagnostics().and(ATTEMPTS, attempts));
    }

    static long attempts(MetaData diagnostics) {
        Object attempts = diagnostics.get(ATTEMPTS);
        if (attempts instanceof Number number) {
            return number.longValue();
        }
        return attempts == null ? 0 : Long.parseLong(attempts.toString());
    }

    @Bean
    ParkedCredits parkedCredits(EventProcessingConfiguration eventProcessing, JdbcTemplate jdbc, JsonMapper jsonMapper) {
        return new ParkedCredits(eventProcessing, jdbc, jsonMapper);
    }

    @Bean
    CreditMonitor creditMonitor(ParkedCredits parkedCredits, Reconciliation reconciliation, MeterRegistry registry) {
        return new CreditMonitor(parkedCredits, reconciliation, registry);
    }
}
