package io.leopard.server.sync;

import io.leopard.server.store.Database;
import io.leopard.server.store.DatabaseVendor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The sync columns of {@code orders} (epoch milliseconds, see migration V4): the per-order lease
 * that makes one node ask the channel per interval, the sweeper's schedule, and when a channel last
 * confirmed an order. None of this touches an order's fields or version: the order itself changes
 * only through {@code OrderWrites}.
 */
final class SyncStore {
    private final Database database;

    SyncStore(Database database) {
        this.database = database;
    }

    /** An order the sweeper claimed: its number and how often it was asked before. */
    record Due(String flowNo, int attempts) {
    }

    /**
     * Takes the order's lease until {@code until}, if it is pending and nobody (on any node) holds
     * an unexpired one. The lease is not released after the call: it is what keeps every node from
     * asking the channel about this order again before {@code until}, whatever the call's outcome.
     */
    boolean claimLease(String flowNo, Instant now, Instant until, String owner) {
        try (Connection c = database.connection();
             PreparedStatement ps = database.prepare(c, "UPDATE orders SET sync_lease_until = ?, sync_lease_by = ?"
                     + " WHERE flow_no = ? AND state = 'INIT' AND (sync_lease_until IS NULL OR sync_lease_until <= ?)")) {
            ps.setLong(1, until.toEpochMilli());
            ps.setString(2, owner);
            ps.setString(3, flowNo);
            ps.setLong(4, now.toEpochMilli());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw database.failure("sync lease of " + flowNo + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Records that the channel confirmed the order in {@code state} at {@code at}; nothing when the
     * order has moved on meanwhile (a confirmation is never signed for a state the channel did not say).
     */
    boolean confirmed(String flowNo, io.leopard.protocol.OrderState state, Instant at) {
        return confirmed(flowNo, state, at, null);
    }

    /**
     * As {@link #confirmed(String, io.leopard.protocol.OrderState, Instant)}, and in the same
     * statement, when {@code lease} is given and the confirmation is written, shortens the lease as
     * {@link #shortenLease} would: a query's call then costs two commits (claim, confirm) instead
     * of three. A confirmation that is not written (the order moved on) shortens nothing: the
     * caller shortens the lease itself then.
     */
    boolean confirmed(String flowNo, io.leopard.protocol.OrderState state, Instant at, LeaseEnd lease) {
        String sql = lease == null ? "UPDATE orders SET synced_at = ? WHERE flow_no = ? AND state = ?"
                : "UPDATE orders SET synced_at = ?, sync_lease_until = CASE WHEN sync_lease_by = ? AND sync_lease_until > ?"
                        + " THEN ? ELSE sync_lease_until END WHERE flow_no = ? AND state = ?";
        try (Connection c = database.connection();
             PreparedStatement ps = database.prepare(c, sql)) {
            int i = 1;
            ps.setLong(i++, at.toEpochMilli());
            if (lease != null) {
                ps.setString(i++, lease.owner());
                ps.setLong(i++, lease.until().toEpochMilli());
                ps.setLong(i++, lease.until().toEpochMilli());
            }
            ps.setString(i++, flowNo);
            ps.setString(i, state.name());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw database.failure("sync update of " + flowNo + " failed: " + e.getMessage(), e);
        }
    }

    /** A lease to shorten with a confirmation: {@code owner}'s, to {@code until} (see {@link #shortenLease}). */
    record LeaseEnd(String owner, Instant until) {
    }

    /**
     * Shortens this node's lease of the order to {@code until} once its calls are done: held for as
     * long as the calls might take, it is then only what {@code sync.min-interval} asks for.
     */
    void shortenLease(String flowNo, String owner, Instant until) {
        try (Connection c = database.connection();
             PreparedStatement ps = database.prepare(c, "UPDATE orders SET sync_lease_until = ?"
                     + " WHERE flow_no = ? AND sync_lease_by = ? AND sync_lease_until > ?")) {
            ps.setLong(1, until.toEpochMilli());
            ps.setString(2, flowNo);
            ps.setString(3, owner);
            ps.setLong(4, until.toEpochMilli());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw database.failure("sync lease of " + flowNo + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Takes the order's lease whoever holds it: the sweeper's at an order's expiry, which read-time
     * syncs (that never cancel) must not keep off for as long as a terminal polls.
     */
    boolean takeLease(String flowNo, Instant until, String owner) {
        try (Connection c = database.connection();
             PreparedStatement ps = database.prepare(c, "UPDATE orders SET sync_lease_until = ?, sync_lease_by = ?"
                     + " WHERE flow_no = ? AND state = 'INIT'")) {
            ps.setLong(1, until.toEpochMilli());
            ps.setString(2, owner);
            ps.setString(3, flowNo);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw database.failure("sync lease of " + flowNo + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Puts the order back on the sweeper's schedule at {@code due} after an attempt (counted when
     * {@code counted}); an order no longer pending leaves the schedule instead.
     */
    void reschedule(String flowNo, Instant due, boolean counted) {
        try (Connection c = database.connection();
             PreparedStatement ps = database.prepare(c, "UPDATE orders SET sync_due_at = CASE WHEN state = 'INIT' THEN ? ELSE NULL END,"
                     + " sync_attempts = sync_attempts + ? WHERE flow_no = ?")) {
            ps.setLong(1, due.toEpochMilli());
            ps.setInt(2, counted ? 1 : 0);
            ps.setString(3, flowNo);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw database.failure("sync schedule of " + flowNo + " failed: " + e.getMessage(), e);
        }
    }

    /** Takes the order off the sweeper's schedule (it is no longer pending, or closed locally). */
    void unschedule(String flowNo) {
        try (Connection c = database.connection();
             PreparedStatement ps = database.prepare(c, "UPDATE orders SET sync_due_at = NULL WHERE flow_no = ?")) {
            ps.setString(1, flowNo);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw database.failure("sync schedule of " + flowNo + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Claims up to {@code limit} pending orders due at {@code now}, earliest first, by moving their
     * due time to {@code holdUntil}: should this node die while working on them, another node takes
     * them up then. Several nodes never claim the same order: PostgreSQL and MariaDB skip rows
     * another transaction holds ({@code FOR UPDATE SKIP LOCKED}); on H2 each claim is a compare-and-set
     * of the due time, and the loser of a race simply does not get the order.
     */
    List<Due> claimDue(Instant now, int limit, Instant holdUntil) {
        String select = "SELECT flow_no, sync_attempts, sync_due_at FROM orders WHERE sync_due_at <= ? AND state = 'INIT'"
                + " ORDER BY sync_due_at LIMIT ?";
        boolean locking = database.vendor() != DatabaseVendor.H2;
        try (Connection c = database.connection()) {
            c.setAutoCommit(!locking);
            try {
                List<long[]> dues = new ArrayList<>();
                List<Due> found = new ArrayList<>();
                try (PreparedStatement ps = database.prepare(c, locking ? select + " FOR UPDATE SKIP LOCKED" : select)) {
                    ps.setLong(1, now.toEpochMilli());
                    ps.setInt(2, limit);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            found.add(new Due(rs.getString(1), rs.getInt(2)));
                            dues.add(new long[] {rs.getLong(3)});
                        }
                    }
                }
                List<Due> claimed = new ArrayList<>(found.size());
                try (PreparedStatement ps = database.prepare(c,
                        "UPDATE orders SET sync_due_at = ? WHERE flow_no = ? AND sync_due_at = ?")) {
                    for (int i = 0; i < found.size(); i++) {
                        ps.setLong(1, holdUntil.toEpochMilli());
                        ps.setString(2, found.get(i).flowNo());
                        ps.setLong(3, dues.get(i)[0]);
                        if (ps.executeUpdate() == 1) {
                            claimed.add(found.get(i));
                        }
                    }
                }
                if (locking) {
                    c.commit();
                }
                return claimed;
            } catch (SQLException e) {
                if (locking) {
                    c.rollback();
                    if (Database.isDeadlock(e)) {
                        // MariaDB: SKIP LOCKED skips a row another node's claim holds, but not always its
                        // entry in orders_sync_due, so two claims can deadlock in that index. The victim
                        // was rolled back: it claimed nothing this time, the other node has the orders.
                        return List.of();
                    }
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw database.failure("sweeper claim failed: " + e.getMessage(), e);
        }
    }

    /** The earliest due time of any pending order, {@code null} when none is scheduled. */
    Instant earliestDue() {
        try (Connection c = database.connection();
             PreparedStatement ps = database.prepare(c, "SELECT MIN(sync_due_at) FROM orders WHERE sync_due_at IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            long value = rs.getLong(1);
            return rs.wasNull() ? null : Instant.ofEpochMilli(value);
        } catch (SQLException e) {
            throw database.failure("sweeper lag query failed: " + e.getMessage(), e);
        }
    }
}
