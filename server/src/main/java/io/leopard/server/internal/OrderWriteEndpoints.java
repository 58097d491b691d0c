package io.leopard.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.leopard.protocol.Formats;
import io.leopard.protocol.ParamRules;
import io.leopard.protocol.ProtocolException;
import io.leopard.server.order.Order;
import io.leopard.server.order.OrderJson;
import io.leopard.server.order.OrderWrites;
import io.leopard.server.order.StoredOrder;
import io.leopard.server.order.WriteOutcome;
import io.leopard.server.order.WriteResult;
import io.leopard.server.order.WriteSource;
import io.leopard.server.web.Exchange;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The platform's core writing orders while Leopard serves, under {@link InternalRoutes#BASE}:
 * {@code PUT /orders/{mid}/{orderNo}} (create or move one order), {@code POST /orders:batch} (up
 * to 1,000, each on its own) and {@code GET /orders/{mid}/{orderNo}} (the order with its version
 * and times). Bodies are the import file's fields as JSON (docs/INTERNAL-API.md).
 */
public final class OrderWriteEndpoints implements HttpService {
    static final String ORDER = "/orders/{mid}/{orderNo}";
    static final String BATCH = "/orders:batch";
    private final OrderWrites writes;
    private final int maxBodyBytes;
    private final ZoneId zone;

    /**
     * @param maxBodyBytes the largest body of one write or batch
     * @param zone         the platform zone, in which times are written
     */
    public OrderWriteEndpoints(OrderWrites writes, int maxBodyBytes, ZoneId zone) {
        this.writes = writes;
        this.maxBodyBytes = maxBodyBytes;
        this.zone = zone;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.put(ORDER, this::put)
                .get(ORDER, this::get)
                .post(BATCH, this::batch);
    }

    private void put(ServerRequest req, ServerResponse res) throws ProtocolException {
        Exchange exchange = started(req, ORDER);
        String mid = req.path().pathParameters().get("mid");
        String orderNo = req.path().pathParameters().get("orderNo");
        exchange.mid(ParamRules.isMid(mid) ? mid : null);
        JsonNode body = JsonBody.readAny(req, maxBodyBytes, false);
        if (!body.isObject()) {
            throw new JsonBody.Failure(400, "invalid_json", "the body must be a JSON object of the order's fields", null);
        }
        ObjectNode order = (ObjectNode) body;
        for (Map.Entry<String, String> key : Map.of("mid", mid, "orderNo", orderNo).entrySet()) {
            JsonNode given = order.get(key.getKey());
            if (given != null && !given.isNull() && !key.getValue().equals(given.asText())) {
                throw JsonBody.invalid(key.getKey(), key.getKey() + " in the body (" + ParamRules.printable(given.asText())
                        + ") differs from the path's (" + ParamRules.printable(key.getValue()) + "); leave it out");
            }
            order.put(key.getKey(), key.getValue());
        }
        WriteResult r = writes.write(order, WriteSource.API);
        switch (r.outcome()) {
            case CREATED, CHANGED, UNCHANGED -> {
                ObjectNode answer = InternalReplies.JSON.createObjectNode();
                answer.put("outcome", r.outcome().wireName());
                answer.put("changed", r.outcome() != WriteOutcome.UNCHANGED);
                answer.set("order", orderJson(r.stored()));
                InternalReplies.send(req, res, r.outcome() == WriteOutcome.CREATED ? 201 : 200, answer);
            }
            case INVALID -> InternalReplies.error(req, res, 400,
                    r.field() != null && !OrderJson.FIELDS.contains(r.field()) ? "unknown_field" : "invalid_field", r.reason(), r.field());
            case UNKNOWN_MERCHANT -> InternalReplies.error(req, res, 404, "unknown_merchant", r.reason(), "mid");
            case CONFLICT, LATE -> {
                boolean move = "state".equals(r.field());
                ObjectNode answer = InternalReplies.errorBody(move ? "illegal_move" : "conflict", r.reason(), r.field());
                if (r.stored() != null) {
                    if (move) {
                        answer.put("move", r.stored().order().state() + " -> " + order.path("state").asText());
                    }
                    answer.set("order", orderJson(r.stored()));
                }
                InternalReplies.send(req, res, 409, answer);
            }
            default -> throw new IllegalStateException("unknown outcome " + r.outcome());
        }
    }

