package io.leopard.sdk.live;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A man in the middle on 127.0.0.1: forwards each request as is to the real server and hands its
 * answer back, after passing the answer's body through the current {@link #tamper(UnaryOperator)
 * rewrite} (the identity by default). It counts requests and remembers the last answer as the
 * server sent it and as the client got it, so a test can check that its rewrite really changed
 * something.
 */
public final class TamperingProxy implements AutoCloseable {
    private final HttpServer server;
    private final String target;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicReference<UnaryOperator<String>> rewrite = new AtomicReference<>(UnaryOperator.identity());
    private final AtomicInteger requests = new AtomicInteger();
    private volatile String lastOriginal;
    private volatile String lastSent;
    private volatile Throwable rewriteFailure;

    /** Proxies to {@code target}, a server's base URL without path (e.g. {@code http://127.0.0.1:1234}). */
    public TamperingProxy(String target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::forward);
        server.start();
    }

    /** {@code http://127.0.0.1:PORT}; the request path is forwarded unchanged. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Rewrites every following answer body with {@code f}. */
    public TamperingProxy tamper(UnaryOperator<String> f) {
        rewriteFailure = null;
        rewrite.set(f);
        return this;
    }

    public TamperingProxy passThrough() {
        return tamper(UnaryOperator.identity());
    }

    public int requests() {
        return requests.get();
    }

    /** What the current rewrite threw (then the client got an HTTP 502), or {@code null}. */
    public Throwable rewriteFailure() {
        return rewriteFailure;
    }

    /** The last answer as the real server wrote it. */
    public String lastOriginal() {
        return lastOriginal;
    }

    /** The last answer as the client received it. */
    public String lastSent() {
        return lastSent;
    }

    private void forward(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        try {
            byte[] body = ex.getRequestBody().readAllBytes();
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI()))
                    .timeout(Duration.ofSeconds(10))
                    .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            String contentType = ex.getRequestHeaders().getFirst("Content-Type");
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            HttpResponse<String> answer = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            lastOriginal = answer.body();
            String sent;
            try {
                sent = rewrite.get().apply(answer.body());
            } catch (RuntimeException | AssertionError e) {
                rewriteFailure = e;
                ex.sendResponseHeaders(502, -1);
                return;
            }
            lastSent = sent;
            byte[] out = sent.getBytes(StandardCharsets.UTF_8);
            answer.headers().firstValue("Content-Type").ifPresent(v -> ex.getResponseHeaders().set("Content-Type", v));
            ex.sendResponseHeaders(answer.statusCode(), out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.sendResponseHeaders(502, -1);
        } catch (IOException e) {
            ex.sendResponseHeaders(502, -1);
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
