package io.leopard.server.channel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The HTTP calls of channel adapters: one POST, its whole answer within the timeout (connect,
 * headers and body together), at most {@link #MAX_ANSWER_BYTES} of it. Every way it can go wrong is
 * a {@link ChannelException} of the matching kind; nothing else escapes.
 *
 * <p>Channels are trusted by the JDK's trust store plus, when configured ({@code channels.trust-ca}),
 * one PEM file of extra authorities (a platform's TLS-inspecting proxy; the tests' local fakes).
 */
public final class ChannelHttp {
    /** No channel answer to a query or cancel is near this size; a larger one is an attack or a bug. */
    public static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final HttpClient client;
    private final TrustManagerFactory trust;

    public ChannelHttp(ChannelSettings settings) {
        this.trust = trust(settings);
        this.client = build(null);
    }

    /** A client presenting the merchant's certificate (WeChat Pay's {@code secapi} calls). */
    public HttpClient clientWithCertificate(byte[] pkcs12, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(pkcs12), password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return build(context);
        } catch (IOException | GeneralSecurityException e) {
            throw new ChannelException(ChannelException.Failure.NOT_CONFIGURED,
                    "the merchant's API certificate cannot be used: " + e.getClass().getSimpleName());
        }
    }

    /** POSTs {@code body} and returns the answer's text (UTF-8). */
    public String post(URI uri, String contentType, String body, Duration timeout) {
        return post(client, uri, contentType, body, timeout);
    }

    /** As {@link #post(URI, String, String, Duration)} with {@code client} (from {@link #clientWithCertificate}). */
    public String post(HttpClient client, URI uri, String contentType, String body, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", contentType)
                .header("User-Agent", "Leopard")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        CompletableFuture<HttpResponse<byte[]>> call = client.sendAsync(request, info -> new Bounded());
        HttpResponse<byte[]> response;
        try {
            response = call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new ChannelException(ChannelException.Failure.TIMEOUT, "no whole answer from " + uri.getHost() + " within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new ChannelException(ChannelException.Failure.TIMEOUT, "interrupted while waiting for " + uri.getHost());
        } catch (ExecutionException e) {
            throw failure(uri, e.getCause());
        }
        if (response.statusCode() != 200) {
            throw new ChannelException(ChannelException.Failure.HTTP_STATUS, uri.getHost() + " answered HTTP " + response.statusCode());
        }
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static ChannelException failure(URI uri, Throwable cause) {
        if (cause instanceof TooLarge) {
            return new ChannelException(ChannelException.Failure.MALFORMED,
                    uri.getHost() + " answered more than " + MAX_ANSWER_BYTES + " bytes");
        }
        if (cause instanceof HttpTimeoutException) {
            return new ChannelException(ChannelException.Failure.TIMEOUT, "no answer from " + uri.getHost() + " in time");
        }
        if (cause instanceof ConnectException || cause instanceof SSLException || cause instanceof IOException) {
            return new ChannelException(ChannelException.Failure.UNREACHABLE,
                    uri.getHost() + " cannot be reached: " + cause.getClass().getSimpleName()
                            + (cause.getMessage() == null ? "" : " " + cause.getMessage()));
        }
        return new ChannelException(ChannelException.Failure.UNREACHABLE, uri.getHost() + " call failed: " + cause);
    }

    private HttpClient build(SSLContext context) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(2));
        if (context != null) {
            builder.sslContext(context);
        } else if (trust != null) {
            try {
                SSLContext plain = SSLContext.getInstance("TLS");
                plain.init(null, trust.getTrustManagers(), null);
                builder.sslContext(plain);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    /** The JDK's authorities plus those of {@code channels.trust-ca}. */
    private static TrustManagerFactory trust(ChannelSettings settings) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (settings.trustCa() == null) {
                factory.init((KeyStore) null);
                return factory;
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jdk.init((KeyStore) null);
            int n = 0;
            for (javax.net.ssl.TrustManager tm : jdk.getTrustManagers()) {
                if (tm instanceof javax.net.ssl.X509TrustManager x509) {
                    for (java.security.cert.X509Certificate c : x509.getAcceptedIssuers()) {
                        store.setCertificateEntry("jdk-" + n++, c);
                    }
                }
            }
            byte[] pem = java.nio.file.Files.readAllBytes(settings.trustCa());
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
                store.setCertificateEntry("extra-" + n++, c);
            }
            factory.init(store);
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("channels.trust-ca cannot be read: " + e.getMessage(), e);
        }
    }

    /** Collects an answer's bytes, failing as soon as there are more than {@link #MAX_ANSWER_BYTES}. */
    private static final class Bounded implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                if (bytes.size() + b.remaining() > MAX_ANSWER_BYTES) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge());
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }

    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;
        TooLarge() {
            super("answer too large");
        }
    }
}
