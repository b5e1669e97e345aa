package com.hongbao.ledger.api.directory;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.merchant.Merchant.MerchantOnboarded;
import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketSent;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentAuthorised;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentCaptured;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletOpened;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;

/**
 * Immutable facts read from the first event of an aggregate's stream: who owns a wallet, a
 * merchant's terms. Read from the event store itself (not a projection), so they are there the
 * moment the creating command has committed; cached, because creation facts never change.
 * Absent aggregates are not cached.
 */
public class AggregateFacts {

    private static final int MAX_CACHED = 200_000;

    private final EventStore eventStore;
    private final Map<String, Object> creationEvents = new ConcurrentHashMap<>();

    public AggregateFacts(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    public Optional<WalletOpened> wallet(WalletId walletId) {
        return creation(walletId.value(), WalletOpened.class);
    }

    /** The wallet if it exists and belongs to {@code caller}; otherwise not found, whichever it was. */
    public WalletOpened ownedWallet(WalletId walletId, UserId caller) {
        return wallet(walletId).filter(opened -> opened.owner().equals(caller))
                .orElseThrow(() -> new LedgerRejection("wallet_not_found", "no wallet " + walletId));
    }

    public Optional<MerchantOnboarded> merchant(MerchantId merchantId) {
        return creation(merchantId.value(), MerchantOnboarded.class);
    }

    /**
     * How a red packet was sent: its sender, kind, currency, members and expiry. Not kept here: a
     * packet's event can be large (its members), so callers keep what they need in a bounded cache.
     */
    public Optional<RedPacketSent> packet(PacketId packetId) {
        DomainEventStream events = eventStore.readEvents(packetId.value(), 0);
        if (!events.hasNext()) {
            return Optional.empty();
        }
        return events.next().getPayload() instanceof RedPacketSent sent ? Optional.of(sent) : Optional.empty();
    }

    /** How a payment was authorised (its first event): who paid whom. */
    public Optional<PaymentAuthorised> payment(PaymentId paymentId) {
        return creation(paymentId.value(), PaymentAuthorised.class);
    }

    /** The payment's capture, once it is captured (a payment is captured at most once). */
    public Optional<PaymentCaptured> capture(PaymentId paymentId) {
        String key = "capture:" + paymentId.value();
        Object cached = creationEvents.get(key);
        if (cached instanceof PaymentCaptured capture) {
            return Optional.of(capture);
        }
        DomainEventStream events = eventStore.readEvents(paymentId.value(), 0);
        while (events.hasNext()) {
            if (events.next().getPayload() instanceof PaymentCaptured capture) {
                remember(key, capture);
                return Optional.of(capture);
            }
        }
        return Optional.empty();
    }

    private void remember(String key, Object fact) {
        if (creationEvents.size() >= MAX_CACHED) {
            creationEvents.clear();
        }
        creationEvents.put(key, fact);
    }

    private <T> Optional<T> creation(String aggregateId, Class<T> type) {
        Object cached = creationEvents.get(aggregateId);
        if (type.isInstance(cached)) {
            return Optional.of(type.cast(cached));
        }
        DomainEventStream events = eventStore.readEvents(aggregateId, 0);
        if (!events.hasNext()) {
            return Optional.empty();
        }
        Object payload = events.next().getPayload();
        if (!type.isInstance(payload)) {
            return Optional.empty();
        }
        remember(aggregateId, payload);
        return Optional.of(type.cast(payload));
    }
}
