package com.hongbao.ledger.core.campaign;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.money.Money;
import java.time.Duration;
import java.time.Instant;

/**
 * What a merchant sets up a campaign with. Each packet is {@code fixedAmount}, or (when that is
 * null) a random amount in [{@code minAmount}, {@code maxAmount}] drawn when it is issued.
 *
 * @param perUserMaxCount  the most packets one user may be issued
 * @param perUserMaxAmount the most money one user may be issued in all
 * @param dailyMaxAmount   the most money issued per day (days in the platform's time zone)
 */
public record CampaignTerms(String name, Money budget, Instant startsAt, Instant endsAt, int perUserMaxCount,
                            Money perUserMaxAmount, Money dailyMaxAmount, Money fixedAmount, Money minAmount,
                            Money maxAmount) {

    /** The longest a campaign may run. */
    public static final Duration MAX_DURATION = Duration.ofDays(366);

    /** Checks the terms against themselves and the packet limits (in minor units); throws a rejection otherwise. */
    public CampaignTerms validated(long minShareMinor, long maxShareMinor) {
        require(budget.isPositive(), "invalid_campaign_budget", "the budget must be positive");
        require(startsAt.isBefore(endsAt), "invalid_campaign_dates", "a campaign ends after it starts");
        require(!endsAt.isAfter(startsAt.plus(MAX_DURATION)), "invalid_campaign_dates", "a campaign runs at most 366 days");
        require(perUserMaxCount >= 1, "invalid_campaign_caps", "perUserMaxCount is at least 1");
        Money smallest = fixedAmount != null ? fixedAmount : minAmount;
        Money largest = fixedAmount != null ? fixedAmount : maxAmount;
        require(smallest != null && largest != null, "invalid_campaign_amounts",
                "a campaign gives a fixedAmount, or a minAmount and a maxAmount");
        require(fixedAmount == null || (minAmount == null && maxAmount == null), "invalid_campaign_amounts",
                "a fixedAmount excludes minAmount and maxAmount");
        for (Money amount : new Money[] {budget, perUserMaxAmount, dailyMaxAmount, smallest, largest}) {
            budget.requireSameCurrency(amount);
        }
        require(smallest.minor() >= minShareMinor && largest.minor() <= maxShareMinor, "invalid_campaign_amounts",
                "each packet is between the red-packet limits");
        require(!smallest.isGreaterThan(largest), "invalid_campaign_amounts", "minAmount is at most maxAmount");
        require(!smallest.isGreaterThan(perUserMaxAmount) && !smallest.isGreaterThan(dailyMaxAmount)
                && !smallest.isGreaterThan(budget), "invalid_campaign_caps",
                "the budget and the caps must each allow at least one packet");
        return this;
    }

    private static void require(boolean condition, String code, String message) {
        if (!condition) {
            throw new LedgerRejection(code, message);
        }
    }
}
