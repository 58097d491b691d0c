package io.leopard.server.web.helidonfix;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Canaries: the Helidon bugs that this package works around, shown on a bare Helidon server
 * without the workarounds. When an upgraded Helidon fixes one, its
 * test here fails: then the workaround can go (and this test with it).
 */
class HelidonWorkaroundsStillNeededTest {
    private static WebServer bare;

    @BeforeAll
    static void start() {
        bare = WebServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.any((req, res) -> res.send("ok")))
                .build().start();
    }

    @AfterAll
    static void stop() {
        bare.stop();
    }

    /** Sends {@code request} and reads until the server closes, or 2 s; what came, and whether it closed. */
    private static String exchange(String request, boolean[] closed) throws IOException {
        try (Socket s = new Socket("127.0.0.1", bare.port())) {
            s.setSoTimeout(2000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    got.write(buf, 0, n);
                }
                closed[0] = true;
            } catch (SocketTimeoutException e) {
                closed[0] = false;
            } catch (IOException reset) {
                closed[0] = true;
            }
            return got.toString(StandardCharsets.US_ASCII);
        }
    }

    @Test
    void helidonStillRefusesHttp10() throws IOException {
        boolean[] closed = new boolean[1];
        String answer = exchange("GET / HTTP/1.0\r\n\r\n", closed);
        assertThat(answer).as("Helidon now answers HTTP/1.0 itself: OneExchange's rewrite of the request line (and GuardedConnections' use of it) can go")
                .doesNotStartWith("HTTP/1.0 200").doesNotStartWith("HTTP/1.1 200");
    }

    @Test
    void helidonStillKeepsAConnectionOpenAfterAnsweringConnectionClose() throws IOException {
        boolean[] closed = new boolean[1];
        String answer = exchange("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", closed);
        assertThat(answer).startsWith("HTTP/1.1 200");
        assertThat(closed[0]).as("Helidon now closes after Connection: close (helidon-io/helidon#12324): "
                + "OneExchange's Connection: close detection (and WatchedContext's use of it) can go").isFalse();
    }
}
