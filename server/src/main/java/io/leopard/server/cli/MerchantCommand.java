package io.leopard.server.cli;

import io.leopard.server.Settings;
import io.leopard.server.access.CidrRange;
import io.leopard.server.channel.Channels;
import io.leopard.server.cli.EmbeddedDatabaseGuard.Need;
import io.leopard.server.config.LeopardConfig;
import io.leopard.server.demo.DemoFixture;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.merchant.MerchantSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code leopard merchant ...}: add, enable, disable, re-key and list merchants, and set their
 * credentials at the payment channels. A generated key is printed once, on stdout, and nowhere
 * else; {@code list} never shows keys, and no command shows a channel credential. With a server running on
 * the data dir's embedded database (or with {@code --server}), each command goes through its
 * internal listener, which applies the change at once; otherwise it works on the database, and a
 * running server picks the change up within its merchant-refresh interval.
 */
@Command(name = "merchant", description = "Manage merchants and their signing keys.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n", footer = {"  ${COMMAND-FULL-NAME} add --mid " + DemoFixture.MID + " --name \"Demo shop\"",
                "  ${COMMAND-FULL-NAME} list", "  ${COMMAND-FULL-NAME} add --help"})
public final class MerchantCommand {
    /** Most a credential file may hold: keys and certificates are a few KiB. */
    static final int MAX_CREDENTIAL_FILE = 64 * 1024;
    private final Supplier<LeopardConfig> configSupplier;
    private final Function<Settings, Channels> channels;


    @Spec
    private CommandSpec spec;


    /** The configuration comes from the top-level command (or a test); no channel adapters (set-channel refuses every channel locally). */
    public MerchantCommand(Supplier<LeopardConfig> configSupplier) {
        this(configSupplier, settings -> new Channels(List.of()));
    }

    /**
     * @param channels the channel adapters that check credentials when the command works on the
     *                 database (through a server, the server's own check them)
     */
    public MerchantCommand(Supplier<LeopardConfig> configSupplier, Function<Settings, Channels> channels) {
        this.configSupplier = configSupplier;
        this.channels = channels;
    }

    @Command(name = "add", description = "Add an enabled merchant; prints the key once when it is generated.",
            mixinStandardHelpOptions = true, footerHeading = CommandContext.EXAMPLE,
            footer = "  ${COMMAND-FULL-NAME} --mid " + DemoFixture.MID + " --name \"Demo shop\"")
    int add(@Option(names = "--mid", required = true, paramLabel = "MID", description = "15-digit merchant number") String mid,
            @Option(names = "--name", required = true, paramLabel = "NAME", description = "merchant name, up to 128 characters") String name,
            @Option(names = "--key", paramLabel = "KEY", description = "the signing key (8-64 printable ASCII); generated when left out")
            String key,
            @Mixin RemoteOptions remote) {
        return withAdmin(Need.MAY_CREATE, remote, admin -> {
            String generated = admin.add(mid, name, key);
            out().println("added merchant " + mid + " (" + name + ")");
            if (key == null) {
                out().println("key: " + generated);
                out().println("This key is shown only once: give it to the merchant now.");
            }
            return 0;
        });
    }

    @Command(name = "disable", description = "Disable a merchant: its requests get MERCHANT_DISABLED.",
            mixinStandardHelpOptions = true, footerHeading = CommandContext.EXAMPLE, footer = "  ${COMMAND-FULL-NAME} --mid " + DemoFixture.MID)
    int disable(@Option(names = "--mid", required = true, paramLabel = "MID", description = "15-digit merchant number") String mid,
                @Mixin RemoteOptions remote) {
        return setEnabled(mid, false, remote);
    }

    @Command(name = "enable", description = "Enable a disabled merchant.",
            mixinStandardHelpOptions = true, footerHeading = CommandContext.EXAMPLE, footer = "  ${COMMAND-FULL-NAME} --mid " + DemoFixture.MID)
    int enable(@Option(names = "--mid", required = true, paramLabel = "MID", description = "15-digit merchant number") String mid,
               @Mixin RemoteOptions remote) {
        return setEnabled(mid, true, remote);
    }

