package com.hongbao.ledger.api;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The ledger's settings ({@code ledger.*}); every one has a default that runs the embedded setup.
 *
 * @param db       where the event store and read models live
 * @param auth     how bearer tokens are checked
 * @param payments payment rules
 * @param http     request limits
 * @param redPackets red-packet limits and expiry
 * @param platform   the platform's business calendar
 */
@ConfigurationProperties("ledger")
public record LedgerProperties(@DefaultValue Db db, @DefaultValue Auth auth, @DefaultValue Payments payments,
                               @DefaultValue Http http, @DefaultValue RedPackets redPackets,
                               @DefaultValue Platform platform) {

    /**
     * @param url           JDBC URL of an external PostgreSQL; empty starts the embedded one
     * @param user          user for the external database
     * @param password      password for the external database
     * @param dataDirectory data directory of the embedded PostgreSQL (kept across restarts)
     * @param embeddedPort  port of the embedded PostgreSQL; 0 picks a free one
     */
    public record Db(@DefaultValue("") String url, @DefaultValue("") String user, @DefaultValue("") String password,
                     @DefaultValue("ledger-data/postgres") Path dataDirectory,
                     @DefaultValue("0") int embeddedPort) {

        public boolean embedded() {
            return url == null || url.isBlank();
        }
    }

    /**
     * @param devTokens        sign tokens with a local key and serve {@code POST /dev/tokens}; by default only
     *                         with the embedded database, never in production
     * @param jwtPublicKey     PEM location of the RSA key that verifies tokens when dev tokens are off
     * @param devTokenLifetime how long a dev token is valid
     */
    public record Auth(Boolean devTokens, @DefaultValue("") String jwtPublicKey,
                       @DefaultValue("PT12H") Duration devTokenLifetime) {
    }

    /** Whether dev tokens are on: as configured, or else exactly when the database is embedded. */
    public boolean devTokensEnabled() {
        return auth.devTokens() == null ? db.embedded() : auth.devTokens();
    }

    /**
     * @param authorisationTtl       how long an uncaptured authorisation holds the payer's money
     * @param expirySweepInterval    how often expired authorisations are looked for
     */
    public record Payments(@DefaultValue("P7D") Duration authorisationTtl,
                           @DefaultValue("PT30S") Duration expirySweepInterval) {
    }

    /**
     * @param maxBodyBytes the largest request body accepted; larger ones get 413. 64 KiB holds a red
     *                     packet to a full group (500 member ids of up to 100 characters).
     */
    public record Http(@DefaultValue("65536") long maxBodyBytes) {
    }

    /**
     * @param minShare            the smallest share, in the packet's currency (0.01)
     * @param maxShare            the largest share (200.00)
     * @param maxShares           the most shares a packet may have
     * @param maxGroupSize        the most members a group packet may name
     * @param ttl                 how long a packet can be opened before what is unclaimed returns to the sender
     * @param expirySweepInterval how often expired packets are looked for
     * @param grabBatchSize       the most grabs of one packet decided in one transaction
     */
    public record RedPackets(@DefaultValue("0.01") BigDecimal minShare, @DefaultValue("200.00") BigDecimal maxShare,
                             @DefaultValue("100") int maxShares, @DefaultValue("500") int maxGroupSize,
                             @DefaultValue("PT24H") Duration ttl, @DefaultValue("PT30S") Duration expirySweepInterval,
                             @DefaultValue("500") int grabBatchSize) {
    }

    /**
     * @param timeZone           the zone business days are counted in (daily caps, per-day reports)
     * @param campaignSweepInterval how often ended campaigns are looked for
     */
    public record Platform(@DefaultValue("Asia/Shanghai") ZoneId timeZone,
                           @DefaultValue("PT30S") Duration campaignSweepInterval) {
    }
}
