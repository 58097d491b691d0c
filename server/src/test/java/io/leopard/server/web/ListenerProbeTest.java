package io.leopard.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.web.connection.ConnectionGuard;
import io.leopard.server.web.connection.ConnectionLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The self-probe against real sockets: one that answers, and one whose connections nobody accepts. */
class ListenerProbeTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private final Health health = new Health(() -> true);
    private final AtomicInteger exits = new AtomicInteger();
    private final ConnectionGuard guard = new ConnectionGuard("test",
            new ConnectionLimits(1, 1, Duration.ofSeconds(75), Duration.ofSeconds(10)), System::nanoTime, a -> false);
    private final AtomicBoolean answering = new AtomicBoolean(true);
    private ServerSocket listener;
    private Thread acceptor;
    private final List<Socket> unanswered = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * A listener that answers while {@code answering} is set, and otherwise takes connections and
     * never answers them, as a listener whose accept loop has died looks from outside.
     */
    private ListenerProbe.Target target() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    if (!answering.get()) {
                        unanswered.add(s);
                        continue;
                    }
                    try (s) {
                        OutputStream out = s.getOutputStream();
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                } catch (IOException e) {
                    return;
                }
            }
        });
        return new ListenerProbe.Target("@default", InetAddress.getLoopbackAddress(), listener.getLocalPort(), guard, null);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (listener != null) {
            listener.close();
        }
        for (Socket s : unanswered) {
            s.close();
        }
        if (acceptor != null) {
            acceptor.join(2000);
        }
    }

    @Test
    void aListenerThatAnswersKeepsTheNodeLive() throws IOException {
        ListenerProbe probe = new ListenerProbe(List.of(target()), TIMEOUT, health, exits::incrementAndGet);
        probe.probeAll();
        probe.probeAll();
        assertThat(health.live()).isTrue();
        assertThat(exits).hasValue(0);
    }

    @Test
    void aListenerThatStopsAcceptingFailsHealthzThenEndsTheNode() throws IOException {
        ListenerProbe probe = new ListenerProbe(List.of(target()), TIMEOUT, health, exits::incrementAndGet);
        answering.set(false);
        probe.probeAll();
        assertThat(health.live()).as("one failure may be a hiccup").isTrue();
        probe.probeAll();
        assertThat(health.live()).isFalse();
        assertThat(exits).hasValue(0);
        probe.probeAll();
        assertThat(exits).hasValue(1);
    }

    @Test
    void aListenerThatAnswersAgainIsLiveAgain() throws IOException {
        ListenerProbe probe = new ListenerProbe(List.of(target()), TIMEOUT, health, exits::incrementAndGet);
        answering.set(false);
        probe.probeAll();
        probe.probeAll();
        assertThat(health.live()).isFalse();
        answering.set(true);
        probe.probeAll();
        assertThat(health.live()).isTrue();
        assertThat(exits).hasValue(0);
    }

    @Test
    void theProbesConnectionIsNeverRefusedByTheConnectionLimits() throws IOException {
        ListenerProbe.Target t = target();
        java.net.InetSocketAddress other = new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
        assertThat(guard.admit(other, () -> { })).isNotNull(); // the listener is now at its cap of one
        java.net.InetSocketAddress probeSource = new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 2);
        guard.expectProbe(probeSource);
        assertThat(guard.admit(probeSource, () -> { })).isNotNull();
        guard.probeDone(probeSource);
        assertThat(guard.admit(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 3), () -> { })).isNull();
        assertThat(new ListenerProbe(List.of(t), TIMEOUT, health, exits::incrementAndGet).probe(t)).isTrue();
    }
}
