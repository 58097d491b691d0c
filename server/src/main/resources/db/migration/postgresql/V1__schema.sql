-- Merchants and orders (PostgreSQL). Times are UTC instants stored as TIMESTAMP WITHOUT TIME ZONE;
-- the code always converts with ZoneOffset.UTC, never the JVM's default zone.
CREATE TABLE merchants (
    mid                 VARCHAR(15)      NOT NULL PRIMARY KEY,
    name                VARCHAR(128)  NOT NULL,
    enabled             BOOLEAN       NOT NULL,
    key_enc             VARCHAR(255)  NOT NULL,
    prev_key_enc        VARCHAR(255),
    prev_key_expires_at TIMESTAMP,
    rate_per_second     INT,
    rate_burst          INT,
    allow_list          VARCHAR(2000),
    version             BIGINT        NOT NULL,
    created_at          TIMESTAMP     NOT NULL,
    updated_at          TIMESTAMP     NOT NULL
);

CREATE TABLE orders (
    flow_no    VARCHAR(32)   NOT NULL PRIMARY KEY,
    mid        VARCHAR(15)      NOT NULL,
    order_no   VARCHAR(32)   NOT NULL,
    trade_no   VARCHAR(64),
    amount     DECIMAL(18,2) NOT NULL,
    pay_type   VARCHAR(16)   NOT NULL,
    scene      VARCHAR(16)   NOT NULL,
    state      VARCHAR(8)    NOT NULL,
    order_time TIMESTAMP     NOT NULL,
    pay_time   TIMESTAMP,
    -- serves single and batch lookups (mid = ? AND order_no IN (...))
    CONSTRAINT orders_mid_order_no UNIQUE (mid, order_no),
    CONSTRAINT orders_state CHECK (state IN ('INIT', 'SUCCESS', 'FAILED', 'CLOSED', 'REVOKED'))
);
