package com.hongbao.ledger.core.merchant;

import static com.hongbao.ledger.core.testing.RejectionMatchers.rejectedWith;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.merchant.Merchant.MerchantOnboarded;
import com.hongbao.ledger.core.merchant.Merchant.OnboardMerchant;
import java.time.Instant;
import java.util.Currency;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Given-when-then tests of {@link Merchant} onboarding, rejections included, on Axon's {@link AggregateTestFixture}. */
class MerchantTest {

    static final MerchantId MERCHANT = new MerchantId("m_1001");
    static final Currency CNY = Currency.getInstance("CNY");
    static final Instant NOW = Instant.parse("2026-02-10T09:00:00Z");

    final FixtureConfiguration<Merchant> fixture = new AggregateTestFixture<>(Merchant.class);

    @Test
    void onboarding_a_merchant_records_its_terms() {
        fixture.givenNoPriorActivity()
                .when(new OnboardMerchant(MERCHANT, "Tea House", Merchant.DEFAULT_FEE_RATE_BASIS_POINTS, CNY, NOW))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new MerchantOnboarded(MERCHANT, "Tea House", 60, CNY, NOW));
    }

    @ParameterizedTest(name = "{0} basis points")
    @ValueSource(ints = {0, 1_000})
    void the_fee_rate_may_be_anything_from_zero_to_ten_percent(int feeRateBasisPoints) {
        fixture.givenNoPriorActivity()
                .when(new OnboardMerchant(MERCHANT, "Tea House", feeRateBasisPoints, CNY, NOW))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new MerchantOnboarded(MERCHANT, "Tea House", feeRateBasisPoints, CNY, NOW));
    }

    @ParameterizedTest(name = "{0} basis points")
    @ValueSource(ints = {-1, 1_001, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void a_fee_rate_outside_zero_to_ten_percent_is_refused_with_invalid_fee_rate(int feeRateBasisPoints) {
        fixture.givenNoPriorActivity()
                .when(new OnboardMerchant(MERCHANT, "Tea House", feeRateBasisPoints, CNY, NOW))
                .expectException(rejectedWith(LedgerRejection.class, "invalid_fee_rate"))
                .expectNoEvents();
    }
}
