package com.hongbao.ledger.api.packets;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.packet.GrabDecisions;
import com.hongbao.ledger.core.packet.GrabOutcome;
import com.hongbao.ledger.core.packet.RedPacketCommand.Grab;
import com.hongbao.ledger.core.packet.RedPacketCommand.GrabRedPacket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;

/**
 * Decides grabs of the same packet together: a single writer per packet (group commit). A grab
 * joins its packet's lane and its outcome comes later; while the lane has grabs, one writer thread
 * drains it, sending every waiting grab (up to the batch size) as one {@link GrabRedPacket}, one
 * transaction; grabs arriving meanwhile go into the next batch. A burst of 20,000 grabs on one packet therefore costs tens of commits, not
 * 20,000, and the packet aggregate still decides each grab in order.
 *
 * <p>Once the packet reports that it takes no more shares (emptied or expired), that is final, and
 * it reports every share it gave with it, so later attempts are answered from memory without a
 * command or a database round-trip: winners with their share, everyone else with the refusal. An
 * answer from memory is only ever one the aggregate itself gave; everything else goes to it.
 */
public class GrabBatcher implements AutoCloseable {

    private static final int CONCURRENCY_RETRIES = 5;
    private static final int REPLY_THREADS = 16;
    /** How long a request waits for its grab's batch; far above a batch's commit time. */
    private static final Duration DECISION_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final CommandGateway commandGateway;
    private final Clock clock;
    private final int maxBatch;
    private final ConcurrentHashMap<PacketId, Lane> lanes = new ConcurrentHashMap<>();
    /**
     * Packets that take no more shares, each with its refusal ({@code packet_emptied} or
     * {@code packet_expired}) and every share it gave, as the packet itself reported when it closed:
     * whichever node decided a share, its winner grabbing again is told {@code already_grabbed}
     * with it, as the aggregate would. Weighed by shares, so a packet of 1,000 shares counts 1,001;
     * an evicted packet is asked again.
     */
    private final Cache<PacketId, Closed> closed = Caffeine.newBuilder()
            .maximumWeight(1_000_000).weigher((PacketId packet, Closed known) -> 1 + known.shares().size())
            .expireAfterWrite(Duration.ofDays(2)).build();

