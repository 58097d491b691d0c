package io.leopard.server.order;

import java.time.Instant;

/**
 * An order with what the store keeps about it besides its fields.
 *
 * @param version   1 when created, one more for every change written since
 * @param createdAt when it was first stored; {@code null} for orders stored before versions were kept
 * @param updatedAt when it last changed; {@code null} likewise
 */
public record StoredOrder(Order order, long version, Instant createdAt, Instant updatedAt) {
}
