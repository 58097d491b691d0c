package io.leopard.sdk;

import io.leopard.protocol.BusinessError;
import io.leopard.protocol.Endpoint;
import io.leopard.protocol.Fields;
import io.leopard.protocol.Formats;
import io.leopard.protocol.ParamRules;
import io.leopard.protocol.ProtocolException;
import io.leopard.protocol.SignType;
import java.net.MalformedURLException;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Queries Leopard for one merchant: signs every request, verifies every answer (fail closed) and
 * returns typed results. Immutable and thread-safe; build one per merchant key and share it. There
 * is no global state: to rotate the key, build a new client.
 *
 * <pre>{@code
 * LeopardClient client = LeopardClient.builder()
 *         .baseUrl("https://pay.example.com/v2")
 *         .mid("100000510983456")
 *         .key(System.getenv("LEOPARD_KEY"))
 *         .build();
 * SingleResult r = client.querySingle("M201611101010100002");
 * }</pre>
 *
 * <p>Every method throws a {@link LeopardException} subclass when no verified answer could be had;
 * an order number that breaks the protocol's rules is an {@link IllegalArgumentException} and is
 * never sent.
 */
public final class LeopardClient {
    private final String baseUrl;
    private final String mid;
    private final SignType signType;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final RetryPolicy retryPolicy;
    private final int maxBatch;
    private final int pollQueries;
    private final Duration pollInterval;
    private final ZoneId zone;
    private final Ticker ticker;
    private final boolean sendTimestamp;
    private final Exchange exchange;
    private final JsonAnswer json = new JsonAnswer();

