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

-- H2 hands out identity values from a cache of 32, and every time the cache runs out it saves the
-- sequence in a commit of its own, which writes every page changed since the last save: an
-- orders:batch of 1,000 changes paid that about 31 times (JFR: 70 % of inserting its order_changes
-- rows, the largest single cost of a write). A cache of 10,000 pays it once per ten such batches.
-- A crash may skip up to 10,000 ids (a clean shutdown skips none); nothing counts on ids being
-- contiguous (the event feed orders by them and settles its window by time, EventFeed).
ALTER TABLE order_changes ALTER COLUMN change_id SET CACHE 10000;
ALTER TABLE notify_attempts ALTER COLUMN attempt_id SET CACHE 10000;
ALTER TABLE sync_alerts ALTER COLUMN alert_id SET CACHE 10000;
