-- Webhooks: endpoints that receive the change feed as signed HTTP POSTs, and
-- the log of their deliveries.
--
-- An endpoint is a reader of the outbox with its own cursor (cursor_xid,
-- cursor_id): the last event whose deliveries all succeeded. A delivery is
-- one message (one event, one type) to one endpoint.

-- +goose Up
CREATE TABLE webhook_endpoints (
  tenant_id       uuid        NOT NULL REFERENCES tenants (id),
  id              uuid        NOT NULL,
  url             text        NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
  description     text        CHECK (length(description) <= 500),
  event_types     text[]      NOT NULL CHECK (cardinality(event_types) >= 1),
  -- The signing secret, sealed with the server's webhook key (AES-256-GCM):
  -- it must be readable to sign, and is never shown again.
  secret_sealed   bytea       NOT NULL,
  enabled         boolean     NOT NULL DEFAULT true,
  disabled_reason text,
  cursor_xid      xid8        NOT NULL,
  cursor_id       bigint      NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE webhook_deliveries (
  tenant_id        uuid        NOT NULL,
  id               uuid        NOT NULL,
  endpoint_id      uuid        NOT NULL,
  -- The webhook-id header: the same for every attempt of one message.
  message_id       text        NOT NULL,
  event_type       text        NOT NULL,
  event_xid        xid8        NOT NULL,
  event_id         bigint      NOT NULL,
  status           text        NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
  attempts         int         NOT NULL DEFAULT 0,
  last_status_code int,
  last_error       text,
  last_latency_ms  int,
  next_attempt_at  timestamptz,
  delivered_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT webhook_deliveries_message_key UNIQUE (tenant_id, endpoint_id, message_id),
  FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoints (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (tenant_id, endpoint_id, created_at DESC, id DESC);
CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (tenant_id, endpoint_id, next_attempt_at)
  WHERE status = 'PENDING';

ALTER TABLE webhook_endpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_endpoints FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_endpoints
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_deliveries
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

-- The webhook dispatcher looks across tenants for endpoints that are behind
-- the feed, as the hub reads the whole feed: in the system scope, read only.
-- Secrets stay sealed; the delivery itself runs in the endpoint's tenant
-- scope.
CREATE POLICY system_dispatch ON webhook_endpoints FOR SELECT TO inventory_app
  USING (current_setting('app.scope', true) = 'system');
CREATE POLICY system_dispatch ON webhook_deliveries FOR SELECT TO inventory_app
  USING (current_setting('app.scope', true) = 'system');

GRANT SELECT, INSERT, DELETE ON webhook_endpoints TO inventory_app;
GRANT UPDATE (url, description, event_types, enabled, disabled_reason, cursor_xid, cursor_id) ON webhook_endpoints TO inventory_app;
GRANT SELECT, INSERT, DELETE ON webhook_deliveries TO inventory_app;
GRANT UPDATE (status, attempts, last_status_code, last_error, last_latency_ms, next_attempt_at, delivered_at, updated_at)
  ON webhook_deliveries TO inventory_app;

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;
