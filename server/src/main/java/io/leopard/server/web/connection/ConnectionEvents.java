package io.leopard.server.web.connection;

import java.net.InetSocketAddress;

/** What the request handler tells the connection guards of a connection, named by its peer address. */
public interface ConnectionEvents {
    /** The handler of the connection's request has started to read its body. */
    void readingBody(InetSocketAddress peer);

    /** The connection's request is in, and its handler runs: it is being answered. */
    void processing(InetSocketAddress peer);

    /** A request of the connection carried a correct merchant signature. */
    void trusted(InetSocketAddress peer);
}
