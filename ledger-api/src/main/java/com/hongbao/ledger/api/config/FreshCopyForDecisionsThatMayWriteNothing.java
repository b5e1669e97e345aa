package com.hongbao.ledger.api.config;

import com.hongbao.ledger.core.settlement.SettlementCommand.HoldPayouts;
import com.hongbao.ledger.core.wallet.WalletCommand.InspectWallet;
import com.hongbao.ledger.core.wallet.WalletCommand.ReleasePaymentHold;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.common.caching.Cache;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Drops the aggregate from this node's cache before a command that may decide to write nothing,
 * so that decision is taken on the aggregate as the event store has it.
 *
 * <p>Every other command on a stale cached aggregate either writes, and then collides with the
 * newer events on the store's unique (aggregate, sequence) index and is decided again, or is
 * refused, and the rollback evicts the stale copy. A command that writes nothing never collides:
 * with several nodes, a copy cached on this node that predates what another node recorded would
 * be answered as if it were current, and nothing would ever correct it. Those commands are:
 * <ul>
 *   <li>{@link ReleasePaymentHold}: a node whose cached wallet predates a hold placed through another
 *       node would find "no such hold", write nothing and report success; the hold would never be
 *       released and the money would stay in payment clearing;</li>
 *   <li>{@link HoldPayouts}: a node whose cached merchant predates a release (or a hold) made through
 *       another node would answer "already held" (or "already released") and write nothing, so
 *       finance's hold would be silently lost and the next settlement would pay the merchant out
 *       (or its release ignored and the payouts left blocked);</li>
 *   <li>{@link InspectWallet} (reconciliation), which never writes at all.</li>
 * </ul>
 * Loading the aggregate from the store (its snapshot and the events after it) rules that out; these
 * commands are rare, so the extra load is cheap. A copy cached after this eviction comes from a
 * successful commit and is therefore current.
 */
final class FreshCopyForDecisionsThatMayWriteNothing implements MessageHandlerInterceptor<CommandMessage<?>> {

    private final Cache walletCache;
    private final Cache merchantCache;

    FreshCopyForDecisionsThatMayWriteNothing(Cache walletCache, Cache merchantCache) {
        this.walletCache = walletCache;
        this.merchantCache = merchantCache;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        switch (unitOfWork.getMessage().getPayload()) {
            case ReleasePaymentHold release -> walletCache.remove(release.walletId().value());
            case InspectWallet inspection -> walletCache.remove(inspection.walletId().value());
            case HoldPayouts hold -> merchantCache.remove(hold.merchantId().value());
            default -> {
            }
        }
        return chain.proceed();
    }
}
