package com.hongbao.ledger.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.core.log.LogMessage;

/**
 * Spring's lazy log messages stay lazy: {@code commons-logging.properties} picks the Commons
 * Logging adapter that checks the level before rendering, and what is enabled still reaches
 * Logback.
 */
class LoggingBridgeTest {

    private static final String LOGGER = "com.hongbao.ledger.api.config.LoggingBridgeTest.quiet";

    @Test
    void aDisabledLevelNeverRendersTheMessage() {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(LOGGER)).setLevel(Level.INFO);
        Log log = LogFactory.getLog(LOGGER);
        AtomicInteger renders = new AtomicInteger();

        log.debug(LogMessage.of(() -> "debug " + renders.incrementAndGet()));
        log.trace(LogMessage.of(() -> "trace " + renders.incrementAndGet()));
        assertThat(renders).hasValue(0);

        log.info(LogMessage.of(() -> "info " + renders.incrementAndGet()));
        assertThat(renders).as("an enabled level is rendered once, by the logging backend").hasValue(1);
    }
}
