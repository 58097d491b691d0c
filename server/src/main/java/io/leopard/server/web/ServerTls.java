package io.leopard.server.web;

import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import io.helidon.common.tls.TlsConfig;
import io.leopard.server.problem.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
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
 * offered with TLS 1.3 and 1.2 only; for mutual TLS, also the certificates of a PKCS#12 truststore
 * that a client's certificate must chain to. Every failure is a {@link ConfigException} naming the
 * configuration key ({@code tls.keystore}, {@code internal.tls.keystore}, ...), the file and what is
 * wrong with it, never the password.
 */
public final class ServerTls {
    /** The protocols the server accepts, newest first; TLS 1.1 and older are refused. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /** The key of the merchant-facing HTTPS keystore. */
    private static final String TLS_KEYSTORE = "tls.keystore";

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

    /** Loads {@code tls.keystore} (PKCS#12) and builds Helidon's TLS configuration from it. */
    public static ServerTls load(Path keystore, String password) {
        return load(TLS_KEYSTORE, keystore, password);
    }

    /**
     * Loads {@code keystore} (PKCS#12), configured as {@code key} (its password as
     * {@code key-password}), for HTTPS without client certificates.
     */
    public static ServerTls load(String key, Path keystore, String password) {
        Identity identity = identity(key, keystore, password);
        return new ServerTls(builder(identity).build(), identity.chain().getFirst());
    }

    /**
     * HTTPS that requires a client certificate chaining to one of the certificates of
     * {@code truststore}: the keystore is read as {@link #load(String, Path, String)} does, then the
     * truststore, configured as {@code truststoreKey}, with the same care.
     */
    public static ServerTls mutual(String keystoreKey, Path keystore, String keystorePassword,
                                   String truststoreKey, Path truststore, String truststorePassword) {
        Identity identity = identity(keystoreKey, keystore, keystorePassword);
        List<X509Certificate> trusted = trustedCertificates(truststoreKey, truststore, truststorePassword);
        SSLParameters params = sslParameters();
        params.setNeedClientAuth(true);
        Tls tls = builder(identity)
                .sslParameters(params)
                .trust(trusted)
                .clientAuth(TlsClientAuth.REQUIRED)
                .build();
        return new ServerTls(tls, identity.chain().getFirst());
    }

    /**
     * The trusted certificate entries of the PKCS#12 {@code truststore} (configured as {@code key});
     * none at all is refused, since an empty trust list would leave the choice of trust to the JDK.
     */
    public static List<X509Certificate> trustedCertificates(String key, Path truststore, String password) {
        KeyStore ks = read(key, truststore, "truststore", password == null ? new char[0] : password.toCharArray());
        List<X509Certificate> trusted = new ArrayList<>();
        try {
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isCertificateEntry(alias) && ks.getCertificate(alias) instanceof X509Certificate x509) {
                    trusted.add(x509);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new ConfigException(key + " " + truststore + ": " + e.getMessage());
        }
        if (trusted.isEmpty()) {
            throw new ConfigException(key + " " + truststore + " holds no trusted certificate: it needs the certificate "
                    + "of the CA that issues the client certificates (keytool -importcert -trustcacerts)");
        }
        return List.copyOf(trusted);
    }

    /** The private key and its chain, from the first key entry of {@code keystore}. */
    private record Identity(PrivateKey key, List<X509Certificate> chain) {
    }

    private static TlsConfig.Builder builder(Identity identity) {
        return Tls.builder()
                .privateKey(identity.key())
                .privateKeyCertChain(identity.chain())
                .sslParameters(sslParameters());
    }

    private static Identity identity(String key, Path keystore, String password) {
        char[] pw = password == null ? new char[0] : password.toCharArray();
        KeyStore ks = read(key, keystore, "keystore", pw);
        try {
            for (String alias : Collections.list(ks.aliases())) {
                if (!ks.isKeyEntry(alias)) {
                    continue;
                }
                if (ks.getKey(alias, pw) instanceof PrivateKey privateKey) {
                    return new Identity(privateKey, chain(key, keystore, alias, ks.getCertificateChain(alias)));
                }
            }
        } catch (UnrecoverableKeyException e) {
            throw new ConfigException(key + " " + keystore + ": the private key cannot be recovered with "
                    + key + "-password (a key password different from the store password is not supported)");
        } catch (GeneralSecurityException e) {
            throw new ConfigException(key + " " + keystore + ": " + e.getMessage());
        }
        throw new ConfigException(key + " " + keystore + " holds no private key entry: it needs the server's "
                + "private key with its certificate chain (keytool -genkeypair, or openssl pkcs12 -export)");
    }

    /** TLS 1.3 and 1.2 only; the JDK's default cipher suites for them. */
    static SSLParameters sslParameters() {
        SSLParameters params = new SSLParameters();
        params.setProtocols(PROTOCOLS.toArray(String[]::new));
        return params;
    }

    /** Opens the PKCS#12 file {@code store} configured as {@code key}; {@code kind} is "keystore" or "truststore". */
    private static KeyStore read(String key, Path store, String kind, char[] pw) {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, pw);
            return ks;
        } catch (NoSuchFileException e) {
            throw new ConfigException(key + " " + store + " does not exist");
        } catch (IOException e) {
            // PKCS12 reports a wrong password as an IOException caused by UnrecoverableKeyException
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new ConfigException(key + " " + store + " cannot be opened: wrong " + key + "-password");
            }
            throw new ConfigException(key + " " + store + " cannot be read as a PKCS#12 " + kind + ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new ConfigException(key + " " + store + " cannot be read as a PKCS#12 " + kind + ": " + e.getMessage());
        }
    }

    private static List<X509Certificate> chain(String key, Path keystore, String alias, Certificate[] certs) {
        if (certs == null || certs.length == 0) {
            throw new ConfigException(key + " " + keystore + ": the private key \"" + alias + "\" has no certificate chain");
        }
        List<X509Certificate> chain = new ArrayList<>(certs.length);
        for (Certificate c : certs) {
            if (!(c instanceof X509Certificate x509)) {
                throw new ConfigException(key + " " + keystore + ": the certificate chain of \"" + alias + "\" is not X.509");
            }
            chain.add(x509);
        }
        return chain;
    }
}
