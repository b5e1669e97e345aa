package com.hongbao.ledger.api.packets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hongbao.ledger.api.support.ApiTest;
import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.packet.AesGcmSeedVault;
import com.hongbao.ledger.core.packet.LuckySplit;
import com.hongbao.ledger.core.packet.SeedVault;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SeedKeysTest extends ApiTest {

    private static final PacketId PACKET = new PacketId("rp_seed_keys");
    private static final String SEED = LuckySplit.newSeed();

    @Test
    void a_configured_key_seals_what_a_vault_of_the_same_key_opens() {
        byte[] key = new byte[AesGcmSeedVault.KEY_BYTES];
        key[7] = 42;
        SeedVault configured = SeedKeys.vault(Base64.getEncoder().encodeToString(key), false, jdbc);

        assertThat(new AesGcmSeedVault(key).open(PACKET, configured.seal(PACKET, SEED))).isEqualTo(SEED);
    }

    @Test
    void without_dev_tokens_a_missing_or_malformed_key_stops_the_start() {
        assertThatThrownBy(() -> SeedKeys.vault("", false, jdbc)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("LEDGER_RED_PACKETS_SEED_KEY");
        assertThatThrownBy(() -> SeedKeys.vault("not base64!", false, jdbc)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SeedKeys.vault(Base64.getEncoder().encodeToString(new byte[16]), false, jdbc))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_node_with_another_key_than_the_databases_packets_were_sealed_with_does_not_start() {
        SeedVault kept = SeedKeys.vault(null, true, jdbc);
        byte[] other = new byte[AesGcmSeedVault.KEY_BYTES];
        other[0] = 9;

        assertThat(SeedKeys.checked(kept, jdbc)).isSameAs(kept);
        assertThatThrownBy(() -> SeedKeys.checked(new AesGcmSeedVault(other), jdbc))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("key_check");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM key_check", Long.class)).isEqualTo(1);
    }

    @Test
    void with_dev_tokens_every_node_and_restart_on_the_database_uses_the_one_kept_key() {
        SeedVault running = SeedKeys.vault(null, true, jdbc);
        SeedVault restarted = SeedKeys.vault("", true, jdbc);

        assertThat(restarted.open(PACKET, running.seal(PACKET, SEED))).isEqualTo(SEED);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM dev_secret WHERE name = ?", Long.class,
                SeedKeys.DEV_SECRET)).isEqualTo(1);
    }
}
