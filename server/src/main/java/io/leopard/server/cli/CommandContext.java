package io.leopard.server.cli;

import io.leopard.server.problem.ConfigException;
import java.io.PrintWriter;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine;

/**
 * What the commands share: a failure is one line on stderr, {@code leopard <command>: <message>},
 * with exit code 1 (2 for a command line that does not parse), never a stack trace. A command
 * just throws; the handlers here print. Messages never carry keys.
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

    /**
     * The one error path of every command, set on the command tree by {@link LeopardCommand} (and
     * by a test that runs a subcommand on its own): a failed command prints one line and exits 1
     * ({@link #executionError}), a command line that does not parse prints one line and exits 2
     * ({@link #usageError}).
     */
    static CommandLine withErrorHandlers(CommandLine cli) {
        return cli.setExecutionExceptionHandler(CommandContext::executionError)
                .setParameterExceptionHandler(CommandContext::usageError);
    }

    /**
     * A command threw: {@code leopard <command>: <message>} on stderr, exit code 1; the stack trace
     * is logged only at DEBUG. {@code cli} is the command that ran ({@code merchant add}).
     */
    static int executionError(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        LoggerFactory.getLogger(LeopardCommand.class).debug("leopard {} failed", cli.getCommandName(), e);
        PrintWriter err = cli.getErr();
        err.println(errorLine(cli, e));
        err.flush();
        return 1;
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
