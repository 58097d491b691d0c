package io.leopard.server.sync.e2e;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A test CA, a server certificate for 127.0.0.1 and a merchant's client certificate (WeChat Pay's
 * "API certificate"), all made with the JDK's own {@code keytool}, so nothing here shares code with
 * the server's TLS handling.
 */
final class KeytoolPki {
    static final String PASSWORD = "changeit-e2e";

    final Path dir;
    final Path caPem;
    final Path serverP12;
    final Path clientP12;

    private KeytoolPki(Path dir) {
        this.dir = dir;
        this.caPem = dir.resolve("ca.pem");
        this.serverP12 = dir.resolve("server.p12");
        this.clientP12 = dir.resolve("client.p12");
    }

    static KeytoolPki create() throws Exception {
        KeytoolPki p = new KeytoolPki(Files.createTempDirectory("leopard-e2e-pki-"));
        Path ca = p.dir.resolve("ca.p12");
        p.keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=Independent Test CA",
                "-ext", "bc:c", "-validity", "3", "-keystore", ca.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        p.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASSWORD, "-file", p.caPem.toString());
        p.leaf(ca, p.serverP12, "server", "CN=127.0.0.1", "san=ip:127.0.0.1,dns:localhost", "eku=serverAuth");
        p.leaf(ca, p.clientP12, "client", "CN=" + IndependentWechat.MCH_ID + ",O=Merchant", null, "eku=clientAuth");
        return p;
    }

    private void leaf(Path ca, Path store, String alias, String dname, String san, String eku) throws Exception {
        keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-dname", dname, "-validity", "3",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        Path csr = dir.resolve(alias + ".csr");
        Path crt = dir.resolve(alias + ".pem");
        keytool("-certreq", "-alias", alias, "-keystore", store.toString(), "-storepass", PASSWORD, "-file", csr.toString());
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(),
                "-storepass", PASSWORD, "-infile", csr.toString(), "-outfile", crt.toString(), "-validity", "3", "-ext", eku));
        if (san != null) {
            gencert.addAll(List.of("-ext", san));
        }
        keytool(gencert.toArray(String[]::new));
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore", store.toString(), "-storepass", PASSWORD);
        keytool("-importcert", "-noprompt", "-alias", alias, "-file", crt.toString(), "-keystore", store.toString(), "-storepass", PASSWORD);
    }

    private void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + ": " + new String(out, StandardCharsets.UTF_8));
        }
    }

    /** The fake's TLS: the server certificate, and the CA to check clients' certificates with. */
    SSLContext serverContext() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(serverP12.toFile())) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return c;
    }

    String clientP12Base64() throws IOException {
        return Base64.getEncoder().encodeToString(Files.readAllBytes(clientP12));
    }
}
