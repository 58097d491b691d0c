package io.leopard.server.notify;

import io.leopard.protocol.FormCodec;
import io.leopard.server.merchant.Merchant;
import io.leopard.server.merchant.MerchantDirectory;
import io.leopard.server.query.OrderFields;
import io.leopard.server.store.StoreException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers merchants' notifications: every second, claims the deliveries due, POSTs each signed
 * form to its URL and records the attempt. Delivered means HTTP 200 with the body {@code SUCCESS}
 * (trimmed, any case); anything else, a timeout, a redirect (never followed) or a URL that resolves
 * to an internal address is a failed attempt, tried again after the next wait of
 * {@code notify.retries}, and given up after the last. At least once: the same {@code eventId} on
 * every attempt, and a delivery whose node died mid-attempt is taken up again a minute later.
 * A round's attempts are recorded together when the round ends, in one transaction (on the embedded
 * database every commit writes to disk): a node that dies mid-round sends that round's again.
 *
 * <p>At most {@code notify.concurrency} attempts at once, and {@code notify.per-merchant} to one
 * merchant: a round's claims are grouped by merchant, and each merchant's are attempted one after
 * another in up to {@code per-merchant} lanes, so a merchant with a backlog gets {@code per-merchant}
 * attempts at a time all round long. A lane starts no attempt once the round has run
 * {@code notify.timeout}: what is left goes back, due at once, without an attempt counted, so one
 * slow receiver holds a round (and everyone's next claims) at most about twice the timeout.
 */
public final class Deliverer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Deliverer.class);
    /** How much of an answer is read: "SUCCESS" with some whitespace, and the 256 bytes the attempt log keeps. */
    static final int MAX_ANSWER_BYTES = 1024;
    static final Duration HOLD = Duration.ofMinutes(1);
    static final Duration BUSY_WAIT = Duration.ofSeconds(1);
    /** How often delivered notifications past {@code notify.retention} are pruned. */
    static final Duration PRUNE_EVERY = Duration.ofHours(1);
    /** A pruning run deletes this many per transaction, and at most {@link #PRUNE_BATCHES} transactions. */
    static final int PRUNE_BATCH = 500;
    static final int PRUNE_BATCHES = 20;
    /** When a run met its bound, the next comes this soon: a backlog is worked off without one long run. */
    static final Duration PRUNE_AGAIN = Duration.ofMinutes(1);
    /**
     * How often the gauges are read from the database at most: rounds follow one another at once
     * while a backlog lasts, and counting a large backlog at every one would cost more than the
     * deliveries.
     */
    static final Duration GAUGES_EVERY = Duration.ofSeconds(5);
    /**
     * The gauges' read waits at least this many times as long as the last one took, up to
     * {@link #GAUGES_AT_LEAST_EVERY}: the oldest undelivered notification's age is a minimum over
     * every waiting row, so its read grows with the backlog (0.3-0.5 s for 175,000 rows on H2, each
     * row fetched, 2026-12-07; the page cache the writes need thrown out with them). At a hundred
     * times its length it takes at most 1 % of the time of reads up to 3 s; a longer one runs every
     * 5 minutes. The read is timed on the injected clock (as the tests drive it): a step of the
     * system clock during a read stretches or shortens one interval, within these bounds.
     */
    static final int GAUGES_COST_FACTOR = 100;
    /** However long the gauges' read takes, the next is due no later than this after it began (read at a round's start). */
    static final Duration GAUGES_AT_LEAST_EVERY = Duration.ofMinutes(5);
    private static final long NONE_WAITING = Long.MIN_VALUE;

    private final NotifyStore store;
    private final MerchantDirectory merchants;
    private final NotifySettings settings;
    private final AddressGuard guard;
    private final OrderFields orderFields;
    private final ZoneId zone;
    private final Clock clock;
    private final HttpClient http;
    private final ExecutorService workers;
    private final Map<String, Semaphore> perMerchant = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final AtomicLong waiting = new AtomicLong();
    /**
     * When the oldest waiting notification was created, as the last read found it ({@link #NONE_WAITING}
     * when none was): its age is taken when the gauge is scraped, so that it goes on growing between
     * reads that a large backlog spaces out (it may then count a notification delivered since).
     */
    private final AtomicLong oldestCreatedMillis = new AtomicLong(NONE_WAITING);
    private final AtomicLong givenUp = new AtomicLong();
    private ScheduledExecutorService timer;
    /** When pruning is due next; only the round's thread reads and writes it. */
    private Instant nextPrune;
    /** When the gauges are read next; the round's thread only. */
    private Instant nextGauges;

    public Deliverer(io.leopard.server.store.Database database, MerchantDirectory merchants, NotifySettings settings, ZoneId zone,
                     Clock clock, MeterRegistry registry) {
        this.store = new NotifyStore(database);
        this.merchants = merchants;
        this.settings = settings;
        this.guard = new AddressGuard(settings.allowPrivateNetworks());
        this.orderFields = new OrderFields(zone);
        this.zone = zone;
        this.clock = clock;
        this.registry = registry;
        // the client's own tasks run where they arise (its selector thread, or the lane that sends):
        // its default executor hands every step of an exchange to a pool thread, a quarter of a
        // delivery's CPU (N1: 750 -> 560 µs per notification). Safe while nothing here blocks in them:
        // the answer is taken by FirstBytes, which only copies what arrives, and no handler waits
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.connectTimeout()).executor(Runnable::run).build();
        this.workers = Executors.newFixedThreadPool(settings.concurrency(),
                Thread.ofPlatform().daemon().name("leopard-notify-", 1).factory());
        Gauge.builder("leopard.notify.waiting", waiting, AtomicLong::get)
                .description("Notifications not delivered yet (and not given up)").register(registry);
        Gauge.builder("leopard.notify.oldest.undelivered.age", oldestCreatedMillis, this::oldestAgeSeconds).baseUnit("seconds")
                .description("Age of the oldest notification not delivered yet").register(registry);
        Gauge.builder("leopard.notify.given.up", givenUp, AtomicLong::get)
                .description("Notifications given up after the last retry, kept until resent (the database's, all nodes)")
                .register(registry);
    }

    /** Delivers every second from now on, on a daemon thread. */
    public Deliverer start() {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("leopard-notifier").factory());
        timer.scheduleWithFixedDelay(this::roundQuietly, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    private void roundQuietly() {
        try {
            while (round() == batchSize() && !Thread.currentThread().isInterrupted()) {
                // a full batch: more may be due at once
            }
        } catch (StoreException e) {
            LOG.warn("notification round skipped: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("notification round failed", e);
        }
    }

    private double oldestAgeSeconds(AtomicLong createdMillis) {
        long created = createdMillis.get();
        return created == NONE_WAITING ? 0 : Math.max(0, clock.millis() - created) / 1000.0;
    }

    /** How long after a gauges' read that took {@code took} the next one comes. */
    static Duration gaugesInterval(Duration took) {
        Duration bounded = took.multipliedBy(GAUGES_COST_FACTOR);
        if (bounded.compareTo(GAUGES_EVERY) < 0) {
            return GAUGES_EVERY;
        }
        return bounded.compareTo(GAUGES_AT_LEAST_EVERY) > 0 ? GAUGES_AT_LEAST_EVERY : bounded;
    }

    private int batchSize() {
        return settings.concurrency() * 4;
    }

    /** One round: claims what is due and attempts it, waiting until every attempt is done; how many were claimed. */
    int round() {
        Instant now = clock.instant();
        if (nextGauges == null || !now.isBefore(nextGauges)) {
            try {
                NotifyStore.Backlog backlog = store.backlog();
                waiting.set(backlog.waiting());
                oldestCreatedMillis.set(backlog.oldest() == null ? NONE_WAITING : backlog.oldest().toEpochMilli());
                givenUp.set(backlog.givenUp());
            } finally {
                // a read that failed, however late, is not tried again sooner than one that worked
                nextGauges = now.plus(gaugesInterval(Duration.between(now, clock.instant())));
            }
        }
        pruneIfDue(now);
        List<NotifyStore.Due> due = store.claimDue(now, batchSize(), now.plus(HOLD));
        Map<String, Queue<NotifyStore.Due>> byMerchant = new LinkedHashMap<>();
        for (NotifyStore.Due d : due) { // earliest due first, within each merchant too
            byMerchant.computeIfAbsent(d.mid(), m -> new ConcurrentLinkedQueue<>()).add(d);
        }
        long startsUntil = System.nanoTime() + settings.timeout().toNanos();
        Queue<NotifyStore.Outcome> outcomes = new ConcurrentLinkedQueue<>();
        List<Future<?>> running = new ArrayList<>(due.size());
        for (Queue<NotifyStore.Due> queue : byMerchant.values()) {
            for (int lane = Math.min(settings.perMerchant(), queue.size()); lane > 0; lane--) {
                running.add(workers.submit(() -> lane(queue, startsUntil, outcomes)));
            }
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException e) {
                LOG.error("a notification attempt failed", e.getCause());
            }
        }
        record(List.copyOf(outcomes));
        return due.size();
    }

    /**
     * Records a round's attempts and put-backs in one transaction, then counts them. When that
     * fails, the deliveries stay held and are taken up again after {@link #HOLD}: an attempt that
     * was delivered is then sent again (at least once).
     */
    private void record(List<NotifyStore.Outcome> outcomes) {
        try {
            store.record(outcomes);
        } catch (StoreException e) {
            LOG.warn("{} notification attempts could not be recorded, taken up again in {} s: {}", outcomes.size(),
                    HOLD.toSeconds(), e.getMessage());
            return;
        }
        for (NotifyStore.Outcome o : outcomes) {
            if (o.attempt() != null) {
                count(o.doneAt() == null ? "failed" : o.delivered() ? "delivered" : "gave_up");
            }
        }
    }

    /**
     * Deletes delivered notifications older than {@code notify.retention}, at most once an hour (and
     * first a round after start), in bounded batches so that no transaction holds many rows; a
     * failure is logged and tried again at the next hour, without keeping deliveries waiting.
     */
    void pruneIfDue(Instant now) {
        if (nextPrune != null && now.isBefore(nextPrune)) {
            return;
        }
        nextPrune = now.plus(PRUNE_EVERY);
        Instant before = now.minus(settings.retention());
        int total = 0;
        try {
            for (int i = 0; i < PRUNE_BATCHES; i++) {
                int deleted = store.prune(before, PRUNE_BATCH);
                total += deleted;
                if (deleted < PRUNE_BATCH) {
                    break;
                }
                if (i == PRUNE_BATCHES - 1) {
                    nextPrune = now.plus(PRUNE_AGAIN);
                }
            }
        } catch (StoreException e) {
            LOG.warn("notification pruning skipped until {}: {}", nextPrune, e.getMessage());
        }
        if (total > 0) {
            LOG.info("pruned {} notifications delivered before {} (notify.retention {})", total, before, settings.retention());
        }
    }

    /**
     * Attempts one merchant's claims one after another until none is left; once {@code startsUntil}
     * has passed, puts the rest back, due now, without an attempt counted (the next round claims them).
     */
    private void lane(Queue<NotifyStore.Due> queue, long startsUntil, Queue<NotifyStore.Outcome> outcomes) {
        for (NotifyStore.Due d = queue.poll(); d != null; d = queue.poll()) {
            if (System.nanoTime() - startsUntil < 0 && !Thread.currentThread().isInterrupted()) {
                deliverQuietly(d, outcomes);
            } else {
                outcomes.add(new NotifyStore.Outcome(d, null, false, null, clock.instant()));
            }
        }
    }

    private void deliverQuietly(NotifyStore.Due due, Queue<NotifyStore.Outcome> outcomes) {
        try {
            deliver(due, outcomes);
        } catch (StoreException e) {
            LOG.warn("notification {} could not be attempted, taken up again in {} s: {}", due.eventId(), HOLD.toSeconds(),
                    e.getMessage());
        }
    }

    /** One attempt of {@code due}; what it came to goes to {@code outcomes}, recorded with the round's others. */
    private void deliver(NotifyStore.Due due, Queue<NotifyStore.Outcome> outcomes) {
        Semaphore slots = perMerchant.computeIfAbsent(due.mid(), m -> new Semaphore(settings.perMerchant()));
        if (!slots.tryAcquire()) {
            outcomes.add(new NotifyStore.Outcome(due, null, false, null, clock.instant().plus(BUSY_WAIT)));
            return;
        }
        try {
            outcomes.add(attempt(due));
        } finally {
            slots.release();
        }
    }

    private NotifyStore.Outcome attempt(NotifyStore.Due due) {
        Instant start = clock.instant();
        long startNanos = System.nanoTime();
        Optional<NotificationEvent> event = store.event(due.flowNo(), due.version());
        Optional<Merchant> merchant = merchants.find(due.mid());
        if (event.isEmpty() || merchant.isEmpty()) {
            return finish(due, start, startNanos, new Result(null, "the order or its merchant is gone", null, false));
        }
        Result result;
        URI url;
        try {
            url = URI.create(due.url());
        } catch (IllegalArgumentException e) {
            // checked when set, but a row written otherwise must fail its attempts, not stay held for ever
            return finish(due, start, startNanos, new Result(null, "the notify URL is not a valid URL", null, false));
        }
        String refusal = guard.refusal(url);
        if (refusal != null) {
            result = new Result(null, "refused: " + refusal, null, false);
        } else {
            Map<String, String> form = event.get().signedForm(orderFields, zone, merchant.get().key(), noise(), start);
            result = post(url, FormCodec.encode(form));
        }
        return finish(due, start, startNanos, result);
    }

    /** What the attempt leads to: delivered, given up after the last retry, or due again after the next wait. */
    private NotifyStore.Outcome finish(NotifyStore.Due due, Instant start, long startNanos, Result r) {
        long latency = (System.nanoTime() - startNanos) / 1_000_000;
        NotifyStore.Attempt recorded = new NotifyStore.Attempt(start, r.status, r.error, latency, r.answer);
        int attempt = due.attempts() + 1;
        if (r.delivered) {
            return new NotifyStore.Outcome(due, recorded, true, clock.instant(), null);
        }
        if (attempt > settings.retries().size()) {
            LOG.warn("notification {} to merchant {} given up after {} attempts; last: {}", due.eventId(), due.mid(), attempt,
                    r.describe());
            return new NotifyStore.Outcome(due, recorded, false, clock.instant(), null);
        }
        Duration wait = settings.retries().get(attempt - 1);
        LOG.info("notification {} to merchant {} attempt {} failed ({}); next in {}", due.eventId(), due.mid(), attempt,
                r.describe(), wait);
        return new NotifyStore.Outcome(due, recorded, false, null, clock.instant().plus(wait));
    }

    /** What one POST came to. */
    private record Result(Integer status, String error, String answer, boolean delivered) {
        String describe() {
            return error != null ? error : "HTTP " + status + (answer == null ? "" : ", answer \"" + answer + "\"");
        }
    }

    private Result post(URI url, String body) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(settings.timeout())
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .header("User-Agent", "Leopard-Notify")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(request, info -> new FirstBytes(MAX_ANSWER_BYTES));
        try {
            // the whole exchange, answer included, within the timeout: a receiver that trickles is cut off too
            HttpResponse<byte[]> response = call.get(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
            String answer = new String(response.body(), StandardCharsets.UTF_8);
            boolean delivered = response.statusCode() == 200 && "SUCCESS".equals(answer.trim().toUpperCase(Locale.ROOT));
            return new Result(response.statusCode(), null, printable(answer), delivered);
        } catch (TimeoutException e) {
            call.cancel(true);
            return new Result(null, "no whole answer within " + settings.timeout().toMillis() + " ms", null, false);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return new Result(null, "interrupted", null, false);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof java.net.http.HttpTimeoutException && !(cause instanceof java.net.http.HttpConnectTimeoutException)) {
                // the request's own timeout (the same length) won the race against the one above: the same failure
                return new Result(null, "no whole answer within " + settings.timeout().toMillis() + " ms", null, false);
            }
            return new Result(null, cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()),
                    null, false);
        }
    }

    /** The first {@code limit} bytes of an answer; the rest is never read (the exchange is cancelled). */
    private static final class FirstBytes implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private final int limit;
        private java.util.concurrent.Flow.Subscription subscription;

        FirstBytes(int limit) {
            this.limit = limit;
        }

        @Override
        public java.util.concurrent.CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<java.nio.ByteBuffer> items) {
            for (java.nio.ByteBuffer b : items) {
                int take = Math.min(b.remaining(), limit - bytes.size());
                byte[] chunk = new byte[take];
                b.get(chunk);
                bytes.write(chunk, 0, take);
                if (bytes.size() >= limit) {
                    subscription.cancel();
                    result.complete(bytes.toByteArray());
                    return;
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }

    /** At most 256 characters, control characters as {@code ?}: the merchant's words are not trusted. */
    private static String printable(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 256));
        for (int i = 0; i < s.length() && out.length() < 256; i++) {
            char ch = s.charAt(i);
            out.append(ch < 0x20 || ch == 0x7F ? '?' : ch);
        }
        return out.toString();
    }

    private String noise() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, o -> Counter.builder("leopard.notify.deliveries").tag("outcome", o)
                .description("Notification attempts by outcome: delivered, failed (tried again), gave_up").register(registry))
                .increment();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        workers.shutdownNow();
    }
}
