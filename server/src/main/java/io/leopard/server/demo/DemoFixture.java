package io.leopard.server.demo;

import java.util.List;

/**
 * The demo merchants of the core issue. Their orders are in {@code demo/demo-fixture.csv} on the
 * class path, in the import format. Merchant ...457 shares an order number with ...456 on purpose:
 * each must see only its own.
 */
public final class DemoFixture {

    /** A demo merchant with its published test key. */
    public record DemoMerchant(String mid, String name, String key, boolean enabled) {
        @Override
        public String toString() {
            return "DemoMerchant[mid=" + mid + ", enabled=" + enabled + "]";
        }
    }

    /** The demo merchant of every example (README, help texts), enabled. */
    public static final String MID = "100000510983456";
    /** Its published test key. */
    public static final String KEY = "kx5hd8wq3mzt7rvn2cpb";
    /** The second enabled demo merchant: it shares an order number with {@link #MID}. */
    public static final String OTHER_MID = "100000510983457";
    public static final String OTHER_KEY = "p4ne9gjv6ty2rq8sw3lc";
    /** The disabled demo merchant: its requests get MERCHANT_DISABLED. */
    public static final String DISABLED_MID = "100000510983458";
    public static final String DISABLED_KEY = "z7c2m9q4w8e3r6t1y5ub";

    public static final List<DemoMerchant> MERCHANTS = List.of(
            new DemoMerchant(MID, "Demo Shop 456", KEY, true),
            new DemoMerchant(OTHER_MID, "Demo Shop 457", OTHER_KEY, true),
            new DemoMerchant(DISABLED_MID, "Demo Shop 458 (disabled)", DISABLED_KEY, false));

    /**
     * The demo's live card-present order: pending when the demo starts, paid about
     * {@link #LIVE_SETTLES_AFTER_SECONDS} s later (the sandbox channel's {@code -paid12s} scenario).
     */
    public static final String LIVE_ORDER_NO = "LIVE-BRUSHCARD-paid12s";
    /**
     * The demo merchant whose orders sync with the sandbox channel: the second one, so that the
     * README's walk-through with the first (orders written by hand) is not changed by a sweeper.
     */
    public static final String LIVE_MID = OTHER_MID;
    public static final int LIVE_SETTLES_AFTER_SECONDS = 12;

    /** The class path resource holding the demo orders. */
    public static final String ORDERS_RESOURCE = "/demo/demo-fixture.csv";

    private DemoFixture() {
    }
}
