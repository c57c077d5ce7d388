package domain_test

import (
	"context"
	"testing"

	"github.com/inventory-backbone/inventory/domain"
)

// TestCompareQuantityMismatchIsVersionConflict adjusts with a compareQuantity
// that is not the current onHand: VERSION_CONFLICT, whatever the delta, and
// nothing written. The same adjustment with the right figure applies.
func TestCompareQuantityMismatchIsVersionConflict(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 10)
	before := b.counts(t)
	adjust := func(delta, compare int64) (*domain.StockChange, error) {
		return b.store.Adjust(ctx, b.sc, domain.Adjustment{ItemID: b.item.ID, LocationID: b.locA.ID,
			Delta: delta, CompareQuantity: ptr(compare)}, domain.Meta{Reason: ptr("cycle count fix")})
	}

	for _, tc := range []struct{ delta, compare int64 }{{-3, 9}, {-3, 11}, {-3, 0}, {+4, 9}, {-100, 9}} {
		c, err := adjust(tc.delta, tc.compare)
		wantErr(t, err, domain.CodeVersionConflict, "input", "compareQuantity")
		if c != nil {
			t.Errorf("delta %d compare %d: a change came with the error", tc.delta, tc.compare)
		}
	}
	b.assertUnchanged(t, "a VERSION_CONFLICT", before)

	c, err := adjust(-3, 10)
	if err != nil {
		t.Fatalf("matching compareQuantity: %v", err)
	}
	if len(c.Movements) != 1 || describeMovement(c.Movements[0]) != "ADJUSTMENT 3 AVAILABLE->outside" ||
		*c.Movements[0].Reason != "cycle count fix" {
		t.Errorf("movements %+v, want one ADJUSTMENT of 3 out of AVAILABLE with the reason", c.Movements)
	}
	if l := c.Levels[0]; l.Available != 7 || l.Version != 2 {
		t.Errorf("returned level %+v, want available 7 version 2", l)
	}
	// The figure that matched before is now stale.
	_, err = adjust(+1, 10)
	wantErr(t, err, domain.CodeVersionConflict, "input", "compareQuantity")
	c, err = adjust(+5, 7)
	if err != nil || c.Levels[0].Available != 12 || c.Levels[0].Version != 3 {
		t.Errorf("adjust +5 at 7: %+v, %v; want available 12 version 3", c, err)
	}
	// A matching compareQuantity does not let a removal oversell.
	_, err = adjust(-13, 12)
	wantErr(t, err, domain.CodeInsufficientStock, "input", "quantity")
	if l := b.level(t, b.locA); l.Available != 12 || l.Version != 3 {
		t.Errorf("final level %+v, want available 12 version 3", l)
	}
}

// TestCompareQuantityOnLevelThatNeverMoved treats a level that never moved
// as onHand 0.
func TestCompareQuantityOnLevelThatNeverMoved(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	_, err := b.store.Adjust(ctx, b.sc, domain.Adjustment{ItemID: b.item.ID, LocationID: b.locB.ID,
		Delta: 2, CompareQuantity: ptr(int64(1))}, domain.Meta{Reason: ptr("found")})
	wantErr(t, err, domain.CodeVersionConflict, "input", "compareQuantity")
	if c := b.counts(t); c.Levels != 0 || c.Movements != 0 {
		t.Errorf("rows after a conflict on a new level: %+v", c)
	}
	c, err := b.store.Adjust(ctx, b.sc, domain.Adjustment{ItemID: b.item.ID, LocationID: b.locB.ID,
		Delta: 2, CompareQuantity: ptr(int64(0))}, domain.Meta{Reason: ptr("found")})
	if err != nil || c.Levels[0].Available != 2 || c.Levels[0].Version != 1 ||
		describeMovement(c.Movements[0]) != "ADJUSTMENT 2 outside->AVAILABLE" {
		t.Errorf("adjust +2 at 0: %+v, %v", c, err)
	}
}

