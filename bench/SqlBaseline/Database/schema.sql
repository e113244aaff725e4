-- The SQL baseline's schema, applied at startup (idempotent). Stock is one column guarded by a
-- CHECK: a conditional UPDATE takes it, and the database refuses to let it go negative.
CREATE TABLE IF NOT EXISTS products (
    id          bigserial PRIMARY KEY,
    sku         text NOT NULL UNIQUE,
    name        text NOT NULL,
    price       numeric(12, 2) NOT NULL CHECK (price >= 0),
    attributes  jsonb NOT NULL DEFAULT '{}',
    stock       integer NOT NULL CHECK (stock >= 0),
    created_at  timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS addresses (
    id           bigserial PRIMARY KEY,
    user_id      text NOT NULL,
    full_name    text NOT NULL,
    line1        text NOT NULL,
    line2        text,
    city         text NOT NULL,
    postal_code  text NOT NULL,
    country      text NOT NULL,
    phone        text,
    created_at   timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS addresses_user ON addresses (user_id);

CREATE TABLE IF NOT EXISTS cart_items (
    user_id     text NOT NULL,
    product_id  bigint NOT NULL REFERENCES products (id),
    quantity    integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    PRIMARY KEY (user_id, product_id)
);

CREATE TABLE IF NOT EXISTS orders (
    id                bigserial PRIMARY KEY,
    order_number      text NOT NULL UNIQUE,
    user_id           text NOT NULL,
    status            text NOT NULL,
    payment_status    text NOT NULL,
    payment_method    text NOT NULL,
    subtotal          numeric(14, 2) NOT NULL,
    tax_amount        numeric(14, 2) NOT NULL,
    shipping_amount   numeric(14, 2) NOT NULL,
    discount_amount   numeric(14, 2) NOT NULL,
    total_amount      numeric(14, 2) NOT NULL,
    shipping_address  jsonb NOT NULL,
    billing_address   jsonb NOT NULL,
    notes             text,
    idempotency_key   text,
    request_digest    text NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_user ON orders (user_id, id DESC);
CREATE UNIQUE INDEX IF NOT EXISTS orders_idempotency ON orders (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE IF NOT EXISTS order_items (
    order_id      bigint NOT NULL REFERENCES orders (id),
    line          integer NOT NULL,
    product_id    bigint NOT NULL,
    sku           text NOT NULL,
    product_name  text NOT NULL,
    attributes    jsonb NOT NULL,
    quantity      integer NOT NULL,
    unit_price    numeric(12, 2) NOT NULL,
    total_price   numeric(14, 2) NOT NULL,
    PRIMARY KEY (order_id, line)
);
