package io.leopard.server.web;

import static io.leopard.server.testing.LiveLeopard.KEY2;
import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.KEY_DISABLED;
import static io.leopard.server.testing.LiveLeopard.MID2;
import static io.leopard.server.testing.LiveLeopard.MID;
import static io.leopard.server.testing.LiveLeopard.MID_DISABLED;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import io.leopard.server.cli.LeopardCommand;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.MasterKey;
import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Keys stay secret: a representative run (queries on every endpoint with every sign type, bad
 * signatures, the merchant commands) logs at DEBUG, and neither the logs nor any answer holds a
 * merchant key, the master key or a string-to-sign; the database holds keys only encrypted.
 */
class SecretsHygieneTest {
    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Map<Logger, Level> levels = new HashMap<>();
    private final List<Appender<ILoggingEvent>> detached = new ArrayList<>();
    /** Every secret seen in the run, by what it is. */
    private final Map<String, String> secrets = new LinkedHashMap<>();
    /** Every full stringSignTemp of the run: may never be logged. */
    private final List<String> stringsToSign = new ArrayList<>();
    private final List<String> answers = new ArrayList<>();

    @BeforeEach
    void captureEverything() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            detached.add(it.next());
        }
        detached.forEach(root::detachAppender); // DEBUG of everything would flood the console
        for (Logger l : ctx.getLoggerList()) {
            if (l.getLevel() != null) {
                levels.put(l, l.getLevel());
                l.setLevel(Level.DEBUG);
            }
        }
        levels.put(root, root.getLevel());
        root.setLevel(Level.DEBUG);
        captured.setContext(ctx);
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void restore() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(captured);
        levels.forEach(Logger::setLevel);
        detached.forEach(root::addAppender);
    }

    @Test
    void noSecretInLogsAnswersOrDatabase() throws Exception {
        secrets.put("demo key 1", KEY);
        secrets.put("demo key 2", KEY2);
        secrets.put("demo key 3", KEY_DISABLED);

        // 1. the server: every endpoint with every sign type, and failures
        // 108 SIGN_ERRORs from one address in well under a second would spend the default per-address
        // allowance (burst 100) and come back FREQUENCY_LIMITED: this test is about secrets, not limits
        String internalToken = "internal-token-of-this-run-0123456789";
        secrets.put("internal token", internalToken);
        try (LiveLeopard demo = LiveLeopard.start(Map.of("rate.address-per-second", "1000000", "rate.address-burst", "1000000",
                "rate.per-second", "1000000", "rate.burst", "1000000", "internal.tokens", "other-token-0123456789abc," + internalToken,
                "internal.port", "0"))) {
            secrets.put("demo master key", demo.settings.keys().masterKey());
            // the internal API: a write, a read, refusals with the token bent in each way
            String orders = demo.server.internalBaseUrl() + "/internal/v1/orders/" + MID + "/S1";
            String order = "{\"flowNo\":\"FS1\",\"amount\":\"1.00\",\"type\":\"jd\",\"scene\":\"h5\",\"state\":\"INIT\","
                    + "\"orderTime\":\"20261202160000\"}";
            for (String authorization : new String[] {"Bearer " + internalToken, "Bearer " + internalToken + "x",
                    "bearer " + internalToken.substring(1), "Basic " + internalToken, internalToken}) {
                HttpResponse<String> put = demo.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(orders))
                        .header("Authorization", authorization).header("Content-Type", "application/json")
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(order)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(put.statusCode()).as(authorization).isIn(200, 201, 401);
                answers.add(put.body());
                answers.add(put.headers().map().toString());
            }
            String[][] cases = {
                    {"/query/single", MID, "M201611101010100002"}, {"/query/multi", MID, "M201611101010100002,C201611101040000001,NOPE"},
                    {"/query/brushcard", MID, "B201611101030000001"}, {"/query/single", MID2, "M201611101010100002"},
                    {"/query/single", MID, "NOPE"}, {"/query/brushcard", MID, "M201611101010100002"}};
            for (String[] c : cases) {
                for (String signType : new String[] {null, "MD5", "SHA1", "SHA256", "HMAC-SHA256", "hmac-sha256"}) {
                    String key = c[1].equals(MID) ? KEY : KEY2;
                    Map<String, String> p = params(c[1], c[2], signType);
                    HttpResponse<String> res = post(demo, c[0], p, key);
                    assertThat(IndependentVerifier.fields(res.body())).as(res.body()).containsEntry("code", "SUCCESS");
                    // with the wrong key, the other merchant's key, the key= prefix: SIGN_ERROR
                    for (String wrong : new String[] {c[1].equals(MID) ? KEY2 : KEY, "key=" + key, key + " "}) {
                        HttpResponse<String> bad = post(demo, c[0], p, wrong);
                        assertThat(IndependentVerifier.fields(bad.body())).containsEntry("errCode", "SIGN_ERROR");
                    }
                }
            }
            // other failures that carry a mid: disabled merchant, unknown merchant, bad parameters, bad JSON
            answers.add(post(demo, "/query/single", params(MID_DISABLED, "M1", null), KEY_DISABLED).body());
            answers.add(post(demo, "/query/single", params("999999999999999", "M1", null), KEY).body());
            answers.add(demo.post("/query/single", "application/x-www-form-urlencoded",
                    "mid=" + MID + "&orderNo=A%20B&noise=n&key=" + KEY + "&sign=" + KEY).body());
            answers.add(demo.post("/query/single", "application/json", "{\"mid\":\"" + MID + "\",\"sign\":\"" + KEY + "\"").body());
        }

        // 2. the merchant commands, with the master key given in the configuration
        String configuredMaster = Base64.getEncoder().encodeToString(random(32));
        secrets.put("configured master key", configuredMaster);
        Path withKey = config("a", "master-key=" + configuredMaster);
        String generated = cliKey(run(withKey, "merchant", "add", "--mid", "200000000000001", "--name", "Generated"), "key: ");
        secrets.put("generated key", generated);
        run(withKey, "merchant", "add", "--mid", "200000000000002", "--name", "Chosen", "--key", "chosenKey-Alpha-1");
        run(withKey, "merchant", "add", "--mid", "200000000000003", "--name", "Chosen again", "--key", "chosenKey-Alpha-1");
        secrets.put("chosen key", "chosenKey-Alpha-1");
        String rotated = cliKey(run(withKey, "merchant", "rotate-key", "--mid", "200000000000001", "--grace", "1h"), ": ");
        secrets.put("rotated key", rotated);
        String listing = run(withKey, "merchant", "list");
        assertThat(listing).contains("200000000000001", "200000000000002");
        answers.add(listing);

        // ... and with the master key in a generated master.key file
        Path withFile = config("b");
        String generatedB = cliKey(run(withFile, "merchant", "add", "--mid", "200000000000004", "--name", "File"), "key: ");
        secrets.put("generated key (file master key)", generatedB);
        secrets.put("master.key file", Files.readString(dir.resolve("b/master.key")).trim());
        answers.add(run(withFile, "merchant", "list"));

        // 3. the logs: no secret, no string-to-sign, at any level
        assertThat(captured.list).as("log capture works").isNotEmpty();
        assertThat(captured.list.stream().anyMatch(e -> e.getLevel() == Level.DEBUG)).as("DEBUG is captured").isTrue();
        for (ILoggingEvent e : captured.list) {
            String line = e.getLoggerName() + " " + e.getFormattedMessage()
                    + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()));
            secrets.forEach((what, secret) -> assertThat(line).as("%s in log line", what).doesNotContain(secret));
            for (String temp : stringsToSign) {
                assertThat(line).as("string-to-sign in log line").doesNotContain(temp);
            }
        }
        // 4. the answers (HTTP bodies, command output that is not the one-time key print)
        for (String body : answers) {
            secrets.forEach((what, secret) -> assertThat(body).as("%s in answer", what).doesNotContain(secret));
        }

        // 5. the database: keys only encrypted, each encryption different
        Map<String, String> keyEnc = new TreeMap<>();
        for (String db : new String[] {"a", "b"}) {
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve(db).toAbsolutePath().resolve("leopard"), "", "");
                 ResultSet rs = c.createStatement().executeQuery("SELECT * FROM merchants")) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        String value = rs.getString(i);
                        if (value == null) {
                            continue;
                        }
                        for (Map.Entry<String, String> s : secrets.entrySet()) {
                            String secret = s.getValue();
                            assertThat(value).as("%s in column %s", s.getKey(), rs.getMetaData().getColumnName(i))
                                    .doesNotContain(secret)
                                    .doesNotContain(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)))
                                    .doesNotContainIgnoringCase(java.util.HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8)));
                        }
                    }
                    keyEnc.put(rs.getString("mid"), rs.getString("key_enc"));
                }
            }
        }
        assertThat(keyEnc.get("200000000000001")).startsWith("v1:");
        assertThat(keyEnc.get("200000000000002")).isNotEqualTo(keyEnc.get("200000000000003"));
        assertThat(cipherPart(keyEnc.get("200000000000002"))).isNotEqualTo(cipherPart(keyEnc.get("200000000000003")));
        KeyCipher cipher = new KeyCipher(MasterKey.of(configuredMaster));
        String once = cipher.encrypt("200000000000002", "chosenKey-Alpha-1");
        String twice = cipher.encrypt("200000000000002", "chosenKey-Alpha-1");
        assertThat(once).isNotEqualTo(twice).doesNotContain("chosenKey-Alpha-1");
        assertThat(cipher.decrypt("200000000000002", once)).isEqualTo("chosenKey-Alpha-1");
        assertThat(cipher.decrypt("200000000000002", keyEnc.get("200000000000002"))).isEqualTo("chosenKey-Alpha-1");
    }

    private static String cipherPart(String stored) {
        return stored.substring(stored.lastIndexOf(':') + 1);
    }

    private static Map<String, String> params(String mid, String orderNo, String signType) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mid", mid);
        p.put("orderNo", orderNo);
        p.put("noise", "secretsNoise1");
        p.put("remark", "杯具 a&b");
        if (signType != null) {
            p.put("signType", signType);
        }
        return p;
    }

    private HttpResponse<String> post(LiveLeopard demo, String path, Map<String, String> p, String key) throws Exception {
        String type = p.getOrDefault("signType", "MD5");
        Map<String, String> sorted = new TreeMap<>(p);
        StringBuilder temp = new StringBuilder();
        sorted.forEach((k, v) -> temp.append(k).append('=').append(v).append('&'));
        stringsToSign.add(temp.append(key).toString());
        Map<String, String> signed = new TreeMap<>(p);
        signed.put("sign", IndependentVerifier.sign(p, key, type));
        HttpResponse<String> res = demo.post(path, "application/x-www-form-urlencoded", LiveLeopard.form(signed));
        answers.add(res.body());
        return res;
    }

    private Path config(String name, String... lines) throws Exception {
        Path file = dir.resolve(name + ".properties");
        List<String> all = new ArrayList<>(List.of("data-dir=" + dir.resolve(name).toAbsolutePath()));
        all.addAll(List.of(lines));
        Files.write(file, all);
        return file;
    }

    /** Runs a command; returns stdout; stderr must be empty (and so holds no key). */
    private static String run(Path config, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = LeopardCommand.commandLine(Map.of());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        int code = cli.execute(all.toArray(String[]::new));
        assertThat(code).as("%s: %s", String.join(" ", args), err).isEqualTo(0);
        assertThat(err.toString()).isEmpty();
        return out.toString();
    }

    /** The key a command printed once, after {@code marker} on its line. */
    private static String cliKey(String out, String marker) {
        for (String line : out.split("\n")) {
            int at = line.lastIndexOf(marker);
            if (at >= 0 && (line.startsWith("key: ") || line.startsWith("new key"))) {
                return line.substring(at + marker.length()).trim();
            }
        }
        throw new AssertionError("no key in " + out);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
