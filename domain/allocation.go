package domain

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// AllocationStrategy says in which order allocateStock draws on locations.
type AllocationStrategy string

// The allocation strategies.
const (
	// AllocatePriority takes from the locations in the order given (by code
	// when none are given), as much as each has, until the quantity is met.
	AllocatePriority AllocationStrategy = "PRIORITY"
	// AllocateMostAvailable takes from the location with the most available
	// first, then the next, so that an order is split as little as possible.
	AllocateMostAvailable AllocationStrategy = "MOST_AVAILABLE"
)

// maxAllocationLocations bounds how many locations one allocation considers.
const maxAllocationLocations = 100

// AllocationRequest is the input of Allocate.
type AllocationRequest struct {
	ItemID   string
	Quantity int64
	// LocationIDs are the candidate locations in priority order; when empty,
	// every location of the tenant, by code.
	LocationIDs  []string
	Strategy     AllocationStrategy
	AllowPartial bool
	ExpiresAt    *time.Time
}

// Allocation is one location's share of an allocation.
type Allocation struct {
	LocationID string `json:"locationId"`
	// Available is what the location had available when it was considered.
	Available     int64  `json:"available"`
	Quantity      int64  `json:"quantity"`
	ReservationID string `json:"reservationId"`
}

// Allocate reserves an item's units across several locations in one atomic
// step, one reservation per location that gives any. Without AllowPartial it
// is all or nothing: short of the quantity it is INSUFFICIENT_STOCK and
// nothing is reserved. With it, it reserves what there is (but at least one).
func (s *Store) Allocate(ctx context.Context, sc Scope, in AllocationRequest, meta Meta) (*StockChange, error) {
	item, err := parseID("itemId", in.ItemID)
	if err != nil {
		return nil, err
	}
	if err := positiveQuantity("quantity", in.Quantity); err != nil {
		return nil, err
	}
	if in.Strategy == "" {
		in.Strategy = AllocatePriority
	}
	if in.Strategy != AllocatePriority && in.Strategy != AllocateMostAvailable {
		return nil, newError(CodeValidation, "strategy", "strategy must be PRIORITY or MOST_AVAILABLE")
	}
	if len(in.LocationIDs) > maxAllocationLocations {
		return nil, newError(CodeValidation, "locationIds", "at most %d locations", maxAllocationLocations)
	}
	var locs []string
	for _, id := range in.LocationIDs {
		id, err := parseID("locationIds", id)
		if err != nil {
			return nil, err
		}
		if slices.Contains(locs, id) {
			return nil, newError(CodeValidation, "locationIds", "location %s is listed twice", id)
		}
		locs = append(locs, id)
	}
	if err := futureTime("expiresAt", in.ExpiresAt); err != nil {
		return nil, err
	}
	return s.execute(ctx, sc, &allocateCmd{ItemID: item, Quantity: in.Quantity, LocationIDs: locs,
		Strategy: in.Strategy, AllowPartial: in.AllowPartial, ExpiresAt: in.ExpiresAt}, meta)
}

type allocateCmd struct {
	ItemID       string
	Quantity     int64
	LocationIDs  []string
	Strategy     AllocationStrategy
	AllowPartial bool
	ExpiresAt    *time.Time
	candidates   []string
	expiresAt    *time.Time
	shares       []Allocation
}

func (c *allocateCmd) operation() string { return "allocateStock" }

func (c *allocateCmd) keys() []LevelKey {
	keys := make([]LevelKey, len(c.candidates))
	for i, loc := range c.candidates {
		keys[i] = LevelKey{ItemID: c.ItemID, LocationID: loc}
	}
	return keys
}

func (c *allocateCmd) prepare(ctx context.Context, tx pgx.Tx, sc Scope) error {
	c.candidates = c.LocationIDs
	if len(c.candidates) == 0 {
		rows, _ := tx.Query(ctx, `SELECT id::text FROM locations WHERE tenant_id = $1 ORDER BY locations.code LIMIT $2`,
			sc.TenantID, maxAllocationLocations)
		var err error
		if c.candidates, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return fmt.Errorf("list locations: %w", err)
		}
		if len(c.candidates) == 0 {
			return newError(CodeInsufficientStock, "quantity", "the tenant has no locations")
		}
	}
	var err error
	c.expiresAt, err = expiryFor(ctx, tx, sc, c.ExpiresAt)
	return err
}

func (c *allocateCmd) locationFields() [][2]string {
	fields := make([][2]string, len(c.candidates))
	for i, id := range c.candidates {
		fields[i] = [2]string{"locationIds", id}
	}
	return fields
}

func (c *allocateCmd) plan(levels map[LevelKey]Level, _ Meta) ([]draft, error) {
	order := slices.Clone(c.keys())
	if c.Strategy == AllocateMostAvailable {
		slices.SortStableFunc(order, func(a, b LevelKey) int {
			return int(min(max(levels[b].Available-levels[a].Available, -1), 1))
		})
	}
	var drafts []draft
	c.shares = nil
	left := c.Quantity
	var total int64
	for _, k := range order {
		avail := levels[k].Available
		total += avail
		take := min(avail, left)
		if take <= 0 {
			continue
		}
		left -= take
		c.shares = append(c.shares, Allocation{LocationID: k.LocationID, Available: avail, Quantity: take})
		drafts = append(drafts, draft{Kind: KindReservation, Key: k, Quantity: take, From: state(Available), To: state(Reserved)})
	}
	switch {
	case len(drafts) == 0:
		return nil, newError(CodeInsufficientStock, "quantity", "nothing available at the %d locations considered", len(order))
	case left > 0 && !c.AllowPartial:
		return nil, newError(CodeInsufficientStock, "quantity",
			"only %d available across %d locations, %d requested", c.Quantity-left, len(order), c.Quantity)
	}
	return drafts, nil
}

func (c *allocateCmd) persist(ctx context.Context, tx pgx.Tx, s *Store, sc Scope, change *StockChange) error {
	for i, sh := range c.shares {
		r, err := s.insertReservation(ctx, tx, sc, LevelKey{ItemID: c.ItemID, LocationID: sh.LocationID},
			sh.Quantity, change.Reference, c.expiresAt)
		if err != nil {
			return err
		}
		c.shares[i].ReservationID = r.ID
		change.Reservations = append(change.Reservations, *r)
	}
	change.Allocations = c.shares
	return nil
}
