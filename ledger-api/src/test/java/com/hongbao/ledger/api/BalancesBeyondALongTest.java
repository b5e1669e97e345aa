package com.hongbao.ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.support.TestDatabase;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.wallet.WalletCommand.OpenWallet;
import com.hongbao.ledger.core.wallet.WalletCommand.TopUpWallet;
import com.hongbao.ledger.projections.ledger.LedgerQueries;
import com.hongbao.ledger.projections.ledger.LedgerQueries.ExactBalance;
import com.hongbao.ledger.projections.ledger.LedgerQueries.TrialBalanceLine;
import com.hongbao.ledger.projections.ledger.ReconciliationQueries;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import org.awaitility.Awaitility;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every wallet stays within a {@code long} (the wallet refuses a credit past it), but a platform
 * account sums over all of them: the mirror of every top-up ever made can pass 2^63 - 1 fen. The
 * ledger projection must keep running, the trial balance stay exact, and finance must be able to
 * read that account's balance, when it does.
 *
 * <p>Runs against a database of its own: the platform balance it leaves behind is not for the
 * other tests' trial balances.
 */
class BalancesBeyondALongTest {

    /** The largest single amount the API accepts: 999,999,999,999,999.99. */
    private static final long LARGEST_MINOR = 99_999_999_999_999_999L;
    private static final Currency CNY = Currency.getInstance("CNY");

    @Test
    void the_mirror_of_all_top_ups_passing_a_long_keeps_the_ledger_projection_running_and_the_trial_balance_exact()
            throws Exception {
        TestDatabase.Server database = TestDatabase.another();
        try (ConfigurableApplicationContext node = new SpringApplicationBuilder(LedgerApplication.class)
                .run("--server.port=0", "--ledger.db.url=" + database.url(), "--ledger.db.user=" + database.user(),
                        "--ledger.db.password=" + database.password(), "--ledger.auth.dev-tokens=true",
                        "--spring.main.banner-mode=off", "--logging.level.org.axonframework=WARN",
                        "--logging.level.org.springdoc=WARN")) {
            CommandGateway commands = node.getBean(CommandGateway.class);
            Instant now = Instant.now();
            WalletId rich = new WalletId("w_rich");
            WalletId other = new WalletId("w_other");
            commands.sendAndWait(new OpenWallet(rich, new UserId("rich"), CNY, now));
            commands.sendAndWait(new OpenWallet(other, new UserId("other"), CNY, now));
            // 92 of the largest top-ups fill one wallet to just below 2^63 fen; one more elsewhere
            // takes the funding mirror past -2^63.
            for (int i = 0; i < 92; i++) {
                commands.sendAndWait(new TopUpWallet(rich, "bank-" + i, Money.of(LARGEST_MINOR, CNY), now));
            }
            commands.sendAndWait(new TopUpWallet(other, "bank-other", Money.of(LARGEST_MINOR, CNY), now));
            awaitCaughtUp(node);

            LedgerQueries ledger = node.getBean(LedgerQueries.class);
            assertThat(ledger.balances("wallet:" + other.value()))
                    .containsExactly(new ExactBalance("CNY", BigInteger.valueOf(LARGEST_MINOR)));
            assertThat(ledger.balances("wallet:" + rich.value()))
                    .containsExactly(new ExactBalance("CNY", BigInteger.valueOf(92 * LARGEST_MINOR)));
            List<TrialBalanceLine> trial = ledger.trialBalance();
            assertThat(trial).hasSize(1);
            assertThat(trial.getFirst().totalMinor()).isEqualTo(BigInteger.ZERO);
            BigInteger funded = BigInteger.valueOf(LARGEST_MINOR).multiply(BigInteger.valueOf(93));
            assertThat(trial.getFirst().accountTypes()).anySatisfy(type -> {
                assertThat(type.accountType()).isEqualTo("external_bank_funding");
                assertThat(type.balanceMinor()).isEqualTo(funded.negate());
            });
            assertThat(funded.negate()).isLessThan(BigInteger.valueOf(Long.MIN_VALUE));
            ReconciliationQueries.Checked accounts = new ReconciliationQueries(node.getBean(JdbcTemplate.class))
                    .accounts(10);
            assertThat(accounts.mismatched()).isZero();
            assertThat(accounts.checked()).isEqualTo(3);

            // Finance reads that account through the API, exactly, now and as of an instant.
            String base = "http://localhost:" + node.getEnvironment().getProperty("local.server.port");
            String finance = JSON.readTree(call(HttpRequest.newBuilder(URI.create(base + "/dev/tokens"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"subject\":\"fin-1\",\"roles\":[\"finance\"]}"))
                    .build())).get("accessToken").asString();
            String expected = new BigDecimal(funded.negate(), 2).toPlainString();
            for (String query : new String[] {"", "?asOf=" + Instant.now().plusSeconds(60)}) {
                JsonNode balance = JSON.readTree(call(HttpRequest.newBuilder(
                                URI.create(base + "/v1/accounts/external_bank_funding:platform/balance" + query))
                        .header("Authorization", "Bearer " + finance).GET().build()));
                assertThat(balance.get("balances").get(0).get("amount").asString()).isEqualTo(expected);
                assertThat(balance.get("balances").get(0).get("currency").asString()).isEqualTo("CNY");
            }
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The body of a 200 answer. */
    private static String call(HttpRequest request) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return response.body();
        }
    }

    /** Until every processor has handled every stored event (the ledger's fails for good on an overflow). */
    private static void awaitCaughtUp(ConfigurableApplicationContext node) {
        JdbcTemplate jdbc = node.getBean(JdbcTemplate.class);
        EventProcessingConfiguration processing = node.getBean(EventProcessingConfiguration.class);
        Awaitility.await("every processor at the head of the event store").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    Long head = jdbc.queryForObject("SELECT MAX(global_index) FROM event_entry", Long.class);
                    return processing.eventProcessors().values().stream()
                            .filter(StreamingEventProcessor.class::isInstance)
                            .map(StreamingEventProcessor.class::cast)
                            .allMatch(processor -> !processor.processingStatus().isEmpty()
                                    && processor.processingStatus().values().stream().allMatch(status ->
                                            status.getCurrentPosition().orElse(-1) >= head));
                });
    }
}
