package domain

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// pendingAlertCheckSQL marks the given levels as needing an alert check, if
// they can have an alert at all (a reorder point applies, or an alert is
// open), and returns those that were not already pending: at most one check,
// and one job, is ever pending per level.
const pendingAlertCheckSQL = `
INSERT INTO alert_checks (tenant_id, item_id, location_id)
SELECT $1, k.item_id, k.location_id FROM unnest($2::uuid[], $3::uuid[]) AS k (item_id, location_id)
WHERE EXISTS (SELECT 1 FROM items i WHERE i.tenant_id = $1 AND i.id = k.item_id AND i.reorder_point IS NOT NULL)
   OR EXISTS (SELECT 1 FROM reorder_points r WHERE r.tenant_id = $1 AND r.item_id = k.item_id AND r.location_id = k.location_id)
   OR EXISTS (SELECT 1 FROM alerts a WHERE a.tenant_id = $1 AND a.item_id = k.item_id AND a.location_id = k.location_id
              AND a.status <> 'RESOLVED' AND a.kind IN ('LOW_STOCK', 'OUT_OF_STOCK'))
ON CONFLICT DO NOTHING
RETURNING item_id::text, location_id::text`

// pendingAlertCheckOneSQL is pendingAlertCheckSQL for one level, with single
// values that PostgreSQL can keep a cached plan for.
const pendingAlertCheckOneSQL = `
INSERT INTO alert_checks (tenant_id, item_id, location_id)
SELECT $1, $2, $3
WHERE EXISTS (SELECT 1 FROM items i WHERE i.tenant_id = $1 AND i.id = $2 AND i.reorder_point IS NOT NULL)
   OR EXISTS (SELECT 1 FROM reorder_points r WHERE r.tenant_id = $1 AND r.item_id = $2 AND r.location_id = $3)
   OR EXISTS (SELECT 1 FROM alerts a WHERE a.tenant_id = $1 AND a.item_id = $2 AND a.location_id = $3
              AND a.status <> 'RESOLVED' AND a.kind IN ('LOW_STOCK', 'OUT_OF_STOCK'))
ON CONFLICT DO NOTHING
RETURNING item_id::text, location_id::text`

// queueAlertChecks queues the marking of levels as needing an alert check;
// the levels newly marked land in pending when the batch runs.
func queueAlertChecks(b *batch, sc Scope, keys []LevelKey, pending *[]LevelKey) {
	collect := func(rows pgx.Rows) (err error) {
		*pending, err = pgx.CollectRows(rows, pgx.RowToStructByPos[LevelKey])
		return err
	}
	if len(keys) == 1 {
		b.query("mark alert check", collect, pendingAlertCheckOneSQL, sc.TenantID, keys[0].ItemID, keys[0].LocationID)
		return
	}
	items, locs := keyColumns(keys)
	b.query("mark alert checks", collect, pendingAlertCheckSQL, sc.TenantID, items, locs)
}

// availableChanged returns the levels whose available count a change moves.
func availableChanged(deltas map[LevelKey]*Level) []LevelKey {
	var out []LevelKey
	for k, d := range deltas {
		if d.Available != 0 {
			out = append(out, k)
		}
	}
	return out
}

// scheduleAlertChecks enqueues a check job for each newly pending level, in
// the change's transaction.
func (s *Store) scheduleAlertChecks(ctx context.Context, tx pgx.Tx, sc Scope, keys []LevelKey) error {
	if s.scheduler == nil {
		return nil
	}
	for _, k := range keys {
		if err := s.scheduler.ScheduleAlertCheck(ctx, tx, sc.TenantID, k.ItemID, k.LocationID); err != nil {
			return fmt.Errorf("schedule alert check: %w", err)
		}
	}
	return nil
}

// requestAlertChecks marks levels as needing a check and schedules it,
// outside a stock change (a reorder point changed).
func (s *Store) requestAlertChecks(ctx context.Context, tx pgx.Tx, sc Scope, keys []LevelKey) error {
	if len(keys) == 0 {
		return nil
	}
	var pending []LevelKey
	b := &batch{}
	queueAlertChecks(b, sc, keys, &pending)
	if err := b.send(ctx, tx); err != nil {
		return fmt.Errorf("mark alert checks: %w", err)
	}
	return s.scheduleAlertChecks(ctx, tx, sc, pending)
}

// RequeueStaleAlertChecks finds the tenant's levels whose alert check has been
// pending for longer than age (its job was lost or gave up), and marks and
// schedules them afresh. It returns how many it requeued.
func (s *Store) RequeueStaleAlertChecks(ctx context.Context, sc Scope, age time.Duration) (int, error) {
	var n int
	err := s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `DELETE FROM alert_checks WHERE tenant_id = $1 AND marked_at < clock_timestamp() - make_interval(secs => $2)
			RETURNING item_id::text, location_id::text`, sc.TenantID, age.Seconds())
		stale, err := pgx.CollectRows(rows, pgx.RowToStructByPos[LevelKey])
		if err != nil {
			return err
		}
		n = len(stale)
		return s.requestAlertChecks(ctx, tx, sc, stale)
	})
	if err != nil {
		return 0, fmt.Errorf("requeue alert checks: %w", err)
	}
	return n, nil
}
