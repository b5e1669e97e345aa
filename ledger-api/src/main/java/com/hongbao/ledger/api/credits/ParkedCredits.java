package com.hongbao.ledger.api.credits;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Credits parked in the dead-letter queue: retried through Axon's dead-letter processors, counted
 * for the metrics and listed for finance. A parked credit is the event that should have credited a
 * wallet (or returned a packet to its campaign); retried, its command is decided on the wallet as it
 * is then, and the wallet ignores a credit it already has, so it is applied exactly once.
 */
public class ParkedCredits {

    private static final Logger log = LoggerFactory.getLogger(ParkedCredits.class);
    /** Sequences retried per group and round; the rest wait for the next round. */
    static final int RETRIED_PER_ROUND = 200;

    private final EventProcessingConfiguration eventProcessing;
    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    public ParkedCredits(EventProcessingConfiguration eventProcessing, JdbcTemplate jdbc, JsonMapper json) {
        this.eventProcessing = eventProcessing;
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Tries each parked wallet's sequence once, oldest touched first, in every credit group: a
     * sequence whose first credit applies now is applied in order, as far as it goes; one that fails
     * again is parked again, touched now, so the next attempt takes the next sequence. Several nodes
     * may retry at once: each sequence is claimed by one. Returns the sequences emptied.
     */
    public int retry() {
        int emptied = 0;
        for (String group : CreditsConfig.CREDIT_GROUPS) {
            SequencedDeadLetterProcessor<EventMessage<?>> processor =
                    eventProcessing.sequencedDeadLetterProcessor(group).orElse(null);
            SequencedDeadLetterQueue<EventMessage<?>> queue = eventProcessing.deadLetterQueue(group).orElse(null);
            if (processor == null || queue == null) {
                continue;
            }
            long sequences = Math.min(queue.amountOfSequences(), RETRIED_PER_ROUND);
            for (long i = 0; i < sequences; i++) {
                try {
                    if (processor.processAny()) {
                        emptied++;
                    }
                } catch (RuntimeException e) {
                    // Logged once per round and group: the letter keeps its place and its cause.
                    log.warn("retrying parked credits of {} failed: {}", group, e.toString());
                    break;
                }
            }
        }
        return emptied;
    }

    /** How many credits are parked, in all groups. */
    public long count() {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM dead_letter_entry WHERE processing_group IN (?,?,?)",
                Long.class, CreditsConfig.CREDIT_GROUPS.toArray());
        return count == null ? 0 : count;
    }

    /** The parked credits, oldest parked first, at most {@code limit}. */
    public List<ParkedCredit> list(int limit) {
        return jdbc.query("SELECT processing_group, sequence_identifier, sequence_index, payload_type, event_identifier,"
                        + " time_stamp, enqueued_at, last_touched, cause_type, cause_message, payload, diagnostics"
                        + " FROM dead_letter_entry WHERE processing_group IN (?,?,?)"
                        + " ORDER BY enqueued_at, processing_group, sequence_identifier, sequence_index LIMIT ?",
                (rs, row) -> {
                    JsonNode payload = read(rs.getBytes(11));
                    JsonNode diagnostics = read(rs.getBytes(12));
                    String type = rs.getString(4);
                    return new ParkedCredit(rs.getString(1), rs.getString(2), type.substring(type.lastIndexOf('$') + 1),
                            rs.getString(5), amount(payload), instant(rs.getString(6)), instant(rs.getString(7)),
                            instant(rs.getString(8)), diagnostics == null || diagnostics.get(CreditsConfig.ATTEMPTS) == null
                                    ? 1 : diagnostics.get(CreditsConfig.ATTEMPTS).asLong(),
                            rs.getString(9), rs.getString(10));
                },
                CreditsConfig.CREDIT_GROUPS.get(0), CreditsConfig.CREDIT_GROUPS.get(1), CreditsConfig.CREDIT_GROUPS.get(2),
                limit);
    }

    private JsonNode read(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return json.readTree(bytes);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** The money the event moves: a refund's or share's amount, an expired packet's rest, a hold's released part. */
    private static Amount amount(JsonNode payload) {
        if (payload == null) {
            return null;
        }
        for (String field : List.of("amount", "refund", "released")) {
            JsonNode money = payload.get(field);
            if (money != null && money.get("minor") != null && money.get("currency") != null) {
                String currency = money.get("currency").asString();
                int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
                return new Amount(BigDecimal.valueOf(money.get("minor").asLong(), digits).toPlainString(), currency);
            }
        }
        return null;
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }

    /** An amount as the API shows every amount. */
    public record Amount(String amount, String currency) {
    }

    /**
     * A parked credit: its group, the wallet (or {@code campaign:} id) it credits, the event that
     * should credit it and its amount, when the event happened, when it was parked and last tried,
     * how many times it was tried, and the cause of the last failure.
     */
    public record ParkedCredit(String processingGroup, String target, String eventType, String eventId, Amount amount,
                               Instant occurredAt, Instant parkedAt, Instant lastTriedAt, long attempts,
                               String causeType, String causeMessage) {
    }
}
