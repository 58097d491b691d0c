package io.leopard.server.merchant;

import io.leopard.server.store.Database;

/** Wires the merchant pieces from their settings: master key, cipher, store, cache. */
public final class Merchants {
    private Merchants() {
    }

    /**
     * The store, with keys encrypted under the configured master key and decrypted with it or, during
     * a rotation, with {@code master-key-previous}.
     */
    public static MerchantStore store(KeySettings settings, Database database) {
        return store(settings, database, MerchantChanges.NONE);
    }

    /** As {@link #store(KeySettings, Database)}, telling {@code changes} of each change it commits. */
    public static MerchantStore store(KeySettings settings, Database database, MerchantChanges changes) {
        return new MerchantStore(database, KeyCipher.of(settings), java.time.Clock.systemUTC(), changes);
    }

    /** The in-memory directory the query path reads, refreshed every {@code merchant-refresh}. */
    public static MerchantDirectory directory(KeySettings settings, Database database) {
        return MerchantDirectory.start(store(settings, database), settings.merchantRefresh());
    }
}
