package io.leopard.server.cli;

import io.leopard.server.problem.ConfigException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What the commands share: a failure is one line on stderr, {@code leopard <command>: <message>},
 * with exit code 1, never a stack trace. Messages never carry keys.
 */
final class CommandContext {
    /** Heading of the example every command shows under its usage ({@code --help}). */
    static final String EXAMPLE = "%nExample:%n";
    /**
     * System property naming the program as the user typed it ({@code ./leopard}, set by the
     * launcher), so that usage lines and hints can be pasted as they are.
     */
    static final String PROGRAM = "leopard.program";

    private CommandContext() {
    }

    /** Runs {@code action}, turning any failure into one line on stderr and exit code 1. */
    static int run(CommandSpec spec, Callable<Integer> action) {
        try {
            return action.call();
        } catch (Exception e) {
            CommandLine executed = executed(spec.commandLine());
            PrintWriter err = executed.getErr();
            err.println(errorLine(executed, e));
            err.flush();
            return 1;
        }
    }

    /**
     * The command that ran: for a method subcommand ({@code merchant add}) the {@code @Spec} its
     * class gets is the parent's, so the parse result names the one that was typed.
     */
    private static CommandLine executed(CommandLine cli) {
        CommandLine.ParseResult parsed = cli.getParseResult();
        while (parsed != null && parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        return parsed == null ? cli : parsed.commandSpec().commandLine();
    }

    /** The one line a failed command prints: {@code leopard merchant add: merchant … already exists}. */
    static String errorLine(CommandLine cli, Exception e) {
        String message = e instanceof ConfigException ? "configuration error: " + e.getMessage()
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return commandName(cli) + ": " + message;
    }

    /**
     * A command line picocli could not parse: one line naming the command, what is wrong and where
     * the usage is, and exit code 2. Picocli's own handler would print the whole usage after it.
     */
    static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        String line = commandName(cli) + ": " + e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            line += "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?";
        }
        PrintWriter err = cli.getErr();
        err.println(line + " (see " + commandName(cli) + " --help)");
        err.flush();
        return cli.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * The command as the user typed it, {@code leopard merchant add}; also when a test runs a
     * subcommand on its own, without the {@code leopard} root.
     */
    static String commandName(CommandLine cli) {
        CommandSpec spec = cli.getCommandSpec();
        return spec.root().userObject() instanceof LeopardCommand ? spec.qualifiedName() : "leopard " + spec.qualifiedName();
    }
}
