-- The inventory core: tenants, the catalogue, the append-only movement ledger,
-- the stock level projection, the outbox and idempotency keys.
--
-- Every tenant table leads its primary and foreign keys with tenant_id and is
-- guarded by forced row-level security, keyed on the transaction-local setting
-- app.tenant_id. The service queries as the role inventory_app, which does not
-- own these tables and has no BYPASSRLS, so RLS applies to it even when the
-- service was started with a superuser URL.

-- +goose Up

-- +goose StatementBegin
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'inventory_app') THEN
    BEGIN
      CREATE ROLE inventory_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
    EXCEPTION WHEN OTHERS THEN
      -- Another database of this cluster created it at the same moment.
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'inventory_app') THEN
        RAISE;
      END IF;
    END;
  END IF;
  -- The migrating role must be able to SET ROLE inventory_app. Superusers can
  -- already; anyone else is granted membership (this needs CREATEROLE).
  IF NOT pg_has_role(current_user, 'inventory_app', 'MEMBER') THEN
    EXECUTE format('GRANT inventory_app TO %I', current_user);
  END IF;
END
$$;
-- +goose StatementEnd

-- app_current_tenant is the tenant of the current transaction, or NULL when
-- none was set (and then every policy below matches no row).
CREATE FUNCTION app_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;

-- +goose StatementBegin
CREATE FUNCTION refuse_ledger_change() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is refused; correct a mistake with a new movement', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd

CREATE TABLE tenants (
  id         uuid        PRIMARY KEY,
  name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE items (
  tenant_id     uuid        NOT NULL REFERENCES tenants (id),
  id            uuid        NOT NULL,
  sku           text        NOT NULL CHECK (length(sku) BETWEEN 1 AND 100),
  name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  unit          text        NOT NULL DEFAULT 'each' CHECK (length(unit) BETWEEN 1 AND 32),
  reorder_point bigint      CHECK (reorder_point >= 0),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT items_sku_key UNIQUE (tenant_id, sku)
);

CREATE TABLE locations (
  tenant_id  uuid        NOT NULL REFERENCES tenants (id),
  id         uuid        NOT NULL,
  code       text        NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
  name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT locations_code_key UNIQUE (tenant_id, code)
);

-- movements is the ledger. A movement moves quantity from one account
-- (item, location_id, from_state) to another (item, coalesce(to_location_id,
-- location_id), to_state); a NULL state is the world outside. to_location_id is
-- set only where the receiving account is at another location: the units a
-- transfer puts in transit are held at the destination, which shows them as
-- incoming.
CREATE TABLE movements (
  tenant_id       uuid        NOT NULL,
  id              bigint      GENERATED ALWAYS AS IDENTITY,
  operation_id    uuid        NOT NULL,
  kind            text        NOT NULL CHECK (kind IN ('RECEIPT', 'SHIPMENT', 'ADJUSTMENT', 'COUNT',
                                'TRANSFER_OUT', 'TRANSFER_IN', 'RESERVATION', 'RELEASE', 'FULFILLMENT',
                                'EXPIRY', 'STATE_CHANGE')),
  item_id         uuid        NOT NULL,
  location_id     uuid        NOT NULL,
  to_location_id  uuid,
  quantity        bigint      NOT NULL CHECK (quantity > 0),
  from_state      text        CHECK (from_state IN ('AVAILABLE', 'RESERVED', 'DAMAGED', 'QUALITY_CONTROL', 'IN_TRANSIT')),
  to_state        text        CHECK (to_state IN ('AVAILABLE', 'RESERVED', 'DAMAGED', 'QUALITY_CONTROL', 'IN_TRANSIT')),
  reason          text,
  reference       text,
  actor           text        NOT NULL,
  idempotency_key text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, item_id) REFERENCES items (tenant_id, id),
  FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id),
  FOREIGN KEY (tenant_id, to_location_id) REFERENCES locations (tenant_id, id),
  CHECK (from_state IS NOT NULL OR to_state IS NOT NULL),
  CHECK (to_location_id IS NULL OR to_location_id <> location_id)
);
CREATE INDEX movements_level_idx ON movements (tenant_id, item_id, location_id, id DESC);
CREATE INDEX movements_item_idx ON movements (tenant_id, item_id, id DESC);
CREATE INDEX movements_location_idx ON movements (tenant_id, location_id, id DESC);
CREATE INDEX movements_to_location_idx ON movements (tenant_id, to_location_id, item_id) WHERE to_location_id IS NOT NULL;
CREATE INDEX movements_operation_idx ON movements (tenant_id, operation_id);

