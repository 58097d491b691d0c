package io.leopard.server.web;

import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.MID;
import static io.leopard.server.web.ProtocolErrorsE2ETest.failure;
import static io.leopard.server.web.QueryEndpointsE2ETest.params;
import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP-level answers (404, 405, 413, 415, 400), health, and the configurable path prefix. */
class HttpLayerE2ETest {
    private static LiveLeopard demo;

    @BeforeAll
    static void start() throws Exception {
        demo = LiveLeopard.start(Map.of("path-prefix", "/v2"));
    }

    @AfterAll
    static void stop() {
        demo.close();
    }

    @Test
    void prefixIsHonoured() throws Exception {
        assertThat(demo.baseUrl()).endsWith("/v2");
        HttpResponse<String> res = demo.postSigned("/query/single", params(MID, "M201611101010100002"), KEY);
        assertThat(IndependentVerifier.fields(res.body())).containsEntry("code", "SUCCESS");
        String root = demo.baseUrl().substring(0, demo.baseUrl().length() - 3);
        failure(demo.send("POST", root + "/query/single"), 404, "NOT_FOUND");
        failure(demo.send("POST", root + "/v1/query/single"), 404, "NOT_FOUND"); // same length, other prefix
    }

    @Test
    void theRootIsAnIndexOfTheEndpoints() throws Exception {
        String root = demo.baseUrl().substring(0, demo.baseUrl().length() - 3);
        HttpResponse<String> index = demo.send("GET", root + "/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(IndependentVerifier.fields(index.body()))
                .containsEntry("single", "POST /v2/query/single")
                .containsEntry("multi", "POST /v2/query/multi")
                .containsEntry("brushcard", "POST /v2/query/brushcard")
                .containsEntry("health", "GET /healthz")
                .doesNotContainKey("code");
        HttpResponse<String> post = demo.send("POST", root + "/");
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
    void malformedHttpIsBadRequestWithJson() throws Exception {
        String answer = raw("POST /v2/query/single HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer).contains("\"errCode\":\"BAD_REQUEST\"").doesNotContain("Exception");
        String badChunk = raw("POST /v2/query/single HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nxx\r\n0\r\n\r\n");
        assertThat(badChunk).startsWith("HTTP/1.1 400");
    }

    /**
     * HTTP/1.0 is what nginx sends upstream by default and what PHP's http stream wrapper sends:
     * answered like HTTP/1.1, without the Host header 1.1 requires, and the connection closed after
     * the answer (such clients read until it closes; raw() only returns at the close).
     */
    @Test
    void http10RequestsAreAnsweredAndTheConnectionClosed() throws Exception {
        Map<String, String> signed = new java.util.TreeMap<>(params(MID, "M201611101010100002"));
        signed.put("sign", IndependentVerifier.sign(signed, KEY, "MD5"));
        String body = LiveLeopard.form(signed);
        String head = "POST /v2/query/single HTTP/1.0\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n";

        String answer = raw(head + body);
        assertThat(answer).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
        Map<String, String> fields = IndependentVerifier.fields(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(fields).containsEntry("resultCode", "SUCCESS").containsEntry("amount", "5230.00");
        assertThat(IndependentVerifier.verify(fields, KEY, "MD5")).isTrue();

        // the body in a later packet than the headers, as proxies often send it
        assertThat(raw(head, body)).startsWith("HTTP/1.1 200").contains("\"resultCode\":\"SUCCESS\"");
        // keep-alive asked for is not given: one request, one answer
        assertThat(raw("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")).startsWith("HTTP/1.1 200")
                .contains("UP");
        // the protocol's answers for HTTP-level failures stay the same
        assertThat(raw("GET /v2/query/single HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 405")
                .contains("\"errCode\":\"METHOD_NOT_ALLOWED\"");
        // HTTP/1.1 still needs its Host header, and other versions are malformed
        assertThat(raw("GET /healthz HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 400").contains("BAD_REQUEST");
        assertThat(raw("GET /healthz HTTP/0.9\r\n\r\n")).startsWith("HTTP/1.1 400").contains("BAD_REQUEST");
    }

    /** An HTTP/1.1 request that says Connection: close has its connection closed after the answer. */
    @Test
    void connectionCloseIsHonoured() throws Exception {
        assertThat(raw("GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Close\r\n\r\n"))
                .startsWith("HTTP/1.1 200").contains("UP");

        // with Expect: 100-continue the interim answer is not the end: the body still comes
        Map<String, String> signed = new java.util.TreeMap<>(params(MID, "M201611101010100002"));
        signed.put("sign", IndependentVerifier.sign(signed, KEY, "MD5"));
        String body = LiveLeopard.form(signed);
        String answer = raw("POST /v2/query/single HTTP/1.1\r\nHost: a\r\nConnection: close\r\nExpect: 100-continue\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n", body);
        assertThat(answer).startsWith("HTTP/1.1 100 Continue").contains("HTTP/1.1 200").contains("\"resultCode\":\"SUCCESS\"");
    }

    @Test
    void health() throws Exception {
        String root = demo.baseUrl().substring(0, demo.baseUrl().length() - 3);
        HttpResponse<String> live = demo.send("GET", root + "/healthz");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).contains("UP");
        assertThat(demo.send("GET", root + "/readyz").statusCode()).isEqualTo(200);
        assertThat(demo.send("POST", root + "/readyz").statusCode()).isEqualTo(405);
    }

    @Test
    void metricsCountRequestsByEndpointAndOutcome() throws Exception {
        demo.postSigned("/query/single", params(MID, "M201611101010100002"), KEY);
        demo.postSigned("/query/single", params(MID, "NOPE"), KEY);
        String root = demo.baseUrl().substring(0, demo.baseUrl().length() - 3);
        HttpResponse<String> metrics = demo.send("GET", root + "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("leopard_requests_seconds_count{endpoint=\"/query/single\",outcome=\"SUCCESS\"}")
                .contains("outcome=\"ORDER_NOT_EXIST\"")
                .contains("jvm_memory_used_bytes")
                .doesNotContain(KEY);
        failure(demo.send("POST", root + "/metrics"), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void aRefusedRequestGetsExactlyOneAnswerAndItsConnectionCloses() throws Exception {
        String head = "POST /v2/query/single HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n";
        String big = "a".repeat(2_000_000);
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("413 Content-Length 2 MB", head + "Content-Length: 2000000\r\n\r\n" + big);
        cases.put("413 chunked 2 MB", head + "Transfer-Encoding: chunked\r\n\r\n1e8480\r\n" + big + "\r\n0\r\n\r\n");
        cases.put("413 chunked 20 KB", head + "Transfer-Encoding: chunked\r\n\r\n4e20\r\n" + "a".repeat(20_000) + "\r\n0\r\n\r\n");
        cases.put("400 chunk longer than its size", head + "Transfer-Encoding: chunked\r\n\r\n1\r\nabc\r\n0\r\n\r\n");
        cases.put("400 Content-Length and chunked", head + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nmid=1\r\n0\r\n\r\n");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String answer = exchange(c.getValue());
            long answers = java.util.regex.Pattern.compile("HTTP/1\\.1 \\d{3} ").matcher(answer).results().count();
            assertThat(answers).as("%s: %s", c.getKey(), answer.substring(0, Math.min(answer.length(), 300))).isEqualTo(1);
            assertThat(answer).as(c.getKey()).startsWith("HTTP/1.1 " + c.getKey().substring(0, 3));
        }
    }

    /**
     * Writes {@code request} on a thread of its own (the server may close before it has all been
     * written) and reads until the server closes the connection; a read still waiting after 5 s
     * fails the test.
     */
    private static String exchange(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", demo.server.port())) {
            s.setSoTimeout(5000);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                } catch (java.io.IOException e) {
                    // closed by the server mid-body: its answer is what counts
                }
            });
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = s.getInputStream().read(buf)) >= 0; ) {
                    got.write(buf, 0, n);
                }
            } catch (java.net.SocketException reset) {
                // reset after the answer (unread body bytes): what was read is the answer
            }
            writer.join(5000);
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Sends the pieces in turn, 200 ms apart, and reads until the server closes (5 s at most). */
    private static String raw(String... pieces) throws Exception {
        try (Socket s = new Socket("127.0.0.1", demo.server.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < pieces.length; i++) {
                if (i > 0) {
                    Thread.sleep(200);
                }
                out.write(pieces[i].getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
