package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.support.LedgerApiTest;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.wallet.WalletCommand.TopUpWallet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Events do not commit in the order of their global indexes: a transaction that took an index
 * can commit after one that took a later index, by which time the processors have moved past it.
 * The journal must still key such an event's postings by its own global index, or they collide
 * with those of the event whose index the processor's token was at, and are lost.
 */
class LateCommitTest extends LedgerApiTest {

    @Autowired
    private CommandGateway commandGateway;

    @Autowired
    private PlatformTransactionManager transactionManager;

    @Test
    void an_event_committed_after_a_later_one_still_reaches_the_journal_with_all_its_postings() throws Exception {
        UserWallet early = openWallet();
        UserWallet late = openWallet();
        String earlyReference = unique("bank");
        String lateReference = unique("bank");

        // The early top-up takes its global index inside a transaction this test holds open, while
        // the late one commits on another thread and the ledger processor handles it.
        new TransactionTemplate(transactionManager).executeWithoutResult(transaction -> {
            commandGateway.sendAndWait(topUpCommand(early, earlyReference, 1_111));
            CompletableFuture.runAsync(() -> commandGateway.sendAndWait(topUpCommand(late, lateReference, 2_222)))
                    .orTimeout(30, TimeUnit.SECONDS).join();
            long earlyIndex = globalIndexOfTopUp(early);
            long lateIndex = globalIndexOfTopUp(late);
            assertThat(earlyIndex).isLessThan(lateIndex);
            StreamingEventProcessor ledger = eventProcessing.eventProcessor("ledger", StreamingEventProcessor.class)
                    .orElseThrow();
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() ->
                    !ledger.processingStatus().isEmpty() && ledger.processingStatus().values().stream()
                            .allMatch(status -> position(status) >= lateIndex));
        });

        awaitProcessorsCaughtUp();
        assertThat(available(early)).isEqualTo("11.11");
        assertThat(available(late)).isEqualTo("22.22");
        assertThat(postingsOf(earlyReference)).containsExactly(
                "top_up external_bank_funding:platform -1111",
                "top_up wallet:" + early.walletId() + " 1111");
        Long orphans = jdbc.queryForObject("SELECT COUNT(*) FROM journal_posting j WHERE NOT EXISTS"
                + " (SELECT 1 FROM event_entry e WHERE e.event_identifier = j.event_id)", Long.class);
        assertThat(orphans).as("postings keyed by an event that is not in the event store").isZero();
        assertTrialBalanceIsZero();
    }

    private TopUpWallet topUpCommand(UserWallet wallet, String bankReference, long minor) {
        return new TopUpWallet(new WalletId(wallet.walletId()), bankReference, Money.of(minor, "CNY"), clock.instant());
    }

    private long globalIndexOfTopUp(UserWallet wallet) {
        return jdbc.queryForObject("SELECT global_index FROM event_entry WHERE aggregate_identifier = ?"
                + " AND payload_type LIKE '%WalletToppedUp'", Long.class, wallet.walletId());
    }

    private static long position(EventTrackerStatus status) {
        return status.getCurrentPosition().orElse(-1);
    }
}
