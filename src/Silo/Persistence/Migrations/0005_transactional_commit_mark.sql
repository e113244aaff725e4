-- A resource participant's commit (the transaction manager confirmed what it had prepared) may be
-- stored as a mark alone: the row keeps the record its prepare wrote, whose pending states already hold
-- the state being committed, and committed_up_to says which of them are committed. Rewriting the whole
-- record for that (a cart, an order batch's 128 orders, an outbox lane's entries) serialized and wrote
-- every such state a second time. NULL means the record says what is committed, as every row written
-- before did; a write of the whole record clears it.

ALTER TABLE shop_transactional_state ADD COLUMN committed_up_to bigint;
