package domain_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/domain"
)

// TestIdempotentReplayReturnsFirstChangeAndWritesNothing sends the same
// receipt twice with one key: the second call returns the first call's
// StockChange, marked Replayed, and writes no row.
func TestIdempotentReplayReturnsFirstChangeAndWritesNothing(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	meta := domain.Meta{IdempotencyKey: ptr("po-1001-line-1"), Reference: ptr("PO-1001"), Reason: ptr("supplier delivery")}

	first, err := b.store.Receive(ctx, b.sc, b.item.ID, b.locA.ID, 12, meta)
	if err != nil {
		t.Fatal(err)
	}
	if first.Replayed {
		t.Fatal("the first call says it was replayed")
	}
	if len(first.Movements) != 1 || first.Movements[0].Quantity != 12 || len(first.Levels) != 1 ||
		first.Levels[0].Available != 12 || first.Levels[0].Version != 1 {
		t.Fatalf("first call: %+v", first)
	}
	// A later change to the level must not leak into the replay.
	b.receive(t, b.locA, 3)
	before := b.counts(t)

	for i := range 3 {
		again, err := b.store.Receive(ctx, b.sc, b.item.ID, b.locA.ID, 12, meta)
		if err != nil {
			t.Fatalf("replay %d: %v", i, err)
		}
		if !again.Replayed {
			t.Errorf("replay %d: Replayed is false", i)
		}
		if again.OperationID != first.OperationID || !slices.Equal(movementIDs(again), movementIDs(first)) {
			t.Errorf("replay %d: operation %s movements %v; want %s %v", i, again.OperationID, movementIDs(again),
				first.OperationID, movementIDs(first))
		}
		if len(again.Levels) != 1 || again.Levels[0].Available != 12 || again.Levels[0].Version != 1 {
			t.Errorf("replay %d: levels %+v, want the first call's (available 12, version 1)", i, again.Levels)
		}
		if got, want := jsonOf(t, again), jsonOf(t, first); got != want {
			t.Errorf("replay %d differs from the first call:\n got %s\nwant %s", i, got, want)
		}
	}
	b.assertUnchanged(t, "a replay", before)
	if l := b.level(t, b.locA); l.Available != 15 || l.Version != 2 {
		t.Errorf("level after replays: %+v, want available 15 version 2", l)
	}

	// Surrounding spaces in the reference and reason do not make another input.
	again, err := b.store.Receive(ctx, b.sc, b.item.ID, b.locA.ID, 12, domain.Meta{
		IdempotencyKey: meta.IdempotencyKey, Reference: ptr(" PO-1001 "), Reason: ptr("supplier delivery  ")})
	if err != nil || !again.Replayed || again.OperationID != first.OperationID {
		t.Errorf("replay with padded reference: %+v, %v", again, err)
	}
	// Ids are compared in their canonical form.
	again, err = b.store.Receive(ctx, b.sc, strings.ToUpper(b.item.ID), b.locA.ID, 12, meta)
	if err != nil || !again.Replayed || again.OperationID != first.OperationID {
		t.Errorf("replay with an upper-case item id: %+v, %v", again, err)
	}
	b.assertUnchanged(t, "a replay", before)
}

