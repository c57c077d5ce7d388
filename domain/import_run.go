package domain

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
)

// importProgressEvery is how many rows an import checks between progress
// reports.
const importProgressEvery = 10_000

// ErrImportConflict is returned by RunImport when items appeared under the
// import's skus while it applied them: the job should run it again.
var ErrImportConflict = errors.New("items were created concurrently with the import; run it again")

// RunImport processes a QUEUED (or interrupted RUNNING) import: it checks
// every row, lists every bad one, and, when there are none and it is not a
// dry run, applies the file. An import with any bad row applies nothing and
// ends FAILED. ITEMS apply in one transaction. STOCK_COUNTS apply through
// the stock engine as batches of MaxBatchLines counts, each atomic: every
// row is checked before the first batch, so only a change racing the import
// (say, a reservation that leaves less than a count) can fail a later batch,
// and then the batches before it stay applied, the import is FAILED naming
// the rows, and running the file again is harmless, since counts are
// absolute. The file is deleted once processed. An import already finished
// is left alone.
func (s *Store) RunImport(ctx context.Context, sc Scope, id string) error {
	id, err := parseID("id", id)
	if err != nil {
		return err
	}
	var imp *Import
	var content []byte
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+importColumns+` FROM imports WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, sc.TenantID, id)
		var err error
		if imp, err = pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[Import]); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return newError(CodeNotFound, "id", "no import has id %q", id)
			}
			return err
		}
		if imp.Finished() {
			return nil
		}
		if err := tx.QueryRow(ctx, `SELECT file FROM imports WHERE tenant_id = $1 AND id = $2`, sc.TenantID, id).Scan(&content); err != nil {
			return err
		}
		return s.updateImport(ctx, tx, sc, imp, `status = 'RUNNING', started_at = clock_timestamp(), rows_done = 0`)
	})
	if err != nil || imp.Finished() {
		return wrap(err, "start import")
	}
	sc.Actor = imp.RequestedBy // the import's changes are its requester's
	run := &importRun{s: s, sc: sc, imp: imp}
	header, err := checkCSV(imp.Kind, content)
	if err != nil {
		e, _ := AsError(err)
		return run.fail(ctx, []ImportRowError{{Row: 1, Code: CodeValidation, Message: e.Message}})
	}
	if imp.Kind == ImportItems {
		return run.items(ctx, header, content)
	}
	return run.counts(ctx, header, content)
}

// importRun is one run of an import's job.
type importRun struct {
	s    *Store
	sc   Scope
	imp  *Import
	bad  []ImportRowError
	rows int64
}

func (r *importRun) badRow(line int64, column string, code Code, format string, args ...any) {
	e := ImportRowError{Row: line, Code: code, Message: fmt.Sprintf(format, args...)}
	if column != "" {
		e.Column = &column
	}
	r.bad = append(r.bad, e)
}

// progress reports the rows checked so far, every importProgressEvery rows.
func (r *importRun) progress(ctx context.Context) error {
	r.rows++
	if r.rows%importProgressEvery != 0 {
		return nil
	}
	return r.s.inTenant(ctx, r.sc, func(tx pgx.Tx) error {
		return r.s.updateImport(ctx, tx, r.sc, r.imp, `rows_done = $3`, r.rows)
	})
}

// itemRow is one checked row of an ITEMS file. Nil fields were left empty:
// they keep an existing item's value (a new item takes the default).
type itemRow struct {
	line         int64
	sku, name    string
	unit         *string
	reorderPoint *int64
	barcode      *string
}

func (r *importRun) items(ctx context.Context, h csvHeader, content []byte) error {
	rows := make([]itemRow, 0, bytes.Count(content, []byte("\n")))
	bySKU := map[string]int64{}
	byBarcode := map[string]int64{}
	var progressErr error
	err := eachRow(content, len(h), func(line int64, rec []string) {
		if progressErr == nil {
			progressErr = r.progress(ctx)
		}
		row := itemRow{line: line}
		ok := true
		text := func(column string, max int, required bool) *string {
			v := h.cell(rec, column)
			switch {
			case v == "" && required:
				r.badRow(line, column, CodeValidation, "%s must not be empty", column)
			case v == "":
				return nil
			case utf8.RuneCountInString(v) > max:
				r.badRow(line, column, CodeValidation, "%s must be at most %d characters", column, max)
			default:
				return &v
			}
			ok = false
			return nil
		}
		if v := text("sku", maxSKU, true); v != nil {
			row.sku = *v
		}
		if v := text("name", maxName, true); v != nil {
			row.name = *v
		}
		row.unit = text("unit", maxUnit, false)
		row.barcode = text("barcode", maxBarcode, false)
		if v := h.cell(rec, "reorderPoint"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 || n > MaxQuantity {
				r.badRow(line, "reorderPoint", CodeValidation, "reorderPoint must be a whole number between 0 and %d, not %q", MaxQuantity, truncate(v, 32))
				ok = false
			}
			row.reorderPoint = &n
		}
		if row.sku != "" {
			if first, dup := bySKU[row.sku]; dup {
				r.badRow(line, "sku", CodeDuplicate, "sku %q is also on line %d", truncate(row.sku, 64), first)
				ok = false
			} else {
				bySKU[row.sku] = line
			}
		}
		if row.barcode != nil {
			if first, dup := byBarcode[*row.barcode]; dup {
				r.badRow(line, "barcode", CodeDuplicate, "barcode %q is also on line %d", truncate(*row.barcode, 64), first)
				ok = false
			} else {
				byBarcode[*row.barcode] = line
			}
		}
		if ok {
			rows = append(rows, row)
		}
	}, func(e ImportRowError) { r.rows++; r.bad = append(r.bad, e) })
	if err == nil {
		err = progressErr
	}
	if err != nil {
		return err
	}
	bySKU, byBarcode = nil, nil // done with them: let the collector have them
	if err := r.barcodesTaken(ctx, rows); err != nil {
		return err
	}
	if len(r.bad) > 0 {
		return r.fail(ctx, r.bad)
	}
	if r.imp.DryRun {
		return r.succeed(ctx, nil)
	}
	return r.succeed(ctx, func(tx pgx.Tx) error { return r.s.upsertItems(ctx, tx, r.sc, r.imp.ID, rows) })
}

// barcodesTaken lists the rows whose barcode another item has, unless the
// file gives that item another barcode.
func (r *importRun) barcodesTaken(ctx context.Context, rows []itemRow) error {
	var barcodes, skus []string
	for i := range rows {
		if rows[i].barcode != nil {
			barcodes, skus = append(barcodes, *rows[i].barcode), append(skus, rows[i].sku)
		}
	}
	if len(barcodes) == 0 {
		return nil
	}
	type holder struct{ SKU, Barcode string }
	taken, err := queryRows[holder](ctx, r.s, r.sc, `SELECT i.sku, i.barcode FROM items i
		JOIN unnest($2::text[], $3::text[]) AS f (barcode, sku) ON i.barcode = f.barcode
		WHERE i.tenant_id = $1 AND i.sku <> f.sku`, r.sc.TenantID, barcodes, skus)
	if err != nil {
		return fmt.Errorf("check barcodes: %w", err)
	}
	if len(taken) == 0 {
		return nil
	}
	bySKU, byBarcode := map[string]*itemRow{}, map[string]*itemRow{}
	for i := range rows {
		bySKU[rows[i].sku] = &rows[i]
		if rows[i].barcode != nil {
			byBarcode[*rows[i].barcode] = &rows[i]
		}
	}
	for _, t := range taken {
		row := byBarcode[t.Barcode]
		if other := bySKU[t.SKU]; other != nil && other.barcode != nil && *other.barcode != t.Barcode {
			continue // the file moves it off that item
		}
		r.badRow(row.line, "barcode", CodeDuplicate, "barcode %q is taken by item %s", truncate(t.Barcode, 64), truncate(t.SKU, 64))
	}
	sortRowErrors(r.bad)
	return nil
}

// upsertItems creates or updates the rows' items in one statement, writes
// an event for each item it creates or changes (none for rows that change
// nothing), and has levels whose reorder point changed checked for alerts.
func (s *Store) upsertItems(ctx context.Context, tx pgx.Tx, sc Scope, importID string, rows []itemRow) error {
	// Barcodes are checked once, at commit, so that the file may move a
	// barcode from one item to another in any order.
	if _, err := tx.Exec(ctx, `SET CONSTRAINTS items_barcode_key DEFERRED`); err != nil {
		return err
	}
	var changedPoints []string
	for start := 0; start < len(rows); start += upsertChunk {
		changed, err := s.upsertItemChunk(ctx, tx, sc, importID, rows[start:min(start+upsertChunk, len(rows))])
		if err != nil {
			return err
		}
		changedPoints = append(changedPoints, changed...)
	}
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, '')`, FeedChannel); err != nil {
		return err
	}
	if len(changedPoints) == 0 {
		return nil
	}
	levels, _ := tx.Query(ctx, `SELECT item_id::text, location_id::text FROM stock_levels WHERE tenant_id = $1 AND item_id = ANY($2::uuid[])`,
		sc.TenantID, changedPoints)
	keys, err := pgx.CollectRows(levels, pgx.RowToStructByPos[LevelKey])
	if err != nil {
		return err
	}
	return s.requestAlertChecks(ctx, tx, sc, keys)
}

