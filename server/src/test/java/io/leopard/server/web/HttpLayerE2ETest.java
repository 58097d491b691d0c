package io.leopard.server.web;

import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.MID;
import static io.leopard.server.web.ProtocolErrorsRoutingTest.failure;
import static io.leopard.server.web.QueryEndpointsRoutingTest.params;
import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What only a real socket shows: malformed HTTP, HTTP/1.0, Connection: close, one answer per
 * refused request, HEAD without a body, and paths as written on the wire. The HTTP rules
 * themselves are tested in memory ({@link HttpLayerRoutingTest}, {@link MerchantRoutesTest}).
 */
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

    /**
     * HEAD has the headers of GET (or of the failure), its Content-Length included, and no body:
     * the next bytes on the connection are the next answer. Pages, and failures alike.
     */
    @Test
    void headAnswersCarryNoBody() throws Exception {
        for (String path : new String[] {"/healthz", "/readyz", "/", "/metrics", "/v2/query/single", "/nothing", "/v2/query//single"}) {
            String answer = raw("HEAD " + path + " HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(path).startsWith("HTTP/1.1 ").containsIgnoringCase("content-length: ");
            assertThat(answer).as(path).doesNotContainIgnoringCase("content-length: 0\r\n");
            String afterHead = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            assertThat(afterHead).as("%s: the body of GET /healthz only", path).startsWith("HTTP/1.1 200").endsWith("{\"status\":\"UP\"}");
        }
    }

    /** Paths are matched as written on the wire: Helidon's normalizing of them reaches no endpoint. */
    @Test
    void pathsSpelledOtherwiseOnTheWireAreNotFound() throws Exception {
        for (String path : new String[] {"/v2/query//single", "/v2/query/./single", "/v2/x/../query/single", "/v2/query/single;a=b",
                "/v2/query/%73ingle", "/v2//query/single"}) {
            String answer = raw("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(path).startsWith("HTTP/1.1 404").contains("\"errCode\":\"NOT_FOUND\"");
        }
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
