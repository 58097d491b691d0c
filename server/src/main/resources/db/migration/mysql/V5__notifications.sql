-- Notifications (issue 14). Every state change an order makes is already one row of order_changes,
-- written in the same transaction as the change: that table is the outbox and the merchants' event
-- feed. An event's id is "<flowNo>-<version>". It now also keeps the order's trade number and pay
-- time as of the change, so a notification and the feed tell the order as it was then.
ALTER TABLE order_changes ADD COLUMN trade_no VARCHAR(64);
ALTER TABLE order_changes ADD COLUMN pay_time DATETIME(0);

-- Where a merchant's notifications go (NULL: none are sent; the feed still has them).
ALTER TABLE merchants ADD COLUMN notify_url VARCHAR(512);
ALTER TABLE merchants ADD COLUMN notify_sign_type VARCHAR(16);
-- An order's own notify URL, when the write that created or moved it gave one (it overrides the merchant's).
ALTER TABLE orders ADD COLUMN notify_url VARCHAR(512);

-- One row per notification to deliver, written with its change: a crash between the change and
-- the delivery loses nothing. due_at (epoch ms) is the next attempt; NULL once delivered or given up.
CREATE TABLE notify_deliveries (
    flow_no    VARCHAR(32)  NOT NULL,
    version    BIGINT       NOT NULL,
    mid        VARCHAR(15)  NOT NULL,
    url        VARCHAR(512) NOT NULL,
    state      VARCHAR(12)  NOT NULL,
    attempts   INT          DEFAULT 0 NOT NULL,
    due_at     BIGINT,
    created_at DATETIME(0)    NOT NULL,
    done_at    DATETIME(0),
    PRIMARY KEY (flow_no, version),
    CONSTRAINT notify_deliveries_state CHECK (state IN ('PENDING', 'DELIVERED', 'GAVE_UP'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX notify_deliveries_due ON notify_deliveries (due_at);
CREATE INDEX notify_deliveries_mid ON notify_deliveries (mid, state);
-- the hourly pruning of delivered notifications past notify.retention
CREATE INDEX notify_deliveries_done ON notify_deliveries (state, done_at);

-- Every attempt: when, the HTTP status or the error, how long, the first 256 bytes of the answer.
CREATE TABLE notify_attempts (
    attempt_id   BIGINT AUTO_INCREMENT PRIMARY KEY,
    flow_no      VARCHAR(32)  NOT NULL,
    version      BIGINT       NOT NULL,
    attempted_at DATETIME(0)    NOT NULL,
    url          VARCHAR(512) NOT NULL,
    http_status  INT,
    error        VARCHAR(256),
    latency_ms   INT          NOT NULL,
    answer       VARCHAR(256)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX notify_attempts_event ON notify_attempts (flow_no, version, attempt_id);
