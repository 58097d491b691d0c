package io.leopard.demo;

import io.leopard.protocol.SignType;
import io.leopard.sdk.LeopardClient;
import io.leopard.sdk.LeopardException;
import io.leopard.sdk.LeopardNotifications;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Queries Leopard through the SDK and prints the verified answers:
 * {@code java -jar leopard-demo.jar --url URL --mid MID --key KEY single|multi|brushcard|events ...},
 * or receives notifications: {@code --mid MID --key KEY listen --port P}.
 * Exit codes: 0 a verified answer (found or not), 1 Leopard or the network failed, 2 bad usage.
 */
@Command(name = "leopard-demo", mixinStandardHelpOptions = true, version = "leopard-demo 1.0.0-SNAPSHOT",
        description = "Queries Leopard orders through the merchant SDK and prints verified answers.",
        subcommands = {CommandLine.HelpCommand.class, LeopardDemo.Single.class, LeopardDemo.Multi.class,
                LeopardDemo.Brushcard.class, LeopardDemo.Events.class, LeopardDemo.Listen.class})
public final class LeopardDemo implements Callable<Integer> {
    static final String KEY_ENV = "LEOPARD_KEY";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL",
            description = "Leopard base URL, e.g. http://127.0.0.1:8080 or https://pay.example.com/v2 (every command but listen)")
    String url;

    @Option(names = "--mid", required = true, paramLabel = "MID", description = "Merchant number (15 digits)")
    String mid;

    @Option(names = "--key", paramLabel = "KEY",
            description = "Merchant key; default: the environment variable " + KEY_ENV + " (keeps it out of shell history)")
    String key;

    @Option(names = "--sign-type", paramLabel = "T", description = "MD5 (default), SHA1, SHA256 or HMAC-SHA256")
    String signType;

    @Option(names = "--timestamp", description = "Send a signed timestamp with every request: needed once the platform "
            + "has turned replay protection on for the merchant")
    boolean timestamp;

    private Env env = Env.SYSTEM;

    /** Where the key may come from besides {@code --key}. */
    interface Env {
        String get(String name);

        Env SYSTEM = System::getenv;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, out, err, Env.SYSTEM));
    }

    /** Runs the command line; returns the exit code. Errors are one line on {@code err}, never a stack trace. */
    static int run(String[] args, PrintWriter out, PrintWriter err, Env env) {
        LeopardDemo demo = new LeopardDemo();
        demo.env = env;
        CommandLine cl = new CommandLine(demo);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((e, a) -> {
            err.println("error: " + e.getMessage() + " (see --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((e, c, p) -> {
            if (e instanceof LeopardException) {
                err.println("error: " + e.getMessage());
                return 1;
            }
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                err.println("error: " + e.getMessage());
                return 2;
            }
            err.println("error: " + e);
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("error: name a command: single, multi, brushcard, events or listen (see --help)");
        return 2;
    }

    LeopardClient client() {
        return builder().build();
    }

    LeopardClient client(int pollQueries, Duration pollInterval) {
        return builder().brushcardPolling(pollQueries, pollInterval).build();
    }

    private LeopardClient.Builder builder() {
        if (url == null) {
            throw new IllegalArgumentException("Missing required option: '--url=URL'");
        }
        LeopardClient.Builder b = LeopardClient.builder().baseUrl(url).mid(mid).key(key()).sendTimestamp(timestamp);
        SignType t = signType();
        if (t != null) {
            b.signType(t);
        }
        return b;
    }

    /** The notification verifier of {@code listen}: --sign-type, when given, is the only one accepted. */
    LeopardNotifications notifications() {
        LeopardNotifications.Builder b = LeopardNotifications.builder().mid(mid).key(key());
        SignType t = signType();
        if (t != null) {
            b.signType(t);
        }
        return b.build();
    }

    private String key() {
        String k = key != null ? key : env.get(KEY_ENV);
        if (k == null || k.isEmpty()) {
            throw new IllegalArgumentException("no key: pass --key or set " + KEY_ENV);
        }
        return k;
    }

    private SignType signType() {
        if (signType == null) {
            return null;
        }
        SignType t = SignType.fromWire(signType);
        if (t == null) {
            throw new IllegalArgumentException("--sign-type must be MD5, SHA1, SHA256 or HMAC-SHA256");
        }
        return t;
    }

    Printer printer() {
        return new Printer(spec.commandLine().getOut());
    }

    @Command(name = "single", mixinStandardHelpOptions = true, description = "Query one order.")
    static final class Single implements Callable<Integer> {
        @ParentCommand
        LeopardDemo parent;

        @Parameters(paramLabel = "ORDERNO")
        String orderNo;

        @Override
        public Integer call() {
            parent.printer().single(parent.client().querySingle(orderNo));
            return 0;
        }
    }

    @Command(name = "multi", mixinStandardHelpOptions = true, description = "Query several orders (split into batches of 50).")
    static final class Multi implements Callable<Integer> {
        @ParentCommand
        LeopardDemo parent;

        @Parameters(paramLabel = "ORDERNO", arity = "1..*")
        List<String> orderNos;

        @Override
        public Integer call() {
            parent.printer().multi(parent.client().queryMulti(orderNos));
            return 0;
        }
    }

    @Command(name = "brushcard", mixinStandardHelpOptions = true, description = "Query a card-present order.")
    static final class Brushcard implements Callable<Integer> {
        @ParentCommand
        LeopardDemo parent;

        @Parameters(paramLabel = "ORDERNO")
        String orderNo;

        @Option(names = "--poll", description = "Wait until the payment is final: by default the published rule, 6 queries 5 s apart, then revoke")
        boolean poll;

        @Option(names = "--queries", paramLabel = "N", defaultValue = "6",
                description = "With --poll: how many queries (default: ${DEFAULT-VALUE}, the published rule)")
        int queries;

        @Option(names = "--interval-ms", paramLabel = "MS", defaultValue = "5000",
                description = "With --poll: milliseconds between queries (default: ${DEFAULT-VALUE}, the published rule)")
        long intervalMs;

        @Override
        public Integer call() {
            if (queries < 1 || intervalMs < 1) {
                throw new IllegalArgumentException("--queries and --interval-ms must be at least 1");
            }
            LeopardClient client = parent.client(queries, Duration.ofMillis(intervalMs));
            if (poll) {
                parent.printer().line("polling card-present order " + orderNo + ": up to " + queries + " queries, "
                        + Printer.seconds(Duration.ofMillis(intervalMs)) + " apart ...");
                parent.printer().outcome(client.awaitBrushcard(orderNo, parent.printer()::polled));
            } else {
                parent.printer().brushcard(client.queryBrushcard(orderNo));
            }
            return 0;
        }
    }

    @Command(name = "events", mixinStandardHelpOptions = true,
            description = "Read the merchant's event feed: the changes of its orders, oldest first, from a cursor.")
    static final class Events implements Callable<Integer> {
        @ParentCommand
        LeopardDemo parent;

        @Option(names = "--after", paramLabel = "CURSOR", description = "Continue after this cursor (a next printed before); default: from the first event")
        String after;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N events, 1 to 100 (default: ${DEFAULT-VALUE})")
        int limit;

        @Override
        public Integer call() {
            parent.printer().events(parent.client().events(after, limit));
            return 0;
        }
    }

    @Command(name = "listen", mixinStandardHelpOptions = true,
            description = "Receive notifications on http://HOST:PORT/ (any path): verify, print, answer SUCCESS (or 400 FAIL).")
    static final class Listen implements Callable<Integer> {
        @ParentCommand
        LeopardDemo parent;

        @Option(names = "--port", required = true, paramLabel = "P", description = "Port to listen on (0: any free one, printed)")
        int port;

        @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
                description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface)")
        String host;

        @Option(names = "--max", paramLabel = "N", defaultValue = "0",
                description = "Stop after N verified notifications (default: run until interrupted)")
        int max;

        @Override
        public Integer call() throws Exception {
            if (port < 0 || port > 65535 || max < 0) {
                throw new IllegalArgumentException("--port must be 0 to 65535 and --max at least 0");
            }
            Printer printer = parent.printer();
            try (NotificationListener listener = new NotificationListener(host, port, parent.notifications(), printer, max).start()) {
                printer.line("listening for notifications of merchant " + parent.mid + " on http://" + host + ":" + listener.port()
                        + "/ (Ctrl-C to stop)");
                listener.await();
            }
            return 0;
        }
    }
}
