package domain

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// reportChunkSize is the size at which a report's file is cut into a chunk
// and stored: building a report holds at most about this much in memory,
// whatever the size of the ledger.
const reportChunkSize = 256 << 10

// reportQuery is the SQL that lists a report's rows, its CSV header, and how
// to count its rows for progress.
type reportQuery struct {
	header []string
	sql    string
	count  string
	args   []any
}

func queryFor(sc Scope, r *Report) reportQuery {
	p := r.Params
	args := []any{sc.TenantID, nilIfEmpty(p.LocationIDs), nilIfEmpty(p.ItemIDs)}
	levelFilter := `l.tenant_id = $1 AND ($2::uuid[] IS NULL OR l.location_id = ANY($2)) AND ($3::uuid[] IS NULL OR l.item_id = ANY($3))`
	switch r.Kind {
	case ReportStockSnapshot:
		asOf := time.Now().UTC()
		if p.AsOf != nil {
			asOf = *p.AsOf
		}
		args = append(args, asOf)
		return reportQuery{
			header: []string{"sku", "item_name", "location_code", "on_hand", "available", "reserved", "damaged",
				"quality_control", "incoming", "version", "last_changed_at"},
			sql: `SELECT i.sku, i.name, loc.code, h.available + h.reserved + h.damaged + h.quality_control,
					h.available, h.reserved, h.damaged, h.quality_control, h.in_transit, h.version, h.at
				FROM stock_levels l
				JOIN items i ON i.tenant_id = l.tenant_id AND i.id = l.item_id
				JOIN locations loc ON loc.tenant_id = l.tenant_id AND loc.id = l.location_id
				CROSS JOIN LATERAL (
					SELECT * FROM level_history h
					WHERE h.tenant_id = l.tenant_id AND h.item_id = l.item_id AND h.location_id = l.location_id AND h.at <= $4
					ORDER BY h.at DESC, h.version DESC LIMIT 1) h
				WHERE ` + levelFilter + `
				ORDER BY i.sku, loc.code`,
			count: `SELECT count(*) FROM stock_levels l WHERE ` + levelFilter + ` AND $4::timestamptz IS NOT NULL`,
			args:  args,
		}
	case ReportMovementHistory:
		args = append(args, *p.From, *p.To)
		filter := `m.tenant_id = $1 AND m.created_at >= $4 AND m.created_at < $5
			AND ($2::uuid[] IS NULL OR m.location_id = ANY($2) OR m.to_location_id = ANY($2))
			AND ($3::uuid[] IS NULL OR m.item_id = ANY($3))`
		return reportQuery{
			header: []string{"movement_id", "created_at", "operation_id", "kind", "sku", "location_code",
				"to_location_code", "quantity", "from_state", "to_state", "actor", "reason", "reference"},
			sql: `SELECT m.id, m.created_at, m.operation_id::text, m.kind, i.sku, loc.code, toloc.code, m.quantity,
					m.from_state, m.to_state, m.actor, m.reason, m.reference
				FROM movements m
				JOIN items i ON i.tenant_id = m.tenant_id AND i.id = m.item_id
				JOIN locations loc ON loc.tenant_id = m.tenant_id AND loc.id = m.location_id
				LEFT JOIN locations toloc ON toloc.tenant_id = m.tenant_id AND toloc.id = m.to_location_id
				WHERE ` + filter + `
				ORDER BY m.created_at, m.id`,
			count: `SELECT count(*) FROM movements m WHERE ` + filter,
			args:  args,
		}
	default: // ReportLowStock
		from := `FROM stock_levels l
				JOIN items i ON i.tenant_id = l.tenant_id AND i.id = l.item_id
				JOIN locations loc ON loc.tenant_id = l.tenant_id AND loc.id = l.location_id
				LEFT JOIN reorder_points r ON r.tenant_id = l.tenant_id AND r.item_id = l.item_id AND r.location_id = l.location_id
				WHERE ` + levelFilter + ` AND l.available <= coalesce(r.reorder_point, i.reorder_point)`
		return reportQuery{
			header: []string{"sku", "item_name", "location_code", "available", "reorder_point", "to_reach_reorder_point"},
			sql: `SELECT i.sku, i.name, loc.code, l.available, coalesce(r.reorder_point, i.reorder_point),
					coalesce(r.reorder_point, i.reorder_point) - l.available ` + from + `
				ORDER BY i.sku, loc.code`,
			count: `SELECT count(*) ` + from,
			args:  args,
		}
	}
}

func nilIfEmpty(ids []string) []string {
	if len(ids) == 0 {
		return nil
	}
	return ids
}

// BuildReport builds a queued report: it streams the rows from one
// consistent snapshot, writes CSV into chunks of reportChunkSize, records
// progress as it goes, and ends SUCCEEDED (kept for ttl) or FAILED with the
// reason. A report that is no longer QUEUED or RUNNING is left alone.
func (s *Store) BuildReport(ctx context.Context, sc Scope, id string, ttl time.Duration) error {
	r, err := s.startReport(ctx, sc, id)
	if err != nil || r == nil {
		return err
	}
	rows, bytes, err := s.writeReport(ctx, sc, r)
	if err != nil {
		return s.failReport(ctx, sc, r, err)
	}
	return s.updateReport(ctx, sc, r.ID, `status = 'SUCCEEDED', progress = 1, row_count = $3, byte_count = $4,
		finished_at = clock_timestamp(), expires_at = clock_timestamp() + make_interval(secs => $5)`,
		rows, bytes, ttl.Seconds())
}

