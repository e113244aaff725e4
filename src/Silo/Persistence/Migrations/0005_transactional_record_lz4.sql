-- A record above PostgreSQL's TOAST threshold (about 2 kB: an order batch's 128 orders, an outbox
-- lane's entries) is compressed on every write, and the record is written twice per transaction (at
-- prepare and at commit). lz4 compresses several times faster than the default pglz. Values already
-- stored stay as they are until rewritten. A server built without lz4 keeps pglz.
DO $$
BEGIN
    ALTER TABLE shop_transactional_state ALTER COLUMN record SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 is not available on this server; transactional records stay compressed with pglz';
END
$$;
