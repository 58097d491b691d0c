package io.leopard.server.web;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Whether the node is live (every listener answers its self-probe) and ready (that, the database
 * answers and the node is not draining): what {@link HealthEndpoints} tells load balancers.
 */
public final class Health {
    static final String LIVE = "/healthz";
    static final String READY = "/readyz";

    private final BooleanSupplier databaseReachable;
    private volatile boolean draining;
    /** Listeners whose self-probes fail (see ListenerProbe): while any is, the node is not live. */
    private final Set<String> listenersDown = ConcurrentHashMap.newKeySet();

    public Health(BooleanSupplier databaseReachable) {
        this.databaseReachable = databaseReachable;
    }

    /** From now on {@code /readyz} fails, so a load balancer stops sending new requests. */
    public void startDraining() {
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

    /** Whether {@code /readyz} says UP: live, not draining, and the database answers. */
    boolean ready() {
        return live() && !draining && databaseReachable.getAsBoolean();
    }
}