    private void get(ServerRequest req, ServerResponse res) {
        started(req, ORDER);
        String mid = req.path().pathParameters().get("mid");
        String orderNo = req.path().pathParameters().get("orderNo");
        if (!ParamRules.isMid(mid) || !ParamRules.isOrderNo(orderNo)) {
            InternalReplies.error(req, res, 404, "order_not_found", "no such order: a mid is 15 digits, an orderNo 1-32 of "
                    + "letters, digits, _ - | *", null);
            return;
        }
        Exchange.of(req).mid(mid);
        writes.find(mid, orderNo).ifPresentOrElse(
                stored -> InternalReplies.send(req, res, 200, orderJson(stored)),
                () -> InternalReplies.error(req, res, 404, "order_not_found", "merchant " + mid + " has no order "
                        + orderNo, null));
    }

    private void batch(ServerRequest req, ServerResponse res) throws ProtocolException {
        started(req, BATCH);
        JsonNode body = JsonBody.readAny(req, maxBodyBytes, false);
        if (!body.isArray()) {
            throw new JsonBody.Failure(400, "invalid_json", "the body must be a JSON array of orders, each with mid and orderNo", null);
        }
        if (body.size() > OrderWrites.MAX_BATCH) {
            throw new JsonBody.Failure(400, "batch_too_large", "at most " + OrderWrites.MAX_BATCH
                    + " orders per batch; got " + body.size() + " (nothing was written)", null);
        }
        List<JsonNode> orders = new ArrayList<>(body.size());
        body.forEach(orders::add);
        List<WriteResult> results = writes.writeAll(orders, WriteSource.API);
        ObjectNode answer = InternalReplies.JSON.createObjectNode();
        Map<WriteOutcome, Integer> counts = new EnumMap<>(WriteOutcome.class);
        ArrayNode items = answer.putArray("results");
        for (int i = 0; i < results.size(); i++) {
            WriteResult r = results.get(i);
            JsonNode sent = orders.get(i);
            ObjectNode item = items.addObject();
            item.put("index", i);
            if (sent.isObject() && sent.path("mid").isTextual()) {
                item.put("mid", sent.get("mid").asText());
            }
            if (sent.isObject() && sent.path("orderNo").isTextual()) {
                item.put("orderNo", sent.get("orderNo").asText());
            }
            // the batch's own words: a late state is a conflict here, as for PUT
            WriteOutcome outcome = r.outcome() == WriteOutcome.LATE || r.outcome() == WriteOutcome.UNKNOWN_MERCHANT
                    ? (r.outcome() == WriteOutcome.LATE ? WriteOutcome.CONFLICT : WriteOutcome.INVALID) : r.outcome();
            counts.merge(outcome, 1, Integer::sum);
            item.put("outcome", outcome.wireName());
            if (r.field() != null) {
                item.put("field", r.field());
            }
            if (r.reason() != null) {
                item.put("reason", r.reason());
            }
            if (r.stored() != null) {
                item.put("version", r.stored().version());
                item.put("state", r.stored().order().state().name());
            }
        }
        ObjectNode countNode = answer.putObject("counts");
        for (WriteOutcome o : List.of(WriteOutcome.CREATED, WriteOutcome.CHANGED, WriteOutcome.UNCHANGED,
                WriteOutcome.CONFLICT, WriteOutcome.INVALID)) {
            countNode.put(o.wireName(), counts.getOrDefault(o, 0));
        }
        InternalReplies.send(req, res, 200, answer);
    }

    private static Exchange started(ServerRequest req, String path) {
        Exchange exchange = Exchange.of(req);
        exchange.processing();
        exchange.metricName(InternalRoutes.BASE + path);
        return exchange;
    }

    /** The order as the import file writes it, plus its version and times (platform zone). */
    private ObjectNode orderJson(StoredOrder stored) {
        Order o = stored.order();
        ObjectNode n = InternalReplies.JSON.createObjectNode();
        n.put("mid", o.mid());
        n.put("orderNo", o.orderNo());
        n.put("flowNo", o.flowNo());
        n.put("tradeNo", o.tradeNo());
        n.put("amount", Formats.amount(o.amount()));
        n.put("type", o.type());
        n.put("scene", o.scene().wireName());
        n.put("state", o.state().name());
        n.put("orderTime", time(o.orderTime()));
        n.put("payTime", time(o.payTime()));
        n.put("version", stored.version());
        n.put("createdAt", time(stored.createdAt()));
        n.put("updatedAt", time(stored.updatedAt()));
        return n;
    }

    private String time(Instant t) {
        return t == null ? null : Formats.time(t, zone);
    }
}
