-- Reservations, transfers in transit, tenant settings, and the narrow system
-- scope that background jobs use to find which tenants have work.

-- +goose Up

ALTER TABLE tenants ADD COLUMN default_reservation_ttl interval
  CHECK (default_reservation_ttl IS NULL OR default_reservation_ttl > interval '0');
GRANT UPDATE (default_reservation_ttl) ON tenants TO inventory_app;

-- Background jobs run per tenant, but must first learn which tenants exist.
-- In a transaction that sets app.scope to 'system' (and only there: the job
-- code does, no request path does), the service role may list tenant rows.
-- No other table has such a policy.
CREATE POLICY system_directory ON tenants FOR SELECT TO inventory_app
  USING (current_setting('app.scope', true) = 'system');

-- A reservation holds units of an item at a location for an order. quantity
-- is what was reserved; what it still holds is quantity - fulfilled - released.
CREATE TABLE reservations (
  tenant_id   uuid        NOT NULL,
  id          uuid        NOT NULL,
  item_id     uuid        NOT NULL,
  location_id uuid        NOT NULL,
  quantity    bigint      NOT NULL CHECK (quantity > 0),
  fulfilled   bigint      NOT NULL DEFAULT 0 CHECK (fulfilled >= 0),
  released    bigint      NOT NULL DEFAULT 0 CHECK (released >= 0),
  status      text        NOT NULL CHECK (status IN ('ACTIVE', 'FULFILLED', 'RELEASED', 'EXPIRED')),
  reference   text,
  expires_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, item_id) REFERENCES items (tenant_id, id),
  FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id),
  CHECK (fulfilled + released <= quantity),
  CHECK ((status = 'ACTIVE') = (fulfilled + released < quantity))
);
CREATE INDEX reservations_level_idx ON reservations (tenant_id, item_id, location_id, created_at DESC);
CREATE INDEX reservations_reference_idx ON reservations (tenant_id, reference) WHERE reference IS NOT NULL;
CREATE INDEX reservations_due_idx ON reservations (tenant_id, expires_at) WHERE status = 'ACTIVE' AND expires_at IS NOT NULL;
CREATE INDEX reservations_list_idx ON reservations (tenant_id, created_at DESC, id DESC);

-- A transfer in transit: shipped from one location, not yet (wholly) received
-- at the other. What is still on its way is quantity - received - damaged - returned.
CREATE TABLE transfers (
  tenant_id        uuid        NOT NULL,
  id               uuid        NOT NULL,
  item_id          uuid        NOT NULL,
  from_location_id uuid        NOT NULL,
  to_location_id   uuid        NOT NULL,
  quantity         bigint      NOT NULL CHECK (quantity > 0),
  received         bigint      NOT NULL DEFAULT 0 CHECK (received >= 0),
  damaged          bigint      NOT NULL DEFAULT 0 CHECK (damaged >= 0),
  returned         bigint      NOT NULL DEFAULT 0 CHECK (returned >= 0),
  status           text        NOT NULL CHECK (status IN ('IN_TRANSIT', 'RECEIVED', 'CANCELLED')),
  reference        text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, item_id) REFERENCES items (tenant_id, id),
  FOREIGN KEY (tenant_id, from_location_id) REFERENCES locations (tenant_id, id),
  FOREIGN KEY (tenant_id, to_location_id) REFERENCES locations (tenant_id, id),
  CHECK (from_location_id <> to_location_id),
  CHECK (received + damaged + returned <= quantity),
  CHECK ((status = 'IN_TRANSIT') = (received + damaged + returned < quantity))
);
CREATE INDEX transfers_list_idx ON transfers (tenant_id, created_at DESC, id DESC);
CREATE INDEX transfers_item_idx ON transfers (tenant_id, item_id, created_at DESC);

ALTER TABLE reservations ENABLE ROW LEVEL SECURITY;
ALTER TABLE reservations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON reservations
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

ALTER TABLE transfers ENABLE ROW LEVEL SECURITY;
ALTER TABLE transfers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON transfers
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

GRANT SELECT, INSERT ON reservations, transfers TO inventory_app;
GRANT UPDATE (fulfilled, released, status, updated_at) ON reservations TO inventory_app;
GRANT UPDATE (received, damaged, returned, status, updated_at) ON transfers TO inventory_app;

-- +goose Down
DROP TABLE transfers, reservations;
DROP POLICY system_directory ON tenants;
ALTER TABLE tenants DROP COLUMN default_reservation_ttl;
