-- The read model behind the admin order listing, the order statistics and the audit log. The outbox
-- lanes write it after their transactions commit; every write here is idempotent.

CREATE TABLE shop_orders
(
    id             bigint        NOT NULL PRIMARY KEY,
    order_number   text          NOT NULL,
    user_id        text          NOT NULL,
    status         text          NOT NULL,
    payment_status text          NOT NULL,
    total_amount   numeric(20,2) NOT NULL,
    total_items    integer       NOT NULL,
    created_at     timestamptz   NOT NULL,
    updated_at     timestamptz   NOT NULL,
    version        integer       NOT NULL
);

CREATE INDEX shop_orders_newest ON shop_orders (created_at DESC, id DESC);
CREATE INDEX shop_orders_by_status ON shop_orders (status, created_at DESC, id DESC);
CREATE INDEX shop_orders_by_user ON shop_orders (user_id, created_at DESC, id DESC);

-- Running totals per status, changed in the same transaction as the orders they count, so the
-- statistics and the listing totals never need to count millions of rows.
CREATE TABLE shop_order_totals
(
    status  text          NOT NULL PRIMARY KEY,
    orders  bigint        NOT NULL DEFAULT 0,
    revenue numeric(24,2) NOT NULL DEFAULT 0,
    units   bigint        NOT NULL DEFAULT 0
);

INSERT INTO shop_order_totals (status)
VALUES ('pending'), ('processing'), ('shipped'), ('delivered'), ('cancelled');

CREATE TABLE shop_audit
(
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    uuid        NOT NULL UNIQUE,
    action      text        NOT NULL,
    entity_type text        NOT NULL,
    entity_id   bigint      NOT NULL,
    details     text        NOT NULL,
    user_id     text        NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE INDEX shop_audit_newest ON shop_audit (created_at DESC, id DESC);
CREATE INDEX shop_audit_by_entity ON shop_audit (entity_type, entity_id, created_at DESC, id DESC);
CREATE INDEX shop_audit_by_action ON shop_audit (action, created_at DESC, id DESC);

-- Entry counts per (entity type, action), for the audit log's totals without counting every row.
CREATE TABLE shop_audit_totals
(
    entity_type text   NOT NULL,
    action      text   NOT NULL,
    entries     bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (entity_type, action)
);
