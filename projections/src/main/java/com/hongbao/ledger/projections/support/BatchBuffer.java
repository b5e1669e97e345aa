package com.hongbao.ledger.projections.support;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Collects the rows an event processor produces for a whole batch of events and writes them in
 * one go just before the batch's transaction commits (together with the processor's token).
 * Outside a unit of work (which does not happen in the application) rows are written at once.
 */
public final class BatchBuffer {

    private BatchBuffer() {
    }

    public static <T> void add(String resourceKey, T row, Consumer<List<T>> flush) {
        if (!CurrentUnitOfWork.isStarted()) {
            flush.accept(List.of(row));
            return;
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        List<T> rows = root.getOrComputeResource(resourceKey, key -> {
            List<T> created = new ArrayList<>();
            root.onPrepareCommit(unitOfWork -> flush.accept(created));
            return created;
        });
        rows.add(row);
    }
}
