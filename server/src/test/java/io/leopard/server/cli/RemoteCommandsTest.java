package io.leopard.server.cli;

import static io.leopard.server.testing.LiveLeopard.MID;
import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import io.leopard.server.LeopardServer;
import io.leopard.server.access.ClientAddresses;
import io.leopard.server.internal.InternalRoutes;
import io.leopard.server.internal.InternalSettings;
import io.leopard.server.internal.MerchantAdminEndpoints;
import io.leopard.server.internal.MerchantChannelEndpoints;
import io.leopard.server.internal.MerchantNotifyEndpoints;
import io.leopard.server.internal.NotificationEndpoints;
import io.leopard.server.notify.NotifyLog;
import io.leopard.server.channel.ChannelAccounts;
import io.leopard.server.channel.TestChannels;
import io.leopard.server.merchant.KeyCipher;
import java.time.Clock;
import io.leopard.server.internal.OrderImportEndpoint;
import io.leopard.server.merchant.Merchants;
import io.leopard.server.order.OrderImporter;
import io.leopard.server.order.OrderStore;
import io.leopard.server.web.Health;
import io.leopard.server.web.RequestMetrics;
import io.leopard.server.web.connection.ConnectionEvents;
import io.leopard.server.config.LeopardConfig;
import io.leopard.server.demo.DemoRuntime;
import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The admin commands against a server running in this JVM with its internal listener on, as an
 * operator runs them beside it: found from the note in its data dir, or given with
 * {@code --server/--token}. The server's merchant directory refreshes only once an hour by itself,
 * so a change a query sees at once went through the internal listener.
 */
class RemoteCommandsTest {
    private static final String TOKEN = "remote-commands-token-0123456789";
    private static final String HEADER = "mid,orderNo,flowNo,tradeNo,amount,type,scene,state,orderTime,payTime\n";
    private static LeopardConfig config;
    private static LiveLeopard live;
    private static Path dataDir;

    @TempDir
    Path dir;
    private DemoRuntime note;
    String out;
    String err;

    private static WebServer internal;
    /** The server's channel accounts, with the {@link TestChannels} stand-ins. */
    private static ChannelAccounts accounts;
    private static String internalUrl;

