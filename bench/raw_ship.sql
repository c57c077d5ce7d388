-- pgbench script for bench/shipstock.sh: the minimal same write as one
-- shipStock of one unit, one transaction each: the level's advisory lock,
-- the movement, and the level's conditional update. Items have ids derived
-- from their number (see bench/shipstock.sh), so no statement looks them up.
\set i random(1, :items)
BEGIN;
SELECT pg_advisory_xact_lock(hashtextextended(:tenant::text || '/' || :i::text, 0));
INSERT INTO movements (tenant_id, operation_id, kind, item_id, location_id, quantity, from_state, actor)
  VALUES (:tenant, gen_random_uuid(), 'SHIPMENT', md5(:tenant::text || '/item/' || :i::text)::uuid, :location, 1, 'AVAILABLE', 'pgbench');
UPDATE stock_levels SET available = available - 1, version = version + 1, updated_at = clock_timestamp()
  WHERE tenant_id = :tenant AND item_id = md5(:tenant::text || '/item/' || :i::text)::uuid AND location_id = :location AND available >= 1;
COMMIT;
