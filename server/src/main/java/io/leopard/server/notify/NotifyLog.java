package io.leopard.server.notify;

import io.leopard.protocol.OrderState;
import io.leopard.protocol.ParamRules;
import io.leopard.server.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What operators see of the notifications and can do with them: an order's deliveries with every
 * attempt, a merchant's latest (or failing) deliveries with their last attempt, and resend. Never
 * a merchant key; an attempt's answer is the first 256 characters the receiver sent, as stored.
 */
public final class NotifyLog {
    /** The most deliveries one listing shows. */
    public static final int MAX_LIMIT = 1000;
    private static final String COLUMNS = "d.flow_no, d.version, d.mid, ch.order_no, ch.to_state, d.url, d.state, d.attempts,"
            + " d.due_at, d.created_at, d.done_at";

    private final Database database;

    public NotifyLog(Database database) {
        this.database = database;
    }

    /** One attempt: when, the HTTP status or the error, how long, the start of the answer. */
    public record Attempt(Instant at, Integer httpStatus, String error, long latencyMs, String answer) {
    }

    /**
     * One delivery: the event it tells of ({@code status}, the order's state after the change), where
     * it goes, its state ({@code PENDING}, {@code DELIVERED}, {@code GAVE_UP}), the attempts counted
     * against the schedule, the next attempt ({@code null} once done) and its attempts, oldest first.
     */
    public record Delivery(String eventId, String mid, String orderNo, OrderState status, String url, String state, int attempts,
                           Instant nextAttemptAt, Instant createdAt, Instant doneAt, List<Attempt> log) {
    }

    /** An event id's parts: {@code <flowNo>-<version>}. */
    public record EventId(String flowNo, long version) {
        @Override
        public String toString() {
            return NotificationEvent.eventId(flowNo, version);
        }
    }

    /**
     * The event id {@code text} names, or {@code null} when it is not one: a flow number (1 to 32 of
     * letters, digits, {@code _ -}), a dash and a version from 1 up. The last dash is the separator,
     * since a flow number may hold dashes itself.
     */
    public static EventId parseEventId(String text) {
        int dash = text == null ? -1 : text.lastIndexOf('-');
        if (dash < 1 || dash == text.length() - 1 || text.length() - dash - 1 > 18) {
            return null;
        }
        String flowNo = text.substring(0, dash);
        String version = text.substring(dash + 1);
        if (!ParamRules.isNoise(flowNo) || !version.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return null;
        }
        long v = Long.parseLong(version);
        return v < 1 ? null : new EventId(flowNo, v);
    }

