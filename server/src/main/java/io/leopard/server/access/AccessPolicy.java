package io.leopard.server.access;

import java.net.InetAddress;
import java.util.List;

/**
 * A merchant's own limits, set with the CLI: a request rate overriding the configured default,
 * and the address blocks its requests may come from (none: from anywhere).
 *
 * @param ratePerSecond sustained requests per second, {@code null} for the configured default
 * @param rateBurst     bucket size, {@code null} for the configured default
 */
public record AccessPolicy(Integer ratePerSecond, Integer rateBurst, List<CidrRange> allowList) {
    public static final AccessPolicy DEFAULT = new AccessPolicy(null, null, List.of());

    public AccessPolicy {
        allowList = List.copyOf(allowList);
    }

    /** Whether a request from {@code address} may be answered. */
    public boolean allows(InetAddress address) {
        if (allowList.isEmpty()) {
            return true;
        }
        for (CidrRange range : allowList) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
