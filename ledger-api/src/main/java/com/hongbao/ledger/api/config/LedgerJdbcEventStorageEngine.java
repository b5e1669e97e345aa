package com.hongbao.ledger.api.config;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.SerializedObject;

/**
 * Axon's JDBC storage engine, except that the {@code time_stamp} of each event a processor reads is
 * parsed once, by {@link IsoInstants}. Axon keeps the column's text and parses it with
 * {@code java.time}'s general formatter on every {@code getTimestamp()}, twice per event on the
 * tracking path (the gap check, then the message); in a replay that was the largest single cost of
 * reading the store.
 */
final class LedgerJdbcEventStorageEngine extends JdbcEventStorageEngine {

    private final String timestampColumn;

    LedgerJdbcEventStorageEngine(Builder builder, String timestampColumn) {
        super(builder);
        this.timestampColumn = timestampColumn;
    }

    @Override
    protected TrackedEventData<?> getTrackedEventData(ResultSet resultSet, GapAwareTrackingToken previousToken)
            throws SQLException {
        TrackedEventData<?> data = super.getTrackedEventData(resultSet, previousToken);
        if (!(data instanceof DomainEventData<?>)) {
            return data;
        }
        String text = resultSet.getString(timestampColumn);
        Instant timestamp = IsoInstants.parseOrNull(text);
        return new Timed<>(data, timestamp != null ? timestamp : DateTimeUtils.parseInstant(text));
    }

    /** A stored event with its timestamp already parsed; everything else as Axon read it. */
    private static final class Timed<T> implements TrackedEventData<T>, DomainEventData<T> {
        private final TrackedEventData<T> tracked;
        private final DomainEventData<T> domain;
        private final Instant timestamp;

        @SuppressWarnings("unchecked")
        private Timed(TrackedEventData<?> data, Instant timestamp) {
            this.tracked = (TrackedEventData<T>) data;
            this.domain = (DomainEventData<T>) data;
            this.timestamp = timestamp;
        }

        @Override
        public TrackingToken trackingToken() {
            return tracked.trackingToken();
        }

        @Override
        public String getType() {
            return domain.getType();
        }

        @Override
        public String getAggregateIdentifier() {
            return domain.getAggregateIdentifier();
        }

        @Override
        public long getSequenceNumber() {
            return domain.getSequenceNumber();
        }

        @Override
        public String getEventIdentifier() {
            return tracked.getEventIdentifier();
        }

        @Override
        public Instant getTimestamp() {
            return timestamp;
        }

        @Override
        public SerializedObject<T> getMetaData() {
            return tracked.getMetaData();
        }

        @Override
        public SerializedObject<T> getPayload() {
            return tracked.getPayload();
        }
    }
}
