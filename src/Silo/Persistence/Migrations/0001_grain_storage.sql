-- Grain state for Orleans' ADO.NET storage provider (Microsoft.Orleans.Persistence.AdoNet).
--
-- The provider's contract: at startup it reads the texts of the queries 'WriteToStorageKey',
-- 'ReadFromStorageKey', 'ClearStorageKey' and (optionally) 'DeleteStorageKey' from the table
-- OrleansQuery(QueryKey, QueryText), and then only ever runs those texts. It binds the parameters
-- @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString (the state name),
-- @GrainIdExtensionString, @ServiceId, @GrainStateVersion (the ETag, null before the first write)
-- and @PayloadBinary (the hashes are not needed here), and reads the columns PayloadBinary and Version (reads) or NewGrainStateVersion
-- (writes, clears, deletes). A write or clear that returns the version it was given (or null) is a
-- conflict: the provider throws InconsistentStateException.
--
-- Shop's layout keys each row by its real identity (service, state name, grain key) with a primary
-- key, instead of hashes, so two activations racing to create the same state cannot both succeed:
-- one insert wins, the other finds the row and reports a conflict.

CREATE TABLE orleansquery
(
    querykey  varchar(64)   NOT NULL PRIMARY KEY,
    querytext varchar(8000) NOT NULL
);

CREATE TABLE shop_grain_state
(
    service_id  text        NOT NULL,
    state_name  text        NOT NULL,
    key_n0      bigint      NOT NULL,
    key_n1      bigint      NOT NULL,
    key_string  text        NOT NULL DEFAULT '',
    payload     bytea,
    version     integer     NOT NULL,
    modified_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, state_name, key_n0, key_n1, key_string)
);

-- Each grain's state is one row rewritten in place, over and over: leave room on the page for the
-- new version so updates stay HOT (no index maintenance).
ALTER TABLE shop_grain_state SET (fillfactor = 70);

INSERT INTO orleansquery (querykey, querytext) VALUES
('ReadFromStorageKey', '
SELECT payload AS PayloadBinary, version AS Version
FROM shop_grain_state
WHERE service_id = @ServiceId
  AND state_name = @GrainTypeString
  AND key_n0 = @GrainIdN0
  AND key_n1 = @GrainIdN1
  AND key_string = coalesce(@GrainIdExtensionString, '''')'),

('WriteToStorageKey', '
WITH updated AS (
    UPDATE shop_grain_state
    SET payload = @PayloadBinary, version = version + 1, modified_at = now()
    WHERE @GrainStateVersion IS NOT NULL
      AND service_id = @ServiceId
      AND state_name = @GrainTypeString
      AND key_n0 = @GrainIdN0
      AND key_n1 = @GrainIdN1
      AND key_string = coalesce(@GrainIdExtensionString, '''')
      AND version = @GrainStateVersion
    RETURNING version),
inserted AS (
    INSERT INTO shop_grain_state (service_id, state_name, key_n0, key_n1, key_string, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, coalesce(@GrainIdExtensionString, ''''), @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version)
SELECT coalesce((SELECT version FROM updated), (SELECT version FROM inserted), @GrainStateVersion) AS NewGrainStateVersion'),

('ClearStorageKey', '
UPDATE shop_grain_state
SET payload = NULL, version = version + 1, modified_at = now()
WHERE service_id = @ServiceId
  AND state_name = @GrainTypeString
  AND key_n0 = @GrainIdN0
  AND key_n1 = @GrainIdN1
  AND key_string = coalesce(@GrainIdExtensionString, '''')
  AND version = @GrainStateVersion
RETURNING version AS NewGrainStateVersion'),

('DeleteStorageKey', '
DELETE FROM shop_grain_state
WHERE service_id = @ServiceId
  AND state_name = @GrainTypeString
  AND key_n0 = @GrainIdN0
  AND key_n1 = @GrainIdN1
  AND key_string = coalesce(@GrainIdExtensionString, '''')
  AND version = @GrainStateVersion
RETURNING version + 1 AS NewGrainStateVersion');
