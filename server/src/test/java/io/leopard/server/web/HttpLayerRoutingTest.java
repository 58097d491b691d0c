package io.leopard.server.web;

import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.MID;
import static io.leopard.server.web.ProtocolErrorsRoutingTest.failure;
import static io.leopard.server.web.QueryEndpointsRoutingTest.params;
import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP-level answers (404, 405, 413, 415), health, metrics and the configurable path prefix, in memory. */
class HttpLayerRoutingTest {
    private static RoutedDemo demo;

    @BeforeAll
    static void start() throws Exception {
        demo = RoutedDemo.start(Map.of("path-prefix", "/v2"));
    }

    @AfterAll
    static void stop() {
        demo.close();
    }

    @Test
    void prefixIsHonoured() throws Exception {
        assertThat(demo.baseUrl()).isEqualTo("/v2");
        HttpResponse<String> res = demo.postSigned("/query/single", params(MID, "M201611101010100002"), KEY);
        assertThat(IndependentVerifier.fields(res.body())).containsEntry("code", "SUCCESS");
        failure(demo.send("POST", "/query/single"), 404, "NOT_FOUND");
        failure(demo.send("POST", "/v1/query/single"), 404, "NOT_FOUND"); // same length, other prefix
    }

    @Test
    void theRootIsAnIndexOfTheEndpoints() throws Exception {
        HttpResponse<String> index = demo.send("GET", "/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(IndependentVerifier.fields(index.body()))
                .containsEntry("single", "POST /v2/query/single")
                .containsEntry("multi", "POST /v2/query/multi")
                .containsEntry("brushcard", "POST /v2/query/brushcard")
                .containsEntry("health", "GET /healthz")
                .doesNotContainKey("code");
        HttpResponse<String> post = demo.send("POST", "/");
        failure(post, 405, "METHOD_NOT_ALLOWED");
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        failure(demo.send("GET", demo.baseUrl()), 404, "NOT_FOUND");
    }

    @Test
    void unknownPathsAndMethods() throws Exception {
        failure(demo.post("/query/nothing", null, ""), 404, "NOT_FOUND");
        failure(demo.send("POST", demo.baseUrl() + "/"), 404, "NOT_FOUND");
        HttpResponse<String> get = demo.send("GET", demo.baseUrl() + "/query/single");
        failure(get, 405, "METHOD_NOT_ALLOWED");
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        failure(demo.send("PUT", demo.baseUrl() + "/query/multi"), 405, "METHOD_NOT_ALLOWED");
        failure(demo.send("DELETE", demo.baseUrl() + "/query/brushcard"), 405, "METHOD_NOT_ALLOWED");
        // path is checked before method
        failure(demo.send("GET", demo.baseUrl() + "/nothing"), 404, "NOT_FOUND");
    }

    @Test
    void bodyTooLargeBeforeMediaType() throws Exception {
        byte[] big = new byte[16 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) 'a');
        failure(demo.post("/query/single", "application/x-www-form-urlencoded", big), 413, "BODY_TOO_LARGE");
        failure(demo.post("/query/single", "text/plain", big), 413, "BODY_TOO_LARGE");
        byte[] limit = new byte[16 * 1024];
        java.util.Arrays.fill(limit, (byte) 'a');
        failure(demo.post("/query/single", "application/x-www-form-urlencoded", limit), 200, "PARAM_ERROR");
    }

    @Test
    void otherMediaTypes() throws Exception {
        failure(demo.post("/query/single", "text/plain", "mid=1"), 415, "MEDIA_TYPE_UNSUPPORTED");
        failure(demo.post("/query/single", "multipart/form-data; boundary=x", "--x--"), 415, "MEDIA_TYPE_UNSUPPORTED");
        failure(demo.post("/query/single", "application/x-www-form-urlencoded; charset=klingon", "mid=1"), 415,
                "MEDIA_TYPE_UNSUPPORTED");
        // no Content-Type at all is read as a form
        HttpResponse<String> res = demo.postSigned("/query/single", params(MID, "M201611101010100002"), KEY);
        assertThat(res.statusCode()).isEqualTo(200);
    }

    @Test
    void health() throws Exception {
        HttpResponse<String> live = demo.send("GET", "/healthz");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).contains("UP");
        assertThat(demo.send("GET", "/readyz").statusCode()).isEqualTo(200);
        assertThat(demo.send("POST", "/readyz").statusCode()).isEqualTo(405);
    }

    @Test
    void metricsCountRequestsByEndpointAndOutcome() throws Exception {
        demo.postSigned("/query/single", params(MID, "M201611101010100002"), KEY);
        demo.postSigned("/query/single", params(MID, "NOPE"), KEY);
        demo.metricsShowing("outcome=\"ORDER_NOT_EXIST\"");
        HttpResponse<String> metrics = demo.send("GET", "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("leopard_requests_seconds_count{endpoint=\"/query/single\",outcome=\"SUCCESS\"}")
                .contains("outcome=\"ORDER_NOT_EXIST\"")
                .contains("jvm_memory_used_bytes")
                .doesNotContain(KEY);
        failure(demo.send("POST", "/metrics"), 405, "METHOD_NOT_ALLOWED");
    }
}
