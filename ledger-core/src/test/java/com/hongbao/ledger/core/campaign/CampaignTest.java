package com.hongbao.ledger.core.campaign;

import static com.hongbao.ledger.core.testing.RejectionMatchers.programmerError;
import static com.hongbao.ledger.core.testing.RejectionMatchers.rejectedWith;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.campaign.CampaignCommand.EndCampaign;
import com.hongbao.ledger.core.campaign.CampaignCommand.FundCampaign;
import com.hongbao.ledger.core.campaign.CampaignCommand.IssueCampaignPacket;
import com.hongbao.ledger.core.campaign.CampaignCommand.ReturnCampaignPacket;
import com.hongbao.ledger.core.campaign.CampaignEvent.CampaignCreated;
import com.hongbao.ledger.core.campaign.CampaignEvent.CampaignEnded;
import com.hongbao.ledger.core.campaign.CampaignEvent.CampaignPacketIssued;
import com.hongbao.ledger.core.campaign.CampaignEvent.CampaignPacketReturned;
import com.hongbao.ledger.core.campaign.CampaignEvent.MerchantFundedCampaign;
import com.hongbao.ledger.core.id.CampaignId;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.merchant.Merchant.MerchantOnboarded;
import com.hongbao.ledger.core.merchant.Merchant;
import com.hongbao.ledger.core.money.CurrencyMismatch;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketSent;
import com.hongbao.ledger.core.packet.RedPacketKind;
import com.hongbao.ledger.core.settlement.SettlementEvent.MerchantPayoutsHeld;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Given-when-then tests of funding a campaign (on the merchant) and of issuing, returning and ending (on the campaign). */
class CampaignTest {

    static final Currency CNY = Currency.getInstance("CNY");
    static final MerchantId SHOP = new MerchantId("m_tea");
    static final CampaignId CAMPAIGN = new CampaignId("cp_1");
    static final Instant STARTS = Instant.parse("2026-02-16T00:00:00Z");
    static final Instant ENDS = STARTS.plus(Duration.ofDays(7));
    static final Instant AT = STARTS.plus(Duration.ofHours(3));
    static final LocalDate DAY = LocalDate.parse("2026-02-16");
    static final Duration TTL = Duration.ofHours(24);
    static final UserId BOB = new UserId("bob");
    static final UserId CAROL = new UserId("carol");

    static Money cny(long fen) {
        return Money.of(fen, CNY);
    }

    /** A budget of 100.00, 2 packets and 10.00 per user, 30.00 a day, 5.00 a packet. */
    static CampaignTerms fixedTerms() {
        return new CampaignTerms("Spring tea", cny(10_000), STARTS, ENDS, 2, cny(1_000), cny(3_000), cny(500), null, null);
    }

    static CampaignTerms randomTerms() {
        return new CampaignTerms("Lucky tea", cny(10_000), STARTS, ENDS, 5, cny(5_000), cny(10_000), null, cny(100),
                cny(900));
    }

    static IssueCampaignPacket issue(String packet, UserId user, long draw) {
        return new IssueCampaignPacket(CAMPAIGN, SHOP, new PacketId(packet), user, draw, DAY, TTL, AT);
    }

    static CampaignPacketIssued issued(String packet, UserId user, long fen, long remainingFen) {
        return new CampaignPacketIssued(CAMPAIGN, SHOP, new PacketId(packet), user, cny(fen), cny(remainingFen), DAY, AT);
    }

    @Nested
    class Funding {

        final FixtureConfiguration<Merchant> fixture = new AggregateTestFixture<>(Merchant.class);
        final MerchantOnboarded onboarded = new MerchantOnboarded(SHOP, "Tea shop", 60, CNY, STARTS.minusSeconds(86_400));

        FundCampaign fund(CampaignTerms terms, long creditedFen) {
            return new FundCampaign(SHOP, CAMPAIGN, terms, creditedFen, 1, 20_000, STARTS);
        }

        @Test
        void the_budget_leaves_the_settlement_balance_and_the_campaign_is_created() {
            fixture.given(onboarded)
                    .when(fund(fixedTerms(), 25_000))
                    .expectEvents(new MerchantFundedCampaign(SHOP, CAMPAIGN, cny(10_000), STARTS),
                            new CampaignCreated(CAMPAIGN, SHOP, fixedTerms(), STARTS))
                    .expectResultMessagePayload(new CampaignReceipt(CAMPAIGN, SHOP, cny(10_000), STARTS, ENDS));
        }

