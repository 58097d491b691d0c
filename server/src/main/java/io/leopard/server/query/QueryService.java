package io.leopard.server.query;

import io.leopard.protocol.BusinessError;
import io.leopard.protocol.Fields;
import io.leopard.protocol.OrderState;
import io.leopard.protocol.OrderStatus;
import io.leopard.protocol.ParamRules;
import io.leopard.protocol.ProtocolException;
import io.leopard.protocol.QueryRequest;
import io.leopard.protocol.Signer;
import io.leopard.server.merchant.Merchant;
import io.leopard.server.merchant.MerchantDirectory;
import io.leopard.server.order.Order;
import io.leopard.server.order.OrderStore;
import io.leopard.server.sync.OrderSync;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The steps of answering a well-formed query, for the {@link QueryPipeline}: admits the merchant,
 * checks the signature, reads this merchant's orders only, and signs the answer with the request's
 * sign type and key. Knows nothing of HTTP.
 */
public final class QueryService {
    private final MerchantGate gate;
    private final OrderStore orders;
    private final OrderFields orderFields;
    private final OrderSync sync;
    private final EventFeed feed;
    private final BatchGate batches;
    private final AnswerNoise noise = AnswerNoise.forThisMachine();

    /** Without the event feed: its requests fail (only tests of the other endpoints build this). */
    public QueryService(MerchantDirectory merchants, OrderStore orders, ZoneId zone, Clock clock) {
        this(merchants, orders, zone, clock, null, null);
    }

