package io.leopard.server.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.leopard.protocol.ParamRules;
import io.leopard.server.access.CidrRange;
import io.leopard.server.channel.ChannelAccounts;
import io.leopard.server.merchant.MerchantDirectory;
import io.leopard.server.merchant.MerchantKeys;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.merchant.MerchantSummary;
import io.leopard.server.web.Exchange;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The merchant operations of {@code leopard merchant …} under {@link InternalRoutes#BASE}, so that
 * merchants are administered while the server runs (on the embedded database too):
 * <pre>
 * GET    /merchants                      list (never keys; the names of their channel accounts, the notify URL)
 * POST   /merchants                      add {"mid","name"[,"key"]}: 201, a generated key in the answer, once
 * POST   /merchants/{mid}/enable         enable
 * POST   /merchants/{mid}/disable        disable
 * POST   /merchants/{mid}/rotate-key     new generated key [{"grace":"24h"}]; the old one stays valid for the grace
 * PUT    /merchants/{mid}/rate           {"perSecond","burst"}
 * DELETE /merchants/{mid}/rate           back to the configured default
 * PUT    /merchants/{mid}/allow-ips      {"cidrs":[...]} or {"any":true}
 * PUT    /merchants/{mid}/replay         {"window":"5m"}: replay protection on (1m to 1h)
 * DELETE /merchants/{mid}/replay         replay protection off
 * </pre>
 * (The channel accounts, {@code /merchants/{mid}/channels/{name}}, are {@link MerchantChannelEndpoints}.)
 * Every change is applied to the running {@link MerchantDirectory} before the answer goes out.
 * A key given by the caller is never echoed, a generated one only in its one answer; neither is
 * logged. The checks and their messages are the store's and the CLI's, so that a remote command
 * prints what a local one would.
 */
public final class MerchantAdminEndpoints implements HttpService {
    private static final Logger LOG = LoggerFactory.getLogger(MerchantAdminEndpoints.class);
    static final Duration DEFAULT_GRACE = Duration.ofHours(24);
    private static final int MAX_NAME = 128;
    private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile("(\\d{1,12})(ms|s|m|h)");

    private final MerchantStore store;
    private final MerchantDirectory directory;
    private final ChannelAccounts accounts;
    private final int maxBodyBytes;

    /** @param accounts the merchants' channel accounts, of which the list shows the names */
    public MerchantAdminEndpoints(MerchantStore store, MerchantDirectory directory, ChannelAccounts accounts, int maxBodyBytes) {
        this.store = store;
        this.directory = directory;
        this.accounts = accounts;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/merchants", guarded(this::list))
                .post("/merchants", guarded(this::add))
                .post("/merchants/{mid}/enable", guarded((req, res) -> setEnabled(req, res, true)))
                .post("/merchants/{mid}/disable", guarded((req, res) -> setEnabled(req, res, false)))
                .put("/merchants/{mid}/debug", guarded(this::setDebug))
                .post("/merchants/{mid}/rotate-key", guarded(this::rotateKey))
                .put("/merchants/{mid}/rate", guarded(this::setRate))
                .delete("/merchants/{mid}/rate", guarded(this::defaultRate))
                .put("/merchants/{mid}/allow-ips", guarded(this::allowIps))
                .put("/merchants/{mid}/replay", guarded(this::setReplay))
                .delete("/merchants/{mid}/replay", guarded(this::replayOff));
    }

    /** Counts the request as an administration call and answers its {@link JsonBody.Failure}s. */
    static Handler guarded(Handler handler) {
        return (req, res) -> {
            Exchange exchange = Exchange.of(req);
            exchange.metricName("internal.merchants");
            exchange.processing();
            try {
                handler.handle(req, res);
            } catch (JsonBody.Failure f) {
                InternalReplies.error(req, res, f.status, f.error, f.getMessage(), f.field);
            }
        };
    }

    private void list(ServerRequest req, ServerResponse res) {
        ObjectNode body = InternalReplies.JSON.createObjectNode();
        ArrayNode all = body.putArray("merchants");
        Map<String, List<String>> channels = accounts.namesByMerchant();
        for (MerchantSummary m : store.list()) {
            ArrayNode names = all.addObject().put("mid", m.mid()).put("name", m.name()).put("enabled", m.enabled())
                    .put("createdAt", m.createdAt().toString()).put("notifyUrl", m.notifyUrl()).putArray("channels");
            channels.getOrDefault(m.mid(), List.of()).forEach(names::add);
        }
        InternalReplies.send(req, res, 200, body);
    }

    private void add(ServerRequest req, ServerResponse res) throws Exception {
        JsonBody json = JsonBody.read(req, maxBodyBytes, Set.of("mid", "name", "key"), false);
        String mid = json.text("mid");
        if (!ParamRules.isMid(mid)) {
            throw JsonBody.invalid("mid", "mid must be exactly 15 digits");
        }
        String name = json.text("name");
        if (name.isBlank() || name.length() > MAX_NAME) {
            throw JsonBody.invalid("name", "name must be 1 to " + MAX_NAME + " characters and not blank");
        }
        String given = json.optionalText("key");
        if (given != null && !MerchantKeys.isValid(given)) {
            throw JsonBody.invalid("key", "key must be 8 to 64 printable ASCII characters without spaces");
        }
        String key = given != null ? given : MerchantKeys.generate();
        try {
            store.add(mid, name, key);
        } catch (IllegalArgumentException e) {
            // every shape was checked above: what the store still refuses is a mid that is taken
            throw new JsonBody.Failure(409, "merchant_exists", e.getMessage(), "mid");
        }
        applied("merchant {} added", mid);
        ObjectNode body = InternalReplies.JSON.createObjectNode().put("mid", mid).put("name", name).put("enabled", true)
                .put("keyGenerated", given == null);
        if (given == null) {
            body.put("key", key);
        }
        InternalReplies.send(req, res, 201, body);
    }

    private void setEnabled(ServerRequest req, ServerResponse res, boolean enabled) throws Exception {
        String mid = mid(req);
        JsonBody.read(req, maxBodyBytes, Set.of(), true);
        found(mid, store.setEnabled(mid, enabled));
        applied(enabled ? "merchant {} enabled" : "merchant {} disabled", mid);
        InternalReplies.send(req, res, 200, InternalReplies.JSON.createObjectNode().put("mid", mid).put("enabled", enabled));
    }

    /** Signature diagnosis on or off: {@code {"on": true}}. */
    private void setDebug(ServerRequest req, ServerResponse res) throws Exception {
        String mid = mid(req);
        JsonBody json = JsonBody.read(req, maxBodyBytes, Set.of("on"), false);
        boolean on = json.bool("on");
        found(mid, store.setDebug(mid, on));
        applied(on ? "merchant {}: signature diagnosis on" : "merchant {}: signature diagnosis off", mid);
        InternalReplies.send(req, res, 200, InternalReplies.JSON.createObjectNode().put("mid", mid).put("debug", on));
    }

    private void rotateKey(ServerRequest req, ServerResponse res) throws Exception {
        String mid = mid(req);
        JsonBody json = JsonBody.read(req, maxBodyBytes, Set.of("grace"), true);
        Duration grace = DEFAULT_GRACE;
        if (json.has("grace")) {
            grace = duration(json.text("grace"));
            if (grace == null) {
                throw JsonBody.invalid("grace", "grace must be a duration such as 0s, 30m or 24h");
            }
        }
        Instant validUntil;
        try {
            validUntil = Instant.now().plus(grace).truncatedTo(ChronoUnit.SECONDS);
        } catch (DateTimeException | ArithmeticException e) {
            throw JsonBody.invalid("grace", "grace is too long");
        }
        String key = MerchantKeys.generate();
        found(mid, store.rotateKey(mid, key, grace));
        applied("merchant {} has a new key; the old one stays valid for " + grace.toSeconds() + " s", mid);
        InternalReplies.send(req, res, 200, InternalReplies.JSON.createObjectNode().put("mid", mid).put("key", key)
                .put("previousKeyValidUntil", validUntil.toString()));
    }

    private void setRate(ServerRequest req, ServerResponse res) throws Exception {
        String mid = mid(req);
        JsonBody json = JsonBody.read(req, maxBodyBytes, Set.of("perSecond", "burst"), false);
        int perSecond = json.integer("perSecond");
        int burst = json.integer("burst");
        if (perSecond < 1) {
            throw JsonBody.invalid("perSecond", "perSecond must be at least 1");
        }
        if (burst < 1) {
            throw JsonBody.invalid("burst", "burst must be at least 1");
        }
        found(mid, store.setRateLimit(mid, perSecond, burst));
        applied("merchant {} rate set", mid);
        ObjectNode body = InternalReplies.JSON.createObjectNode().put("mid", mid);
        body.putObject("rate").put("perSecond", perSecond).put("burst", burst);
        InternalReplies.send(req, res, 200, body);
    }

    private void defaultRate(ServerRequest req, ServerResponse res) throws Exception {
        String mid = mid(req);
        JsonBody.read(req, maxBodyBytes, Set.of(), true);
        found(mid, store.setRateLimit(mid, null, null));
        applied("merchant {} rate back to the configured default", mid);
        InternalReplies.send(req, res, 200, InternalReplies.JSON.createObjectNode().put("mid", mid).put("rate", "default"));
    }

    /** Replay protection on: {@code {"window": "5m"}} (whole seconds, 1m to 1h). */
    private void setReplay(ServerRequest req, ServerResponse res) throws Exception {
        String mid = mid(req);
        JsonBody json = JsonBody.read(req, maxBodyBytes, Set.of("window"), false);
        Duration window = duration(json.text("window"));
        if (window == null) {
            throw JsonBody.invalid("window", "window must be a duration such as 90s, 5m or 1h");
        }
        try {
            MerchantStore.checkReplayWindow(window);
        } catch (IllegalArgumentException e) {
            throw JsonBody.invalid("window", e.getMessage());
        }
        found(mid, store.setReplayWindow(mid, window));
        applied("merchant {}: replay protection on, window " + window.toSeconds() + " s", mid);
        InternalReplies.send(req, res, 200, InternalReplies.JSON.createObjectNode().put("mid", mid)
                .put("replayWindow", window.toSeconds() + "s"));
    }

    private void replayOff(ServerRequest req, ServerResponse res) throws Exception {
        String mid = mid(req);
        JsonBody.read(req, maxBodyBytes, Set.of(), true);
        found(mid, store.setReplayWindow(mid, null));
        applied("merchant {}: replay protection off", mid);
        InternalReplies.send(req, res, 200, InternalReplies.JSON.createObjectNode().put("mid", mid).put("replayWindow", "off"));
    }

    private void allowIps(ServerRequest req, ServerResponse res) throws Exception {
        String mid = mid(req);
        JsonBody json = JsonBody.read(req, maxBodyBytes, Set.of("cidrs", "any"), false);
        boolean any = json.has("any") && json.bool("any");
        List<String> texts = json.has("cidrs") ? json.texts("cidrs") : List.of();
        if (json.has("any") && !any) {
            throw JsonBody.invalid("any", "any must be true when given (give cidrs to restrict)");
        }
        if (any == !texts.isEmpty()) {
            throw JsonBody.invalid("cidrs", "give a non-empty cidrs array, or \"any\": true");
        }
        List<CidrRange> ranges = new ArrayList<>();
        for (String text : texts) {
            try {
                ranges.add(CidrRange.parse(text));
            } catch (IllegalArgumentException e) {
                throw JsonBody.invalid("cidrs", e.getMessage());
            }
        }
        boolean changed;
        try {
            changed = store.setAllowList(mid, ranges);
        } catch (IllegalArgumentException e) {
            throw JsonBody.invalid("cidrs", e.getMessage());
        }
        found(mid, changed);
        applied("merchant {} allow-list set", mid);
        ObjectNode body = InternalReplies.JSON.createObjectNode().put("mid", mid).put("any", any);
        ArrayNode cidrs = body.putArray("cidrs");
        ranges.forEach(r -> cidrs.add(r.toString()));
        InternalReplies.send(req, res, 200, body);
    }

    /**
     * A duration as the configuration and the CLI write it ({@code 500ms}, {@code 90s}, {@code 30m},
     * {@code 24h}), or {@code null}. (The configuration's reader is not for this package.)
     */
    static Duration duration(String text) {
        java.util.regex.Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** The {@code {mid}} of the path, well-formed. */
    static String mid(ServerRequest req) {
        String mid = req.path().pathParameters().get("mid");
        if (!ParamRules.isMid(mid)) {
            throw JsonBody.invalid("mid", "mid must be exactly 15 digits");
        }
        return mid;
    }

    static void found(String mid, boolean found) {
        if (!found) {
            throw new JsonBody.Failure(404, "unknown_merchant", "no merchant " + mid, "mid");
        }
    }

    /**
     * Logs the change (never a key) and reloads the directory, so the very next query sees it.
     * The change is committed either way: if the reload fails, the background refresh brings it.
     */
    private void applied(String what, String mid) {
        LOG.info("internal API: " + what, mid);
        try {
            directory.refreshNow();
        } catch (RuntimeException e) {
            LOG.warn("merchant {} changed, but the directory could not reload now (the next refresh will): {}", mid, e.getMessage());
        }
    }
}
