package io.leopard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.config.LeopardConfig;
import io.leopard.server.demo.DemoFixture;
import io.leopard.server.testing.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The admin commands against the embedded database, as an operator would run them. */
class CommandsTest {
    @TempDir
    Path dir;
    LeopardConfig config;
    String out;
    String err;

    @BeforeEach
    void setUp() {
        config = LeopardConfig.of(Map.of("data-dir", dir.resolve("data").toString()));
    }

    private int run(Object command, String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cl = CommandContext.withErrorHandlers(new CommandLine(command)); // as under the leopard root
        cl.setOut(new PrintWriter(o, true));
        cl.setErr(new PrintWriter(e, true));
        int code = cl.execute(args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    @Test
    void aFailedAdminCommandIsOneLineNamingIt() {
        assertThat(run(new MasterKeyCommand(() -> config), "rotate")).isEqualTo(1);
        assertThat(err).startsWith("leopard master-key rotate: no database in ").hasLineCount(1).doesNotContain("\tat ");
        assertThat(out).isEmpty();
        assertThat(dir.resolve("data")).as("nothing opened, nothing created").doesNotExist();
    }

    private int merchant(String... args) {
        return run(new MerchantCommand(() -> config), args);
    }

    @Test
    void merchantLifecycle() {
        assertThat(merchant("add", "--mid", DemoFixture.MID, "--name", "Demo shop")).isEqualTo(0);
        assertThat(out).contains("added merchant " + DemoFixture.MID + " (Demo shop)").containsPattern("key: [a-z0-9]{20}\n");
        String key = out.replaceAll("(?s).*key: ([a-z0-9]{20}).*", "$1");
        assertThat(err).isEmpty();
        assertThat(dir.resolve("data/master.key")).exists();

        assertThat(merchant("add", "--mid", DemoFixture.OTHER_MID, "--name", "Chosen", "--key", "mychosenkey1")).isEqualTo(0);
        assertThat(out).doesNotContain("mychosenkey1");

        assertThat(merchant("list")).isEqualTo(0);
        assertThat(out).contains(DemoFixture.MID).contains("Demo shop").contains("Chosen")
                .doesNotContain(key).doesNotContain("mychosenkey1");

        assertThat(merchant("disable", "--mid", DemoFixture.MID)).isEqualTo(0);
        assertThat(out).isEqualTo("merchant " + DemoFixture.MID + " disabled\n");
        assertThat(merchant("list")).isEqualTo(0);
        assertThat(out).containsPattern(DemoFixture.MID + " +no ");
        assertThat(merchant("enable", "--mid", DemoFixture.MID)).isEqualTo(0);

        assertThat(merchant("rotate-key", "--mid", DemoFixture.MID, "--grace", "1h")).isEqualTo(0);
        assertThat(out).containsPattern("new key for merchant " + DemoFixture.MID + ": [a-z0-9]{20}\n").doesNotContain(key);
    }

    @Test
    void aChangeMadeInTheDatabaseIsAnnouncedToTheNodesOnRedis() throws Exception {
        try (TestRedis redis = TestRedis.connect()) {
            String channel = redis.prefix() + "merchants";
            RedisClient client = RedisClient.create(TestRedis.URL);
            BlockingQueue<String> news = new LinkedBlockingQueue<>();
            try (var subscriber = client.connectPubSub()) {
                subscriber.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String from, String mid) {
                        news.add(mid);
                    }
                });
                subscriber.sync().subscribe(channel);
                config = config.with(Map.of("redis.url", TestRedis.URL, "redis.key-prefix", redis.prefix()));
                assertThat(merchant("add", "--mid", DemoFixture.MID, "--name", "Demo shop")).isEqualTo(0);
                assertThat(news.poll(20, TimeUnit.SECONDS)).isEqualTo(DemoFixture.MID);
                assertThat(merchant("disable", "--mid", DemoFixture.MID)).isEqualTo(0);
                assertThat(news.poll(20, TimeUnit.SECONDS)).as("the mid only, never a key").isEqualTo(DemoFixture.MID);
                assertThat(merchant("list")).isEqualTo(0);
                assertThat(news).as("a command that changes nothing announces nothing").isEmpty();
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void errorsAreOneLineWithoutStackTraces() {
        assertThat(merchant("add", "--mid", DemoFixture.MID, "--name", "A", "--key", "secretkey1")).isEqualTo(0);
        assertThat(merchant("add", "--mid", DemoFixture.MID, "--name", "A", "--key", "secretkey2")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard merchant add: merchant " + DemoFixture.MID + " already exists\n");
        assertThat(merchant("add", "--mid", "1", "--name", "A", "--key", "tiny")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard merchant add: mid must be exactly 15 digits\n");
        assertThat(merchant("add", "--mid", DemoFixture.DISABLED_MID, "--name", "A", "--key", "tiny")).isEqualTo(1);
        assertThat(err).doesNotContain("tiny").doesNotContain("Exception");
        assertThat(merchant("disable", "--mid", "999999999999999")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard merchant disable: no merchant 999999999999999\n");
        assertThat(merchant("rotate-key", "--mid", DemoFixture.MID, "--grace", "soon")).isEqualTo(2);
        assertThat(err).contains("expected a duration");
        assertThat(merchant("add", "--name", "A")).isEqualTo(2);
        assertThat(err).contains("--mid");

        config = LeopardConfig.of(Map.of("db.url", "jdbc:oracle:thin:@x", "master-key",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
        assertThat(merchant("list")).isEqualTo(1);
        assertThat(err).startsWith("leopard merchant list: configuration error: db.url must start with").doesNotContain("\tat ");
    }

    @Test
    void channelCredentialsOnTheDatabase() throws Exception {
        String mid = DemoFixture.MID;
        String secret = "Secret32CharsApiKeyOfTheWechat01";
        java.util.function.Function<String[], Integer> channels = args -> run(new MerchantCommand(() -> config,
                settings -> io.leopard.server.channel.TestChannels.create()), args);
        assertThat(merchant("add", "--mid", mid, "--name", "Demo shop", "--key", "shopkey123")).isZero();

        assertThat(channels.apply(new String[] {"set-channel", "--mid", mid, "--channel", "wechat", "--appid", "wx1",
                "--mch-id", "1900000109", "--key", secret})).as(err).isZero();
        assertThat(out).isEqualTo("merchant " + mid + ": wechat credentials set (fields appid, key, mchId)\n");
        Path keyFile = Files.writeString(dir.resolve("api.key"), secret + "\n");
        Path cert = Files.write(dir.resolve("apiclient_cert.p12"), new byte[] {0x30, (byte) 0x82, 0x0a, 0x01});
        Path password = Files.writeString(dir.resolve("cert.pass"), "certPassword9\n");
        assertThat(channels.apply(new String[] {"set-channel", "--mid", mid, "--channel", "wechat", "--appid", "wx1",
                "--mch-id", "1900000109", "--sub-mch-id", "1900000110", "--key-file", keyFile.toString(), "--sign-type", "HMAC-SHA256",
                "--cert", cert.toString(), "--cert-password-file", password.toString()})).as(err).isZero();
        assertThat(out).isEqualTo("merchant " + mid + ": wechat credentials set (fields appid, certP12, certPassword, key, "
                + "mchId, signType, subMchId)\n");
        assertThat(channels.apply(new String[] {"set-channel", "--mid", mid, "--channel", "sandbox"})).as(err).isZero();
        assertThat(out).isEqualTo("merchant " + mid + ": sandbox credentials set (fields none)\n");

        assertThat(merchant("list")).isZero();
        assertThat(out).containsPattern(mid + " +yes +\\S+ +sandbox,wechat +- +Demo shop").doesNotContain(secret);
        try (io.leopard.server.store.Database db = io.leopard.server.store.Database.open(config.settings().database())) {
            var account = new io.leopard.server.channel.ChannelAccounts(db, io.leopard.server.merchant.KeyCipher.of(config.settings().keys()),
                    io.leopard.server.channel.TestChannels.create(), java.time.Clock.systemUTC());
            assertThat(account.remove(mid, "sandbox")).isTrue();
            assertThat(account.forOrder(mid, "wechat")).hasValueSatisfying(a -> {
                assertThat(a.credentials().get("key")).as("the file's line break dropped").isEqualTo(secret);
                assertThat(a.credentials().get("certPassword")).isEqualTo("certPassword9");
                assertThat(a.credentials().get("certP12")).isEqualTo("MIIKAQ==");
            });
        }

        // every refusal is one line naming the option or field, never a value
        String[][] refused = {
                {"--channel", "wechat", "--appid", "wx1", "--mch-id", "1900000109", "--key", "ShortSecretKey77"},
                {"--channel", "wechat", "--appid", "wx1", "--key", secret},
                {"--channel", "wechat", "--appid", "wx1", "--mch-id", "1", "--key", secret, "--app-id", "2021"},
                {"--channel", "wechat", "--appid", "wx1", "--mch-id", "1", "--key", secret, "--key-file", keyFile.toString()},
                {"--channel", "wechat", "--appid", "wx1", "--mch-id", "1", "--key-file", dir.resolve("none.key").toString()},
                {"--channel", "paypal", "--key", secret},
                {"--channel", "alipay", "--app-id", "2021", "--private-key", keyFile.toString(), "--alipay-public-key", keyFile.toString()}};
        String[] says = {
                "wechat credentials: the API key must be 32 characters",
                "--channel wechat needs --mch-id",
                "--app-id is for --channel alipay, not wechat",
                "give --key or --key-file, not both",
                "--key-file " + dir.resolve("none.key") + ": no such file",
                "--channel must be wechat, alipay or sandbox",
                "no channel alipay; channels are sandbox, wechat, broken"};
        for (int i = 0; i < refused.length; i++) {
            String[] args = new String[refused[i].length + 3];
            args[0] = "set-channel";
            args[1] = "--mid";
            args[2] = mid;
            System.arraycopy(refused[i], 0, args, 3, refused[i].length);
            int code = channels.apply(args);
            assertThat(code).as("refusal %d: %s%s", i, out, err).isEqualTo(1);
            assertThat(err).isEqualTo("leopard merchant set-channel: " + says[i] + "\n").doesNotContain(secret)
                    .doesNotContain("ShortSecretKey77");
            assertThat(out).isEmpty();
        }
        assertThat(channels.apply(new String[] {"set-channel", "--mid", "999999999999999", "--channel", "sandbox"})).isEqualTo(1);
        assertThat(err).isEqualTo("leopard merchant set-channel: no merchant 999999999999999\n");
        assertThat(merchant("set-channel", "--mid", mid, "--channel", "sandbox")).as("no adapters: nothing checks").isEqualTo(1);
        assertThat(err).isEqualTo("leopard merchant set-channel: no channel sandbox; none is configured\n");

        assertThat(merchant("remove-channel", "--mid", mid, "--channel", "wechat")).as(err).isZero();
        assertThat(out).isEqualTo("merchant " + mid + ": wechat credentials removed\n");
        assertThat(merchant("remove-channel", "--mid", mid, "--channel", "wechat")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard merchant remove-channel: merchant " + mid + " has no wechat credentials\n");
        assertThat(merchant("list")).isZero();
        assertThat(out).containsPattern(mid + " +yes +\\S+ +- +- +Demo shop");
    }

    private int order(String... args) {
        return run(new OrderCommand(() -> config), args);
    }

    @Test
    void orderImport() throws Exception {
        assertThat(merchant("add", "--mid", DemoFixture.MID, "--name", "A", "--key", "secretkey1")).isEqualTo(0);
        Path fixture = Path.of(DemoFixture.class.getResource(DemoFixture.ORDERS_RESOURCE).toURI());
        assertThat(order("import", fixture.toString())).isEqualTo(1);
        assertThat(err).as("the fixture's last two rows are merchant 457's")
                .isEqualTo("leopard order import: line 10: no merchant " + DemoFixture.OTHER_MID + "\n");
        assertThat(merchant("add", "--mid", DemoFixture.OTHER_MID, "--name", "B", "--key", "secretkey2")).isEqualTo(0);
        assertThat(order("import", fixture.toString())).isEqualTo(0);
        assertThat(out).isEqualTo("imported " + fixture + ": 10 rows read, 10 inserted, 0 updated, 0 unchanged,"
                + " 0 backwards moves skipped\n");
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, Files.readString(fixture).replace("88.80", "88.888"));
        assertThat(order("import", bad.toString())).isEqualTo(1);
        assertThat(err).isEqualTo("leopard order import: line 4: amount must be yuan with at most two decimals, e.g. 5230.00; got \"88.888\"\n");
        assertThat(order("import", dir.resolve("none.csv").toString())).isEqualTo(1);
        assertThat(err).startsWith("leopard order import: no such file: ");
    }

    @Test
    void orderImportReportsBackwardsMovesAndStrictRefusesThem() throws Exception {
        assertThat(merchant("add", "--mid", DemoFixture.MID, "--name", "A", "--key", "secretkey1")).isEqualTo(0);
        String header = "mid,orderNo,flowNo,tradeNo,amount,type,scene,state,orderTime,payTime\n";
        String m2 = DemoFixture.MID + ",M2,F2,T2,5230.00,wechat,qrcode,";
        Path paid = dir.resolve("paid.csv");
        Files.writeString(paid, header + m2 + "SUCCESS,20161110101010,20161110101323\n");
        assertThat(order("import", paid.toString())).isEqualTo(0);
        Path again = dir.resolve("again.csv");
        Files.writeString(again, header + DemoFixture.MID + ",M3,F3,,1.00,alipay,qrcode,INIT,20161110101010,\n"
                + m2 + "SUCCESS,20161110101010,20161110101323\n" + m2 + "INIT,20161110101010,\n");

        assertThat(order("import", "--strict", again.toString())).isEqualTo(1);
        assertThat(err).isEqualTo("leopard order import: line 4: M2 SUCCESS \u2192 INIT is a backwards move, refused by --strict"
                + " (state machine: an order never returns to INIT)\n");
        assertThat(out).isEmpty();

        assertThat(order("import", again.toString())).isEqualTo(0);
        assertThat(out).isEqualTo("imported " + again + ": 3 rows read, 1 inserted, 0 updated, 1 unchanged,"
                + " 1 backwards move skipped\n"
                + "line 4: M2 SUCCESS \u2192 INIT skipped (state machine: an order never returns to INIT)\n");
        assertThat(err).isEmpty();
    }

    private int notify(String... args) {
        return run(new NotifyCommand(() -> config), args);
    }

    @Test
    void notificationsOnTheDatabase() throws Exception {
        String mid = DemoFixture.MID;
        assertThat(merchant("add", "--mid", mid, "--name", "Demo shop", "--key", "secretkey1")).isZero();
        assertThat(merchant("set-notify", "--mid", mid, "--url", "https://shop.example/notify")).as(err).isZero();
        assertThat(out).isEqualTo("merchant " + mid + ": notifications go to https://shop.example/notify (MD5)\n");
        assertThat(merchant("set-notify", "--mid", mid, "--url", "https://shop.example/n2", "--sign-type", "hmac-sha256")).isZero();
        assertThat(out).isEqualTo("merchant " + mid + ": notifications go to https://shop.example/n2 (HMAC-SHA256)\n");
        assertThat(merchant("list")).isZero();
        assertThat(out).contains("NOTIFY").containsPattern(mid + " +yes +\\S+ +- +https://shop.example/n2 +Demo shop");

        assertThat(notify("list", "--mid", mid)).as(err).isZero();
        assertThat(out).startsWith("EVENT").endsWith("(no notifications)\n");
        Path paid = Files.writeString(dir.resolve("paid.csv"), "mid,orderNo,flowNo,tradeNo,amount,type,scene,state,orderTime,payTime\n"
                + mid + ",N1,FN1,TN1,5230.00,wechat,qrcode,SUCCESS,20161110101010,20161110101323\n"
                + mid + ",N2,FN2,,1.00,wechat,qrcode,INIT,20161110101010,\n");
        assertThat(order("import", paid.toString())).as(err).isZero();
        assertThat(notify("list", "--mid", mid)).as(err).isZero();
        assertThat(out).containsPattern("FN1-1 +N1 +SUCCESS +pending +0 +-\n").doesNotContain("FN2");
        assertThat(notify("list", "--mid", mid, "--failed")).isZero();
        assertThat(out).endsWith("(no failing notifications)\n");

        assertThat(notify("resend", "--event", "FN1-1")).as(err).isZero();
        assertThat(out).isEqualTo("notification FN1-1 (merchant " + mid + ", order N1, SUCCESS) is pending again, due now, to "
                + "https://shop.example/n2\n");
        assertThat(notify("resend", "--event", "FN2-1")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard notify resend: event FN2-1 is a change merchants are not told of (the order created "
                + "pending, or a trade number filled in while pending)\n");
        assertThat(notify("resend", "--event", "FN9-1")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard notify resend: no event FN9-1\n");
        assertThat(notify("resend", "--event", "FN1")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard notify resend: eventId must be <flowNo>-<version>, such as F2026120100001-2\n");
        assertThat(notify("list", "--mid", "999999999999999")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard notify list: no merchant 999999999999999\n");
        assertThat(notify("list", "--mid", mid, "--limit", "0")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard notify list: limit must be a whole number from 1 to 1000\n");

        assertThat(merchant("set-notify", "--mid", mid, "--url", "ftp://shop.example/")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard merchant set-notify: the notify URL must be an http:// or https:// URL with a host, "
                + "without user info or a fragment\n");
        assertThat(merchant("set-notify", "--mid", mid, "--url", "https://shop.example/", "--sign-type", "RSA")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard merchant set-notify: signType must be MD5, SHA1, SHA256 or HMAC-SHA256\n");
        assertThat(merchant("set-notify", "--mid", mid)).isEqualTo(1);
        assertThat(err).isEqualTo("leopard merchant set-notify: give --url, or --off\n");
        assertThat(merchant("set-notify", "--mid", "999999999999999", "--off")).isEqualTo(1);
        assertThat(err).isEqualTo("leopard merchant set-notify: no merchant 999999999999999\n");
        assertThat(merchant("set-notify", "--mid", mid, "--off")).isZero();
        assertThat(out).isEqualTo("merchant " + mid + ": notifications stopped\n");
        assertThat(notify("resend", "--event", "FN1-1")).isEqualTo(1);
        assertThat(err).startsWith("leopard notify resend: merchant " + mid + " has no notify URL: set one first");
    }
}
