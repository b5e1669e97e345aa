package com.hongbao.ledger.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.settlement.SettlementCommand.HoldPayouts;
import com.hongbao.ledger.core.wallet.WalletCommand.InspectWallet;
import com.hongbao.ledger.core.wallet.WalletCommand.ReleasePaymentHold;
import com.hongbao.ledger.core.wallet.WalletCommand.TopUpWallet;
import java.time.Instant;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.Test;

class FreshCopyForDecisionsThatMayWriteNothingTest {

    private static final WalletId WALLET = new WalletId("w_1");
    private static final MerchantId MERCHANT = new MerchantId("m_1");
    private static final HoldPayouts HOLD = new HoldPayouts(MERCHANT, true, 0, Instant.EPOCH);
    private final CaffeineAggregateCache cache = new CaffeineAggregateCache(10);
    private final CaffeineAggregateCache merchants = new CaffeineAggregateCache(10);
    private final FreshCopyForDecisionsThatMayWriteNothing interceptor =
            new FreshCopyForDecisionsThatMayWriteNothing(cache, merchants);

    @Test
    void a_hold_release_is_decided_on_a_wallet_that_is_no_longer_in_this_nodes_cache() throws Exception {
        cache.put(WALLET.value(), "possibly stale wallet");

        Object seenByHandler = handle(new ReleasePaymentHold(WALLET, new PaymentId("p_1"), Money.of(100, "CNY"), Instant.EPOCH));

        assertThat(seenByHandler).isEqualTo(false);
        assertThat(cache.containsKey(WALLET.value())).isFalse();
    }

    @Test
    void an_inspection_for_reconciliation_reads_the_wallet_from_the_store() throws Exception {
        cache.put(WALLET.value(), "possibly stale wallet");

        Object seenByHandler = handle(new InspectWallet(WALLET));

        assertThat(seenByHandler).isEqualTo(false);
        assertThat(cache.containsKey(WALLET.value())).isFalse();
    }

    @Test
    void other_wallet_commands_keep_using_the_cache() throws Exception {
        cache.put(WALLET.value(), "cached wallet");

        Object seenByHandler = handle(new TopUpWallet(WALLET, "b-1", Money.of(100, "CNY"), Instant.EPOCH));

        assertThat(seenByHandler).isEqualTo(true);
        assertThat(cache.containsKey(WALLET.value())).isTrue();
    }

    @Test
    void a_payout_hold_is_decided_on_a_merchant_that_is_no_longer_in_this_nodes_cache() throws Exception {
        merchants.put(MERCHANT.value(), "possibly stale merchant, payouts held");

        DefaultUnitOfWork<CommandMessage<?>> unitOfWork =
                DefaultUnitOfWork.startAndGet(GenericCommandMessage.asCommandMessage(HOLD));
        try {
            Object seenByHandler = interceptor.handle(unitOfWork, () -> merchants.containsKey(MERCHANT.value()));
            assertThat(seenByHandler).isEqualTo(false);
        } finally {
            unitOfWork.rollback();
        }
        assertThat(merchants.containsKey(MERCHANT.value())).isFalse();
    }

    /** Runs the interceptor; the "handler" reports whether the wallet was still cached when it ran. */
    private Object handle(Object command) throws Exception {
        CommandMessage<?> message = GenericCommandMessage.asCommandMessage(command);
        DefaultUnitOfWork<CommandMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(message);
        try {
            return interceptor.handle(unitOfWork, () -> cache.containsKey(WALLET.value()));
        } finally {
            unitOfWork.rollback();
        }
    }
}
