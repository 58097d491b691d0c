package io.leopard.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {
    private static final InetSocketAddress PROXY = new InetSocketAddress(CidrRange.literal("10.0.0.5"), 443);
    private static final InetSocketAddress STRANGER = new InetSocketAddress(CidrRange.literal("198.51.100.9"), 443);
    private final ClientAddresses trusting = new ClientAddresses(CidrRange.parseList("10.0.0.0/8"));

    private static InetAddress ip(String s) {
        return CidrRange.literal(s);
    }

    @Test
    void forwardedForIsBelievedOnlyFromTrustedProxies() {
        assertThat(trusting.resolve(PROXY, List.of("203.0.113.7"))).isEqualTo(ip("203.0.113.7"));
        assertThat(trusting.resolve(STRANGER, List.of("203.0.113.7"))).isEqualTo(ip("198.51.100.9"));
        assertThat(new ClientAddresses(List.of()).resolve(PROXY, List.of("203.0.113.7"))).isEqualTo(ip("10.0.0.5"));
        assertThat(trusting.resolve(PROXY, List.of())).isEqualTo(ip("10.0.0.5"));
    }

    @Test
    void theRightMostUntrustedHopWins() {
        // the client wrote the left part itself; the proxies appended the rest
        assertThat(trusting.resolve(PROXY, List.of("1.1.1.1, 203.0.113.7, 10.0.0.9"))).isEqualTo(ip("203.0.113.7"));
        assertThat(trusting.resolve(PROXY, List.of("1.1.1.1", "203.0.113.7"))).isEqualTo(ip("203.0.113.7"));
        assertThat(trusting.resolve(PROXY, List.of("2001:db8::7"))).isEqualTo(ip("2001:db8::7"));
    }

    @Test
    void whenEveryHopIsATrustedProxyTheLeftMostIsTheClient() {
        assertThat(trusting.resolve(PROXY, List.of("10.0.0.9"))).isEqualTo(ip("10.0.0.9"));
        assertThat(trusting.resolve(PROXY, List.of("10.0.0.8, 10.0.0.9"))).isEqualTo(ip("10.0.0.8"));
    }

    @Test
    void garbageStopsAtTheLastTrustedAddress() {
        assertThat(trusting.resolve(PROXY, List.of("evil.example.com"))).isEqualTo(ip("10.0.0.5"));
        assertThat(trusting.resolve(PROXY, List.of("203.0.113.7, <script>"))).isEqualTo(ip("10.0.0.5"));
        assertThat(trusting.resolve(PROXY, List.of("203.0.113.7, unknown, 10.0.0.9"))).isEqualTo(ip("10.0.0.9"));
    }

    @Test
    void anUnresolvedPeerIsItsAddressWhenItsHostIsALiteralAndNoNameIsEverLookedUp() throws Exception {
        ClientAddresses none = new ClientAddresses(List.of());
        assertThat(none.resolve(InetSocketAddress.createUnresolved("203.0.113.7", 4000), List.of())).isEqualTo(ip("203.0.113.7"));
        assertThat(none.resolve(InetSocketAddress.createUnresolved("2001:db8::7", 4000), List.of())).isEqualTo(ip("2001:db8::7"));
        assertThat(none.resolve(InetSocketAddress.createUnresolved("shop.example", 4000), List.of()))
                .as("a name is not resolved").isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(none.resolve(null, List.of())).isEqualTo(InetAddress.getLoopbackAddress());
        // a resolved peer is its address, whatever name it carries
        InetSocketAddress named = new InetSocketAddress(InetAddress.getByAddress("proxy.example", new byte[] {10, 0, 0, 5}), 4000);
        assertThat(none.resolve(named, List.of())).isEqualTo(ip("10.0.0.5"));
        assertThat(trusting.resolve(named, List.of("203.0.113.9"))).as("and trusted as that address").isEqualTo(ip("203.0.113.9"));
    }
}
