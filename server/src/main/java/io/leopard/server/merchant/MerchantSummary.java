package io.leopard.server.merchant;

import java.time.Instant;

/** A merchant as listed to an operator: no keys, ever. */
public record MerchantSummary(String mid, String name, boolean enabled, Instant createdAt) {
}
