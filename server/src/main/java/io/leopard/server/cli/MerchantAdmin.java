package io.leopard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leopard.protocol.ParamRules;
import io.leopard.server.access.CidrRange;
import io.leopard.server.channel.ChannelAccounts;
import io.leopard.server.channel.InvalidCredentialsException;
import io.leopard.server.internal.InternalReplies;
import io.leopard.server.internal.MerchantChannelEndpoints;
import io.leopard.server.merchant.MerchantKeys;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.merchant.MerchantSummary;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

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

    /** Replay protection with {@code window}, or off ({@code null}). */
    void setReplay(String mid, Duration window);

    /** A new generated key; the old one stays valid for {@code grace}. */
    NewKey rotateKey(String mid, Duration grace);

    /** The merchant's own rate; {@code null}s: the configured default. */
    void setRate(String mid, Integer perSecond, Integer burst);

    /** An empty list: any address. */
    void allowIps(String mid, List<CidrRange> ranges);

    /** Every merchant, with the names of its channel accounts (never a key, never a credential). */
    List<Listed> list();

    /**
     * Sets (or replaces) the merchant's credentials at {@code channel}; the names of the fields stored.
     * A refusal names the field and repeats no value.
     */
    List<String> setChannel(String mid, String channel, Map<String, String> fields);

    /** Removes the merchant's credentials at {@code channel}. */
    void removeChannel(String mid, String channel);

    /**
     * Where the merchant's notifications go ({@code url} {@code null}: stopped), signed with
     * {@code signType} ({@code null}: MD5); the sign type as stored ({@code MD5} when the default).
     */
    String setNotify(String mid, String url, String signType);

    record NewKey(String key, Instant previousValidUntil) {
    }

    /** A merchant as listed: the summary and the channels it has credentials for. */
    record Listed(MerchantSummary merchant, List<String> channels) {
    }

    /** The sign type {@code text} names, or the message the internal API gives for one it does not know. */
    private static io.leopard.protocol.SignType signType(String text) {
        io.leopard.protocol.SignType type = io.leopard.protocol.SignType.fromWire(text);
        if (type == null) {
            throw new IllegalArgumentException("signType must be MD5, SHA1, SHA256 or HMAC-SHA256");
        }
        return type;
    }

    private static IllegalArgumentException noMerchant(String mid) {
        return new IllegalArgumentException("no merchant " + mid);
    }

    /** On the database, as the commands always did. */
    final class Local implements MerchantAdmin {
        private final MerchantStore store;
        private final Supplier<ChannelAccounts> accounts;

        /** @param accounts the channel accounts on the same database, built when first needed */
        Local(MerchantStore store, Supplier<ChannelAccounts> accounts) {
            this.store = store;
            this.accounts = accounts;
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
        public void setReplay(String mid, Duration window) {
            if (!store.setReplayWindow(mid, window)) {
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
        public List<Listed> list() {
            Map<String, List<String>> channels = accounts.get().namesByMerchant();
            return store.list().stream().map(m -> new Listed(m, channels.getOrDefault(m.mid(), List.of()))).toList();
        }

        @Override
        public String setNotify(String mid, String url, String signType) {
            io.leopard.protocol.SignType type = signType == null ? null : signType(signType);
            if (!store.setNotify(mid, url, type)) {
                throw noMerchant(ParamRules.printable(mid));
            }
            return url == null ? null : type == null ? "MD5" : type.wireName();
        }

        @Override
        public List<String> setChannel(String mid, String channel, Map<String, String> fields) {
            if (!store.exists(mid)) {
                throw noMerchant(ParamRules.printable(mid));
            }
            ChannelAccounts all = accounts.get();
            if (all.channels().find(channel).isEmpty()) {
                throw new IllegalArgumentException(MerchantChannelEndpoints.noChannel(channel, all.channels()));
            }
            try {
                return List.copyOf(all.set(mid, channel, fields));
            } catch (InvalidCredentialsException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }

        @Override
        public void removeChannel(String mid, String channel) {
            if (!store.exists(mid)) {
                throw noMerchant(ParamRules.printable(mid));
            }
            if (!MerchantChannelEndpoints.isChannelName(channel) || !accounts.get().remove(mid, channel)) {
                throw new IllegalArgumentException(MerchantChannelEndpoints.noAccount(mid, ParamRules.printable(channel)));
            }
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
        public void setReplay(String mid, Duration window) {
            if (window == null) {
                server.send("DELETE", path(mid, "/replay"), null);
            } else {
                server.send("PUT", path(mid, "/replay"), object().put("window", window.toSeconds() + "s"));
            }
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
        public List<Listed> list() {
            List<Listed> out = new ArrayList<>();
            for (JsonNode m : server.get("/merchants").path("merchants")) {
                List<String> channels = new ArrayList<>();
                m.path("channels").forEach(c -> channels.add(c.asText()));
                out.add(new Listed(new MerchantSummary(m.path("mid").asText(), m.path("name").asText(), m.path("enabled").asBoolean(),
                        Instant.parse(m.path("createdAt").asText()), m.path("notifyUrl").asText(null)), List.copyOf(channels)));
            }
            return out;
        }

        @Override
        public List<String> setChannel(String mid, String channel, Map<String, String> fields) {
            ObjectNode body = object();
            fields.forEach(body::put);
            JsonNode answer = server.send("PUT", channelPath(mid, channel, false), body);
            List<String> names = new ArrayList<>();
            answer.path("fields").forEach(f -> names.add(f.asText()));
            return List.copyOf(names);
        }

        @Override
        public void removeChannel(String mid, String channel) {
            server.send("DELETE", channelPath(mid, channel, true), null);
        }

        @Override
        public String setNotify(String mid, String url, String signType) {
            ObjectNode body = object();
            body.put("url", url);
            if (signType != null) {
                body.put("signType", signType);
            }
            return server.send("PUT", path(mid, "/notify"), body).path("signType").asText(null);
        }

        /** A channel name that cannot be one never reaches a URL either. */
        private static String channelPath(String mid, String channel, boolean removing) {
            String merchant = path(mid, "");
            if (!MerchantChannelEndpoints.isChannelName(channel)) {
                throw new IllegalArgumentException(removing
                        ? MerchantChannelEndpoints.noAccount(mid, ParamRules.printable(channel))
                        : "no channel " + ParamRules.printable(channel));
            }
            return merchant + "/channels/" + channel;
        }
    }
}
