-- The complete catalogue and imports: barcodes, archiving, search, and CSV
-- imports processed by jobs.
--
-- Search matches a sku prefix, a barcode, or words of the name, case-
-- insensitively: a btree over lower(sku) with text_pattern_ops serves the
-- prefix (as a byte-wise range, indexable whatever the plan cache decides
-- about parameters), the barcode's unique index the barcode, and a GIN index
-- over the name's words (name_words; the 'simple' configuration: lower case, no stemming,
-- no stop words) the words, matched as word prefixes. (pg_trgm would match
-- anywhere inside words, but its index costs three times as much to keep up
-- when 100,000 items arrive at once.)

-- +goose Up
ALTER TABLE items
  ADD COLUMN barcode     text CHECK (length(barcode) BETWEEN 1 AND 100),
  ADD COLUMN archived_at timestamptz;
-- Deferrable (but not deferred) so that an import may swap two items'
-- barcodes in one statement: uniqueness is checked at the statement's end.
ALTER TABLE items ADD CONSTRAINT items_barcode_key UNIQUE (tenant_id, barcode) DEFERRABLE INITIALLY IMMEDIATE;
CREATE INDEX items_sku_prefix_idx ON items (tenant_id, lower(sku) text_pattern_ops);
-- The name's words are stored, so that neither the index's recheck nor a
-- filter computes them again, and ANALYZE keeps statistics of them.
ALTER TABLE items ADD COLUMN name_words tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, name)) STORED;
CREATE INDEX items_name_words_idx ON items USING gin (name_words);

ALTER TABLE locations ADD COLUMN archived_at timestamptz;

-- imports holds each uploaded CSV until a job has processed it (file is then
-- cleared), with the import's progress.
CREATE TABLE imports (
  tenant_id    uuid        NOT NULL REFERENCES tenants (id),
  id           uuid        NOT NULL,
  kind         text        NOT NULL CHECK (kind IN ('ITEMS', 'STOCK_COUNTS')),
  status       text        NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED')),
  dry_run      boolean     NOT NULL,
  filename     text,
  byte_count   bigint      NOT NULL,
  file         bytea,
  rows_total   bigint,
  rows_done    bigint      NOT NULL DEFAULT 0,
  error_count  bigint      NOT NULL DEFAULT 0,
  requested_by text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  started_at   timestamptz,
  finished_at  timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX imports_list_idx ON imports (tenant_id, created_at DESC, id DESC);

-- import_errors lists every bad row of an import, in row order.
CREATE TABLE import_errors (
  tenant_id   uuid    NOT NULL,
  import_id   uuid    NOT NULL,
  seq         integer NOT NULL,
  row_number  bigint  NOT NULL,
  column_name text,
  message     text    NOT NULL,
  code        text    NOT NULL,
  PRIMARY KEY (tenant_id, import_id, seq),
  FOREIGN KEY (tenant_id, import_id) REFERENCES imports (tenant_id, id) ON DELETE CASCADE
);

ALTER TABLE imports ENABLE ROW LEVEL SECURITY;
ALTER TABLE imports FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON imports
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
ALTER TABLE import_errors ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_errors FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON import_errors
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

GRANT UPDATE (barcode, archived_at) ON items TO inventory_app;
GRANT UPDATE (archived_at) ON locations TO inventory_app;
GRANT SELECT, INSERT, DELETE ON imports, import_errors TO inventory_app;
GRANT UPDATE (status, file, rows_total, rows_done, error_count, started_at, finished_at) ON imports TO inventory_app;

-- +goose Down
REVOKE UPDATE (barcode, archived_at) ON items FROM inventory_app;
REVOKE UPDATE (archived_at) ON locations FROM inventory_app;
DROP TABLE import_errors, imports;
ALTER TABLE locations DROP COLUMN archived_at;
DROP INDEX items_name_words_idx, items_sku_prefix_idx;
ALTER TABLE items DROP CONSTRAINT items_barcode_key;
ALTER TABLE items DROP COLUMN name_words, DROP COLUMN archived_at, DROP COLUMN barcode;
