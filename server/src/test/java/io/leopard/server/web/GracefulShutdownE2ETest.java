package io.leopard.server.web;

import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.MID;
import static io.leopard.server.web.QueryEndpointsRoutingTest.params;
import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code close()} as SIGTERM runs it: {@code /readyz} fails at once while queries are still served
 * for the drain, then the listener stops accepting and a request already in flight still gets its
 * answer, all within drain + grace.
 */
class GracefulShutdownE2ETest {
    private static final Duration DRAIN = Duration.ofMillis(1000);
    private static final Duration GRACE = Duration.ofSeconds(3);

    @Test
    void drainsThenStopsAcceptingThenFinishesInFlightRequests() throws Exception {
        LiveLeopard demo = LiveLeopard.start(Map.of("shutdown.drain", DRAIN.toMillis() + "ms", "shutdown.grace", GRACE.toSeconds() + "s"));
        int port = demo.server.port();
        String root = "http://127.0.0.1:" + port;
        assertThat(demo.send("GET", root + "/readyz").statusCode()).isEqualTo(200);

        // a request in flight: its headers and half its body are sent before the shutdown begins
        Map<String, String> signed = new TreeMap<>(params(MID, "M201611101010100002"));
        signed.put("sign", IndependentVerifier.sign(signed, KEY, "MD5"));
        byte[] body = LiveLeopard.form(signed).getBytes(StandardCharsets.US_ASCII);
        int half = body.length / 2;
        try (Socket slow = new Socket("127.0.0.1", port)) {
            slow.setSoTimeout(10_000);
            OutputStream out = slow.getOutputStream();
            out.write(("POST /query/single HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, half);
            out.flush();
            Thread.sleep(200); // let the handler start reading the body

            long start = System.nanoTime();
            Thread closer = Thread.ofPlatform().name("test-close").start(demo::close);

            // the drain: not ready, but still answering queries
            assertThat(waitForReadyz(demo, root, 503, DRAIN.dividedBy(2))).isTrue();
            HttpResponse<String> during = demo.postSigned("/query/single", params(MID, "M201611101010100002"), KEY);
            assertThat(IndependentVerifier.fields(during.body())).containsEntry("code", "SUCCESS");
            assertThat(elapsed(start)).isLessThan(DRAIN);

            // then the listener closes
            assertThat(waitUntilRefused(port, DRAIN.plusSeconds(2))).isTrue();
            assertThat(elapsed(start)).isGreaterThanOrEqualTo(DRAIN);
            assertThat(closer.isAlive()).as("close() waits for the request in flight").isTrue();

            // the request in flight completes and is answered
            out.write(body, half, body.length - half);
            out.flush();
            String answer = readResponse(slow.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 200").contains("\"code\":\"SUCCESS\"").contains("\"resultCode\":\"SUCCESS\"");

            closer.join(GRACE.plusSeconds(2).toMillis());
            assertThat(closer.isAlive()).isFalse();
            assertThat(elapsed(start)).isLessThan(DRAIN.plus(GRACE));
        }
        demo.close(); // a second close does nothing
    }

    private static boolean waitForReadyz(LiveLeopard demo, String root, int status, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (demo.send("GET", root + "/readyz").statusCode() == status) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static boolean waitUntilRefused(int port, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            } catch (ConnectException e) {
                return true;
            } catch (IOException e) {
                // timed out: try again
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Reads one HTTP/1.1 response with a Content-Length body. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString();
            }
            head.append((char) b);
        }
        int length = Integer.parseInt(head.toString().replaceAll("(?is).*\r\ncontent-length: *(\\d+).*", "$1"));
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
