package io.leopard.server.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChannelHttpTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final ChannelHttp http = new ChannelHttp(ChannelSettings.defaults());
    private final AtomicInteger targetCalls = new AtomicInteger();
    private final AtomicReference<String> received = new AtomicReference<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/ok", ex -> {
            received.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                    + "|" + ex.getRequestMethod() + "|" + ex.getRequestHeaders().getFirst("Content-Type"));
            answer(ex, 200, "<xml>答</xml>".getBytes(StandardCharsets.UTF_8));
        });
        server.createContext("/status", ex -> answer(ex, 503, "busy".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/exact", ex -> answer(ex, 200, new byte[ChannelHttp.MAX_ANSWER_BYTES]));
        server.createContext("/large", ex -> answer(ex, 200, new byte[ChannelHttp.MAX_ANSWER_BYTES + 1]));
        server.createContext("/slow", ex -> {
            try {
                release.await(20, TimeUnit.SECONDS); // far beyond the client's timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(ex, 200, "late".getBytes(StandardCharsets.UTF_8));
        });
        server.createContext("/trickle", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, 0); // chunked: headers at once, then a body that never ends in time
            OutputStream out = ex.getResponseBody();
            out.write("<xml>".getBytes(StandardCharsets.UTF_8));
            out.flush();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        server.createContext("/chunked-large", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, 0); // no length announced
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 70; i++) {
                    out.write(new byte[1024]);
                    out.flush();
                }
            } catch (IOException e) {
                // the client gave up reading, as it should
            }
        });
        server.createContext("/redirect", ex -> {
            ex.getResponseHeaders().add("Location", uri("/target").toString());
            answer(ex, 302, new byte[0]);
        });
        server.createContext("/target", ex -> {
            targetCalls.incrementAndGet();
            answer(ex, 200, "followed".getBytes(StandardCharsets.UTF_8));
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private static void answer(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getRequestBody().readAllBytes();
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private ChannelException.Failure failure(URI uri, Duration timeout) {
        try {
            http.post(uri, "text/xml", "<xml/>", timeout);
        } catch (ChannelException e) {
            return e.failure();
        }
        throw new AssertionError("no ChannelException");
    }

    @Test
    void returnsTheBodyOfA200() {
        assertThat(http.post(uri("/ok"), "text/xml; charset=UTF-8", "<xml>问</xml>", TIMEOUT)).isEqualTo("<xml>答</xml>");
        assertThat(received.get()).isEqualTo("<xml>问</xml>|POST|text/xml; charset=UTF-8");
    }

    @Test
    void anotherStatusIsHttpStatus() {
        assertThat(failure(uri("/status"), TIMEOUT)).isEqualTo(ChannelException.Failure.HTTP_STATUS);
    }

    @Test
    void atMost64KiB() {
        assertThat(http.post(uri("/exact"), "text/xml", "", TIMEOUT)).hasSize(ChannelHttp.MAX_ANSWER_BYTES);
        assertThat(failure(uri("/large"), TIMEOUT)).isEqualTo(ChannelException.Failure.MALFORMED);
    }

    @Test
    void aSlowAnswerIsATimeoutAndTheClientGivesUp() {
        long start = System.nanoTime();
        assertThat(failure(uri("/slow"), Duration.ofMillis(200))).isEqualTo(ChannelException.Failure.TIMEOUT);
        long elapsed = System.nanoTime() - start;
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
        assertThat(elapsed).isLessThan(Duration.ofSeconds(5).toNanos());
    }

    @Test
    void aChunkedAnswerBeyond64KiBIsMalformed() {
        assertThat(failure(uri("/chunked-large"), TIMEOUT)).isEqualTo(ChannelException.Failure.MALFORMED);
    }

    @Test
    void theWholeBodyMustArriveWithinTheTimeout() {
        long start = System.nanoTime();
        assertThat(failure(uri("/trickle"), Duration.ofMillis(200))).isEqualTo(ChannelException.Failure.TIMEOUT);
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(5).toNanos());
    }

    @Test
    void aClosedPortIsUnreachable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        long start = System.nanoTime();
        assertThat(failure(URI.create("http://127.0.0.1:" + port + "/"), TIMEOUT)).isEqualTo(ChannelException.Failure.UNREACHABLE);
        assertThat(System.nanoTime() - start).isLessThan(TIMEOUT.toNanos());
    }

    @Test
    void redirectsAreNotFollowed() {
        assertThat(failure(uri("/redirect"), TIMEOUT)).isEqualTo(ChannelException.Failure.HTTP_STATUS);
        assertThat(targetCalls).hasValue(0);
    }
}
