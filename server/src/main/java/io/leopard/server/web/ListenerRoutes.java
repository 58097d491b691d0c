package io.leopard.server.web;

import io.helidon.webserver.http.HttpRouting;
import io.leopard.server.web.connection.ConnectionEvents;

/** The routing of one kind of listener; {@code connection} is told how each request moves, for that listener's guard. */
@FunctionalInterface
public interface ListenerRoutes {
    void routing(HttpRouting.Builder routing, ConnectionEvents connection);
}
