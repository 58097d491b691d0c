package io.leopard.server.notify;

import io.leopard.protocol.OrderState;
import io.leopard.server.order.Order;
import io.leopard.server.order.Scene;
import io.leopard.server.store.Database;
import io.leopard.server.store.DatabaseVendor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The notification tables (migrations V5 and V7): {@code notify_deliveries}, one row per notification to
 * deliver, written with its order change; {@code notify_attempts}, every attempt.
 */
final class NotifyStore {
    private final Database database;

    NotifyStore(Database database) {
        this.database = database;
    }

    /** A delivery claimed for an attempt. */
    record Due(String flowNo, long version, String mid, String url, int attempts) {
        String eventId() {
            return NotificationEvent.eventId(flowNo, version);
        }
    }

    /**
     * Claims up to {@code limit} deliveries due at {@code now}, earliest first, by moving their due
     * time to {@code holdUntil} (a node that dies mid-attempt leaves them to another then), in one
     * transaction. Nodes never claim the same one: {@code FOR UPDATE SKIP LOCKED} on PostgreSQL and
     * MariaDB, a compare-and-set of the due time on H2 (whose rows are taken in one order by all).
     */
    List<Due> claimDue(Instant now, int limit, Instant holdUntil) {
        String select = "SELECT flow_no, version, mid, url, attempts, due_at FROM notify_deliveries"
                // the index's own order, state included: H2 reads the index in order only when the
                // ORDER BY names it, and a tie-break the index cannot give makes MariaDB sort (and
                // lock) every due row before the LIMIT
                + " WHERE state = 'PENDING' AND due_at <= ? ORDER BY state, due_at LIMIT ?";
        boolean locking = database.vendor() != DatabaseVendor.H2;
        try (Connection c = database.connection()) {
            // one commit for the whole claim: on the embedded database every commit is a write to disk
            c.setAutoCommit(false);
            int isolation = c.getTransactionIsolation();
            boolean readCommitted = database.vendor() == DatabaseVendor.MARIADB
                    && isolation != Connection.TRANSACTION_READ_COMMITTED;
            if (readCommitted) {
                // MariaDB's REPEATABLE READ locks the gap after the rows read, where every claim's
                // update puts the rows it holds (later in notify_deliveries_state): two nodes' claims
                // then deadlock. READ COMMITTED locks the rows alone; SKIP LOCKED needs no more.
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
            try {
                List<Due> found = new ArrayList<>();
                List<Long> dues = new ArrayList<>();
                try (PreparedStatement ps = database.prepare(c, locking ? select + " FOR UPDATE SKIP LOCKED" : select)) {
                    ps.setLong(1, now.toEpochMilli());
                    ps.setInt(2, limit);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            found.add(new Due(rs.getString(1), rs.getLong(2), rs.getString(3).trim(), rs.getString(4), rs.getInt(5)));
                            dues.add(rs.getLong(6));
                        }
                    }
                }
                List<Due> claimed = new ArrayList<>();
                try (PreparedStatement ps = database.prepare(c,
                        "UPDATE notify_deliveries SET due_at = ? WHERE flow_no = ? AND version = ? AND due_at = ?")) {
                    for (int i = 0; i < found.size(); i++) {
                        ps.setLong(1, holdUntil.toEpochMilli());
                        ps.setString(2, found.get(i).flowNo());
                        ps.setLong(3, found.get(i).version());
                        ps.setLong(4, dues.get(i));
                        if (ps.executeUpdate() == 1) {
                            claimed.add(found.get(i));
                        }
                    }
                }
                c.commit();
                return claimed;
            } catch (SQLException e) {
                c.rollback();
                if (locking && Database.isDeadlock(e)) {
                    // should the database still pick this claim as a deadlock's victim, it was rolled
                    // back whole: it claims nothing this round, the other node has the deliveries
                    return List.of();
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
                if (readCommitted) {
                    c.setTransactionIsolation(isolation);
                }
            }
        } catch (SQLException e) {
            throw database.failure("notification claim failed: " + e.getMessage(), e);
        }
    }

