package io.leopard.server.web;

import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.MID;
import static io.leopard.server.web.QueryEndpointsRoutingTest.params;
import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.testing.junit5.DirectClient;
import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP rules of the merchant routing table, in memory: which path and method reach what, in
 * the order of PROTOCOL §4.1 (path 404, method 405, size 413, media type 415), the index, health
 * and metrics, request ids, and the one error mapping.
 */
class MerchantRoutesTest {
    private static final String ORDER = "M201611101010100002";
    private static RoutedDemo demo;
    private static RoutedDemo prefixed;

    @BeforeAll
    static void start() throws Exception {
        demo = RoutedDemo.start(Map.of());
        prefixed = RoutedDemo.start(Map.of("path-prefix", "/v2"));
    }

    @AfterAll
    static void stop() {
        demo.close();
        prefixed.close();
    }

    private static String errCode(HttpResponse<String> res) throws Exception {
        return IndependentVerifier.fields(res.body()).get("errCode");
    }

    private static void assertFailure(HttpResponse<String> res, int status, String errCode) throws Exception {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");
        assertThat(errCode(res)).as(res.body()).isEqualTo(errCode);
    }

    @Test
    void aSignedQueryIsAnsweredOnItsEndpoint() throws Exception {
        HttpResponse<String> res = demo.postSigned("/query/single", params(MID, ORDER), KEY);
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(IndependentVerifier.verify(IndependentVerifier.fields(res.body()), KEY, "MD5")).as(res.body()).isTrue();
        assertThat(IndependentVerifier.fields(res.body())).containsEntry("orderNo", ORDER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/nothing", "/query", "/query/", "/query/single/", "/Query/single", "/query/SINGLE",
            "/query//single", "/query/./single", "/query/x/../single", "/query/single;a=b", "/query/%73ingle",
            "/v2/query/single", "/healthz/", "/metrics/x"})
    void pathsNobodyServesAsWrittenAreNotFoundWhateverTheMethod(String path) throws Exception {
        assertFailure(demo.postSigned(path, params(MID, ORDER), KEY), 404, "NOT_FOUND");
        assertFailure(demo.send("GET", path), 404, "NOT_FOUND");
        assertFailure(demo.send("DELETE", path), 404, "NOT_FOUND");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"})
    void theQueryEndpointsTakePostOnly(String method) throws Exception {
        for (String path : new String[] {"/query/single", "/query/multi", "/query/brushcard"}) {
            HttpResponse<String> res = demo.send(method, path);
            assertThat(res.statusCode()).as(method + " " + path).isEqualTo(405);
            assertThat(res.headers().firstValue("Allow")).hasValue("POST");
            if (!method.equals("HEAD")) {
                assertThat(errCode(res)).isEqualTo("METHOD_NOT_ALLOWED");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/healthz", "/readyz", "/metrics"})
    void pagesTakeGetAndHeadOnly(String path) throws Exception {
        HttpResponse<String> get = demo.send("GET", path);
        assertThat(get.statusCode()).isEqualTo(200);
        // HEAD: GET's status and length (no body follows: HttpLayerE2ETest reads the wire for that)
        HttpResponse<String> head = demo.send("HEAD", path);
        assertThat(head.statusCode()).isEqualTo(200);
        long length = Long.parseLong(head.headers().firstValue("Content-Length").orElseThrow());
        if (path.equals("/metrics")) {
            assertThat(length).as("a scrape's length changes from one scrape to the next").isPositive();
        } else {
            assertThat(length).isEqualTo(get.body().getBytes(StandardCharsets.UTF_8).length);
        }
        for (String method : new String[] {"POST", "PUT", "DELETE"}) {
            HttpResponse<String> res = demo.send(method, path);
            assertFailure(res, 405, "METHOD_NOT_ALLOWED");
            assertThat(res.headers().firstValue("Allow")).hasValue("GET, HEAD");
            assertThat(IndependentVerifier.fields(res.body()).get("msg")).isEqualTo("仅支持GET请求");
        }
    }

    @Test
    void sizeIsCheckedBeforeTheMediaTypeAndTheMediaTypeBeforeTheBody() throws Exception {
        byte[] big = new byte[17 * 1024];
        Arrays.fill(big, (byte) 'a');
        HttpResponse<String> tooLarge = demo.post("/query/single", "text/plain", big);
        assertFailure(tooLarge, 413, "BODY_TOO_LARGE");
        assertThat(tooLarge.headers().firstValue("Connection")).hasValue("close");
        assertFailure(demo.post("/query/single", "text/plain", "{not even json"), 415, "MEDIA_TYPE_UNSUPPORTED");
        assertFailure(demo.post("/query/single", "application/json", "{not even json"), 200, "PARAM_ERROR");
        assertFailure(demo.post("/health", "text/plain", big), 404, "NOT_FOUND");
        assertFailure(demo.send("GET", "/query/single"), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void underAPrefixOnlyThePrefixedPathsAreEndpointsAndThePagesStayAtTheRoot() throws Exception {
        HttpResponse<String> res = prefixed.postSigned("/query/single", params(MID, ORDER), KEY);
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(IndependentVerifier.verify(IndependentVerifier.fields(res.body()), KEY, "MD5")).isTrue();
        assertFailure(prefixed.send("POST", "/query/single"), 404, "NOT_FOUND");
        assertFailure(prefixed.send("POST", "/v1/query/single"), 404, "NOT_FOUND");
        assertFailure(prefixed.send("GET", "/v2"), 404, "NOT_FOUND");
        assertFailure(prefixed.send("GET", "/v2/"), 404, "NOT_FOUND");
        assertFailure(prefixed.send("GET", "/v2/query/single"), 405, "METHOD_NOT_ALLOWED");
        assertThat(prefixed.send("GET", "/healthz").statusCode()).isEqualTo(200);
        assertThat(prefixed.send("GET", "/").body()).contains("POST /v2/query/single").contains("POST /v2/query/multi");
    }

    @Test
    void theIndexNamesEveryEndpointAndTheHealthChecks() throws Exception {
        Map<String, String> index = IndependentVerifier.fields(demo.send("GET", "/").body());
        assertThat(index).containsEntry("single", "POST /query/single").containsEntry("multi", "POST /query/multi")
                .containsEntry("brushcard", "POST /query/brushcard").containsEntry("health", "GET /healthz")
                .containsEntry("ready", "GET /readyz");
    }

    @Test
    void readinessFollowsTheDatabaseAndTheDrainWhileLivenessDoesNot() throws Exception {
        try (RoutedDemo node = RoutedDemo.start(Map.of())) {
            assertThat(node.send("GET", "/readyz").body()).isEqualTo("{\"status\":\"UP\"}");
            node.databaseUp(false);
            HttpResponse<String> down = node.send("GET", "/readyz");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).isEqualTo("{\"status\":\"DOWN\"}");
            assertThat(node.send("GET", "/healthz").statusCode()).isEqualTo(200);
            node.databaseUp(true);
            assertThat(node.send("GET", "/readyz").statusCode()).isEqualTo(200);
            node.drain();
            assertThat(node.send("GET", "/readyz").statusCode()).isEqualTo(503);
            assertThat(node.send("GET", "/healthz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void everyAnswerCarriesARequestIdTheCallersWhenItIsPlain() throws Exception {
        assertThat(demo.send("GET", "/", Map.of("X-Request-Id", "shop-42.a_b")).headers().firstValue("X-Request-Id"))
                .hasValue("shop-42.a_b");
        String forged = demo.send("GET", "/", Map.of("X-Request-Id", "x y/z")).headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(forged).isNotEqualTo("x y/z").matches("[0-9a-f]{8}-[0-9a-f]+");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            ids.add(demo.send("GET", "/nothing").headers().firstValue("X-Request-Id").orElseThrow());
        }
        assertThat(ids).as("generated ids are unique, failures included").hasSize(20);
    }

    @Test
    void metricsCountEachRequestUnderItsEndpointAndOutcome() throws Exception {
        try (RoutedDemo node = RoutedDemo.start(Map.of("path-prefix", "/v2"))) {
            node.postSigned("/query/single", params(MID, ORDER), KEY);
            node.postSigned("/query/single", params(MID, "M000000000000000404"), KEY);
            node.send("GET", "/v2/query/multi");
            node.send("GET", "/wp-admin/" + "x".repeat(50));
            String metrics = node.metricsShowing("endpoint=\"other\",outcome=\"NOT_FOUND\"");
            assertThat(metrics).contains("leopard_requests_seconds_count{endpoint=\"/query/single\",outcome=\"SUCCESS\"} 1")
                    .contains("leopard_requests_seconds_count{endpoint=\"/query/single\",outcome=\"ORDER_NOT_EXIST\"} 1")
                    .contains("leopard_requests_seconds_count{endpoint=\"/query/multi\",outcome=\"METHOD_NOT_ALLOWED\"} 1")
                    .contains("leopard_requests_seconds_count{endpoint=\"other\",outcome=\"NOT_FOUND\"} 1")
                    .doesNotContain("wp-admin");
            assertThat(node.send("GET", "/metrics").headers().firstValue("Content-Type"))
                    .hasValue("text/plain; version=0.0.4; charset=utf-8");
        }
    }

    @Test
    void failuresBeforeTheSignatureCostTheAddressAndWrongPathsToo() throws Exception {
        try (RoutedDemo node = RoutedDemo.start(Map.of("rate.address-per-second", "1", "rate.address-burst", "3"))) {
            DirectClient scanner = node.from("203.0.113.9");
            DirectClient neighbour = node.from("203.0.113.10");
            byte[] none = new byte[0];
            for (int i = 0; i < 3; i++) {
                assertFailure(node.post(scanner, "/wp-login.php", null, none, Map.of()), 404, "NOT_FOUND");
            }
            assertFailure(node.post(scanner, "/query/single", null, "mid=1".getBytes(StandardCharsets.UTF_8), Map.of()),
                    200, "FREQUENCY_LIMITED");
            assertFailure(node.post(scanner, "/nothing", null, none, Map.of()), 404, "NOT_FOUND");
            assertThat(node.postSigned(scanner, "/query/single", params(MID, ORDER), KEY).statusCode())
                    .as("a correctly signed request is served whatever its address did").isEqualTo(200);
            assertFailure(node.post(neighbour, "/query/single", null, "mid=1".getBytes(StandardCharsets.UTF_8), Map.of()),
                    200, "PARAM_ERROR");
            node.advanceNanos(2_000_000_000L);
            assertFailure(node.post(scanner, "/query/single", null, "mid=1".getBytes(StandardCharsets.UTF_8), Map.of()),
                    200, "PARAM_ERROR");
        }
    }

    @Test
    void aDatabaseFailureIsSystemErrorInTheProtocolsJson() throws Exception {
        try (RoutedDemo node = RoutedDemo.start(Map.of())) {
            node.breakDatabase();
            HttpResponse<String> res = node.postSigned("/query/single", params(MID, ORDER), KEY);
            assertFailure(res, 200, "SYSTEM_ERROR");
            assertThat(res.body()).doesNotContain("Exception").doesNotContain("at io.").doesNotContain("jdbc");
        }
    }
}