    /**
     * The server, and its internal routing with the administration services on a socket of its
     * own over the server's database and merchant directory, as {@code LeopardServer} mounts them.
     * (Stands in for the server's internal socket, which needs the order-write path built too.)
     */
    @BeforeAll
    static void start() {
        Map<String, String> overrides = new LinkedHashMap<>(LiveLeopard.NO_RATE_LIMITS);
        overrides.put("merchant-refresh", "1h");
        config = LiveLeopard.seeded(overrides);
        live = LiveLeopard.over(LeopardServer.start(config.settings()));
        dataDir = live.settings.dataDir();
        config = config.with("internal.tokens", TOKEN);
        InternalSettings settings = config.settings().internal();
        accounts = new ChannelAccounts(live.server.database(), KeyCipher.of(live.settings.keys()), TestChannels.create(),
                Clock.systemUTC());
        InternalRoutes routes = new InternalRoutes(settings, List.of(
                new MerchantAdminEndpoints(Merchants.store(live.settings.keys(), live.server.database()), live.server.merchants(),
                        accounts, settings.maxBodyBytes()),
                new MerchantChannelEndpoints(Merchants.store(live.settings.keys(), live.server.database()), accounts,
                        settings.maxBodyBytes()),
                new OrderImportEndpoint(new OrderImporter(new OrderStore(live.server.database()), live.settings.query().zone())),
                new MerchantNotifyEndpoints(Merchants.store(live.settings.keys(), live.server.database()), settings.maxBodyBytes()),
                new NotificationEndpoints(new NotifyLog(live.server.database()), Merchants.store(live.settings.keys(),
                        live.server.database()), Clock.systemUTC(), settings.maxBodyBytes())),
                new Health(() -> true), new RequestMetrics(), new ClientAddresses(List.of()));
        internal = WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false)
                .routing(r -> routes.routing(r, ConnectionEvents.NONE)).build().start();
        internalUrl = "http://127.0.0.1:" + internal.port();
    }

    @AfterAll
    static void stop() {
        internal.stop();
        live.close();
    }

    @AfterEach
    void removeNote() {
        if (note != null) {
            note.delete();
        }
    }

    /** The note {@code leopard serve} leaves for this server. */
    private void serving() {
        note = DemoRuntime.write(dataDir, DemoRuntime.SERVER_FILE, live.baseUrl(), internalUrl);
    }

    private int run(LeopardConfig with, Object command, String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cl = CommandContext.withErrorHandlers(new CommandLine(command));
        cl.setOut(new PrintWriter(o, true));
        cl.setErr(new PrintWriter(e, true));
        int code = cl.execute(args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    private int merchant(String... args) {
        return run(config, new MerchantCommand(() -> config), args);
    }

    private static Map<String, String> fields(String mid, String orderNo, String key) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mid", mid);
        p.put("orderNo", orderNo);
        p.put("noise", "remoteNoise1");
        HttpResponse<String> res = live.postSigned("/query/single", p, key);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return IndependentVerifier.fields(res.body());
    }

    @Test
    void addImportRotateAndDisableWhileItServes() throws Exception {
        serving();
        String mid = "100000000000201";
        assertThat(merchant("add", "--mid", mid, "--name", "Remote shop")).as(err).isZero();
        assertThat(out).startsWith("added merchant " + mid + " (Remote shop)\nkey: ")
                .endsWith("\nThis key is shown only once: give it to the merchant now.\n");
        String key = out.replaceAll("(?s).*key: ([a-z0-9]{20}).*", "$1");

        Path orders = Files.writeString(dir.resolve("orders.csv"), HEADER
                + mid + ",R1,FR1,TR1,5230.00,wechat,qrcode,SUCCESS,20161110101010,20161110101323\n");
        assertThat(run(config, new OrderCommand(() -> config), "import", orders.toString())).as(err).isZero();
        assertThat(out).isEqualTo("imported " + orders + ": 1 rows read, 1 inserted, 0 updated, 0 unchanged,"
                + " 0 backwards moves skipped\n");
        Map<String, String> found = fields(mid, "R1", key);
        assertThat(found).as("the new merchant's key works at once").containsEntry("orderNo", "R1");
        assertThat(IndependentVerifier.verify(found, key, "MD5")).isTrue();

        assertThat(merchant("rotate-key", "--mid", mid, "--grace", "1h")).as(err).isZero();
        assertThat(out).containsPattern("^new key for merchant " + mid + ": [a-z0-9]{20}\nThis key is shown only once. "
                + "The old key stays valid until \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\.\n$");
        String newKey = out.replaceAll("(?s).*: ([a-z0-9]{20})\n.*", "$1");
        assertThat(newKey).isNotEqualTo(key);
        assertThat(fields(mid, "R1", newKey)).containsEntry("orderNo", "R1");
        assertThat(fields(mid, "R1", key)).as("the old key, within its grace").containsEntry("orderNo", "R1");

        assertThat(merchant("disable", "--mid", mid)).isZero();
        assertThat(out).isEqualTo("merchant " + mid + " disabled\n");
        assertThat(fields(mid, "R1", newKey)).containsEntry("errCode", "MERCHANT_DISABLED");
        assertThat(merchant("list")).isZero();
        assertThat(out).containsPattern(mid + " +no ").contains("Remote shop").doesNotContain(key).doesNotContain(newKey);
        assertThat(merchant("enable", "--mid", mid)).isZero();
        assertThat(out).isEqualTo("merchant " + mid + " enabled\n");
        assertThat(merchant("set-rate", "--mid", mid, "--per-second", "20", "--burst", "40")).isZero();
        assertThat(out).isEqualTo("merchant " + mid + " rate: 20/s, burst 40\n");
        assertThat(merchant("set-rate", "--mid", mid, "--default")).isZero();
        assertThat(out).isEqualTo("merchant " + mid + " rate: configured default\n");
        assertThat(merchant("allow-ips", "--mid", mid, "--cidrs", "203.0.113.0/24")).isZero();
        assertThat(out).isEqualTo("merchant " + mid + " accepts requests from [203.0.113.0/24]\n");
        assertThat(fields(mid, "R1", newKey)).as("127.0.0.1 is not in the block").containsEntry("errCode", "IP_FORBIDDEN");
        assertThat(merchant("allow-ips", "--mid", mid, "--any")).isZero();
        assertThat(out).isEqualTo("merchant " + mid + " accepts requests from any address\n");
        assertThat(fields(mid, "R1", newKey)).containsEntry("orderNo", "R1");
        assertThat(merchant("set-debug", "--mid", mid, "--on")).as(err).isZero();
        assertThat(out).isEqualTo("merchant " + mid + ": signature diagnosis on\n");
        assertThat(live.server.merchants().find(mid).orElseThrow().debug()).as("applied at once").isTrue();
        assertThat(merchant("set-debug", "--mid", mid, "--off")).isZero();
        assertThat(live.server.merchants().find(mid).orElseThrow().debug()).isFalse();
        assertThat(merchant("set-replay", "--mid", mid, "--window", "90s")).as(err).isZero();
        assertThat(out).isEqualTo("merchant " + mid + ": replay protection on, window 90 s\n");
        assertThat(live.server.merchants().find(mid).orElseThrow().replayWindow()).as("applied at once")
                .isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(fields(mid, "R1", newKey)).as("no timestamp").containsEntry("errCode", "TIMESTAMP_EXPIRED");
        assertThat(merchant("set-replay", "--mid", mid, "--off")).isZero();
        assertThat(live.server.merchants().find(mid).orElseThrow().replayWindow()).isNull();
        assertThat(fields(mid, "R1", newKey)).containsEntry("orderNo", "R1");
    }

    @Test
    void channelCredentialsThroughTheServer() throws Exception {
        serving();
        String mid = "100000000000211";
        String secret = "Secret32CharsApiKeyOfTheWechat02";
        assertThat(merchant("add", "--mid", mid, "--name", "Channel shop", "--key", "remotekey12")).as(err).isZero();
        // no adapters in the command: the server's check them
        assertThat(merchant("set-channel", "--mid", mid, "--channel", "wechat", "--appid", "wx1", "--mch-id", "1900000109",
                "--key", secret)).as(err).isZero();
        assertThat(out).isEqualTo("merchant " + mid + ": wechat credentials set (fields appid, key, mchId)\n");
        assertThat(accounts.forOrder(mid, "wechat")).as("applied at once")
                .hasValueSatisfying(a -> assertThat(a.credentials().get("key")).isEqualTo(secret));
        assertThat(merchant("set-channel", "--mid", mid, "--channel", "sandbox", "--scenario", "paid")).as(err).isZero();
        assertThat(out).isEqualTo("merchant " + mid + ": sandbox credentials set (fields scenario)\n");
        assertThat(merchant("list")).isZero();
        assertThat(out).containsPattern(mid + " +yes +\\S+ +sandbox,wechat +- +Channel shop").doesNotContain(secret);

        // the refusals read as the local command's
        assertThat(merchant("set-channel", "--mid", mid, "--channel", "wechat", "--appid", "wx1", "--mch-id", "1900000109",
                "--key", "ShortSecretKey77")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard merchant set-channel: wechat credentials: the API key must be 32 characters\n");
        assertThat(merchant("set-channel", "--mid", "999999999999999", "--channel", "sandbox")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard merchant set-channel: no merchant 999999999999999\n");
        assertThat(merchant("remove-channel", "--mid", mid, "--channel", "wechat")).as(err).isZero();
        assertThat(out).isEqualTo("merchant " + mid + ": wechat credentials removed\n");
        assertThat(accounts.channelsOf(mid)).containsExactly("sandbox");
        assertThat(merchant("remove-channel", "--mid", mid, "--channel", "wechat")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard merchant remove-channel: merchant " + mid + " has no wechat credentials\n");
        assertThat(merchant("remove-channel", "--mid", mid, "--channel", "../x")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard merchant remove-channel: merchant " + mid + " has no ../x credentials\n");
    }

    @Test
    void notificationsThroughTheServer() throws Exception {
        serving();
        String mid = "100000000000221";
        assertThat(merchant("add", "--mid", mid, "--name", "Notify shop", "--key", "remotekey13")).as(err).isZero();
        assertThat(merchant("set-notify", "--mid", mid, "--url", "https://shop.example/notify", "--sign-type", "SHA256")).as(err).isZero();
        assertThat(out).isEqualTo("merchant " + mid + ": notifications go to https://shop.example/notify (SHA256)\n");
        assertThat(merchant("list")).isZero();
        assertThat(out).containsPattern(mid + " +yes +\\S+ +- +https://shop.example/notify +Notify shop");
        Path orders = Files.writeString(dir.resolve("orders.csv"), HEADER
                + mid + ",RN1,FRN1,TRN1,5230.00,wechat,qrcode,SUCCESS,20161110101010,20161110101323\n");
        assertThat(run(config, new OrderCommand(() -> config), "import", orders.toString())).as(err).isZero();

        assertThat(notify("list", "--mid", mid)).as(err).isZero();
        assertThat(out).containsPattern("FRN1-1 +RN1 +SUCCESS +(pending|delivered) +\\d+ ");
        assertThat(notify("resend", "--event", "FRN1-1")).as(err).isZero();
        assertThat(out).isEqualTo("notification FRN1-1 (merchant " + mid + ", order RN1, SUCCESS) is pending again, due now, to "
                + "https://shop.example/notify\n");

        // the refusals read as the local command's
        assertThat(notify("resend", "--event", "FRN9-1")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard notify resend: no event FRN9-1\n");
        assertThat(notify("resend", "--event", "../x")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard notify resend: eventId must be <flowNo>-<version>, such as F2026120100001-2\n");
        assertThat(notify("list", "--mid", "999999999999999")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard notify list: no merchant 999999999999999\n");
        assertThat(merchant("set-notify", "--mid", mid, "--url", "https://u:p@shop.example/")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard merchant set-notify: the notify URL must be an http:// or https:// URL with a host, "
                + "without user info or a fragment\n");
        assertThat(merchant("set-notify", "--mid", mid, "--url", "https://shop.example/", "--sign-type", "RSA")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard merchant set-notify: signType must be MD5, SHA1, SHA256 or HMAC-SHA256\n");
        assertThat(merchant("set-notify", "--mid", mid, "--off")).as(err).isZero();
        assertThat(out).isEqualTo("merchant " + mid + ": notifications stopped\n");
        assertThat(notify("resend", "--event", "FRN1-1")).isEqualTo(1);
        assertThat(err).startsWith("leopard notify resend: merchant " + mid + " has no notify URL: set one first");
    }

    private int notify(String... args) {
        return run(config, new NotifyCommand(() -> config), args);
    }

    @Test
    void failuresReadAsTheLocalCommandsDo() throws Exception {
        serving();
        assertThat(merchant("add", "--mid", MID, "--name", "Again", "--key", "secretkey9")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard merchant add: merchant " + MID + " already exists\n");
        assertThat(merchant("add", "--mid", "1", "--name", "A", "--key", "tiny")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard merchant add: mid must be exactly 15 digits\n");
        assertThat(merchant("disable", "--mid", "999999999999999")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard merchant disable: no merchant 999999999999999\n");
        assertThat(merchant("set-rate", "--mid", MID, "--per-second", "0", "--burst", "4")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard merchant set-rate: give both --per-second and --burst (each at least 1), or --default\n");

        Path bad = Files.writeString(dir.resolve("bad.csv"), HEADER
                + MID + ",R9,FR9,TR9,88.888,wechat,qrcode,SUCCESS,20161110101010,20161110101323\n");
        assertThat(run(config, new OrderCommand(() -> config), "import", bad.toString())).isEqualTo(1);
        assertThat(err).isEqualTo("leopard order import: line 2: amount must be yuan with at most two decimals, e.g. 5230.00;"
                + " got \"88.888\"\n");
        assertThat(run(config, new OrderCommand(() -> config), "import", dir.resolve("none.csv").toString())).isEqualTo(1);
        assertThat(err).startsWith("leopard order import: no such file: ");
    }

    @Test
    void jsonLinesAreToldByTheirContentAndALargeBadFileIsRefusedWhole() throws Exception {
        serving();
        Path lines = Files.writeString(dir.resolve("orders.txt"), "\n{\"mid\":\"" + MID + "\",\"orderNo\":\"RJ1\",\"flowNo\":\"FRJ1\","
                + "\"tradeNo\":\"\",\"amount\":\"1.00\",\"type\":\"alipay\",\"scene\":\"qrcode\",\"state\":\"INIT\","
                + "\"orderTime\":\"20161110101010\",\"payTime\":\"\"}\n");
        assertThat(run(config, new OrderCommand(() -> config), "import", lines.toString())).as(err).isZero();
        assertThat(out).startsWith("imported " + lines + ": 1 rows read, 1 inserted");

        // the server refuses at line 2 while megabytes are still on their way: the client still reads the 400
        StringBuilder big = new StringBuilder(HEADER).append(MID).append(",RB0,FRB0,,1.00,alipay,qrcode,INIT,20161110101010,x\n");
        for (int i = 1; i < 60_000; i++) {
            big.append(MID).append(",RB").append(i).append(",FRB").append(i).append(",,1.00,alipay,qrcode,INIT,20161110101010,\n");
        }
        Path bad = Files.writeString(dir.resolve("big.csv"), big);
        assertThat(Files.size(bad)).isGreaterThan(3_000_000);
        assertThat(run(config, new OrderCommand(() -> config), "import", bad.toString())).isEqualTo(1);
        assertThat(err).startsWith("leopard order import: line 2: ").hasLineCount(1);
        assertThat(fields(MID, "RB1", LiveLeopard.KEY)).as("nothing written").containsEntry("errCode", "ORDER_NOT_EXIST");
    }

    @Test
    void serverAndTokenGivenExplicitly() throws Exception {
        LeopardConfig elsewhere = LeopardConfig.of(Map.of("data-dir", dir.resolve("nothing-here").toString()));
        assertThat(run(elsewhere, new MerchantCommand(() -> elsewhere), "list", "--server", internalUrl,
                "--token", TOKEN)).as(err).isZero();
        assertThat(out).startsWith("MID ").contains(MID);
        assertThat(dir.resolve("nothing-here")).as("no database opened").doesNotExist();

        assertThat(run(elsewhere, new MerchantCommand(() -> elsewhere), "list", "--server", internalUrl,
                "--token", "wrong-token-0123456789")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard merchant list: the server at " + internalUrl
                + " (given with --server) refused the token from --token (401): give the right one with --token\n");
        assertThat(run(elsewhere, new MerchantCommand(() -> elsewhere), "list", "--server", internalUrl))
                .isEqualTo(1);
        assertThat(err).contains("--server needs a token");
        assertThat(run(elsewhere, new MerchantCommand(() -> elsewhere), "list", "--token", TOKEN)).isEqualTo(1);
        assertThat(err).contains("--token is for a running server's internal listener, and none runs on");
    }

    @Test
    void aWrongConfiguredTokenIsNamedByItsSourceNeverShown() throws Exception {
        serving();
        LeopardConfig wrong = config.with("internal.tokens", "configured-but-wrong-0123");
        assertThat(run(wrong, new MerchantCommand(() -> wrong), "list")).isEqualTo(1);
        assertThat(err).startsWith("leopard merchant list: the server at " + internalUrl + " (found from "
                        + dataDir.resolve(DemoRuntime.SERVER_FILE))
                .contains("refused the token from internal.tokens").doesNotContain("configured-but-wrong").hasLineCount(1);
    }

    @Test
    void theTokenFileOfADemoIsUsedWhenNoneIsConfigured() throws Exception {
        note = DemoRuntime.write(dataDir, DemoRuntime.FILE, live.baseUrl(), internalUrl);
        Path tokenFile = InternalTokenFile.write(dataDir, TOKEN);
        try {
            assertThat(Files.getPosixFilePermissions(tokenFile)).extracting(Object::toString)
                    .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
            LeopardConfig noTokens = LeopardConfig.of(Map.of("data-dir", dataDir.toString()));
            assertThat(run(noTokens, new MerchantCommand(() -> noTokens), "list")).as(err).isZero();
            assertThat(out).contains(MID);
            Files.writeString(tokenFile, "stale-token-of-another-run\n");
            assertThat(run(noTokens, new MerchantCommand(() -> noTokens), "list")).isEqualTo(1);
            assertThat(err).contains("refused the token from the demo's token file " + tokenFile).doesNotContain("stale-token");
        } finally {
            InternalTokenFile.delete(dataDir);
        }
    }

    @Test
    void aServerThatIsGoneIsSaidSo() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        // a note naming a live process (this one) whose listener is gone
        Path folder = Files.createDirectories(dir.resolve("data"));
        DemoRuntime gone = DemoRuntime.write(folder, DemoRuntime.SERVER_FILE, "http://127.0.0.1:1", "http://127.0.0.1:" + closedPort);
        LeopardConfig here = LeopardConfig.of(Map.of("data-dir", folder.toString(), "internal.tokens", TOKEN));
        assertThat(run(here, new MerchantCommand(() -> here), "list")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard merchant list: cannot reach the server's internal listener at http://127.0.0.1:"
                + closedPort + " (found from " + gone.file() + ", pid " + ProcessHandle.current().pid() + "): is it running?\n");

        // a note left by a process that ended: ignored, the command works on the database
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Files.writeString(gone.file(), "pid=" + finished.pid() + "\nurl=http://127.0.0.1:1\ninternal-url=http://127.0.0.1:"
                + closedPort + "\n");
        assertThat(run(here, new MerchantCommand(() -> here), "add", "--mid", "100000000000301", "--name", "Local",
                "--key", "localkey12")).as(err).isZero();
        assertThat(out).isEqualTo("added merchant 100000000000301 (Local)\n");
        assertThat(folder.resolve("leopard.mv.db")).exists();
    }

    @Test
    void aServerWithoutAnInternalListenerIsRefusedWithWhatToDo() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("data"));
        DemoRuntime.write(folder, DemoRuntime.SERVER_FILE, "http://127.0.0.1:18080", null);
        LeopardConfig here = LeopardConfig.of(Map.of("data-dir", folder.toString()));
        assertThat(run(here, new OrderCommand(() -> here), "import", dir.resolve("x.csv").toString())).isEqualTo(1);
        assertThat(err).isEqualTo("leopard order import: the server running at http://127.0.0.1:18080 (pid "
                + ProcessHandle.current().pid() + ") has this database open and no internal listener to go through: set "
                + "internal.tokens (LEOPARD_INTERNAL_TOKENS) and restart it, or stop it, then run the command again\n");
        assertThat(folder.resolve("leopard.mv.db")).doesNotExist();
    }

    @Test
    void serveLeavesItsNoteOnTheEmbeddedDatabase() throws Exception {
        ServeCommand.writeNote(live.server);
        Path file = dataDir.resolve(DemoRuntime.SERVER_FILE);
        try {
            assertThat(DemoRuntime.find(dataDir, DemoRuntime.SERVER_FILE)).hasValueSatisfying(n -> {
                assertThat(n.internalUrl()).as("this one has no internal listener").isNull();
                assertThat(n.url()).isEqualTo(live.baseUrl());
            });
            assertThat(merchant("list")).as("refused with what to do").isEqualTo(1);
            assertThat(err).contains("no internal listener to go through");
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
