package io.leopard.server.channel.wechat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.leopard.server.channel.ChannelHttp;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The mutual-TLS clients of merchants' API certificates, kept for reuse: building one parses the
 * PKCS#12 file and sets up TLS, and each holds its own connections. A client is cached under the
 * merchant and a digest of its certificate and password, so a certificate replaced in the
 * credentials gets a new client at once and the old one ages out.
 */
final class WechatCertClients {
    /** Card-present reversals are rare: an hour unused, and the client and its connections go. */
    private static final Duration IDLE = Duration.ofHours(1);
    private static final int MAX_CLIENTS = 10_000;

    private final ChannelHttp http;
    private final Cache<String, HttpClient> clients;

    WechatCertClients(ChannelHttp http) {
        this.http = http;
        this.clients = Caffeine.newBuilder()
                .expireAfterAccess(IDLE)
                .maximumSize(MAX_CLIENTS)
                // shutdown, not close: a call still running on an evicted client may finish
                .<String, HttpClient>removalListener((key, client, cause) -> {
                    if (client != null) {
                        client.shutdown();
                    }
                })
                .build();
    }

    /** The client presenting {@code account}'s certificate (which it has). */
    HttpClient of(String mid, WechatAccount account) {
        return clients.get(mid + "/" + digest(account), k -> http.clientWithCertificate(account.certP12(), account.certPassword().toCharArray()));
    }

    /** Not the certificate's text in the key, though it holds no secret but the password, which it covers. */
    private static String digest(WechatAccount account) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(account.certP12());
            sha.update((byte) 0);
            sha.update(account.certPassword().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** How many clients are kept (for tests). */
    long size() {
        clients.cleanUp();
        return clients.estimatedSize();
    }
}
