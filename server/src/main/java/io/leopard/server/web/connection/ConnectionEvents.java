package io.leopard.server.web.connection;

import java.net.InetSocketAddress;

/** What the routing tells a listener's connection guard of a connection, named by its peer address. */
public interface ConnectionEvents {
    /** For routing without a guard (the in-memory routing tests). */
    ConnectionEvents NONE = new ConnectionEvents() {
        @Override
        public void readingBody(InetSocketAddress peer) {
        }

        @Override
        public void processing(InetSocketAddress peer) {
        }

        @Override
        public void trusted(InetSocketAddress peer) {
        }
    };

    /** The handler of the connection's request has started to read its body. */
    void readingBody(InetSocketAddress peer);

    /** The connection's request is in, and its handler runs: it is being answered. */
    void processing(InetSocketAddress peer);

    /** A request of the connection carried a correct merchant signature. */
    void trusted(InetSocketAddress peer);
}
