package io.leopard.server.web;

import io.helidon.http.Method;
import io.helidon.webserver.http.ServerResponse;
import io.leopard.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /healthz} (the process answers, and every listener answers its self-probe) and
 * {@code GET /readyz} (that, the database answers and the node is not draining). Both sit at the root, outside the path prefix, where load balancers look.
 */
public final class Health {
    static final String LIVE = "/healthz";
    static final String READY = "/readyz";
    private static final byte[] UP = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DOWN = "{\"status\":\"DOWN\"}".getBytes(StandardCharsets.UTF_8);

    private final BooleanSupplier databaseReachable;
    private volatile boolean draining;
    /** Listeners whose self-probes fail (see ListenerProbe): while any is, the node is not live. */
    private final Set<String> listenersDown = ConcurrentHashMap.newKeySet();

    Health(BooleanSupplier databaseReachable) {
        this.databaseReachable = databaseReachable;
    }

    boolean handles(String path) {
        return LIVE.equals(path) || READY.equals(path);
    }

    /** From now on {@code /readyz} fails, so a load balancer stops sending new requests. */
    void startDraining() {
        draining = true;
    }

    void listenerDown(String listener) {
        listenersDown.add(listener);
    }

    void listenerUp(String listener) {
        listenersDown.remove(listener);
    }

    /** Whether every listener answers its self-probe. */
    boolean live() {
        return listenersDown.isEmpty();
    }

    int answer(String path, Method method, ServerResponse res) {
        if (method != Method.GET && method != Method.HEAD) {
            res.header(Replies.ALLOW_GET);
            Replies.failure(res, ErrorCode.METHOD_NOT_ALLOWED, "仅支持GET请求");
            return 405;
        }
        boolean live = live();
        boolean up = live && (LIVE.equals(path) || (!draining && databaseReachable.getAsBoolean()));
        int status = up ? 200 : 503;
        Replies.send(res, status, up ? UP : DOWN);
        return status;
    }
}
