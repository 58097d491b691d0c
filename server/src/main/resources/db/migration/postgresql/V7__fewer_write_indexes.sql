-- Fewer index entries per notification (issue 14: order writes with merchants notified). Every
-- move that notifies inserts one notify_deliveries row in the write's transaction, and V5 gave
-- that row four index entries: its primary key, due_at, (mid, state) and (state, done_at) (JFR:
-- inserting those rows was a tenth of a notified move's cost on H2, 2026-12-04). Besides the key,
-- one index now serves the deliverer's claim (state = 'PENDING' AND due_at <= now), the hourly
-- pruning (state = 'DELIVERED' AND due_at IS NULL AND done_at < cutoff: done rows have no due
-- time, so within a state they are in done_at order) and the backlog gauges (a state's count).
-- A merchant's listing walks order_changes_mid, newest change first, and joins its deliveries by
-- primary key.
DROP INDEX notify_deliveries_due;
DROP INDEX notify_deliveries_mid;
DROP INDEX notify_deliveries_done;
CREATE INDEX notify_deliveries_state ON notify_deliveries (state, due_at, done_at);
