package io.leopard.server.access;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * Who is asking. The direct peer, unless it is a trusted proxy: then the right-most address of
 * {@code X-Forwarded-For} that is not itself a trusted proxy (the left part of that header is
 * whatever the client wrote and proves nothing).
 */
public final class ClientAddresses {
    private final List<CidrRange> trustedProxies;

    public ClientAddresses(List<CidrRange> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    public InetAddress resolve(SocketAddress peer, List<String> forwardedFor) {
        InetAddress direct = direct(peer);
        if (trustedProxies.isEmpty() || !isTrusted(direct) || forwardedFor.isEmpty()) {
            return direct;
        }
        InetAddress client = direct;
        for (int h = forwardedFor.size() - 1; h >= 0; h--) {
            String[] hops = forwardedFor.get(h).split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                InetAddress hop = CidrRange.literal(hops[i]);
                if (hop == null) {
                    return client; // garbage in the header: stop at the last address we could trust
                }
                client = hop;
                if (!isTrusted(hop)) {
                    return hop;
                }
            }
        }
        return client;
    }

    /**
     * The peer's address; an unresolved one whose host is an IP literal is that address (no name
     * is ever looked up), anything else the loopback address.
     */
    private static InetAddress direct(SocketAddress peer) {
        if (peer instanceof InetSocketAddress isa) {
            if (isa.getAddress() != null) {
                return isa.getAddress();
            }
            InetAddress literal = CidrRange.literal(isa.getHostString());
            if (literal != null) {
                return literal;
            }
        }
        return InetAddress.getLoopbackAddress();
    }

    /** Whether {@code address} is one of the trusted proxies. */
    public boolean isTrusted(InetAddress address) {
        for (CidrRange range : trustedProxies) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
