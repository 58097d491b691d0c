package io.leopard.sdk;

import static io.leopard.sdk.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.leopard.protocol.SignType;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real HTTP transport against a fake Leopard on 127.0.0.1 that signs its answers with the demo key. */
class HttpRoundTripTest {
    private HttpServer server;
    private final AtomicBoolean tamper = new AtomicBoolean();
    private volatile String lastContentType;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v2/query/single", ex -> answer(ex, params -> {
            if (!params.get("sign").equals(md5(params))) {
                return fail("SIGN_ERROR", "签名错误");
            }
            String no = params.get("orderNo");
            return no.equals("M201611101010100002") ? signed(singleAnswer(no)) : signed(notExist());
        }));
        server.createContext("/v2/query/brushcard", ex -> answer(ex, params -> {
            String body = signed(brushcardAnswer(params.get("orderNo"), "1"));
            return tamper.get() ? body.replace("\"payStatus\":\"1\"", "\"payStatus\":\"2\"") : body;
        }));
        server.createContext("/v2/query/multi", ex -> answer(ex, params -> {
            var fields = success();
            fields.put("orders", "[{\"orderNo\":\"A1\",\"status\":\"6\"}]");
            return signed(fields);
        }));
        server.start();
    }

    private void answer(HttpExchange ex, java.util.function.Function<Map<String, String>, String> handler) throws IOException {
        lastContentType = ex.getRequestHeaders().getFirst("Content-Type");
        byte[] out;
        int status = 200;
        if (!ex.getRequestMethod().equals("POST")) {
            status = 405;
            out = fail("METHOD_NOT_ALLOWED", "仅支持POST请求").getBytes(StandardCharsets.UTF_8);
        } else {
            Map<String, String> params = form(ex.getRequestBody().readAllBytes());
            // bound to the request as the server binds its answers (reqNoise; orderNo when not found)
            out = bind(handler.apply(params).getBytes(StandardCharsets.UTF_8), params);
        }
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        ex.sendResponseHeaders(status, out.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private LeopardClient client() {
        return LeopardClient.builder()
                .baseUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/v2/")
                .mid(MID)
                .key(KEY)
                .retryPolicy(RetryPolicy.none())
                .build();
    }

    @Test
    void singleQueryOverHttp() {
        SingleResult r = client().querySingle("M201611101010100002");
        assertThat(r.order().amount()).hasToString("5230.00");
        assertThat(lastContentType).startsWith("application/x-www-form-urlencoded");
        assertThat(client().querySingle("M999").isFound()).isFalse();
    }

    @Test
    void multiAndBrushcardOverHttp() {
        assertThat(client().queryMulti(List.of("A1")).get("A1").isFound()).isFalse();
        assertThat(client().queryBrushcard("B201611101030000001").succAmount()).hasToString("88.00");
    }

    @Test
    void aFieldAlteredAfterSigningIsRejected() {
        tamper.set(true);
        assertThatThrownBy(() -> client().queryBrushcard("B201611101030000001"))
                .isInstanceOf(LeopardSignatureException.class);
    }

    @Test
    void aWrongKeyIsRefusedByTheServer() {
        LeopardClient wrong = LeopardClient.builder()
                .baseUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/v2")
                .mid(MID).key("wrong-key").signType(SignType.MD5).retryPolicy(RetryPolicy.none()).build();
        assertThatThrownBy(() -> wrong.querySingle("M201611101010100002"))
                .isInstanceOfSatisfying(LeopardProtocolException.class, e -> assertThat(e.errCode()).isEqualTo("SIGN_ERROR"));
    }

    @Test
    void unknownPathIsATransportFailureWhenTheBodyIsNotJson() {
        LeopardClient elsewhere = LeopardClient.builder()
                .baseUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/nowhere")
                .mid(MID).key(KEY).retryPolicy(RetryPolicy.none()).build();
        assertThatThrownBy(() -> elsewhere.querySingle("A1"))
                .isInstanceOfSatisfying(LeopardTransportException.class, e -> assertThat(e.httpStatus()).isEqualTo(404));
    }

    @Test
    void connectionRefusedIsATransportFailureRetried() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        LeopardClient client = LeopardClient.builder().baseUrl("http://127.0.0.1:" + port).mid(MID).key(KEY)
                .connectTimeout(Duration.ofSeconds(1))
                .retryPolicy(RetryPolicy.of(1, Duration.ofMillis(1), Duration.ofMillis(1))).build();
        assertThatThrownBy(() -> client.querySingle("A1"))
                .isInstanceOfSatisfying(LeopardTransportException.class, e -> {
                    assertThat(e.retries()).isEqualTo(1);
                    assertThat(e.httpStatus()).isEqualTo(-1);
                });
    }
}