// TestIdempotencyKeyReusedWithOtherInputConflicts reuses a key with another
// quantity, operation, location, reference or reason: each is
// IDEMPOTENCY_CONFLICT and writes nothing, and the key still replays its
// first call afterwards.
func TestIdempotencyKeyReusedWithOtherInputConflicts(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	key := ptr("order-77")
	b.receive(t, b.locA, 50)
	b.receive(t, b.locB, 50)
	first, err := b.store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, 5, domain.Meta{IdempotencyKey: key, Reference: ptr("SO-77")})
	if err != nil {
		t.Fatal(err)
	}
	before := b.counts(t)

	cases := map[string]func() (*domain.StockChange, error){
		"other quantity": func() (*domain.StockChange, error) {
			return b.store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, 6, domain.Meta{IdempotencyKey: key, Reference: ptr("SO-77")})
		},
		"other location": func() (*domain.StockChange, error) {
			return b.store.Ship(ctx, b.sc, b.item.ID, b.locB.ID, 5, domain.Meta{IdempotencyKey: key, Reference: ptr("SO-77")})
		},
		"other operation": func() (*domain.StockChange, error) {
			return b.store.Receive(ctx, b.sc, b.item.ID, b.locA.ID, 5, domain.Meta{IdempotencyKey: key, Reference: ptr("SO-77")})
		},
		"other reference": func() (*domain.StockChange, error) {
			return b.store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, 5, domain.Meta{IdempotencyKey: key, Reference: ptr("SO-78")})
		},
		"no reference": func() (*domain.StockChange, error) {
			return b.store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, 5, domain.Meta{IdempotencyKey: key})
		},
		"a reason": func() (*domain.StockChange, error) {
			return b.store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, 5, domain.Meta{IdempotencyKey: key, Reference: ptr("SO-77"), Reason: ptr("rush")})
		},
		"a transfer": func() (*domain.StockChange, error) {
			return b.store.Transfer(ctx, b.sc, b.item.ID, b.locA.ID, b.locB.ID, 5, domain.Meta{IdempotencyKey: key, Reference: ptr("SO-77")})
		},
		"an adjustment": func() (*domain.StockChange, error) {
			return b.store.Adjust(ctx, b.sc, domain.Adjustment{ItemID: b.item.ID, LocationID: b.locA.ID, Delta: -5},
				domain.Meta{IdempotencyKey: key, Reference: ptr("SO-77"), Reason: ptr("loss")})
		},
		"a count": func() (*domain.StockChange, error) {
			return b.store.Count(ctx, b.sc, b.item.ID, b.locA.ID, 45, domain.Meta{IdempotencyKey: key, Reference: ptr("SO-77")})
		},
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			c, err := call()
			wantErr(t, err, domain.CodeIdempotencyConflict, "input", "idempotencyKey")
			if c != nil {
				t.Errorf("got a change with the error: %+v", c)
			}
			b.assertUnchanged(t, name, before)
		})
	}

	again, err := b.store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, 5, domain.Meta{IdempotencyKey: key, Reference: ptr("SO-77")})
	if err != nil || !again.Replayed || jsonOf(t, again) != jsonOf(t, first) {
		t.Errorf("the key no longer replays its first call: %+v, %v", again, err)
	}
	if l := b.level(t, b.locA); l.Available != 45 || l.Version != 2 {
		t.Errorf("level A: %+v, want available 45 version 2", l)
	}
}

// TestConcurrentCallsWithOneKeyWriteOnce races 20 goroutines sending the same
// shipment with the same key: exactly one writes, and all get its payload.
func TestConcurrentCallsWithOneKeyWriteOnce(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 30)
	before := b.counts(t)
	meta := domain.Meta{IdempotencyKey: ptr("same-key"), Reference: ptr("SO-1")}

	const n = 20
	changes := make([]*domain.StockChange, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			changes[i], errs[i] = b.store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, 4, meta)
		}()
	}
	close(gate)
	waitOrFail(t, &wg, 30*time.Second)

	var fresh int
	var firstCall *domain.StockChange
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("call %d: %v", i, errs[i])
		}
		if !changes[i].Replayed {
			fresh++
			firstCall = changes[i]
		}
	}
	if fresh != 1 {
		t.Fatalf("%d calls wrote, want exactly 1", fresh)
	}
	for i, c := range changes {
		if jsonOf(t, c) != jsonOf(t, firstCall) {
			t.Errorf("call %d got another payload:\n got %s\nwant %s", i, jsonOf(t, c), jsonOf(t, firstCall))
		}
	}
	after := b.counts(t)
	if after.Movements != before.Movements+1 || after.Events != before.Events+1 || after.Keys != before.Keys+1 ||
		after.Versions != before.Versions+1 {
		t.Errorf("rows before %+v, after %+v: want one movement, one event, one key, one version more", before, after)
	}
	if l := b.level(t, b.locA); l.Available != 26 || l.Version != 2 {
		t.Errorf("level: %+v, want available 26 version 2", l)
	}
}

