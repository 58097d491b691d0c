package io.leopard.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.leopard.protocol.ParamRules;
import io.leopard.server.channel.Channel;
import io.leopard.server.channel.ChannelAccounts;
import io.leopard.server.channel.Channels;
import io.leopard.server.channel.InvalidCredentialsException;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.web.Exchange;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A merchant's credentials at a payment channel, under {@link InternalRoutes#BASE}:
 * <pre>
 * PUT    /merchants/{mid}/channels/{name}   {"field": "value", ...}: set or replace; 200 names the fields stored
 * DELETE /merchants/{mid}/channels/{name}   remove: 204
 * </pre>
 * The body is one JSON object of strings, checked and normalized by the channel
 * ({@link Channel#checkCredentials}) and stored encrypted ({@link ChannelAccounts}). No answer and no
 * log line holds a value: answers name the fields only, and a refusal names the field at fault.
 * The merchant listing ({@code GET /merchants}) shows the channel names.
 */
public final class MerchantChannelEndpoints implements HttpService {
    private static final Logger LOG = LoggerFactory.getLogger(MerchantChannelEndpoints.class);
    /** What a channel name can be (the {@code merchant_channels.channel} column holds 16 characters). */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,15}");

    private final MerchantStore merchants;
    private final ChannelAccounts accounts;
    private final int maxBodyBytes;

    public MerchantChannelEndpoints(MerchantStore merchants, ChannelAccounts accounts, int maxBodyBytes) {
        this.merchants = merchants;
        this.accounts = accounts;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.put("/merchants/{mid}/channels/{name}", MerchantAdminEndpoints.guarded(this::set))
                .delete("/merchants/{mid}/channels/{name}", MerchantAdminEndpoints.guarded(this::remove));
    }

    private void set(ServerRequest req, ServerResponse res) throws Exception {
        String mid = MerchantAdminEndpoints.mid(req);
        String name = req.path().pathParameters().get("name");
        JsonNode body = JsonBody.readAny(req, maxBodyBytes, true);
        Map<String, String> fields = fields(body);
        MerchantAdminEndpoints.found(mid, merchants.exists(mid));
        Channel channel = accounts.channels().find(name).orElseThrow(() -> unknownChannel(name));
        java.util.SortedSet<String> stored;
        try {
            stored = accounts.set(mid, channel.name(), fields);
        } catch (InvalidCredentialsException e) {
            throw JsonBody.invalid(ParamRules.printable(e.field()), e.getMessage());
        }
        LOG.info("internal API: merchant {} channel {} credentials set", mid, channel.name());
        ObjectNode answer = InternalReplies.JSON.createObjectNode().put("mid", mid).put("channel", channel.name());
        ArrayNode names = answer.putArray("fields");
        stored.forEach(names::add); // the names of the fields stored: never a value
        InternalReplies.send(req, res, 200, answer);
    }

    private void remove(ServerRequest req, ServerResponse res) throws Exception {
        String mid = MerchantAdminEndpoints.mid(req);
        String name = req.path().pathParameters().get("name");
        JsonBody.read(req, maxBodyBytes, java.util.Set.of(), true);
        MerchantAdminEndpoints.found(mid, merchants.exists(mid));
        if (!isChannelName(name)) {
            throw unknownChannel(name);
        }
        // a stored account is removed even when no adapter of that name is configured any more
        if (!accounts.remove(mid, name)) {
            throw new JsonBody.Failure(404, "unknown_channel_account", noAccount(mid, name), "channel");
        }
        LOG.info("internal API: merchant {} channel {} credentials removed", mid, name);
        Exchange.of(req).outcome("OK", 204);
        res.status(Status.NO_CONTENT_204);
        res.send();
    }

    /** The body as field names and string values: an object of strings, nothing else. */
    private static Map<String, String> fields(JsonNode body) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (body == null) {
            return fields; // no body: no fields (the sandbox needs none)
        }
        if (!body.isObject()) {
            throw new JsonBody.Failure(400, "invalid_json", "the body must be a JSON object of credential fields", null);
        }
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            String shown = ParamRules.printable(e.getKey());
            if (!e.getValue().isTextual()) {
                throw JsonBody.invalid(shown, shown + " must be a string");
            }
            fields.put(e.getKey(), e.getValue().textValue());
        }
        return fields;
    }

    private JsonBody.Failure unknownChannel(String name) {
        return new JsonBody.Failure(404, "unknown_channel", noChannel(name, accounts.channels()), "channel");
    }

    /** What the API and the CLI say of a channel {@code name} that {@code channels} does not have. */
    public static String noChannel(String name, Channels channels) {
        return "no channel " + ParamRules.printable(name) + (channels.names().isEmpty() ? "; none is configured"
                : "; channels are " + String.join(", ", channels.names()));
    }

    /** Whether {@code name} can be a channel's name at all (what may go into a path). */
    public static boolean isChannelName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** What the API and the CLI say when the merchant has no account at {@code name}. */
    public static String noAccount(String mid, String name) {
        return "merchant " + mid + " has no " + name + " credentials";
    }
}
