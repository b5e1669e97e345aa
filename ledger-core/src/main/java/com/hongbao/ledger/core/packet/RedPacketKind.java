package com.hongbao.ledger.core.packet;

/** The forms of red packet. The codes are stable API values. */
public enum RedPacketKind {
    /** To one person, a fixed amount; only that person can open it. */
    SINGLE("single"),
    /** To a group: N shares of the same fixed amount. */
    GROUP_FIXED("group_fixed"),
    /** To a group: a total split at random into N shares (the double-mean method, see {@link LuckySplit}). */
    GROUP_LUCKY("group_lucky"),
    /** Inside a group, a fixed amount only the named member can open. */
    EXCLUSIVE("exclusive"),
    /** Issued by a merchant's brand campaign to one user, out of the campaign's budget. */
    CAMPAIGN("campaign");

    private final String code;

    RedPacketKind(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** Whether the packet is sent to a group (its members are fixed when it is sent). */
    public boolean toGroup() {
        return this == GROUP_FIXED || this == GROUP_LUCKY || this == EXCLUSIVE;
    }

    /** Whether exactly one named person may open it. */
    public boolean toOnePerson() {
        return this == SINGLE || this == EXCLUSIVE || this == CAMPAIGN;
    }

    public static RedPacketKind fromCode(String code) {
        for (RedPacketKind kind : values()) {
            if (kind.code.equals(code)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown red packet kind: " + code);
    }
}