// upsertChunk is how many rows one statement of an import upserts: the
// statements share the import's transaction, and keep the memory that
// encodes their arguments small.
const upsertChunk = 10_000

// upsertItemChunk upserts some of an import's rows and returns the ids of
// the items whose reorder point changed.
func (s *Store) upsertItemChunk(ctx context.Context, tx pgx.Tx, sc Scope, importID string, rows []itemRow) ([]string, error) {
	n := len(rows)
	skus, names := make([]string, n), make([]string, n)
	units, barcodes := make([]*string, n), make([]*string, n)
	points, hasPoint := make([]*int64, n), make([]bool, n)
	for i, r := range rows {
		skus[i], names[i], units[i], barcodes[i], points[i], hasPoint[i] = r.sku, r.name, r.unit, r.barcode, r.reorderPoint, r.reorderPoint != nil
	}
	const item = `jsonb_build_object('id', i.id, 'sku', i.sku, 'name', i.name, 'unit', i.unit, 'reorderPoint', i.reorder_point,
		'createdAt', i.created_at, 'barcode', i.barcode, 'archivedAt', i.archived_at)`
	var updated, inserted, missed int64
	var changedPoints []string
	err := tx.QueryRow(ctx, `WITH input AS (
			SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::bool[], $7::text[])
				AS t (sku, name, unit, reorder_point, has_point, barcode)
		), upd AS (
			UPDATE items i SET name = t.name, unit = coalesce(t.unit, o.unit),
				reorder_point = CASE WHEN t.has_point THEN t.reorder_point ELSE o.reorder_point END,
				barcode = coalesce(t.barcode, o.barcode)
			FROM input t JOIN items o ON o.tenant_id = $1 AND o.sku = t.sku
			WHERE i.tenant_id = $1 AND i.id = o.id
				AND (o.name, o.unit, o.reorder_point, o.barcode) IS DISTINCT FROM
					(t.name, coalesce(t.unit, o.unit), CASE WHEN t.has_point THEN t.reorder_point ELSE o.reorder_point END, coalesce(t.barcode, o.barcode))
			RETURNING i.*, o.reorder_point IS DISTINCT FROM i.reorder_point AS point_changed
		), ins AS (
			INSERT INTO items AS i (tenant_id, id, sku, name, unit, reorder_point, barcode)
			SELECT $1, gen_random_uuid(), t.sku, t.name, coalesce(t.unit, 'each'), t.reorder_point, t.barcode FROM input t
			WHERE NOT EXISTS (SELECT 1 FROM items o WHERE o.tenant_id = $1 AND o.sku = t.sku)
			ON CONFLICT (tenant_id, sku) DO NOTHING
			RETURNING i.*
		), ev AS (
			INSERT INTO events (tenant_id, operation_id, kind, payload)
			SELECT $1, $8::uuid, 'item.updated', `+item+` FROM upd i
			UNION ALL
			SELECT $1, $8::uuid, 'item.created', `+item+` FROM ins i
		)
		SELECT (SELECT count(*) FROM upd), (SELECT count(*) FROM ins),
			(SELECT count(*) FROM input t WHERE NOT EXISTS (SELECT 1 FROM items o WHERE o.tenant_id = $1 AND o.sku = t.sku)),
			(SELECT coalesce(array_agg(id::text), '{}') FROM upd WHERE point_changed)`,
		sc.TenantID, skus, names, units, points, hasPoint, barcodes, importID).Scan(&updated, &inserted, &missed, &changedPoints)
	if uniqueViolation(err, "items_barcode_key") {
		return nil, ErrImportConflict // a barcode was taken since the rows were checked
	}
	if err != nil {
		return nil, fmt.Errorf("upsert items: %w", err)
	}
	if inserted != missed {
		return nil, ErrImportConflict
	}
	return changedPoints, nil
}

