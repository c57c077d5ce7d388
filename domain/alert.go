package domain

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// AlertKind says what an alert is about.
type AlertKind string

// The kinds of alert.
const (
	AlertLowStock    AlertKind = "LOW_STOCK"    // available at or below the reorder point
	AlertOutOfStock  AlertKind = "OUT_OF_STOCK" // available at or below zero, under a reorder point
	AlertLedgerDrift AlertKind = "LEDGER_DRIFT" // the projection disagrees with the ledger
)

// AlertStatus is where an alert is in its life.
type AlertStatus string

// The statuses of an alert.
const (
	AlertOpen         AlertStatus = "OPEN"
	AlertAcknowledged AlertStatus = "ACKNOWLEDGED" // someone has seen it; it stays until resolved
	AlertResolved     AlertStatus = "RESOLVED"
)

// Alert is raised once when a level crosses a threshold and resolved when it
// crosses back; it is raised again only on the next crossing.
type Alert struct {
	ID             string          `json:"id"`
	Kind           AlertKind       `json:"kind"`
	Status         AlertStatus     `json:"status"`
	ItemID         string          `json:"itemId"`
	LocationID     string          `json:"locationId"`
	Available      *int64          `json:"available,omitempty"`
	Threshold      *int64          `json:"threshold,omitempty"`
	Details        json.RawMessage `json:"details,omitempty"`
	RaisedAt       time.Time       `json:"raisedAt"`
	AcknowledgedAt *time.Time      `json:"acknowledgedAt,omitempty"`
	AcknowledgedBy *string         `json:"acknowledgedBy,omitempty"`
	ResolvedAt     *time.Time      `json:"resolvedAt,omitempty"`
}

const alertColumns = `id, kind, status, item_id, location_id, available, threshold, details,
	raised_at, acknowledged_at, acknowledged_by, resolved_at`

// CheckAlerts decides, for one level, whether a low-stock alert must be
// raised, escalated or resolved, and does it. Jobs call it after changes to
// the level; it takes the level's lock, so it sees every change committed
// before it and none can commit while it decides. It returns the alert it
// raised, changed or resolved, if any.
func (s *Store) CheckAlerts(ctx context.Context, sc Scope, itemID, locationID string) (*Alert, error) {
	key, err := levelKey(itemID, locationID)
	if err != nil {
		return nil, err
	}
	var changed *Alert
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		var (
			available int64
			threshold *int64
		)
		b := &pgx.Batch{}
		b.Queue(lockLevelSQL, LockKey(sc.TenantID, key))
		b.Queue(`DELETE FROM alert_checks WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3`,
			sc.TenantID, key.ItemID, key.LocationID)
		b.Queue(`SELECT coalesce((SELECT available FROM stock_levels WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3), 0),
			`+reorderPointSQL,
			sc.TenantID, key.ItemID, key.LocationID).QueryRow(func(r pgx.Row) error { return r.Scan(&available, &threshold) })
		var open *Alert
		b.Queue(`SELECT `+alertColumns+` FROM alerts WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3
			AND status <> 'RESOLVED' AND kind IN ('LOW_STOCK', 'OUT_OF_STOCK')`,
			sc.TenantID, key.ItemID, key.LocationID).Query(func(rows pgx.Rows) error {
			found, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[Alert])
			if len(found) > 0 {
				open = found[0]
			}
			return err
		})
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("read level for alert: %w", err)
		}

		kind := AlertLowStock
		if available <= 0 {
			kind = AlertOutOfStock
		}
		low := threshold != nil && available <= *threshold
		var (
			event string
			rows  pgx.Rows
		)
		switch {
		case low && open == nil:
			event = EventAlertRaised
			rows, _ = tx.Query(ctx, `INSERT INTO alerts (tenant_id, id, kind, status, item_id, location_id, available, threshold)
				VALUES ($1, $2, $3, 'OPEN', $4, $5, $6, $7) RETURNING `+alertColumns,
				sc.TenantID, uuid.NewString(), kind, key.ItemID, key.LocationID, available, threshold)
		case low && open.Kind != kind:
			// Escalated to out of stock, or eased back to low: the same crossing.
			event = EventAlertUpdated
			rows, _ = tx.Query(ctx, `UPDATE alerts SET kind = $3, available = $4, threshold = $5
				WHERE tenant_id = $1 AND id = $2 RETURNING `+alertColumns, sc.TenantID, open.ID, kind, available, threshold)
		case !low && open != nil:
			event = EventAlertResolved
			rows, _ = tx.Query(ctx, `UPDATE alerts SET status = 'RESOLVED', resolved_at = clock_timestamp(), available = $3
				WHERE tenant_id = $1 AND id = $2 RETURNING `+alertColumns, sc.TenantID, open.ID, available)
		default:
			return nil
		}
		a, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[Alert])
		if err != nil {
			return fmt.Errorf("write alert: %w", err)
		}
		changed = a
		return writeEvent(ctx, tx, sc, event, a)
	})
	if err != nil {
		return nil, wrap(err, "check alerts")
	}
	return changed, nil
}

