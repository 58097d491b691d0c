package io.leopard.server.notify;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Keeps notifications from being aimed at the platform's own network (server-side request
 * forgery): a notify URL whose host resolves to a loopback, private, link-local (the cloud metadata
 * address 169.254.169.254 among them), shared (100.64/10), multicast or unspecified address is
 * refused, checked at every delivery after DNS resolution, for every address the name has. Only
 * {@code notify.allow-private-networks} (the demo) lets them through.
 *
 * <p>What remains: a name that resolves differently between this check and the connection (DNS
 * rebinding within the resolver's cache time). The JDK caches successful lookups for 30 s by
 * default, and the connection follows the check at once.
 */
final class AddressGuard {
    private final boolean allowPrivate;

    AddressGuard(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** Why {@code url} may not be called, {@code null} when it may. */
    String refusal(URI url) {
        String host = url.getHost();
        if (host == null) {
            return "the URL has no host";
        }
        if (allowPrivate) {
            return null;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            return "the host " + host + " does not resolve";
        }
        for (InetAddress a : addresses) {
            if (isInternal(a)) {
                return "the host " + host + " resolves to " + a.getHostAddress()
                        + ", an internal address (notify.allow-private-networks is off)";
            }
        }
        return null;
    }

    static boolean isInternal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xFF;
            int second = b[1] & 0xFF;
            return first == 0 || (first == 100 && second >= 64 && second < 128) // 0/8, shared 100.64/10
                    || (first == 192 && second == 0 && (b[2] & 0xFF) == 0)      // 192.0.0/24 (IETF)
                    || (first == 198 && (second == 18 || second == 19))           // 198.18/15 benchmarking
                    || first >= 240;                                              // reserved, broadcast
        }
        if (a instanceof Inet6Address) {
            int first = b[0] & 0xFF;
            if ((first & 0xFE) == 0xFC) {
                return true; // unique local fc00::/7
            }
            boolean v4Mapped = true;
            for (int i = 0; i < 10; i++) {
                v4Mapped &= b[i] == 0;
            }
            if (v4Mapped && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) {
                try {
                    return isInternal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException impossible) {
                    return true;
                }
            }
        }
        return false;
    }
}
