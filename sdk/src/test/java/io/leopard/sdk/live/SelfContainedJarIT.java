package io.leopard.sdk.live;

import static io.leopard.server.testing.LiveLeopard.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.testing.LiveLeopard;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged, shaded SDK jar on its own, as a merchant gets it: a program compiled with
 * {@code --release 8} against that jar alone runs, in a child JVM with only that jar and the
 * program on its class path, against a real Leopard. Runs in the {@code integration-test} phase,
 * after {@code package}.
 */
class SelfContainedJarIT {
    private static LiveLeopard leopard;
    private static Path jar;

    @BeforeAll
    static void start() throws IOException {
        Path target = targetDir(SelfContainedJarIT.class);
        try (Stream<Path> files = Files.list(target)) {
            List<Path> jars = new ArrayList<>();
            files.filter(p -> p.getFileName().toString().matches("leopard-sdk-[0-9][^/]*\\.jar"))
                    .filter(p -> !p.getFileName().toString().matches(".*-(sources|javadoc|tests)\\.jar"))
                    .forEach(jars::add);
            assertThat(jars).as("the packaged SDK jar in %s", target).hasSize(1);
            jar = jars.get(0);
        }
        leopard = LiveLeopard.startWithoutRateLimits(Map.of());
    }

    @AfterAll
    static void stop() {
        if (leopard != null) {
            leopard.close();
        }
    }

    @Test
    void theJarHoldsTheProtocolAndARelocatedJacksonOnly() throws IOException {
        List<String> names = new ArrayList<>();
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (JarEntry e : java.util.Collections.list(jf.entries())) {
                names.add(e.getName());
                if (e.getName().endsWith(".class")) {
                    try (InputStream in = jf.getInputStream(e)) {
                        DataInputStream data = new DataInputStream(in);
                        assertThat(data.readInt()).isEqualTo(0xCAFEBABE);
                        data.readUnsignedShort();
                        assertThat(data.readUnsignedShort()).as("class file version of %s", e.getName()).isLessThanOrEqualTo(52);
                    }
                }
            }
        }
        assertThat(names).contains("io/leopard/sdk/LeopardClient.class", "io/leopard/protocol/Signer.class",
                "io/leopard/sdk/internal/jackson/JsonFactory.class");
        assertThat(names).noneMatch(n -> n.startsWith("com/") || n.startsWith("META-INF/versions/")
                || n.equals("module-info.class"));
    }

    @Test
    void theInstalledPomHasNoRuntimeDependencies() throws IOException {
        String pom = new String(Files.readAllBytes(jar.resolveSibling("dependency-reduced-pom.xml")), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("(?s)<dependencies>.*?</dependencies>").matcher(pom);
        // the first <dependencies> block is the project's own (no dependencyManagement in this POM)
        if (m.find()) {
            Matcher dep = Pattern.compile("(?s)<dependency>(.*?)</dependency>").matcher(m.group());
            while (dep.find()) {
                assertThat(dep.group(1)).as("a dependency of the published POM").contains("<scope>test</scope>");
            }
        }
    }

    @Test
    void aProgramCompiledForJava8AgainstTheJarAloneRunsWithTheJarAlone(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/JarOnly.java");
        Files.createDirectories(src.getParent());
        Files.write(src, PROGRAM.getBytes(StandardCharsets.UTF_8));
        Path classes = Files.createDirectories(dir.resolve("classes"));

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int compiled = javac.run(null, diagnostics, diagnostics, "--release", "8", "-Xlint:-options",
                "-classpath", jar.toString(), "-d", classes.toString(), src.toString());
        assertThat(compiled).as("javac: %s", diagnostics.toString(StandardCharsets.UTF_8.name())).isZero();

        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp",
                jar + System.getProperty("path.separator") + classes, "JarOnly", leopard.baseUrl(), MID, KEY)
                .redirectErrorStream(true);
        pb.environment().remove("CLASSPATH");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process p = pb.start();
        byte[] out = readAll(p.getInputStream());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output.split("\\R")).containsExactly(
                "MD5 M201611101010100002 status=1 amount=5230.00 scale=2 payTime=2016-11-10T10:13:23 paid=true",
                "SHA1 M201611101010100002 status=1 amount=5230.00 scale=2 payTime=2016-11-10T10:13:23 paid=true",
                "SHA256 M201611101010100002 status=1 amount=5230.00 scale=2 payTime=2016-11-10T10:13:23 paid=true",
                "HMAC-SHA256 M201611101010100002 status=1 amount=5230.00 scale=2 payTime=2016-11-10T10:13:23 paid=true",
                "multi M201611101010100002=1 NOPE1=6",
                "brushcard B201611101030000001 payStatus=1 succAmount=50.00",
                "wrong key: LeopardProtocolException SIGN_ERROR",
                "jackson: io.leopard.sdk.internal.jackson.JsonFactory",
                "unrelocated jackson: absent");
    }

    /** The module's build directory: the parent of this test's class directory. */
    static Path targetDir(Class<?> testClass) {
        try {
            return Paths.get(testClass.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** Java 8 source: no var, no List.of. */
    private static final String PROGRAM = String.join("\n",
            "import io.leopard.protocol.SignType;",
            "import io.leopard.sdk.*;",
            "import java.util.Arrays;",
            "",
            "public class JarOnly {",
            "    public static void main(String[] args) throws Exception {",
            "        for (SignType t : SignType.values()) {",
            "            LeopardClient c = LeopardClient.builder().baseUrl(args[0]).mid(args[1]).key(args[2]).signType(t).build();",
            "            OrderResult o = c.querySingle(\"M201611101010100002\").order();",
            "            System.out.println(t.wireName() + \" \" + o.orderNo() + \" status=\" + o.status().value()",
            "                    + \" amount=\" + o.amount().toPlainString() + \" scale=\" + o.amount().scale()",
            "                    + \" payTime=\" + o.payTime() + \" paid=\" + o.isPaid());",
            "        }",
            "        LeopardClient c = LeopardClient.builder().baseUrl(args[0]).mid(args[1]).key(args[2]).build();",
            "        MultiResult m = c.queryMulti(Arrays.asList(\"M201611101010100002\", \"NOPE1\"));",
            "        StringBuilder sb = new StringBuilder(\"multi\");",
            "        for (OrderResult o : m.orders()) {",
            "            sb.append(' ').append(o.orderNo()).append('=').append(o.status().value());",
            "        }",
            "        System.out.println(sb);",
            "        BrushcardResult b = c.queryBrushcard(\"B201611101030000001\");",
            "        System.out.println(\"brushcard \" + b.orderNo() + \" payStatus=\" + b.payStatus().value()",
            "                + \" succAmount=\" + b.succAmount().toPlainString());",
            "        try {",
            "            LeopardClient.builder().baseUrl(args[0]).mid(args[1]).key(\"not-the-key\").build().querySingle(\"M201611101010100002\");",
            "            System.out.println(\"wrong key: accepted?!\");",
            "        } catch (LeopardProtocolException e) {",
            "            System.out.println(\"wrong key: LeopardProtocolException \" + e.errCode());",
            "        }",
            "        System.out.println(\"jackson: \" + Class.forName(\"io.leopard.sdk.internal.jackson.JsonFactory\").getName());",
            "        try {",
            "            Class.forName(\"com.fasterxml.jackson.core.JsonFactory\");",
            "            System.out.println(\"unrelocated jackson: present?!\");",
            "        } catch (ClassNotFoundException e) {",
            "            System.out.println(\"unrelocated jackson: absent\");",
            "        }",
            "    }",
            "}",
            "");
}
