package domain_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/domain"
)

// allocationLine renders one location's share of an allocation as
// "CODE available/quantity".
func allocationLine(a domain.Allocation, locs ...*domain.Location) string {
	code := a.LocationID
	for _, l := range locs {
		if l.ID == a.LocationID {
			code = l.Code
		}
	}
	return fmt.Sprintf("%s %d/%d", code, a.Available, a.Quantity)
}

// wantAllocation checks an allocation's shares, rendered by allocationLine,
// and that each share has one matching ACTIVE reservation.
func wantAllocation(t *testing.T, step string, c *domain.StockChange, want []string, locs ...*domain.Location) {
	t.Helper()
	var got []string
	for _, a := range c.Allocations {
		got = append(got, allocationLine(a, locs...))
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: shares %q, want %q", step, got, want)
	}
	if len(c.Reservations) != len(c.Allocations) {
		t.Fatalf("%s: %d reservations for %d shares", step, len(c.Reservations), len(c.Allocations))
	}
	for i, a := range c.Allocations {
		r := c.Reservations[i]
		if r.ID != a.ReservationID || r.LocationID != a.LocationID || r.Quantity() != a.Quantity ||
			r.ReservedQuantity != a.Quantity || r.Status != domain.ReservationActive {
			t.Errorf("%s: share %+v has reservation %+v", step, a, r)
		}
	}
}

// allocationBundle is a bundle with a third location C and, of the item, 5
// available at A, 8 at B and 12 at C.
func allocationBundle(t *testing.T) (*testBundle, *domain.Location) {
	t.Helper()
	b := setup(t)
	locC, err := b.store.CreateLocation(context.Background(), b.sc, domain.NewLocation{Code: "C", Name: "Warehouse C"})
	if err != nil {
		t.Fatal(err)
	}
	b.receive(t, b.locA, 5)
	b.receive(t, b.locB, 8)
	b.receive(t, locC, 12)
	return b, locC
}

// TestAllocatePriorityTakesLocationsInTheOrderGiven allocates 15 from B, A, C
// in that order: all of B (8), all of A (5), then 2 of C.
func TestAllocatePriorityTakesLocationsInTheOrderGiven(t *testing.T) {
	b, locC := allocationBundle(t)
	ctx := context.Background()
	c, err := b.store.Allocate(ctx, b.sc, domain.AllocationRequest{ItemID: b.item.ID, Quantity: 15,
		LocationIDs: []string{b.locB.ID, b.locA.ID, locC.ID}, Strategy: domain.AllocatePriority}, domain.Meta{Reference: ptr("ORDER-9")})
	if err != nil {
		t.Fatal(err)
	}
	wantAllocation(t, "priority B, A, C", c, []string{"B 8/8", "A 5/5", "C 12/2"}, b.locA, b.locB, locC)
	b.wantMovements(t, "priority B, A, C", c, []string{
		"RESERVATION 8 AVAILABLE@B->RESERVED@B",
		"RESERVATION 5 AVAILABLE@A->RESERVED@A",
		"RESERVATION 2 AVAILABLE@C->RESERVED@C",
	}, locC)
	for _, r := range c.Reservations {
		if r.Reference == nil || *r.Reference != "ORDER-9" {
			t.Errorf("reservation %s has reference %v, want ORDER-9", r.ID, r.Reference)
		}
	}
	b.wantFigures(t, "priority", b.locA, levelFigures{Available: 0, Reserved: 5, OnHand: 5})
	b.wantFigures(t, "priority", b.locB, levelFigures{Available: 0, Reserved: 8, OnHand: 8})
	b.wantFigures(t, "priority", locC, levelFigures{Available: 10, Reserved: 2, OnHand: 12})
	if got := b.counts(t); got.Reservations != 3 || got.Movements != 6 || got.Events != 4 {
		t.Errorf("rows %+v: want 3 reservations, 6 movements, 4 events", got)
	}
}

