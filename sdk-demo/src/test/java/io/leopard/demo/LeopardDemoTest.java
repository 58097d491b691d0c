package io.leopard.demo;

import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.MID;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.leopard.protocol.SignType;
import io.leopard.sdk.LeopardSigner;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLI against a fake Leopard on 127.0.0.1; the demo classpath holds only the shaded SDK jar and picocli. */
class LeopardDemoTest {
    private HttpServer server;
    private final AtomicBoolean tamper = new AtomicBoolean();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/query/single", ex -> {
            String request = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            lastRequest = request;
            Map<String, String> f = new LinkedHashMap<>();
            f.put("code", "SUCCESS");
            f.put("msg", "ok");
            f.put("resultCode", "SUCCESS");
            f.put("mid", MID);
            f.put("noise", "N0ISE");
            f.put("orderNo", "M201611101010100002");
            f.put("flowNo", "20161101010100198763");
            f.put("amount", "5230.00");
            f.put("type", "wechat");
            f.put("status", "1");
            f.put("orderTime", "20161110101010");
            f.put("payTime", "20161110101323");
            f.put("reqNoise", noiseOf(request)); // bound to the request, as the server answers
            f.put("sign", LeopardSigner.sign(f, KEY, SignType.MD5));
            StringBuilder sb = new StringBuilder("{");
            f.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":")
                    .append(k.equals("amount") ? v : '"' + v + '"'));
            String body = sb.append('}').toString();
            if (tamper.get()) {
                body = body.replace("5230.00", "52300.00");
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(bytes);
            }
        });
        server.start();
    }

    private volatile String lastRequest;

    /** The noise of a form body (the SDK writes letters and digits). */
    static String noiseOf(String form) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:^|&)noise=([A-Za-z0-9_-]+)").matcher(form);
        return m.find() ? m.group(1) : "";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int run(Map<String, String> env, String... args) {
        return LeopardDemo.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env::get);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void singlePrintsTheVerifiedOrder() {
        int code = run(Map.of(), "--url", url(), "--mid", MID, "--key", KEY, "single", "M201611101010100002");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("5230.00").contains("1 (paid)").contains("2016-11-10 10:13:23");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aTimestampIsSentWhenAskedFor() {
        assertThat(run(Map.of(), "--url", url(), "--mid", MID, "--key", KEY, "single", "M201611101010100002")).isZero();
        assertThat(lastRequest).doesNotContain("timestamp=");
        assertThat(run(Map.of(), "--url", url(), "--mid", MID, "--key", KEY, "--timestamp", "single", "M201611101010100002"))
                .isZero();
        assertThat(lastRequest).containsPattern("&timestamp=[0-9]{14}&");
    }

    @Test
    void theKeyMayComeFromTheEnvironment() {
        int code = run(Map.of("LEOPARD_KEY", KEY), "--url", url(), "--mid", MID, "single", "M201611101010100002");
        assertThat(code).isZero();
    }

    @Test
    void aTamperedAnswerIsOneErrorLine() {
        tamper.set(true);
        int code = run(Map.of(), "--url", url(), "--mid", MID, "--key", KEY, "single", "M201611101010100002");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().trim()).startsWith("error: ").contains("signature").doesNotContain("\n").doesNotContain(KEY);
        assertThat(out.toString()).doesNotContain("52300.00");
    }

    @Test
    void usageErrorsAreOneLineWithExitCode2() {
        assertThat(run(Map.of(), "--url", url(), "--mid", MID, "single", "A1")).isEqualTo(2);
        assertThat(err.toString()).contains("no key").doesNotContain("\tat ");
        err.getBuffer().setLength(0);
        assertThat(run(Map.of(), "--mid", MID, "single", "A1")).isEqualTo(2);
        assertThat(err.toString().trim()).contains("--url").doesNotContain("\n");
        err.getBuffer().setLength(0);
        assertThat(run(Map.of(), "--url", url(), "--mid", "123", "--key", KEY, "single", "A1")).isEqualTo(2);
        assertThat(err.toString()).contains("15 digits");
    }

    @Test
    void anUnreachableServerIsOneErrorLine() {
        int code = run(Map.of(), "--url", "http://127.0.0.1:1", "--mid", MID, "--key", KEY, "single", "A1");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().trim()).startsWith("error: POST http://127.0.0.1:1/query/single failed").doesNotContain("\n");
    }
}
