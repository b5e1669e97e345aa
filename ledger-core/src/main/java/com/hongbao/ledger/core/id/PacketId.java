package com.hongbao.ledger.core.id;

/** A red packet. */
public record PacketId(String value) {

    public PacketId {
        Ids.requireValid(value, "PacketId");
    }

    public static PacketId random() {
        return new PacketId("rp_" + java.util.UUID.randomUUID().toString().replace("-", ""));
    }

    @Override
    public String toString() {
        return value;
    }
}
