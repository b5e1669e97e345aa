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
            // Segment 1 of refund-credits had not seen an event 1 below its position (its transaction
            // was still open): no other segment's gaps have it, and the merged token must keep it.
            Long segmentOneIndex = jdbc.queryForObject("SELECT (convert_from(token, 'UTF8')::jsonb ->> 'index')::BIGINT"
                    + " FROM token_entry WHERE processor_name = 'refund-credits' AND segment = 1", Long.class);
            long lateEvent = segmentOneIndex - 1;
            jdbc.update("UPDATE token_entry SET token = convert_to(jsonb_set(convert_from(token, 'UTF8')::jsonb,"
                    + " '{gaps}', jsonb_build_array(?::BIGINT))::text, 'UTF8')"
                    + " WHERE processor_name = 'refund-credits' AND segment = 1", lateEvent);
            int moved = jdbc.update(sql);
            assertThat(moved).as("segments moved").isGreaterThanOrEqualTo(6);
            for (String processor : CREDIT_PROCESSORS) {
                List<Long> positions = jdbc.queryForList("SELECT (convert_from(token, 'UTF8')::jsonb ->> 'index')::BIGINT"
                        + " FROM token_entry WHERE processor_name = ?", Long.class, processor);
                assertThat(positions).as(processor).hasSizeGreaterThanOrEqualTo(2).containsOnly(lowest.get(processor));
            }
            List<String> refundGaps = jdbc.queryForList("SELECT (convert_from(token, 'UTF8')::jsonb -> 'gaps')::text"
                    + " FROM token_entry WHERE processor_name = 'refund-credits'", String.class);
            if (lateEvent < lowest.get("refund-credits")) {
                assertThat(refundGaps).as("the late event stays a gap of every segment").containsOnly("[" + lateEvent + "]");
            } else {
                assertThat(refundGaps).as("no gap at or above the lowest index").containsOnly("[]");
            }
            status.setRollbackOnly();
        });
    }
}
