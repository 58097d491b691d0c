package io.leopard.protocol;

/** The query endpoints and the event feed, with their paths below the deployment's base URL. */
public enum Endpoint {
    SINGLE("/query/single"),
    MULTI("/query/multi"),
    BRUSHCARD("/query/brushcard"),
    /** The merchant's event feed (PROTOCOL.md 10): no order number, a cursor and a page size instead. */
    EVENTS("/query/events");

    private final String path;

    Endpoint(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }

    /** The endpoint at {@code path} (already stripped of the deployment prefix), or {@code null}. */
    public static Endpoint fromPath(String path) {
        for (Endpoint e : values()) {
            if (e.path.equals(path)) {
                return e;
            }
        }
        return null;
    }
}