    /** The change a delivery tells of, with the merchant's notify sign type; empty when the order is gone. */
    Optional<NotificationEvent> event(String flowNo, long version) {
        try (Connection c = database.connection();
             PreparedStatement ps = database.prepare(c, "SELECT o.mid, o.order_no, o.amount, o.pay_type, o.scene, o.order_time,"
                     + " ch.to_state, ch.trade_no, ch.pay_time, m.notify_sign_type, ch.change_id FROM order_changes ch"
                     + " JOIN orders o ON o.flow_no = ch.flow_no JOIN merchants m ON m.mid = o.mid"
                     + " WHERE ch.flow_no = ? AND ch.version = ?")) {
            ps.setString(1, flowNo);
            ps.setLong(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Order order = new Order(rs.getString(1).trim(), rs.getString(2), flowNo, rs.getString(8), rs.getBigDecimal(3),
                        rs.getString(4), Scene.fromName(rs.getString(5)), OrderState.fromName(rs.getString(7)),
                        instant(rs.getObject(6, LocalDateTime.class)), instant(rs.getObject(9, LocalDateTime.class)));
                return Optional.of(new NotificationEvent(order, version, rs.getString(10), rs.getLong(11)));
            }
        } catch (SQLException e) {
            throw database.failure("notification event " + flowNo + "-" + version + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** One attempt as recorded: when, the HTTP status or the error, how long, the start of the answer. */
    record Attempt(Instant at, Integer httpStatus, String error, long latencyMs, String answer) {
    }

    /**
     * What became of a claimed delivery: its {@code attempt} (none when it was put back without
     * one) and then done ({@code doneAt} set: delivered or given up, as {@code delivered} says) or
     * due again at {@code next}.
     */
    record Outcome(Due due, Attempt attempt, boolean delivered, Instant doneAt, Instant next) {
    }

    /**
     * Records outcomes, a round's, in one transaction: one commit for them all (on the embedded
     * database each commit writes the changed pages to disk, the deliverer's largest cost).
     */
    void record(List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = database.prepare(c, "INSERT INTO notify_attempts (flow_no, version, attempted_at,"
                         + " url, http_status, error, latency_ms, answer) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement done = database.prepare(c, "UPDATE notify_deliveries SET state = ?, attempts = attempts + 1,"
                         + " due_at = NULL, done_at = ? WHERE flow_no = ? AND version = ?");
                 PreparedStatement again = database.prepare(c,
                         "UPDATE notify_deliveries SET attempts = attempts + ?, due_at = ? WHERE flow_no = ? AND version = ?")) {
                boolean inserts = false;
                boolean dones = false;
                boolean agains = false;
                for (Outcome o : outcomes) {
                    Due due = o.due();
                    if (o.attempt() != null) {
                        bindAttempt(insert, due, o.attempt());
                        insert.addBatch();
                        inserts = true;
                    }
                    if (o.doneAt() != null) {
                        done.setString(1, o.delivered() ? "DELIVERED" : "GAVE_UP");
                        done.setObject(2, utc(o.doneAt()));
                        done.setString(3, due.flowNo());
                        done.setLong(4, due.version());
                        done.addBatch();
                        dones = true;
                    } else {
                        again.setInt(1, o.attempt() != null ? 1 : 0);
                        again.setLong(2, o.next().toEpochMilli());
                        again.setString(3, due.flowNo());
                        again.setLong(4, due.version());
                        again.addBatch();
                        agains = true;
                    }
                }
                if (inserts) {
                    insert.executeBatch();
                }
                if (dones) {
                    done.executeBatch();
                }
                if (agains) {
                    again.executeBatch();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw database.failure(outcomes.size() + " notification attempts cannot be recorded: " + e.getMessage(), e);
        }
    }

    private static void bindAttempt(PreparedStatement ps, Due due, Attempt a) throws SQLException {
        ps.setString(1, due.flowNo());
        ps.setLong(2, due.version());
        ps.setObject(3, utc(a.at()));
        ps.setString(4, due.url());
        if (a.httpStatus() == null) {
            ps.setNull(5, Types.INTEGER);
        } else {
            ps.setInt(5, a.httpStatus());
        }
        ps.setString(6, cut(a.error()));
        ps.setInt(7, (int) Math.min(Integer.MAX_VALUE, a.latencyMs()));
        ps.setString(8, cut(a.answer()));
    }

    /**
     * Deletes up to {@code limit} deliveries delivered before {@code before}, with their attempts, in
     * one transaction; how many. Given-up and pending ones are kept whatever their age: they are
     * what an operator looks for. A delivery resent meanwhile is pending again and not deleted.
     */
    int prune(Instant before, int limit) {
        try (Connection c = database.connection()) {
            List<String[]> keys = new ArrayList<>();
            try (PreparedStatement ps = database.prepare(c, "SELECT flow_no, version FROM notify_deliveries"
                    + " WHERE state = 'DELIVERED' AND due_at IS NULL AND done_at < ? LIMIT ?")) {
                ps.setObject(1, utc(before));
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(new String[] {rs.getString(1), Long.toString(rs.getLong(2))});
                    }
                }
            }
            if (keys.isEmpty()) {
                return 0;
            }
            c.setAutoCommit(false);
            try (PreparedStatement delivery = database.prepare(c, "DELETE FROM notify_deliveries WHERE flow_no = ? AND version = ?"
                    + " AND state = 'DELIVERED' AND done_at < ?");
                 PreparedStatement attempts = database.prepare(c, "DELETE FROM notify_attempts WHERE flow_no = ? AND version = ?")) {
                int deleted = 0;
                for (String[] k : keys) {
                    delivery.setString(1, k[0]);
                    delivery.setLong(2, Long.parseLong(k[1]));
                    delivery.setObject(3, utc(before));
                    if (delivery.executeUpdate() == 1) {
                        attempts.setString(1, k[0]);
                        attempts.setLong(2, Long.parseLong(k[1]));
                        attempts.executeUpdate();
                        deleted++;
                    }
                }
                c.commit();
                return deleted;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw database.failure("notification pruning failed: " + e.getMessage(), e);
        }
    }

    /**
     * Deliveries waiting, the creation time of the oldest ({@code null} when none), and how many are
     * given up (kept until resent), each counted in index {@code notify_deliveries_state}.
     */
    record Backlog(long waiting, Instant oldest, long givenUp) {
    }

    Backlog backlog() {
        try (Connection c = database.connection();
             PreparedStatement pending = database.prepare(c,
                     "SELECT COUNT(*), MIN(created_at) FROM notify_deliveries WHERE state = 'PENDING'");
             PreparedStatement gaveUp = database.prepare(c, "SELECT COUNT(*) FROM notify_deliveries WHERE state = 'GAVE_UP'")) {
            long waiting;
            Instant oldest;
            try (ResultSet rs = pending.executeQuery()) {
                rs.next();
                waiting = rs.getLong(1);
                oldest = instant(rs.getObject(2, LocalDateTime.class));
            }
            try (ResultSet rs = gaveUp.executeQuery()) {
                rs.next();
                return new Backlog(waiting, oldest, rs.getLong(1));
            }
        } catch (SQLException e) {
            throw database.failure("notification backlog query failed: " + e.getMessage(), e);
        }
    }

    private static String cut(String s) {
        return s == null || s.length() <= 256 ? s : s.substring(0, 256);
    }

    static LocalDateTime utc(Instant t) {
        return LocalDateTime.ofInstant(t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), ZoneOffset.UTC);
    }

    static Instant instant(LocalDateTime t) {
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }
}
