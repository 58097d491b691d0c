package io.leopard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.leopard.protocol.SignType;
import io.leopard.sdk.LeopardSigner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code listen}: a real notification body as the server signs it (a copy of the one the server's
 * NotificationSampleTest pins) is printed and answered SUCCESS, a tampered one is refused with 400
 * FAIL; {@code events}: a page from a fake Leopard printed one block per event.
 */
class ListenAndEventsTest {
    private static final String MID = "100000510983456";
    private static final String KEY = "9d101c97133837e13dde2d32a5054abb";
    private static final String PAID_MD5 = "mid=100000510983456&orderNo=M201611101010100002&flowNo=20161101010100198763"
            + "&tradeNo=1217752501201407033233368018&amount=5230.00&type=wechat&status=1&orderTime=20161110101010"
            + "&payTime=20161110101323&eventId=20161101010100198763-2&notifyTime=20161110101325"
            + "&noise=Qm5Zr2Xc8LkP0aTbV7yN3sWd6FhJ1gUe&sign=6E8D2176D05283910FB07AA57983349C";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return LeopardDemo.run(args, new PrintWriter(out, true), new PrintWriter(err, true), name -> null);
    }

    @Test
    void listenVerifiesPrintsAndAnswers() throws Exception {
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() ->
                run("--mid", MID, "--key", KEY, "listen", "--port", "0", "--max", "1"));
        int port = listeningPort();

        String[] tampered = post(port, PAID_MD5.replace("amount=5230.00", "amount=1.00"));
        assertThat(tampered[0]).isEqualTo("400");
        assertThat(tampered[1]).isEqualTo("FAIL");
        assertThat(out.toString()).contains("notification REFUSED: notification: the signature does not match");

        String[] good = post(port, PAID_MD5);
        assertThat(good[0]).isEqualTo("200");
        assertThat(good[1]).isEqualTo("SUCCESS");
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString()).contains("notification 20161101010100198763-2 (mid " + MID + ", sent 2016-11-10 10:13:25)")
                .contains("amount     5230.00").contains("status     1 (paid)").contains("answered SUCCESS")
                .doesNotContain("amount     1.00");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void listenNeedsAKeyAndAPort() {
        assertThat(run("--mid", MID, "listen", "--port", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("no key");
        assertThat(run("--mid", MID, "--key", KEY, "listen")).isEqualTo(2);
        assertThat(err.toString()).contains("--port");
    }

    @Test
    void eventsPrintsEachEventAndWhereToContinue() throws Exception {
        HttpServer leopard = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        StringBuilder asked = new StringBuilder();
        leopard.createContext("/query/events", ex -> {
            String request = new String(read(ex.getRequestBody()), StandardCharsets.UTF_8);
            asked.append(request);
            Map<String, String> f = new LinkedHashMap<>();
            f.put("code", "SUCCESS");
            f.put("msg", "ok");
            f.put("resultCode", "SUCCESS");
            f.put("mid", MID);
            f.put("noise", "N0ISE");
            f.put("events", "[{\"eventId\":\"F1-2\",\"orderNo\":\"M1\",\"flowNo\":\"F1\",\"amount\":18.80,\"type\":\"wechat\","
                    + "\"status\":\"1\",\"orderTime\":\"20261203160000\",\"payTime\":\"20261203160105\",\"changeTime\":\"20261203160106\"}]");
            f.put("next", "c1042");
            f.put("hasMore", "false");
            f.put("reqNoise", LeopardDemoTest.noiseOf(request));
            f.put("sign", LeopardSigner.sign(f, KEY, SignType.MD5));
            StringBuilder sb = new StringBuilder("{");
            f.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":\"")
                    .append(v.replace("\"", "\\\"")).append('"'));
            byte[] bytes = sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(bytes);
            }
        });
        leopard.start();
        try {
            int code = run("--url", "http://127.0.0.1:" + leopard.getAddress().getPort(), "--mid", MID, "--key", KEY,
                    "events", "--after", "c1041", "--limit", "10");
            assertThat(code).as(err.toString()).isZero();
            assertThat(asked.toString()).contains("after=c1041").contains("limit=10");
            assertThat(out.toString()).contains("event F1-2 (changed 2026-12-03 16:01:06)").contains("amount     18.80")
                    .contains("(1 event, answer signature verified)").contains("next: c1042 (nothing more yet");
        } finally {
            leopard.stop(0);
        }
        assertThat(run("--url", "http://127.0.0.1:1", "--mid", MID, "--key", KEY, "events", "--after", "bad")).isEqualTo(2);
        assertThat(err.toString()).contains("after");
    }

    /** The port the listen command printed, waiting for it. */
    private int listeningPort() throws InterruptedException {
        Pattern p = Pattern.compile("on http://127\\.0\\.0\\.1:(\\d+)/");
        for (int i = 0; i < 200; i++) {
            Matcher m = p.matcher(out.toString());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(25);
        }
        throw new AssertionError("listen printed no port: " + out + err);
    }

    /** HTTP status and body of posting {@code form}. */
    private static String[] post(int port, String form) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/notify").toURL().openConnection();
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
        try (OutputStream os = c.getOutputStream()) {
            os.write(form.getBytes(StandardCharsets.UTF_8));
        }
        int status = c.getResponseCode();
        InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
        return new String[] {String.valueOf(status), new String(read(in), StandardCharsets.UTF_8)};
    }

    private static byte[] read(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[4096];
        int n;
        while ((n = in.read(b)) > 0) {
            out.write(b, 0, n);
        }
        return out.toByteArray();
    }
}
