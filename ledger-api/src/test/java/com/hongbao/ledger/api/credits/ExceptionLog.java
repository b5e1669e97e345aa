package com.hongbao.ledger.api.credits;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Counts what the application logs about given exceptions (by simple class name, in the logged
 * throwable's causes or in the message), from every logger, while it is attached.
 */
final class ExceptionLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final List<String> names;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    private ExceptionLog(List<String> names) {
        this.names = names;
    }

    /** Starts counting the log lines that name one of these exception classes. */
    static ExceptionLog watching(String... simpleNames) {
        ExceptionLog log = new ExceptionLog(List.of(simpleNames));
        log.setName("exception-log-" + System.identityHashCode(log));
        log.start();
        root().addAppender(log);
        return log;
    }

    @Override
    protected void append(ILoggingEvent event) {
        StringBuilder text = new StringBuilder(String.valueOf(event.getFormattedMessage()));
        for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
            text.append(' ').append(cause.getClassName()).append(": ").append(cause.getMessage());
        }
        for (String name : names) {
            if (text.indexOf(name) >= 0) {
                seen.add(event.getLoggerName() + " " + text);
                return;
            }
        }
    }

    /** The lines seen so far, each with its logger. */
    List<String> lines() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        root().detachAppender(this);
        stop();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
