-- The complete catalogue and imports: barcodes, archiving, search, and CSV
-- imports processed by jobs.
--
-- Search matches a sku prefix, a barcode, or words of the name (each query
-- word as the start of a word), case-insensitively, through btree indexes
-- only. Row-level security lets a query use an index only for conditions
-- whose operators are leakproof (=, <, >= on text are; lower(), LIKE, @@ and
-- the trigram operators are not, and under RLS they become a filter over
-- every item of the tenant). So the lower-cased sku is stored (sku_key, in
-- the C collation: byte order, a prefix is a range), and the name's words
-- are kept in item_words, one row per word, by a statement-level trigger.

-- +goose Up
ALTER TABLE items
  ADD COLUMN barcode     text CHECK (length(barcode) BETWEEN 1 AND 100),
  ADD COLUMN archived_at timestamptz;
-- Deferrable (but not deferred) so that an import may swap two items'
-- barcodes in one statement: uniqueness is checked at the statement's end.
ALTER TABLE items ADD CONSTRAINT items_barcode_key UNIQUE (tenant_id, barcode) DEFERRABLE INITIALLY IMMEDIATE;
ALTER TABLE items ADD COLUMN sku_key text COLLATE "C" GENERATED ALWAYS AS (lower(sku)) STORED;
CREATE INDEX items_sku_key_idx ON items (tenant_id, sku_key) INCLUDE (sku, id);

-- item_words holds the words of each item's name (PostgreSQL's 'simple'
-- text search configuration: lower case, no stemming, no stop words), for
-- search by word prefix, with the item's sku (which never changes) so that
-- matches sort without reading the items. It is written only by the
-- triggers below.
CREATE TABLE item_words (
  tenant_id uuid NOT NULL,
  word      text COLLATE "C" NOT NULL,
  item_id   uuid NOT NULL,
  sku       text NOT NULL,
  PRIMARY KEY (tenant_id, word, item_id) INCLUDE (sku)
);
CREATE INDEX item_words_item_idx ON item_words (tenant_id, item_id);

-- +goose StatementBegin
CREATE FUNCTION item_words_sync() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM item_words w USING old_rows o JOIN new_rows n ON n.tenant_id = o.tenant_id AND n.id = o.id
      WHERE w.tenant_id = o.tenant_id AND w.item_id = o.id AND n.name IS DISTINCT FROM o.name;
    INSERT INTO item_words (tenant_id, word, item_id, sku)
      SELECT n.tenant_id, left(w.word, 200), n.id, n.sku
      FROM new_rows n JOIN old_rows o ON o.tenant_id = n.tenant_id AND o.id = n.id,
        unnest(tsvector_to_array(to_tsvector('simple'::regconfig, n.name))) AS w (word)
      WHERE n.name IS DISTINCT FROM o.name
      ON CONFLICT DO NOTHING;
  ELSE
    INSERT INTO item_words (tenant_id, word, item_id, sku)
      SELECT n.tenant_id, left(w.word, 200), n.id, n.sku
      FROM new_rows n, unnest(tsvector_to_array(to_tsvector('simple'::regconfig, n.name))) AS w (word)
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER items_words_insert AFTER INSERT ON items
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION item_words_sync();
CREATE TRIGGER items_words_update AFTER UPDATE ON items
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION item_words_sync();
-- Items that exist already (visible to the migrating role).
INSERT INTO item_words (tenant_id, word, item_id, sku)
  SELECT i.tenant_id, left(w.word, 200), i.id, i.sku
  FROM items i, unnest(tsvector_to_array(to_tsvector('simple'::regconfig, i.name))) AS w (word)
  ON CONFLICT DO NOTHING;

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
ALTER TABLE item_words ENABLE ROW LEVEL SECURITY;
ALTER TABLE item_words FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON item_words
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
ALTER TABLE import_errors ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_errors FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON import_errors
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

GRANT UPDATE (barcode, archived_at) ON items TO inventory_app;
GRANT UPDATE (archived_at) ON locations TO inventory_app;
GRANT SELECT, INSERT, DELETE ON imports, import_errors, item_words TO inventory_app;
GRANT UPDATE (status, file, rows_total, rows_done, error_count, started_at, finished_at) ON imports TO inventory_app;

-- +goose Down
REVOKE UPDATE (barcode, archived_at) ON items FROM inventory_app;
REVOKE UPDATE (archived_at) ON locations FROM inventory_app;
DROP TABLE import_errors, imports;
DROP TRIGGER items_words_update ON items;
DROP TRIGGER items_words_insert ON items;
DROP FUNCTION item_words_sync();
DROP TABLE item_words;
ALTER TABLE locations DROP COLUMN archived_at;
ALTER TABLE items DROP CONSTRAINT items_barcode_key;
ALTER TABLE items DROP COLUMN sku_key, DROP COLUMN archived_at, DROP COLUMN barcode;