    private LeopardClient(Builder b) {
        this.baseUrl = b.baseUrl;
        this.mid = b.mid;
        this.signType = b.signType;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.retryPolicy = b.retryPolicy;
        this.maxBatch = b.maxBatch;
        this.pollQueries = b.pollQueries;
        this.pollInterval = b.pollInterval;
        this.zone = b.zone;
        this.ticker = b.ticker;
        this.sendTimestamp = b.sendTimestamp;
        Random random = b.random != null ? b.random : Exchange.newRandom();
        this.exchange = new Exchange(baseUrl, mid, b.key, signType, millis(connectTimeout), millis(readTimeout),
                retryPolicy, b.transport, ticker, random, json, sendTimestamp ? b.clock : null, zone);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** One order ({@code POST /query/single}). An order this merchant does not have is a not-found result. */
    public SingleResult querySingle(String orderNo) {
        checkOrderNo(orderNo);
        Map<String, String> fields = exchange.call(Endpoint.SINGLE, orderNo);
        if (isNotFound(fields, Endpoint.SINGLE)) {
            return SingleResult.notFound(orderNo);
        }
        OrderResult order = OrderResult.from(fields, zone, Endpoint.SINGLE.path());
        checkEcho(orderNo, order.orderNo(), Endpoint.SINGLE);
        return SingleResult.found(order);
    }

    /**
     * Several orders ({@code POST /query/multi}). Each number is checked before anything is sent;
     * repeated numbers are asked once, at their first place; more than the batch limit are sent in
     * several requests, one after another, and the answers merged in request order. If any batch
     * fails, the whole call fails.
     */
    public MultiResult queryMulti(Collection<String> orderNos) {
        Objects.requireNonNull(orderNos, "orderNos == null");
        LinkedHashSet<String> distinct = new LinkedHashSet<String>();
        for (String orderNo : orderNos) {
            checkOrderNo(orderNo);
            distinct.add(orderNo);
        }
        if (distinct.isEmpty()) {
            throw new IllegalArgumentException("orderNos is empty");
        }
        List<String> all = new ArrayList<String>(distinct);
        List<OrderResult> results = new ArrayList<OrderResult>(all.size());
        for (int from = 0; from < all.size(); from += maxBatch) {
            results.addAll(queryBatch(all.subList(from, Math.min(all.size(), from + maxBatch))));
        }
        return MultiResult.of(results);
    }

    private List<OrderResult> queryBatch(List<String> batch) {
        StringBuilder joined = new StringBuilder();
        for (String orderNo : batch) {
            if (joined.length() > 0) {
                joined.append(ParamRules.ORDER_NO_SEPARATOR);
            }
            joined.append(orderNo);
        }
        String where = Endpoint.MULTI.path();
        Map<String, String> fields = exchange.call(Endpoint.MULTI, joined.toString());
        if (!Fields.SUCCESS.equals(fields.get(Fields.RESULT_CODE))) {
            throw businessFailure(fields, where);
        }
        String orders = new FieldReader(fields, where).required(Fields.ORDERS);
        List<Map<String, String>> items;
        try {
            items = json.arrayOfFlatObjects(orders);
        } catch (JsonAnswer.MalformedException e) {
            throw new LeopardResponseException(where + ": " + e.getMessage());
        }
        if (items.size() != batch.size()) {
            throw new LeopardResponseException(where + ": asked for " + batch.size() + " orders, the answer has " + items.size());
        }
        List<OrderResult> results = new ArrayList<OrderResult>(items.size());
        for (int i = 0; i < items.size(); i++) {
            OrderResult order = OrderResult.from(items.get(i), zone, where);
            checkEcho(batch.get(i), order.orderNo(), Endpoint.MULTI);
            results.add(order);
        }
        return results;
    }

    /** A card-present order ({@code POST /query/brushcard}). Not found is a result, not an exception. */
    public BrushcardResult queryBrushcard(String orderNo) {
        checkOrderNo(orderNo);
        Map<String, String> fields = exchange.call(Endpoint.BRUSHCARD, orderNo);
        if (isNotFound(fields, Endpoint.BRUSHCARD)) {
            return BrushcardResult.notFound(orderNo);
        }
        BrushcardResult result = BrushcardResult.from(fields, zone, Endpoint.BRUSHCARD.path());
        checkEcho(orderNo, result.orderNo(), Endpoint.BRUSHCARD);
        return result;
    }

    /**
     * A page of the merchant's event feed ({@code POST /query/events}, PROTOCOL.md 10): the changes
     * of its orders after the cursor {@code after}, oldest first, at most {@code limit}. Start with
     * {@code after} = {@code null}, then pass each page's {@link EventPage#next()}; ask again at
     * once while {@link EventPage#hasMore()}. A cursor is opaque: one the feed did not give, or a
     * limit outside 1 to 100, is an {@link IllegalArgumentException} and is never sent.
     */
    public EventPage events(String after, int limit) {
        if (after != null) {
            try {
                ParamRules.parseCursor(after);
            } catch (ProtocolException e) {
                throw new IllegalArgumentException("after \"" + ParamRules.printable(after) + "\" is not a cursor the feed gave (next)");
            }
        }
        if (limit < 1 || limit > ParamRules.MAX_EVENTS_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + ParamRules.MAX_EVENTS_LIMIT + ", was " + limit);
        }
        Map<String, String> asked = new LinkedHashMap<String, String>();
        if (after != null) {
            asked.put(Fields.AFTER, after);
        }
        asked.put(Fields.LIMIT, Integer.toString(limit));
        String where = Endpoint.EVENTS.path();
        Map<String, String> fields = exchange.call(Endpoint.EVENTS, asked);
        if (!Fields.SUCCESS.equals(fields.get(Fields.RESULT_CODE))) {
            throw businessFailure(fields, where);
        }
        FieldReader r = new FieldReader(fields, where);
        List<Map<String, String>> items;
        try {
            items = json.arrayOfFlatObjects(r.required(Fields.EVENTS), Fields.EVENTS);
        } catch (JsonAnswer.MalformedException e) {
            throw new LeopardResponseException(where + ": " + e.getMessage());
        }
        if (items.size() > limit) {
            throw new LeopardResponseException(where + ": asked for at most " + limit + " events, the answer has " + items.size());
        }
        List<FeedEvent> events = new ArrayList<FeedEvent>(items.size());
        for (Map<String, String> item : items) {
            events.add(FeedEvent.from(item, zone, where));
        }
        String next = r.required(Fields.NEXT);
        try {
            ParamRules.parseCursor(next);
        } catch (ProtocolException e) {
            throw new LeopardResponseException(where + ": next \"" + ParamRules.printable(next) + "\" is not a cursor");
        }
        String hasMore = r.required(Fields.HAS_MORE);
        if (!"true".equals(hasMore) && !"false".equals(hasMore)) {
            throw new LeopardResponseException(where + ": hasMore \"" + ParamRules.printable(hasMore) + "\" is neither true nor false");
        }
        return EventPage.of(events, next, "true".equals(hasMore));
    }

    /** As {@link #events(String, int)} with the feed's default page size, 50. */
    public EventPage events(String after) {
        return events(after, ParamRules.DEFAULT_EVENTS_LIMIT);
    }