    /** The order's deliveries, newest event first, each with its whole log; empty when there is no such order. */
    public Optional<List<Delivery>> ofOrder(String mid, String orderNo) {
        try (Connection c = database.connection()) {
            String flowNo;
            try (PreparedStatement ps = database.prepare(c, "SELECT flow_no FROM orders WHERE mid = ? AND order_no = ?")) {
                ps.setString(1, mid);
                ps.setString(2, orderNo);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    flowNo = rs.getString(1);
                }
            }
            List<Delivery> found;
            try (PreparedStatement ps = database.prepare(c, "SELECT " + COLUMNS + " FROM notify_deliveries d"
                    + " JOIN order_changes ch ON ch.flow_no = d.flow_no AND ch.version = d.version"
                    + " WHERE d.flow_no = ? ORDER BY d.version DESC")) {
                ps.setString(1, flowNo);
                found = deliveries(ps);
            }
            // one order's attempts: a few dozen rows at most, read at once
            Map<String, List<Attempt>> logs = new LinkedHashMap<>();
            try (PreparedStatement ps = database.prepare(c, "SELECT version, attempted_at, http_status, error, latency_ms, answer"
                    + " FROM notify_attempts WHERE flow_no = ? ORDER BY attempt_id")) {
                ps.setString(1, flowNo);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        logs.computeIfAbsent(NotificationEvent.eventId(flowNo, rs.getLong(1)), k -> new ArrayList<>())
                                .add(attempt(rs, 2));
                    }
                }
            }
            return Optional.of(found.stream().map(d -> withLog(d, logs.getOrDefault(d.eventId(), List.of()))).toList());
        } catch (SQLException e) {
            throw database.failure("notifications of order " + orderNo + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * The merchant's latest {@code limit} deliveries, newest event first, each with its last attempt
     * only; {@code failing}: only those whose last attempt failed (given up, or waiting for a retry).
     * The merchant's changes are walked newest first (index {@code order_changes_mid}) and each
     * joined to its delivery by key: deliveries keep no index of their own by merchant, since every
     * notified write would pay for it (migration V7). Their last attempts are read after.
     */
    public List<Delivery> ofMerchant(String mid, boolean failing, int limit) {
        String sql = "SELECT " + COLUMNS + " FROM order_changes ch"
                + " JOIN notify_deliveries d ON d.flow_no = ch.flow_no AND d.version = ch.version"
                + " WHERE ch.mid = ?" + (failing ? " AND (d.state = 'GAVE_UP' OR (d.state = 'PENDING' AND d.attempts > 0))" : "")
                // mid named too: H2 reads the index in order, backwards, only when the ORDER BY names it
                + " ORDER BY ch.mid DESC, ch.change_id DESC LIMIT ?";
        try (Connection c = database.connection()) {
            List<Delivery> found;
            try (PreparedStatement ps = database.prepare(c, sql)) {
                ps.setString(1, mid);
                ps.setInt(2, Math.max(1, Math.min(MAX_LIMIT, limit)));
                found = deliveries(ps);
            }
            Map<String, Attempt> last = lastAttempts(c, found.stream().map(d -> flowNo(d.eventId())).distinct().toList());
            return found.stream().map(d -> withLog(d, last.containsKey(d.eventId()) ? List.of(last.get(d.eventId())) : List.of()))
                    .toList();
        } catch (SQLException e) {
            throw database.failure("notifications of merchant " + mid + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The last attempt of every event of these orders, by event id; the IN list at most {@value #MAX_LIMIT} long. */
    private Map<String, Attempt> lastAttempts(Connection c, List<String> flowNos) throws SQLException {
        Map<String, Attempt> out = new LinkedHashMap<>();
        if (flowNos.isEmpty()) {
            return out;
        }
        String marks = String.join(", ", java.util.Collections.nCopies(flowNos.size(), "?"));
        try (PreparedStatement ps = database.prepare(c, "SELECT flow_no, version, attempted_at, http_status, error, latency_ms,"
                + " answer FROM notify_attempts WHERE attempt_id IN (SELECT MAX(attempt_id) FROM notify_attempts"
                + " WHERE flow_no IN (" + marks + ") GROUP BY flow_no, version)")) {
            for (int i = 0; i < flowNos.size(); i++) {
                ps.setString(i + 1, flowNos.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(NotificationEvent.eventId(rs.getString(1), rs.getLong(2)), attempt(rs, 3));
                }
            }
        }
        return out;
    }

    private static String flowNo(String eventId) {
        return eventId.substring(0, eventId.lastIndexOf('-'));
    }

    /** What a resend came to: the delivery, or why there is none. */
    public sealed interface Resent {
        record Done(Delivery delivery) implements Resent {
        }

        /** No change has this event id. */
        record UnknownEvent() implements Resent {
        }

        /** The event's merchant has no notify URL (or the order's merchant is gone). */
        record NoUrl(String mid) implements Resent {
        }

        /** A change merchants are not told of: the order created pending, or a trade number filled in while pending. */
        record NotNotified() implements Resent {
        }
    }

    /**
     * Puts the event's delivery back to PENDING, due at {@code now}, to the order's own notify URL
     * if it has one, else the merchant's current one (a URL fixed after the failures is the one tried), with its attempts back to 0 so
     * that the whole retry schedule applies again; its earlier attempts stay in the log. A
     * delivered one is sent again; an event that never had a delivery (no URL then) gets one.
     */
    public Resent resend(EventId id, Instant now) {
        try (Connection c = database.connection()) {
            String mid;
            String url;
            // the order's own URL first (a live write may have given one), else its merchant's as it is now
            try (PreparedStatement ps = database.prepare(c, "SELECT ch.mid, COALESCE(o.notify_url, m.notify_url), ch.from_state,"
                    + " ch.to_state FROM order_changes ch LEFT JOIN merchants m ON m.mid = ch.mid"
                    + " LEFT JOIN orders o ON o.flow_no = ch.flow_no WHERE ch.flow_no = ? AND ch.version = ?")) {
                ps.setString(1, id.flowNo());
                ps.setLong(2, id.version());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return new Resent.UnknownEvent();
                    }
                    mid = rs.getString(1).trim();
                    url = rs.getString(2);
                    // as OrderRows.notifies decides which changes get a delivery
                    String to = rs.getString(4);
                    if (OrderState.INIT.name().equals(to) || to.equals(rs.getString(3))) {
                        return new Resent.NotNotified();
                    }
                }
            }
            if (url == null) {
                return new Resent.NoUrl(mid);
            }
            int updated;
            try (PreparedStatement ps = database.prepare(c, "UPDATE notify_deliveries SET state = 'PENDING', attempts = 0,"
                    + " due_at = ?, done_at = NULL, url = ? WHERE flow_no = ? AND version = ?")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, url);
                ps.setString(3, id.flowNo());
                ps.setLong(4, id.version());
                updated = ps.executeUpdate();
            }
            if (updated == 0) {
                insert(c, id, mid, url, now);
            }
            try (PreparedStatement ps = database.prepare(c, "SELECT " + COLUMNS + " FROM notify_deliveries d"
                    + " JOIN order_changes ch ON ch.flow_no = d.flow_no AND ch.version = d.version"
                    + " WHERE d.flow_no = ? AND d.version = ?")) {
                ps.setString(1, id.flowNo());
                ps.setLong(2, id.version());
                List<Delivery> found = deliveries(ps);
                return new Resent.Done(found.get(0));
            }
        } catch (SQLException e) {
            throw database.failure("notification " + id + " cannot be resent: " + e.getMessage(), e);
        }
    }

    private void insert(Connection c, EventId id, String mid, String url, Instant now) throws SQLException {
        try (PreparedStatement ps = database.prepare(c, "INSERT INTO notify_deliveries (flow_no, version, mid, url, state, attempts,"
                + " due_at, created_at) VALUES (?, ?, ?, ?, 'PENDING', 0, ?, ?)")) {
            ps.setString(1, id.flowNo());
            ps.setLong(2, id.version());
            ps.setString(3, mid);
            ps.setString(4, url);
            ps.setLong(5, now.toEpochMilli());
            ps.setObject(6, NotifyStore.utc(now));
            ps.executeUpdate();
        } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                throw e;
            }
            // a change's own delivery committed meanwhile: it is pending and due already
        }
    }

    private static List<Delivery> deliveries(PreparedStatement ps) throws SQLException {
        List<Delivery> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(delivery(rs));
            }
        }
        return out;
    }

    /** A delivery from the first 11 columns, {@link #COLUMNS}, without its log. */
    private static Delivery delivery(ResultSet rs) throws SQLException {
        String state = rs.getString(7);
        long due = rs.getLong(9);
        Instant next = rs.wasNull() || !"PENDING".equals(state) ? null : Instant.ofEpochMilli(due);
        return new Delivery(NotificationEvent.eventId(rs.getString(1), rs.getLong(2)), rs.getString(3).trim(), rs.getString(4),
                OrderState.fromName(rs.getString(5)), rs.getString(6), state, rs.getInt(8), next,
                NotifyStore.instant(rs.getObject(10, LocalDateTime.class)), NotifyStore.instant(rs.getObject(11, LocalDateTime.class)),
                List.of());
    }

    /** An attempt from five columns starting at {@code first}: at, status, error, latency, answer. */
    private static Attempt attempt(ResultSet rs, int first) throws SQLException {
        Integer status = rs.getObject(first + 1, Integer.class);
        return new Attempt(NotifyStore.instant(rs.getObject(first, LocalDateTime.class)), status, rs.getString(first + 2),
                rs.getLong(first + 3), rs.getString(first + 4));
    }

    private static Delivery withLog(Delivery d, List<Attempt> log) {
        return new Delivery(d.eventId(), d.mid(), d.orderNo(), d.status(), d.url(), d.state(), d.attempts(), d.nextAttemptAt(),
                d.createdAt(), d.doneAt(), List.copyOf(log));
    }
}
