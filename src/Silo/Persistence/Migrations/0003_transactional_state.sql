-- Transactional grain state (inventory, carts, orders, user order lists, outbox lanes), written by
-- Shop's own ITransactionalStateStorage instead of Orleans' generic wrapper over IGrainStorage. Each
-- grain's record (committed state, pending prepared states, commit records) is one row with an etag;
-- a silo writes many grains' rows in one statement (one round trip, one commit) when they store at
-- the same time.

CREATE TABLE shop_transactional_state
(
    service_id  text        NOT NULL,
    state_name  text        NOT NULL,
    grain_id    text        NOT NULL,
    etag        bigint      NOT NULL,
    record      bytea       NOT NULL,
    modified_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, state_name, grain_id)
);

-- Rows are rewritten in place on every commit: room on the page keeps the updates HOT.
ALTER TABLE shop_transactional_state SET (fillfactor = 70);
