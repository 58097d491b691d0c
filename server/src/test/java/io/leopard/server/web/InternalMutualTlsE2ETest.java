package io.leopard.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.server.LeopardServer;
import io.leopard.server.config.LeopardConfig;
import io.leopard.server.problem.ConfigException;
import io.leopard.server.testing.LiveLeopard;
import io.leopard.server.testing.TestKeystores;
import io.leopard.server.web.connection.ConnectionGuard;
import io.leopard.server.web.connection.ConnectionLimits;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The internal listener over mutual TLS: a client certificate the truststore's CA issued, and the
 * bearer token on top; anything less gets no answer or a 401.
 */
class InternalMutualTlsE2ETest {
    private static final String PASSWORD = "s3cret-store-pw";
    private static final String TRUST_PASSWORD = "trust-store-pw-9";
    private static final String TOKEN = "internal-token-0123456789abcdef";
    private static final String ORDER_PATH = "/internal/v1/orders/100000510983456/M201611101010100002";
    private static Path dir;
    private static Path serverKeystore;
    private static Path truststore;
    private static Path trustedClient;
    private static Path rogueClient;
    private static LiveLeopard live;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("leopard-mtls-");
        serverKeystore = TestKeystores.selfSigned(dir, PASSWORD);
        TestKeystores.Authority core = TestKeystores.authority(dir, "core", PASSWORD);
        trustedClient = core.issueClient(dir, "leopard-core");
        truststore = core.truststore(dir, "clients.p12", TRUST_PASSWORD);
        rogueClient = TestKeystores.authority(dir, "rogue", PASSWORD).issueClient(dir, "rogue-client");
        live = LiveLeopard.start(mutualTls(truststore, TRUST_PASSWORD));
    }

    @AfterAll
    static void stop() {
        if (live != null) {
            live.close();
        }
    }

    private static Map<String, String> mutualTls(Path truststore, String truststorePassword) {
        Map<String, String> config = new HashMap<>();
        config.put("internal.tokens", TOKEN);
        config.put("internal.host", "127.0.0.1");
        config.put("internal.port", "0");
        config.put("internal.tls.keystore", serverKeystore.toString());
        config.put("internal.tls.keystore-password", PASSWORD);
        config.put("internal.tls.truststore", truststore.toString());
        config.put("internal.tls.truststore-password", truststorePassword);
        return config;
    }

    private static HttpClient client(Path clientKeystore) throws Exception {
        SSLContext tls = TestKeystores.client(clientKeystore, PASSWORD, serverKeystore, PASSWORD);
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> get(HttpClient client, String url, String token) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        return client.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTrustedClientCertificateWithTheTokenIsServed() throws Exception {
        String base = live.server.internalBaseUrl();
        assertThat(base).isEqualTo("https://127.0.0.1:" + live.server.internalPort());
        HttpResponse<String> res = get(client(trustedClient), base + ORDER_PATH, TOKEN);
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).contains("M201611101010100002");
        assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));
        assertThat(get(client(trustedClient), base + "/healthz", null).statusCode()).isEqualTo(200);
    }

    @Test
    void theRightCertificateWithoutTheTokenIsUnauthorized() throws Exception {
        HttpResponse<String> res = get(client(trustedClient), live.server.internalBaseUrl() + ORDER_PATH, null);
        assertThat(res.statusCode()).isEqualTo(401);
        assertThat(res.body()).contains("unauthorized");
        assertThat(get(client(trustedClient), live.server.internalBaseUrl() + ORDER_PATH, TOKEN + "x").statusCode())
                .isEqualTo(401);
    }

    /**
     * In TLS 1.3 the client's side of the handshake completes before the server has checked the
     * client's certificate, so the refusal shows as a connection closed without an answer; in TLS
     * 1.2 the handshake itself fails.
     */
    @Test
    void withoutAClientCertificateTheHandshakeFails() throws Exception {
        assertThatThrownBy(() -> get(client(null), live.server.internalBaseUrl() + ORDER_PATH, TOKEN))
                .isInstanceOf(IOException.class);
        SSLContext noCertificate = TestKeystores.client(null, PASSWORD, serverKeystore, PASSWORD);
        assertThatThrownBy(() -> rawRequest(noCertificate, "TLSv1.3")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> rawRequest(noCertificate, "TLSv1.2")).isInstanceOf(HandshakeFailed.class);
        // control: the same raw request with the trusted certificate is answered
        SSLContext trusted = TestKeystores.client(trustedClient, PASSWORD, serverKeystore, PASSWORD);
        assertThat(rawRequest(trusted, "TLSv1.3")).startsWith("HTTP/1.1 200");
        assertThat(rawRequest(trusted, "TLSv1.2")).startsWith("HTTP/1.1 200");
    }

    @Test
    void aCertificateFromAnotherAuthorityFails() throws Exception {
        assertThatThrownBy(() -> get(client(rogueClient), live.server.internalBaseUrl() + ORDER_PATH, TOKEN))
                .isInstanceOf(IOException.class);
        SSLContext rogue = TestKeystores.client(rogueClient, PASSWORD, serverKeystore, PASSWORD);
        assertThatThrownBy(() -> rawRequest(rogue, "TLSv1.3")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> rawRequest(rogue, "TLSv1.2")).isInstanceOf(HandshakeFailed.class);
    }

    /** The client's side of the handshake failed (an alert, or the server closed the connection). */
    private static final class HandshakeFailed extends IOException {
        private static final long serialVersionUID = 1L;

        HandshakeFailed(IOException cause) {
            super(cause);
        }
    }

    /** {@code GET /healthz} over a TLS socket offering only {@code protocol}; the first bytes answered. */
    private static String rawRequest(SSLContext context, String protocol) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", live.server.internalPort()), 5000);
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[] {protocol});
            try {
                socket.startHandshake();
            } catch (IOException e) {
                throw new HandshakeFailed(e);
            }
            OutputStream out = socket.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] head = socket.getInputStream().readNBytes(12);
            if (head.length == 0) {
                throw new EOFException("closed without an answer");
            }
            return new String(head, StandardCharsets.US_ASCII);
        }
    }

    @Test
    void plainHttpToTheTlsInternalPortGetsNoAnswer() {
        HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        assertThatThrownBy(() -> get(plain, "http://127.0.0.1:" + live.server.internalPort() + ORDER_PATH, TOKEN))
                .isInstanceOf(IOException.class);
    }

    @Test
    void theMerchantListenerStaysPlainAndServesNoInternalPath() throws Exception {
        HttpResponse<String> res = live.send("GET", live.server.baseUrl() + ORDER_PATH);
        assertThat(res.statusCode()).isEqualTo(404);
    }

    /**
     * The self-probe holds no client certificate: against the mutual-TLS listener it counts the
     * server's own certificate in the handshake as the answer; a plain HTTP probe would get none,
     * and a listener showing another certificate is not this node's.
     */
    @Test
    void theSelfProbeKnowsTheMutualListenerIsAlive() throws Exception {
        X509Certificate own = certificate(serverKeystore);
        Health health = new Health(() -> true);
        ConnectionGuard guard = new ConnectionGuard("probe-test",
                new ConnectionLimits(8, 8, Duration.ofSeconds(75), Duration.ofSeconds(10)), System::nanoTime, a -> false);
        try {
            InetAddress host = InetAddress.getLoopbackAddress();
            int port = live.server.internalPort();
            ListenerProbe probe = new ListenerProbe(List.of(), Duration.ofSeconds(3), health, () -> { });
            assertThat(probe.probe(new ListenerProbe.Target("internal", host, port, guard, own, true))).isTrue();
            assertThat(probe.probe(new ListenerProbe.Target("internal", host, port, guard, null, false)))
                    .as("a plain HTTP probe gets no answer from the TLS listener").isFalse();
            X509Certificate other = certificate(trustedClient);
            assertThat(probe.probe(new ListenerProbe.Target("internal", host, port, guard, other, true)))
                    .as("another certificate is not this node's").isFalse();
            try (ServerSocket silent = new ServerSocket(0, 5, host)) {
                assertThat(new ListenerProbe(List.of(), Duration.ofMillis(300), health, () -> { })
                        .probe(new ListenerProbe.Target("internal", host, silent.getLocalPort(), guard, own, true)))
                        .as("a listener that never answers the ClientHello").isFalse();
            }
        } finally {
            guard.close();
        }
        // and the server's own probe has not found the listener dead meanwhile
        assertThat(get(client(trustedClient), live.server.internalBaseUrl() + "/healthz", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aBadTruststoreStopsTheStartInOneLineWithoutThePassword() throws Exception {
        Path dataDir = dir.resolve("never-opened");
        LeopardConfig base = LeopardConfig.of(Map.of("data-dir", dataDir.toString(), "port", "0"))
                .with(mutualTls(truststore, TRUST_PASSWORD));
        assertThatThrownBy(() -> LeopardServer.start(base.with("internal.tls.truststore", dir.resolve("missing.p12").toString())
                .settings()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("internal.tls.truststore " + dir.resolve("missing.p12") + " does not exist");
        assertThatThrownBy(() -> LeopardServer.start(base.with("internal.tls.truststore-password", "wrong-pw-5678").settings()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("internal.tls.truststore " + truststore + " cannot be opened: wrong internal.tls.truststore-password")
                .message().doesNotContain("wrong-pw-5678").doesNotContain(TRUST_PASSWORD);
        // a keystore with a key but no trusted certificate entry vouches for nobody
        assertThatThrownBy(() -> LeopardServer.start(base.with("internal.tls.truststore", serverKeystore.toString())
                .with("internal.tls.truststore-password", PASSWORD).settings()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("internal.tls.truststore " + serverKeystore + " holds no trusted certificate")
                .message().doesNotContain("\n").doesNotContain(PASSWORD);
        assertThatThrownBy(() -> LeopardServer.start(base.with("internal.tls.keystore-password", "wrong-pw-5678").settings()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("internal.tls.keystore " + serverKeystore + " cannot be opened: wrong internal.tls.keystore-password");
        assertThat(dataDir).as("read before the database is opened").doesNotExist();
        // the merchant-facing keystore still names its own key
        assertThatThrownBy(() -> ServerTls.load(dir.resolve("missing.p12"), PASSWORD))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("tls.keystore ");
    }

    private static X509Certificate certificate(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        for (String alias : java.util.Collections.list(ks.aliases())) {
            if (ks.isKeyEntry(alias)) {
                return (X509Certificate) ks.getCertificate(alias);
            }
        }
        throw new IllegalStateException("no key entry in " + keystore);
    }

}