// TestIdempotencyKeysArePerTenant uses one key in two tenants: each tenant's
// call is its own, and neither replays nor conflicts with the other's.
func TestIdempotencyKeysArePerTenant(t *testing.T) {
	a, b := setup(t), setup(t)
	ctx := context.Background()
	key := ptr("shared-key")
	ca, err := a.store.Receive(ctx, a.sc, a.item.ID, a.locA.ID, 5, domain.Meta{IdempotencyKey: key})
	if err != nil {
		t.Fatal(err)
	}
	// The same key, with another input, in the other tenant.
	cb, err := b.store.Receive(ctx, b.sc, b.item.ID, b.locA.ID, 9, domain.Meta{IdempotencyKey: key})
	if err != nil {
		t.Fatalf("tenant B with tenant A's key: %v", err)
	}
	if cb.Replayed || cb.OperationID == ca.OperationID {
		t.Errorf("tenant B's call was not its own: %+v", cb)
	}
	if l := b.level(t, b.locA); l.Available != 9 || l.Version != 1 {
		t.Errorf("tenant B level: %+v, want available 9", l)
	}
	if c := b.counts(t); c.Movements != 1 || c.Keys != 1 {
		t.Errorf("tenant B rows: %+v, want 1 movement and 1 key", c)
	}
	again, err := a.store.Receive(ctx, a.sc, a.item.ID, a.locA.ID, 5, domain.Meta{IdempotencyKey: key})
	if err != nil || !again.Replayed || again.OperationID != ca.OperationID {
		t.Errorf("tenant A's replay: %+v, %v", again, err)
	}
	if l := a.level(t, a.locA); l.Available != 5 || l.Version != 1 {
		t.Errorf("tenant A level: %+v, want available 5", l)
	}
}

// TestFailedOperationDoesNotBurnItsKey checks that a call that fails writes
// nothing, not even its idempotency key: the key is claimed in the
// operation's transaction, which the failure rolls back. So the same call
// succeeds once it can, and so does another input with that key.
func TestFailedOperationDoesNotBurnItsKey(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	ship := func(key string, q int64) (*domain.StockChange, error) {
		return b.store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, q, domain.Meta{IdempotencyKey: ptr(key)})
	}
	b.receive(t, b.locA, 4)
	before := b.counts(t)

	_, err := ship("k-same", 10)
	wantErr(t, err, domain.CodeInsufficientStock, "input", "quantity")
	_, err = ship("k-other", 10)
	wantErr(t, err, domain.CodeInsufficientStock, "input", "quantity")
	// A key on an id that does not exist is not kept either.
	_, err = b.store.Ship(ctx, b.sc, b.item.ID, "00000000-0000-4000-8000-000000000000", 1, domain.Meta{IdempotencyKey: ptr("k-missing")})
	wantErr(t, err, domain.CodeNotFound, "input", "locationId")
	b.assertUnchanged(t, "a failed operation", before)

	// The same input succeeds once there is stock.
	b.receive(t, b.locA, 10)
	c, err := ship("k-same", 10)
	if err != nil || c.Replayed {
		t.Fatalf("retry of the failed call: %+v, %v", c, err)
	}
	// Another input with the other key also succeeds: it was never taken.
	c2, err := ship("k-other", 3)
	if err != nil || c2.Replayed || c2.Movements[0].Quantity != 3 {
		t.Fatalf("other input with a key whose first use failed: %+v, %v", c2, err)
	}
	// From now on, both keys are taken.
	again, err := ship("k-same", 10)
	if err != nil || !again.Replayed || again.OperationID != c.OperationID {
		t.Errorf("replay: %+v, %v", again, err)
	}
	_, err = ship("k-other", 10)
	wantErr(t, err, domain.CodeIdempotencyConflict, "input", "idempotencyKey")
	if l := b.level(t, b.locA); l.Available != 1 {
		t.Errorf("available %d, want 4 + 10 - 10 - 3 = 1", l.Available)
	}
}