// countRow is one checked row of a STOCK_COUNTS file.
type countRow struct {
	line    int64
	key     LevelKey
	counted int64
}

func (r *importRun) counts(ctx context.Context, h csvHeader, content []byte) error {
	type raw struct {
		line         int64
		sku, code    string
		counted      int64
		badQuantity  bool
		emptySKU     bool
		emptyCode    bool
		quantityText string
	}
	var raws []raw
	var progressErr error
	err := eachRow(content, len(h), func(line int64, rec []string) {
		if progressErr == nil {
			progressErr = r.progress(ctx)
		}
		x := raw{line: line, sku: h.cell(rec, "sku"), code: h.cell(rec, "locationCode"), quantityText: h.cell(rec, "countedQuantity")}
		n, err := strconv.ParseInt(x.quantityText, 10, 64)
		x.counted, x.badQuantity = n, err != nil || n < 0 || n > MaxQuantity
		raws = append(raws, x)
	}, func(e ImportRowError) { r.rows++; r.bad = append(r.bad, e) })
	if err == nil {
		err = progressErr
	}
	if err != nil {
		return err
	}
	var skus, codes []string
	for _, x := range raws {
		skus, codes = append(skus, x.sku), append(codes, x.code)
	}
	type ref struct{ Key, ID string }
	items, err := queryRows[ref](ctx, r.s, r.sc, `SELECT sku, id::text FROM items WHERE tenant_id = $1 AND sku = ANY($2::text[])`, r.sc.TenantID, skus)
	if err != nil {
		return fmt.Errorf("resolve skus: %w", err)
	}
	locs, err := queryRows[ref](ctx, r.s, r.sc, `SELECT code, id::text FROM locations WHERE tenant_id = $1 AND code = ANY($2::text[])`, r.sc.TenantID, codes)
	if err != nil {
		return fmt.Errorf("resolve location codes: %w", err)
	}
	itemID, locID := map[string]string{}, map[string]string{}
	for _, i := range items {
		itemID[i.Key] = i.ID
	}
	for _, l := range locs {
		locID[l.Key] = l.ID
	}
	var rows []countRow
	seen := map[LevelKey]int64{}
	for _, x := range raws {
		ok := true
		switch {
		case x.sku == "":
			r.badRow(x.line, "sku", CodeValidation, "sku must not be empty")
			ok = false
		case itemID[x.sku] == "":
			r.badRow(x.line, "sku", CodeNotFound, "no item has sku %q", truncate(x.sku, 64))
			ok = false
		}
		switch {
		case x.code == "":
			r.badRow(x.line, "locationCode", CodeValidation, "locationCode must not be empty")
			ok = false
		case locID[x.code] == "":
			r.badRow(x.line, "locationCode", CodeNotFound, "no location has code %q", truncate(x.code, 64))
			ok = false
		}
		if x.badQuantity {
			r.badRow(x.line, "countedQuantity", CodeValidation, "countedQuantity must be a whole number between 0 and %d, not %q",
				MaxQuantity, truncate(x.quantityText, 32))
			ok = false
		}
		if !ok {
			continue
		}
		key := LevelKey{ItemID: itemID[x.sku], LocationID: locID[x.code]}
		if first, dup := seen[key]; dup {
			r.badRow(x.line, "sku", CodeDuplicate, "sku %q at %q is also counted on line %d", truncate(x.sku, 64), truncate(x.code, 64), first)
			continue
		}
		seen[key] = x.line
		rows = append(rows, countRow{line: x.line, key: key, counted: x.counted})
	}
	if err := r.belowReserved(ctx, rows); err != nil {
		return err
	}
	if len(r.bad) > 0 {
		return r.fail(ctx, r.bad)
	}
	if r.imp.DryRun {
		return r.succeed(ctx, nil)
	}
	for start := 0; start < len(rows); start += MaxBatchLines {
		chunk := rows[start:min(start+MaxBatchLines, len(rows))]
		lines := make([]StockChangeLine, len(chunk))
		for i, c := range chunk {
			lines[i] = StockChangeLine{Kind: ChangeCount, ItemID: &c.key.ItemID, LocationID: &c.key.LocationID, CountedQuantity: &c.counted}
		}
		// The key makes a retried job replay the batches it already applied.
		key := fmt.Sprintf("import:%s:%d", r.imp.ID, start/MaxBatchLines)
		ref := "import " + r.imp.ID
		_, err := r.s.RecordStockChanges(ctx, r.sc, lines, Meta{IdempotencyKey: &key, Reference: &ref})
		if e, ok := AsError(err); ok {
			i := 0
			if len(e.Field) == 4 {
				i, _ = strconv.Atoi(e.Field[2])
			}
			msg := e.Message
			if start > 0 {
				msg += fmt.Sprintf(" (the %d rows before line %d were applied)", start, chunk[0].line)
			}
			r.badRow(chunk[i].line, "countedQuantity", e.Code, "%s", strings.TrimPrefix(msg, fmt.Sprintf("line %d: ", i)))
			return r.fail(ctx, r.bad)
		}
		if err != nil {
			return err
		}
		if err := r.s.inTenant(ctx, r.sc, func(tx pgx.Tx) error {
			return r.s.updateImport(ctx, tx, r.sc, r.imp, `rows_done = $3`, int64(start+len(chunk)))
		}); err != nil {
			return err
		}
	}
	return r.succeed(ctx, nil)
}

