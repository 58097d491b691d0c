package io.leopard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leopard.server.access.CidrRange;
import io.leopard.server.internal.InternalReplies;
import io.leopard.server.merchant.MerchantKeys;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.merchant.MerchantSummary;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code leopard merchant …} does, on the database ({@link Local}) or through a running
 * server's internal listener ({@link Remote}); the command prints the same either way. A failure
 * is an exception with the message the command prints ({@code no merchant 1000…}).
 */
interface MerchantAdmin {
    /** Adds an enabled merchant; the key generated when {@code key} is {@code null}, else {@code null}. */
    String add(String mid, String name, String key);

    void setEnabled(String mid, boolean enabled);

    /** Signature diagnosis on or off for the merchant (sandbox and demo merchants only). */
    void setDebug(String mid, boolean on);

    /** A new generated key; the old one stays valid for {@code grace}. */
    NewKey rotateKey(String mid, Duration grace);

    /** The merchant's own rate; {@code null}s: the configured default. */
    void setRate(String mid, Integer perSecond, Integer burst);

    /** An empty list: any address. */
    void allowIps(String mid, List<CidrRange> ranges);

    List<MerchantSummary> list();

    record NewKey(String key, Instant previousValidUntil) {
    }

    private static IllegalArgumentException noMerchant(String mid) {
        return new IllegalArgumentException("no merchant " + mid);
    }

    /** On the database, as the commands always did. */
    final class Local implements MerchantAdmin {
        private final MerchantStore store;

        Local(MerchantStore store) {
            this.store = store;
        }

        @Override
        public String add(String mid, String name, String key) {
            String actual = key == null ? MerchantKeys.generate() : key;
            store.add(mid, name, actual);
            return key == null ? actual : null;
        }

        @Override
        public void setEnabled(String mid, boolean enabled) {
            if (!store.setEnabled(mid, enabled)) {
                throw noMerchant(mid);
            }
        }

        @Override
        public void setDebug(String mid, boolean on) {
            if (!store.setDebug(mid, on)) {
                throw noMerchant(mid);
            }
        }

        @Override
        public NewKey rotateKey(String mid, Duration grace) {
            String key = MerchantKeys.generate();
            if (!store.rotateKey(mid, key, grace)) {
                throw noMerchant(mid);
            }
            return new NewKey(key, Instant.now().plus(grace).truncatedTo(ChronoUnit.SECONDS));
        }

        @Override
        public void setRate(String mid, Integer perSecond, Integer burst) {
            if (!store.setRateLimit(mid, perSecond, burst)) {
                throw noMerchant(mid);
            }
        }

        @Override
        public void allowIps(String mid, List<CidrRange> ranges) {
            if (!store.setAllowList(mid, ranges)) {
                throw noMerchant(mid);
            }
        }

        @Override
        public List<MerchantSummary> list() {
            return store.list();
        }
    }

    /** Through {@code /internal/v1/merchants…} of a running server, which applies each change at once. */
    final class Remote implements MerchantAdmin {
        private final InternalClient server;

        Remote(InternalClient server) {
            this.server = server;
        }

        /** A mid that is not 15 digits names no merchant, as on the database; and it never reaches a URL. */
        private static String path(String mid, String rest) {
            if (!io.leopard.protocol.ParamRules.isMid(mid)) {
                throw noMerchant(io.leopard.protocol.ParamRules.printable(mid));
            }
            return "/merchants/" + mid + rest;
        }

        private static ObjectNode object() {
            return InternalReplies.JSON.createObjectNode();
        }

        @Override
        public String add(String mid, String name, String key) {
            ObjectNode body = object().put("mid", mid).put("name", name);
            if (key != null) {
                body.put("key", key);
            }
            JsonNode answer = server.send("POST", "/merchants", body);
            return key == null ? answer.path("key").asText() : null;
        }

        @Override
        public void setEnabled(String mid, boolean enabled) {
            server.send("POST", path(mid, enabled ? "/enable" : "/disable"), null);
        }

        @Override
        public void setDebug(String mid, boolean on) {
            server.send("PUT", path(mid, "/debug"), object().put("on", on));
        }

        @Override
        public NewKey rotateKey(String mid, Duration grace) {
            JsonNode answer = server.send("POST", path(mid, "/rotate-key"),
                    object().put("grace", grace.toSeconds() + "s"));
            return new NewKey(answer.path("key").asText(), Instant.parse(answer.path("previousKeyValidUntil").asText()));
        }

        @Override
        public void setRate(String mid, Integer perSecond, Integer burst) {
            // the store's own check, so that the message is the local command's
            if ((perSecond == null) != (burst == null) || perSecond != null && (perSecond < 1 || burst < 1)) {
                throw new IllegalArgumentException("give both --per-second and --burst (each at least 1), or --default");
            }
            if (perSecond == null) {
                server.send("DELETE", path(mid, "/rate"), null);
            } else {
                server.send("PUT", path(mid, "/rate"), object().put("perSecond", perSecond).put("burst", burst));
            }
        }

        @Override
        public void allowIps(String mid, List<CidrRange> ranges) {
            ObjectNode body = object();
            if (ranges.isEmpty()) {
                body.put("any", true);
            } else {
                ArrayNode cidrs = body.putArray("cidrs");
                ranges.forEach(r -> cidrs.add(r.toString()));
            }
            server.send("PUT", path(mid, "/allow-ips"), body);
        }

        @Override
        public List<MerchantSummary> list() {
            List<MerchantSummary> out = new ArrayList<>();
            for (JsonNode m : server.get("/merchants").path("merchants")) {
                out.add(new MerchantSummary(m.path("mid").asText(), m.path("name").asText(), m.path("enabled").asBoolean(),
                        Instant.parse(m.path("createdAt").asText())));
            }
            return out;
        }
    }
}