    /** As the full constructor, with as many batches at once as there are cores. */
    public QueryService(MerchantDirectory merchants, OrderStore orders, ZoneId zone, Clock clock, OrderSync sync,
                        EventFeed feed) {
        this(merchants, orders, zone, clock, sync, feed, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param sync             read-time channel sync of pending orders; {@code null}: answer what is stored
     * @param feed             the merchants' event feed ({@code /query/events})
     * @param batchConcurrency how many batch queries are read and built at once (see {@link BatchGate}); 0: no bound
     */
    public QueryService(MerchantDirectory merchants, OrderStore orders, ZoneId zone, Clock clock, OrderSync sync,
                        EventFeed feed, int batchConcurrency) {
        this.gate = new MerchantGate(merchants, clock);
        this.orders = orders;
        this.orderFields = new OrderFields(zone);
        this.sync = sync;
        this.feed = feed;
        this.batches = new BatchGate(batchConcurrency);
    }

    /**
     * The merchant the request names, if it exists and is enabled. The steps are separate so the
     * {@link QueryPipeline} can put the allow-list and the rate limit where the protocol's order
     * wants them.
     */
    Merchant admit(QueryRequest request) throws ProtocolException {
        return gate.admit(request);
    }

    /** The merchant {@code mid} for a signature diagnosis: it exists, has debug on and is enabled. */
    Merchant admitForDiagnosis(String mid) throws ProtocolException {
        return gate.admitForDiagnosis(mid);
    }

    /** The merchant's previous key while its grace after a rotation lasts, else {@code null}. */
    String previousKeyInGrace(Merchant merchant) {
        return gate.previousKeyInGrace(merchant);
    }

    /** The key that signed the request (the current one, or the previous one during its grace). */
    String verify(Merchant merchant, QueryRequest request) throws ProtocolException {
        return gate.verifiedKey(merchant, request);
    }

    /** Reads this merchant's orders and builds the answer, signed with {@code key}. */
    Answer answer(QueryRequest request, String key) {
        return answer(request, key, "-");
    }

    /**
     * Reads this merchant's orders, brings pending ones up to date with their channels (read-time
     * sync, when configured), and builds the answer, signed with {@code key}.
     */
    Answer answer(QueryRequest request, String key, String requestId) {
        Map<String, String> fields = header(request);
        BusinessError error = switch (request.endpoint()) {
            case SINGLE -> single(request, fields, requestId);
            case MULTI -> multi(request, fields, requestId);
            case BRUSHCARD -> brushcard(request, fields, requestId);
            case EVENTS -> events(request, fields);
        };
        // binds the answer to this request (PROTOCOL.md 4.4): a captured answer replayed to another fails the check
        fields.put(Fields.REQ_NOISE, request.params().get(Fields.NOISE));
        if (request.signTypeAsSent() != null) {
            fields.put(Fields.SIGN_TYPE, request.signTypeAsSent());
        }
        fields.put(Fields.SIGN, Signer.sign(fields, key, request.signType()));
        return new Answer(fields, Answer.resultCodeOf(error));
    }

    private Map<String, String> header(QueryRequest request) {
        // room for the 17 fields of a paid order's answer without a rehash
        Map<String, String> fields = new LinkedHashMap<>(32);
        fields.put(Fields.CODE, Fields.SUCCESS);
        fields.put(Fields.MSG, Fields.OK_MSG);
        fields.put(Fields.RESULT_CODE, Fields.SUCCESS);
        fields.put(Fields.MID, request.mid());
        fields.put(Fields.NOISE, noise());
        return fields;
    }

    private BusinessError single(QueryRequest request, Map<String, String> fields, String requestId) {
        Optional<Order> order = orders.find(request.mid(), request.orderNo());
        if (order.isEmpty()) {
            return notExist(fields, request.orderNo());
        }
        orderFields.putQueryFields(fresh(order.get(), requestId), fields);
        return null;
    }

    private BusinessError brushcard(QueryRequest request, Map<String, String> fields, String requestId) {
        Optional<Order> order = orders.find(request.mid(), request.orderNo()).filter(Order::isCardPresent);
        if (order.isEmpty()) {
            return notExist(fields, request.orderNo());
        }
        orderFields.putBrushcardFields(fresh(order.get(), requestId), fields);
        return null;
    }

    /** One page of the merchant's own feed; {@code next} is where the page ended, {@code after} when it is empty. */
    private BusinessError events(QueryRequest request, Map<String, String> fields) {
        if (feed == null) {
            throw new IllegalStateException("this query service has no event feed");
        }
        EventFeed.Page page = feed.page(request.mid(), request.after(), request.limit());
        fields.put(Fields.EVENTS, JsonWriter.array(page.events()));
        fields.put(Fields.NEXT, page.events().isEmpty() && request.afterAsSent() != null
                ? request.afterAsSent() : ParamRules.cursor(page.last()));
        fields.put(Fields.HAS_MORE, Boolean.toString(page.hasMore()));
        return null;
    }

    private Order fresh(Order order, String requestId) {
        return sync == null || order.state() != OrderState.INIT ? order : sync.fresh(order, requestId);
    }

    /** The look-up and the answer's order list are built inside the {@link BatchGate}; channel sync outside it. */
    private BusinessError multi(QueryRequest request, Map<String, String> fields, String requestId) {
        try (BatchGate.Pass pass = batches.enter()) {
            Map<String, Order> found = orders.findAll(request.mid(), request.orderNos());
            if (sync != null && hasPending(found)) {
                Map<String, Order> read = found;
                found = pass.awayWhile(() -> freshAll(read, requestId));
            }
            fields.put(Fields.ORDERS, orderList(request, found));
        }
        return null;
    }

    private static boolean hasPending(Map<String, Order> found) {
        for (Order o : found.values()) {
            if (o.state() == OrderState.INIT) {
                return true;
            }
        }
        return false;
    }

    private String orderList(QueryRequest request, Map<String, Order> found) {
        List<Map<String, String>> elements = new ArrayList<>(request.orderNos().size());
        for (String orderNo : request.orderNos()) {
            Map<String, String> element = new LinkedHashMap<>();
            Order order = found.get(orderNo);
            if (order == null) {
                element.put(Fields.ORDER_NO, orderNo);
                element.put(Fields.STATUS, OrderStatus.NO_INFORMATION.value());
            } else {
                orderFields.putQueryFields(order, element);
            }
            elements.add(element);
        }
        return JsonWriter.array(elements);
    }

    /** {@code found} with its pending orders synced in parallel, under one deadline. */
    private Map<String, Order> freshAll(Map<String, Order> found, String requestId) {
        List<Order> pending = new ArrayList<>();
        for (Order o : found.values()) {
            if (o.state() == OrderState.INIT) {
                pending.add(o);
            }
        }
        if (pending.isEmpty()) {
            return found;
        }
        Map<String, Order> out = new java.util.HashMap<>(found);
        for (Order o : sync.freshAll(pending, requestId)) {
            out.put(o.orderNo(), o);
        }
        return out;
    }

    /** The order number too (PROTOCOL.md 4.4): a signed "not found" says which order it is about. */
    private static BusinessError notExist(Map<String, String> fields, String orderNo) {
        fields.put(Fields.RESULT_CODE, Fields.FAIL);
        fields.put(Fields.ERR_CODE, BusinessError.ORDER_NOT_EXIST.name());
        fields.put(Fields.ERR_CODE_DES, BusinessError.ORDER_NOT_EXIST.description());
        fields.put(Fields.ORDER_NO, orderNo);
        return BusinessError.ORDER_NOT_EXIST;
    }

    /** The server's own random string: 32 letters and digits (see {@link AnswerNoise}). */
    String noise() {
        return noise.next();
    }
}
