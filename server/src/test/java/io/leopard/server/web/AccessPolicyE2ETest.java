package io.leopard.server.web;

import static io.leopard.server.testing.LiveLeopard.KEY2;
import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.MID2;
import static io.leopard.server.testing.LiveLeopard.MID;
import static io.leopard.server.web.ProtocolErrorsRoutingTest.failure;
import static io.leopard.server.web.QueryEndpointsRoutingTest.params;
import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.access.CidrRange;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.merchant.Merchants;
import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Rate limits, allow-lists and trusted proxies, each on its own live server. */
class AccessPolicyE2ETest {

    private static String outcome(HttpResponse<String> res) throws Exception {
        Map<String, String> f = IndependentVerifier.fields(res.body());
        return "SUCCESS".equals(f.get("code")) ? f.get("resultCode") : f.get("errCode");
    }

    @Test
    void merchantRateAppliesAfterTheSignatureOnly() throws Exception {
        try (LiveLeopard demo = LiveLeopard.start(Map.of("rate.per-second", "1", "rate.burst", "2"))) {
            // unsigned noise does not eat the merchant's quota
            for (int i = 0; i < 5; i++) {
                assertThat(outcome(demo.postSigned("/query/single", params(MID, "M201611101010100002"), KEY2)))
                        .isEqualTo("SIGN_ERROR");
            }
            assertThat(outcome(demo.postSigned("/query/single", params(MID, "M201611101010100002"), KEY))).isEqualTo("SUCCESS");
            assertThat(outcome(demo.postSigned("/query/single", params(MID, "M201611101010100002"), KEY))).isEqualTo("SUCCESS");
            failure(demo.postSigned("/query/single", params(MID, "M201611101010100002"), KEY), 200, "FREQUENCY_LIMITED");
            // another merchant has its own bucket
            assertThat(outcome(demo.postSigned("/query/single", params(MID2, "M201611101010100002"), KEY2))).isEqualTo("SUCCESS");
            // a merchant's own limit, set like the CLI does, overrides the default
            MerchantStore store = Merchants.store(demo.settings.keys(), demo.server.database());
            store.setRateLimit(MID, 1000, 1000);
            demo.server.merchants().refreshNow();
            assertThat(outcome(demo.postSigned("/query/single", params(MID, "M201611101010100002"), KEY))).isEqualTo("SUCCESS");
        }
    }

    @Test
    void anAddressThatKeepsFailingLearnsNothingMoreButItsGoodRequestsAreServed() throws Exception {
        try (LiveLeopard demo = LiveLeopard.start(Map.of("rate.address-per-second", "1", "rate.address-burst", "3"))) {
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
            assertThat(outcome(demo.postSigned("/query/single", params(MID, "M201611101010100002"), KEY))).isEqualTo("SUCCESS");
            assertThat(outcome(demo.postSigned("/query/single", params(MID2, "M201611101010100002"), KEY2))).isEqualTo("SUCCESS");
            // that the address's failures refill with time is RateLimitsTest's, on a clock: no sleeping here
        }
    }

    @Test
    void allowListsAndTrustedProxies() throws Exception {
        try (LiveLeopard demo = LiveLeopard.start(Map.of("trusted-proxies", "127.0.0.0/8"))) {
            MerchantStore store = Merchants.store(demo.settings.keys(), demo.server.database());
            store.setAllowList(MID, CidrRange.parseList("203.0.113.0/24,2001:db8::/32"));
            demo.server.merchants().refreshNow();

            failure(demo.postSigned("/query/single", params(MID, "M201611101010100002"), KEY), 200, "IP_FORBIDDEN");
            assertThat(outcome(forwarded(demo, "203.0.113.7"))).isEqualTo("SUCCESS");
            assertThat(outcome(forwarded(demo, "2001:db8::1"))).isEqualTo("SUCCESS");
            assertThat(outcome(forwarded(demo, "198.51.100.1"))).isEqualTo("IP_FORBIDDEN");
            // a client cannot smuggle an allowed address in front of its own
            assertThat(outcome(forwarded(demo, "203.0.113.7, 198.51.100.1"))).isEqualTo("IP_FORBIDDEN");
            // the allow-list is checked before the signature: a wrong sign from outside is IP_FORBIDDEN
            failure(demo.postSigned("/query/single", params(MID, "M201611101010100002"), KEY2), 200, "IP_FORBIDDEN");
            // other merchants are not restricted
            assertThat(outcome(demo.postSigned("/query/single", params(MID2, "M201611101010100002"), KEY2))).isEqualTo("SUCCESS");

            store.setAllowList(MID, java.util.List.of());
            demo.server.merchants().refreshNow();
            assertThat(outcome(demo.postSigned("/query/single", params(MID, "M201611101010100002"), KEY))).isEqualTo("SUCCESS");
        }
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
        try (LiveLeopard demo = LiveLeopard.start(Map.of())) {
            Merchants.store(demo.settings.keys(), demo.server.database()).setAllowList(MID, CidrRange.parseList("203.0.113.0/24"));
            demo.server.merchants().refreshNow();
            assertThat(outcome(forwarded(demo, "203.0.113.7"))).isEqualTo("IP_FORBIDDEN");
        }
    }

    private static HttpResponse<String> forwarded(LiveLeopard demo, String xff) throws Exception {
        Map<String, String> p = new TreeMap<>(params(MID, "M201611101010100002"));
        p.put("sign", IndependentVerifier.sign(p, KEY, "MD5"));
        return demo.http.send(HttpRequest.newBuilder(URI.create(demo.baseUrl() + "/query/single"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", xff)
                .POST(HttpRequest.BodyPublishers.ofString(LiveLeopard.form(p))).build(), HttpResponse.BodyHandlers.ofString());
    }
}
