package com.hongbao.ledger.api.settlement;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.projections.statement.StatementProjection;
import com.hongbao.ledger.projections.statement.StatementRebuild;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link StatementRebuild} on this node: stops the statements processor here, rebuilds, and
 * starts it again, whatever the outcome. One rebuild at a time; while it runs, settlement waits
 * (the processor is not running) and statement reads wait for its commit.
 */
public class StatementRebuildRunner {

    private static final Logger LOG = LoggerFactory.getLogger(StatementRebuildRunner.class);

    private final StatementRebuild rebuild;
    private final EventProcessingConfiguration processing;
    private final AtomicBoolean running = new AtomicBoolean();

    public StatementRebuildRunner(StatementRebuild rebuild, EventProcessingConfiguration processing) {
        this.rebuild = rebuild;
        this.processing = processing;
    }

    /**
     * @throws LedgerRejection {@code rebuild_in_progress} if a rebuild runs already;
     *         {@code processor_running_elsewhere} if another node holds a segment of the processor
     */
    public StatementRebuild.Result run() {
        if (!running.compareAndSet(false, true)) {
            throw new LedgerRejection("rebuild_in_progress", "the statements are being rebuilt already");
        }
        StreamingEventProcessor processor = processing
                .eventProcessor(StatementProjection.PROCESSING_GROUP, StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no streaming processor "
                        + StatementProjection.PROCESSING_GROUP));
        try {
            processor.shutdownAsync().get(60, TimeUnit.SECONDS);
            StatementRebuild.Result result = rebuild.run();
            LOG.info("statements rebuilt: {} events, {} lines, {} settlement facts, position {}, {} s",
                    result.events(), result.lines(), result.settlementFacts(), result.position(),
                    String.format(java.util.Locale.ROOT, "%.1f", result.seconds()));
            return result;
        } catch (UnableToClaimTokenException e) {
            throw new LedgerRejection("processor_running_elsewhere", "another node is processing the statements;"
                    + " stop its statements processor first");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the statements processor", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the statements processor did not stop", e);
        } finally {
            processor.start();
            running.set(false);
        }
    }
}
