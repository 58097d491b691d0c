package io.leopard.server.web;

import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.MID;
import static io.leopard.server.web.QueryEndpointsRoutingTest.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.server.LeopardServer;
import io.leopard.server.config.LeopardConfig;
import io.leopard.server.problem.ConfigException;
import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
import io.leopard.server.testing.TestKeystores;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTPS from a PKCS#12 keystore: TLS 1.2+ only, beside plain HTTP or alone. */
class TlsE2ETest {
    private static final String PASSWORD = "s3cret-store-pw";
    private static Path keystore;
    private static SSLContext trusting;
    private static LiveLeopard both;

    @BeforeAll
    static void start() throws Exception {
        keystore = TestKeystores.selfSigned(Files.createTempDirectory("leopard-tls-"), PASSWORD);
        trusting = TestKeystores.trusting(keystore, PASSWORD);
        both = LiveLeopard.start(Map.of("tls.keystore", keystore.toString(), "tls.keystore-password", PASSWORD,
                "tls.port", "0"));
    }

    @AfterAll
    static void stop() {
        both.close();
    }

    @Test
    void signedQueryOverHttpsBesidePlainHttp() throws Exception {
        LeopardServer server = both.server;
        assertThat(server.baseUrl()).startsWith("http://127.0.0.1:" + server.port());
        assertThat(server.httpsBaseUrl()).isEqualTo("https://127.0.0.1:" + server.tlsPort());
        assertThat(server.tlsPort()).isNotEqualTo(server.port());
        LiveLeopard https = LiveLeopard.overHttps(server, trusting);
        HttpResponse<String> res = https.postSigned("/query/single", params(MID, "M201611101010100002"), KEY);
        assertThat(res.statusCode()).isEqualTo(200);
        Map<String, String> f = IndependentVerifier.fields(res.body());
        assertThat(f).containsEntry("code", "SUCCESS").containsEntry("resultCode", "SUCCESS");
        assertThat(IndependentVerifier.verify(f, KEY, "MD5")).isTrue();
        // the same routes, health included, on both sockets
        assertThat(https.send("GET", "https://127.0.0.1:" + server.tlsPort() + "/readyz").statusCode()).isEqualTo(200);
        assertThat(both.postSigned("/query/single", params(MID, "M201611101010100002"), KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void tls12ClientIsServed() throws Exception {
        SSLParameters only12 = new SSLParameters();
        only12.setProtocols(new String[] {"TLSv1.2"});
        HttpClient client = HttpClient.newBuilder().sslContext(trusting).sslParameters(only12)
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> res = client.send(HttpRequest.newBuilder(URI.create(both.server.httpsBaseUrl() + "/healthz"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(200);
    }

    /**
     * A hand-made ClientHello, so the JDK of the test client (which refuses TLS 1.1 by itself) is not
     * what is being tested: TLS 1.1 gets an alert, the same hello as TLS 1.2 gets a ServerHello.
     */
    @Test
    void tls11ClientIsRefusedByTheServer() throws Exception {
        int port = both.server.tlsPort();
        assertThat(firstRecord(port, 0x0303)[0]).as("TLS 1.2 control: ServerHello").isEqualTo((byte) 0x16);
        byte[] answer = firstRecord(port, 0x0302);
        if (answer.length > 0) {
            assertThat(answer[0]).as("TLS 1.1: an alert record, not a ServerHello").isEqualTo((byte) 0x15);
            assertThat(answer[answer.length - 1]).as("alert protocol_version or handshake_failure")
                    .isIn((byte) 70, (byte) 40);
        }
        // an empty answer is the connection closed without a ServerHello: refused too
    }

    @Test
    void httpsAloneWhenHttpIsDisabled() throws Exception {
        int plainPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            plainPort = s.getLocalPort();
        }
        LeopardConfig config = LiveLeopard.seeded(Map.of("http.enabled", "false", "port", Integer.toString(plainPort),
                "tls.port", "0", "tls.keystore", keystore.toString(), "tls.keystore-password", PASSWORD));
        try (LeopardServer server = LeopardServer.start(config.settings())) {
            assertThat(server.port()).isEqualTo(-1);
            assertThat(server.baseUrl()).isEqualTo(server.httpsBaseUrl()).startsWith("https://");
            LiveLeopard https = LiveLeopard.overHttps(server, trusting);
            HttpResponse<String> res = https.postSigned("/query/single", params(MID, "M201611101010100002"), KEY);
            assertThat(IndependentVerifier.fields(res.body())).containsEntry("code", "SUCCESS");
            // nothing listens on the plain port
            assertThatThrownBy(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", plainPort), 2000);
                }
            }).isInstanceOf(ConnectException.class);
            // and the TLS port does not speak plain HTTP
            HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.tlsPort() + "/healthz"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void badKeystoresStopTheStartWithoutShowingThePassword() throws Exception {
        LeopardConfig base = LeopardConfig.of(Map.of("tls.keystore", keystore.toString(), "tls.keystore-password", "wrong-pw-1234"));
        assertThatThrownBy(() -> LeopardServer.start(base.settings()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("wrong tls.keystore-password")
                .hasMessageContaining(keystore.toString()).message().doesNotContain("wrong-pw-1234");
        assertThatThrownBy(() -> LeopardServer.start(base.with("tls.keystore", keystore + ".missing").settings()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
        Path garbage = Files.writeString(keystore.resolveSibling("garbage.p12"), "not a keystore");
        assertThatThrownBy(() -> ServerTls.load(garbage, PASSWORD))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot be read as a PKCS#12 keystore")
                .message().doesNotContain(PASSWORD);
        assertThat(ServerTls.sslParameters().getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThatThrownBy(() -> LeopardConfig.of(Map.of("http.enabled", "false")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tls.keystore");
    }

    /** Sends a ClientHello offering only {@code version} and returns the first record answered (up to 7 bytes). */
    private static byte[] firstRecord(int port, int version) throws IOException {
        byte[] hello = clientHello(version);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(hello);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try {
                int b;
                while (got.size() < 7 && (b = in.read()) >= 0) {
                    got.write(b);
                }
            } catch (IOException e) {
                // reset by the server: no ServerHello
            }
            return got.toByteArray();
        }
    }

    /** ECDHE-ECDSA suites, P-256, ecdsa_secp256r1_sha256: enough for the test's EC certificate. */
    private static byte[] clientHello(int version) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(version >> 8);
        body.write(version & 0xff);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        body.writeBytes(random);
        body.write(0); // no session id
        body.writeBytes(new byte[] {0x00, 0x06, (byte) 0xc0, 0x2b, (byte) 0xc0, 0x09, (byte) 0xc0, 0x0a});
        body.writeBytes(new byte[] {0x01, 0x00}); // null compression
        byte[] extensions = {
            0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17, // supported_groups: secp256r1
            0x00, 0x0b, 0x00, 0x02, 0x01, 0x00, // ec_point_formats: uncompressed
            0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03, // signature_algorithms: ecdsa_secp256r1_sha256
        };
        body.write(extensions.length >> 8);
        body.write(extensions.length & 0xff);
        body.writeBytes(extensions);
        byte[] b = body.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        int handshakeLength = b.length + 4;
        record.writeBytes(new byte[] {0x16, 0x03, 0x01, (byte) (handshakeLength >> 8), (byte) handshakeLength});
        record.writeBytes(new byte[] {0x01, 0x00, (byte) (b.length >> 8), (byte) b.length});
        record.writeBytes(b);
        return record.toByteArray();
    }
}
