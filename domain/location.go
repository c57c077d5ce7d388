package domain

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Location is a place that holds stock: a warehouse, a shop, a bin.
type Location struct {
	ID         string     `json:"id"`
	Code       string     `json:"code"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"createdAt"`
	ArchivedAt *time.Time `json:"archivedAt"`
}

// NewLocation is the input of CreateLocation.
type NewLocation struct {
	Code string
	Name string
}

const locationColumns = "id, code, name, created_at, archived_at"

// CreateLocation adds a location. A code already taken in the tenant is
// DUPLICATE.
func (s *Store) CreateLocation(ctx context.Context, sc Scope, in NewLocation) (*Location, error) {
	loc := &Location{ID: uuid.NewString()}
	var err error
	if loc.Code, err = requireText("code", in.Code, maxCode); err != nil {
		return nil, err
	}
	if loc.Name, err = requireText("name", in.Name, maxName); err != nil {
		return nil, err
	}
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO locations (tenant_id, id, code, name)
			VALUES ($1, $2, $3, $4) RETURNING created_at`,
			sc.TenantID, loc.ID, loc.Code, loc.Name).Scan(&loc.CreatedAt)
		if err != nil {
			return err
		}
		return writeEvent(ctx, tx, sc, EventLocationCreated, loc)
	})
	if uniqueViolation(err, "locations_code_key") {
		return nil, newError(CodeDuplicate, "code", "location code %q is already taken", loc.Code)
	}
	if err != nil {
		return nil, fmt.Errorf("create location: %w", err)
	}
	return loc, nil
}

// Location returns the location with this id, or a NOT_FOUND Error.
func (s *Store) Location(ctx context.Context, sc Scope, id string) (*Location, error) {
	return getWhere[Location](ctx, s, sc, "locations", locationColumns, "id", id, "", "location")
}

// LocationByCode returns the location with this code, or a NOT_FOUND Error.
func (s *Store) LocationByCode(ctx context.Context, sc Scope, code string) (*Location, error) {
	return getWhere[Location](ctx, s, sc, "locations", locationColumns, "code", code, "", "location")
}

// LocationsByID returns the locations with these ids, in no particular order;
// ids that name no location are left out. It serves batched loads.
func (s *Store) LocationsByID(ctx context.Context, sc Scope, ids []string) ([]*Location, error) {
	locs, err := queryRows[Location](ctx, s, sc, "SELECT "+locationColumns+" FROM locations WHERE tenant_id = $1 AND id = ANY($2::uuid[])",
		sc.TenantID, validIDs(ids))
	if err != nil {
		return nil, fmt.Errorf("get locations: %w", err)
	}
	return locs, nil
}

// Locations lists the locations in code order.
func (s *Store) Locations(ctx context.Context, sc Scope, pr PageRequest) (*Page[*Location], error) {
	return listByKey(ctx, s, sc, pr, "locations", locationColumns, "code", "location", func(l *Location) string { return l.Code })
}
