package com.hongbao.ledger.api.config;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.SerializedObject;

/**
 * Axon's JDBC storage engine, except that the {@code time_stamp} of each event a processor reads is
 * parsed once, by {@link IsoInstants}. Axon keeps the column's text and parses it with
 * {@code java.time}'s general formatter on every {@code getTimestamp()}, twice per event on the
 * tracking path (its gap check, then the message); in a replay that was the largest single cost of
 * reading the store. {@link #getTrackedEventData} therefore does what Axon 4.13's does (the same
 * entry, the same gap-aware token from the same settings) with the parsed instant; the replay and
 * restart tests run every processor through it.
 */
final class LedgerJdbcEventStorageEngine extends JdbcEventStorageEngine {

    /** Axon's defaults, set explicitly on the builder so that this class and Axon use the same. */
    static final long LOWEST_GLOBAL_SEQUENCE = 1;
    static final int MAX_GAP_OFFSET = 10_000;
    static final int GAP_TIMEOUT_MILLIS = 60_000;

    private final EventSchema schema;

    LedgerJdbcEventStorageEngine(Builder builder, EventSchema schema) {
        super(builder.schema(schema).lowestGlobalSequence(LOWEST_GLOBAL_SEQUENCE).maxGapOffset(MAX_GAP_OFFSET)
                .gapTimeout(GAP_TIMEOUT_MILLIS));
        this.schema = schema;
    }

    @Override
    protected TrackedEventData<?> getTrackedEventData(ResultSet resultSet, GapAwareTrackingToken previousToken)
            throws SQLException {
        long globalSequence = resultSet.getLong(schema.globalIndexColumn());
        String aggregateIdentifier = resultSet.getString(schema.aggregateIdentifierColumn());
        String eventIdentifier = resultSet.getString(schema.eventIdentifierColumn());
        String text = resultSet.getString(schema.timestampColumn());
        Instant parsed = IsoInstants.parseOrNull(text);
        Instant timestamp = parsed != null ? parsed : DateTimeUtils.parseInstant(text);
        DomainEventData<?> event = new GenericDomainEventEntry<>(resultSet.getString(schema.typeColumn()),
                eventIdentifier.equals(aggregateIdentifier) ? null : aggregateIdentifier,
                resultSet.getLong(schema.sequenceNumberColumn()), eventIdentifier, text,
                resultSet.getString(schema.payloadTypeColumn()), resultSet.getString(schema.payloadRevisionColumn()),
                readPayload(resultSet, schema.payloadColumn()), readPayload(resultSet, schema.metaDataColumn()));
        // A gap younger than the gap timeout may still fill (a transaction not yet committed).
        boolean allowGaps = timestamp.isAfter(GenericEventMessage.clock.instant().minus(GAP_TIMEOUT_MILLIS,
                ChronoUnit.MILLIS));
        GapAwareTrackingToken token;
        if (previousToken == null) {
            token = GapAwareTrackingToken.newInstance(globalSequence, allowGaps
                    ? LongStream.range(Math.min(LOWEST_GLOBAL_SEQUENCE, globalSequence), globalSequence).boxed()
                            .collect(Collectors.toCollection(TreeSet::new))
                    : Collections.emptySortedSet());
        } else {
            token = previousToken.advanceTo(globalSequence, allowGaps ? MAX_GAP_OFFSET : 0);
        }
        return new Timed<>(token, event, timestamp);
    }

    /** A stored event with its tracking token and its timestamp already parsed. */
    private static final class Timed<T> implements TrackedEventData<T>, DomainEventData<T> {
        private final TrackingToken token;
        private final DomainEventData<T> event;
        private final Instant timestamp;

        @SuppressWarnings("unchecked")
        private Timed(TrackingToken token, DomainEventData<?> event, Instant timestamp) {
            this.token = token;
            this.event = (DomainEventData<T>) event;
            this.timestamp = timestamp;
        }

        @Override
        public TrackingToken trackingToken() {
            return token;
        }

        @Override
        public String getType() {
            return event.getType();
        }

        @Override
        public String getAggregateIdentifier() {
            return event.getAggregateIdentifier();
        }

        @Override
        public long getSequenceNumber() {
            return event.getSequenceNumber();
        }

        @Override
        public String getEventIdentifier() {
            return event.getEventIdentifier();
        }

        @Override
        public Instant getTimestamp() {
            return timestamp;
        }

        @Override
        public SerializedObject<T> getMetaData() {
            return event.getMetaData();
        }

        @Override
        public SerializedObject<T> getPayload() {
            return event.getPayload();
        }
    }
}
