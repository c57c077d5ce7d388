package domain

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// This file gives the package's tests reads that the service itself does not
// need.

// Level returns the stock of an item at a location as it stands now.
func (s *Store) Level(ctx context.Context, sc Scope, itemID, locationID string) (*Level, error) {
	return s.LevelAt(ctx, sc, itemID, locationID, nil)
}

// ReorderPoint returns the reorder point that applies to a level: the
// location's override, else the item's, else nil.
func (s *Store) ReorderPoint(ctx context.Context, sc Scope, itemID, locationID string) (*int64, error) {
	key, err := levelKey(itemID, locationID)
	if err != nil {
		return nil, err
	}
	var p *int64
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT `+reorderPointSQL, sc.TenantID, key.ItemID, key.LocationID).Scan(&p)
	})
	return p, err
}
