package com.hongbao.ledger.core.packet;

import com.hongbao.ledger.core.id.PacketId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A {@link SeedVault} with AES-256-GCM: {@code v1:} and the base64url of a random 12-byte nonce
 * followed by the ciphertext and its 16-byte tag. The packet id is authenticated with it, so a
 * sealed seed copied onto another packet does not open.
 */
public final class AesGcmSeedVault implements SeedVault {

    public static final int KEY_BYTES = 32;
    private static final String PREFIX = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public AesGcmSeedVault(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the seed key is " + KEY_BYTES + " bytes (AES-256), not " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    @Override
    public String seal(PacketId packet, String seed) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, packet, nonce, seed.getBytes(StandardCharsets.UTF_8));
        byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
        System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    @Override
    public String open(PacketId packet, String sealed) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new IllegalStateException("the seed of packet " + packet + " is not sealed in a form this vault knows");
        }
        byte[] in;
        try {
            in = Base64.getUrlDecoder().decode(sealed.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the sealed seed of packet " + packet + " is not base64url", e);
        }
        if (in.length <= NONCE_BYTES) {
            throw new IllegalStateException("the sealed seed of packet " + packet + " is too short");
        }
        byte[] plain = crypt(Cipher.DECRYPT_MODE, packet, Arrays.copyOf(in, NONCE_BYTES),
                Arrays.copyOfRange(in, NONCE_BYTES, in.length));
        return new String(plain, StandardCharsets.UTF_8);
    }

    private byte[] crypt(int mode, PacketId packet, byte[] nonce, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(packet.value().getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalStateException("the seed of packet " + packet + " was not sealed for it with this key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required by the Java platform", e);
        }
    }
}
