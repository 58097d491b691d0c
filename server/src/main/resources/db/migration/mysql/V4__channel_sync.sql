-- Channel sync. A merchant's credentials for a channel (wechat, alipay, sandbox) are one JSON
-- object encrypted under the master key (AES-GCM, bound to "channel:<mid>/<channel>"), as merchant
-- keys are; they are never returned by any API.
CREATE TABLE merchant_channels (
    mid        VARCHAR(15)    NOT NULL,
    channel    VARCHAR(16)    NOT NULL,
    secret_enc MEDIUMTEXT     NOT NULL,
    updated_at DATETIME(0)    NOT NULL,
    PRIMARY KEY (mid, channel)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Sync state of an order, in epoch milliseconds (a lease of 2 s needs better than seconds):
-- synced_at: when a channel last confirmed the state; sync_due_at: when the background sweeper is
-- to ask next (NULL: never, which every non-pending order is); sync_attempts: how often it asked;
-- sync_lease_until/by: a node asking the channel now, so that the others do not ask too.
ALTER TABLE orders ADD COLUMN synced_at BIGINT;
ALTER TABLE orders ADD COLUMN sync_due_at BIGINT;
ALTER TABLE orders ADD COLUMN sync_attempts INT DEFAULT 0 NOT NULL;
ALTER TABLE orders ADD COLUMN sync_lease_until BIGINT;
ALTER TABLE orders ADD COLUMN sync_lease_by VARCHAR(64);
CREATE INDEX orders_sync_due ON orders (sync_due_at);

-- What a channel said that the platform could not apply (paid after close, amount mismatch...):
-- recorded for the operators, never silently dropped.
CREATE TABLE sync_alerts (
    alert_id  BIGINT AUTO_INCREMENT PRIMARY KEY,
    flow_no   VARCHAR(32)  NOT NULL,
    mid       VARCHAR(15)  NOT NULL,
    order_no  VARCHAR(32)  NOT NULL,
    channel   VARCHAR(16)  NOT NULL,
    kind      VARCHAR(32)  NOT NULL,
    detail    VARCHAR(500) NOT NULL,
    raised_at DATETIME(0)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX sync_alerts_raised ON sync_alerts (raised_at);
