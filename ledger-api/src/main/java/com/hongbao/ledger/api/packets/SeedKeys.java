package com.hongbao.ledger.api.packets;

import com.hongbao.ledger.api.LedgerProperties;
import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.packet.AesGcmSeedVault;
import com.hongbao.ledger.core.packet.SeedVault;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The key that seals lucky packets' seeds in the event store ({@link SeedVault}). In production it
 * is configuration ({@code ledger.red-packets.seed-key}, base64 of 32 bytes), held apart from the
 * database, so reading the event store does not foretell an open packet's draws. With dev tokens on
 * (a demo or a test) and no key configured, the ledger makes one and keeps it in the database's
 * {@code dev_secret} table, so every node and restart opens the same seeds; without dev tokens a
 * missing key stops the start, and so does a key other than the one the database's packets are
 * sealed with.
 */
@Configuration
public class SeedKeys {

    static final String DEV_SECRET = "red-packet-seed-key";
    static final String KEY_CHECK = "red-packet-seed-key";
    private static final PacketId CHECK_PACKET = new PacketId("key-check");
    private static final String CHECK_TEXT = "the red-packet seed key of this ledger";

    @Bean
    SeedVault seedVault(LedgerProperties properties, JdbcTemplate jdbc) {
        return checked(vault(properties.redPackets().seedKey(), properties.devTokensEnabled(), jdbc), jdbc);
    }

    /**
     * The vault, if its key is the one this database's packets are sealed with: the first node
     * seals a known text into {@code key_check}; a node with another key (a typo, a rotation half
     * done) stops at its start instead of failing every lucky grab and leaving expired packets'
     * money in escrow.
     */
    static SeedVault checked(SeedVault vault, JdbcTemplate jdbc) {
        jdbc.update("INSERT INTO key_check (name, sealed) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", KEY_CHECK,
                vault.seal(CHECK_PACKET, CHECK_TEXT));
        String sealed = jdbc.queryForObject("SELECT sealed FROM key_check WHERE name = ?", String.class, KEY_CHECK);
        try {
            if (CHECK_TEXT.equals(vault.open(CHECK_PACKET, sealed))) {
                return vault;
            }
        } catch (IllegalStateException e) {
            // falls through to the refusal below
        }
        throw new IllegalStateException("the red-packet seed key (ledger.red-packets.seed-key) is not the key this"
                + " database's packets are sealed with (table key_check); start every node with the same key");
    }

    /** The vault of the configured key; without one, the dev key kept in the database, or a failed start. */
    static SeedVault vault(String configured, boolean devTokens, JdbcTemplate jdbc) {
        if (configured != null && !configured.isBlank()) {
            return new AesGcmSeedVault(decode(configured, "ledger.red-packets.seed-key"));
        }
        if (!devTokens) {
            throw new IllegalStateException("dev tokens are off, so ledger.red-packets.seed-key"
                    + " (LEDGER_RED_PACKETS_SEED_KEY) must give the key that seals lucky packets' seeds: base64 of "
                    + AesGcmSeedVault.KEY_BYTES + " random bytes, e.g. from `openssl rand -base64 32`");
        }
        byte[] fresh = new byte[AesGcmSeedVault.KEY_BYTES];
        new SecureRandom().nextBytes(fresh);
        // The first node to start keeps its key; every other node and restart reads that one.
        jdbc.update("INSERT INTO dev_secret (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", DEV_SECRET,
                Base64.getEncoder().encodeToString(fresh));
        String kept = jdbc.queryForObject("SELECT value FROM dev_secret WHERE name = ?", String.class, DEV_SECRET);
        return new AesGcmSeedVault(decode(kept, "the dev_secret table's " + DEV_SECRET));
    }

    private static byte[] decode(String base64, String source) {
        try {
            return Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " is not base64", e);
        }
    }
}
