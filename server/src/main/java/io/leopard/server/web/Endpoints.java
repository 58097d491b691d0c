package io.leopard.server.web;

import io.helidon.webserver.http.HttpService;
import java.util.Map;

/**
 * A service that says which paths it serves with which methods, so that {@link Fallback} can
 * answer another method on one of them {@code METHOD_NOT_ALLOWED} with the right {@code Allow}
 * header (Helidon would say 404) while a path nobody serves stays {@code NOT_FOUND}.
 */
interface Endpoints extends HttpService {
    /** Each path it serves, relative to where it is registered, and the methods allowed there. */
    Map<String, Allowed> paths();
}
