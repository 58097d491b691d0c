package io.leopard.server.cli;

import io.leopard.server.LeopardServer;
import io.leopard.server.Settings;
import io.leopard.server.demo.DemoRuntime;
import io.leopard.server.ShutdownDeadline;
import io.leopard.server.config.LeopardConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code leopard serve}: runs the service until SIGTERM or Ctrl-C, then shuts down gracefully. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the query service.",
        footerHeading = CommandContext.EXAMPLE, footer = "  ${COMMAND-FULL-NAME} --config leopard.properties --port 8080")
final class ServeCommand implements Callable<Integer> {
    /**
     * A file the launcher asks for once the server serves: it keeps the class archive the JVM
     * writes at exit only from runs that got this far (see ./leopard).
     */
    static final String READY_MARKER = "leopard.ready-marker";

    @Option(names = "--port", paramLabel = "P", description = "Port to listen on (default 8080; LEOPARD_PORT too).")
    Integer port;

    private final Supplier<LeopardConfig> config;

    ServeCommand(Supplier<LeopardConfig> config) {
        this.config = config;
    }

    @Override
    public Integer call() throws InterruptedException {
        LeopardConfig effective = config.get();
        if (port != null) {
            effective = effective.with("port", port.toString());
        }
        LeopardServer server = LeopardServer.start(effective.settings(), ServeCommand::exitForRestart);
        writeNote(server);
        runUntilStopped(server);
        return 0;
    }

    /**
     * On the default embedded database, or with an internal listener, leaves the note
     * ({@code leopard.running} in the data dir) by which admin commands find this server and go
     * through its internal listener, or say that it has none; removed when the server stops. Not
     * being able to write it only costs the commands that shortcut.
     */
    static void writeNote(LeopardServer server) {
        Settings settings = server.settings();
        if (settings.database().defaultEmbeddedDbFile() == null && settings.internal() == null) {
            return;
        }
        try {
            Files.createDirectories(settings.dataDir());
            DemoRuntime note = DemoRuntime.write(settings.dataDir(), DemoRuntime.SERVER_FILE, server.baseUrl(),
                    server.internalBaseUrl());
            atShutdown(new Thread(note::delete, "leopard-serve-note"));
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger(ServeCommand.class).warn("cannot leave the note for admin commands in {}: {}",
                    settings.dataDir(), e.getMessage());
        }
    }

    /** Blocks until the JVM is asked to stop, then closes the server in the shutdown hook. */
    static void runUntilStopped(LeopardServer server) throws InterruptedException {
        markReady(System.getProperty(READY_MARKER));
        CountDownLatch stopped = new CountDownLatch(1);
        Thread shutdown = new Thread(() -> {
            ShutdownDeadline deadline = ShutdownDeadline.forThisJvm(server.settings().shutdown().total()).start();
            server.close();
            LeopardCommand.stopLogging(); // after the server's last lines
            deadline.done();
            stopped.countDown();
        }, "leopard-shutdown");
        atShutdown(shutdown); // a SIGTERM during the start: the orderly stop runs here and now
        stopped.await();
    }

    /**
     * Runs {@code hook} when the JVM stops; at once when it is stopping already (a SIGTERM that came
     * while the server was starting), where a hook can no longer be added.
     */
    static void atShutdown(Thread hook) {
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException alreadyStopping) {
            hook.run();
        }
    }

    /** A listener stopped answering for good: exit (through the shutdown hook) so that a supervisor restarts the node. */
    static void exitForRestart() {
        new Thread(() -> System.exit(1), "leopard-exit").start();
    }

    /** Creates {@code marker} if it is set; failing only costs the next start its class archive. */
    static void markReady(String marker) {
        if (marker == null || marker.isEmpty()) {
            return;
        }
        try {
            Files.write(Path.of(marker), new byte[0]);
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger(ServeCommand.class).debug("cannot create the ready marker {}: {}", marker, e.toString());
        }
    }
}
