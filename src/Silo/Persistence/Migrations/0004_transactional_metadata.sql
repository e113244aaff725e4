-- A transactional record's metadata (its timestamp and the transaction manager's commit records) may
-- be stored alone: a read-only transaction stores only its timestamp at every participant, and
-- rewriting the whole record for that (an order batch's 128 orders, say) would cost a full row write
-- per read. NULL means the record column carries the metadata, as every row written before did.

ALTER TABLE shop_transactional_state ADD COLUMN metadata bytea;
