package io.leopard.server.merchant;

import io.leopard.server.access.AccessPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A merchant as the query path needs it: keys already decrypted (decryption happens when the
 * directory loads, never per request). {@code toString} never shows a key.
 *
 * @param previousKey the key before the last rotation, valid until {@code previousKeyExpiresAt};
 *                    {@code null} when there is none
 * @param debug       whether {@code POST /query/diagnose} answers for it (sandbox and demo merchants)
 * @param replayWindow its replay protection's window (PROTOCOL.md 4.3); {@code null} when it has none
 */
public record Merchant(String mid, String name, boolean enabled, String key,
                       String previousKey, Instant previousKeyExpiresAt, AccessPolicy policy, boolean debug,
                       Duration replayWindow) {

    /** A merchant without replay protection. */
    public Merchant(String mid, String name, boolean enabled, String key, String previousKey, Instant previousKeyExpiresAt,
                    AccessPolicy policy, boolean debug) {
        this(mid, name, enabled, key, previousKey, previousKeyExpiresAt, policy, debug, null);
    }

    /** A merchant with the configured default limits and no address restriction, debug off. */
    public Merchant(String mid, String name, boolean enabled, String key, String previousKey, Instant previousKeyExpiresAt) {
        this(mid, name, enabled, key, previousKey, previousKeyExpiresAt, AccessPolicy.DEFAULT, false);
    }

    /** A merchant with debug off. */
    public Merchant(String mid, String name, boolean enabled, String key, String previousKey, Instant previousKeyExpiresAt,
                    AccessPolicy policy) {
        this(mid, name, enabled, key, previousKey, previousKeyExpiresAt, policy, false);
    }

    public Merchant {
        Objects.requireNonNull(mid, "mid");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(policy, "policy");
    }

    @Override
    public String toString() {
        return "Merchant[mid=" + mid + ", name=" + name + ", enabled=" + enabled + (debug ? ", debug" : "")
                + (replayWindow == null ? "" : ", replay window " + replayWindow.toSeconds() + " s") + "]";
    }
}
