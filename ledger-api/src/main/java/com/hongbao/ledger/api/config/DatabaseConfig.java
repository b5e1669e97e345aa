package com.hongbao.ledger.api.config;

import com.hongbao.ledger.api.LedgerProperties;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The database: an external PostgreSQL when {@code ledger.db.url} ({@code LEDGER_DB_URL}) is set,
 * otherwise a real PostgreSQL started from the embedded binaries with its data directory on disk,
 * so a restart keeps the ledger. The embedded server is durable and needs a password (see
 * {@link DurableEmbeddedPostgres}); the pool uses the password kept beside its data directory.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfig {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseConfig.class);

    /** Holds the embedded server, if one was started, so it stops after the pool closes. */
    public static final class EmbeddedServer implements AutoCloseable {
        private final DurableEmbeddedPostgres postgres;

        EmbeddedServer(DurableEmbeddedPostgres postgres) {
            this.postgres = postgres;
        }

        /** The embedded server, or null when the ledger runs on an external database. */
        public DurableEmbeddedPostgres postgres() {
            return postgres;
        }

        @Override
        public void close() throws IOException {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    @Bean(destroyMethod = "close")
    EmbeddedServer embeddedServer(LedgerProperties properties) throws IOException {
        if (!properties.db().embedded()) {
            return new EmbeddedServer(null);
        }
        Path dataDirectory = properties.db().dataDirectory().toAbsolutePath();
        DurableEmbeddedPostgres postgres = DurableEmbeddedPostgres.start(dataDirectory, properties.db().embeddedPort());
        LOG.info("embedded PostgreSQL on localhost port {} with data in {} (password in {})", postgres.port(),
                dataDirectory, DurableEmbeddedPostgres.passwordFileOf(dataDirectory));
        return new EmbeddedServer(postgres);
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(LedgerProperties properties, EmbeddedServer server) {
        HikariDataSource dataSource = new HikariDataSource();
        if (server.postgres != null) {
            dataSource.setJdbcUrl(server.postgres.jdbcUrl());
            dataSource.setUsername(server.postgres.user());
            dataSource.setPassword(server.postgres.password());
        } else {
            dataSource.setJdbcUrl(properties.db().url());
            dataSource.setUsername(properties.db().user());
            dataSource.setPassword(properties.db().password());
        }
        dataSource.setMaximumPoolSize(32);
        dataSource.setPoolName("ledger");
        // While the database is away a request waits at most 2 s for a connection, then answers 503
        // service_unavailable (Hikari's default is 30 s); a connection is checked for at most 1 s.
        dataSource.setConnectionTimeout(2_000);
        dataSource.setValidationTimeout(1_000);
        dataSource.setExceptionOverrideClassName(ReadOnlySessionEviction.class.getName());
        return dataSource;
    }
}
