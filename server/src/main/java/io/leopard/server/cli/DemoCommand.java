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
import io.leopard.server.internal.InternalSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * prints what a developer needs to send a first signed query. Its internal listener is on
 * ({@code --internal-port}, 127.0.0.1), with the token of {@code internal.tokens} or one it
 * generates, prints once and keeps in the folder while it runs ({@link InternalTokenFile}). While it
 * runs, a note in that folder lets admin commands on it go through that listener (see AdminTarget).
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

    @Option(names = "--internal-port", paramLabel = "P", description = "Port of the internal listener (order writes, "
            + "merchant administration, import; default 8081), on 127.0.0.1, with the token in LEOPARD_INTERNAL_TOKENS "
            + "or one generated and printed once.")
    Integer internalPort;

    @Spec
    CommandSpec spec;

    private final Supplier<LeopardConfig> config;

    /** The broker the demo consumes order events from when events.amqp.uri is not set: RabbitMQ's defaults on this machine. */
    static final String LOCAL_BROKER = "amqp://guest:guest@127.0.0.1:5672";

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
        InternalSettings configuredInternal = base.settings().internal();
        // the internal listener takes writes and administration: on this machine only, whatever the configuration says
        listen.put("internal.host", "127.0.0.1");
        if (internalPort != null) {
            listen.put("internal.port", internalPort.toString());
        }
        String generated = configuredInternal == null ? InternalTokenFile.generate() : null;
        if (generated != null) {
            listen.put("internal.tokens", generated);
        }
        String events = base.text("events.amqp.uri");
        if (events == null || events.isBlank()) {
            // the demo consumes order events from this machine's broker unless told otherwise (off turns it off)
            listen.put("events.amqp.uri", LOCAL_BROKER);
        }
        // before the folder is made fresh: a demo that cannot listen must not wipe the last one's data
        LeopardServer.requirePortsFree(base.with(listen).settings());
        Optional<DemoRuntime> served = DemoRuntime.find(folder, DemoRuntime.SERVER_FILE);
        if (served.isPresent()) {
            throw new IllegalStateException("a server is running on " + folder + " (" + served.get().url() + ", pid "
                    + served.get().pid() + "): making it fresh would pull the database from under it; stop it first");
        }
        DemoFolder.reset(folder);
        Settings demo = DemoFolder.config(base, folder).with(listen).with("playground.enabled", "true")
                // the demo's receivers are on this machine; a server never reaches internal addresses unless told
                .with("notify.allow-private-networks", "true").settings();
        DemoSeeder.seed(demo);
        DemoSeeder.goLive(demo, java.time.Clock.systemUTC());
        LeopardServer server = LeopardServer.start(demo, ServeCommand::exitForRestart);
        if (generated != null) {
            InternalTokenFile.write(folder, generated); // before the note: a command that finds the note finds the token
        }
        DemoRuntime runtime = DemoRuntime.write(folder, DemoRuntime.FILE, server.baseUrl(), server.internalBaseUrl());
        ServeCommand.atShutdown(new Thread(() -> {
            runtime.delete();
            InternalTokenFile.delete(folder);
        }, "leopard-demo-note"));
        printWelcome(server.baseUrl(), folder);
        printInternal(server.internalBaseUrl(), generated, folder);
        printEvents(demo);
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
        out.println("A card-present order paid about " + DemoFixture.LIVE_SETTLES_AFTER_SECONDS + " s after this start"
                + " (the sandbox channel settles it; poll it with the SDK demo, sdk/README.md):");
        out.println("  java -jar sdk-demo/target/leopard-demo.jar --url " + baseUrl + " --mid " + DemoFixture.LIVE_MID
                + " --key " + DemoFixture.OTHER_KEY + " brushcard " + DemoFixture.LIVE_ORDER_NO + " --poll");
        out.println();
        out.println("Compute a sign yourself:  " + program + " sign --key " + first.key()
                + " mid=" + first.mid() + " orderNo=M201611101010100002 noise=demo12345");
        out.flush();
    }

    /** The order events' part of the banner. */
    private void printEvents(Settings demo) {
        PrintWriter out = spec.commandLine().getOut();
        if (demo.events() == null) {
            out.println("Order events: off (events.amqp.uri=off)");
        } else {
            out.println("Order events: consuming queue " + demo.events().queue() + " on " + demo.events().shownUri()
                    + " (dead letters: " + demo.events().deadLetterQueue() + "; /readyz says whether it is connected;"
                    + " LEOPARD_EVENTS_AMQP_URI=off turns it off)");
        }
        out.flush();
    }

    /** The internal listener's part of the banner. */
    private void printInternal(String internalUrl, String generated, Path folder) {
        PrintWriter out = spec.commandLine().getOut();
        out.println();
        internalBanner(internalUrl, generated, folder, spec.root().name()).forEach(out::println);
        out.flush();
    }

    /**
     * Where the internal listener is, its token (a generated one: shown here and nowhere else on
     * screen), a curl to try it, and the admin commands that go through it.
     */
    static List<String> internalBanner(String internalUrl, String generated, Path folder, String program) {
        List<String> lines = new ArrayList<>();
        lines.add("Internal API (merchant administration, order writes, import): " + internalUrl + "/internal/v1");
        String shownToken;
        if (generated != null) {
            shownToken = generated;
            lines.add("  token " + generated + "  (generated for this run, shown only here; LEOPARD_INTERNAL_TOKENS sets your own)");
        } else {
            shownToken = "$TOKEN";
            lines.add("  token: the one in internal.tokens (LEOPARD_INTERNAL_TOKENS); below, TOKEN stands for it");
        }
        lines.add("  curl -s -H \"Authorization: Bearer " + shownToken + "\" " + internalUrl + "/internal/v1/merchants");
        lines.add("Admin commands on this folder go through it while the demo runs" + (generated == null ? ":"
                : " (reading the token from " + folder.resolve(InternalTokenFile.NAME) + ", yours only, removed at stop):"));
        lines.add("  LEOPARD_DATA_DIR=" + folder + " " + program + " merchant list");
        return lines;
    }
}
