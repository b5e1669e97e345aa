package com.hongbao.ledger.core.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hongbao.ledger.core.id.PacketId;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AesGcmSeedVaultTest {

    private static final byte[] KEY = new byte[AesGcmSeedVault.KEY_BYTES];
    private static final PacketId PACKET = new PacketId("rp_1");
    private static final String SEED = LuckySplit.newSeed();

    private final AesGcmSeedVault vault = new AesGcmSeedVault(KEY);

    @Test
    void a_sealed_seed_opens_for_its_packet_and_does_not_show_the_seed() {
        String sealed = vault.seal(PACKET, SEED);

        assertThat(sealed).startsWith("v1:").doesNotContain(SEED);
        assertThat(vault.open(PACKET, sealed)).isEqualTo(SEED);
        // A fresh nonce each time: the same seed never seals to the same text.
        assertThat(vault.seal(PACKET, SEED)).isNotEqualTo(sealed);
    }

    @Test
    void a_sealed_seed_does_not_open_for_another_packet_with_another_key_or_once_altered() {
        String sealed = vault.seal(PACKET, SEED);
        byte[] otherKey = KEY.clone();
        otherKey[0] = 1;
        byte[] bytes = Base64.getUrlDecoder().decode(sealed.substring(3));
        bytes[bytes.length - 1] ^= 1;
        String altered = "v1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

        assertThatThrownBy(() -> vault.open(new PacketId("rp_2"), sealed)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new AesGcmSeedVault(otherKey).open(PACKET, sealed))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> vault.open(PACKET, altered)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> vault.open(PACKET, SEED)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> vault.open(PACKET, "v1:AA")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void the_key_is_thirty_two_bytes() {
        assertThatThrownBy(() -> new AesGcmSeedVault(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }
}
