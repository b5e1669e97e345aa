package com.hongbao.ledger.core.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.core.account.AccountId;
import com.hongbao.ledger.core.account.AccountType;
import com.hongbao.ledger.core.account.Posting;
import com.hongbao.ledger.core.campaign.CampaignEvent.MerchantFundedCampaign;
import com.hongbao.ledger.core.id.CampaignId;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.merchant.Merchant;
import com.hongbao.ledger.core.merchant.Merchant.MerchantOnboarded;
import com.hongbao.ledger.core.money.CurrencyMismatch;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.settlement.SettlementCommand.HoldPayouts;
import com.hongbao.ledger.core.settlement.SettlementCommand.SettleMerchantDay;
import com.hongbao.ledger.core.settlement.SettlementEvent.MerchantDaySettled;
import com.hongbao.ledger.core.settlement.SettlementEvent.MerchantPayoutsHeld;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.Test;

/**
 * T+1 settlement decided by {@link Merchant}: each day once and in order, negative nets carried
 * forward, payouts never above what the merchant has, held days accumulating until a release.
 */
class MerchantSettlementTest {

    static final MerchantId MERCHANT = new MerchantId("m_1001");
    static final Currency CNY = Currency.getInstance("CNY");
    static final Instant ONBOARDED = Instant.parse("2026-02-01T01:00:00Z");
    static final LocalDate DAY = LocalDate.parse("2026-02-10");
    static final Instant NEXT_MORNING = Instant.parse("2026-02-10T17:00:00Z");
    static final MerchantOnboarded ONBOARDING = new MerchantOnboarded(MERCHANT, "Tea House", 60, CNY, ONBOARDED);

    final FixtureConfiguration<Merchant> fixture = new AggregateTestFixture<>(Merchant.class);

    static Money cny(long minor) {
        return Money.of(minor, CNY);
    }

    @Test
    void a_positive_day_is_paid_out_in_full_from_the_settlement_account() {
        MerchantDaySettled settled = new MerchantDaySettled(MERCHANT, DAY, cny(11_922), cny(11_922), cny(0),
                cny(11_922), cny(0), false, NEXT_MORNING);
        fixture.given(ONBOARDING)
                .when(new SettleMerchantDay(MERCHANT, DAY, cny(11_922), 11_922, NEXT_MORNING))
                .expectResultMessagePayload(true)
                .expectEvents(settled);
        assertThat(settled.postings()).containsExactly(
                new Posting(new AccountId(AccountType.MERCHANT_SETTLEMENT, MERCHANT.value()), cny(-11_922)),
                new Posting(AccountId.platform(AccountType.EXTERNAL_BANK_PAYOUTS), cny(11_922)));
    }

    @Test
    void a_day_is_settled_once_and_never_before_a_later_one() {
        MerchantDaySettled settled = new MerchantDaySettled(MERCHANT, DAY, cny(500), cny(500), cny(0), cny(500), cny(0),
                false, NEXT_MORNING);
        fixture.given(ONBOARDING, settled)
                .when(new SettleMerchantDay(MERCHANT, DAY, cny(500), 500, NEXT_MORNING.plusSeconds(60)))
                .expectResultMessagePayload(false)
                .expectNoEvents();
        fixture.given(ONBOARDING, settled)
                .when(new SettleMerchantDay(MERCHANT, DAY.minusDays(1), cny(700), 1_200, NEXT_MORNING))
                .expectResultMessagePayload(false)
                .expectNoEvents();
    }

    @Test
    void a_negative_day_is_carried_forward_and_taken_off_the_next_payout() {
        fixture.given(ONBOARDING, new MerchantDaySettled(MERCHANT, DAY, cny(-2_982), cny(-2_982), cny(0), cny(0),
                        cny(-2_982), false, NEXT_MORNING))
                // Up to the next day the statements moved 69.58: 99.40 that day after −29.82.
                .when(new SettleMerchantDay(MERCHANT, DAY.plusDays(1), cny(6_958), 9_940, NEXT_MORNING.plusSeconds(86_400)))
                .expectEvents(new MerchantDaySettled(MERCHANT, DAY.plusDays(1), cny(9_940), cny(6_958), cny(-2_982),
                        cny(6_958), cny(0), false, NEXT_MORNING.plusSeconds(86_400)));
    }