    /**
     * The lanes' writer threads, one per packet being grabbed at the moment. When all are busy the
     * request thread drains its lane itself, which holds that request thread (and its answer) while
     * the lane has grabs, but is never wrong.
     */
    private final ThreadPoolExecutor writers = new ThreadPoolExecutor(0, 64, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "grab-writer");
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.CallerRunsPolicy());

    /**
     * Where what depends on a decided grab runs (crediting the share, writing the answer), off the
     * lane's writer thread, which goes on to the next batch. A share is credited in a transaction
     * of its own, so a few threads let a batch's credits commit together.
     */
    private final ThreadPoolExecutor replies = new ThreadPoolExecutor(REPLY_THREADS, REPLY_THREADS, 60, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "grab-reply");
                thread.setDaemon(true);
                return thread;
            });

    public GrabBatcher(CommandGateway commandGateway, Clock clock, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("a grab batch holds at least one grab");
        }
        this.commandGateway = commandGateway;
        this.clock = clock;
        this.maxBatch = maxBatch;
        replies.allowCoreThreadTimeOut(true);
    }

    /**
     * Stops taking work and lets the batches and replies under way finish (for a while), before
     * the command bus they use is closed: Spring closes this bean first, as it depends on the
     * gateway. A share whose credit does not run here is still credited by the red-packet creditor.
     */
    @Override
    public void close() throws InterruptedException {
        writers.shutdown();
        replies.shutdown();
        long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        writers.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        replies.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    /** The threads on which to act on a decided grab: see {@link #decide}. */
    public Executor replies() {
        return replies;
    }

    /**
     * The answer to a grab decided from memory, if the packet is known to take no more shares:
     * {@code already_grabbed} with the share for one of its winners, the packet's final refusal for
     * everyone else.
     */
    public Optional<GrabOutcome> knownOutcome(PacketId packetId, UserId grabber) {
        Closed known = closed.getIfPresent(packetId);
        if (known == null) {
            return Optional.empty();
        }
        Money share = known.shares().get(grabber);
        if (share != null) {
            return Optional.of(new GrabOutcome(grabber, "already_grabbed", share, -1));
        }
        return Optional.of(GrabOutcome.refused(grabber, known.refusal()));
    }

    /**
     * The outcome of one grab, to come: it completes when the batch holding the grab is decided,
     * on the lane's writer thread (so what depends on it belongs on another executor), and fails
     * with {@link AggregateNotFoundException} for a packet that does not exist and with
     * {@link GrabUndecided} when no decision came within the time limit. Nobody's thread waits
     * for the batch: a request can let go of its thread meanwhile, so the lane's batch can hold
     * every grab in flight, not only as many as there are request threads.
     */
    public CompletableFuture<GrabOutcome> decide(PacketId packetId, Grab grab) {
        Optional<GrabOutcome> known = knownOutcome(packetId, grab.grabber());
        if (known.isPresent()) {
            return CompletableFuture.completedFuture(known.get());
        }
        Lane lane = lanes.computeIfAbsent(packetId, Lane::new);
        Pending pending = new Pending(grab, new CompletableFuture<>());
        lane.queue.add(pending);
        if (lane.draining.compareAndSet(false, true)) {
            try {
                writers.execute(lane::drain);
            } catch (RuntimeException | Error e) {
                // No writer could be started: nobody may be left waiting on this lane.
                lane.failAll(e);
                throw e;
            }
        }
        // Past the limit the grab may still be decided and committed: it is then the caller's, as a repeat shows.
        return pending.outcome.orTimeout(DECISION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(
                        failure instanceof TimeoutException ? new GrabUndecided(packetId) : failure));
    }

    /** A grab whose decision did not come back in time; it may still be decided. */
    public static final class GrabUndecided extends RuntimeException {
        public GrabUndecided(PacketId packetId) {
            super("the grab of " + packetId + " was not decided in time", null, false, false);
        }
    }

    private record Pending(Grab grab, CompletableFuture<GrabOutcome> outcome) {
    }

    /** A packet that takes no more shares: its refusal, and every share it gave. */
    private record Closed(String refusal, Map<UserId, Money> shares) {
    }

    private final class Lane {

        private final PacketId packetId;
        private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean draining = new AtomicBoolean();

        Lane(PacketId packetId) {
            this.packetId = packetId;
        }

        /**
         * Runs as the lane's only writer (its caller set {@code draining}) until the queue is empty;
         * re-checks after letting go, so a grab queued at that moment is not left waiting.
         */
        void drain() {
            do {
                try {
                    List<Pending> batch;
                    while (!(batch = nextBatch()).isEmpty()) {
                        decide(batch);
                    }
                } finally {
                    draining.set(false);
                }
            } while (!queue.isEmpty() && draining.compareAndSet(false, true));
            if (queue.isEmpty()) {
                // An idle lane is dropped; a grab that raced this finds or creates a lane and drains it itself.
                lanes.remove(packetId, this);
            }
        }

        private List<Pending> nextBatch() {
            List<Pending> batch = new ArrayList<>();
            Pending next;
            while (batch.size() < maxBatch && (next = queue.poll()) != null) {
                batch.add(next);
            }
            return batch;
        }

        private void decide(List<Pending> batch) {
            List<Grab> grabs = batch.stream().map(Pending::grab).toList();
            try {
                GrabDecisions decisions = send(grabs);
                if (decisions.packetClosed()) {
                    closed.put(packetId, new Closed(decisions.closedAs(), decisions.shares()));
                }
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).outcome.complete(decisions.outcomes().get(i));
                }
            } catch (RuntimeException | Error e) {
                // Nobody may be left waiting: every grab of the batch fails with the batch.
                batch.forEach(pending -> pending.outcome.completeExceptionally(e));
                if (e instanceof Error error) {
                    failAll(error);
                    throw error;
                }
            }
        }

        /** Fails every grab still queued on this lane and lets the lane go. */
        void failAll(Throwable cause) {
            Pending pending;
            while ((pending = queue.poll()) != null) {
                pending.outcome.completeExceptionally(cause);
            }
            draining.set(false);
            lanes.remove(packetId, this);
        }

        private GrabDecisions send(List<Grab> grabs) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return commandGateway.sendAndWait(new GrabRedPacket(packetId, grabs, clock.instant()));
                } catch (ConcurrencyException e) {
                    // Another node decided grabs of this packet first; decide again on its newer state.
                    if (attempt >= CONCURRENCY_RETRIES) {
                        throw e;
                    }
                }
            }
        }
    }
}
