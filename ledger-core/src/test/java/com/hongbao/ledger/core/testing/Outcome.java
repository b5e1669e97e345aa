package com.hongbao.ledger.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.core.LedgerRejection;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;

/**
 * What one command did: its result or failure, and the events it caused (including those of
 * aggregates it created and of event handlers that ran synchronously). The assertions read as
 * the "then" of a given-when-then test.
 */
public record Outcome(Object result, RuntimeException failure, List<Object> events) {

    /** The command succeeded and caused exactly these events, in this order. */
    public Outcome expectEvents(Object... expected) {
        expectSuccess();
        assertThat(events).as("events caused by the command").containsExactly(expected);
        return this;
    }

    /** The command succeeded and changed nothing. */
    public Outcome expectSuccessWithNoEvents() {
        expectSuccess();
        assertThat(events).as("events caused by the command").isEmpty();
        return this;
    }

    /** The command was refused with this rejection type and code, and nothing was applied. */
    public Outcome expectRejection(Class<? extends LedgerRejection> type, String code) {
        assertThat(failure).as("the command's failure").isInstanceOf(type);
        assertThat(((LedgerRejection) failure).code()).as("the rejection code").isEqualTo(code);
        assertThat(events).as("events caused by a rejected command").isEmpty();
        return this;
    }

    /** The command failed loudly with a programmer error (not a business rejection), and nothing was applied. */
    public AbstractThrowableAssert<?, ? extends Throwable> expectProgrammerError(Class<? extends RuntimeException> type) {
        assertThat(events).as("events caused by a failed command").isEmpty();
        return assertThat(failure).as("the command's failure").isInstanceOf(type)
                .isNotInstanceOf(LedgerRejection.class);
    }

    /** The command succeeded with a result of this type, returned for further assertions. */
    public <T> T result(Class<T> type) {
        expectSuccess();
        assertThat(result).as("the command's result").isInstanceOf(type);
        return type.cast(result);
    }

    public Outcome expectResult(Object expected) {
        expectSuccess();
        assertThat(result).as("the command's result").isEqualTo(expected);
        return this;
    }

    /** The command succeeded, whatever it caused. */
    public Outcome expectSuccess() {
        if (failure != null) {
            throw new AssertionError("expected the command to succeed, but it failed: " + failure, failure);
        }
        return this;
    }
}
