package io.leopard.server.cli;

import io.leopard.server.config.LeopardConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What the admin subcommands share: where their configuration comes from, and the rule that a
 * failure is one line on stderr with exit code 1, never a stack trace. Messages never carry keys.
 */
final class CommandContext {
    private CommandContext() {
    }

    /**
     * The configuration: from {@code supplier} when the command was built with one (tests), else
     * from the parent command, which is a {@link ConfigSource} or has a public {@code config()}
     * method returning {@link LeopardConfig}.
     */
    static LeopardConfig config(Supplier<LeopardConfig> supplier, Object parent) {
        if (supplier != null) {
            return supplier.get();
        }
        if (parent instanceof ConfigSource source) {
            return source.config();
        }
        if (parent != null) {
            try {
                Method m = parent.getClass().getMethod("config");
                if (LeopardConfig.class.isAssignableFrom(m.getReturnType())) {
                    return (LeopardConfig) m.invoke(parent);
                }
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                // fall through to the error below
            }
        }
        throw new IllegalStateException("this command needs a parent command that provides the configuration");
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
