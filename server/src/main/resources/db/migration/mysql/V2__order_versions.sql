-- Live writes (internal API, order events): every order has a version, one more for each change,
-- and when it was created and last changed (NULL for orders stored before versions were kept).
-- order_changes records every accepted change; (flow_no, version) is unique, so two writers that
-- read the same version cannot both commit their change: the loser retries on what won.
ALTER TABLE orders ADD COLUMN version BIGINT DEFAULT 1 NOT NULL;
ALTER TABLE orders ADD COLUMN created_at DATETIME(0);
ALTER TABLE orders ADD COLUMN updated_at DATETIME(0);

CREATE TABLE order_changes (
    change_id  BIGINT AUTO_INCREMENT PRIMARY KEY,
    flow_no    VARCHAR(32)  NOT NULL,
    mid        VARCHAR(15)  NOT NULL,
    order_no   VARCHAR(32)  NOT NULL,
    version    BIGINT       NOT NULL,
    from_state VARCHAR(8),
    to_state   VARCHAR(8)   NOT NULL,
    source     VARCHAR(8)   NOT NULL,
    changed_at DATETIME(0)  NOT NULL,
    CONSTRAINT order_changes_flow_version UNIQUE (flow_no, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- a merchant's changes in order (the event feed and notifications read them so)
CREATE INDEX order_changes_mid ON order_changes (mid, change_id);
