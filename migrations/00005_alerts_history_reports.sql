-- Low-stock alerts, the history of every level (for as-of queries), reports
-- built by jobs, and the ledger audit's alerts.

-- +goose Up

-- A reorder point per location overrides the item's.
CREATE TABLE reorder_points (
  tenant_id     uuid   NOT NULL,
  item_id       uuid   NOT NULL,
  location_id   uuid   NOT NULL,
  reorder_point bigint NOT NULL CHECK (reorder_point >= 0),
  PRIMARY KEY (tenant_id, item_id, location_id),
  FOREIGN KEY (tenant_id, item_id) REFERENCES items (tenant_id, id),
  FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);

CREATE TABLE alerts (
  tenant_id       uuid        NOT NULL,
  id              uuid        NOT NULL,
  kind            text        NOT NULL CHECK (kind IN ('LOW_STOCK', 'OUT_OF_STOCK', 'LEDGER_DRIFT')),
  status          text        NOT NULL CHECK (status IN ('OPEN', 'ACKNOWLEDGED', 'RESOLVED')),
  item_id         uuid        NOT NULL,
  location_id     uuid        NOT NULL,
  available       bigint,
  threshold       bigint,
  details         jsonb,
  raised_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  acknowledged_at timestamptz,
  acknowledged_by text,
  resolved_at     timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, item_id) REFERENCES items (tenant_id, id),
  FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
-- At most one unresolved stock alert, and one unresolved drift alert, per level.
CREATE UNIQUE INDEX alerts_one_open_stock_alert ON alerts (tenant_id, item_id, location_id)
  WHERE status <> 'RESOLVED' AND kind IN ('LOW_STOCK', 'OUT_OF_STOCK');
CREATE UNIQUE INDEX alerts_one_open_drift_alert ON alerts (tenant_id, item_id, location_id)
  WHERE status <> 'RESOLVED' AND kind = 'LEDGER_DRIFT';
CREATE INDEX alerts_list_idx ON alerts (tenant_id, raised_at DESC, id DESC);

-- alert_checks holds the levels whose alert check is pending: at most one
-- pending check (and so one queued job) per level.
CREATE TABLE alert_checks (
  tenant_id   uuid        NOT NULL,
  item_id     uuid        NOT NULL,
  location_id uuid        NOT NULL,
  marked_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (tenant_id, item_id, location_id)
);

-- level_history is every state each level has had: one row per change,
-- written with the projection in the same statement. "As of" answers are
-- an index lookup, not a replay of the ledger.
CREATE TABLE level_history (
  tenant_id       uuid        NOT NULL,
  item_id         uuid        NOT NULL,
  location_id     uuid        NOT NULL,
  version         bigint      NOT NULL,
  available       bigint      NOT NULL,
  reserved        bigint      NOT NULL,
  damaged         bigint      NOT NULL,
  quality_control bigint      NOT NULL,
  in_transit      bigint      NOT NULL,
  at              timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, item_id, location_id, version)
);
CREATE INDEX level_history_at_idx ON level_history (tenant_id, item_id, location_id, at DESC, version DESC);
CREATE TRIGGER level_history_append_only BEFORE UPDATE OR DELETE ON level_history
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER level_history_no_truncate BEFORE TRUNCATE ON level_history
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();
-- Levels that moved before this migration start their history at their state now.
INSERT INTO level_history (tenant_id, item_id, location_id, version, available, reserved, damaged, quality_control, in_transit, at)
  SELECT tenant_id, item_id, location_id, version, available, reserved, damaged, quality_control, in_transit, updated_at
  FROM stock_levels;

CREATE INDEX movements_created_idx ON movements (tenant_id, created_at, id);

CREATE TABLE reports (
  tenant_id    uuid        NOT NULL REFERENCES tenants (id),
  id           uuid        NOT NULL,
  kind         text        NOT NULL CHECK (kind IN ('STOCK_SNAPSHOT', 'MOVEMENT_HISTORY', 'LOW_STOCK')),
  format       text        NOT NULL DEFAULT 'CSV' CHECK (format IN ('CSV')),
  status       text        NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED')),
  params       jsonb       NOT NULL,
  progress     real        NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
  row_count    bigint      NOT NULL DEFAULT 0,
  byte_count   bigint      NOT NULL DEFAULT 0,
  error        text,
  requested_by text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  started_at   timestamptz,
  finished_at  timestamptz,
  expires_at   timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX reports_list_idx ON reports (tenant_id, created_at DESC, id DESC);

-- A report's file, in order, in chunks of at most a few hundred KiB.
CREATE TABLE report_chunks (
  tenant_id uuid    NOT NULL,
  report_id uuid    NOT NULL,
  seq       integer NOT NULL,
  data      bytea   NOT NULL,
  PRIMARY KEY (tenant_id, report_id, seq),
  FOREIGN KEY (tenant_id, report_id) REFERENCES reports (tenant_id, id) ON DELETE CASCADE
);

ALTER TABLE reorder_points ENABLE ROW LEVEL SECURITY;
ALTER TABLE reorder_points FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON reorder_points
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
ALTER TABLE alerts ENABLE ROW LEVEL SECURITY;
ALTER TABLE alerts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON alerts
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
ALTER TABLE alert_checks ENABLE ROW LEVEL SECURITY;
ALTER TABLE alert_checks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON alert_checks
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
ALTER TABLE level_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE level_history FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON level_history
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
ALTER TABLE reports ENABLE ROW LEVEL SECURITY;
ALTER TABLE reports FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON reports
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
ALTER TABLE report_chunks ENABLE ROW LEVEL SECURITY;
ALTER TABLE report_chunks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON report_chunks
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

GRANT SELECT, INSERT, UPDATE, DELETE ON reorder_points TO inventory_app;
GRANT SELECT, INSERT ON alerts TO inventory_app;
GRANT UPDATE (kind, status, available, threshold, details, acknowledged_at, acknowledged_by, resolved_at) ON alerts TO inventory_app;
GRANT SELECT, INSERT, DELETE ON alert_checks TO inventory_app;
GRANT SELECT, INSERT ON level_history TO inventory_app;
GRANT SELECT, INSERT, DELETE ON reports, report_chunks TO inventory_app;
GRANT UPDATE (status, progress, row_count, byte_count, error, started_at, finished_at, expires_at) ON reports TO inventory_app;

-- +goose Down
DROP TABLE report_chunks, reports, level_history, alert_checks, alerts, reorder_points;
DROP INDEX movements_created_idx;
