package io.leopard.server.internal;

import static io.leopard.server.testing.LiveLeopard.MID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leopard.server.internal.RoutedInternal.Reply;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Where a merchant's notifications go, through the internal API in memory behind the real token
 * filter: set, shown, stopped; refused naming the field for a URL that is not an http(s) URL with
 * a host (user info, too long, another scheme), an unknown sign type, an unknown field or a body
 * that is not an object; 404 for an unknown merchant.
 */
class MerchantNotifyEndpointsTest {
    private static final AtomicInteger NEXT = new AtomicInteger(700);
    private static RoutedInternal routed;

    @BeforeAll
    static void start() {
        routed = new RoutedInternal();
    }

    @AfterAll
    static void stop() {
        routed.close();
    }

    private static JsonNode json(Reply a) throws Exception {
        return InternalReplies.JSON.readTree(a.body());
    }

    private static String newMerchant() {
        String mid = "100000000000" + NEXT.getAndIncrement();
        Reply a = routed.call("POST", "/merchants", "{\"mid\":\"" + mid + "\",\"name\":\"Notify shop\",\"key\":\"shopkey-" + mid + "\"}");
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        return mid;
    }

    private static void assertError(Reply a, int status, String error, String field) throws Exception {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        JsonNode body = json(a);
        assertThat(body.path("error").asText()).as(a.body()).isEqualTo(error);
        if (field == null) {
            assertThat(body.has("field")).as(a.body()).isFalse();
        } else {
            assertThat(body.path("field").asText()).as(a.body()).isEqualTo(field);
        }
    }

    private static JsonNode shown(String mid) throws Exception {
        Reply a = routed.call("GET", "/merchants/" + mid + "/notify", null);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return json(a);
    }

    @Test
    void aUrlIsSetShownAndStopped() throws Exception {
        String mid = newMerchant();
        assertThat(shown(mid).toString()).as("none at first").isEqualTo("{\"mid\":\"" + mid + "\",\"url\":null,\"signType\":null}");

        Reply set = routed.call("PUT", "/merchants/" + mid + "/notify", "{\"url\":\"https://shop.example/notify?x=1\"}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(json(set).toString()).as("MD5 when not said")
                .isEqualTo("{\"mid\":\"" + mid + "\",\"url\":\"https://shop.example/notify?x=1\",\"signType\":\"MD5\"}");
        assertThat(shown(mid)).isEqualTo(json(set));

        assertThat(routed.call("PUT", "/merchants/" + mid + "/notify", "{\"url\":\"http://shop.example:65535/n\"}").status())
                .as("the highest port").isEqualTo(200);
        Reply hmac = routed.call("PUT", "/merchants/" + mid + "/notify", "{\"url\":\"http://[2001:db8::1]:8443/n\",\"signType\":\"hmac-sha256\"}");
        assertThat(hmac.status()).as(hmac.body()).isEqualTo(200);
        assertThat(json(hmac).get("signType").asText()).as("stored by its wire name").isEqualTo("HMAC-SHA256");
        assertThat(shown(mid).get("url").asText()).isEqualTo("http://[2001:db8::1]:8443/n");

        Reply stop = routed.call("PUT", "/merchants/" + mid + "/notify", "{\"url\":null}");
        assertThat(stop.status()).as(stop.body()).isEqualTo(200);
        assertThat(shown(mid).toString()).as("the sign type goes with the URL")
                .isEqualTo("{\"mid\":\"" + mid + "\",\"url\":null,\"signType\":null}");
    }

    @Test
    void theLongestUrlIsTakenOneMoreIsRefused() throws Exception {
        String mid = newMerchant();
        String base = "https://shop.example/";
        String longest = base + "a".repeat(512 - base.length());
        assertThat(routed.call("PUT", "/merchants/" + mid + "/notify", "{\"url\":\"" + longest + "\"}").status()).isEqualTo(200);
        assertThat(shown(mid).get("url").asText()).isEqualTo(longest);
        Reply a = routed.call("PUT", "/merchants/" + mid + "/notify", "{\"url\":\"" + longest + "b\"}");
        assertError(a, 400, "invalid_field", "url");
        assertThat(json(a).get("message").asText()).isEqualTo("the notify URL is longer than 512 characters");
        assertThat(shown(mid).get("url").asText()).as("unchanged").isEqualTo(longest);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "ftp scheme       | {\"url\":\"ftp://shop.example/notify\"}                  | url",
            "javascript       | {\"url\":\"javascript:alert(1)\"}                        | url",
            "file             | {\"url\":\"file:///etc/passwd\"}                         | url",
            "relative         | {\"url\":\"/notify\"}                                    | url",
            "no host          | {\"url\":\"https:///notify\"}                            | url",
            "user info        | {\"url\":\"https://user:pass@shop.example/notify\"}      | url",
            "fragment         | {\"url\":\"https://shop.example/notify#x\"}              | url",
            "not a URL        | {\"url\":\"https://shop example/\"}                      | url",
            "port too high    | {\"url\":\"https://shop.example:65536/n\"}               | url",
            "port zero        | {\"url\":\"http://shop.example:0/n\"}                    | url",
            "bad escape       | {\"url\":\"https://shop.example/n?x=%zz\"}               | url",
            "empty            | {\"url\":\"\"}                                           | url",
            "a number         | {\"url\":5}                                              | url",
            "no url           | {\"signType\":\"MD5\"}                                   | url",
            "bad sign type    | {\"url\":\"https://shop.example/n\",\"signType\":\"RSA\"} | signType",
            "sign type number | {\"url\":\"https://shop.example/n\",\"signType\":1}     | signType",
            "unknown field    | {\"url\":\"https://shop.example/n\",\"secret\":\"x\"}    | secret"})
    void aBadBodyIsRefusedNamingTheField(String name, String body, String field) throws Exception {
        String mid = newMerchant();
        routed.call("PUT", "/merchants/" + mid + "/notify", "{\"url\":\"https://before.example/n\"}");
        Reply a = routed.call("PUT", "/merchants/" + mid + "/notify", body);
        assertError(a, 400, field.equals("secret") ? "unknown_field" : "invalid_field", field);
        assertThat(a.body()).as("no value repeated").doesNotContain("pass@").doesNotContain("alert");
        assertThat(shown(mid).get("url").asText()).as("unchanged").isEqualTo("https://before.example/n");
    }

