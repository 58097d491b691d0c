-- Merchants and orders (MariaDB/MySQL). Times are UTC instants stored as DATETIME(0): unlike
-- TIMESTAMP it is never shifted by the session time zone nor auto-updated. The code always
-- converts with ZoneOffset.UTC. Binary collation: order numbers and names compare exactly
-- (the default collation is case-insensitive, which would make "a1" and "A1" one order).
CREATE TABLE merchants (
    mid                 VARCHAR(15)      NOT NULL PRIMARY KEY,
    name                VARCHAR(128)  NOT NULL,
    enabled             BOOLEAN       NOT NULL,
    key_enc             VARCHAR(255)  NOT NULL,
    prev_key_enc        VARCHAR(255),
    prev_key_expires_at DATETIME(0),
    rate_per_second     INT,
    rate_burst          INT,
    allow_list          VARCHAR(2000),
    version             BIGINT        NOT NULL,
    created_at          DATETIME(0)   NOT NULL,
    updated_at          DATETIME(0)   NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE orders (
    flow_no    VARCHAR(32)   NOT NULL PRIMARY KEY,
    mid        VARCHAR(15)      NOT NULL,
    order_no   VARCHAR(32)   NOT NULL,
    trade_no   VARCHAR(64),
    amount     DECIMAL(18,2) NOT NULL,
    pay_type   VARCHAR(16)   NOT NULL,
    scene      VARCHAR(16)   NOT NULL,
    state      VARCHAR(8)    NOT NULL,
    order_time DATETIME(0)   NOT NULL,
    pay_time   DATETIME(0),
    -- serves single and batch lookups (mid = ? AND order_no IN (...))
    CONSTRAINT orders_mid_order_no UNIQUE (mid, order_no),
    CONSTRAINT orders_state CHECK (state IN ('INIT', 'SUCCESS', 'FAILED', 'CLOSED', 'REVOKED'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
