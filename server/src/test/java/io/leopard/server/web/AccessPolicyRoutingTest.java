package io.leopard.server.web;

import static io.leopard.server.testing.LiveLeopard.KEY2;
import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.MID2;
import static io.leopard.server.testing.LiveLeopard.MID;
import static io.leopard.server.web.ProtocolErrorsRoutingTest.failure;
import static io.leopard.server.web.QueryEndpointsRoutingTest.params;
import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.testing.junit5.DirectClient;
import io.leopard.server.access.CidrRange;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.testing.IndependentVerifier;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rate limits, allow-lists and trusted proxies through the routing table, in memory, each on its
 * own demo: the peer address is the client's ({@link RoutedDemo#from}), the rate limits run on the
 * demo's clock ({@link RoutedDemo#advanceNanos}), never on a sleep.
 */
class AccessPolicyRoutingTest {
    private static final long SECOND = 1_000_000_000L;
    private static final String ORDER = "M201611101010100002";

    private static String outcome(HttpResponse<String> res) throws Exception {
        Map<String, String> f = IndependentVerifier.fields(res.body());
        return "SUCCESS".equals(f.get("code")) ? f.get("resultCode") : f.get("errCode");
    }

    @Test
    void merchantRateAppliesAfterTheSignatureOnly() throws Exception {
        try (RoutedDemo demo = RoutedDemo.start(Map.of("rate.per-second", "1", "rate.burst", "2"))) {
            // unsigned noise does not eat the merchant's quota
            for (int i = 0; i < 5; i++) {
                assertThat(outcome(demo.postSigned("/query/single", params(MID, ORDER), KEY2))).isEqualTo("SIGN_ERROR");
            }
            assertThat(outcome(demo.postSigned("/query/single", params(MID, ORDER), KEY))).isEqualTo("SUCCESS");
            assertThat(outcome(demo.postSigned("/query/single", params(MID, ORDER), KEY))).isEqualTo("SUCCESS");
            failure(demo.postSigned("/query/single", params(MID, ORDER), KEY), 200, "FREQUENCY_LIMITED");
            // another merchant has its own bucket
            assertThat(outcome(demo.postSigned("/query/single", params(MID2, ORDER), KEY2))).isEqualTo("SUCCESS");
            // a second later the bucket holds one more request, and no more
            demo.advanceNanos(SECOND);
            assertThat(outcome(demo.postSigned("/query/single", params(MID, ORDER), KEY))).isEqualTo("SUCCESS");
            failure(demo.postSigned("/query/single", params(MID, ORDER), KEY), 200, "FREQUENCY_LIMITED");
            // a merchant's own limit, set like the CLI does, overrides the default
            demo.merchantStore().setRateLimit(MID, 1000, 1000);
            demo.refreshMerchants();
            assertThat(outcome(demo.postSigned("/query/single", params(MID, ORDER), KEY))).isEqualTo("SUCCESS");
        }
    }

    @Test
    void anAddressThatKeepsFailingLearnsNothingMoreButItsGoodRequestsAreServed() throws Exception {
        try (RoutedDemo demo = RoutedDemo.start(Map.of("rate.address-per-second", "1", "rate.address-burst", "3"))) {
            for (int i = 0; i < 3; i++) {
                assertThat(outcome(demo.postSigned("/query/single", params(MID, "M1"), KEY2))).isEqualTo("SIGN_ERROR");
            }
            // over its failure rate, the address's failures all read FREQUENCY_LIMITED: no probing
            // of keys or of which mids exist
            failure(demo.postSigned("/query/single", params(MID, "M1"), KEY2), 200, "FREQUENCY_LIMITED");
            failure(demo.postSigned("/query/single", params("999999999999999", "M1"), KEY), 200, "FREQUENCY_LIMITED");
            failure(demo.post("/query/single", "application/x-www-form-urlencoded", "mid=1"), 200, "FREQUENCY_LIMITED");
            // HTTP-level failures keep their status
            failure(demo.post("/query/single", "text/plain", "x"), 415, "MEDIA_TYPE_UNSUPPORTED");
            // a correctly signed request from the same address (another terminal behind the same
            // NAT or proxy) is served all the same, by this merchant and by another
            assertThat(outcome(demo.postSigned("/query/single", params(MID, ORDER), KEY))).isEqualTo("SUCCESS");
            assertThat(outcome(demo.postSigned("/query/single", params(MID2, ORDER), KEY2))).isEqualTo("SUCCESS");
            // another address has its own failures
            DirectClient other = demo.from("198.51.100.2");
            assertThat(outcome(demo.postSigned(other, "/query/single", params(MID, "M1"), KEY2))).isEqualTo("SIGN_ERROR");
            // a second later the address may fail once more, and no more
            demo.advanceNanos(SECOND);
            assertThat(outcome(demo.postSigned("/query/single", params(MID, "M1"), KEY2))).isEqualTo("SIGN_ERROR");
            failure(demo.postSigned("/query/single", params(MID, "M1"), KEY2), 200, "FREQUENCY_LIMITED");
        }
    }

