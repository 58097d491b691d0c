package io.leopard.server.internal;

import io.leopard.server.web.ServerTls;
import java.nio.file.Path;
import java.util.List;

/**
 * The internal listener: order writes and merchant administration for the platform's own systems,
 * never for merchants. It is on only when at least one bearer token is configured.
 *
 * @param tokens       the bearer tokens it accepts (never shown by {@link #toString()})
 * @param tls          mutual TLS, or {@code null} for plain HTTP
 * @param maxBodyBytes the largest order-write or administration body
 */
public record InternalSettings(String host, int port, List<String> tokens, InternalTls tls, int maxBodyBytes) {
    public InternalSettings {
        tokens = List.copyOf(tokens);
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("an internal listener needs at least one token");
        }
    }

    /**
     * HTTPS where the client must present a certificate that {@code truststore} vouches for.
     */
    public record InternalTls(Path keystore, String keystorePassword, Path truststore, String truststorePassword) {
        /**
         * Reads the keystore and the truststore (at start-up, before the database is opened, so that
         * a bad one fails fast): every failure is one {@code ConfigException} naming
         * {@code internal.tls.keystore} or {@code internal.tls.truststore}, never a password.
         */
        public ServerTls load() {
            return ServerTls.mutual("internal.tls.keystore", keystore, keystorePassword,
                    "internal.tls.truststore", truststore, truststorePassword);
        }

        @Override
        public String toString() {
            return "InternalTls[keystore=" + keystore + ", truststore=" + truststore + "]";
        }
    }

    @Override
    public String toString() {
        return "InternalSettings[host=" + host + ", port=" + port + ", tokens=" + tokens.size() + " configured, tls=" + tls
                + ", maxBodyBytes=" + maxBodyBytes + "]";
    }
}
