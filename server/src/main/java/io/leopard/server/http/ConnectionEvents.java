package io.leopard.server.http;

import java.net.InetSocketAddress;

/** What the request handler tells the connection guards of a connection, named by its peer address. */
interface ConnectionEvents {
    /** A request of the connection has reached its handler: it is being answered. */
    void processing(InetSocketAddress peer);

    /** A request of the connection carried a correct merchant signature. */
    void trusted(InetSocketAddress peer);
}
