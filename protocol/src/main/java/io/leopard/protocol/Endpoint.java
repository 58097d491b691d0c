package io.leopard.protocol;

/** The three query endpoints, with their paths below the deployment's base URL. */
public enum Endpoint {
    SINGLE("/query/single"),
    MULTI("/query/multi"),
    BRUSHCARD("/query/brushcard");

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