    /**
     * Waits for a pending card-present payment by the published polling rule: wait the interval,
     * query, and so on, up to the configured number of queries (default: 6 queries, 5 s apart, the
     * last one 30 s after the call). Returns as soon as the payment is final (paid, failed, revoked)
     * or not found; if it is still not final after the last query, the outcome says to revoke it.
     * Query times are kept on a fixed schedule from the start, so slow answers do not stretch it,
     * and the whole wait is never shorter than queries × interval when the payment stays pending.
     *
     * <p>Blocks the calling thread. If the thread is interrupted while waiting, the interrupt flag is
     * restored and a {@link LeopardTransportException} is thrown. A query that fails (after its own
     * retries) ends the wait with its exception.
     */
    public BrushcardOutcome awaitBrushcard(String orderNo) {
        return awaitBrushcard(orderNo, null);
    }

    /**
     * As {@link #awaitBrushcard(String)}, telling {@code eachAnswer} of every verified answer as it
     * comes (a cashier's screen showing "waiting for the customer…"); {@code null} for none.
     */
    public BrushcardOutcome awaitBrushcard(String orderNo, java.util.function.Consumer<BrushcardResult> eachAnswer) {
        checkOrderNo(orderNo);
        long start = ticker.nanoTime();
        long interval = pollInterval.toNanos();
        BrushcardResult last = null;
        for (int i = 1; i <= pollQueries; i++) {
            sleepUntil(start + i * interval, orderNo);
            last = queryBrushcard(orderNo);
            if (eachAnswer != null) {
                eachAnswer.accept(last);
            }
            if (!last.isFound() || last.payStatus().isFinal()) {
                return BrushcardOutcome.of(last, i, Duration.ofNanos(ticker.nanoTime() - start), false);
            }
        }
        return BrushcardOutcome.of(last, pollQueries, Duration.ofNanos(ticker.nanoTime() - start), true);
    }

    private void sleepUntil(long due, String orderNo) {
        long left;
        while ((left = due - ticker.nanoTime()) > 0) {
            try {
                ticker.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LeopardTransportException("interrupted while waiting for card-present order " + orderNo, e, -1, false);
            }
        }
    }

    private static boolean isNotFound(Map<String, String> fields, Endpoint endpoint) {
        String resultCode = fields.get(Fields.RESULT_CODE);
        if (Fields.SUCCESS.equals(resultCode)) {
            return false;
        }
        if (Fields.FAIL.equals(resultCode) && BusinessError.ORDER_NOT_EXIST.name().equals(fields.get(Fields.ERR_CODE))) {
            return true;
        }
        throw businessFailure(fields, endpoint.path());
    }

    private static LeopardException businessFailure(Map<String, String> fields, String where) {
        String resultCode = fields.get(Fields.RESULT_CODE);
        if (Fields.FAIL.equals(resultCode)) {
            String errCode = fields.get(Fields.ERR_CODE);
            return new LeopardProtocolException(errCode == null ? "" : errCode, fields.get(Fields.ERR_CODE_DES), 200, true);
        }
        return new LeopardResponseException(where + ": resultCode is neither SUCCESS nor FAIL");
    }

    private static void checkEcho(String asked, String answered, Endpoint endpoint) {
        if (!asked.equals(answered)) {
            throw new LeopardResponseException(endpoint.path() + ": asked for order " + asked
                    + ", the answer is for " + ParamRules.printable(answered));
        }
    }

