package com.hongbao.ledger.core.id;

import java.util.Objects;

/** A red packet. */
public record PacketId(String value) {

    public PacketId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > 100 || !value.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("invalid PacketId: " + value);
        }
    }

    public static PacketId random() {
        return new PacketId("rp_" + java.util.UUID.randomUUID().toString().replace("-", ""));
    }

    @Override
    public String toString() {
        return value;
    }
}
