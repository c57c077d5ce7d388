package domain

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// LevelKey names one stock level: an item at a location.
type LevelKey struct {
	ItemID     string
	LocationID string
}

// Level is the stock of one item at one location, one field per state. It is
// a projection of the ledger, maintained in the same transaction as every
// movement that changes it.
//
// Stock in transit has three names, one per layer, for one idea: the state
// is IN_TRANSIT (InTransit, as movements carry it), the column of
// stock_levels and level_history is in_transit, and the level shows it as
// Incoming (the GraphQL field incoming), because a level holds the units on
// their way to its location: a transfer's units count at the destination
// from the moment they leave the origin.
type Level struct {
	ItemID         string    `json:"itemId"`
	LocationID     string    `json:"locationId"`
	Available      int64     `json:"available"`
	Reserved       int64     `json:"reserved"`
	Damaged        int64     `json:"damaged"`
	QualityControl int64     `json:"qualityControl"`
	Incoming       int64     `json:"incoming"` // state IN_TRANSIT, column in_transit
	Version        int64     `json:"version"`
	UpdatedAt      time.Time `json:"updatedAt"`
}

// Key returns the level's key.
func (l *Level) Key() LevelKey { return LevelKey{ItemID: l.ItemID, LocationID: l.LocationID} }

// OnHand is what is physically at the location: every state but in transit.
func (l *Level) OnHand() int64 {
	return l.Available + l.Reserved + l.Damaged + l.QualityControl
}

// Good is the sellable stock a physical count covers: available plus reserved.
func (l *Level) Good() int64 { return l.Available + l.Reserved }

// field returns the counter that holds a state.
func (l *Level) field(s State) *int64 {
	switch s {
	case Available:
		return &l.Available
	case Reserved:
		return &l.Reserved
	case Damaged:
		return &l.Damaged
	case QualityControl:
		return &l.QualityControl
	case InTransit:
		return &l.Incoming
	}
	panic("domain: unknown state " + string(s))
}

// negative returns the first state whose count is below zero, if any.
func (l *Level) negative() (State, bool) {
	for _, s := range []State{Available, Reserved, Damaged, QualityControl, InTransit} {
		if *l.field(s) < 0 {
			return s, true
		}
	}
	return "", false
}

const levelColumns = `item_id, location_id, available, reserved, damaged, quality_control,
	in_transit, version, updated_at`

// LevelAt returns the stock of an item at a location as it stands now (asOf
// nil) or as it stood at a past moment: its last state recorded at or before
// then, found through the level's history index, never by replaying the
// ledger. Where nothing ever moved it is all zeros (version 0). An item or
// location that does not exist is NOT_FOUND.
func (s *Store) LevelAt(ctx context.Context, sc Scope, itemID, locationID string, asOf *time.Time) (*Level, error) {
	key, err := levelKey(itemID, locationID)
	if err != nil {
		return nil, err
	}
	read := `SELECT ` + levelColumns + ` FROM stock_levels WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3`
	args := []any{sc.TenantID, key.ItemID, key.LocationID}
	if asOf != nil {
		read = `SELECT item_id, location_id, available, reserved, damaged, quality_control, in_transit, version, at
			FROM level_history WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3 AND at <= $4
			ORDER BY level_history.at DESC, level_history.version DESC LIMIT 1`
		args = append(args, *asOf)
	}
	var lvl *Level
	var created *time.Time
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		var itemOK, locOK bool
		b := &pgx.Batch{}
		b.Queue(`SELECT EXISTS (SELECT 1 FROM items WHERE tenant_id = $1 AND id = $2),
			EXISTS (SELECT 1 FROM locations WHERE tenant_id = $1 AND id = $3),
			greatest((SELECT created_at FROM items WHERE tenant_id = $1 AND id = $2),
				(SELECT created_at FROM locations WHERE tenant_id = $1 AND id = $3))`,
			sc.TenantID, key.ItemID, key.LocationID).
			QueryRow(func(row pgx.Row) error { return row.Scan(&itemOK, &locOK, &created) })
		b.Queue(read, args...).Query(func(rows pgx.Rows) error {
			levels, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[Level])
			if len(levels) == 1 {
				lvl = levels[0]
			}
			return err
		})
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		switch {
		case !itemOK:
			return newError(CodeNotFound, "itemId", "no item has id %q", key.ItemID)
		case !locOK:
			return newError(CodeNotFound, "locationId", "no location has id %q", key.LocationID)
		}
		return nil
	})
	if err != nil {
		return nil, wrap(err, "get level")
	}
	if lvl == nil {
		// Nothing ever moved: the level has been all zeros since both the
		// item and the location existed.
		lvl = &Level{ItemID: key.ItemID, LocationID: key.LocationID, UpdatedAt: *created}
	}
	return lvl, nil
}

// LevelsByItem returns, for each of these items, every level where it ever
// moved, ordered by location id. It serves batched loads.
func (s *Store) LevelsByItem(ctx context.Context, sc Scope, itemIDs []string) (map[string][]*Level, error) {
	itemIDs = validIDs(itemIDs)
	out := make(map[string][]*Level, len(itemIDs))
	err := s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+levelColumns+` FROM stock_levels
			WHERE tenant_id = $1 AND item_id = ANY($2::uuid[]) ORDER BY stock_levels.item_id, stock_levels.location_id`, sc.TenantID, itemIDs)
		levels, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[Level])
		for _, l := range levels {
			out[l.ItemID] = append(out[l.ItemID], l)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("get levels: %w", err)
	}
	return out, nil
}