CREATE TRIGGER movements_append_only BEFORE UPDATE OR DELETE ON movements
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER movements_no_truncate BEFORE TRUNCATE ON movements
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();

-- stock_levels is the projection of the ledger: one row per (item, location)
-- that ever moved, one column per state. It is written only in the same
-- transaction as the movements that change it, under the level's advisory lock.
CREATE TABLE stock_levels (
  tenant_id       uuid        NOT NULL,
  item_id         uuid        NOT NULL,
  location_id     uuid        NOT NULL,
  available       bigint      NOT NULL DEFAULT 0 CHECK (available >= 0),
  reserved        bigint      NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  damaged         bigint      NOT NULL DEFAULT 0 CHECK (damaged >= 0),
  quality_control bigint      NOT NULL DEFAULT 0 CHECK (quality_control >= 0),
  in_transit      bigint      NOT NULL DEFAULT 0 CHECK (in_transit >= 0),
  version         bigint      NOT NULL DEFAULT 0,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, item_id, location_id),
  FOREIGN KEY (tenant_id, item_id) REFERENCES items (tenant_id, id),
  FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX stock_levels_location_idx ON stock_levels (tenant_id, location_id, item_id);

-- events is the outbox: one row per committed operation, written in the same
-- transaction. xid lets a reader take only events whose transaction is older
-- than every transaction still in flight, so it never skips one that commits late.
CREATE TABLE events (
  tenant_id    uuid        NOT NULL REFERENCES tenants (id),
  id           bigint      GENERATED ALWAYS AS IDENTITY,
  xid          xid8        NOT NULL DEFAULT pg_current_xact_id(),
  operation_id uuid        NOT NULL,
  kind         text        NOT NULL,
  payload      jsonb       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX events_feed_idx ON events (id);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();

-- idempotency_keys remembers, per tenant, each key a client sent with a
-- command, a hash of the command, and the payload it returned.
CREATE TABLE idempotency_keys (
  tenant_id    uuid        NOT NULL REFERENCES tenants (id),
  key          text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  operation    text        NOT NULL,
  request_hash bytea       NOT NULL,
  response     jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- service_secrets holds process-wide secrets, such as the development JWT key.
-- It is not a tenant table, and the service role has no access to it.
CREATE TABLE service_secrets (
  name       text        PRIMARY KEY,
  value      bytea       NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Row-level security, forced so that it holds for the tables' owner too.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
  USING (id = app_current_tenant()) WITH CHECK (id = app_current_tenant());

ALTER TABLE items ENABLE ROW LEVEL SECURITY;
ALTER TABLE items FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON items
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

ALTER TABLE locations ENABLE ROW LEVEL SECURITY;
ALTER TABLE locations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON locations
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

ALTER TABLE movements ENABLE ROW LEVEL SECURITY;
ALTER TABLE movements FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON movements
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

ALTER TABLE stock_levels ENABLE ROW LEVEL SECURITY;
ALTER TABLE stock_levels FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON stock_levels
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON events
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON idempotency_keys
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

-- The service role: no UPDATE or DELETE on the ledger, ever.
GRANT USAGE ON SCHEMA public TO inventory_app;
GRANT EXECUTE ON FUNCTION app_current_tenant() TO inventory_app;
GRANT SELECT, INSERT ON tenants, items, locations, movements, events TO inventory_app;
GRANT UPDATE (name) ON tenants TO inventory_app;
GRANT UPDATE (name, unit, reorder_point) ON items TO inventory_app;
GRANT UPDATE (name) ON locations TO inventory_app;
GRANT SELECT, INSERT, UPDATE ON stock_levels TO inventory_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO inventory_app;

-- +goose Down
DROP TABLE service_secrets, idempotency_keys, events, stock_levels, movements, locations, items, tenants;
DROP FUNCTION refuse_ledger_change();
DROP FUNCTION app_current_tenant();