// TestIdempotencyKeyValidation refuses an empty or over-long key, and keeps
// one of exactly the longest length.
func TestIdempotencyKeyValidation(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	before := b.counts(t)
	for _, key := range []string{"", strings.Repeat("k", 256), "nul\x00key"} {
		_, err := b.store.Receive(ctx, b.sc, b.item.ID, b.locA.ID, 1, domain.Meta{IdempotencyKey: ptr(key)})
		wantErr(t, err, domain.CodeValidation, "input", "idempotencyKey")
	}
	b.assertUnchanged(t, "an invalid key", before)
	long := strings.Repeat("é", 255)
	first, err := b.store.Receive(ctx, b.sc, b.item.ID, b.locA.ID, 1, domain.Meta{IdempotencyKey: ptr(long)})
	if err != nil {
		t.Fatalf("a key of 255 characters: %v", err)
	}
	again, err := b.store.Receive(ctx, b.sc, b.item.ID, b.locA.ID, 1, domain.Meta{IdempotencyKey: ptr(long)})
	if err != nil || !again.Replayed || again.OperationID != first.OperationID {
		t.Errorf("replay with a long key: %+v, %v", again, err)
	}
}

// TestReplayOfCountThatChangedNothing replays a count equal to the books:
// the key is kept even though no movement was written, so a second call
// with the same count replays and one with another count conflicts.
func TestReplayOfCountThatChangedNothing(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 8)
	key := ptr("count-1")
	first, err := b.store.Count(ctx, b.sc, b.item.ID, b.locA.ID, 8, domain.Meta{IdempotencyKey: key})
	if err != nil || first.Replayed || len(first.Movements) != 0 {
		t.Fatalf("count equal to the books: %+v, %v", first, err)
	}
	b.receive(t, b.locA, 2)
	before := b.counts(t)
	again, err := b.store.Count(ctx, b.sc, b.item.ID, b.locA.ID, 8, domain.Meta{IdempotencyKey: key})
	if err != nil || !again.Replayed || jsonOf(t, again) != jsonOf(t, first) {
		t.Errorf("replayed count: %+v, %v; want %+v", again, err, first)
	}
	_, err = b.store.Count(ctx, b.sc, b.item.ID, b.locA.ID, 10, domain.Meta{IdempotencyKey: key})
	wantErr(t, err, domain.CodeIdempotencyConflict, "input", "idempotencyKey")
	b.assertUnchanged(t, "a replayed count", before)
	if l := b.level(t, b.locA); l.Available != 10 {
		t.Errorf("available %d, want 10: the replay must not have counted 8 again", l.Available)
	}
}

// TestConcurrentFailingCallsWithOneKeyKeepNoKey races 10 goroutines sending
// one shipment that cannot be served with one key: each fails on its own
// with INSUFFICIENT_STOCK (none sees another's failure as a replay or a
// conflict), and the key is left free.
func TestConcurrentFailingCallsWithOneKeyKeepNoKey(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 2)
	before := b.counts(t)
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			_, err := b.store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, 3, domain.Meta{IdempotencyKey: ptr("doomed")})
			if domain.CodeOf(err) != domain.CodeInsufficientStock {
				t.Errorf("call %d: %v, want INSUFFICIENT_STOCK", i, err)
			}
		}()
	}
	close(gate)
	waitOrFail(t, &wg, 30*time.Second)
	b.assertUnchanged(t, "failed calls", before)
	c, err := b.store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, 2, domain.Meta{IdempotencyKey: ptr("doomed")})
	if err != nil || c.Replayed {
		t.Errorf("the key after failed calls: %+v, %v", c, err)
	}
}
