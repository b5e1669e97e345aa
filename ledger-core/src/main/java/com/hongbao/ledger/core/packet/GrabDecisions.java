package com.hongbao.ledger.core.packet;

import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.money.Money;
import java.util.List;
import java.util.Map;

/**
 * What one {@link RedPacketCommand.GrabRedPacket} came to: each attempt's outcome, in the order
 * given, and whether the packet now takes no more shares. Once it does ({@code closedAs} is
 * {@code packet_emptied} when every share is taken, {@code packet_expired} once the packet's
 * expiry event is recorded), {@code shares} holds every share the packet gave, to whom: that can
 * no longer change, so a node may answer later grabs from it without the aggregate — a winner
 * with their share, everyone else with the refusal — whichever node decided the shares. Past the
 * expiry instant but before the expiry event the packet is still open here: a grab stamped
 * earlier (by a node whose clock is behind) may yet take a share. While the packet is open,
 * {@code closedAs} is null and {@code shares} empty.
 */
public record GrabDecisions(List<GrabOutcome> outcomes, String closedAs, Map<UserId, Money> shares) {

    public GrabDecisions {
        outcomes = List.copyOf(outcomes);
        shares = Map.copyOf(shares);
        if (closedAs == null && !shares.isEmpty()) {
            throw new IllegalArgumentException("an open packet's shares are not final");
        }
    }

    public static GrabDecisions open(List<GrabOutcome> outcomes) {
        return new GrabDecisions(outcomes, null, Map.of());
    }

    public static GrabDecisions closed(List<GrabOutcome> outcomes, String closedAs, Map<UserId, Money> shares) {
        if (closedAs == null) {
            throw new IllegalArgumentException("a closed packet says how it closed");
        }
        return new GrabDecisions(outcomes, closedAs, shares);
    }

    public boolean packetClosed() {
        return closedAs != null;
    }
}