    @Test
    void a_line_that_reached_a_settled_day_late_is_settled_with_the_next_day() {
        // 50.00 was settled for DAY; a 3.00 payment recorded before DAY closed reached its statement
        // only after the settlement. The next settlement covers it: up to DAY + 1 the statements moved 53.00.
        fixture.given(ONBOARDING, new MerchantDaySettled(MERCHANT, DAY, cny(5_000), cny(5_000), cny(0), cny(5_000),
                        cny(0), false, NEXT_MORNING))
                .when(new SettleMerchantDay(MERCHANT, DAY.plusDays(1), cny(5_300), 5_300, NEXT_MORNING.plusSeconds(86_400)))
                .expectEvents(new MerchantDaySettled(MERCHANT, DAY.plusDays(1), cny(300), cny(5_300), cny(0), cny(300),
                        cny(0), false, NEXT_MORNING.plusSeconds(86_400)));
    }

    @Test
    void a_payout_never_takes_more_than_the_merchant_has() {
        // Credited 100.00, of which a campaign budget took 60.00: 40.00 can go, 60.00 is carried.
        fixture.given(ONBOARDING, new MerchantFundedCampaign(MERCHANT, new CampaignId("cp_1"), cny(6_000), ONBOARDED))
                .when(new SettleMerchantDay(MERCHANT, DAY, cny(10_000), 10_000, NEXT_MORNING))
                .expectEvents(new MerchantDaySettled(MERCHANT, DAY, cny(10_000), cny(10_000), cny(0), cny(4_000),
                        cny(6_000), false, NEXT_MORNING));
    }

    @Test
    void held_days_accumulate_and_a_release_pays_them() {
        fixture.given(ONBOARDING, new MerchantPayoutsHeld(MERCHANT, true, cny(0), cny(0), ONBOARDED))
                .when(new SettleMerchantDay(MERCHANT, DAY, cny(4_000), 4_000, NEXT_MORNING))
                .expectEvents(new MerchantDaySettled(MERCHANT, DAY, cny(4_000), cny(4_000), cny(0), cny(0), cny(4_000),
                        true, NEXT_MORNING));
        fixture.given(ONBOARDING, new MerchantPayoutsHeld(MERCHANT, true, cny(0), cny(0), ONBOARDED),
                        new MerchantDaySettled(MERCHANT, DAY, cny(4_000), cny(4_000), cny(0), cny(0), cny(4_000), true,
                                NEXT_MORNING),
                        new MerchantDaySettled(MERCHANT, DAY.plusDays(1), cny(1_000), cny(5_000), cny(4_000), cny(0),
                                cny(5_000), true, NEXT_MORNING.plusSeconds(86_400)))
                .when(new HoldPayouts(MERCHANT, false, 5_000, NEXT_MORNING.plusSeconds(90_000)))
                .expectResultMessagePayload(true)
                .expectEvents(new MerchantPayoutsHeld(MERCHANT, false, cny(5_000), cny(0),
                        NEXT_MORNING.plusSeconds(90_000)));
    }

    @Test
    void holding_held_payouts_again_changes_nothing() {
        fixture.given(ONBOARDING, new MerchantPayoutsHeld(MERCHANT, true, cny(0), cny(0), ONBOARDED))
                .when(new HoldPayouts(MERCHANT, true, 0, NEXT_MORNING))
                .expectResultMessagePayload(false)
                .expectNoEvents();
    }

    @Test
    void a_net_in_another_currency_is_refused() {
        fixture.given(ONBOARDING)
                .when(new SettleMerchantDay(MERCHANT, DAY, Money.of(100, "USD"), 100, NEXT_MORNING))
                .expectException(CurrencyMismatch.class)
                .expectNoEvents();
    }
}
