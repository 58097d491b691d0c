package io.leopard.server.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.leopard.protocol.SignType;
import io.leopard.server.merchant.MerchantStore;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a merchant's notifications go, under {@link InternalRoutes#BASE}:
 * <pre>
 * PUT /merchants/{mid}/notify   {"url": "https://shop.example/notify", "signType": "HMAC-SHA256"}: set; {"url": null} stops them
 * GET /merchants/{mid}/notify   {"mid", "url", "signType"}
 * </pre>
 * The URL is checked for form here (http or https, a host, no user info); whether its host may be
 * reached (not an internal address) is checked at every delivery, after DNS resolution.
 */
public final class MerchantNotifyEndpoints implements HttpService {
    private static final Logger LOG = LoggerFactory.getLogger(MerchantNotifyEndpoints.class);

    private final MerchantStore merchants;
    private final int maxBodyBytes;

    public MerchantNotifyEndpoints(MerchantStore merchants, int maxBodyBytes) {
        this.merchants = merchants;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.put("/merchants/{mid}/notify", MerchantAdminEndpoints.guarded(this::set))
                .get("/merchants/{mid}/notify", MerchantAdminEndpoints.guarded(this::show));
    }

    private void set(ServerRequest req, ServerResponse res) throws Exception {
        String mid = MerchantAdminEndpoints.mid(req);
        JsonBody body = JsonBody.read(req, maxBodyBytes, Set.of("url", "signType"), false);
        String url = body.has("url") && !body.isNull("url") ? body.text("url") : null;
        if (!body.has("url")) {
            throw JsonBody.invalid("url", "url is required (null stops the notifications)");
        }
        SignType signType = null;
        String typeText = body.has("signType") && !body.isNull("signType") ? body.text("signType") : null;
        if (typeText != null) {
            signType = SignType.fromWire(typeText);
            if (signType == null) {
                throw JsonBody.invalid("signType", "signType must be MD5, SHA1, SHA256 or HMAC-SHA256");
            }
        }
        boolean found;
        try {
            found = merchants.setNotify(mid, url, signType);
        } catch (IllegalArgumentException e) {
            throw JsonBody.invalid("url", e.getMessage());
        }
        MerchantAdminEndpoints.found(mid, found);
        LOG.info("internal API: merchant {} notifications {}", mid, url == null ? "stopped" : "go to " + url);
        show(req, res);
    }

    private void show(ServerRequest req, ServerResponse res) throws Exception {
        String mid = MerchantAdminEndpoints.mid(req);
        String[] notify = merchants.notify(mid).orElse(null);
        MerchantAdminEndpoints.found(mid, notify != null);
        ObjectNode answer = InternalReplies.JSON.createObjectNode().put("mid", mid);
        answer.put("url", notify[0]);
        answer.put("signType", notify[0] == null ? null : notify[1] == null ? "MD5" : notify[1]);
        InternalReplies.send(req, res, 200, answer);
    }
}
