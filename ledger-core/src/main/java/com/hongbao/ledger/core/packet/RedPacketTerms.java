package com.hongbao.ledger.core.packet;

import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.packet.RedPacketRejection.InvalidPacket;
import com.hongbao.ledger.core.wallet.WalletCommand.SendRedPacket;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The validated terms of a packet about to be sent: its total, its shares and who may open it.
 * Every rule of the limits is checked here, before the sender's wallet is touched, so a refused
 * packet changes nothing.
 *
 * @param shareAmount the amount of each share for the fixed kinds; null for a lucky packet
 * @param members the group, in the order given, without repeats; empty for a single packet
 */
public record RedPacketTerms(RedPacketKind kind, Money total, int shares, Money shareAmount, List<UserId> members,
                             UserId recipient, String greeting) {

    public static final int MAX_GREETING_LENGTH = 100;

    public static RedPacketTerms of(UserId sender, SendRedPacket command) {
        PacketLimits limits = command.limits();
        RedPacketKind kind = command.kind();
        if (kind == RedPacketKind.CAMPAIGN) {
            throw new InvalidPacket("invalid_request", "campaign packets are issued by a merchant's campaign");
        }
        Money amount = command.amount();
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("packet amounts are validated positive at the edge: " + amount);
        }
        String greeting = command.greeting() == null ? "" : command.greeting();
        if (greeting.length() > MAX_GREETING_LENGTH) {
            throw new InvalidPacket("greeting_too_long", "a greeting has at most " + MAX_GREETING_LENGTH + " characters");
        }
        List<UserId> members = List.copyOf(new LinkedHashSet<>(command.members() == null ? List.of() : command.members()));
        int shares = command.shares();
        if (kind.toOnePerson() && shares != 1) {
            throw new InvalidPacket("invalid_share_count", "a " + kind.code() + " packet has exactly one share");
        }
        if (shares < 1 || shares > limits.maxShares()) {
            throw new InvalidPacket("invalid_share_count", "a packet has 1 to " + limits.maxShares() + " shares, not " + shares);
        }
        if (kind.toGroup()) {
            if (members.isEmpty()) {
                throw new InvalidPacket("members_required", "a group packet names the members of the group");
            }
            if (members.size() > limits.maxGroupSize()) {
                throw new InvalidPacket("group_too_large", "a group has at most " + limits.maxGroupSize() + " members");
            }
            if (shares > members.size()) {
                throw new InvalidPacket("shares_exceed_group_size",
                        shares + " shares for a group of " + members.size() + " members");
            }
        } else if (!members.isEmpty()) {
            throw new InvalidPacket("members_not_allowed", "a single packet names its recipient, not a group");
        }
        UserId recipient = command.recipient();
        if (kind.toOnePerson()) {
            if (recipient == null) {
                throw new InvalidPacket("recipient_required", "a " + kind.code() + " packet names its recipient");
            }
            if (recipient.equals(sender)) {
                throw new InvalidPacket("recipient_is_sender", "a packet cannot be sent to oneself");
            }
            if (kind == RedPacketKind.EXCLUSIVE && !members.contains(recipient)) {
                throw new InvalidPacket("recipient_not_in_group", "the recipient of an exclusive packet is a member of the group");
            }
        } else if (recipient != null) {
            throw new InvalidPacket("recipient_not_allowed", "only single and exclusive packets name a recipient");
        }
        Money min = Money.of(limits.minShareMinor(), amount.currency());
        Money max = Money.of(limits.maxShareMinor(), amount.currency());
        Money total;
        Money shareAmount;
        if (kind == RedPacketKind.GROUP_LUCKY) {
            if (!LuckySplit.isValidSeed(command.seed())) {
                throw new IllegalArgumentException("a lucky packet needs a seed drawn by the sender's node");
            }
            // Every share is at least the minimum and at most the maximum, so the total must lie between.
            if (amount.minor() < Math.multiplyExact(limits.minShareMinor(), (long) shares)) {
                throw new InvalidPacket("share_below_minimum",
                        amount + " cannot be split into " + shares + " shares of at least " + min);
            }
            if (amount.minor() > Math.multiplyExact(limits.maxShareMinor(), (long) shares)) {
                throw new InvalidPacket("share_above_maximum",
                        amount + " in " + shares + " shares would put more than " + max + " in a share");
            }
            total = amount;
            shareAmount = null;
        } else {
            if (command.seed() != null) {
                throw new IllegalArgumentException("only lucky packets are drawn from a seed");
            }
            if (amount.minor() < limits.minShareMinor()) {
                throw new InvalidPacket("share_below_minimum", "each share is at least " + min);
            }
            if (amount.minor() > limits.maxShareMinor()) {
                throw new InvalidPacket("share_above_maximum", "each share is at most " + max);
            }
            // At most maxShares × maxShare, far below overflow; multiplyExact documents that it cannot.
            total = Money.of(Math.multiplyExact(amount.minor(), (long) shares), amount.currency());
            shareAmount = amount;
        }
        return new RedPacketTerms(kind, total, shares, shareAmount, members, recipient, greeting);
    }
}
