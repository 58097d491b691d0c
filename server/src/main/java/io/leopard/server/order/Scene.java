package io.leopard.server.order;

import java.util.Locale;

/**
 * How an order was taken. Only {@link #BRUSHCARD} (card-present: the cashier scans the
 * customer's code) changes behaviour: it is the one scene {@code /query/brushcard} answers for,
 * and the one whose paid orders may be revoked.
 */
public enum Scene {
    QRCODE("qrcode"),
    JSPAY("jspay"),
    BRUSHCARD("brushcard"),
    APP("app"),
    H5("h5"),
    MINIPROGRAM("miniprogram");

    private final String wireName;

    Scene(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The scene named {@code name} (any case), or {@code null}. */
    public static Scene fromName(String name) {
        if (name == null) {
            return null;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (Scene s : values()) {
            if (s.wireName.equals(lower)) {
                return s;
            }
        }
        return null;
    }
}
