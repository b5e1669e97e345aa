package com.hongbao.ledger.api.packets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.packet.GrabDecisions;
import com.hongbao.ledger.core.packet.GrabOutcome;
import com.hongbao.ledger.core.packet.RedPacketCommand.Grab;
import com.hongbao.ledger.core.packet.RedPacketCommand.GrabRedPacket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;

/**
 * The per-packet writer on its own, against a stand-in for the packet aggregate that decides
 * grabs in order (the first {@code shares} distinct grabbers win): every request gets its own
 * outcome, grabs arriving together share commands, and a failing command fails its grabs instead
 * of leaving them waiting.
 */
class GrabBatcherTest {

    static final Currency CNY = Currency.getInstance("CNY");
    static final PacketId PACKET = new PacketId("rp_1");

    /**
     * Decides like the aggregate: distinct grabbers in order, {@code shares} winners (the share at
     * position p is 100 + p fen, so every winner's amount is their own), then emptied.
     */
    static final class FakePacket {
        final int shares;
        final Map<UserId, Money> taken = new HashMap<>();
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

        FakePacket(int shares) {
            this.shares = shares;
        }

        static Money share(int position) {
            return Money.of(100 + position, CNY);
        }

        synchronized GrabDecisions decide(GrabRedPacket command) {
            batchSizes.add(command.grabs().size());
            List<GrabOutcome> outcomes = new ArrayList<>();
            for (Grab grab : command.grabs()) {
                Money already = taken.get(grab.grabber());
                if (already != null) {
                    outcomes.add(new GrabOutcome(grab.grabber(), "already_grabbed", already, -1));
                } else if (taken.size() == shares) {
                    outcomes.add(GrabOutcome.refused(grab.grabber(), "packet_emptied"));
                } else {
                    int position = taken.size();
                    taken.put(grab.grabber(), share(position));
                    outcomes.add(GrabOutcome.won(grab.grabber(), share(position), position));
                }
            }
            return taken.size() < shares ? GrabDecisions.open(outcomes)
                    : GrabDecisions.closed(outcomes, "packet_emptied", taken);
        }
    }

    /** The grab's outcome, waiting for its batch; a failed batch throws its own exception. */
    static GrabOutcome decided(GrabBatcher batcher, Grab grab) throws InterruptedException, TimeoutException {
        try {
            return batcher.decide(PACKET, grab).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new AssertionError("the batch failed with " + e.getCause(), e.getCause());
        }
    }

    static Grab grab(int i) {
        UserId user = new UserId("u" + i);
        return new Grab(user, WalletId.of(user, CNY));
    }

