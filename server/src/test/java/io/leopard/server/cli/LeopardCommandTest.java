package io.leopard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The whole command tree as a user runs it: one configuration, one-line errors, exit codes. */
class LeopardCommandTest {
    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cli = LeopardCommand.commandLine(env);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private Map<String, String> env() {
        return Map.of("LEOPARD_DATA_DIR", dir.toString());
    }

    @Test
    void signPrintsThePublishedExampleWithTheKeyMasked() {
        int code = run(Map.of(), "sign", "--key", "ddbax6n4cg8qj958ytt6", "mid=123456789098765", "orderNo=SC112233445566778899",
                "amount=65.50", "currency=CNY", "date=20160510", "time=152030", "notify=https://domain/notify", "remark=杯具");
        assertThat(code).isEqualTo(0);
        assertThat(out.toString())
                .contains("amount=65.50&currency=CNY&date=20160510&mid=123456789098765&notify=https://domain/notify"
                        + "&orderNo=SC112233445566778899&remark=杯具&time=152030&********")
                .contains("MD5          2B086E3C763634A869829AE9198F7DAE")
                .doesNotContain("ddbax6n4cg8qj958ytt6");
    }

    @Test
    void signRejectsMalformedPairs() {
        assertThat(run(Map.of(), "sign", "--key", "k", "novalue")).isEqualTo(2);
        assertThat(err.toString()).contains("expected name=value");
        assertThat(run(Map.of(), "sign", "--key", "k", "a=1", "a=2")).isEqualTo(2);
        assertThat(run(Map.of(), "sign", "--key", "k", "bad name=1")).isEqualTo(1);
        assertThat(err.toString()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void merchantLifecycleThroughTheRootCommand() {
        assertThat(run(env(), "merchant", "add", "--mid", "100000000000001", "--name", "Shop")).isEqualTo(0);
        assertThat(out.toString()).contains("key: ");
        String key = out.toString().replaceAll("(?s).*key: (\\S+).*", "$1");
        assertThat(run(env(), "merchant", "list")).isEqualTo(0);
        assertThat(out.toString()).contains("100000000000001").doesNotContain(key);
        assertThat(run(env(), "merchant", "set-rate", "--mid", "100000000000001", "--per-second", "5", "--burst", "10")).isEqualTo(0);
        assertThat(run(env(), "merchant", "set-rate", "--mid", "100000000000001", "--per-second", "5")).isEqualTo(1);
        assertThat(run(env(), "merchant", "set-rate", "--mid", "100000000000001", "--default")).isEqualTo(0);
        assertThat(run(env(), "merchant", "allow-ips", "--mid", "100000000000001", "--cidrs", "203.0.113.0/24,::1")).isEqualTo(0);
        assertThat(out.toString()).contains("203.0.113.0/24");
        assertThat(run(env(), "merchant", "allow-ips", "--mid", "100000000000001", "--cidrs", "example.com")).isEqualTo(1);
        assertThat(err.toString()).contains("not an IPv4/IPv6 address");
        assertThat(run(env(), "merchant", "allow-ips", "--mid", "100000000000001", "--any")).isEqualTo(0);
        assertThat(run(env(), "merchant", "set-debug", "--mid", "100000000000001", "--on")).isEqualTo(0);
        assertThat(out.toString()).contains("signature diagnosis on");
        assertThat(run(env(), "merchant", "set-debug", "--mid", "100000000000001", "--off")).isEqualTo(0);
        assertThat(run(env(), "merchant", "set-debug", "--mid", "100000000000001")).isEqualTo(1);
        assertThat(err.toString()).contains("say --on or --off");
        assertThat(run(env(), "merchant", "set-debug", "--mid", "999999999999999", "--on")).isEqualTo(1);
        assertThat(run(env(), "merchant", "set-replay", "--mid", "100000000000001", "--window", "5m")).isEqualTo(0);
        assertThat(out.toString()).contains("replay protection on, window 300 s");
        assertThat(run(env(), "merchant", "set-replay", "--mid", "100000000000001", "--window", "2h")).isEqualTo(1);
        assertThat(err.toString()).contains("1m to 1h");
        assertThat(run(env(), "merchant", "set-replay", "--mid", "100000000000001")).isEqualTo(1);
        assertThat(err.toString()).contains("give --window, or --off");
        assertThat(run(env(), "merchant", "set-replay", "--mid", "100000000000001", "--window", "5m", "--off")).isEqualTo(1);
        assertThat(run(env(), "merchant", "set-replay", "--mid", "100000000000001", "--off")).isEqualTo(0);
        assertThat(out.toString()).contains("replay protection off");
        assertThat(run(env(), "merchant", "set-replay", "--mid", "999999999999999", "--off")).isEqualTo(1);
        assertThat(run(env(), "merchant", "disable", "--mid", "999999999999999")).isEqualTo(1);
        assertThat(err.toString()).contains("no merchant 999999999999999");
    }

    @Test
    void everyErrorIsOneLineNamingTheCommand() {
        assertThat(run(env(), "merchant", "add", "--mid", "100000000000001", "--name", "Shop", "--key", "secretkey1")).isZero();
        assertThat(run(env(), "merchant", "add", "--mid", "100000000000001", "--name", "Shop", "--key", "secretkey1")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("leopard merchant add: merchant 100000000000001 already exists\n");
        assertThat(run(env(), "merchant", "add", "--name", "Shop")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(
                "leopard merchant add: Missing required option: '--mid=MID' (see leopard merchant add --help)\n");
        assertThat(run(env(), "merchant", "lst")).isEqualTo(2);
        assertThat(err.toString()).startsWith("leopard merchant: Unmatched argument at index 1: 'lst'")
                .contains("did you mean list?").endsWith(" (see leopard merchant --help)\n");
        assertThat(run(env(), "sign", "--key", "k", "novalue")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("leopard sign: expected name=value, got \"novalue\" (see leopard sign --help)\n");
        assertThat(run(Map.of("LEOPARD_PORT", "http"), "serve")).isEqualTo(1);
        assertThat(err.toString()).startsWith("leopard serve: configuration error: port must be a whole number");
        assertThat(run(env(), "order", "import", dir.resolve("none.csv").toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("leopard order import: no such file: ").hasLineCount(1);
    }

    @Test
    void badConfigurationIsOneLine() throws Exception {
        Path file = dir.resolve("leopard.properties");
        Files.writeString(file, "prot=8080\n");
        assertThat(run(env(), "--config", file.toString(), "merchant", "list")).isEqualTo(1);
        assertThat(err.toString()).contains("unknown key \"prot\"").doesNotContain("\tat ");
        assertThat(run(Map.of("LEOPARD_PORT", "http"), "serve")).isEqualTo(1);
        assertThat(err.toString()).contains("port must be a whole number");
        assertThat(run(env(), "--config", dir.resolve("missing.properties").toString(), "merchant", "list")).isEqualTo(1);
        assertThat(err.toString()).contains("cannot read config file");
        assertThat(run(Map.of("LEOPARD_DB_URL", "jdbc:oracle:thin:@x"), "merchant", "list")).isEqualTo(1);
        assertThat(err.toString().lines().count()).isEqualTo(1);
        assertThat(run(env(), "no-such-command")).isEqualTo(2);
    }
}
