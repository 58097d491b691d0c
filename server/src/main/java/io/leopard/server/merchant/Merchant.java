package io.leopard.server.merchant;

import io.leopard.server.access.AccessPolicy;
import java.time.Instant;
import java.util.Objects;

/**
 * A merchant as the query path needs it: keys already decrypted (decryption happens when the
 * directory loads, never per request). {@code toString} never shows a key.
 *
 * @param previousKey the key before the last rotation, valid until {@code previousKeyExpiresAt};
 *                    {@code null} when there is none
 */
public record Merchant(String mid, String name, boolean enabled, String key,
                       String previousKey, Instant previousKeyExpiresAt, AccessPolicy policy) {

    /** A merchant with the configured default limits and no address restriction. */
    public Merchant(String mid, String name, boolean enabled, String key, String previousKey, Instant previousKeyExpiresAt) {
        this(mid, name, enabled, key, previousKey, previousKeyExpiresAt, AccessPolicy.DEFAULT);
    }

    public Merchant {
        Objects.requireNonNull(mid, "mid");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(policy, "policy");
    }

    @Override
    public String toString() {
        return "Merchant[mid=" + mid + ", name=" + name + ", enabled=" + enabled + "]";
    }
}
