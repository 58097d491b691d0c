package io.leopard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.leopard.protocol.OrderState;
import io.leopard.protocol.ParamRules;
import io.leopard.server.internal.NotificationEndpoints;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.notify.NotifyLog;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code leopard notify …} does, on the database ({@link Local}) or through a running server's
 * internal listener ({@link Remote}); the command prints the same either way, and a refusal is an
 * exception with the same message.
 */
interface NotifyAdmin {
    /** The merchant's latest deliveries, newest first, each with its last attempt; {@code failed}: only failing ones. */
    List<NotifyLog.Delivery> list(String mid, boolean failed, int limit);

    /** The event's delivery, pending again and due now. */
    NotifyLog.Delivery resend(String eventId);

    private static IllegalArgumentException noMerchant(String mid) {
        return new IllegalArgumentException("no merchant " + ParamRules.printable(mid));
    }

    /** Checked before anything is asked, the same way on both sides; a bad id never reaches a URL. */
    private static NotifyLog.EventId eventId(String text) {
        NotifyLog.EventId id = NotifyLog.parseEventId(text);
        if (id == null) {
            throw new IllegalArgumentException(NotificationEndpoints.BAD_EVENT_ID);
        }
        return id;
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > NotifyLog.MAX_LIMIT) {
            throw new IllegalArgumentException(NotificationEndpoints.BAD_LIMIT);
        }
    }

    /** On the database: a server on it delivers what is resent within a second. */
    final class Local implements NotifyAdmin {
        private final NotifyLog log;
        private final MerchantStore merchants;

        Local(NotifyLog log, MerchantStore merchants) {
            this.log = log;
            this.merchants = merchants;
        }

        @Override
        public List<NotifyLog.Delivery> list(String mid, boolean failed, int limit) {
            checkLimit(limit);
            if (!ParamRules.isMid(mid) || !merchants.exists(mid)) {
                throw noMerchant(mid);
            }
            return log.ofMerchant(mid, failed, limit);
        }

        @Override
        public NotifyLog.Delivery resend(String eventId) {
            NotifyLog.EventId id = eventId(eventId);
            NotifyLog.Resent resent = log.resend(id, Clock.systemUTC().instant());
            if (resent instanceof NotifyLog.Resent.Done done) {
                return done.delivery();
            }
            throw new IllegalArgumentException(NotificationEndpoints.refusal(id, resent));
        }
    }

    /** Through {@code /internal/v1/…/notifications} of a running server. */
    final class Remote implements NotifyAdmin {
        private final InternalClient server;

        Remote(InternalClient server) {
            this.server = server;
        }

        @Override
        public List<NotifyLog.Delivery> list(String mid, boolean failed, int limit) {
            checkLimit(limit);
            if (!ParamRules.isMid(mid)) {
                throw noMerchant(mid);
            }
            List<NotifyLog.Delivery> out = new ArrayList<>();
            for (JsonNode d : server.get("/merchants/" + mid + "/notifications?failed=" + failed + "&limit=" + limit).path("notifications")) {
                out.add(delivery(d));
            }
            return out;
        }

        @Override
        public NotifyLog.Delivery resend(String eventId) {
            NotifyLog.EventId id = eventId(eventId);
            return delivery(server.send("POST", "/notifications/" + id + "/resend", null));
        }

        /** A delivery as {@link NotificationEndpoints} writes it. */
        static NotifyLog.Delivery delivery(JsonNode d) {
            List<NotifyLog.Attempt> log = new ArrayList<>();
            for (JsonNode a : d.path("log")) {
                log.add(new NotifyLog.Attempt(time(a.path("at")), a.path("httpStatus").isInt() ? a.path("httpStatus").asInt() : null,
                        a.path("error").asText(null), a.path("latencyMs").asLong(), a.path("answer").asText(null)));
            }
            return new NotifyLog.Delivery(d.path("eventId").asText(), d.path("mid").asText(), d.path("orderNo").asText(),
                    OrderState.fromName(d.path("status").asText(null)), d.path("url").asText(null),
                    d.path("state").asText("").toUpperCase(Locale.ROOT), d.path("attempts").asInt(), time(d.path("nextAttemptAt")),
                    time(d.path("createdAt")), time(d.path("doneAt")), List.copyOf(log));
        }

        private static Instant time(JsonNode n) {
            return n.isTextual() ? Instant.parse(n.asText()) : null;
        }
    }
}