    @Command(name = "set-debug", description = "Turn signature diagnosis (POST /query/diagnose) on or off for a merchant: "
            + "for sandbox and demo merchants only, never for production ones.",
            mixinStandardHelpOptions = true, footerHeading = CommandContext.EXAMPLE,
            footer = "  ${COMMAND-FULL-NAME} --mid " + DemoFixture.MID + " --on")
    int setDebug(@Option(names = "--mid", required = true, paramLabel = "MID", description = "15-digit merchant number") String mid,
                 @Option(names = "--on", description = "answer diagnoses for this merchant") boolean on,
                 @Option(names = "--off", description = "answer it as an unknown merchant (the default)") boolean off,
                 @Mixin RemoteOptions remote) {
        if (on == off) {
            throw new IllegalArgumentException("say --on or --off");
        }
        return withAdmin(Need.EXISTING, remote, admin -> {
            admin.setDebug(mid, on);
            out().println("merchant " + mid + (on ? ": signature diagnosis on" : ": signature diagnosis off"));
            return 0;
        });
    }

    @Command(name = "set-replay", description = "Turn replay protection on for a merchant (its requests must carry a "
            + "timestamp within the window of the server's clock and a noise not used within it), or off.",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = {"  ${COMMAND-FULL-NAME} --mid " + DemoFixture.MID + " --window 5m",
                    "  ${COMMAND-FULL-NAME} --mid " + DemoFixture.MID + " --off"})
    int setReplay(@Option(names = "--mid", required = true, paramLabel = "MID", description = "15-digit merchant number") String mid,
                  @Option(names = "--window", paramLabel = "DURATION", converter = DurationConverter.class,
                          description = "how far a request's timestamp may be from the server's time, 1m to 1h") Duration window,
                  @Option(names = "--off", description = "check no timestamp or noise (the default)") boolean off,
                  @Mixin RemoteOptions remote) {
        if (off == (window != null)) {
            throw new IllegalArgumentException("give --window, or --off");
        }
        if (window != null) {
            MerchantStore.checkReplayWindow(window);
        }
        return withAdmin(Need.EXISTING, remote, admin -> {
            admin.setReplay(mid, window);
            out().println("merchant " + mid + (off ? ": replay protection off"
                    : ": replay protection on, window " + window.toSeconds() + " s"));
            return 0;
        });
    }

