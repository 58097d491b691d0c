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
        InetAddress direct = peer instanceof InetSocketAddress isa && isa.getAddress() != null
                ? isa.getAddress() : InetAddress.getLoopbackAddress();
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
