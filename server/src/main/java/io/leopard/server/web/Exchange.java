package io.leopard.server.web;

import io.helidon.webserver.http.ServerRequest;
import io.leopard.server.query.QueryOutcome;
import io.leopard.server.web.connection.ConnectionEvents;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One request as the access log, the metrics and the connection guard see it: started by
 * {@link ExchangeFilter} before routing, filled in by whichever service or error answer handles
 * it, and recorded once when the filter regains control.
 */
public final class Exchange {
    private final long startNanos;
    private final String requestId;
    private final String method;
    private final String path;
    private final InetAddress client;
    private final InetSocketAddress peer;
    private final ConnectionEvents connection;
    private String mid;
    private String outcome;
    private int status;
    private String metricName = "other";
    private boolean unrecorded;

    Exchange(long startNanos, String requestId, String method, String path, InetAddress client,
             InetSocketAddress peer, ConnectionEvents connection) {
        this.startNanos = startNanos;
        this.requestId = requestId;
        this.method = method;
        this.path = path;
        this.client = client;
        this.peer = peer;
        this.connection = connection;
    }

    /** The exchange {@link ExchangeFilter} started for {@code req}. */
    public static Exchange of(ServerRequest req) {
        return req.context().get(Exchange.class)
                .orElseThrow(() -> new IllegalStateException("no Exchange: the routing lacks its ExchangeFilter"));
    }

    /** Who is asking: the direct peer, or the client a trusted proxy forwarded for. */
    public InetAddress client() {
        return client;
    }

    public String requestId() {
        return requestId;
    }

    /** Its handler started to read the body, which may still be arriving. */
    public void readingBody() {
        if (peer != null) {
            connection.readingBody(peer);
        }
    }

    /** The request is in and its handler runs. */
    public void processing() {
        if (peer != null) {
            connection.processing(peer);
        }
    }

    /** The request carried a correct merchant signature: its connection is a merchant's. */
    void trusted() {
        if (peer != null) {
            connection.trusted(peer);
        }
    }

    /** The mid the request named, once it is known to be well-formed (for the log only). */
    public void mid(String mid) {
        this.mid = mid;
    }

    /** The bounded name under which the metrics count it: a known path; {@code other} by default. */
    public void metricName(String name) {
        this.metricName = name;
    }

    /** How it ended, for the log and the metrics: an errCode, a resultCode or a word such as {@code OK}. */
    public void outcome(String outcome, int status) {
        this.outcome = outcome;
        this.status = status;
    }

    void refused(QueryOutcome.Refused refused) {
        outcome(refused.code().name(), refused.httpStatus());
    }

    /** Neither logged nor counted: the node asking itself every few seconds. */
    public void unrecorded() {
        this.unrecorded = true;
    }

    boolean isUnrecorded() {
        return unrecorded;
    }

    long startNanos() {
        return startNanos;
    }

    String method() {
        return method;
    }

    String path() {
        return path;
    }

    String mid() {
        return mid;
    }

    /** Whether a service or an error answer said how the request ended. */
    boolean hasOutcome() {
        return outcome != null;
    }

    String outcome() {
        return outcome;
    }

    int status() {
        return status;
    }

    String metricName() {
        return metricName;
    }
}
