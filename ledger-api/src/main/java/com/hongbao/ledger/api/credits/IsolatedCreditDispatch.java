package com.hongbao.ledger.api.credits;

import com.hongbao.ledger.api.web.DatabaseOutages;
import com.hongbao.ledger.core.CreditDispatch;
import com.hongbao.ledger.core.wallet.WalletCommand.ReceiveFromRedPacket;
import com.hongbao.ledger.core.wallet.WalletCommand.ReceiveRefund;
import com.hongbao.ledger.core.wallet.WalletCommand.ReleasePaymentHold;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.lock.DeadlockException;
import org.axonframework.common.lock.LockAcquisitionFailedException;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.ConcurrencyException;

/**
 * Sends each credit of an event processor in a unit of work and a transaction of its own, on a
 * worker thread, and retries it in place when the wallet changed under it.
 *
 * <p>Sent from the handler's own thread, a command would run in a unit of work nested in the
 * processor's batch: its aggregate lock would be released only when the whole batch commits (so a
 * batch held the locks of up to 50 wallets, in event order, while request threads and other
 * processors locked the same wallets in another order: Axon's deadlock detector fired), and a
 * failed command would roll back the processor's whole transaction. On a thread without a unit of
 * work the command is a root unit of work: it commits, or rolls back, alone, and releases its lock
 * at once. The processor thread holds no aggregate lock while it waits.
 *
 * <p>A wallet cached on this node may be stale when another node wrote to it: the command then
 * collides on the event store's unique (aggregate, sequence) key ({@link ConcurrencyException}).
 * The rollback drops the stale copy, the wallet is evicted here as well, and the credit is decided
 * again on the wallet loaded from its snapshot and the events after it, up to {@value #ATTEMPTS}
 * times with a short random pause. What still fails reaches the handler, whose dead-letter queue
 * parks the credit behind its own wallet. The correlation data of the processor's unit of work
 * (the event's trace) travels with the command.
 */
public final class IsolatedCreditDispatch implements CreditDispatch, AutoCloseable {

    static final int ATTEMPTS = 6;
    private static final long PAUSE_MILLIS = 20;

    private final CommandGateway commandGateway;
    private final Cache walletCache;
    private final ExecutorService workers;
    private final Duration timeout;
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong deadlocks = new AtomicLong();

    public IsolatedCreditDispatch(CommandGateway commandGateway, Cache walletCache, int threads, Duration timeout) {
        this.commandGateway = commandGateway;
        this.walletCache = walletCache;
        this.timeout = timeout;
        AtomicInteger number = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "wallet-credit-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void send(Object command) {
        Map<String, ?> correlation = CurrentUnitOfWork.isStarted()
                ? CurrentUnitOfWork.get().getCorrelationData() : MetaData.emptyInstance();
        Future<?> decided = workers.submit(() -> decide(command, MetaData.from(correlation)));
        try {
            decided.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("credit failed: " + command, e.getCause());
        } catch (TimeoutException e) {
            // The command may still be decided; sent again later, it changes nothing.
            throw new IllegalStateException("credit not decided within " + timeout + ": " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while crediting " + command, e);
        }
    }

    /** How many times a credit was decided again after a concurrent change, since start. */
    public long retries() {
        return retries.get();
    }

    /** How many of those retries followed a lock that Axon's deadlock detection refused, since start. */
    public long deadlocks() {
        return deadlocks.get();
    }

    private void decide(Object command, MetaData correlation) {
        for (int attempt = 1; ; attempt++) {
            try {
                commandGateway.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(correlation));
                return;
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS || !contended(e)) {
                    throw e;
                }
                retries.incrementAndGet();
                if (causedBy(e, DeadlockException.class)) {
                    deadlocks.incrementAndGet();
                }
                evict(command);
                pause(attempt);
            }
        }
    }

    /**
     * Whether the command failed on the wallet's state changing under it, or on the database being
     * briefly out of reach (no pooled connection within its timeout, a terminated backend), not on
     * its own merits: such a credit is decided again in place rather than parked behind its wallet.
     */
    static boolean contended(Throwable failure) {
        if (DatabaseOutages.unavailable(failure) != null) {
            return true;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConcurrencyException || cause instanceof DeadlockException
                    || cause instanceof LockAcquisitionFailedException) {
                return true;
            }
        }
        return false;
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private void evict(Object command) {
        switch (command) {
            case ReceiveRefund refund -> walletCache.remove(refund.walletId().value());
            case ReceiveFromRedPacket share -> walletCache.remove(share.walletId().value());
            case ReleasePaymentHold release -> walletCache.remove(release.walletId().value());
            default -> {
                // Another aggregate (a campaign): its own repository dropped the stale copy on rollback.
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, PAUSE_MILLIS * attempt + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted between attempts", e);
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
