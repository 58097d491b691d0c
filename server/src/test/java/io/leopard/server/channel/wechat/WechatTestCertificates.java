package io.leopard.server.channel.wechat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The certificates of the tests' fake WeChat Pay, made once per test run with the JDK's keytool
 * (EC keys: quick to make): a test CA; a server certificate for 127.0.0.1 and a client (merchant
 * API) certificate, both signed by it; a stranger's self-signed client certificate; and a PKCS#12
 * file holding the CA's certificate only, no key.
 */
final class WechatTestCertificates {
    static final String PASSWORD = "test-cert-pass";
    private static WechatTestCertificates made;

    private final Path dir;

    private WechatTestCertificates(Path dir) {
        this.dir = dir;
    }

    static synchronized WechatTestCertificates get() {
        if (made == null) {
            try {
                Path dir = Files.createTempDirectory("leopard-wechat-certs");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                made = new WechatTestCertificates(dir);
                made.make();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return made;
    }

    Path caPem() {
        return dir.resolve("ca.pem");
    }

    Path serverP12() {
        return dir.resolve("server.p12");
    }

    Path clientP12() {
        return dir.resolve("client.p12");
    }

    Path strangerP12() {
        return dir.resolve("stranger.p12");
    }

    Path trustOnlyP12() {
        return dir.resolve("trust-only.p12");
    }

    private void make() throws IOException {
        keyPair("ca.p12", "ca", "CN=Leopard Test CA", "-ext", "bc:c");
        keytool("-exportcert", "-rfc", "-keystore", "ca.p12", "-alias", "ca", "-file", "ca.pem");
        signed("server", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1", "EKU=serverAuth");
        signed("client", "CN=10000100", null, "EKU=clientAuth");
        keyPair("stranger.p12", "stranger", "CN=Stranger");
        keytool("-importcert", "-noprompt", "-keystore", "trust-only.p12", "-alias", "ca", "-file", "ca.pem");
    }

    /** {@code name}.p12 with a key whose certificate the CA signed, the chain imported. */
    private void signed(String name, String dname, String san, String eku) throws IOException {
        String store = name + ".p12";
        keyPair(store, name, dname);
        keytool("-certreq", "-keystore", store, "-alias", name, "-file", name + ".csr");
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-keystore", "ca.p12", "-alias", "ca",
                "-infile", name + ".csr", "-outfile", name + ".pem", "-validity", "3", "-ext", eku));
        if (san != null) {
            gencert.addAll(List.of("-ext", san));
        }
        keytool(gencert.toArray(String[]::new));
        keytool("-importcert", "-noprompt", "-keystore", store, "-alias", "ca", "-file", "ca.pem");
        keytool("-importcert", "-noprompt", "-keystore", store, "-alias", name, "-file", name + ".pem");
    }

    private void keyPair(String store, String alias, String dname, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-keystore", store, "-alias", alias,
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname, "-validity", "3"));
        args.addAll(List.of(more));
        keytool(args.toArray(String[]::new));
    }

    private void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + output);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }
}