// AcknowledgeAlert records that someone has seen an alert. It stays until the
// level crosses back (or, for drift, until it is resolved). Acknowledging a
// resolved alert is INVALID_STATE; acknowledging twice keeps the first.
func (s *Store) AcknowledgeAlert(ctx context.Context, sc Scope, id string) (*Alert, error) {
	id, err := parseID("alertId", id)
	if err != nil {
		return nil, err
	}
	var a *Alert
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		cur, err := rowWhere[Alert](ctx, tx, sc, "alerts", alertColumns, "id", id, "alertId", "alert")
		if err != nil {
			return err
		}
		// Alerts of a level change under the level's lock, so that their
		// events reach the change feed in the order they happened.
		if _, err := tx.Exec(ctx, lockLevelSQL,
			LockKey(sc.TenantID, LevelKey{ItemID: cur.ItemID, LocationID: cur.LocationID})); err != nil {
			return err
		}
		if cur, err = rowWhere[Alert](ctx, tx, sc, "alerts", alertColumns, "id", id, "alertId", "alert"); err != nil {
			return err
		}
		switch cur.Status {
		case AlertResolved:
			return newError(CodeInvalidState, "alertId", "the alert is already RESOLVED")
		case AlertAcknowledged:
			a = cur
			return nil
		}
		rows, _ := tx.Query(ctx, `UPDATE alerts SET status = 'ACKNOWLEDGED', acknowledged_at = clock_timestamp(), acknowledged_by = $3
			WHERE tenant_id = $1 AND id = $2 RETURNING `+alertColumns, sc.TenantID, id, sc.Actor)
		if a, err = pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[Alert]); err != nil {
			return err
		}
		return writeEvent(ctx, tx, sc, EventAlertUpdated, a)
	})
	if err != nil {
		return nil, wrap(err, "acknowledge alert")
	}
	return a, nil
}

// AlertFilter narrows an alert listing. Nil fields do not filter.
type AlertFilter struct {
	Status     *AlertStatus
	Kind       *AlertKind
	ItemID     *string
	LocationID *string
}

// Alerts lists alerts, newest first.
func (s *Store) Alerts(ctx context.Context, sc Scope, f AlertFilter, pr PageRequest) (*Page[*Alert], error) {
	q := newListQuery(sc)
	if f.Status != nil {
		q.where("status = $%d", string(*f.Status))
	}
	if f.Kind != nil {
		q.where("kind = $%d", string(*f.Kind))
	}
	if !q.whereID("item_id = $%d", f.ItemID) || !q.whereID("location_id = $%d", f.LocationID) {
		return &Page[*Alert]{}, nil
	}
	return listNewest(ctx, s, sc, q, "alerts", alertColumns, "raised_at", "alert", pr,
		pgx.RowToAddrOfStructByPos[Alert], func(a *Alert) (time.Time, string) { return a.RaisedAt, a.ID })
}

// Alert returns an alert by id, or a NOT_FOUND Error.
func (s *Store) Alert(ctx context.Context, sc Scope, id string) (*Alert, error) {
	return getWhere[Alert](ctx, s, sc, "alerts", alertColumns, "id", id, "id", "alert")
}

// SetReorderPoint sets (or, with nil, clears) the reorder point of an item
// at one location, overriding the item's own; with an empty locationID it sets
// the item's own. Every affected level is checked again for alerts. It
// returns the reorder point that now applies at the location (the item's own
// when no location is given).
func (s *Store) SetReorderPoint(ctx context.Context, sc Scope, itemID, locationID string, point *int64) (*int64, error) {
	item, err := parseID("itemId", itemID)
	if err != nil {
		return nil, err
	}
	var loc string
	if locationID != "" {
		if loc, err = parseID("locationId", locationID); err != nil {
			return nil, err
		}
	}
	if point != nil && (*point < 0 || *point > MaxQuantity) {
		return nil, newError(CodeValidation, "reorderPoint", "reorderPoint must be between 0 and %d", MaxQuantity)
	}
	var applies *int64
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		var itemOK, locOK bool
		err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM items WHERE tenant_id = $1 AND id = $2),
			$3 = '' OR EXISTS (SELECT 1 FROM locations WHERE tenant_id = $1 AND id::text = $3)`,
			sc.TenantID, item, loc).Scan(&itemOK, &locOK)
		switch {
		case err != nil:
			return err
		case !itemOK:
			return newError(CodeNotFound, "itemId", "no item has id %q", item)
		case !locOK:
			return newError(CodeNotFound, "locationId", "no location has id %q", loc)
		}
		switch {
		case loc == "":
			_, err = tx.Exec(ctx, `UPDATE items SET reorder_point = $3 WHERE tenant_id = $1 AND id = $2`, sc.TenantID, item, point)
		case point == nil:
			_, err = tx.Exec(ctx, `DELETE FROM reorder_points WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3`, sc.TenantID, item, loc)
		default:
			_, err = tx.Exec(ctx, `INSERT INTO reorder_points (tenant_id, item_id, location_id, reorder_point) VALUES ($1, $2, $3, $4)
				ON CONFLICT (tenant_id, item_id, location_id) DO UPDATE SET reorder_point = EXCLUDED.reorder_point`,
				sc.TenantID, item, loc, *point)
		}
		if err != nil {
			return fmt.Errorf("set reorder point: %w", err)
		}
		rows, _ := tx.Query(ctx, `SELECT item_id::text, location_id::text FROM stock_levels
			WHERE tenant_id = $1 AND item_id = $2 AND ($3 = '' OR location_id::text = $3)`, sc.TenantID, item, loc)
		keys, err := pgx.CollectRows(rows, pgx.RowToStructByPos[LevelKey])
		if err != nil {
			return err
		}
		if err := s.requestAlertChecks(ctx, tx, sc, keys); err != nil {
			return err
		}
		applies = point
		if loc != "" {
			return tx.QueryRow(ctx, `SELECT `+reorderPointSQL, sc.TenantID, item, loc).Scan(&applies)
		}
		return nil
	})
	if err != nil {
		return nil, wrap(err, "set reorder point")
	}
	return applies, nil
}

// reorderPointSQL is the reorder point that applies to the level ($2 item,
// $3 location) of tenant $1: the location's override, else the item's.
const reorderPointSQL = `coalesce(
	(SELECT reorder_point FROM reorder_points WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3),
	(SELECT reorder_point FROM items WHERE tenant_id = $1 AND id = $2))`
