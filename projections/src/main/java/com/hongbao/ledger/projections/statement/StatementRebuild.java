package com.hongbao.ledger.projections.statement;

import com.hongbao.ledger.core.account.MoneyMovement;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rebuilds the statements read model from the whole event store in one transaction: the fast way
 * to replay the {@value StatementProjection#PROCESSING_GROUP} processing group.
 *
 * <p>A replay through the event processor pays Axon's per-event machinery (a unit of work, the
 * interceptors, the handler lookup, the token) and writes while it reads; on two cores that caps it
 * near 10,000 events/s. This rebuild reads the same stream (Axon's storage engine: upcasters,
 * gap-aware tokens), turns each event into lines with the projection's own code, and hands them to
 * PostgreSQL with a binary {@code COPY} into the emptied table while the next events are read on another
 * thread. The table's indexes are dropped first and built once at the end, the day totals are
 * summed from the lines by one statement, and both tables are analysed. See ADR 10.
 *
 * <p>All of it is one transaction, together with the processor's tokens: it claims every segment
 * (so no node may be processing the group: stop the processor first, as for Axon's own reset),
 * and sets each to the position of the last event read. It commits whole or not at all; until it
 * commits, readers of the statement tables wait (they never see a half-built statement), and after
 * it the processor goes on from that position.
 */
public class StatementRebuild {

    /**
     * What a rebuild did: the events read, the lines and settlement facts written, the position handed
     * to the processor, and the seconds it took in all and in its two parts (reading and copying;
     * building the indexes and summing the days).
     */
    public record Result(long events, long lines, long settlementFacts, Long position, double seconds,
                         double copySeconds, double indexSeconds) {
    }

    private static final String TABLE = "statement_line";
    private static final String COPY = "COPY statement_line (event_id, posting_index, merchant_id, business_day,"
            + " adjustment, occurred_at, recorded_at, line_type, currency, amount_minor, gross_minor, fee_minor,"
            + " fee_rate_bp, payment_id, order_number, payer_ref, refund_id, refund_number, reference)"
            + " FROM STDIN (FORMAT binary)";
    /**
     * The day totals of every line, as {@link StatementProjection} adds them up line by line
     * (net, fees, and per line type); the rebuild test compares the two.
     */
    private static final String DAY_TOTALS = "INSERT INTO statement_day (merchant_id, business_day, currency, lines,"
            + " net_minor, payments_count, payments_minor, refunds_count, refunds_minor, fees_minor, campaign_minor,"
            + " payouts_count, payouts_minor, adjustments_count, adjustments_minor)"
            + " SELECT merchant_id, business_day, currency, COUNT(*), SUM(amount_minor),"
            + " COUNT(*) FILTER (WHERE line_type = 'payment'),"
            + " COALESCE(SUM(gross_minor) FILTER (WHERE line_type = 'payment'), 0),"
            + " COUNT(*) FILTER (WHERE line_type = 'refund'),"
            + " COALESCE(SUM(gross_minor) FILTER (WHERE line_type = 'refund'), 0),"
            + " SUM(fee_minor),"
            + " COALESCE(SUM(amount_minor) FILTER (WHERE line_type IN ('campaign_funding', 'campaign_return')), 0),"
            + " COUNT(*) FILTER (WHERE line_type = 'payout'),"
            + " COALESCE(SUM(amount_minor) FILTER (WHERE line_type = 'payout'), 0),"
            + " COUNT(*) FILTER (WHERE adjustment),"
            + " COALESCE(SUM(amount_minor) FILTER (WHERE adjustment), 0)"
            + " FROM statement_line GROUP BY merchant_id, business_day, currency";
    /** Events per chunk: what one converter deserialises at a time, and the writer copies at once. */
    private static final int CHUNK_EVENTS = 2_000;
    private static final int CHUNKS_AHEAD = 8;
    /** Threads deserialising events beside the one reading them: the reading thread's largest cost. */
    private static final int CONVERTERS = 2;

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final EventStorageEngine events;
    private final TokenStore tokens;
    private final StatementProjection projection;

    public StatementRebuild(DataSource dataSource, PlatformTransactionManager transactionManager,
                            EventStorageEngine events, TokenStore tokens, StatementProjection projection) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(transactionManager);
        this.events = events;
        this.tokens = tokens;
        this.projection = projection;
    }

    /**
     * Rebuilds the statement tables and moves the processor's tokens to the last event read.
     *
     * @throws org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException if a node
     *         is processing the group (its processor must be stopped first); nothing changes
     * @throws IllegalStateException if the processor has no tokens yet (it never started)
     */
    public Result run() {
        return transaction.execute(status -> rebuild());
    }

    private Result rebuild() {
        long start = System.nanoTime();
        String group = StatementProjection.PROCESSING_GROUP;
        int[] segments = tokens.fetchSegments(group);
        if (segments.length == 0) {
            throw new IllegalStateException("the " + group + " processor has no tokens yet: start it once first");
        }
        for (int segment : segments) {
            tokens.fetchToken(group, segment); // claims the segment, or throws if another node holds it
        }
        jdbc.execute("SET LOCAL maintenance_work_mem = '256MB'");
        jdbc.execute("TRUNCATE statement_line, statement_day, settlement, payout_hold");
        List<String> recreate = dropIndexes();

        long copyStart = System.nanoTime();
        Writer writer = new Writer();
        Reader reader = new Reader();
        Thread thread = Thread.ofPlatform().name("statement-rebuild-reader").daemon().start(reader);
        try {
            for (Chunk chunk = reader.next(); chunk != Chunk.END; chunk = reader.next()) {
                writer.write(chunk);
            }
            writer.endCopy();
        } finally {
            reader.cancel();
            writer.release();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        long copied = System.nanoTime();
        recreate.forEach(jdbc::execute);
        jdbc.update(DAY_TOTALS);
        // Fresh statistics for the planner: the tables were emptied and refilled in bulk.
        jdbc.execute("ANALYZE statement_line, statement_day");
        long indexed = System.nanoTime();
        TrackingToken last = reader.last;
        if (last != null) {
            for (int segment : segments) {
                tokens.storeToken(last, group, segment);
            }
        }
        for (int segment : segments) {
            tokens.releaseClaim(group, segment);
        }
        Long position = last == null || last.position().isEmpty() ? null : last.position().getAsLong();
        return new Result(reader.events, writer.lines, writer.facts, position, (System.nanoTime() - start) / 1e9,
                (copied - copyStart) / 1e9, (indexed - copied) / 1e9);
    }

    /**
     * Drops the line table's constraints and indexes, and returns the statements that create them
     * again as they were, read from the catalogue (so the migrations stay the one definition).
     */
    private List<String> dropIndexes() {
        List<String> recreate = new ArrayList<>();
        List<Map<String, Object>> constraints = jdbc.queryForList("SELECT conname, pg_get_constraintdef(oid) AS def"
                + " FROM pg_constraint WHERE conrelid = ?::regclass AND contype IN ('p', 'u') ORDER BY conname", TABLE);
        List<Map<String, Object>> indexes = jdbc.queryForList("SELECT c.relname, pg_get_indexdef(x.indexrelid) AS def"
                + " FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = ?::regclass"
                + " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) ORDER BY c.relname",
                TABLE);
        for (Map<String, Object> constraint : constraints) {
            String name = quote((String) constraint.get("conname"));
            jdbc.execute("ALTER TABLE " + TABLE + " DROP CONSTRAINT " + name);
            recreate.add("ALTER TABLE " + TABLE + " ADD CONSTRAINT " + name + " " + constraint.get("def"));
        }
        for (Map<String, Object> index : indexes) {
            jdbc.execute("DROP INDEX " + quote((String) index.get("relname")));
            recreate.add((String) index.get("def"));
        }
        return recreate;
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** Lines and settlement facts of up to {@link #CHUNK_EVENTS} events, in store order. */
    private record Chunk(List<StatementProjection.Line> lines, List<MoneyMovement> facts) {
        static final Chunk END = new Chunk(List.of(), List.of());
    }

    /**
     * Reads the store from the start on its own thread (outside the rebuild's transaction: the
     * storage engine reads in short transactions of its own), keeps the events the projection
     * handles, and has {@link #CONVERTERS} threads deserialise them and make their lines, a chunk
     * each; the chunks reach the writer in store order.
     */
    private final class Reader implements Runnable {
        private final BlockingQueue<Future<Chunk>> queue = new ArrayBlockingQueue<>(CHUNKS_AHEAD);
        private final ExecutorService converters = Executors.newFixedThreadPool(CONVERTERS,
                Thread.ofPlatform().name("statement-rebuild-converter-", 0).daemon().factory());
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private volatile TrackingToken last;
        private volatile long events;

        @Override
        public void run() {
            try (Stream<? extends TrackedEventMessage<?>> stream = StatementRebuild.this.events.readEvents(null, false)) {
                Iterator<? extends TrackedEventMessage<?>> iterator = stream.iterator();
                List<TrackedEventMessage<?>> batch = new ArrayList<>(CHUNK_EVENTS);
                long read = 0;
                while (iterator.hasNext() && !cancelled.get()) {
                    TrackedEventMessage<?> message = iterator.next();
                    if (MoneyMovement.class.isAssignableFrom(message.getPayloadType())) {
                        batch.add(message);
                        if (batch.size() == CHUNK_EVENTS) {
                            convert(batch);
                            batch = new ArrayList<>(CHUNK_EVENTS);
                        }
                    }
                    last = message.trackingToken();
                    read++;
                }
                events = read;
                if (!batch.isEmpty()) {
                    convert(batch);
                }
                put(CompletableFuture.completedFuture(Chunk.END));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                try {
                    put(CompletableFuture.failedFuture(e));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void convert(List<TrackedEventMessage<?>> batch) throws InterruptedException {
            put(converters.submit(() -> {
                List<StatementProjection.Line> lines = new ArrayList<>(batch.size());
                List<MoneyMovement> facts = new ArrayList<>();
                for (TrackedEventMessage<?> message : batch) {
                    MoneyMovement movement = (MoneyMovement) message.getPayload();
                    lines.addAll(projection.lines(movement, message.getIdentifier(), message.getTimestamp()));
                    if (StatementProjection.isSettlementFact(movement)) {
                        facts.add(movement);
                    }
                }
                return new Chunk(lines, facts);
            }));
        }

        private void put(Future<Chunk> item) throws InterruptedException {
            while (!cancelled.get()) {
                if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        }

        Chunk next() {
            try {
                return queue.take().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while rebuilding statements", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException("reading the event store failed", e.getCause());
            }
        }

        void cancel() {
            cancelled.set(true);
            converters.shutdownNow();
        }
    }

    /**
     * Writes lines through {@code COPY} in PostgreSQL's binary format on the transaction's
     * connection (no text to format here or to parse there); settlement facts, which need ordinary
     * statements, end the current copy first.
     */
    private final class Writer {
        private static final byte[] TRAILER = {(byte) 0xFF, (byte) 0xFF};
        private final Connection connection = DataSourceUtils.getConnection(dataSource);
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 20);
        private final DataOutputStream rows = new DataOutputStream(buffer);
        private CopyIn copy;
        private long lines;
        private long facts;

        void write(Chunk chunk) {
            if (!chunk.lines().isEmpty()) {
                try {
                    buffer.reset();
                    if (copy == null) {
                        copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
                        rows.write(BinaryCopyReader.SIGNATURE);
                        rows.writeInt(0); // flags
                        rows.writeInt(0); // header extension length
                    }
                    for (StatementProjection.Line line : chunk.lines()) {
                        row(line);
                    }
                    copy.writeToCopy(buffer.toByteArray(), 0, buffer.size());
                } catch (SQLException | IOException e) {
                    throw new IllegalStateException("COPY into statement_line failed", e);
                }
                lines += chunk.lines().size();
            }
            if (!chunk.facts().isEmpty()) {
                endCopy();
                chunk.facts().forEach(projection::recordSettlementFacts);
                facts += chunk.facts().size();
            }
        }

        /** Gives the connection back; a copy still open (after a failure) is cancelled, the transaction rolls back. */
        void release() {
            try {
                if (copy != null && copy.isActive()) {
                    copy.cancelCopy();
                }
            } catch (SQLException e) {
                // the transaction fails anyway; keep the first error
            } finally {
                copy = null;
                DataSourceUtils.releaseConnection(connection, dataSource);
            }
        }

        void endCopy() {
            if (copy != null) {
                try {
                    if (copy.isActive()) {
                        copy.writeToCopy(TRAILER, 0, TRAILER.length);
                        copy.endCopy();
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("COPY into statement_line failed", e);
                } finally {
                    copy = null;
                }
            }
        }

        /** One tuple: the field count, then each field as its length and its value, in network order. */
        private void row(StatementProjection.Line line) throws IOException {
            rows.writeShort(19);
            text(line.eventId());
            rows.writeInt(2);
            rows.writeShort(line.postingIndex());
            text(line.merchantId());
            rows.writeInt(4);
            rows.writeInt(Math.toIntExact(line.day().toEpochDay() - BinaryCopyReader.POSTGRES_EPOCH_DAY));
            rows.writeInt(1);
            rows.writeByte(line.adjustment() ? 1 : 0);
            timestamp(line.occurredAt());
            timestamp(line.recordedAt());
            text(line.type());
            text(line.currency());
            int64(line.amountMinor());
            int64(line.grossMinor());
            int64(line.feeMinor());
            if (line.feeRateBp() == null) {
                rows.writeInt(-1);
            } else {
                rows.writeInt(4);
                rows.writeInt(line.feeRateBp());
            }
            text(line.paymentId());
            text(line.orderNumber());
            text(line.payerRef());
            text(line.refundId());
            text(line.refundNumber());
            text(line.reference());
        }

        private void text(String value) throws IOException {
            if (value == null) {
                rows.writeInt(-1);
                return;
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            rows.writeInt(bytes.length);
            rows.write(bytes);
        }

        private void int64(long value) throws IOException {
            rows.writeInt(8);
            rows.writeLong(value);
        }

        private void timestamp(Instant instant) throws IOException {
            rows.writeInt(8);
            rows.writeLong(postgresMicros(instant));
        }
    }

    /**
     * An instant rounded to the microsecond, half up, as the JDBC driver rounds the timestamps the
     * projection binds, so both paths store the same value.
     */
    static Instant micros(Instant instant) {
        return Instant.ofEpochSecond(instant.getEpochSecond(), (instant.getNano() + 500L) / 1000 * 1000);
    }

    /** A timestamp as binary COPY takes it: microseconds since 2000-01-01T00:00Z, rounded as {@link #micros}. */
    static long postgresMicros(Instant instant) {
        Instant rounded = micros(instant);
        return Math.addExact(Math.multiplyExact(rounded.getEpochSecond() - BinaryCopyReader.POSTGRES_EPOCH_SECONDS, 1_000_000L),
                rounded.getNano() / 1_000);
    }
}
