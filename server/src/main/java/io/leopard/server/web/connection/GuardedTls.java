package io.leopard.server.web.connection;

import io.helidon.common.tls.Tls;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The listener's TLS, with each connection admitted by the {@link ConnectionGuard} before its
 * handshake. Helidon 4.5.0 performs the handshake before any connection selector is asked, so a
 * client that opens a TLS connection and never sends its ClientHello (a half-open handshake) would
 * otherwise hold a thread and its buffers unseen and forever. Here the connection is counted
 * against the limits from the moment the server's TLS socket is created, and the guard closes it
 * when its handshake and first request take longer than the request timeout.
 *
 * <p>Helidon's socket path ({@code useNio(false)}) creates the server's TLS socket from the
 * context's socket factory and applies none of the {@link Tls}'s SSL parameters to it: the
 * protocols, the cipher suites and whether a client certificate is required are set here, on each
 * socket, from the wrapped {@code Tls}'s parameters.
 */
public final class GuardedTls {
    private GuardedTls() {
    }

    /** The same TLS identity, trust, client authentication and parameters as {@code tls}, guarded. */
    public static Tls wrap(Tls tls, ConnectionGuard guard) {
        SSLContext inner = tls.sslContext();
        return Tls.builder()
                .sslContext(new Context(inner, guard, serverParameters(tls.sslParameters())))
                .sslParameters(tls.sslParameters())
                .clientAuth(tls.prototype().clientAuth())
                .build();
    }

    /**
     * A copy of {@code params} for the server's side of a connection: without endpoint
     * identification, which on a server would check a client certificate's names against the
     * client's address.
     */
    private static SSLParameters serverParameters(SSLParameters params) {
        SSLParameters server = new SSLParameters(params.getCipherSuites(), params.getProtocols());
        if (params.getNeedClientAuth()) {
            server.setNeedClientAuth(true);
        } else if (params.getWantClientAuth()) {
            server.setWantClientAuth(true);
        }
        server.setUseCipherSuitesOrder(params.getUseCipherSuitesOrder());
        return server;
    }

    /** An SSLContext that is the inner one in every respect but its server sockets. */
    private static final class Context extends SSLContext {
        Context(SSLContext inner, ConnectionGuard guard, SSLParameters server) {
            super(new Spi(inner, guard, server), inner.getProvider(), inner.getProtocol());
        }
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext inner;
        private final SSLSocketFactory sockets;

        Spi(SSLContext inner, ConnectionGuard guard, SSLParameters server) {
            this.inner = inner;
            this.sockets = new GuardedSocketFactory(inner.getSocketFactory(), guard, server);
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            inner.init(km, tm, sr);
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return sockets;
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return inner.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return inner.createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return inner.createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return inner.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return inner.getClientSessionContext();
        }
    }

    /** Admits the accepted socket before layering the server's TLS over it. */
    private static final class GuardedSocketFactory extends SSLSocketFactory {
        private final SSLSocketFactory inner;
        private final ConnectionGuard guard;
        private final SSLParameters server;

        GuardedSocketFactory(SSLSocketFactory inner, ConnectionGuard guard, SSLParameters server) {
            this.inner = inner;
            this.guard = guard;
            this.server = server;
        }

        /** The server side: Helidon layers TLS over each accepted socket with this call. */
        @Override
        public Socket createSocket(Socket accepted, InputStream consumed, boolean autoClose) throws IOException {
            SocketAddress remote = accepted.getRemoteSocketAddress();
            InetSocketAddress peer = remote instanceof InetSocketAddress isa ? isa : new InetSocketAddress(0);
            if (guard.admit(peer, () -> closeQuietly(accepted), accepted::isClosed) == null) {
                closeQuietly(accepted);
                throw new IOException("connection limits reached");
            }
            try {
                Socket socket = inner.createSocket(accepted, consumed, autoClose);
                if (socket instanceof SSLSocket ssl) {
                    ssl.setSSLParameters(server);
                }
                return socket;
            } catch (IOException | RuntimeException e) {
                guard.forget(peer);
                throw e;
            }
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return inner.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return inner.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return inner.createSocket(s, host, port, autoClose);
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return inner.createSocket(host, port);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return inner.createSocket(host, port, localHost, localPort);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return inner.createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return inner.createSocket(address, port, localAddress, localPort);
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException e) {
                // closing is all that was wanted
            }
        }
    }
}
