package io.leopard.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.leopard.sdk.LeopardException;
import io.leopard.sdk.LeopardNotifications;
import io.leopard.sdk.Notification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A merchant's notify URL for the demo: a JDK HTTP server that verifies every POSTed notification
 * with the SDK, prints it, and answers {@code SUCCESS}, or {@code FAIL} with HTTP 400 (printing
 * why) when it does not verify, so that Leopard sends it again. One request at a time (the JDK
 * server's default executor): the printed blocks never interleave.
 */
final class NotificationListener implements AutoCloseable {
    /** Notifications are a few hundred bytes; more is not one. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final HttpServer server;
    private final LeopardNotifications notifications;
    private final Printer printer;
    private final CountDownLatch verified;

    /** @param max how many verified notifications {@link #await} waits for ({@code 0}: for ever) */
    NotificationListener(String host, int port, LeopardNotifications notifications, Printer printer, int max) throws IOException {
        this.notifications = notifications;
        this.printer = printer;
        this.verified = new CountDownLatch(max > 0 ? max : Integer.MAX_VALUE);
        this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/", this::handle);
    }

    NotificationListener start() {
        server.start();
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Blocks until {@code max} notifications verified (for ever when 0), or the thread is interrupted. */
    void await() throws InterruptedException {
        verified.await(Long.MAX_VALUE, TimeUnit.DAYS);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                answer(exchange, 405, "FAIL");
                return;
            }
            String body = readBody(exchange.getRequestBody());
            if (body == null) {
                printer.refused("a body over " + MAX_BODY_BYTES + " bytes");
                answer(exchange, 400, "FAIL");
                return;
            }
            Notification n;
            try {
                n = notifications.verify(body);
            } catch (LeopardException | IllegalArgumentException e) {
                printer.refused(e.getMessage());
                answer(exchange, 400, "FAIL");
                return;
            }
            printer.notification(n);
            answer(exchange, 200, "SUCCESS");
            verified.countDown();
        } finally {
            exchange.close();
        }
    }

    /** The body as UTF-8 (Leopard sends {@code charset=UTF-8}); {@code null} when over the limit. */
    private static String readBody(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (out.size() + n > MAX_BODY_BYTES) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        OutputStream os = exchange.getResponseBody();
        os.write(bytes);
        os.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
