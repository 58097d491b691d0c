package io.leopard.server.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.leopard.protocol.ParamRules;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.notify.NotifyLog;
import io.leopard.server.web.Exchange;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifications' attempt log and resend, under {@link InternalRoutes#BASE}:
 * <pre>
 * GET  /orders/{mid}/{orderNo}/notifications          the order's deliveries, newest event first, each with every attempt
 * GET  /merchants/{mid}/notifications[?failed=true][&amp;limit=50]   the merchant's latest deliveries, each with its last attempt
 * POST /notifications/{eventId}/resend                 pending again, due now, attempts back to 0: 202 with the delivery
 * </pre>
 * An answer shows where a notification went and what the receiver said (at most 256 characters, as
 * stored), never a key.
 */
public final class NotificationEndpoints implements HttpService {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationEndpoints.class);
    public static final int DEFAULT_LIMIT = 50;
    /** What the API and the CLI say of an event id that cannot be one. */
    public static final String BAD_EVENT_ID = "eventId must be <flowNo>-<version>, such as F2026120100001-2";
    /** What the API and the CLI say of a limit out of range. */
    public static final String BAD_LIMIT = "limit must be a whole number from 1 to " + NotifyLog.MAX_LIMIT;

    private final NotifyLog log;
    private final MerchantStore merchants;
    private final Clock clock;
    private final int maxBodyBytes;

    public NotificationEndpoints(NotifyLog log, MerchantStore merchants, Clock clock, int maxBodyBytes) {
        this.log = log;
        this.merchants = merchants;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/orders/{mid}/{orderNo}/notifications", guarded(this::ofOrder))
                .get("/merchants/{mid}/notifications", guarded(this::ofMerchant))
                .post("/notifications/{eventId}/resend", guarded(this::resend));
    }

    private static io.helidon.webserver.http.Handler guarded(io.helidon.webserver.http.Handler handler) {
        return MerchantAdminEndpoints.guarded((req, res) -> {
            Exchange.of(req).metricName("internal.notifications");
            handler.handle(req, res);
        });
    }

    private void ofOrder(ServerRequest req, ServerResponse res) {
        String mid = MerchantAdminEndpoints.mid(req);
        String orderNo = req.path().pathParameters().get("orderNo");
        if (!ParamRules.isOrderNo(orderNo)) {
            throw JsonBody.invalid("orderNo", "orderNo must be 1 to 32 of letters, digits, _ - | *");
        }
        List<NotifyLog.Delivery> found = log.ofOrder(mid, orderNo)
                .orElseThrow(() -> new JsonBody.Failure(404, "unknown_order", "merchant " + mid + " has no order " + orderNo, "orderNo"));
        InternalReplies.send(req, res, 200, listing(found));
    }

    private void ofMerchant(ServerRequest req, ServerResponse res) {
        String mid = MerchantAdminEndpoints.mid(req);
        boolean failed = false;
        int limit = DEFAULT_LIMIT;
        for (String name : req.query().names()) {
            List<String> values = req.query().all(name, List::of);
            String value = values.isEmpty() ? "" : values.get(0);
            if (values.size() > 1) {
                throw JsonBody.invalid(ParamRules.printable(name), ParamRules.printable(name) + " is given twice");
            }
            switch (name) {
                case "failed" -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        throw JsonBody.invalid("failed", "failed must be true or false");
                    }
                    failed = value.equals("true");
                }
                case "limit" -> limit = limit(value);
                default -> throw new JsonBody.Failure(400, "unknown_parameter", "unknown query parameter \""
                        + ParamRules.printable(name) + "\"; expected failed, limit", ParamRules.printable(name));
            }
        }
        MerchantAdminEndpoints.found(mid, merchants.exists(mid));
        InternalReplies.send(req, res, 200, listing(log.ofMerchant(mid, failed, limit)));
    }

    private static int limit(String value) {
        int n = -1;
        if (value.length() <= 4 && !value.isEmpty() && value.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            n = Integer.parseInt(value);
        }
        if (n < 1 || n > NotifyLog.MAX_LIMIT) {
            throw JsonBody.invalid("limit", BAD_LIMIT);
        }
        return n;
    }

    private void resend(ServerRequest req, ServerResponse res) throws Exception {
        String text = req.path().pathParameters().get("eventId");
        NotifyLog.EventId id = NotifyLog.parseEventId(text);
        if (id == null) {
            throw JsonBody.invalid("eventId", BAD_EVENT_ID);
        }
        JsonBody.read(req, maxBodyBytes, Set.of(), true);
        NotifyLog.Resent resent = log.resend(id, clock.instant());
        switch (resent) {
            case NotifyLog.Resent.UnknownEvent u -> throw new JsonBody.Failure(404, "unknown_event", refusal(id, resent), "eventId");
            case NotifyLog.Resent.NotNotified n -> throw new JsonBody.Failure(409, "not_notified", refusal(id, resent), "eventId");
            case NotifyLog.Resent.NoUrl n -> throw new JsonBody.Failure(409, "no_notify_url", refusal(id, resent), "eventId");
            case NotifyLog.Resent.Done done -> {
                LOG.info("internal API: notification {} to merchant {} resent to {}", id, done.delivery().mid(), done.delivery().url());
                InternalReplies.send(req, res, 202, delivery(done.delivery()));
            }
        }
    }

    /** What the API and the CLI say when a resend of {@code id} came to {@code resent} and not to a delivery. */
    public static String refusal(NotifyLog.EventId id, NotifyLog.Resent resent) {
        return switch (resent) {
            case NotifyLog.Resent.UnknownEvent u -> "no event " + id;
            case NotifyLog.Resent.NotNotified n -> "event " + id + " is a change merchants are not told of"
                    + " (the order created pending, or a trade number filled in while pending)";
            case NotifyLog.Resent.NoUrl n -> "merchant " + n.mid() + " has no notify URL: set one first (leopard merchant"
                    + " set-notify, or PUT /internal/v1/merchants/" + n.mid() + "/notify)";
            case NotifyLog.Resent.Done d -> throw new IllegalArgumentException("resent");
        };
    }

    private static ObjectNode listing(List<NotifyLog.Delivery> deliveries) {
        ObjectNode body = InternalReplies.JSON.createObjectNode();
        ArrayNode all = body.putArray("notifications");
        deliveries.forEach(d -> all.add(delivery(d)));
        return body;
    }

    /** One delivery as the API shows it; states in lower case, times as ISO-8601 UTC, {@code null} when none. */
    static ObjectNode delivery(NotifyLog.Delivery d) {
        ObjectNode n = InternalReplies.JSON.createObjectNode().put("eventId", d.eventId()).put("mid", d.mid())
                .put("orderNo", d.orderNo()).put("status", d.status() == null ? null : d.status().name()).put("url", d.url())
                .put("state", d.state().toLowerCase(java.util.Locale.ROOT)).put("attempts", d.attempts())
                .put("nextAttemptAt", time(d.nextAttemptAt())).put("createdAt", time(d.createdAt())).put("doneAt", time(d.doneAt()));
        ArrayNode attempts = n.putArray("log");
        for (NotifyLog.Attempt a : d.log()) {
            ObjectNode entry = attempts.addObject().put("at", time(a.at()));
            entry.put("httpStatus", a.httpStatus());
            entry.put("error", a.error()).put("latencyMs", a.latencyMs()).put("answer", a.answer());
        }
        return n;
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
