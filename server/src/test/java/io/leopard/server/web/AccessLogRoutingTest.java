package io.leopard.server.web;

import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.MID;
import static io.leopard.server.web.QueryEndpointsRoutingTest.params;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** One access-log line per request, with the fields an operator reads; none for the node's own probes. */
class AccessLogRoutingTest {
    private final Logger access = (Logger) LoggerFactory.getLogger("leopard.access");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    private Level before;

    @BeforeEach
    void capture() {
        before = access.getLevel();
        access.setLevel(Level.INFO);
        lines.start();
        access.addAppender(lines);
    }

    @AfterEach
    void release() {
        access.detachAppender(lines);
        access.setLevel(before);
    }

    private List<String> logged() {
        synchronized (lines) { // the appender appends under its own lock
            return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /**
     * The lines once {@code n} have been written: a line is written after its answer has gone out,
     * on the server's thread, so the client may read the answer first (5 s at most).
     */
    private List<String> logged(int n) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (logged().size() < n && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        return logged();
    }

    @Test
    void eachRequestIsOneLineWithItsOutcomeAndStatus() throws Exception {
        try (RoutedDemo demo = RoutedDemo.start(Map.of())) {
            demo.postSigned("/query/single", params(MID, "M201611101010100002"), KEY);
            demo.send("GET", "/wp-admin/x");
            demo.send("GET", "/");
            demo.send("DELETE", "/readyz");
            demo.databaseUp(false);
            demo.send("GET", "/readyz", Map.of("X-Request-Id", "probe-looking-1"));
            List<String> logged = logged(5);
            assertThat(logged).hasSize(5);
            assertThat(logged.get(0)).startsWith("method=POST path=/query/single mid=" + MID + " errCode=SUCCESS status=200 ");
            assertThat(logged.get(1)).startsWith("method=GET path=/wp-admin/x mid=- errCode=NOT_FOUND status=404 ");
            assertThat(logged.get(2)).startsWith("method=GET path=/ mid=- errCode=OK status=200 ");
            assertThat(logged.get(3)).startsWith("method=DELETE path=/readyz mid=- errCode=METHOD_NOT_ALLOWED status=405 ");
            assertThat(logged.get(4)).startsWith("method=GET path=/readyz mid=- errCode=NOT_READY status=503 ")
                    .endsWith("requestId=probe-looking-1");
            assertThat(String.join("\n", logged)).doesNotContain(KEY);
        }
    }

    @Test
    void theNodesOwnProbesAreNeitherLoggedNorCounted() throws Exception {
        try (RoutedDemo demo = RoutedDemo.start(Map.of())) {
            demo.send("GET", "/healthz", Map.of(ListenerProbe.PROBE_HEADER.defaultCase(), ListenerProbe.probeToken()));
            assertThat(demo.send("GET", "/metrics").body()).doesNotContain("endpoint=\"/healthz\"");
            demo.send("GET", "/healthz", Map.of(ListenerProbe.PROBE_HEADER.defaultCase(), "guessed"));
            List<String> logged = logged(2);
            assertThat(logged).as("the probe is not logged; a client cannot hide behind its header").hasSize(2);
            assertThat(logged.get(0)).startsWith("method=GET path=/metrics ");
            assertThat(logged.get(1)).startsWith("method=GET path=/healthz ");
        }
    }
}