func (s *Store) startReport(ctx context.Context, sc Scope, id string) (*Report, error) {
	var r *Report
	err := s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		cur, err := reportByID(ctx, tx, sc, id, true)
		if err != nil {
			return err
		}
		if cur.Status != ReportQueued && cur.Status != ReportRunning {
			return nil
		}
		// A report that was RUNNING when its worker died starts over.
		if _, err := tx.Exec(ctx, `DELETE FROM report_chunks WHERE tenant_id = $1 AND report_id = $2`, sc.TenantID, id); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `UPDATE reports SET status = 'RUNNING', started_at = clock_timestamp(), progress = 0,
				row_count = 0, byte_count = 0 WHERE tenant_id = $1 AND id = $2 RETURNING `+reportColumns, sc.TenantID, id)
		if r, err = pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[Report]); err != nil {
			return err
		}
		return writeEvent(ctx, tx, sc, EventReportUpdated, r)
	})
	if err != nil {
		return nil, fmt.Errorf("start report: %w", err)
	}
	return r, nil
}

// writeReport streams the report's rows into stored chunks and returns how
// many rows and bytes it wrote.
func (s *Store) writeReport(ctx context.Context, sc Scope, r *Report) (int64, int64, error) {
	q := queryFor(sc, r)
	var written, size int64
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if err := setTenant(ctx, tx, sc); err != nil {
			return err
		}
		var total int64
		if err := tx.QueryRow(ctx, q.count, q.args...).Scan(&total); err != nil {
			return fmt.Errorf("count rows: %w", err)
		}
		rows, err := tx.Query(ctx, q.sql, q.args...)
		if err != nil {
			return fmt.Errorf("query rows: %w", err)
		}
		defer rows.Close()
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		seq := 0
		flush := func() error {
			w.Flush()
			if err := w.Error(); err != nil {
				return err
			}
			if buf.Len() == 0 {
				return nil
			}
			size += int64(buf.Len())
			progress := 1.0
			if total > 0 {
				progress = min(float64(written)/float64(total), 0.99)
			}
			err := s.storeChunk(ctx, sc, r.ID, seq, buf.Bytes(), written, size, progress)
			seq++
			buf.Reset()
			return err
		}
		if err := w.Write(q.header); err != nil {
			return err
		}
		record := make([]string, len(q.header))
		for rows.Next() {
			values, err := rows.Values()
			if err != nil {
				return err
			}
			for i, v := range values {
				record[i] = csvField(v)
			}
			if err := w.Write(record); err != nil {
				return err
			}
			written++
			if buf.Len() >= reportChunkSize {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return flush()
	})
	return written, size, err
}

// storeChunk stores one piece of a report's file and its progress, in a
// transaction of its own, and tells subscribers.
func (s *Store) storeChunk(ctx context.Context, sc Scope, id string, seq int, data []byte, rows, size int64, progress float64) error {
	return s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO report_chunks (tenant_id, report_id, seq, data) VALUES ($1, $2, $3, $4)`,
			sc.TenantID, id, seq, data); err != nil {
			return fmt.Errorf("store chunk: %w", err)
		}
		return updateReportTx(ctx, tx, sc, id, `progress = $3, row_count = $4, byte_count = $5`, progress, rows, size)
	})
}

func (s *Store) failReport(ctx context.Context, sc Scope, r *Report, cause error) error {
	msg := cause.Error()
	if len(msg) > 500 {
		msg = msg[:500]
	}
	// Record the failure even when it was the context that ended.
	ctx = context.WithoutCancel(ctx)
	err := s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM report_chunks WHERE tenant_id = $1 AND report_id = $2`, sc.TenantID, r.ID); err != nil {
			return err
		}
		return updateReportTx(ctx, tx, sc, r.ID, `status = 'FAILED', error = $3, finished_at = clock_timestamp()`, msg)
	})
	if err != nil {
		return fmt.Errorf("report failed (%v), and recording it failed too: %w", cause, err)
	}
	return nil
}

func (s *Store) updateReport(ctx context.Context, sc Scope, id, set string, args ...any) error {
	return s.inTenant(ctx, sc, func(tx pgx.Tx) error { return updateReportTx(ctx, tx, sc, id, set, args...) })
}

// updateReportTx changes a report and puts its new state on the change feed.
func updateReportTx(ctx context.Context, tx pgx.Tx, sc Scope, id, set string, args ...any) error {
	rows, _ := tx.Query(ctx, `UPDATE reports SET `+set+` WHERE tenant_id = $1 AND id = $2 RETURNING `+reportColumns,
		append([]any{sc.TenantID, id}, args...)...)
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[Report])
	if err != nil {
		return fmt.Errorf("update report: %w", err)
	}
	return writeEvent(ctx, tx, sc, EventReportUpdated, r)
}

// csvField formats a value for the CSV file. Text that a spreadsheet would
// read as a formula gets a leading apostrophe.
func csvField(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		if x != "" && strings.ContainsRune("=+-@\t\r", rune(x[0])) {
			return "'" + x
		}
		return x
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	}
	return fmt.Sprint(v)
}