    private static void checkOrderNo(String orderNo) {
        Objects.requireNonNull(orderNo, "orderNo == null");
        if (!ParamRules.isOrderNo(orderNo)) {
            throw new IllegalArgumentException("orderNo \"" + ParamRules.printable(orderNo)
                    + "\" must be 1-32 of letters, digits, _ - | *");
        }
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    public String baseUrl() {
        return baseUrl;
    }

    public String mid() {
        return mid;
    }

    public SignType signType() {
        return signType;
    }

    /** The effective configuration, key masked. */
    @Override
    public String toString() {
        return "LeopardClient{baseUrl=" + baseUrl + ", mid=" + mid + ", key=********, signType=" + signType.wireName()
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + ", " + retryPolicy
                + ", maxBatch=" + maxBatch + ", brushcardPolling=" + pollQueries + "x" + pollInterval + ", zone=" + zone
                + ", sendTimestamp=" + sendTimestamp + '}';
    }

    /**
     * Builds a {@link LeopardClient}. Each setter checks its argument at once; {@link #build()}
     * rejects what is missing. Required: {@code baseUrl}, {@code mid}, {@code key}.
     */
    public static final class Builder {
        private String baseUrl;
        private String mid;
        private String key;
        private SignType signType = SignType.MD5;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(15);
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private int maxBatch = ParamRules.DEFAULT_MAX_BATCH;
        private int pollQueries = 6;
        private Duration pollInterval = Duration.ofSeconds(5);
        private ZoneId zone = Formats.DEFAULT_ZONE;
        private Transport transport = new HttpUrlTransport();
        private Ticker ticker = Ticker.SYSTEM;
        private Random random;
        private boolean sendTimestamp;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * The deployment's base URL, {@code http} or {@code https}, e.g. {@code https://pay.example.com/v2};
         * the endpoint paths ({@code /query/single}...) are appended to it.
         */
        public Builder baseUrl(String baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl == null");
            URL url;
            try {
                url = new URL(baseUrl);
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("baseUrl is not a URL: " + ParamRules.printable(baseUrl));
            }
            if (!"http".equals(url.getProtocol()) && !"https".equals(url.getProtocol())) {
                throw new IllegalArgumentException("baseUrl must be http or https, was " + url.getProtocol());
            }
            if (url.getHost().isEmpty() || url.getQuery() != null || url.getRef() != null || url.getUserInfo() != null) {
                throw new IllegalArgumentException("baseUrl must be scheme://host[:port][/path], without user, query or fragment");
            }
            String s = baseUrl;
            while (s.endsWith("/")) {
                s = s.substring(0, s.length() - 1);
            }
            this.baseUrl = s;
            return this;
        }

        /** The merchant number: exactly 15 digits. */
        public Builder mid(String mid) {
            Objects.requireNonNull(mid, "mid == null");
            if (!ParamRules.isMid(mid)) {
                throw new IllegalArgumentException("mid must be exactly 15 digits, was \"" + ParamRules.printable(mid) + "\"");
            }
            this.mid = mid;
            return this;
        }

        /** The merchant key; never printed or put in exception messages. */
        public Builder key(String key) {
            Objects.requireNonNull(key, "key == null");
            if (key.isEmpty()) {
                throw new IllegalArgumentException("key is empty");
            }
            this.key = key;
            return this;
        }

        /**
         * The signature algorithm (default MD5). {@code signType} is sent only when it is not MD5,
         * since MD5 is the protocol's default; answers are verified with the same algorithm.
         */
        public Builder signType(SignType signType) {
            this.signType = Objects.requireNonNull(signType, "signType == null");
            return this;
        }

        /** Default 5 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** Default 15 s. */
        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = positive(readTimeout, "readTimeout");
            return this;
        }

        /** Default {@link RetryPolicy#defaults()}; {@link RetryPolicy#none()} to turn retries off. */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy == null");
            return this;
        }

        /** The server's batch limit (distinct order numbers per request); default 50. */
        public Builder maxBatch(int maxBatch) {
            if (maxBatch < 1) {
                throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
            }
            this.maxBatch = maxBatch;
            return this;
        }

        /** The card-present polling rule of {@link LeopardClient#awaitBrushcard}: default 6 queries, 5 s apart. */
        public Builder brushcardPolling(int queries, Duration interval) {
            Objects.requireNonNull(interval, "interval == null");
            if (queries < 1) {
                throw new IllegalArgumentException("queries must be at least 1, was " + queries);
            }
            this.pollInterval = positive(interval, "interval");
            this.pollQueries = queries;
            return this;
        }

        /** The platform's time zone, for the instants of answer times; default Asia/Shanghai. */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone == null");
            return this;
        }

        /**
         * Whether every request carries {@code timestamp}, the time it was sent in the platform zone
         * ({@link #zone}), signed with the rest (default {@code false}). Needed once the platform has
         * turned replay protection on for the merchant (PROTOCOL.md 4.3): a request without it is then
         * refused {@code TIMESTAMP_EXPIRED}. Harmless before: a merchant without it only signs it.
         * Each attempt, retries included, is stamped and given a fresh noise when it is sent.
         */
        public Builder sendTimestamp(boolean sendTimestamp) {
            this.sendTimestamp = sendTimestamp;
            return this;
        }

        /** Test seam: the wall clock that stamps requests. */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock == null");
            return this;
        }

        /** Test seam: the HTTP transport. */
        Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport == null");
            return this;
        }

        /** Test seam: time and sleep. */
        Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker == null");
            return this;
        }

        /** Test seam: the randomness of noise and jitter (default: a SecureRandom per client). */
        Builder random(Random random) {
            this.random = Objects.requireNonNull(random, "random == null");
            return this;
        }

        public LeopardClient build() {
            if (baseUrl == null) {
                throw new IllegalStateException("baseUrl is required: call baseUrl(\"https://pay.example.com/v2\")");
            }
            if (mid == null) {
                throw new IllegalStateException("mid is required: call mid(...) with your 15-digit merchant number");
            }
            if (key == null) {
                throw new IllegalStateException("key is required: call key(...) with your merchant key");
            }
            return new LeopardClient(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name + " == null");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }
    }
}
