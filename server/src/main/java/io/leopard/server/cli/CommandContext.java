package io.leopard.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What the admin subcommands share: a failure is one line on stderr with exit code 1, never a
 * stack trace. Messages never carry keys.
 */
final class CommandContext {
    private CommandContext() {
    }

    /** Runs {@code action}, turning any failure into one line on stderr and exit code 1. */
    static int run(CommandSpec spec, Callable<Integer> action) {
        try {
            return action.call();
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            spec.commandLine().getErr().println("error: " + message);
            spec.commandLine().getErr().flush();
            return 1;
        }
    }
}