        @Test
        void budgets_already_set_aside_count_against_the_balance() {
            fixture.given(onboarded, new MerchantFundedCampaign(SHOP, new CampaignId("cp_0"), cny(20_000), STARTS))
                    .when(fund(fixedTerms(), 25_000))
                    .expectException(rejectedWith(LedgerRejection.class, "merchant_insufficient_balance"))
                    .expectNoEvents();
        }

        @Test
        void nothing_is_funded_while_finance_holds_the_payouts_and_funding_resumes_after_the_release() {
            MerchantPayoutsHeld held = new MerchantPayoutsHeld(SHOP, true, cny(0), cny(0), STARTS);
            fixture.given(onboarded, held)
                    .when(fund(fixedTerms(), 25_000))
                    .expectException(rejectedWith(LedgerRejection.class, "payouts_held"))
                    .expectNoEvents();
            fixture.given(onboarded, held, new MerchantPayoutsHeld(SHOP, false, cny(0), cny(0), STARTS))
                    .when(fund(fixedTerms(), 25_000))
                    .expectEvents(new MerchantFundedCampaign(SHOP, CAMPAIGN, cny(10_000), STARTS),
                            new CampaignCreated(CAMPAIGN, SHOP, fixedTerms(), STARTS));
        }

        @Test
        void a_budget_in_another_currency_is_refused() {
            CampaignTerms usd = new CampaignTerms("x", Money.of(10_000, "USD"), STARTS, ENDS, 1, Money.of(500, "USD"),
                    Money.of(500, "USD"), Money.of(500, "USD"), null, null);
            fixture.given(onboarded).when(fund(usd, 1_000_000))
                    .expectException(CurrencyMismatch.class)
                    .expectNoEvents();
        }

        @Test
        void terms_that_allow_no_packet_or_make_no_sense_are_refused() {
            CampaignTerms backwards = new CampaignTerms("x", cny(10_000), ENDS, STARTS, 1, cny(500), cny(500), cny(500),
                    null, null);
            CampaignTerms both = new CampaignTerms("x", cny(10_000), STARTS, ENDS, 1, cny(500), cny(500), cny(500),
                    cny(100), cny(200));
            CampaignTerms overMax = new CampaignTerms("x", cny(100_000), STARTS, ENDS, 1, cny(30_000), cny(30_000),
                    cny(20_001), null, null);
            CampaignTerms capTooSmall = new CampaignTerms("x", cny(10_000), STARTS, ENDS, 1, cny(499), cny(500),
                    cny(500), null, null);
            fixture.given(onboarded).when(fund(backwards, 1_000_000))
                    .expectException(rejectedWith(LedgerRejection.class, "invalid_campaign_dates")).expectNoEvents();
            fixture.given(onboarded).when(fund(both, 1_000_000))
                    .expectException(rejectedWith(LedgerRejection.class, "invalid_campaign_amounts")).expectNoEvents();
            fixture.given(onboarded).when(fund(overMax, 1_000_000))
                    .expectException(rejectedWith(LedgerRejection.class, "invalid_campaign_amounts")).expectNoEvents();
            fixture.given(onboarded).when(fund(capTooSmall, 1_000_000))
                    .expectException(rejectedWith(LedgerRejection.class, "invalid_campaign_caps")).expectNoEvents();
        }

        @Test
        void a_campaign_that_has_already_ended_is_not_funded() {
            CampaignTerms past = new CampaignTerms("x", cny(10_000), STARTS, ENDS, 1, cny(500), cny(500), cny(500),
                    null, null);
            fixture.given(onboarded)
                    .when(new FundCampaign(SHOP, CAMPAIGN, past, 1_000_000, 1, 20_000, ENDS))
                    .expectException(rejectedWith(LedgerRejection.class, "invalid_campaign_dates")).expectNoEvents();
            fixture.given(onboarded)
                    .when(new FundCampaign(SHOP, CAMPAIGN, past, 1_000_000, 1, 20_000, ENDS.minusMillis(1)))
                    .expectSuccessfulHandlerExecution();
        }
    }

    @Nested
    class Issuing {

        final FixtureConfiguration<Campaign> fixture = new AggregateTestFixture<>(Campaign.class);

