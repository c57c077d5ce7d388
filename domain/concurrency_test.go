package domain_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/inventory-backbone/inventory/domain"
)

func TestConcurrentShipmentsNeverOversell(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 20)

	var ok, insufficient, other atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := b.store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, 1, domain.Meta{})
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, domain.ErrInsufficientStock):
				insufficient.Add(1)
			default:
				other.Add(1)
				t.Errorf("unexpected error: %v", err)
			}
		}()
	}
	close(start)
	wg.Wait()

	if ok.Load() != 20 || insufficient.Load() != 30 || other.Load() != 0 {
		t.Fatalf("got %d shipped, %d insufficient, %d other; want 20, 30, 0", ok.Load(), insufficient.Load(), other.Load())
	}
	if l := b.level(t, b.locA); l.Available != 0 || l.OnHand() != 0 || l.Version != 21 {
		t.Fatalf("level after: %+v; want available 0, version 21", l)
	}
	var shipments int
	err := b.db.Owner.QueryRow(ctx, `SELECT count(*) FROM movements WHERE tenant_id = $1 AND kind = 'SHIPMENT'`,
		b.sc.TenantID).Scan(&shipments)
	if err != nil {
		t.Fatal(err)
	}
	if shipments != 20 {
		t.Fatalf("ledger has %d shipments, want 20", shipments)
	}
}