// belowReserved lists the rows that count less than is reserved there: the
// count could not apply.
func (r *importRun) belowReserved(ctx context.Context, rows []countRow) error {
	if len(rows) == 0 {
		return nil
	}
	items, locs := make([]string, len(rows)), make([]string, len(rows))
	for i, c := range rows {
		items[i], locs[i] = c.key.ItemID, c.key.LocationID
	}
	type reserved struct {
		ItemID, LocationID string
		Reserved           int64
	}
	found, err := queryRows[reserved](ctx, r.s, r.sc, `SELECT item_id::text, location_id::text, reserved FROM stock_levels
		WHERE tenant_id = $1 AND reserved > 0 AND (item_id, location_id) IN (SELECT * FROM unnest($2::uuid[], $3::uuid[]))`,
		r.sc.TenantID, items, locs)
	if err != nil {
		return fmt.Errorf("read reserved stock: %w", err)
	}
	held := map[LevelKey]int64{}
	for _, f := range found {
		held[LevelKey{ItemID: f.ItemID, LocationID: f.LocationID}] = f.Reserved
	}
	for _, c := range rows {
		if n := held[c.key]; c.counted < n {
			r.badRow(c.line, "countedQuantity", CodeInsufficientStock, "the count of %d is below the %d units reserved there; release reservations first", c.counted, n)
		}
	}
	sortRowErrors(r.bad)
	return nil
}