    @Command(name = "rotate-key", description = "Give a merchant a new key; the old one stays valid for the grace period.",
            mixinStandardHelpOptions = true, footerHeading = CommandContext.EXAMPLE,
            footer = "  ${COMMAND-FULL-NAME} --mid " + DemoFixture.MID + " --grace 1h")
    int rotateKey(@Option(names = "--mid", required = true, paramLabel = "MID", description = "15-digit merchant number") String mid,
                  @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "24h", converter = DurationConverter.class,
                          description = "how long the old key keeps working (default ${DEFAULT-VALUE})") Duration grace,
                  @Mixin RemoteOptions remote) {
        return withAdmin(Need.EXISTING, remote, admin -> {
            MerchantAdmin.NewKey key = admin.rotateKey(mid, grace);
            out().println("new key for merchant " + mid + ": " + key.key());
            out().println("This key is shown only once. The old key stays valid until " + key.previousValidUntil() + ".");
            return 0;
        });
    }

    @Command(name = "set-rate", description = "Set a merchant's own request rate (token bucket), or return it to the default.",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = {"  ${COMMAND-FULL-NAME} --mid " + DemoFixture.MID + " --per-second 20 --burst 40",
                    "  ${COMMAND-FULL-NAME} --mid " + DemoFixture.MID + " --default"})
    int setRate(@Option(names = "--mid", required = true, paramLabel = "MID", description = "15-digit merchant number") String mid,
                @Option(names = "--per-second", paramLabel = "R", description = "sustained requests per second") Integer perSecond,
                @Option(names = "--burst", paramLabel = "B", description = "requests allowed at once") Integer burst,
                @Option(names = "--default", description = "use the configured rate.per-second / rate.burst") boolean useDefault,
                @Mixin RemoteOptions remote) {
        return withAdmin(Need.EXISTING, remote, admin -> {
            if (useDefault == (perSecond != null || burst != null)) {
                throw new IllegalArgumentException("give --per-second and --burst, or --default");
            }
            admin.setRate(mid, perSecond, burst);
            out().println("merchant " + mid + " rate: " + (useDefault ? "configured default" : perSecond + "/s, burst " + burst));
            return 0;
        });
    }

    @Command(name = "allow-ips", description = "Restrict a merchant's requests to address blocks (IPv4/IPv6 CIDRs), or lift it.",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = {"  ${COMMAND-FULL-NAME} --mid " + DemoFixture.MID + " --cidrs 203.0.113.0/24",
                    "  ${COMMAND-FULL-NAME} --mid " + DemoFixture.MID + " --any"})
    int allowIps(@Option(names = "--mid", required = true, paramLabel = "MID", description = "15-digit merchant number") String mid,
                 @Option(names = "--cidrs", split = ",", paramLabel = "CIDR",
                         description = "comma-separated blocks, e.g. 203.0.113.0/24,2001:db8::/32") List<String> cidrs,
                 @Option(names = "--any", description = "accept requests from any address") boolean any,
                 @Mixin RemoteOptions remote) {
        return withAdmin(Need.EXISTING, remote, admin -> {
            if (any == (cidrs != null && !cidrs.isEmpty())) {
                throw new IllegalArgumentException("give --cidrs or --any");
            }
            List<CidrRange> ranges = any ? List.of() : cidrs.stream().map(CidrRange::parse).toList();
            admin.allowIps(mid, ranges);
            out().println("merchant " + mid + " accepts requests from " + (any ? "any address" : ranges));
            return 0;
        });
    }

    @Command(name = "set-channel", description = "Set (or replace) a merchant's credentials at a payment channel: "
            + "wechat, alipay or sandbox. They are stored encrypted and never shown again. Prefer the *-file options "
            + "to keep secrets out of the shell history and the process list.",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = {"  ${COMMAND-FULL-NAME} --mid " + DemoFixture.MID + " --channel sandbox",
                    "  ${COMMAND-FULL-NAME} --mid " + DemoFixture.MID + " --channel wechat \\",
                    "      --appid wx8888888888888888 --mch-id 1900000109 --key-file api.key",
                    "  ${COMMAND-FULL-NAME} --mid " + DemoFixture.MID + " --channel alipay \\",
                    "      --app-id 2021000000000000 --private-key a.pem --alipay-public-key b.pem"})
    int setChannel(@Option(names = "--mid", required = true, paramLabel = "MID", description = "15-digit merchant number") String mid,
                   @Option(names = "--channel", required = true, paramLabel = "CHANNEL", description = "wechat, alipay or sandbox")
                   String channel,
                   @Option(names = "--appid", paramLabel = "APPID", description = "wechat: the APPID") String appid,
                   @Option(names = "--mch-id", paramLabel = "MCHID", description = "wechat: the merchant number at WeChat Pay")
                   String mchId,
                   @Option(names = "--sub-mch-id", paramLabel = "SUBMCHID", description = "wechat: the sub-merchant number (service providers)")
                   String subMchId,
                   @Option(names = "--key", paramLabel = "KEY", description = "wechat: the API key (visible to other users in the process list: prefer --key-file)")
                   String key,
                   @Option(names = "--key-file", paramLabel = "FILE", description = "wechat: a file holding the API key")
                   Path keyFile,
                   @Option(names = "--sign-type", paramLabel = "TYPE", description = "wechat: MD5 or HMAC-SHA256")
                   String signType,
                   @Option(names = "--cert", paramLabel = "FILE", description = "wechat: the API certificate (PKCS#12 .p12), for reversals")
                   Path cert,
                   @Option(names = "--cert-password", paramLabel = "PASSWORD", description = "wechat: the certificate's password (prefer --cert-password-file)")
                   String certPassword,
                   @Option(names = "--cert-password-file", paramLabel = "FILE", description = "wechat: a file holding the certificate's password")
                   Path certPasswordFile,
                   @Option(names = "--app-id", paramLabel = "APPID", description = "alipay: the application's APPID") String appId,
                   @Option(names = "--private-key", paramLabel = "FILE", description = "alipay: the application's private key (PEM file)")
                   Path privateKey,
                   @Option(names = "--alipay-public-key", paramLabel = "FILE", description = "alipay: Alipay's public key (PEM file)")
                   Path alipayPublicKey,
                   @Option(names = "--scenario", paramLabel = "NAME", description = "sandbox: how the sandbox answers") String scenario,
                   @Mixin RemoteOptions remote) {
        ChannelOptions given = new ChannelOptions();
        given.text("--appid", "appid", appid).text("--mch-id", "mchId", mchId).text("--sub-mch-id", "subMchId", subMchId)
                .secret("--key", "--key-file", "key", key, keyFile).text("--sign-type", "signType", signType)
                .certificate("--cert", "certP12", cert)
                .secret("--cert-password", "--cert-password-file", "certPassword", certPassword, certPasswordFile)
                .text("--app-id", "appId", appId).file("--private-key", "privateKey", privateKey).file("--alipay-public-key", "alipayPublicKey", alipayPublicKey)
                .text("--scenario", "scenario", scenario);
        Map<String, String> fields = given.forChannel(channel);
        return withAdmin(Need.EXISTING, remote, admin -> {
            List<String> stored = admin.setChannel(mid, channel, fields);
            out().println("merchant " + mid + ": " + channel + " credentials set (fields "
                    + (stored.isEmpty() ? "none" : String.join(", ", stored)) + ")");
            return 0;
        });
    }

    @Command(name = "remove-channel", description = "Remove a merchant's credentials at a payment channel.",
            mixinStandardHelpOptions = true, footerHeading = CommandContext.EXAMPLE,
            footer = "  ${COMMAND-FULL-NAME} --mid " + DemoFixture.MID + " --channel wechat")
    int removeChannel(@Option(names = "--mid", required = true, paramLabel = "MID", description = "15-digit merchant number") String mid,
                      @Option(names = "--channel", required = true, paramLabel = "CHANNEL", description = "wechat, alipay or sandbox")
                      String channel,
                      @Mixin RemoteOptions remote) {
        return withAdmin(Need.EXISTING, remote, admin -> {
            admin.removeChannel(mid, channel);
            out().println("merchant " + mid + ": " + channel + " credentials removed");
            return 0;
        });
    }

    @Command(name = "set-notify", description = "Set where a merchant's notifications of order changes go (an http:// or "
            + "https:// URL), and the sign type they are signed with; or stop them with --off.",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = {"  ${COMMAND-FULL-NAME} --mid " + DemoFixture.MID + " \\", "      --url https://shop.example/notify",
                    "  ${COMMAND-FULL-NAME} --mid " + DemoFixture.MID + " \\",
                    "      --url https://shop.example/notify --sign-type HMAC-SHA256",
                    "  ${COMMAND-FULL-NAME} --mid " + DemoFixture.MID + " --off"})
    int setNotify(@Option(names = "--mid", required = true, paramLabel = "MID", description = "15-digit merchant number") String mid,
                  @Option(names = "--url", paramLabel = "URL", description = "where the notifications are POSTed") String url,
                  @Option(names = "--sign-type", paramLabel = "TYPE", description = "MD5 (the default), SHA1, SHA256 or HMAC-SHA256")
                  String signType,
                  @Option(names = "--off", description = "send no notifications (the event feed still has the changes)") boolean off,
                  @Mixin RemoteOptions remote) {
        if (off == (url != null)) {
            throw new IllegalArgumentException("give --url, or --off");
        }
        if (off && signType != null) {
            throw new IllegalArgumentException("--sign-type goes with --url");
        }
        return withAdmin(Need.EXISTING, remote, admin -> {
            String type = admin.setNotify(mid, url, signType);
            out().println("merchant " + mid + (off ? ": notifications stopped" : ": notifications go to " + url + " (" + type + ")"));
            return 0;
        });
    }

    @Command(name = "list", description = "List merchants, the channels they have credentials for and where their "
            + "notifications go (never keys or credentials).",
            mixinStandardHelpOptions = true, footerHeading = CommandContext.EXAMPLE, footer = "  ${COMMAND-FULL-NAME}")
    int list(@Mixin RemoteOptions remote) {
        return withAdmin(Need.EXISTING, remote, admin -> {
            List<MerchantAdmin.Listed> all = admin.list();
            PrintWriter out = out();
            out.printf("%-15s  %-8s  %-20s  %-20s  %-32s  %s%n", "MID", "ENABLED", "CREATED (UTC)", "CHANNELS", "NOTIFY", "NAME");
            for (MerchantAdmin.Listed listed : all) {
                MerchantSummary m = listed.merchant();
                out.printf("%-15s  %-8s  %-20s  %-20s  %-32s  %s%n", m.mid(), m.enabled() ? "yes" : "no", m.createdAt(),
                        listed.channels().isEmpty() ? "-" : String.join(",", listed.channels()),
                        m.notifyUrl() == null ? "-" : m.notifyUrl(), m.name());
            }
            return 0;
        });
    }

    private int setEnabled(String mid, boolean enabled, RemoteOptions remote) {
        return withAdmin(Need.EXISTING, remote, admin -> {
            admin.setEnabled(mid, enabled);
            out().println("merchant " + mid + (enabled ? " enabled" : " disabled"));
            return 0;
        });
    }

    /**
     * Runs {@code action} through the running server {@link AdminTarget} finds, or else on the
     * configured database; a failure is thrown to the one error path.
     */
    private int withAdmin(Need need, RemoteOptions remote, Function<MerchantAdmin, Integer> action) {
        LeopardConfig config = configSupplier.get();
        InternalClient server = AdminTarget.remote(config, remote);
        if (server != null) {
            return action.apply(new MerchantAdmin.Remote(server));
        }
        try (AdminSession session = new AdminSession(config, spec, need)) {
            return action.apply(new MerchantAdmin.Local(session.merchants(),
                    () -> session.channelAccounts(channels.apply(config.settings()))));
        }
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
