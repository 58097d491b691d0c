package io.leopard.server.merchant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.server.demo.DemoFixture;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class KeyCipherTest {
    private static final String MID = DemoFixture.MID;
    private static final String KEY = "ddbax6n4cg8qj958ytt6";
    private final MasterKey master = MasterKey.random();
    private final KeyCipher cipher = new KeyCipher(master);

    @Test
    void roundTripsAndUsesAFreshIvEachTime() {
        String a = cipher.encrypt(MID, KEY);
        String b = cipher.encrypt(MID, KEY);
        assertThat(a).startsWith("v1:" + master.id() + ":").doesNotContain(KEY).isNotEqualTo(b);
        assertThat(master.id()).matches("[0-9a-f]{8}");
        assertThat(cipher.decrypt(MID, a)).isEqualTo(KEY);
        assertThat(cipher.decrypt(MID, b)).isEqualTo(KEY);
    }

    @Test
    void rejectsTamperedData() {
        String stored = cipher.encrypt(MID, KEY);
        String data = stored.substring(stored.lastIndexOf(':') + 1);
        byte[] bytes = Base64.getDecoder().decode(data);
        bytes[bytes.length - 1] ^= 1;
        String tampered = stored.substring(0, stored.lastIndexOf(':') + 1) + Base64.getEncoder().encodeToString(bytes);
        assertThatThrownBy(() -> cipher.decrypt(MID, tampered))
                .isInstanceOf(KeyCipherException.class).hasMessageContaining("fails authentication")
                .message().doesNotContain(KEY);
        assertThatThrownBy(() -> cipher.decrypt(MID, "v1:" + master.id() + ":!!")).isInstanceOf(KeyCipherException.class);
        assertThatThrownBy(() -> cipher.decrypt(MID, "v2:x:y")).isInstanceOf(KeyCipherException.class);
        assertThatThrownBy(() -> cipher.decrypt(MID, "v1:" + master.id() + ":AAAA")).isInstanceOf(KeyCipherException.class);
    }

    @Test
    void aCiphertextCannotMoveToAnotherMerchant() {
        String stored = cipher.encrypt(MID, KEY);
        assertThatThrownBy(() -> cipher.decrypt(DemoFixture.OTHER_MID, stored))
                .isInstanceOf(KeyCipherException.class).hasMessageContaining("another merchant");
    }

    @Test
    void anotherMasterKeyIsToldApartByItsId() {
        String stored = cipher.encrypt(MID, KEY);
        MasterKey other = MasterKey.random();
        assertThatThrownBy(() -> new KeyCipher(other).decrypt(MID, stored))
                .isInstanceOf(KeyCipherException.class)
                .hasMessageContaining(master.id()).hasMessageContaining(other.id())
                .message().doesNotContain(KEY);
        // same id but different bytes cannot happen in practice; forge it to check GCM still refuses
        String forged = stored.replace(master.id(), other.id());
        assertThatThrownBy(() -> new KeyCipher(other).decrypt(MID, forged)).isInstanceOf(KeyCipherException.class);
    }

    @Test
    void generatedKeysHaveTheDocumentedShape() {
        String k = MerchantKeys.generate();
        assertThat(k).matches("[a-z0-9]{20}").isNotEqualTo(MerchantKeys.generate());
        assertThat(MerchantKeys.isValid(k)).isTrue();
        assertThat(MerchantKeys.isValid("short")).isFalse();
        assertThat(MerchantKeys.isValid("has space in it")).isFalse();
        assertThat(MerchantKeys.isValid("x".repeat(65))).isFalse();
        assertThat(MerchantKeys.isValid("ключключключ")).isFalse();
    }
}
