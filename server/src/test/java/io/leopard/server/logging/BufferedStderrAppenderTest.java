package io.leopard.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The production logging setup (src/main/resources/logback.xml), on a standard error of our own. */
class BufferedStderrAppenderTest {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream realStderr;
    private LoggerContext context;

    @BeforeEach
    void productionConfigurationOnCapturedStderr() throws Exception {
        realStderr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        // target/classes/logback.xml, not the tests' logback-test.xml
        URL production = BufferedStderrAppender.class.getProtectionDomain().getCodeSource().getLocation().toURI()
                .resolve("logback.xml").toURL();
        configurator.doConfigure(production);
        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR"))
                .isInstanceOf(BufferedStderrAppender.class);
    }

    @AfterEach
    void restore() {
        context.stop();
        System.setErr(realStderr);
    }

    private String stderr() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyLineFromManyThreadsArrivesWholeAndInOrderWhenLoggingStops() throws Exception {
        Logger log = context.getLogger("leopard.access");
        int threads = 8;
        int lines = 2_000;
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int writer = t;
            writers.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < lines; i++) {
                    log.info("writer={} line={} padding={}", writer, i, "x".repeat(i % 300));
                }
            }));
        }
        for (Thread w : writers) {
            w.join();
        }
        context.stop();

        int[] next = new int[threads];
        Matcher m = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+(?:Z|[+-]\\d\\d:\\d\\d) INFO  \\[[^\\n]*\\] leopard.access - writer=(?<writer>\\d+) line=(?<line>\\d+) padding=(?<padding>x*)\\n")
                .matcher(stderr());
        int matched = 0;
        int end = 0;
        while (m.find()) {
            assertThat(m.start()).as("nothing between two lines").isEqualTo(end);
            int writer = Integer.parseInt(m.group("writer"));
            int line = Integer.parseInt(m.group("line"));
            assertThat(line).as("writer %d's lines in order", writer).isEqualTo(next[writer]++);
            assertThat(m.group("padding")).hasSize(line % 300);
            end = m.end();
            matched++;
        }
        assertThat(end).as("the whole output is log lines").isEqualTo(stderr().length());
        assertThat(matched).isEqualTo(threads * lines);
    }

    @Test
    void aLoneLineIsWrittenOutWithoutWaitingForMore() throws Exception {
        context.getLogger("leopard.test").warn("the only line");
        // the flusher runs every 100 ms; 10 s only bounds a broken flusher
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!stderr().contains("the only line") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(stderr()).contains("WARN ").contains("leopard.test - the only line");
    }

    @Test
    void aNonPositiveFlushIntervalIsRefused() {
        BufferedStderrAppender<Object> appender = new BufferedStderrAppender<>();
        appender.setContext(context);
        appender.setFlushMillis(0);
        appender.start();
        assertThat(appender.isStarted()).isFalse();
    }
}