// TestAllocateMostAvailableTakesTheLargestFirst allocates with
// MOST_AVAILABLE, whatever order the locations are given in: 15 is all of C
// (12) then 3 of B (8); 10 fits in C alone.
func TestAllocateMostAvailableTakesTheLargestFirst(t *testing.T) {
	b, locC := allocationBundle(t)
	ctx := context.Background()
	c, err := b.store.Allocate(ctx, b.sc, domain.AllocationRequest{ItemID: b.item.ID, Quantity: 15,
		LocationIDs: []string{b.locA.ID, b.locB.ID, locC.ID}, Strategy: domain.AllocateMostAvailable}, domain.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	wantAllocation(t, "most available, 15", c, []string{"C 12/12", "B 8/3"}, b.locA, b.locB, locC)
	b.wantFigures(t, "most available, 15", b.locA, levelFigures{Available: 5, OnHand: 5})
	b.wantFigures(t, "most available, 15", b.locB, levelFigures{Available: 5, Reserved: 3, OnHand: 8})
	b.wantFigures(t, "most available, 15", locC, levelFigures{Available: 0, Reserved: 12, OnHand: 12})

	// Now A and B have 5 each: a tie keeps the order given.
	c, err = b.store.Allocate(ctx, b.sc, domain.AllocationRequest{ItemID: b.item.ID, Quantity: 7,
		LocationIDs: []string{locC.ID, b.locB.ID, b.locA.ID}, Strategy: domain.AllocateMostAvailable}, domain.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	wantAllocation(t, "most available, tie", c, []string{"B 5/5", "A 5/2"}, b.locA, b.locB, locC)
	b.wantFigures(t, "most available, tie", b.locA, levelFigures{Available: 3, Reserved: 2, OnHand: 5})
	b.wantFigures(t, "most available, tie", b.locB, levelFigures{Available: 0, Reserved: 8, OnHand: 8})

	// A fresh bundle: 10 fits at C alone.
	b2, locC2 := allocationBundle(t)
	c, err = b2.store.Allocate(ctx, b2.sc, domain.AllocationRequest{ItemID: b2.item.ID, Quantity: 10,
		Strategy: domain.AllocateMostAvailable}, domain.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	wantAllocation(t, "most available, 10", c, []string{"C 12/10"}, b2.locA, b2.locB, locC2)
	b2.wantFigures(t, "most available, 10", locC2, levelFigures{Available: 2, Reserved: 10, OnHand: 12})
}

// TestAllocateIsAllOrNothingUnlessPartialIsAllowed asks for 26 of the 25
// there are: without allowPartial it is INSUFFICIENT_STOCK and writes
// nothing; with it, it reserves the 25.
func TestAllocateIsAllOrNothingUnlessPartialIsAllowed(t *testing.T) {
	b, locC := allocationBundle(t)
	ctx := context.Background()
	for _, strategy := range []domain.AllocationStrategy{domain.AllocatePriority, domain.AllocateMostAvailable} {
		before := b.counts(t)
		_, err := b.store.Allocate(ctx, b.sc, domain.AllocationRequest{ItemID: b.item.ID, Quantity: 26, Strategy: strategy},
			domain.Meta{IdempotencyKey: ptr("too-much-" + string(strategy))})
		wantCode(t, "26 of 25, "+string(strategy), err, domain.CodeInsufficientStock, "quantity")
		b.assertUnchanged(t, "26 of 25, "+string(strategy), before)
	}
	b.wantFigures(t, "all or nothing", b.locA, levelFigures{Available: 5, OnHand: 5})
	b.wantFigures(t, "all or nothing", b.locB, levelFigures{Available: 8, OnHand: 8})
	b.wantFigures(t, "all or nothing", locC, levelFigures{Available: 12, OnHand: 12})

	c, err := b.store.Allocate(ctx, b.sc, domain.AllocationRequest{ItemID: b.item.ID, Quantity: 26,
		LocationIDs: []string{locC.ID, b.locA.ID, b.locB.ID}, AllowPartial: true}, domain.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	wantAllocation(t, "26 of 25, partial", c, []string{"C 12/12", "A 5/5", "B 8/8"}, b.locA, b.locB, locC)
	for _, loc := range []*domain.Location{b.locA, b.locB, locC} {
		l := b.level(t, loc)
		if l.Available != 0 || l.Reserved != l.OnHand() {
			t.Errorf("after the partial allocation, %s: %+v", loc.Code, figuresOf(l))
		}
	}

	// Nothing left: even a partial allocation is refused.
	before := b.counts(t)
	_, err = b.store.Allocate(ctx, b.sc, domain.AllocationRequest{ItemID: b.item.ID, Quantity: 1, AllowPartial: true}, domain.Meta{})
	wantCode(t, "partial of nothing", err, domain.CodeInsufficientStock, "quantity")
	b.assertUnchanged(t, "partial of nothing", before)
}

// TestAllocateWithoutLocationsUsesAllByCode checks that omitted locationIds
// means every location of the tenant ordered by code (A, AB, B), not by
// creation (A, B, AB).
func TestAllocateWithoutLocationsUsesAllByCode(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	locAB, err := b.store.CreateLocation(ctx, b.sc, domain.NewLocation{Code: "AB", Name: "Annex"})
	if err != nil {
		t.Fatal(err)
	}
	b.receive(t, b.locA, 2)
	b.receive(t, b.locB, 10)
	b.receive(t, locAB, 3)
	c, err := b.store.Allocate(ctx, b.sc, domain.AllocationRequest{ItemID: b.item.ID, Quantity: 6}, domain.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	wantAllocation(t, "all locations", c, []string{"A 2/2", "AB 3/3", "B 10/1"}, b.locA, b.locB, locAB)
	b.wantFigures(t, "all locations", b.locB, levelFigures{Available: 9, Reserved: 1, OnHand: 10})
}

// TestAllocateRefusesBadLocationLists checks that a location listed twice is
// VALIDATION and one that does not exist (or is another tenant's) is
// NOT_FOUND, and that neither writes anything.
func TestAllocateRefusesBadLocationLists(t *testing.T) {
	b, locC := allocationBundle(t)
	other := setup(t)
	ctx := context.Background()
	before := b.counts(t)

	_, err := b.store.Allocate(ctx, b.sc, domain.AllocationRequest{ItemID: b.item.ID, Quantity: 1,
		LocationIDs: []string{b.locA.ID, locC.ID, b.locA.ID}}, domain.Meta{})
	wantCode(t, "duplicate location", err, domain.CodeValidation, "locationIds")
	_, err = b.store.Allocate(ctx, b.sc, domain.AllocationRequest{ItemID: b.item.ID, Quantity: 1,
		LocationIDs: []string{b.locA.ID, "5f1c8a2e-0c3b-4d7e-9a41-2b6f0e9d3c12"}}, domain.Meta{})
	wantCode(t, "unknown location", err, domain.CodeNotFound, "locationIds")
	_, err = b.store.Allocate(ctx, b.sc, domain.AllocationRequest{ItemID: b.item.ID, Quantity: 1,
		LocationIDs: []string{other.locA.ID}}, domain.Meta{})
	wantCode(t, "another tenant's location", err, domain.CodeNotFound, "locationIds")
	_, err = b.store.Allocate(ctx, b.sc, domain.AllocationRequest{ItemID: b.item.ID, Quantity: 1,
		LocationIDs: []string{b.locA.ID, "not-an-id"}}, domain.Meta{})
	wantCode(t, "malformed location id", err, domain.CodeValidation, "locationIds")
	_, err = b.store.Allocate(ctx, b.sc, domain.AllocationRequest{ItemID: other.item.ID, Quantity: 1}, domain.Meta{})
	wantCode(t, "another tenant's item", err, domain.CodeNotFound, "itemId")
	_, err = b.store.Allocate(ctx, b.sc, domain.AllocationRequest{ItemID: b.item.ID, Quantity: 1, Strategy: "CHEAPEST"}, domain.Meta{})
	wantCode(t, "unknown strategy", err, domain.CodeValidation, "strategy")
	_, err = b.store.Allocate(ctx, b.sc, domain.AllocationRequest{ItemID: b.item.ID, Quantity: 0}, domain.Meta{})
	wantCode(t, "zero quantity", err, domain.CodeValidation, "quantity")
	b.assertUnchanged(t, "the refused allocations", before)
}

// TestConcurrentAllocationsNeverExceedTheStock races 20 allocations of 4,
// in varied location orders and both strategies, for 3 locations × 10 units.
// Each allocation locks every candidate level, so they serialise: exactly 7
// succeed (28 units), each with exactly 4, and 13 are refused.
func TestConcurrentAllocationsNeverExceedTheStock(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	locC, err := b.store.CreateLocation(ctx, b.sc, domain.NewLocation{Code: "C", Name: "Warehouse C"})
	if err != nil {
		t.Fatal(err)
	}
	locs := []*domain.Location{b.locA, b.locB, locC}
	for _, l := range locs {
		b.receive(t, l, 10)
	}
	const workers, each = 20, 4

	var (
		mu      sync.Mutex
		changes []*domain.StockChange
		refused int
		wg      sync.WaitGroup
	)
	gate := make(chan struct{})
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := domain.AllocationRequest{ItemID: b.item.ID, Quantity: each}
			if i%2 == 1 {
				in.Strategy = domain.AllocateMostAvailable
			}
			if i%4 >= 2 {
				for j := range locs {
					in.LocationIDs = append(in.LocationIDs, locs[(i+j)%len(locs)].ID)
				}
			}
			<-gate
			c, err := b.store.Allocate(ctx, b.sc, in, domain.Meta{})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				changes = append(changes, c)
			case errors.Is(err, domain.ErrInsufficientStock):
				refused++
			default:
				t.Errorf("allocation %d: unexpected error: %v", i, err)
			}
		}()
	}
	close(gate)
	waitOrFail(t, &wg, 60*time.Second)

	if len(changes) != 7 || refused != workers-7 {
		t.Fatalf("%d allocations succeeded and %d were refused; want 7 and %d", len(changes), refused, workers-7)
	}
	var allocated int64
	for _, c := range changes {
		var got, held int64
		for _, a := range c.Allocations {
			got += a.Quantity
		}
		for _, r := range c.Reservations {
			held += r.Quantity()
		}
		if got != each || held != each {
			t.Errorf("an allocation got %d in shares and %d in reservations, want %d: %+v", got, held, each, c.Allocations)
		}
		allocated += got
	}
	var available, reserved int64
	for _, l := range locs {
		lvl := b.level(t, l)
		available += lvl.Available
		reserved += lvl.Reserved
		if lvl.OnHand() != 10 {
			t.Errorf("onHand at %s is %d, want 10", l.Code, lvl.OnHand())
		}
	}
	if reserved != 28 || available != 2 || allocated != 28 {
		t.Errorf("reserved %d, available %d, allocated %d; want 28, 2, 28", reserved, available, allocated)
	}
	var held int64
	err = b.db.Owner.QueryRow(ctx, `SELECT coalesce(sum(quantity - fulfilled - released), 0)::bigint FROM reservations
		WHERE tenant_id = $1 AND status = 'ACTIVE'`, b.sc.TenantID).Scan(&held)
	if err != nil {
		t.Fatal(err)
	}
	if held != 28 {
		t.Errorf("active reservations hold %d, want 28", held)
	}
}