    @Test
    void a_burst_is_decided_in_shared_commands_and_every_request_gets_its_own_outcome() throws Exception {
        FakePacket packet = new FakePacket(50);
        CommandGateway gateway = mock(CommandGateway.class);
        when(gateway.sendAndWait(any())).thenAnswer(call -> {
            Thread.sleep(5);
            return packet.decide(call.getArgument(0));
        });
        GrabBatcher batcher = new GrabBatcher(gateway, Clock.systemUTC(), 500);
        ExecutorService clients = Executors.newFixedThreadPool(32);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<GrabOutcome>> results = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int user = i;
            results.add(clients.submit(() -> {
                start.await();
                return decided(batcher, grab(user));
            }));
        }
        start.countDown();
        List<GrabOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            GrabOutcome outcome = results.get(i).get(10, TimeUnit.SECONDS);
            assertThat(outcome.grabber()).isEqualTo(new UserId("u" + i));
            outcomes.add(outcome);
        }
        clients.shutdown();

        assertThat(outcomes).filteredOn(GrabOutcome::won).hasSize(50);
        assertThat(outcomes).filteredOn(outcome -> "packet_emptied".equals(outcome.refusal())).hasSize(350);
        assertThat(packet.batchSizes.stream().mapToInt(Integer::intValue).sum())
                .as("grabs that reached the packet").isLessThanOrEqualTo(400);
        assertThat(packet.batchSizes.size()).as("commands for 400 concurrent grabs").isLessThan(400);
        // Once the packet refused a grab as emptied, the answer comes from memory: no further command.
        int commands = packet.batchSizes.size();
        assertThat(decided(batcher, grab(999)).refusal()).isEqualTo("packet_emptied");
        int winner = outcomes.indexOf(outcomes.stream().filter(GrabOutcome::won).reduce((first, last) -> last).orElseThrow());
        GrabOutcome winnerAgain = decided(batcher, grab(winner));
        assertThat(winnerAgain.refusal()).isEqualTo("already_grabbed");
        assertThat(winnerAgain.amount()).isEqualTo(outcomes.get(winner).amount());
        assertThat(packet.batchSizes).hasSize(commands);
    }

    @Test
    void once_the_packet_closed_a_winner_another_node_decided_is_told_their_share_from_memory() throws Exception {
        FakePacket packet = new FakePacket(3);
        CommandGateway gateway = mock(CommandGateway.class);
        when(gateway.sendAndWait(any())).thenAnswer(call -> packet.decide(call.getArgument(0)));
        GrabBatcher otherNode = new GrabBatcher(gateway, Clock.systemUTC(), 500);
        GrabBatcher thisNode = new GrabBatcher(gateway, Clock.systemUTC(), 500);

        assertThat(decided(otherNode, grab(1)).won()).isTrue();
        assertThat(decided(otherNode, grab(2)).won()).isTrue();
        assertThat(decided(thisNode, grab(3)).won()).isTrue();
        int commands = packet.batchSizes.size();

        // This node saw only its own winner; the packet told it every share when it closed.
        GrabOutcome again = decided(thisNode, grab(1));
        assertThat(again.refusal()).isEqualTo("already_grabbed");
        assertThat(again.amount()).isEqualTo(FakePacket.share(0));
        assertThat(decided(thisNode, grab(2)).amount()).isEqualTo(FakePacket.share(1));
        assertThat(decided(thisNode, grab(3)).amount()).isEqualTo(FakePacket.share(2));
        assertThat(decided(thisNode, grab(4)).refusal()).isEqualTo("packet_emptied");
        assertThat(packet.batchSizes).as("answered without a command").hasSize(commands);
        // The other node has not seen the packet close: it asks the packet once, then knows too.
        GrabOutcome asked = decided(otherNode, grab(3));
        assertThat(asked.refusal()).isEqualTo("already_grabbed");
        assertThat(asked.amount()).isEqualTo(FakePacket.share(2));
        assertThat(packet.batchSizes).hasSize(commands + 1);
        assertThat(decided(otherNode, grab(2)).amount()).isEqualTo(FakePacket.share(1));
        assertThat(packet.batchSizes).hasSize(commands + 1);
        otherNode.close();
        thisNode.close();
    }

    @Test
    void a_failing_command_fails_its_grabs_and_the_next_grab_is_decided_afresh() throws Exception {
        FakePacket packet = new FakePacket(5);
        CommandGateway gateway = mock(CommandGateway.class);
        when(gateway.sendAndWait(any()))
                .thenThrow(new IllegalStateException("database down"))
                .thenAnswer(call -> packet.decide(call.getArgument(0)));
        GrabBatcher batcher = new GrabBatcher(gateway, Clock.systemUTC(), 500);

        assertThatThrownBy(() -> decided(batcher, grab(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("database down");
        assertThat(decided(batcher, grab(1)).won()).isTrue();
    }

    @Test
    void decide_lets_the_caller_go_so_one_thread_can_put_every_grab_in_flight_into_the_next_batch() throws Exception {
        FakePacket packet = new FakePacket(100);
        CountDownLatch firstBatchStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstBatch = new CountDownLatch(1);
        CommandGateway gateway = mock(CommandGateway.class);
        when(gateway.sendAndWait(any())).thenAnswer(call -> {
            firstBatchStarted.countDown();
            releaseFirstBatch.await();
            return packet.decide(call.getArgument(0));
        });
        GrabBatcher batcher = new GrabBatcher(gateway, Clock.systemUTC(), 500);

        CompletableFuture<GrabOutcome> first = batcher.decide(PACKET, grab(0));
        assertThat(firstBatchStarted.await(10, TimeUnit.SECONDS)).isTrue();
        // The writer is busy with the first batch; this thread is not held and queues 63 more grabs.
        List<CompletableFuture<GrabOutcome>> rest = new ArrayList<>();
        for (int i = 1; i < 64; i++) {
            rest.add(batcher.decide(PACKET, grab(i)));
        }
        assertThat(first).isNotDone();
        assertThat(rest).noneMatch(CompletableFuture::isDone);
        releaseFirstBatch.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).position()).isZero();
        for (int i = 0; i < rest.size(); i++) {
            GrabOutcome outcome = rest.get(i).get(10, TimeUnit.SECONDS);
            assertThat(outcome.grabber()).isEqualTo(new UserId("u" + (i + 1)));
            assertThat(outcome.won()).isTrue();
        }
        assertThat(packet.batchSizes).containsExactly(1, 63);
    }
}
