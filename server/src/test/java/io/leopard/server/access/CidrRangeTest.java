package io.leopard.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrRangeTest {

    private static InetAddress ip(String s) {
        return CidrRange.literal(s);
    }

    @Test
    void ipv4Blocks() {
        CidrRange r = CidrRange.parse("203.0.113.0/24");
        assertThat(r.contains(ip("203.0.113.7"))).isTrue();
        assertThat(r.contains(ip("203.0.114.7"))).isFalse();
        assertThat(r.contains(ip("2001:db8::1"))).isFalse();
        assertThat(CidrRange.parse("10.1.2.3").contains(ip("10.1.2.3"))).isTrue();
        assertThat(CidrRange.parse("10.1.2.3").contains(ip("10.1.2.4"))).isFalse();
        assertThat(CidrRange.parse("0.0.0.0/0").contains(ip("8.8.8.8"))).isTrue();
        assertThat(CidrRange.parse("10.1.2.3/8")).isEqualTo(CidrRange.parse("10.0.0.0/8"));
        assertThat(CidrRange.parse("10.1.2.3/8").toString()).isEqualTo("10.0.0.0/8");
    }

    @Test
    void aPrefixInsideAByteMasksOnlyItsHighBits() {
        CidrRange r = CidrRange.parse("10.1.240.0/20");
        assertThat(r.contains(ip("10.1.255.1"))).isTrue();
        assertThat(r.contains(ip("10.1.240.0"))).isTrue();
        assertThat(r.contains(ip("10.1.239.255"))).isFalse();
        assertThat(r.contains(ip("10.1.15.1"))).isFalse();
        assertThat(CidrRange.parse("10.1.2.3/32").contains(ip("10.1.2.3"))).as("the longest prefix").isTrue();
        assertThat(CidrRange.parse("::1/128").contains(ip("::1"))).isTrue();
    }

    @Test
    void blocksAreEqualByNetworkAndPrefix() {
        CidrRange r = CidrRange.parse("10.0.0.0/8");
        assertThat(r).isEqualTo(CidrRange.parse("10.9.9.9/8")).hasSameHashCodeAs(CidrRange.parse("10.9.9.9/8"));
        assertThat(r).isNotEqualTo(CidrRange.parse("10.0.0.0/9")).isNotEqualTo(CidrRange.parse("11.0.0.0/8"))
                .isNotEqualTo("10.0.0.0/8");
        assertThat(r.hashCode()).isNotEqualTo(CidrRange.parse("10.0.0.0/9").hashCode());
        assertThat(CidrRange.parse("2001:db8::/32").toString()).isEqualTo("2001:db8:0:0:0:0:0:0/32");
    }

    @Test
    void ipv6Blocks() {
        CidrRange r = CidrRange.parse("2001:db8::/32");
        assertThat(r.contains(ip("2001:db8:1::5"))).isTrue();
        assertThat(r.contains(ip("2001:db9::5"))).isFalse();
        assertThat(CidrRange.parse("::1").contains(ip("::1"))).isTrue();
        // an IPv4-mapped IPv6 address is the IPv4 address
        assertThat(CidrRange.parse("192.0.2.0/24").contains(ip("::ffff:192.0.2.9"))).isTrue();
    }

    @Test
    void rejectsNonLiteralsWithoutResolving() {
        for (String bad : new String[] {"localhost", "example.com", "1.2.3", "256.1.1.1", "10.0.0.0/33", "::1/129",
                "10.0.0.0/x", "", "1.2.3.4/", "01.2.3.4"}) {
            assertThatThrownBy(() -> CidrRange.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(CidrRange.literal("localhost")).isNull();
        assertThat(CidrRange.parseList(" 10.0.0.0/8 , ::1 ")).hasSize(2);
        assertThat(CidrRange.parseList("")).isEmpty();
    }

    @Test
    void tokenBucketRefillsWithTime() {
        TokenBucket b = new TokenBucket(2, 3, 0);
        assertThat(b.tryTake(0)).isTrue();
        assertThat(b.tryTake(0)).isTrue();
        assertThat(b.tryTake(0)).isTrue();
        assertThat(b.tryTake(0)).isFalse();
        assertThat(b.tryTake(400_000_000L)).as("0.8 of a token after 0.4 s").isFalse();
        assertThat(b.tryTake(500_000_000L)).isTrue();
        assertThat(b.tryTake(500_000_000L)).isFalse();
        assertThat(b.tryTake(60_000_000_000L) && b.tryTake(60_000_000_000L) && b.tryTake(60_000_000_000L)).isTrue();
        assertThat(b.tryTake(60_000_000_000L)).isFalse();
    }
}
