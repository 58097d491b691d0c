package io.leopard.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Map;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * How much a command logs. The servers ({@code serve}, {@code demo}) log at INFO: their start-up
 * lines and access log are what an operator watches. An admin command's output is what it did,
 * on stdout; its INFO lines (pool started, database ready) would only bury that, so it logs
 * warnings and errors only. {@code LEOPARD_LOG_LEVEL}, when set, decides for every command.
 */
final class CommandLogging {
    private CommandLogging() {
    }

    /** Runs the parsed command through {@code next} at the level that fits it. */
    static int execute(ParseResult parsed, Map<String, String> env, CommandLine.IExecutionStrategy next) {
        String chosen = env.get("LEOPARD_LOG_LEVEL");
        if ((chosen != null && !chosen.isBlank()) || isServer(parsed)
                || !(LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root)) {
            return next.execute(parsed);
        }
        if (root.getEffectiveLevel().isGreaterOrEqual(Level.WARN)) {
            return next.execute(parsed); // already quiet (or quieter)
        }
        Level before = root.getLevel();
        root.setLevel(Level.WARN);
        try {
            return next.execute(parsed);
        } finally {
            root.setLevel(before); // for tests that run several commands in one JVM
        }
    }

    private static boolean isServer(ParseResult parsed) {
        if (!parsed.hasSubcommand()) {
            return false;
        }
        Object command = parsed.subcommand().commandSpec().userObject();
        return command instanceof ServeCommand || command instanceof DemoCommand;
    }
}
