package domain

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Location is a place that holds stock: a warehouse, a shop, a bin.
type Location struct {
	ID        string
	Code      string
	Name      string
	CreatedAt time.Time
}

// NewLocation is the input of CreateLocation.
type NewLocation struct {
	Code string
	Name string
}

const locationColumns = "id, code, name, created_at"

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
		return tx.QueryRow(ctx, `INSERT INTO locations (tenant_id, id, code, name)
			VALUES ($1, $2, $3, $4) RETURNING created_at`,
			sc.TenantID, loc.ID, loc.Code, loc.Name).Scan(&loc.CreatedAt)
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
	return s.oneLocation(ctx, sc, "id", id)
}

// LocationByCode returns the location with this code, or a NOT_FOUND Error.
func (s *Store) LocationByCode(ctx context.Context, sc Scope, code string) (*Location, error) {
	return s.oneLocation(ctx, sc, "code", code)
}

func (s *Store) oneLocation(ctx context.Context, sc Scope, column, value string) (*Location, error) {
	if column == "id" && !ValidID(value) {
		return nil, newError(CodeNotFound, "", "no location has id %q", truncate(value, 64))
	}
	var loc *Location
	err := s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, "SELECT "+locationColumns+" FROM locations WHERE tenant_id = $1 AND "+column+" = $2", sc.TenantID, value)
		var err error
		loc, err = pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[Location])
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, newError(CodeNotFound, "", "no location has %s %q", column, truncate(value, 64))
	}
	if err != nil {
		return nil, fmt.Errorf("get location: %w", err)
	}
	return loc, nil
}

// LocationsByID returns the locations with these ids, in no particular order;
// ids that name no location are left out. It serves batched loads.
func (s *Store) LocationsByID(ctx context.Context, sc Scope, ids []string) ([]*Location, error) {
	ids = validIDs(ids)
	var locs []*Location
	err := s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, "SELECT "+locationColumns+" FROM locations WHERE tenant_id = $1 AND id = ANY($2::uuid[])", sc.TenantID, ids)
		var err error
		locs, err = pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[Location])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("get locations: %w", err)
	}
	return locs, nil
}

// Locations lists the locations in code order.
func (s *Store) Locations(ctx context.Context, sc Scope, pr PageRequest) (*Page[*Location], error) {
	limit, err := pr.limit()
	if err != nil {
		return nil, err
	}
	after, err := pr.cursor("location")
	if err != nil {
		return nil, err
	}
	var locs []*Location
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, "SELECT "+locationColumns+` FROM locations
			WHERE tenant_id = $1 AND code > $2 ORDER BY code LIMIT $3`, sc.TenantID, after, limit+1)
		var err error
		locs, err = pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[Location])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list locations: %w", err)
	}
	return makePage(locs, limit, "location", func(l *Location) string { return l.Code }), nil
}
