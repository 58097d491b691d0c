package io.leopard.server.web;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
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
    private final Map<String, BooleanSupplier> shown = Collections.synchronizedMap(new LinkedHashMap<>());
    /** Listeners whose self-probes fail (see ListenerProbe): while any is, the node is not live. */
    private final Set<String> listenersDown = ConcurrentHashMap.newKeySet();

    /** Set once the node has started whole: until then {@code /readyz} says DOWN. */
    private volatile boolean started;

    /** A node that is started (the routing tests' and an embedded caller's view). */
    public Health(BooleanSupplier databaseReachable) {
        this(databaseReachable, true);
    }

    private Health(BooleanSupplier databaseReachable, boolean started) {
        this.databaseReachable = databaseReachable;
        this.started = started;
    }

    /**
     * A node still starting: {@code /readyz} says DOWN until {@link #started()}, so that nothing is
     * sent to it, and no supervisor takes it for ready, before its start has finished (and logged so).
     */
    public static Health starting(BooleanSupplier databaseReachable) {
        return new Health(databaseReachable, false);
    }

    /** The node's start has finished. */
    public void started() {
        started = true;
    }

    /**
     * Shows {@code name} in {@code /readyz}'s body as {@code UP} or {@code DOWN} without making
     * readiness depend on it: a node whose message broker is away still answers merchants, and
     * taking every node out of the load balancer when the broker restarts would stop the queries too.
     */
    public void show(String name, BooleanSupplier up) {
        shown.put(name, up);
    }

    /** The components shown in {@code /readyz}, each UP or DOWN, in the order they were added. */
    Map<String, Boolean> shownComponents() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        shown.forEach((name, up) -> out.put(name, up.getAsBoolean()));
        return out;
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

    /** Whether {@code /readyz} says UP: started, live, not draining, and the database answers. */
    boolean ready() {
        return started && live() && !draining && databaseReachable.getAsBoolean();
    }
}
