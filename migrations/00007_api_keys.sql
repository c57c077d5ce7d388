-- API keys: long-lived credentials for integrations, created by a tenant's
-- admin. A key's secret ("inv_" and 52 base32 characters, 256 random bits) is
-- shown once; only its SHA-256 is kept. A fast hash is right for a secret of
-- that entropy (nothing to brute-force), and it keeps verification cheap.
--
-- api_keys is a tenant table like the others: forced row-level security on
-- app.tenant_id. The service role may read every column but secret_hash, so
-- not even the service can read a key's hash back; it may set only
-- last_used_at and revoked_at.
--
-- A key must be found by its hash before its tenant is known, which no query
-- under row-level security can do. Rather than open a hole in api_keys'
-- policy, the hash also goes, by a trigger, into api_key_lookup: a small
-- table outside row-level security that maps a hash to its tenant and key and
-- that the service role cannot touch at all. The only way in is
-- api_key_tenant(hash), a SECURITY DEFINER function owned by the migrating
-- role (not the service role) that answers one exact hash. Knowing a hash's
-- tenant is no secret to whoever holds the secret, and the key's row itself
-- is then read under the tenant's row-level security. (A separate table,
-- rather than a definer function over api_keys, because api_keys' forced
-- security binds its owner too, unless that owner is a superuser.)

-- +goose Up
CREATE TABLE api_keys (
  tenant_id    uuid        NOT NULL REFERENCES tenants (id),
  id           uuid        NOT NULL,
  name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  prefix       text        NOT NULL CHECK (length(prefix) BETWEEN 1 AND 32),
  secret_hash  bytea       NOT NULL CHECK (length(secret_hash) = 32),
  roles        text[]      NOT NULL CHECK (cardinality(roles) BETWEEN 1 AND 3
                             AND roles <@ ARRAY['viewer', 'operator', 'admin']::text[]),
  created_by   text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  last_used_at timestamptz,
  revoked_at   timestamptz,
  PRIMARY KEY (tenant_id, id)
);
-- A name names one live key in its tenant: it is the actor (apikey:<name>).
CREATE UNIQUE INDEX api_keys_name_key ON api_keys (tenant_id, name) WHERE revoked_at IS NULL;
CREATE INDEX api_keys_created_idx ON api_keys (tenant_id, created_at DESC, id DESC);

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_keys
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

CREATE TABLE api_key_lookup (
  secret_hash bytea PRIMARY KEY,
  tenant_id   uuid  NOT NULL,
  key_id      uuid  NOT NULL,
  FOREIGN KEY (tenant_id, key_id) REFERENCES api_keys (tenant_id, id) ON DELETE CASCADE
);
REVOKE ALL ON api_key_lookup FROM PUBLIC;

-- +goose StatementBegin
CREATE FUNCTION api_key_index() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  INSERT INTO api_key_lookup (secret_hash, tenant_id, key_id) VALUES (NEW.secret_hash, NEW.tenant_id, NEW.id);
  RETURN NEW;
END
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION api_key_index() FROM PUBLIC;
CREATE TRIGGER api_keys_index AFTER INSERT ON api_keys
  FOR EACH ROW EXECUTE FUNCTION api_key_index();

-- api_key_tenant returns the tenant and id of the key whose secret has this
-- SHA-256, or no row.
CREATE FUNCTION api_key_tenant(hash bytea) RETURNS TABLE (tenant_id uuid, key_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$ SELECT l.tenant_id, l.key_id FROM api_key_lookup l WHERE l.secret_hash = hash $$;
REVOKE ALL ON FUNCTION api_key_tenant(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api_key_tenant(bytea) TO inventory_app;

GRANT SELECT (tenant_id, id, name, prefix, roles, created_by, created_at, expires_at, last_used_at, revoked_at),
  INSERT ON api_keys TO inventory_app;
GRANT UPDATE (last_used_at, revoked_at) ON api_keys TO inventory_app;

-- +goose Down
DROP FUNCTION api_key_tenant(bytea);
DROP TABLE api_key_lookup;
DROP TABLE api_keys;
DROP FUNCTION api_key_index();
