package io.leopard.server.merchant;

import io.leopard.server.problem.ConfigException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts merchant keys at rest with AES-256-GCM. Each encryption has a fresh random 12-byte IV;
 * the merchant's mid is the additional authenticated data, so a ciphertext copied to another
 * merchant's row fails to decrypt. Stored form: {@code v1:<masterKeyId>:<base64(iv | ciphertext+tag)>};
 * the version and key id tell which master key a row needs. During a master-key rotation the cipher
 * also holds the previous master key: it decrypts rows whose key id names it, and never encrypts
 * with it (see {@link io.leopard.server.rotation.MasterKeyRotation}).
 */
public final class KeyCipher {
    private static final String VERSION = "v1";
    private static final int IV_LENGTH = 12;
    private static final int TAG_BITS = 128;

    private final MasterKey masterKey;
    private final MasterKey previous;
    private final SecureRandom random = new SecureRandom();

    /** Encrypts and decrypts with {@code masterKey} only. */
    public KeyCipher(MasterKey masterKey) {
        this(masterKey, null);
    }

    /**
     * Encrypts with {@code masterKey}; decrypts with it or, for rows that name it, with
     * {@code previous} ({@code null} when no rotation is under way).
     */
    public KeyCipher(MasterKey masterKey, MasterKey previous) {
        this.masterKey = Objects.requireNonNull(masterKey, "masterKey");
        this.previous = previous;
    }

    /** The cipher the settings name: {@code master-key} (or its file) and {@code master-key-previous}. */
    public static KeyCipher of(KeySettings settings) {
        MasterKey current = MasterKey.resolve(settings);
        MasterKey previous = MasterKey.previous(settings);
        if (previous != null && previous.id().equals(current.id())) {
            throw new ConfigException("master-key-previous is the same key as the master key (id " + current.id()
                    + "): during a rotation it must be the old key, afterwards leave it unset");
        }
        return new KeyCipher(current, previous);
    }

    /** The id of the master key every encryption uses. */
    public String currentKeyId() {
        return masterKey.id();
    }

    /** The master key id a stored value names, or {@code null} when it is not in the stored form. */
    public static String keyIdOf(String stored) {
        String[] parts = stored == null ? new String[0] : stored.split(":", -1);
        return parts.length == 3 && VERSION.equals(parts[0]) ? parts[1] : null;
    }

    /** The stored form of {@code key} for merchant {@code mid}. */
    public String encrypt(String mid, String key) {
        byte[] iv = new byte[IV_LENGTH];
        random.nextBytes(iv);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, masterKey, iv, mid);
            byte[] sealed = cipher.doFinal(key.getBytes(StandardCharsets.UTF_8));
            byte[] out = Arrays.copyOf(iv, IV_LENGTH + sealed.length);
            System.arraycopy(sealed, 0, out, IV_LENGTH, sealed.length);
            return VERSION + ":" + masterKey.id() + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed for merchant " + mid, e);
        }
    }

    /**
     * The key stored as {@code stored} for merchant {@code mid}.
     *
     * @throws KeyCipherException when it cannot be decrypted; the message names the merchant and the
     *                            reason, never any key
     */
    public String decrypt(String mid, String stored) {
        String[] parts = stored == null ? new String[0] : stored.split(":", -1);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new KeyCipherException("the stored key of merchant " + mid + " is not in the v1:<keyId>:<data> form");
        }
        MasterKey key = keyFor(parts[1]);
        if (key == null) {
            throw new KeyCipherException("the key of merchant " + mid + " was encrypted with master key "
                    + parts[1] + " but the configured master key is " + masterKey.id()
                    + (previous == null ? "" : " and the previous one " + previous.id()));
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new KeyCipherException("the stored key of merchant " + mid + " is not valid base64");
        }
        if (data.length < IV_LENGTH + TAG_BITS / 8) {
            throw new KeyCipherException("the stored key of merchant " + mid + " is too short");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(data, IV_LENGTH), mid);
            byte[] plain = cipher.doFinal(data, IV_LENGTH, data.length - IV_LENGTH);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new KeyCipherException("the stored key of merchant " + mid
                    + " fails authentication: altered, or encrypted for another merchant");
        }
    }

    private MasterKey keyFor(String id) {
        if (id.equals(masterKey.id())) {
            return masterKey;
        }
        return previous != null && id.equals(previous.id()) ? previous : null;
    }

    private static Cipher cipher(int mode, MasterKey key, byte[] iv, String mid) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key.secretKey(), new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(mid.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
