package io.leopard.server.cli;

import ch.qos.logback.classic.LoggerContext;
import io.leopard.server.StandardChannels;
import io.leopard.server.channel.ChannelHttp;
import io.leopard.server.config.LeopardConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code leopard}: one executable, one configuration (a file given with {@code --config} plus
 * {@code LEOPARD_*} environment variables) for the service and every admin command.
 */
@Command(name = "leopard", mixinStandardHelpOptions = true, version = "Leopard 1.0.0",
        description = "The merchant order query service of the payment platform, and its admin tools.",
        subcommands = {CommandLine.HelpCommand.class}, footerHeading = "%nExamples:%n",
        footer = {"  ${ROOT-COMMAND-NAME} demo", "  ${ROOT-COMMAND-NAME} merchant --help", "  ${ROOT-COMMAND-NAME} order import --help"})
public final class LeopardCommand implements Supplier<LeopardConfig> {

    @Option(names = "--config", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
            description = "Properties file with settings; LEOPARD_* environment variables override it.")
    Path configFile;

    private final Map<String, String> env;

    LeopardCommand(Map<String, String> env) {
        this.env = env;
    }

    /** The configuration every subcommand uses; a bad one stops the command with a clear message. */
    @Override
    public LeopardConfig get() {
        return LeopardConfig.load(configFile, env);
    }

    public static void main(String[] args) {
        int exitCode = commandLine(System.getenv()).execute(args);
        stopLogging();
        System.exit(exitCode);
    }

    /**
     * Writes out the log lines still buffered (see BufferedStderrAppender) and stops logging. Called
     * where a command ends, rather than from a JVM shutdown hook of Logback's own, which would run
     * at the same time as the server's and lose its last lines.
     */
    static void stopLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }

    /** The whole command tree; tests call {@code execute} on it with captured output. */
    public static CommandLine commandLine(Map<String, String> env) {
        LeopardCommand root = new LeopardCommand(env);
        CommandLine cli = new CommandLine(root).setCommandName(System.getProperty(CommandContext.PROGRAM, "leopard"));
        cli.addSubcommand("serve", new ServeCommand(root));
        cli.addSubcommand("demo", new DemoCommand(root));
        // set-channel on the database checks credentials with the adapters a server would use
        cli.addSubcommand("merchant", new MerchantCommand(root, settings -> StandardChannels.create(settings.channels(),
                new ChannelHttp(settings.channels()), Clock.systemUTC())));
        cli.addSubcommand("order", new OrderCommand(root));
        cli.addSubcommand("notify", new NotifyCommand(root));
        cli.addSubcommand("master-key", new MasterKeyCommand(root));
        cli.addSubcommand("sign", new SignCommand());
        cli.getSubcommands().get("help").getCommandSpec().usageMessage()
                .footerHeading(CommandContext.EXAMPLE).footer("  ${PARENT-COMMAND-NAME} help merchant");
        CommandContext.withErrorHandlers(cli);
        cli.setExecutionStrategy(parsed -> CommandLogging.execute(parsed, env, new CommandLine.RunLast()));
        return cli;
    }
}