    @Test
    void aBodyThatIsNotAnObjectIsRefused() throws Exception {
        String mid = newMerchant();
        assertError(routed.call("PUT", "/merchants/" + mid + "/notify", "[\"https://shop.example/n\"]"), 400, "invalid_json", null);
        assertError(routed.call("PUT", "/merchants/" + mid + "/notify", "\"https://shop.example/n\""), 400, "invalid_json", null);
        assertError(routed.call("PUT", "/merchants/" + mid + "/notify", "{\"url\":"), 400, "invalid_json", null);
        assertError(routed.call("PUT", "/merchants/" + mid + "/notify", null), 400, "invalid_json", null);
        assertError(routed.call("PUT", "/merchants/" + mid + "/notify", "text/plain", "{\"url\":null}".getBytes(),
                "Bearer " + RoutedInternal.TOKEN), 415, "media_type_unsupported", null);
    }

    @Test
    void anUnknownMerchantIs404AndAMalformedMid400() throws Exception {
        assertError(routed.call("PUT", "/merchants/100000000000999/notify", "{\"url\":\"https://shop.example/n\"}"), 404,
                "unknown_merchant", "mid");
        assertError(routed.call("GET", "/merchants/100000000000999/notify", null), 404, "unknown_merchant", "mid");
        assertError(routed.call("GET", "/merchants/12345/notify", null), 400, "invalid_field", "mid");
        assertError(routed.call("PUT", "/merchants/12345/notify", "{\"url\":null}"), 400, "invalid_field", "mid");
    }

    @Test
    void theTokenIsRequired() throws Exception {
        Reply a = routed.call("GET", "/merchants/" + MID + "/notify", null, null, null);
        assertThat(a.status()).isEqualTo(401);
        Reply b = routed.call("PUT", "/merchants/" + MID + "/notify", "application/json", "{\"url\":null}".getBytes(), "Bearer wrong");
        assertThat(b.status()).isEqualTo(401);
    }
}