        @Test
        void a_packet_moves_from_the_budget_into_a_packet_for_that_user_only() {
            fixture.given(new CampaignCreated(CAMPAIGN, SHOP, fixedTerms(), STARTS))
                    .when(issue("rp_1", BOB, 0))
                    .expectEvents(issued("rp_1", BOB, 500, 9_500),
                            new RedPacketSent(new PacketId("rp_1"), null, null, RedPacketKind.CAMPAIGN, cny(500), 1,
                                    cny(500), List.of(), BOB, "Spring tea", null, null, null, 500, 500, AT, AT.plus(TTL),
                                    CAMPAIGN))
                    .expectResultMessagePayload(new IssuedPacket(new PacketId("rp_1"), CAMPAIGN, BOB, cny(500),
                            cny(9_500), AT.plus(TTL)));
        }

        @Test
        void a_random_amount_is_drawn_between_min_and_max() {
            fixture.given(new CampaignCreated(CAMPAIGN, SHOP, randomTerms(), STARTS))
                    .when(issue("rp_1", BOB, 1_000_123))
                    // 100 + (1,000,123 mod 801) = 100 + 475.
                    .expectEvents(issued("rp_1", BOB, 575, 9_425),
                            new RedPacketSent(new PacketId("rp_1"), null, null, RedPacketKind.CAMPAIGN, cny(575), 1,
                                    cny(575), List.of(), BOB, "Lucky tea", null, null, null, 575, 575, AT, AT.plus(TTL),
                                    CAMPAIGN));
        }

        @Test
        void the_per_user_count_cap_holds() {
            fixture.given(new CampaignCreated(CAMPAIGN, SHOP, fixedTerms(), STARTS), issued("rp_1", BOB, 500, 9_500),
                            issued("rp_2", BOB, 500, 9_000))
                    .when(issue("rp_3", BOB, 0))
                    .expectException(rejectedWith(LedgerRejection.class, "campaign_user_count_cap_reached"))
                    .expectNoEvents();
        }

        @Test
        void the_daily_cap_holds_across_users() {
            CampaignTerms terms = new CampaignTerms("x", cny(10_000), STARTS, ENDS, 5, cny(5_000), cny(1_000), cny(500),
                    null, null);
            fixture.given(new CampaignCreated(CAMPAIGN, SHOP, terms, STARTS), issued("rp_1", BOB, 500, 9_500),
                            issued("rp_2", CAROL, 500, 9_000))
                    .when(issue("rp_3", new UserId("dave"), 0))
                    .expectException(rejectedWith(LedgerRejection.class, "campaign_daily_cap_reached"))
                    .expectNoEvents();
        }

        @Test
        void the_per_user_amount_cap_holds() {
            CampaignTerms terms = new CampaignTerms("x", cny(10_000), STARTS, ENDS, 5, cny(900), cny(5_000), cny(500),
                    null, null);
            fixture.given(new CampaignCreated(CAMPAIGN, SHOP, terms, STARTS), issued("rp_1", BOB, 500, 9_500))
                    .when(issue("rp_2", BOB, 0))
                    .expectException(rejectedWith(LedgerRejection.class, "campaign_user_amount_cap_reached"))
                    .expectNoEvents();
        }

        @Test
        void an_exhausted_budget_issues_nothing() {
            CampaignTerms terms = new CampaignTerms("x", cny(1_000), STARTS, ENDS, 5, cny(5_000), cny(5_000), cny(500),
                    null, null);
            fixture.given(new CampaignCreated(CAMPAIGN, SHOP, terms, STARTS), issued("rp_1", BOB, 500, 500),
                            issued("rp_2", CAROL, 500, 0))
                    .when(issue("rp_3", new UserId("dave"), 0))
                    .expectException(rejectedWith(LedgerRejection.class, "campaign_budget_exhausted"))
                    .expectNoEvents();
        }

