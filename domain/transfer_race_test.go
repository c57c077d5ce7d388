package domain_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/domain"
)

// waitOrFail waits for wg, failing the test if it takes longer than limit:
// a deadlock must fail the test, not hang it.
func waitOrFail(t *testing.T, wg *sync.WaitGroup, limit time.Duration) {
	t.Helper()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatalf("goroutines still running after %s: deadlock?", limit)
	}
}

// TestOpposingTransfersNeitherDeadlockNorLoseStock races 25 goroutines
// transferring A→B against 25 transferring B→A on the same item. Each
// transfer locks both levels; taken in different orders, they would deadlock.
func TestOpposingTransfersNeitherDeadlockNorLoseStock(t *testing.T) {
	b := setup(t)
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	const (
		start     = 40
		perWorker = 4
		quantity  = 7
		workers   = 25
	)
	b.receive(t, b.locA, start)
	b.receive(t, b.locB, start)

	var aToB, bToA, insufficient atomic.Int64
	var wg sync.WaitGroup
	gate := make(chan struct{})
	run := func(from, to *domain.Location, ok *atomic.Int64) {
		defer wg.Done()
		<-gate
		for range perWorker {
			c, err := b.store.Transfer(ctx, b.sc, b.item.ID, from.ID, to.ID, quantity, domain.Meta{})
			switch {
			case err == nil:
				ok.Add(1)
				if len(c.Movements) != 2 || c.Movements[0].Kind != domain.KindTransferOut || c.Movements[1].Kind != domain.KindTransferIn {
					t.Errorf("transfer wrote %v, want TRANSFER_OUT then TRANSFER_IN", c.Movements)
				}
			case errors.Is(err, domain.ErrInsufficientStock):
				insufficient.Add(1)
			default:
				t.Errorf("transfer %s→%s: unexpected error: %v", from.Code, to.Code, err)
			}
		}
	}
	for range workers {
		wg.Add(2)
		go run(b.locA, b.locB, &aToB)
		go run(b.locB, b.locA, &bToA)
	}
	began := time.Now()
	close(gate)
	waitOrFail(t, &wg, 50*time.Second)
	t.Logf("%d A→B, %d B→A, %d insufficient in %s", aToB.Load(), bToA.Load(), insufficient.Load(), time.Since(began))

	ab, ba := aToB.Load(), bToA.Load()
	if total := ab + ba + insufficient.Load(); total != 2*workers*perWorker {
		t.Fatalf("%d outcomes, want %d", total, 2*workers*perWorker)
	}
	la, lb := b.level(t, b.locA), b.level(t, b.locB)
	wantA := start - quantity*ab + quantity*ba
	wantB := start + quantity*ab - quantity*ba
	if la.Available != wantA || lb.Available != wantB {
		t.Errorf("available A %d, B %d; want %d, %d", la.Available, lb.Available, wantA, wantB)
	}
	if la.Available+lb.Available != 2*start {
		t.Errorf("total available %d, want %d conserved", la.Available+lb.Available, 2*start)
	}
	if la.Incoming != 0 || lb.Incoming != 0 {
		t.Errorf("incoming A %d, B %d; want 0 after immediate transfers", la.Incoming, lb.Incoming)
	}
	// Every successful transfer changed both levels once, after one receipt each.
	if la.Version != 1+ab+ba || lb.Version != 1+ab+ba {
		t.Errorf("versions A %d, B %d; want %d", la.Version, lb.Version, 1+ab+ba)
	}
	var outs, ins int64
	err := b.db.Owner.QueryRow(ctx, `SELECT count(*) FILTER (WHERE kind = 'TRANSFER_OUT'),
		count(*) FILTER (WHERE kind = 'TRANSFER_IN') FROM movements WHERE tenant_id = $1`, b.sc.TenantID).Scan(&outs, &ins)
	if err != nil {
		t.Fatal(err)
	}
	if outs != ab+ba || ins != ab+ba {
		t.Errorf("ledger has %d TRANSFER_OUT and %d TRANSFER_IN, want %d each", outs, ins, ab+ba)
	}
}

// TestCyclicTransfersDoNotDeadlock runs transfers around the cycle A→B→C→A
// and its reverse at once, with shipments on the same levels: any cycle of
// lock waits would be a deadlock that PostgreSQL reports as an error.
func TestCyclicTransfersDoNotDeadlock(t *testing.T) {
	b := setup(t)
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	locC := b.newLocation(t, "C")
	locs := []*domain.Location{b.locA, b.locB, locC}
	for _, l := range locs {
		b.receive(t, l, 30)
	}

	var moved, shipped, insufficient atomic.Int64
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for w := range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			from := locs[w%3]
			to := locs[(w+1+w/3%2)%3] // half go forwards round the cycle, half backwards
			for range 3 {
				var err error
				if w%6 == 5 {
					_, err = b.store.Ship(ctx, b.sc, b.item.ID, from.ID, 2, domain.Meta{})
				} else {
					_, err = b.store.Transfer(ctx, b.sc, b.item.ID, from.ID, to.ID, 4, domain.Meta{})
				}
				switch {
				case err == nil && w%6 == 5:
					shipped.Add(1)
				case err == nil:
					moved.Add(1)
				case errors.Is(err, domain.ErrInsufficientStock):
					insufficient.Add(1)
				default:
					t.Errorf("unexpected error: %v", err)
				}
			}
		}()
	}
	close(gate)
	waitOrFail(t, &wg, 50*time.Second)

	var total, incoming int64
	for _, l := range locs {
		lvl := b.level(t, l)
		total += lvl.Available
		incoming += lvl.Incoming
	}
	if want := 90 - 2*shipped.Load(); total != want {
		t.Errorf("total available %d, want %d (90 received, %d shipments of 2)", total, want, shipped.Load())
	}
	if incoming != 0 {
		t.Errorf("incoming %d, want 0", incoming)
	}
	if n := moved.Load() + shipped.Load() + insufficient.Load(); n != 72 {
		t.Errorf("%d outcomes, want 72", n)
	}
}

// TestConcurrentFirstMovesCreateOneLevel races receipts and transfers into
// levels that have never moved, so that several transactions want to create
// the same projection row at once: all must succeed, and the level must
// count every one of them.
func TestConcurrentFirstMovesCreateOneLevel(t *testing.T) {
	b := setup(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	locC := b.newLocation(t, "C")
	b.receive(t, b.locA, 10)

	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			var err error
			if i%2 == 0 {
				_, err = b.store.Receive(ctx, b.sc, b.item.ID, locC.ID, 3, domain.Meta{})
			} else {
				_, err = b.store.Transfer(ctx, b.sc, b.item.ID, b.locA.ID, b.locB.ID, 1, domain.Meta{})
			}
			if err != nil {
				t.Errorf("goroutine %d: %v", i, err)
			}
		}()
	}
	close(gate)
	waitOrFail(t, &wg, 35*time.Second)
	if l := b.level(t, locC); l.Available != 30 || l.Version != 10 {
		t.Errorf("level C: available %d version %d, want 30 and 10", l.Available, l.Version)
	}
	if l := b.level(t, b.locB); l.Available != 10 || l.Incoming != 0 || l.Version != 10 {
		t.Errorf("level B: %+v, want available 10 version 10", l)
	}
	if l := b.level(t, b.locA); l.Available != 0 || l.Version != 11 {
		t.Errorf("level A: %+v, want available 0 version 11", l)
	}
	if c := b.counts(t); c.Levels != 3 || c.Movements != 1+10+20 || c.Events != 21 {
		t.Errorf("rows %+v, want 3 levels, 31 movements, 21 events", c)
	}
}
