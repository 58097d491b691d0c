package io.leopard.server.cli;

import io.leopard.protocol.FormCodec;
import io.leopard.protocol.SignType;
import io.leopard.protocol.Signer;
import io.leopard.server.LeopardServer;
import io.leopard.server.Settings;
import io.leopard.server.config.LeopardConfig;
import io.leopard.server.demo.DemoFixture;
import io.leopard.server.demo.DemoFolder;
import io.leopard.server.demo.DemoRuntime;
import io.leopard.server.demo.DemoSeeder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code leopard demo}: the service on a fresh embedded database holding the demo merchants and
 * orders, in a fixed folder under the data dir ({@code data/demo}) that is kept after it stops;
 * prints what a developer needs to send a first signed query. While it runs, a note in that
 * folder lets admin commands on the data dir point at it (see EmbeddedDatabaseGuard).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the service on a fresh embedded database holding the demo fixture, in data-dir/demo "
                + "(kept after it stops).",
        footerHeading = CommandContext.EXAMPLE, footer = "  ${COMMAND-FULL-NAME} --port 18080")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "P", description = "Port to listen on (default 8080; LEOPARD_PORT too).")
    Integer port;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to listen on (default 127.0.0.1: the "
            + "demo's keys are published, so it is not reachable from the network unless asked; 0.0.0.0 for every "
            + "interface). A host set in the configuration other than 0.0.0.0 is used too.")
    String host;

    @Spec
    CommandSpec spec;

    private final Supplier<LeopardConfig> config;

    DemoCommand(Supplier<LeopardConfig> config) {
        this.config = config;
    }

    @Override
    public Integer call() throws InterruptedException {
        LeopardConfig base = config.get();
        Path folder = DemoFolder.of(base.settings().dataDir());
        Optional<DemoRuntime> running = DemoRuntime.find(folder);
        if (running.isPresent()) { // making the folder fresh would pull the database from under it
            throw new IllegalStateException("a demo is already running at " + running.get().url() + " (pid "
                    + running.get().pid() + ") on " + folder + ": use it, or stop it (Ctrl-C where it runs) first");
        }
        Map<String, String> listen = new LinkedHashMap<>();
        String configuredHost = base.settings().web().host();
        listen.put("host", host != null ? host : "0.0.0.0".equals(configuredHost) ? "127.0.0.1" : configuredHost);
        if (port != null) {
            listen.put("port", port.toString());
        }
        // before the folder is made fresh: a demo that cannot listen must not wipe the last one's data
        LeopardServer.requirePortsFree(base.with(listen).settings().web());
        DemoFolder.reset(folder);
        Settings demo = DemoFolder.config(base, folder).with(listen).with("playground.enabled", "true").settings();
        DemoSeeder.seed(demo);
        LeopardServer server = LeopardServer.start(demo, ServeCommand::exitForRestart);
        DemoRuntime runtime = DemoRuntime.write(folder, server.baseUrl());
        Runtime.getRuntime().addShutdownHook(new Thread(runtime::delete, "leopard-demo-note"));
        printWelcome(server.baseUrl(), folder);
        ServeCommand.runUntilStopped(server);
        return 0;
    }

    private void printWelcome(String baseUrl, Path folder) {
        PrintWriter out = spec.commandLine().getOut();
        String program = spec.root().name();
        out.println();
        out.println("Leopard demo is running at " + baseUrl + "  (Ctrl-C stops it)");
        out.println("Its database is in " + folder + ": made fresh at every demo start, kept after it stops"
                + " (serve it again with LEOPARD_DATA_DIR=" + folder + " " + program + " serve).");
        out.println();
        out.println("Demo merchants (test keys, published in the README):");
        for (DemoFixture.DemoMerchant m : DemoFixture.MERCHANTS) {
            out.printf("  mid %s  key %s  %s%n", m.mid(), m.key(), m.enabled() ? "enabled" : "DISABLED");
        }
        DemoFixture.DemoMerchant first = DemoFixture.MERCHANTS.get(0);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("mid", first.mid());
        params.put("orderNo", "M201611101010100002");
        params.put("noise", "demo12345");
        params.put("sign", Signer.sign(params, first.key(), SignType.MD5));
        out.println();
        out.println("Try a signed query:");
        out.println("  curl -s -X POST " + baseUrl + "/query/single -d '" + FormCodec.encode(params) + "'");
        java.net.URI base = java.net.URI.create(baseUrl); // the pages are outside the path prefix
        out.println("Or in a browser: " + base.getScheme() + "://" + base.getRawAuthority()
                + "/playground (sign, send, and see why a sign is wrong), /docs for the API reference");
        out.println();
        out.println("Compute a sign yourself:  " + program + " sign --key " + first.key()
                + " mid=" + first.mid() + " orderNo=M201611101010100002 noise=demo12345");
        out.flush();
    }
}
