package io.leopard.server.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.ServerResponse;
import io.leopard.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /healthz} (the process answers) and {@code GET /readyz} (the database answers and the
 * node is not draining). Both sit at the root, outside the path prefix, where load balancers look.
 */
final class Health {
    static final String LIVE = "/healthz";
    static final String READY = "/readyz";
    private static final byte[] UP = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DOWN = "{\"status\":\"DOWN\"}".getBytes(StandardCharsets.UTF_8);

    private final BooleanSupplier databaseReachable;
    private volatile boolean draining;

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

    int answer(String path, Method method, ServerResponse res) {
        if (method != Method.GET && method != Method.HEAD) {
            res.header(Replies.ALLOW_GET);
            Replies.failure(res, ErrorCode.METHOD_NOT_ALLOWED, "仅支持GET请求");
            return 405;
        }
        boolean up = LIVE.equals(path) || (!draining && databaseReachable.getAsBoolean());
        int status = up ? 200 : 503;
        Replies.send(res, status, up ? UP : DOWN);
        return status;
    }
}
