package io.leopard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Admin commands log warnings only, the servers INFO, and LEOPARD_LOG_LEVEL decides for all. The
 * loggers are set as logback.xml sets them outside tests: everything at the root's INFO.
 */
class CommandLoggingTest {
    @TempDir
    Path dir;
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger leopard = (Logger) LoggerFactory.getLogger("io.leopard");
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Level rootBefore;
    private Level leopardBefore;

    @BeforeEach
    void likeProduction() {
        rootBefore = root.getLevel();
        leopardBefore = leopard.getLevel();
        root.setLevel(Level.INFO);
        leopard.setLevel(null); // inherits, as in logback.xml (logback-test.xml sets it to INFO)
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void restore() {
        root.detachAppender(captured);
        root.setLevel(rootBefore);
        leopard.setLevel(leopardBefore);
    }

    private int run(Map<String, String> env, String... args) {
        CommandLine cli = LeopardCommand.commandLine(env);
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        return cli.execute(args);
    }

    @Test
    void anAdminCommandSaysWhatItDidAndNothingElse() {
        assertThat(run(Map.of("LEOPARD_DATA_DIR", dir.toString()), "merchant", "add", "--mid", "100000000000001",
                "--name", "Shop")).isZero();
        assertThat(captured.list).as("no INFO lines such as 'database … ready'")
                .allSatisfy(e -> assertThat(e.getLevel().isGreaterOrEqual(Level.WARN)).as(e.getFormattedMessage()).isTrue())
                .anySatisfy(e -> assertThat(e.getFormattedMessage()).as("warnings still show").contains("generated a new master key"));
        assertThat(root.getLevel()).as("restored afterwards").isEqualTo(Level.INFO);
    }

    @Test
    void leopardLogLevelDecidesForEveryCommand() {
        assertThat(run(Map.of("LEOPARD_DATA_DIR", dir.toString(), "LEOPARD_LOG_LEVEL", "INFO"), "merchant", "add",
                "--mid", "100000000000001", "--name", "Shop")).isZero();
        assertThat(captured.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("ready"));
    }

    @Test
    void theServersKeepTheirInfoLines() {
        assertThat(levelWhileRunning("serve")).isEqualTo(Level.INFO);
        assertThat(levelWhileRunning("demo", "--port", "18080")).isEqualTo(Level.INFO);
        assertThat(levelWhileRunning("merchant", "list")).isEqualTo(Level.WARN);
        assertThat(levelWhileRunning("sign", "--key", "k", "a=1")).isEqualTo(Level.WARN);
    }

    /** The root level the command would run at, seen from a stand-in for picocli's execution. */
    private Level levelWhileRunning(String... args) {
        CommandLine cli = LeopardCommand.commandLine(Map.of());
        CommandLine.ParseResult parsed = cli.parseArgs(args);
        AtomicReference<Level> seen = new AtomicReference<>();
        CommandLogging.execute(parsed, Map.of(), p -> {
            seen.set(root.getEffectiveLevel());
            return 0;
        });
        return seen.get();
    }
}
