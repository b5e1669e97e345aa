package com.hongbao.ledger.api.config;

import com.hongbao.ledger.core.wallet.WalletCommand.InspectWallet;
import com.hongbao.ledger.core.wallet.WalletCommand.ReleasePaymentHold;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.common.caching.Cache;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Drops the wallet from this node's cache before a {@link ReleasePaymentHold} is decided, so the
 * release sees the wallet as the event store has it.
 *
 * <p>A release is the one wallet command that may decide to write nothing (the hold is already
 * settled). Every other command on a stale cached wallet either writes, and then collides with
 * the newer events on the store's unique (aggregate, sequence) index, or is refused, and the
 * rollback evicts the stale copy. But with several nodes, a node whose cached wallet predates a
 * hold placed through another node would find "no such hold", write nothing and report success:
 * the hold would never be released and the money would stay in payment clearing. Loading the
 * wallet from the store (its snapshot and the events after it) rules that out; releases happen once
 * per two-phase payment, so the extra load is cheap. A copy cached after this eviction comes from a
 * successful commit and is therefore current.
 *
 * <p>{@link InspectWallet} (reconciliation) never writes at all, so it too reads the wallet from the
 * store: a copy cached on this node may predate what another node has since recorded.
 */
final class FreshWalletForHoldRelease implements MessageHandlerInterceptor<CommandMessage<?>> {

    private final Cache walletCache;

    FreshWalletForHoldRelease(Cache walletCache) {
        this.walletCache = walletCache;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        switch (unitOfWork.getMessage().getPayload()) {
            case ReleasePaymentHold release -> walletCache.remove(release.walletId().value());
            case InspectWallet inspection -> walletCache.remove(inspection.walletId().value());
            default -> {
            }
        }
        return chain.proceed();
    }
}