        @Test
        void outside_the_dates_nothing_is_issued() {
            fixture.given(new CampaignCreated(CAMPAIGN, SHOP, fixedTerms(), STARTS))
                    .when(new IssueCampaignPacket(CAMPAIGN, SHOP, new PacketId("rp_1"), BOB, 0, DAY, TTL,
                            STARTS.minusSeconds(1)))
                    .expectException(rejectedWith(LedgerRejection.class, "campaign_not_started"))
                    .expectNoEvents();
            fixture.given(new CampaignCreated(CAMPAIGN, SHOP, fixedTerms(), STARTS))
                    .when(new IssueCampaignPacket(CAMPAIGN, SHOP, new PacketId("rp_1"), BOB, 0, DAY, TTL, ENDS))
                    .expectException(rejectedWith(LedgerRejection.class, "campaign_ended"))
                    .expectNoEvents();
        }

        @Test
        void another_merchant_cannot_issue_from_it() {
            fixture.given(new CampaignCreated(CAMPAIGN, SHOP, fixedTerms(), STARTS))
                    .when(new IssueCampaignPacket(CAMPAIGN, new MerchantId("m_rival"), new PacketId("rp_1"), BOB, 0,
                            DAY, TTL, AT))
                    .expectException(rejectedWith(LedgerRejection.class, "campaign_not_found"))
                    .expectNoEvents();
        }
    }

    @Nested
    class ReturningAndEnding {

        final FixtureConfiguration<Campaign> fixture = new AggregateTestFixture<>(Campaign.class);

        @Test
        void an_expired_packet_returns_to_the_budget_while_the_campaign_runs_and_only_once() {
            fixture.given(new CampaignCreated(CAMPAIGN, SHOP, fixedTerms(), STARTS), issued("rp_1", BOB, 500, 9_500))
                    .when(new ReturnCampaignPacket(CAMPAIGN, new PacketId("rp_1"), cny(500), AT.plus(TTL)))
                    .expectEvents(new CampaignPacketReturned(CAMPAIGN, SHOP, new PacketId("rp_1"), cny(500), false,
                            AT.plus(TTL)))
                    .expectResultMessagePayload(true);
            fixture.given(new CampaignCreated(CAMPAIGN, SHOP, fixedTerms(), STARTS), issued("rp_1", BOB, 500, 9_500),
                            new CampaignPacketReturned(CAMPAIGN, SHOP, new PacketId("rp_1"), cny(500), false, AT))
                    .when(new ReturnCampaignPacket(CAMPAIGN, new PacketId("rp_1"), cny(500), AT.plus(TTL)))
                    .expectNoEvents()
                    .expectResultMessagePayload(false);
        }

        @Test
        void ending_returns_the_unissued_budget_to_the_merchant_exactly_once() {
            fixture.given(new CampaignCreated(CAMPAIGN, SHOP, fixedTerms(), STARTS), issued("rp_1", BOB, 500, 9_500),
                            new CampaignPacketReturned(CAMPAIGN, SHOP, new PacketId("rp_1"), cny(500), false, AT))
                    .when(new EndCampaign(CAMPAIGN, ENDS))
                    .expectEvents(new CampaignEnded(CAMPAIGN, SHOP, cny(10_000), ENDS))
                    .expectResultMessagePayload(true);
            fixture.given(new CampaignCreated(CAMPAIGN, SHOP, fixedTerms(), STARTS),
                            new CampaignEnded(CAMPAIGN, SHOP, cny(10_000), ENDS))
                    .when(new EndCampaign(CAMPAIGN, ENDS.plusSeconds(30)))
                    .expectNoEvents()
                    .expectResultMessagePayload(false);
        }

        @Test
        void a_packet_expiring_after_the_end_goes_straight_to_the_merchant() {
            fixture.given(new CampaignCreated(CAMPAIGN, SHOP, fixedTerms(), STARTS), issued("rp_1", BOB, 500, 9_500),
                            new CampaignEnded(CAMPAIGN, SHOP, cny(9_500), ENDS))
                    .when(new ReturnCampaignPacket(CAMPAIGN, new PacketId("rp_1"), cny(500), ENDS.plusSeconds(60)))
                    .expectEvents(new CampaignPacketReturned(CAMPAIGN, SHOP, new PacketId("rp_1"), cny(500), true,
                            ENDS.plusSeconds(60)));
        }

        @Test
        void ending_before_the_end_is_a_programmer_error() {
            fixture.given(new CampaignCreated(CAMPAIGN, SHOP, fixedTerms(), STARTS))
                    .when(new EndCampaign(CAMPAIGN, ENDS.minusMillis(1)))
                    .expectException(programmerError(IllegalStateException.class))
                    .expectNoEvents();
        }
    }
}
