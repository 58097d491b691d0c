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

    public static final List<DemoMerchant> MERCHANTS = List.of(
            new DemoMerchant("100000510983456", "Demo Shop 456", "kx5hd8wq3mzt7rvn2cpb", true),
            new DemoMerchant("100000510983457", "Demo Shop 457", "p4ne9gjv6ty2rq8sw3lc", true),
            new DemoMerchant("100000510983458", "Demo Shop 458 (disabled)", "z7c2m9q4w8e3r6t1y5ub", false));

    /** The class path resource holding the demo orders. */
    public static final String ORDERS_RESOURCE = "/demo/demo-fixture.csv";

    private DemoFixture() {
    }
}
