package io.leopard.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {
    private static InetAddress ip(String literal) {
        return CidrRange.literal(literal);
    }

    @Test
    void withoutAnAllowListEveryAddressIsAllowed() {
        assertThat(AccessPolicy.DEFAULT.allows(ip("203.0.113.7"))).isTrue();
        assertThat(AccessPolicy.DEFAULT.allows(ip("2001:db8::1"))).isTrue();
    }

    @Test
    void anAllowListAdmitsOnlyItsBlocks() {
        AccessPolicy policy = new AccessPolicy(null, null, CidrRange.parseList("203.0.113.0/24,2001:db8::/32"));
        assertThat(policy.allows(ip("203.0.113.0"))).isTrue();
        assertThat(policy.allows(ip("203.0.113.255"))).isTrue();
        assertThat(policy.allows(ip("2001:db8:ffff::9"))).as("second block").isTrue();
        assertThat(policy.allows(ip("203.0.114.1"))).isFalse();
        assertThat(policy.allows(ip("198.51.100.7"))).isFalse();
        assertThat(policy.allows(ip("2001:db9::1"))).isFalse();
        assertThat(policy.allows(ip("127.0.0.1"))).as("loopback is not special").isFalse();
    }

    @Test
    void aSingleAddressAdmitsThatAddressOnly() {
        AccessPolicy policy = new AccessPolicy(5, 10, CidrRange.parseList("198.51.100.7"));
        assertThat(policy.allows(ip("198.51.100.7"))).isTrue();
        assertThat(policy.allows(ip("198.51.100.6"))).isFalse();
        assertThat(policy.allows(ip("198.51.100.8"))).isFalse();
    }

    @Test
    void theAllowListIsCopiedSoLaterChangesToTheListDoNotReachIt() {
        List<CidrRange> ranges = new ArrayList<>(CidrRange.parseList("10.0.0.0/8"));
        AccessPolicy policy = new AccessPolicy(null, null, ranges);
        ranges.clear();
        assertThat(policy.allows(ip("192.0.2.1"))).isFalse();
        assertThat(policy.allowList()).hasSize(1);
    }
}