// fail records the row errors and ends the import FAILED.
func (r *importRun) fail(ctx context.Context, bad []ImportRowError) error {
	sortRowErrors(bad)
	return r.s.inTenant(ctx, r.sc, func(tx pgx.Tx) error {
		for start := 0; start < len(bad); start += 10_000 {
			chunk := bad[start:min(start+10_000, len(bad))]
			seqs, lines, columns, messages, codes := make([]int32, len(chunk)), make([]int64, len(chunk)), make([]*string, len(chunk)),
				make([]string, len(chunk)), make([]string, len(chunk))
			for i, e := range chunk {
				seqs[i], lines[i], columns[i], messages[i], codes[i] = int32(start+i), e.Row, e.Column, e.Message, string(e.Code)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO import_errors (tenant_id, import_id, seq, row_number, column_name, message, code)
				SELECT $1, $2, * FROM unnest($3::int[], $4::bigint[], $5::text[], $6::text[], $7::text[])`,
				r.sc.TenantID, r.imp.ID, seqs, lines, columns, messages, codes); err != nil {
				return fmt.Errorf("record import errors: %w", err)
			}
		}
		return r.s.updateImport(ctx, tx, r.sc, r.imp, `status = 'FAILED', file = NULL, finished_at = clock_timestamp(),
			error_count = $3, rows_total = $4, rows_done = $4`, int64(len(bad)), r.rows)
	})
}

// succeed runs apply (when not nil) and ends the import SUCCEEDED in the same
// transaction.
func (r *importRun) succeed(ctx context.Context, apply func(tx pgx.Tx) error) error {
	err := r.s.inTenant(ctx, r.sc, func(tx pgx.Tx) error {
		if apply != nil {
			if err := apply(tx); err != nil {
				return err
			}
		}
		return r.s.updateImport(ctx, tx, r.sc, r.imp, `status = 'SUCCEEDED', file = NULL, finished_at = clock_timestamp(),
			rows_total = $3, rows_done = $3`, r.rows)
	})
	if uniqueViolation(err, "items_barcode_key") {
		return ErrImportConflict // a barcode was taken since the rows were checked: run again
	}
	return err
}

// updateImport changes an import's row with set (whose arguments start at
// $3), refreshes imp, and writes the import.updated event.
func (s *Store) updateImport(ctx context.Context, tx pgx.Tx, sc Scope, imp *Import, set string, args ...any) error {
	rows, _ := tx.Query(ctx, `UPDATE imports SET `+set+` WHERE tenant_id = $1 AND id = $2 RETURNING `+importColumns,
		append([]any{sc.TenantID, imp.ID}, args...)...)
	next, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[Import])
	if err != nil {
		return fmt.Errorf("update import: %w", err)
	}
	*imp = *next
	return writeEvent(ctx, tx, sc, EventImportUpdated, imp)
}

// sortRowErrors puts row errors in row order; a row's errors keep the order
// of its columns.
func sortRowErrors(bad []ImportRowError) {
	slices.SortStableFunc(bad, func(a, b ImportRowError) int { return cmp.Compare(a.Row, b.Row) })
}
