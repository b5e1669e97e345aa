package com.hongbao.ledger.api.deadlines;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.support.LedgerApiTest;
import com.hongbao.ledger.projections.bnpl.BnplQueries;
import com.hongbao.ledger.projections.campaign.CampaignQueries;
import com.hongbao.ledger.projections.packet.RedPacketQueries;
import com.hongbao.ledger.projections.payment.PaymentQueries;
import com.hongbao.ledger.projections.support.Due;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The four read models' due lists, as the sweeps read them, on the shared database: paged a few
 * entries at a time from the last one seen, each list gives exactly what one read of all gives,
 * soonest first, with what this test made due in it.
 */
class DueListsTest extends LedgerApiTest {

    private static final int PAGE = 2;

    @Autowired
    PaymentQueries payments;

    @Autowired
    RedPacketQueries packets;

    @Autowired
    CampaignQueries campaigns;

    @Autowired
    BnplQueries plans;

    private interface DueList {
        List<Due> due(Instant now, Due after, int limit);
    }

    /** Every page of the list at {@code now}, {@link #PAGE} at a time, and checks it against one read of all. */
    private static List<Due> paged(DueList list, Instant now) {
        List<Due> all = list.due(now, null, 1_000_000);
        List<Due> paged = new ArrayList<>();
        Due last = null;
        for (List<Due> page = list.due(now, null, PAGE); !page.isEmpty(); page = list.due(now, last, PAGE)) {
            assertThat(page.size()).isLessThanOrEqualTo(PAGE);
            paged.addAll(page);
            last = page.getLast();
        }
        assertThat(paged).isEqualTo(all);
        // Within an instant, the database's collation orders the keys; the one read of all above is its word.
        assertThat(paged).isSortedAccordingTo(Comparator.comparing(Due::at));
        assertThat(paged).extracting(Due::key).doesNotHaveDuplicates();
        return paged;
    }

    @Test
    void each_due_list_pages_from_the_last_entry_seen_to_exactly_what_one_read_gives() {
        String merchant = onboardMerchant(60);
        UserWallet payer = openWallet();
        UserWallet member = openWallet();
        topUp(payer.walletId(), "1000.00");
        List<String> authorisations = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        List<String> funded = new ArrayList<>();
        List<String> checkouts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Response authorised = pay(payer, merchant, unique("order"), "1.00", "manual");
            expectStatus(authorised, 201);
            authorisations.add(authorised.json().get("paymentId").asString());
            Response packet = post("/v1/red-packets", payer.token(), "{\"kind\":\"group_fixed\",\"amount\":\"1.00\","
                    + "\"currency\":\"CNY\",\"shares\":1,\"members\":[\"" + member.user() + "\"]}",
                    Map.of("Idempotency-Key", unique("send")));
            expectStatus(packet, 201);
            sent.add(packet.json().get("packetId").asString());
            Response plan = post("/v1/bnpl/checkouts", payer.token(), "{\"merchantId\":\"" + merchant
                    + "\",\"orderNumber\":\"" + unique("order") + "\",\"amount\":\"40.00\",\"currency\":\"CNY\","
                    + "\"plan\":\"pay_in_4\"}");
            expectStatus(plan, 201);
            checkouts.add(payer.walletId() + "/" + plan.json().get("planId").asString());
        }
        expectStatus(pay(payer, merchant, unique("order"), "100.00", "immediate"), 201);
        awaitProcessorsCaughtUp();
        for (int i = 0; i < 3; i++) {
            Instant now = clock.instant();
            Response campaign = post("/v1/merchants/" + merchant + "/campaigns", merchantToken(merchant),
                    "{\"name\":\"Lanterns\",\"currency\":\"CNY\",\"budget\":\"5.00\",\"startsAt\":\"" + now
                            + "\",\"endsAt\":\"" + now.plus(Duration.ofDays(3)) + "\",\"perUserMaxCount\":1,"
                            + "\"perUserMaxAmount\":\"1.00\",\"dailyMaxAmount\":\"5.00\",\"fixedAmount\":\"1.00\"}",
                    Map.of("Idempotency-Key", unique("fund")));
            expectStatus(campaign, 201);
            funded.add(campaign.json().get("campaignId").asString());
        }
        awaitProcessorsCaughtUp();
        Instant later = clock.instant().plus(Duration.ofDays(400));

        assertThat(paged(payments::dueForExpiry, later)).extracting(Due::id).containsAll(authorisations);
        assertThat(paged(packets::dueForExpiry, later)).extracting(Due::id).containsAll(sent);
        assertThat(paged(campaigns::dueToEnd, later)).extracting(Due::id).containsAll(funded);
        List<Due> reviews = paged(plans::dueForReview, later);
        assertThat(reviews).extracting(Due::id).containsAll(checkouts);
        assertThat(reviews).allSatisfy(due -> assertThat(due.id()).endsWith("/" + due.key()));
        // Nothing is due before it falls due.
        assertThat(paged(packets::dueForExpiry, clock.instant().minus(Duration.ofDays(1))))
                .extracting(Due::id).doesNotContainAnyElementsOf(sent);
    }
}
