package io.leopard.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed server certificates, client certificate authorities, the client certificates they
 * issue and truststores, made at test time with the JDK's own {@code keytool}, and client SSL
 * contexts that trust exactly the server's certificate. Nothing secret is checked into the repository.
 */
public final class TestKeystores {
    private TestKeystores() {
    }

    /**
     * A PKCS#12 keystore in {@code dir} holding an EC P-256 key and a certificate for
     * {@code localhost} / {@code 127.0.0.1}, valid for two days.
     */
    public static Path selfSigned(Path dir, String password) throws IOException, InterruptedException {
        Path keystore = dir.resolve("server.p12");
        keytool("-genkeypair", "-alias", "leopard",
                "-keyalg", "EC", "-groupname", "secp256r1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", password, "-keypass", password,
                "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2");
        return keystore;
    }

    /**
     * A certificate authority for client certificates: its key in {@code dir/<name>-ca.p12}, its
     * certificate in {@code dir/<name>-ca.crt} (PEM), valid for two days.
     */
    public record Authority(Path keystore, Path certificate, String password) {
        /**
         * A PKCS#12 keystore {@code dir/<name>.p12} holding an EC key for a client called
         * {@code name}, with a certificate this authority issued (extended key usage clientAuth) and
         * the authority's certificate in its chain; its password is the authority's.
         */
        public Path issueClient(Path dir, String name) throws IOException, InterruptedException {
            Path client = dir.resolve(name + ".p12");
            Path request = dir.resolve(name + ".csr");
            Path issued = dir.resolve(name + ".crt");
            keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1", "-storetype", "PKCS12",
                    "-keystore", client.toString(), "-storepass", password, "-keypass", password,
                    "-dname", "CN=" + name, "-validity", "2");
            keytool("-certreq", "-alias", "client", "-keystore", client.toString(), "-storepass", password,
                    "-file", request.toString());
            keytool("-gencert", "-alias", "ca", "-keystore", keystore.toString(), "-storepass", password,
                    "-infile", request.toString(), "-outfile", issued.toString(), "-rfc",
                    "-ext", "eku=clientAuth", "-ext", "ku=digitalSignature", "-validity", "2");
            // the chain replaces the self-signed certificate once the issuer is known to the keystore
            keytool("-importcert", "-noprompt", "-alias", "ca", "-keystore", client.toString(), "-storepass", password,
                    "-file", certificate.toString());
            keytool("-importcert", "-alias", "client", "-keystore", client.toString(), "-storepass", password,
                    "-file", issued.toString());
            return client;
        }

        /** A PKCS#12 truststore {@code dir/<fileName>} holding this authority's certificate only. */
        public Path truststore(Path dir, String fileName, String truststorePassword) throws IOException, InterruptedException {
            Path truststore = dir.resolve(fileName);
            keytool("-importcert", "-noprompt", "-trustcacerts", "-alias", "clients-ca", "-storetype", "PKCS12",
                    "-keystore", truststore.toString(), "-storepass", truststorePassword, "-file", certificate.toString());
            return truststore;
        }
    }

    /** A new {@link Authority} called {@code name} in {@code dir}. */
    public static Authority authority(Path dir, String name, String password) throws IOException, InterruptedException {
        Path keystore = dir.resolve(name + "-ca.p12");
        Path certificate = dir.resolve(name + "-ca.crt");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", password, "-keypass", password,
                "-dname", "CN=" + name + " test CA", "-ext", "bc:c", "-ext", "ku:c=keyCertSign,cRLSign", "-validity", "2");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", keystore.toString(), "-storepass", password,
                "-file", certificate.toString());
        return new Authority(keystore, certificate, password);
    }

    /**
     * A client context presenting the key and certificate chain of {@code client} (PKCS#12), or
     * none when it is null, and trusting the certificate in {@code serverKeystore} and nothing else.
     */
    public static SSLContext client(Path client, String clientPassword, Path serverKeystore, String serverPassword)
            throws IOException, GeneralSecurityException {
        KeyManager[] keys = null;
        if (client != null) {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(client, clientPassword), clientPassword.toCharArray());
            keys = kmf.getKeyManagers();
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(serverKeystore, serverPassword));
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keys, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static KeyStore load(Path store, String password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }

    /** Runs the JDK's keytool with {@code args}; its output is in the exception when it fails. */
    public static void keytool(String... args) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>();
        command.add(keytool.toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("keytool did not finish within 60 s");
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed (" + p.exitValue() + "): " + output);
        }
    }

    /** A client context trusting the certificate in {@code keystore} and nothing else. */
    public static SSLContext trusting(Path keystore, String password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
