package domain_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/domain"
)

// TestGroupWithBatchAndArchivedItem queues into one group a receipt, a
// receipt into an archived item, a batch of lines, a batch that brings stock
// into the archived item, and a ship that needs what the first batch
// received: the two refused for the archived item fail alone (INVALID_STATE,
// nothing written), the others commit in arrival order, and each batch is
// all or nothing.
func TestGroupWithBatchAndArchivedItem(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	archived := b.newItem(t, "OLD-1")
	if _, err := b.store.ArchiveItem(ctx, b.sc, archived.ID); err != nil {
		t.Fatal(err)
	}
	other := b.newItem(t, "NEW-1")
	store := domain.NewStore(b.db.App)
	release := store.HoldGroups()
	line := func(kind domain.StockChangeKind, itemID, locID string, q int64) domain.StockChangeLine {
		return domain.StockChangeLine{Kind: kind, ItemID: &itemID, LocationID: &locID, Quantity: &q}
	}
	calls := []struct {
		name string
		run  func() (*domain.StockChange, error)
		code domain.Code
	}{
		{"receive 5", func() (*domain.StockChange, error) {
			return store.Receive(ctx, b.sc, b.item.ID, b.locA.ID, 5, domain.Meta{})
		}, ""},
		{"receive into the archived item", func() (*domain.StockChange, error) {
			return store.Receive(ctx, b.sc, archived.ID, b.locA.ID, 5, domain.Meta{})
		}, domain.CodeInvalidState},
		{"batch", func() (*domain.StockChange, error) {
			return store.RecordStockChanges(ctx, b.sc, []domain.StockChangeLine{
				line(domain.ChangeReceive, other.ID, b.locB.ID, 4),
				line(domain.ChangeShip, b.item.ID, b.locA.ID, 2),
			}, domain.Meta{Reference: ptr("sync-1")})
		}, ""},
		{"batch into the archived item", func() (*domain.StockChange, error) {
			return store.RecordStockChanges(ctx, b.sc, []domain.StockChangeLine{
				line(domain.ChangeReceive, other.ID, b.locA.ID, 1),
				line(domain.ChangeReceive, archived.ID, b.locB.ID, 1),
			}, domain.Meta{})
		}, domain.CodeInvalidState},
		{"ship what the batch received", func() (*domain.StockChange, error) {
			return store.Ship(ctx, b.sc, other.ID, b.locB.ID, 4, domain.Meta{})
		}, ""},
	}
	errs := make([]error, len(calls))
	var wg sync.WaitGroup
	for i, c := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.run()
		}()
		for store.Queued() < i+1 { // queue them in this order
			time.Sleep(time.Millisecond)
		}
	}
	release(len(calls))
	wg.Wait()
	for i, c := range calls {
		if domain.CodeOf(errs[i]) != c.code || (c.code == "" && errs[i] != nil) {
			t.Errorf("%s: got %v, want %q", c.name, errs[i], c.code)
		}
	}
	if l := b.levelOf(t, b.item.ID, b.locA.ID); l.Available != 3 {
		t.Errorf("level of SKU-1 at A: %+v, want 3", l)
	}
	if l := b.levelOf(t, other.ID, b.locB.ID); l.Available != 0 || l.Version != 2 {
		t.Errorf("level of NEW-1 at B: %+v, want 0 at version 2", l)
	}
	if l := b.levelOf(t, other.ID, b.locA.ID); l.Available != 0 {
		t.Errorf("the refused batch wrote its first line: %+v", l)
	}
	var archivedMovements, withReference int64
	if err := b.db.Owner.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM movements WHERE tenant_id = $1 AND item_id = $2),
		(SELECT count(*) FROM movements WHERE tenant_id = $1 AND reference = 'sync-1')`,
		b.sc.TenantID, archived.ID).Scan(&archivedMovements, &withReference); err != nil {
		t.Fatal(err)
	}
	if archivedMovements != 0 || withReference != 2 {
		t.Errorf("%d movements of the archived item, %d with the batch's reference; want 0 and 2", archivedMovements, withReference)
	}
}

// TestCatalogueEventsStayOutOfTheStockFeed writes catalogue events (items
// and locations created, archived, unarchived) around a stock change: the
// pulled feed returns the stock change alone.
func TestCatalogueEventsStayOutOfTheStockFeed(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	it := b.newItem(t, "FEED-1")
	b.receive(t, b.locA, 3)
	if _, err := b.store.ArchiveItem(ctx, b.sc, it.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := b.store.UnarchiveItem(ctx, b.sc, it.ID); err != nil {
		t.Fatal(err)
	}
	b.newLocation(t, "C")
	if n := b.catalogueEvents(t); n != 4 { // SKU-1 and FEED-1 created, FEED-1 archived and back
		t.Fatalf("%d item events, want 4", n)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		page, err := b.store.StockEvents(ctx, b.sc, domain.StockEventFilter{}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Events) > 0 { // the stock change is final, and so is what came before it
			if len(page.Events) != 1 || page.Events[0].Kind != domain.EventStockChanged {
				t.Fatalf("feed: %+v, want the one stock change", page.Events)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the stock change never became final")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
