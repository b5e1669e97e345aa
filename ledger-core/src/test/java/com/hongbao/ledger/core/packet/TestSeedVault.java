package com.hongbao.ledger.core.packet;

import com.hongbao.ledger.core.id.PacketId;

/**
 * A vault for aggregate tests: sealing is plain, reversible text, so expected events can be
 * written out. {@link AesGcmSeedVaultTest} covers the real one.
 */
public final class TestSeedVault implements SeedVault {

    public static final TestSeedVault INSTANCE = new TestSeedVault();

    private TestSeedVault() {
    }

    @Override
    public String seal(PacketId packet, String seed) {
        return prefix(packet) + seed;
    }

    @Override
    public String open(PacketId packet, String sealed) {
        if (!sealed.startsWith(prefix(packet))) {
            throw new IllegalStateException("not sealed for " + packet);
        }
        return sealed.substring(prefix(packet).length());
    }

    private static String prefix(PacketId packet) {
        return "sealed-for-" + packet.value() + ":";
    }
}
