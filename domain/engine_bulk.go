package domain

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// bulkThreshold is the number of levels (or movements) above which the
// engine takes its locks and writes its rows with one statement over arrays
// instead of one statement per row: a 1,000-line batch then costs a handful
// of statements, not thousands. Operations on a level or two keep their
// single-value statements, whose plans PostgreSQL caches.
const bulkThreshold = 8

// bulkLockSQL takes the advisory locks of the keys in the order given (a
// function scan emits an array's elements in order, one call per row).
const bulkLockSQL = `SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k`

// lockStatements is how many statements queueLocks queues for n levels.
func lockStatements(n int) int {
	if n > bulkThreshold {
		return 1
	}
	return n
}

// queueLocks queues the advisory locks of keys, already in lock order.
func queueLocks(b *pgx.Batch, sc Scope, keys []LevelKey) {
	if len(keys) > bulkThreshold {
		ks := make([]int64, len(keys))
		for i, k := range keys {
			ks[i] = lockKey(sc.TenantID, k)
		}
		b.Queue(bulkLockSQL, ks)
		return
	}
	for _, k := range keys {
		b.Queue("SELECT pg_advisory_xact_lock($1)", lockKey(sc.TenantID, k))
	}
}

// writeBulk is write for many movements: the movements in one statement, the
// existing levels in one, the new levels in one (each with their history).
func (s *Store) writeBulk(ctx context.Context, tx pgx.Tx, sc Scope, meta Meta, at time.Time, drafts []draft,
	deltas map[LevelKey]*Level, locked []LevelKey, existing map[LevelKey]bool, change *StockChange) error {
	n := len(drafts)
	kinds, items, locs := make([]string, n), make([]string, n), make([]string, n)
	toLocs, reasons, refs := make([]*string, n), make([]*string, n), make([]*string, n)
	qty := make([]int64, n)
	from, to := make([]*string, n), make([]*string, n)
	for i, d := range drafts {
		kinds[i], items[i], locs[i], qty[i] = string(d.Kind), d.Key.ItemID, d.Key.LocationID, d.Quantity
		if d.ToLocation != "" {
			toLocs[i] = &d.ToLocation
		}
		if d.From != nil {
			from[i] = (*string)(d.From)
		}
		if d.To != nil {
			to[i] = (*string)(d.To)
		}
		reasons[i], refs[i] = cmpOr(d.Reason, meta.Reason), cmpOr(d.Reference, meta.Reference)
	}
	var upd, ins levelArrays
	for _, k := range locked {
		if d, ok := deltas[k]; ok {
			if existing[k] {
				upd.add(k, d)
			} else {
				ins.add(k, d)
			}
		}
	}
	b := &pgx.Batch{}
	b.Queue(`INSERT INTO movements (tenant_id, operation_id, kind, item_id, location_id, to_location_id,
			quantity, from_state, to_state, reason, reference, actor, idempotency_key, created_at)
		SELECT $1, $2, m.kind, m.item_id, m.location_id, m.to_location_id, m.quantity, m.from_state, m.to_state,
			m.reason, m.reference, $3, $4, $5
		FROM (SELECT * FROM unnest($6::text[], $7::uuid[], $8::uuid[], $9::uuid[], $10::bigint[], $11::text[], $12::text[], $13::text[], $14::text[])
			WITH ORDINALITY AS m (kind, item_id, location_id, to_location_id, quantity, from_state, to_state, reason, reference, n)
			ORDER BY m.n) m
		RETURNING `+movementColumns,
		sc.TenantID, change.OperationID, sc.Actor, meta.IdempotencyKey, at,
		kinds, items, locs, toLocs, qty, from, to, reasons, refs)
	const history = `, h AS (
			INSERT INTO level_history (tenant_id, item_id, location_id, version, available, reserved,
				damaged, quality_control, in_transit, at)
			SELECT tenant_id, item_id, location_id, version, available, reserved,
				damaged, quality_control, in_transit, updated_at FROM l
		)
		SELECT ` + levelColumns + ` FROM l`
	const deltaTable = `unnest($2::uuid[], $3::uuid[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[])
		AS d (item_id, location_id, available, reserved, damaged, quality_control, in_transit)`
	if len(upd.items) > 0 {
		b.Queue(`WITH l AS (
				UPDATE stock_levels s SET
					available = s.available + d.available,
					reserved = s.reserved + d.reserved,
					damaged = s.damaged + d.damaged,
					quality_control = s.quality_control + d.quality_control,
					in_transit = s.in_transit + d.in_transit,
					version = s.version + 1,
					updated_at = $9
				FROM `+deltaTable+`
				WHERE s.tenant_id = $1 AND s.item_id = d.item_id AND s.location_id = d.location_id
				RETURNING s.*
			)`+history, upd.args(sc, at)...)
	}
	if len(ins.items) > 0 {
		b.Queue(`WITH l AS (
				INSERT INTO stock_levels (tenant_id, item_id, location_id, available, reserved,
					damaged, quality_control, in_transit, version, updated_at)
				SELECT $1, d.item_id, d.location_id, d.available, d.reserved, d.damaged, d.quality_control, d.in_transit, 1, $9
				FROM `+deltaTable+`
				RETURNING *
			)`+history, ins.args(sc, at)...)
	}
	br := tx.SendBatch(ctx, b)
	defer br.Close()
	rows, _ := br.Query()
	ms, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Movement])
	if err != nil {
		return fmt.Errorf("append movements: %w", err)
	}
	if len(ms) != n {
		return fmt.Errorf("append movements: %d written, %d planned", len(ms), n)
	}
	change.Movements = append(change.Movements, ms...)
	for _, part := range []levelArrays{upd, ins} {
		if len(part.items) == 0 {
			continue
		}
		rows, _ := br.Query()
		levels, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Level])
		if err != nil {
			if isCode(err, "23514") { // check_violation: a state would go negative
				return newError(CodeInsufficientStock, "quantity", "not enough stock for this operation")
			}
			return fmt.Errorf("update levels: %w", err)
		}
		if len(levels) != len(part.items) {
			return fmt.Errorf("update levels: %d written, %d planned", len(levels), len(part.items))
		}
		change.Levels = append(change.Levels, levels...)
	}
	change.CreatedAt = change.Movements[0].CreatedAt
	return br.Close()
}

// levelArrays holds level deltas as columns, for unnest.
type levelArrays struct {
	items, locations                                      []string
	available, reserved, damaged, qualityControl, transit []int64
}

func (a *levelArrays) add(k LevelKey, d *Level) {
	a.items, a.locations = append(a.items, k.ItemID), append(a.locations, k.LocationID)
	a.available, a.reserved, a.damaged = append(a.available, d.Available), append(a.reserved, d.Reserved), append(a.damaged, d.Damaged)
	a.qualityControl, a.transit = append(a.qualityControl, d.QualityControl), append(a.transit, d.Incoming)
}

func (a *levelArrays) args(sc Scope, at time.Time) []any {
	return []any{sc.TenantID, a.items, a.locations, a.available, a.reserved, a.damaged, a.qualityControl, a.transit, at}
}

func cmpOr(a, b *string) *string {
	if a != nil {
		return a
	}
	return b
}