// TestAdjustWithoutCompareQuantity adds and removes, and refuses to remove
// more than is available.
func TestAdjustWithoutCompareQuantity(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	adjust := func(delta int64) (*domain.StockChange, error) {
		return b.store.Adjust(ctx, b.sc, domain.Adjustment{ItemID: b.item.ID, LocationID: b.locA.ID, Delta: delta},
			domain.Meta{Reason: ptr("damaged in handling"), Reference: ptr("INC-9")})
	}
	if _, err := adjust(+6); err != nil {
		t.Fatal(err)
	}
	before := b.counts(t)
	_, err := adjust(-7)
	wantErr(t, err, domain.CodeInsufficientStock, "input", "quantity")
	b.assertUnchanged(t, "an adjustment beyond what is available", before)
	c, err := adjust(-6)
	if err != nil {
		t.Fatal(err)
	}
	m := c.Movements[0]
	if describeMovement(m) != "ADJUSTMENT 6 AVAILABLE->outside" || *m.Reason != "damaged in handling" ||
		*m.Reference != "INC-9" || m.Actor != "tester" {
		t.Errorf("movement %+v", m)
	}
	if l := b.level(t, b.locA); l.Available != 0 || l.OnHand() != 0 || l.Version != 2 {
		t.Errorf("level %+v, want 0 at version 2", l)
	}
}

// TestCountAboveBelowAndEqualToBooks records counts against the books: above
// writes a COUNT into available, below a COUNT out of it, and equal writes
// nothing and leaves the version alone.
func TestCountAboveBelowAndEqualToBooks(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	count := func(n int64) *domain.StockChange {
		t.Helper()
		c, err := b.store.Count(ctx, b.sc, b.item.ID, b.locA.ID, n, domain.Meta{Reference: ptr("COUNT-2024-01")})
		if err != nil {
			t.Fatalf("count %d: %v", n, err)
		}
		return c
	}
	b.receive(t, b.locA, 10)

	c := count(15)
	if len(c.Movements) != 1 || describeMovement(c.Movements[0]) != "COUNT 5 outside->AVAILABLE" {
		t.Errorf("count above the books wrote %+v", c.Movements)
	}
	if l := c.Levels[0]; l.Available != 15 || l.Version != 2 {
		t.Errorf("after count 15: %+v", l)
	}

	c = count(4)
	if len(c.Movements) != 1 || describeMovement(c.Movements[0]) != "COUNT 11 AVAILABLE->outside" {
		t.Errorf("count below the books wrote %+v", c.Movements)
	}
	if l := c.Levels[0]; l.Available != 4 || l.Version != 3 {
		t.Errorf("after count 4: %+v", l)
	}

	before := b.counts(t)
	c = count(4)
	if len(c.Movements) != 0 {
		t.Errorf("a count equal to the books wrote %+v", c.Movements)
	}
	if len(c.Levels) != 1 || c.Levels[0].Available != 4 || c.Levels[0].Version != 3 {
		t.Errorf("a count equal to the books returned levels %+v, want available 4 at version 3", c.Levels)
	}
	b.assertUnchanged(t, "a count equal to the books", before)

	c = count(0)
	if len(c.Movements) != 1 || describeMovement(c.Movements[0]) != "COUNT 4 AVAILABLE->outside" || c.Levels[0].Available != 0 {
		t.Errorf("count 0: %+v", c)
	}
	if l := b.level(t, b.locA); l.Available != 0 || l.Version != 4 {
		t.Errorf("final level %+v, want available 0 version 4", l)
	}
}

// TestCountOfLevelThatNeverMoved counts zero where nothing ever moved (no
// row is created) and then a positive figure (the level is created).
func TestCountOfLevelThatNeverMoved(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	c, err := b.store.Count(ctx, b.sc, b.item.ID, b.locB.ID, 0, domain.Meta{})
	if err != nil || len(c.Movements) != 0 || c.Levels[0].Version != 0 || c.Levels[0].Available != 0 {
		t.Fatalf("count 0 of a new level: %+v, %v", c, err)
	}
	if n := b.counts(t); n != (rowCounts{}) {
		t.Errorf("count 0 of a new level wrote %+v", n)
	}
	c, err = b.store.Count(ctx, b.sc, b.item.ID, b.locB.ID, 3, domain.Meta{})
	if err != nil || describeMovement(c.Movements[0]) != "COUNT 3 outside->AVAILABLE" || c.Levels[0].Version != 1 {
		t.Fatalf("count 3 of a new level: %+v, %v", c, err)
	}
}