    @Test
    void allowListsAndTrustedProxies() throws Exception {
        try (RoutedDemo demo = RoutedDemo.start(Map.of("trusted-proxies", "127.0.0.0/8"))) {
            MerchantStore store = demo.merchantStore();
            store.setAllowList(MID, CidrRange.parseList("203.0.113.0/24,2001:db8::/32"));
            demo.refreshMerchants();
            DirectClient proxy = demo.from("127.0.0.1");

            failure(demo.postSigned(proxy, "/query/single", params(MID, ORDER), KEY), 200, "IP_FORBIDDEN");
            assertThat(outcome(forwarded(demo, proxy, "203.0.113.7"))).isEqualTo("SUCCESS");
            assertThat(outcome(forwarded(demo, proxy, "2001:db8::1"))).isEqualTo("SUCCESS");
            assertThat(outcome(forwarded(demo, proxy, "198.51.100.1"))).isEqualTo("IP_FORBIDDEN");
            // a client cannot smuggle an allowed address in front of its own
            assertThat(outcome(forwarded(demo, proxy, "203.0.113.7, 198.51.100.1"))).isEqualTo("IP_FORBIDDEN");
            // an allowed peer needs no proxy; a peer that is no trusted proxy is not believed
            assertThat(outcome(demo.postSigned(demo.from("203.0.113.9"), "/query/single", params(MID, ORDER), KEY)))
                    .isEqualTo("SUCCESS");
            assertThat(outcome(forwarded(demo, demo.from("198.51.100.1"), "203.0.113.7"))).isEqualTo("IP_FORBIDDEN");
            // the allow-list is checked before the signature: a wrong sign from outside is IP_FORBIDDEN
            failure(demo.postSigned(proxy, "/query/single", params(MID, ORDER), KEY2), 200, "IP_FORBIDDEN");
            // other merchants are not restricted
            assertThat(outcome(demo.postSigned(proxy, "/query/single", params(MID2, ORDER), KEY2))).isEqualTo("SUCCESS");

            store.setAllowList(MID, List.of());
            demo.refreshMerchants();
            assertThat(outcome(demo.postSigned(proxy, "/query/single", params(MID, ORDER), KEY))).isEqualTo("SUCCESS");
        }
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
        try (RoutedDemo demo = RoutedDemo.start(Map.of())) {
            demo.merchantStore().setAllowList(MID, CidrRange.parseList("203.0.113.0/24"));
            demo.refreshMerchants();
            assertThat(outcome(forwarded(demo, demo.from("127.0.0.1"), "203.0.113.7"))).isEqualTo("IP_FORBIDDEN");
            // the address it claims would have been allowed as the peer
            assertThat(outcome(forwarded(demo, demo.from("203.0.113.7"), "203.0.113.7"))).isEqualTo("SUCCESS");
        }
    }

    private static HttpResponse<String> forwarded(RoutedDemo demo, DirectClient peer, String xff) throws Exception {
        return demo.postSigned(peer, "/query/single", params(MID, ORDER), KEY, Map.of("X-Forwarded-For", xff));
    }
}
