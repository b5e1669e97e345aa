package com.hongbao.ledger.api.credits;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.api.support.LedgerApiTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Flyway {@code V114} moves every segment of the credit processors back to the lowest position among
 * them, because their events are now placed in segments by target wallet. Run here on the tokens
 * this application has written (in a transaction rolled back afterwards): it finds them, and leaves
 * every segment of each processor at that processor's lowest position.
 */
class CreditSegmentsMigrationTest extends LedgerApiTest {

    private static final List<String> CREDIT_PROCESSORS = List.of("refund-credits", "red-packet-credits",
            "payment-hold-release");

    @Autowired
    private PlatformTransactionManager transactions;

    @Test
    void the_migration_moves_every_credit_segment_to_its_processors_lowest_position() throws IOException {
        UserWallet payer = openWallet();
        topUp(payer.walletId(), "10.00");
        awaitProcessorsCaughtUp();
        // Every segment of the credit processors has stored a token (a fresh test database may not have them yet).
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> CREDIT_PROCESSORS.stream()
                .allMatch(processor -> jdbc.queryForObject("SELECT COUNT(*) FROM token_entry WHERE processor_name = ?"
                        + " AND token IS NOT NULL", Long.class, processor) >= 2));
        String sql;
        try (InputStream in = new ClassPathResource("db/migration/axon/V114__credit_segments_from_lowest_token.sql")
                .getInputStream()) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            // Different positions per segment, as a running ledger has them.
            jdbc.update("UPDATE token_entry SET token = convert_to(jsonb_set(convert_from(token, 'UTF8')::jsonb,"
                    + " '{index}', to_jsonb(((convert_from(token, 'UTF8')::jsonb ->> 'index')::BIGINT) - 1 - segment))::text,"
                    + " 'UTF8') WHERE processor_name IN (?,?,?)", CREDIT_PROCESSORS.toArray());
            Map<String, Long> lowest = Map.of();
            for (String processor : CREDIT_PROCESSORS) {
                Long min = jdbc.queryForObject("SELECT MIN((convert_from(token, 'UTF8')::jsonb ->> 'index')::BIGINT)"
                        + " FROM token_entry WHERE processor_name = ?", Long.class, processor);
                assertThat(min).as(processor).isNotNull();
                lowest = new java.util.HashMap<>(lowest);
                lowest.put(processor, min);
            }
            // The segment of refund-credits furthest ahead had not seen an event just below the lowest
            // position (its transaction was still open when the segment passed it): the segment at the
            // lowest position has read past it, so only that gap says it is still to come, and the
            // merged token must keep it.
            long lateEvent = lowest.get("refund-credits") - 1;
            jdbc.update("UPDATE token_entry SET token = convert_to(jsonb_set(convert_from(token, 'UTF8')::jsonb,"
                    + " '{gaps}', COALESCE(convert_from(token, 'UTF8')::jsonb -> 'gaps', '[]'::jsonb)"
                    + " || jsonb_build_array(?::BIGINT))::text, 'UTF8')"
                    + " WHERE processor_name = 'refund-credits' AND segment = (SELECT segment FROM token_entry"
                    + " WHERE processor_name = 'refund-credits' ORDER BY (convert_from(token, 'UTF8')::jsonb ->> 'index')::BIGINT"
                    + " DESC LIMIT 1)", lateEvent);
            List<Long> expectedGaps = jdbc.queryForList("SELECT DISTINCT gap::text::BIGINT AS gap FROM token_entry,"
                    + " jsonb_array_elements(COALESCE(convert_from(token, 'UTF8')::jsonb -> 'gaps', '[]'::jsonb)) AS gap"
                    + " WHERE processor_name = 'refund-credits' AND gap::text::BIGINT < ? ORDER BY gap", Long.class,
                    lowest.get("refund-credits"));
            assertThat(expectedGaps).contains(lateEvent);
            int moved = jdbc.update(sql);
            assertThat(moved).as("segments moved").isGreaterThanOrEqualTo(6);
            for (String processor : CREDIT_PROCESSORS) {
                List<Long> positions = jdbc.queryForList("SELECT (convert_from(token, 'UTF8')::jsonb ->> 'index')::BIGINT"
                        + " FROM token_entry WHERE processor_name = ?", Long.class, processor);
                assertThat(positions).as(processor).hasSizeGreaterThanOrEqualTo(2).containsOnly(lowest.get(processor));
            }
            List<String> refundGaps = jdbc.queryForList("SELECT (convert_from(token, 'UTF8')::jsonb -> 'gaps')::text"
                    + " FROM token_entry WHERE processor_name = 'refund-credits'", String.class);
            assertThat(refundGaps).as("every segment's gaps below the lowest position, the late event's among them")
                    .containsOnly(expectedGaps.toString());
            status.setRollbackOnly();
        });
    }
}
