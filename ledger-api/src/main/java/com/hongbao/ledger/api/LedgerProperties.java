package com.hongbao.ledger.api;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.bnpl.PlanType;
import com.hongbao.ledger.core.money.Money;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Currency;
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
 * @param bnpl       buy-now-pay-later terms for new plans
 * @param settlement when statements close and settlement runs
 */
@ConfigurationProperties("ledger")
public record LedgerProperties(@DefaultValue Db db, @DefaultValue Auth auth, @DefaultValue Payments payments,
                               @DefaultValue Http http, @DefaultValue RedPackets redPackets,
                               @DefaultValue Platform platform, @DefaultValue Bnpl bnpl,
                               @DefaultValue Settlement settlement) {

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
     * @param maxAmount              the largest single payment, wallet or instalment plan, in the
     *                               payment's currency: it keeps every merchant's settlement balance
     *                               and daily statement totals far inside a long of minor units
     *                               (10^8 fen a payment, 9.2 × 10^10 payments to overflow one)
     */
    public record Payments(@DefaultValue("P7D") Duration authorisationTtl,
                           @DefaultValue("PT30S") Duration expirySweepInterval,
                           @DefaultValue("1000000.00") BigDecimal maxAmount) {

        public Payments {
            if (maxAmount.signum() <= 0) {
                throw new IllegalArgumentException("ledger.payments.max-amount must be positive: " + maxAmount);
            }
        }

        /** Refuses a payment above {@link #maxAmount} with {@code amount_above_maximum}. */
        public void requireWithinMaximum(Money amount) {
            if (new BigDecimal(amount.toDecimalString()).compareTo(maxAmount) > 0) {
                throw new LedgerRejection("amount_above_maximum",
                        "a single payment is at most " + maxAmount.toPlainString() + " " + amount.currency());
            }
        }
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
     * @param seedKey             base64 of the 32-byte key that seals lucky packets' seeds in the event store;
     *                            required without dev tokens (see {@code SeedKeys})
     */
    public record RedPackets(@DefaultValue("0.01") BigDecimal minShare, @DefaultValue("200.00") BigDecimal maxShare,
                             @DefaultValue("100") int maxShares, @DefaultValue("500") int maxGroupSize,
                             @DefaultValue("PT24H") Duration ttl, @DefaultValue("PT30S") Duration expirySweepInterval,
                             @DefaultValue("500") int grabBatchSize, @DefaultValue("") String seedKey) {
    }

    /**
     * @param timeZone           the zone business days are counted in (daily caps, per-day reports)
     * @param campaignSweepInterval how often ended campaigns are looked for
     */
    public record Platform(@DefaultValue("Asia/Shanghai") ZoneId timeZone,
                           @DefaultValue("PT30S") Duration campaignSweepInterval) {
    }

    /**
     * Terms of new instalment plans; a plan keeps the terms it was opened with. Amounts are in the
     * order's currency.
     *
     * @param defaultCreditLimit      a buyer's credit limit until finance sets their own
     * @param lateFee                 the fixed fee an instalment draws once it is overdue past the grace period
     * @param graceDays               how many days an instalment may be overdue before it draws the late fee
     * @param lateFeeCapBasisPoints   the most a plan's late fees may add up to, as a share of the order (2,500: 25%)
     * @param defaultAfterDays        how many days an instalment may be overdue before the plan defaults
     * @param payIn4FeeBasisPoints    the plan fee of pay-in-4
     * @param monthly3FeeBasisPoints  the plan fee of 3 monthly instalments
     * @param monthly6FeeBasisPoints  the plan fee of 6 monthly instalments
     * @param monthly12FeeBasisPoints the plan fee of 12 monthly instalments
     * @param reviewSweepInterval     how often plans with something due (a collection, a late fee, a default) are looked for
     * @param currency                the one currency plans are offered in, so a user's credit limit and a freeze
     *                                after a default cover all of the user's plans
     */
    public record Bnpl(@DefaultValue("5000.00") BigDecimal defaultCreditLimit, @DefaultValue("5.00") BigDecimal lateFee,
                       @DefaultValue("3") int graceDays, @DefaultValue("2500") int lateFeeCapBasisPoints,
                       @DefaultValue("60") int defaultAfterDays, @DefaultValue("0") int payIn4FeeBasisPoints,
                       @DefaultValue("150") int monthly3FeeBasisPoints, @DefaultValue("300") int monthly6FeeBasisPoints,
                       @DefaultValue("600") int monthly12FeeBasisPoints,
                       @DefaultValue("PT1M") Duration reviewSweepInterval, @DefaultValue("CNY") Currency currency) {

        /** Settings that would make every plan fail are refused at startup, not at the first checkout. */
        public Bnpl {
            if (defaultCreditLimit.signum() < 0 || lateFee.signum() < 0 || graceDays < 0 || defaultAfterDays < 1
                    || lateFeeCapBasisPoints < 0 || lateFeeCapBasisPoints > 10_000
                    || Math.min(Math.min(payIn4FeeBasisPoints, monthly3FeeBasisPoints),
                            Math.min(monthly6FeeBasisPoints, monthly12FeeBasisPoints)) < 0
                    || Math.max(Math.max(payIn4FeeBasisPoints, monthly3FeeBasisPoints),
                            Math.max(monthly6FeeBasisPoints, monthly12FeeBasisPoints)) > 10_000) {
                throw new IllegalArgumentException("invalid ledger.bnpl settings: limits and fees are not negative,"
                        + " fee rates and the late-fee cap are 0 to 10000 basis points, default-after-days is at least 1");
            }
        }

        /** The plan fee of a plan type, in basis points. */
        public int feeBasisPoints(PlanType type) {
            return switch (type) {
                case PAY_IN_4 -> payIn4FeeBasisPoints;
                case MONTHLY_3 -> monthly3FeeBasisPoints;
                case MONTHLY_6 -> monthly6FeeBasisPoints;
                case MONTHLY_12 -> monthly12FeeBasisPoints;
            };
        }
    }

    /**
     * @param closeLag      how long after 00:00 (platform zone) a business day's statement becomes final;
     *                      events recorded later are adjustments on the day they were recorded. Set it once:
     *                      a replay places late lines by it.
     * @param settleDelay   how long after a day's statement is final it is settled, so that the statement
     *                      read model has processed every event recorded before the close
     * @param sweepInterval how often due settlements are looked for
     */
    public record Settlement(@DefaultValue("PT30M") Duration closeLag, @DefaultValue("PT10M") Duration settleDelay,
                             @DefaultValue("PT5M") Duration sweepInterval) {
    }
}
