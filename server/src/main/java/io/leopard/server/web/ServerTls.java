package io.leopard.server.web;

import io.helidon.common.tls.Tls;
import io.leopard.server.problem.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLParameters;

/**
 * The server's TLS identity: the first private key of a PKCS#12 keystore and its certificate chain,
 * offered with TLS 1.3 and 1.2 only. Every failure is a {@link ConfigException} naming the file and
 * what is wrong with it, never the password.
 */
public final class ServerTls {
    /** The protocols the server accepts, newest first; TLS 1.1 and older are refused. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final Tls tls;
    private final X509Certificate certificate;

    private ServerTls(Tls tls, X509Certificate certificate) {
        this.tls = tls;
        this.certificate = certificate;
    }

    /** Helidon's TLS configuration. */
    public Tls tls() {
        return tls;
    }

    /** The server's own certificate: the only one the node's self-probe trusts (see ListenerProbe). */
    public X509Certificate certificate() {
        return certificate;
    }

    /** Loads {@code keystore} (PKCS#12) and builds Helidon's TLS configuration from it. */
    public static ServerTls load(Path keystore, String password) {
        char[] pw = password == null ? new char[0] : password.toCharArray();
        KeyStore ks = read(keystore, pw);
        try {
            for (String alias : Collections.list(ks.aliases())) {
                if (!ks.isKeyEntry(alias)) {
                    continue;
                }
                Key key = ks.getKey(alias, pw);
                if (!(key instanceof PrivateKey privateKey)) {
                    continue;
                }
                List<X509Certificate> chain = chain(keystore, alias, ks.getCertificateChain(alias));
                return new ServerTls(Tls.builder()
                        .privateKey(privateKey)
                        .privateKeyCertChain(chain)
                        .sslParameters(sslParameters())
                        .build(), chain.get(0));
            }
        } catch (UnrecoverableKeyException e) {
            throw new ConfigException("tls.keystore " + keystore + ": the private key cannot be recovered with "
                    + "tls.keystore-password (a key password different from the store password is not supported)");
        } catch (GeneralSecurityException e) {
            throw new ConfigException("tls.keystore " + keystore + ": " + e.getMessage());
        }
        throw new ConfigException("tls.keystore " + keystore + " holds no private key entry: it needs the server's "
                + "private key with its certificate chain (keytool -genkeypair, or openssl pkcs12 -export)");
    }

    /** TLS 1.3 and 1.2 only; the JDK's default cipher suites for them. */
    static SSLParameters sslParameters() {
        SSLParameters params = new SSLParameters();
        params.setProtocols(PROTOCOLS.toArray(String[]::new));
        return params;
    }

    private static KeyStore read(Path keystore, char[] pw) {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, pw);
            return ks;
        } catch (NoSuchFileException e) {
            throw new ConfigException("tls.keystore " + keystore + " does not exist");
        } catch (IOException e) {
            // PKCS12 reports a wrong password as an IOException caused by UnrecoverableKeyException
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new ConfigException("tls.keystore " + keystore + " cannot be opened: wrong tls.keystore-password");
            }
            throw new ConfigException("tls.keystore " + keystore + " cannot be read as a PKCS#12 keystore: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new ConfigException("tls.keystore " + keystore + " cannot be read as a PKCS#12 keystore: " + e.getMessage());
        }
    }

    private static List<X509Certificate> chain(Path keystore, String alias, Certificate[] certs) {
        if (certs == null || certs.length == 0) {
            throw new ConfigException("tls.keystore " + keystore + ": the private key \"" + alias + "\" has no certificate chain");
        }
        List<X509Certificate> chain = new ArrayList<>(certs.length);
        for (Certificate c : certs) {
            if (!(c instanceof X509Certificate x509)) {
                throw new ConfigException("tls.keystore " + keystore + ": the certificate chain of \"" + alias + "\" is not X.509");
            }
            chain.add(x509);
        }
        return chain;
    }
}
