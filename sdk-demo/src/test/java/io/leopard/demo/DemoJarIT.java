package io.leopard.demo;

import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.MID;
import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.testing.LiveLeopard;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar target/leopard-demo.jar} in a child JVM against a real Leopard (demo fixture,
 * fresh embedded database, random port): the commands of sdk/README.md's demo section. Runs in the
 * {@code integration-test} phase, after the jar is built.
 */
class DemoJarIT {
    private static LiveLeopard server;
    private static Path demoJar;

    @BeforeAll
    static void start() throws IOException {
        try {   // target/test-classes -> target/leopard-demo.jar
            demoJar = Paths.get(DemoJarIT.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .resolveSibling("leopard-demo.jar");
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        assertThat(demoJar).exists();
        server = LiveLeopard.start(Map.of());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    record Run(int exit, String out, String err) {
    }

    /** {@code java -jar leopard-demo.jar --url URL --mid MID ARGS...} with LEOPARD_KEY in the environment. */
    private static Run demo(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", demoJar.toString(), "--url", server.baseUrl(), "--mid", MID));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LEOPARD_KEY", KEY);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process p = pb.start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        byte[] out = readAll(p.getInputStream());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err.get(), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(InputStream in) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void single() throws Exception {
        Run r = demo("single", "M201611101010100002");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo(String.join(System.lineSeparator(),
                "orderNo    M201611101010100002",
                "status     1 (paid)",
                "amount     5230.00",
                "type       wechat",
                "flowNo     20161101010100198763",
                "tradeNo    1217752501201407033233368018",
                "orderTime  2016-11-10 10:10:10",
                "payTime    2016-11-10 10:13:23",
                "(answer signature verified)", ""));
    }

    @Test
    void singleWithHmacAndNotFound() throws Exception {
        Run r = demo("--sign-type", "HMAC-SHA256", "single", "M201611101010100002");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("amount     5230.00");
        Run missing = demo("single", "X201611101050000001");
        assertThat(missing.exit()).isZero();
        assertThat(missing.out().trim()).isEqualTo("order X201611101050000001: not found (ORDER_NOT_EXIST)");
    }

    @Test
    void multi() throws Exception {
        Run r = demo("multi", "M201611101010100002", "B201611101030000001", "NOPE1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().split("\\R")).hasSize(5);
        assertThat(r.out()).contains("M201611101010100002", "1 (paid)", "5230.00", "NOPE1", "6 (not found)",
                "(3 orders, answer signatures verified)");
    }

    @Test
    void brushcard() throws Exception {
        Run r = demo("brushcard", "B201611101030000001");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("payStatus    1 (paid)", "orderAmount  50.00", "succAmount   50.00",
                "payTime      2016-11-10 10:30:04", "(answer signature verified)");
    }

    @Test
    void brushcardPollOnAPendingOrderSaysRevokeIt() throws Exception {
        Run r = demo("brushcard", "B201611101030000002", "--poll", "--queries", "3", "--interval-ms", "100");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("polling card-present order B201611101030000002: up to 3 queries, 0.1 s apart ...")
                .contains("payStatus    5 (pending)", "succAmount   0.00")
                .containsPattern("=> still not paid after 3 queries \\(0\\.[3-9] s\\): REVOKE IT");
    }

    @Test
    void brushcardPollOnAPaidOrderEndsAtTheFirstQuery() throws Exception {
        Run r = demo("brushcard", "B201611101030000001", "--poll", "--interval-ms", "100");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("payStatus    1 (paid)").containsPattern("=> final: PAID after 1 query \\(0\\.\\d s\\)");
    }

    @Test
    void aWrongKeyIsOneErrorLineAndExitCode1() throws Exception {
        Run r = demo("--key", "wrongwrongwrongwrong", "single", "M201611101010100002");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().trim()).startsWith("error: Leopard refused the request: SIGN_ERROR").doesNotContain("\n");
    }
}
