package io.leopard.server.merchant;

import java.time.Instant;

/**
 * A merchant as listed to an operator: no keys, ever.
 *
 * @param notifyUrl where its notifications go, {@code null} when nowhere (a URL is not a secret)
 */
public record MerchantSummary(String mid, String name, boolean enabled, Instant createdAt, String notifyUrl) {
    public MerchantSummary(String mid, String name, boolean enabled, Instant createdAt) {
        this(mid, name, enabled, createdAt, null);
    }
}
