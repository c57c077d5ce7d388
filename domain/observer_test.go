package domain_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/inventory-backbone/inventory/domain"
)

// recorder is an Observer that remembers the operation ids it was told of.
type recorder struct {
	mu  sync.Mutex
	ids []string
}

// StockChanged records the change's operation id.
func (r *recorder) StockChanged(c *domain.StockChange) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ids = append(r.ids, c.OperationID)
}

// TestObserverIsToldOfCommittedChangesOnly checks that a store's Observer
// hears of each committed change once, and of no failure and no replay.
func TestObserverIsToldOfCommittedChangesOnly(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	rec := &recorder{}
	store := domain.NewStore(b.db.App, domain.WithSystemPool(b.db.System), domain.WithObserver(rec))

	var want []string
	ok := func(c *domain.StockChange, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, c.OperationID)
	}
	ok(store.Receive(ctx, b.sc, b.item.ID, b.locA.ID, 5, domain.Meta{IdempotencyKey: ptr("obs-1")}))
	ok(store.Transfer(ctx, b.sc, b.item.ID, b.locA.ID, b.locB.ID, 2, domain.Meta{}))
	ok(store.Ship(ctx, b.sc, b.item.ID, b.locB.ID, 1, domain.Meta{}))

	// A replay, and failures of every kind.
	if c, err := store.Receive(ctx, b.sc, b.item.ID, b.locA.ID, 5, domain.Meta{IdempotencyKey: ptr("obs-1")}); err != nil || !c.Replayed {
		t.Fatalf("replay: %+v, %v", c, err)
	}
	_, err := store.Receive(ctx, b.sc, b.item.ID, b.locA.ID, 6, domain.Meta{IdempotencyKey: ptr("obs-1")})
	wantErr(t, err, domain.CodeIdempotencyConflict, "input", "idempotencyKey")
	_, err = store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, 4, domain.Meta{})
	wantErr(t, err, domain.CodeInsufficientStock, "input", "quantity")
	_, err = store.Adjust(ctx, b.sc, domain.Adjustment{ItemID: b.item.ID, LocationID: b.locA.ID, Delta: 1, CompareQuantity: ptr(int64(0))},
		domain.Meta{Reason: ptr("x")})
	wantErr(t, err, domain.CodeVersionConflict, "input", "compareQuantity")
	_, err = store.Receive(ctx, b.sc, missingID, b.locA.ID, 1, domain.Meta{})
	wantErr(t, err, domain.CodeNotFound, "input", "itemId")

	rec.mu.Lock()
	defer rec.mu.Unlock()
	if !slices.Equal(rec.ids, want) {
		t.Errorf("observer heard of %v, want %v", rec.ids, want)
	}
}
