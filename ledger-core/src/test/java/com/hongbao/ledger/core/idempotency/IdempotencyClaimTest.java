package com.hongbao.ledger.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.core.id.ClaimId;
import com.hongbao.ledger.core.idempotency.IdempotencyClaim.IdempotencyKeyClaimed;
import java.time.Instant;
import org.axonframework.test.aggregate.StubAggregateLifecycleExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IdempotencyClaimTest {

    static final Instant NOW = Instant.parse("2026-02-10T09:00:00Z");

    @RegisterExtension
    final StubAggregateLifecycleExtension lifecycle = new StubAggregateLifecycleExtension();

    @Test
    void claiming_a_key_records_the_request_fingerprint_and_the_first_response() {
        ClaimId claimId = ClaimId.forScope("m_1001/capture/key-1");
        new IdempotencyClaim(claimId, "m_1001/capture/key-1", "sha256:abc", 200, "{\"status\":\"captured\"}", NOW);

        assertThat(lifecycle.getAppliedEventPayloads()).containsExactly(new IdempotencyKeyClaimed(claimId,
                "m_1001/capture/key-1", "sha256:abc", 200, "{\"status\":\"captured\"}", NOW));
    }

    @Test
    void the_same_scope_always_names_the_same_claim_and_another_scope_another() {
        assertThat(ClaimId.forScope("m_1001/capture/key-1")).isEqualTo(ClaimId.forScope("m_1001/capture/key-1"));
        assertThat(ClaimId.forScope("m_1001/capture/key-1")).isNotEqualTo(ClaimId.forScope("m_1002/capture/key-1"));
        assertThat(ClaimId.forScope("m_1001/capture/key-1").value()).matches("ik_[0-9a-f]{64}");
    }
}
