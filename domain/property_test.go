package domain_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/domain"
)

// propertySeed is the seed of TestRandomOperationsKeepLedgerAndLevelsInStep:
// DOMAIN_PROPERTY_SEED when set, so that a failure's sequences can be run
// again, else a new one per run.
func propertySeed(t *testing.T) uint64 {
	if v := os.Getenv("DOMAIN_PROPERTY_SEED"); v != "" {
		seed, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("DOMAIN_PROPERTY_SEED: %v", err)
		}
		return seed
	}
	return uint64(time.Now().UnixNano())
}

// outcome is one successful stock operation of the property test, with what
// the caller asked for so that its movements can be checked against it.
type outcome struct {
	op      string
	key     domain.LevelKey // the main level
	to      domain.LevelKey // a transfer's destination
	q       int64           // receive, ship and transfer quantity; adjust delta; count
	compare *int64          // an adjustment's compareQuantity
	idemKey string          // the idempotency key sent, if any
	change  *domain.StockChange
}

// modelLevel is the property test's own account of one level.
type modelLevel struct {
	available, incoming, version int64
}

// TestRandomOperationsKeepLedgerAndLevelsInStep runs random sequences of
// receipts, shipments, adjustments (with and without compareQuantity), counts
// and transfers over two items and three locations from several goroutines,
// some bound to fail. Afterwards every level equals both the sum of its
// ledger and a model built from the movements the successful operations
// returned; each level's successive versions replay that level's changes in
// one serial order; nothing is negative.
func TestRandomOperationsKeepLedgerAndLevelsInStep(t *testing.T) {
	b := setup(t)
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	seed := propertySeed(t)
	t.Logf("seed %d (set DOMAIN_PROPERTY_SEED=%d to run the same sequences again)", seed, seed)

	items := []*domain.Item{b.item, b.newItem(t, "SKU-2")}
	locs := []*domain.Location{b.locA, b.locB, b.newLocation(t, "C")}
	const (
		workers = 8
		ops     = 60
	)

	var (
		mu       sync.Mutex
		done     []outcome
		failures = map[domain.Code]int{}
	)
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, uint64(w)))
			<-gate
			var mine []outcome
			for i := range ops {
				item := items[r.IntN(len(items))]
				from, to := r.IntN(len(locs)), r.IntN(len(locs)-1)
				if to >= from {
					to++
				}
				o := outcome{key: domain.LevelKey{ItemID: item.ID, LocationID: locs[from].ID},
					to: domain.LevelKey{ItemID: item.ID, LocationID: locs[to].ID}}
				meta := domain.Meta{}
				if r.IntN(3) == 0 {
					o.idemKey = fmt.Sprintf("w%d-op%d", w, i)
					meta.IdempotencyKey = ptr(o.idemKey)
				}
				var err error
				roll := r.IntN(100)
				switch {
				case w == 0 && i == 0: // one shipment that must fail
					roll = 45
				case w == 0 && i == 1: // one compareQuantity that must fail
					roll = 70
				}
				switch {
				case roll < 22:
					o.op, o.q = "receive", 1+r.Int64N(20)
					o.change, err = b.store.Receive(ctx, b.sc, item.ID, locs[from].ID, o.q, meta)
				case roll < 42:
					o.op, o.q = "ship", 1+r.Int64N(15)
					o.change, err = b.store.Ship(ctx, b.sc, item.ID, locs[from].ID, o.q, meta)
				case roll < 47:
					o.op, o.q = "ship", domain.MaxQuantity // never available
					o.change, err = b.store.Ship(ctx, b.sc, item.ID, locs[from].ID, o.q, meta)
				case roll < 62:
					o.op, o.q = "adjust", 1+r.Int64N(10)
					if r.IntN(2) == 0 {
						o.q = -o.q
					}
					meta.Reason = ptr("random adjustment")
					o.change, err = b.store.Adjust(ctx, b.sc, domain.Adjustment{ItemID: item.ID, LocationID: locs[from].ID, Delta: o.q}, meta)
				case roll < 75:
					o.op, o.q = "adjust", 1+r.Int64N(10)
					if r.IntN(2) == 0 {
						o.q = -o.q
					}
					if roll < 72 {
						// The onHand just read: stale when another goroutine gets in first.
						lvl, lerr := b.store.Level(ctx, b.sc, item.ID, locs[from].ID)
						if lerr != nil {
							t.Errorf("read level: %v", lerr)
							return
						}
						o.compare = ptr(lvl.OnHand())
					} else {
						o.compare = ptr(int64(domain.MaxQuantity - 1)) // never the onHand
					}
					meta.Reason = ptr("checked adjustment")
					o.change, err = b.store.Adjust(ctx, b.sc, domain.Adjustment{ItemID: item.ID, LocationID: locs[from].ID,
						Delta: o.q, CompareQuantity: o.compare}, meta)
				case roll < 85:
					o.op, o.q = "count", r.Int64N(31)
					o.change, err = b.store.Count(ctx, b.sc, item.ID, locs[from].ID, o.q, meta)
				default:
					o.op, o.q = "transfer", 1+r.Int64N(10)
					o.change, err = b.store.Transfer(ctx, b.sc, item.ID, locs[from].ID, locs[to].ID, o.q, meta)
				}
				if err != nil {
					code := domain.CodeOf(err)
					if code != domain.CodeInsufficientStock && code != domain.CodeVersionConflict {
						t.Errorf("worker %d op %d %s: unexpected error: %v", w, i, o.op, err)
					}
					if code == domain.CodeVersionConflict && o.compare == nil {
						t.Errorf("worker %d op %d: VERSION_CONFLICT without compareQuantity", w, i)
					}
					mu.Lock()
					failures[code]++
					mu.Unlock()
					continue
				}
				if o.change.Replayed {
					t.Errorf("worker %d op %d: a fresh key was replayed", w, i)
				}
				mine = append(mine, o)
				// Now and then, repeat an earlier call that had a key: it must
				// replay that call's payload and write nothing.
				if r.IntN(8) == 0 {
					for _, prev := range slices.Backward(mine) {
						if prev.op == "receive" && prev.idemKey != "" {
							again, err := b.store.Receive(ctx, b.sc, prev.key.ItemID, prev.key.LocationID, prev.q,
								domain.Meta{IdempotencyKey: ptr(prev.idemKey)})
							if err != nil || !again.Replayed || jsonOf(t, again) != jsonOf(t, prev.change) {
								t.Errorf("worker %d: replaying %s gave %+v, %v; want %+v", w, prev.idemKey, again, err, prev.change)
							}
							break
						}
					}
				}
			}
			mu.Lock()
			done = append(done, mine...)
			mu.Unlock()
		}()
	}
	close(gate)
	waitOrFail(t, &wg, 50*time.Second)
	if t.Failed() {
		return
	}
	t.Logf("%d operations succeeded; failures by code: %v", len(done), failures)
	if failures[domain.CodeInsufficientStock] == 0 || failures[domain.CodeVersionConflict] == 0 {
		t.Errorf("failures %v: want some INSUFFICIENT_STOCK and some VERSION_CONFLICT", failures)
	}

	model := map[domain.LevelKey]*modelLevel{}
	at := func(k domain.LevelKey) *modelLevel {
		if model[k] == nil {
			model[k] = &modelLevel{}
		}
		return model[k]
	}
	// byLevel holds, per level, the changes that moved it, to check their
	// versions against one serial order.
	type step struct {
		after domain.Level
		delta int64
	}
	byLevel := map[domain.LevelKey][]step{}
	var writes int64
	for _, o := range done {
		checkShape(t, o)
		touched := map[domain.LevelKey]bool{}
		deltas := map[domain.LevelKey]int64{}
		for _, m := range o.change.Movements {
			writes++
			k := domain.LevelKey{ItemID: m.ItemID, LocationID: m.LocationID}
			touched[k] = true
			if m.FromState != nil {
				addToModel(at(k), *m.FromState, -m.Quantity, t)
				if *m.FromState == domain.Available {
					deltas[k] -= m.Quantity
				}
			}
			if m.ToState != nil {
				to := k
				if m.ToLocationID != nil {
					to.LocationID = *m.ToLocationID
				}
				touched[to] = true
				addToModel(at(to), *m.ToState, m.Quantity, t)
				if *m.ToState == domain.Available {
					deltas[to] += m.Quantity
				}
			}
		}
		for k := range touched {
			at(k).version++
			var after *domain.Level
			for i := range o.change.Levels {
				if o.change.Levels[i].Key() == k {
					after = &o.change.Levels[i]
				}
			}
			if after == nil {
				t.Errorf("%s: no level returned for %v it moved", o.op, k)
				continue
			}
			byLevel[k] = append(byLevel[k], step{after: *after, delta: deltas[k]})
		}
	}

	for k, steps := range byLevel {
		slices.SortFunc(steps, func(a, b step) int { return int(a.after.Version - b.after.Version) })
		var prev int64
		for i, s := range steps {
			if s.after.Version != int64(i+1) {
				t.Errorf("level %v: change %d has version %d, want %d", k, i+1, s.after.Version, i+1)
				break
			}
			if s.after.Available != prev+s.delta {
				t.Errorf("level %v version %d: available %d, want %d + %d", k, s.after.Version, s.after.Available, prev, s.delta)
				break
			}
			if s.after.Incoming != 0 {
				t.Errorf("level %v version %d: incoming %d after an immediate transfer", k, s.after.Version, s.after.Incoming)
			}
			prev = s.after.Available
		}
	}

	var total int64
	for _, it := range items {
		for _, loc := range locs {
			k := domain.LevelKey{ItemID: it.ID, LocationID: loc.ID}
			want := at(k)
			got := b.levelOf(t, it.ID, loc.ID)
			if got.Available != want.available || got.Incoming != want.incoming || got.Version != want.version {
				t.Errorf("level %s@%s: available %d incoming %d version %d; model says %d, %d, %d",
					it.SKU, loc.Code, got.Available, got.Incoming, got.Version, want.available, want.incoming, want.version)
			}
			if got.Reserved != 0 || got.Damaged != 0 || got.QualityControl != 0 || got.Available < 0 {
				t.Errorf("level %s@%s: %+v", it.SKU, loc.Code, got)
			}
			total += got.Available
		}
	}
	// What the callers asked for, independently of the movements returned.
	var asked int64
	for _, o := range done {
		switch o.op {
		case "receive", "adjust":
			asked += o.q
		case "ship":
			asked -= o.q
		case "count":
			for _, m := range o.change.Movements {
				if m.ToState != nil {
					asked += m.Quantity
				} else {
					asked -= m.Quantity
				}
			}
		}
	}
	if total != asked {
		t.Errorf("total available %d, but the successful operations add up to %d", total, asked)
	}
	if c := b.counts(t); c.Movements != writes || c.Events != int64(len(done))-emptyCounts(done) {
		t.Errorf("tenant has %d movements and %d events; the successful operations returned %d movements in %d changes",
			c.Movements, c.Events, writes, int64(len(done))-emptyCounts(done))
	}
	drifts, err := b.store.CheckLedger(ctx, b.sc)
	if err != nil || len(drifts) != 0 {
		t.Errorf("CheckLedger: %v, %+v", err, drifts)
	}

	// The outbox holds one event per change that moved stock, and in outbox
	// order each level's version only grows: a reader of the feed sees every
	// level's changes in the order they were made.
	last := map[domain.LevelKey]int64{}
	seen := map[string]bool{}
	for _, ev := range b.eventsOf(t) {
		var c domain.StockChange
		if err := json.Unmarshal(ev.Payload, &c); err != nil {
			t.Fatalf("event payload: %v", err)
		}
		seen[c.OperationID] = true
		for _, l := range c.Levels {
			if l.Version <= last[l.Key()] {
				t.Errorf("outbox: level %v at version %d after version %d", l.Key(), l.Version, last[l.Key()])
			}
			last[l.Key()] = l.Version
		}
	}
	for _, o := range done {
		if len(o.change.Movements) > 0 && !seen[o.change.OperationID] {
			t.Errorf("%s %s has no event in the outbox", o.op, o.change.OperationID)
		}
	}
}

// emptyCounts is how many of the outcomes wrote no movement (counts equal to
// the books), which write no event either.
func emptyCounts(done []outcome) int64 {
	var n int64
	for _, o := range done {
		if len(o.change.Movements) == 0 {
			n++
		}
	}
	return n
}

// addToModel adds q to the model's counter of state s.
func addToModel(l *modelLevel, s domain.State, q int64, t *testing.T) {
	switch s {
	case domain.Available:
		l.available += q
	case domain.InTransit:
		l.incoming += q
	default:
		t.Errorf("no operation here moves stock into or out of %s", s)
	}
}

// checkShape checks that a successful operation's movements are exactly what
// its input called for.
func checkShape(t *testing.T, o outcome) {
	t.Helper()
	ms := o.change.Movements
	var got []string
	for _, m := range ms {
		got = append(got, describeMovement(m))
		if m.OperationID != o.change.OperationID || m.Actor != "tester" {
			t.Errorf("%s: movement %s has operation %s actor %q, want %s tester", o.op, m.ID, m.OperationID, m.Actor, o.change.OperationID)
		}
	}
	var want []string
	lvl := o.change.Levels[0]
	switch o.op {
	case "receive":
		want = []string{fmt.Sprintf("RECEIPT %d outside->AVAILABLE", o.q)}
	case "ship":
		want = []string{fmt.Sprintf("SHIPMENT %d AVAILABLE->outside", o.q)}
	case "adjust":
		if o.q > 0 {
			want = []string{fmt.Sprintf("ADJUSTMENT %d outside->AVAILABLE", o.q)}
		} else {
			want = []string{fmt.Sprintf("ADJUSTMENT %d AVAILABLE->outside", -o.q)}
		}
		if o.compare != nil && lvl.OnHand()-o.q != *o.compare {
			t.Errorf("adjust applied with compareQuantity %d, but onHand before was %d", *o.compare, lvl.OnHand()-o.q)
		}
	case "count":
		if lvl.Good() != o.q {
			t.Errorf("count of %d left good stock %d", o.q, lvl.Good())
		}
		if len(ms) == 1 && ms[0].ToState != nil {
			want = []string{fmt.Sprintf("COUNT %d outside->AVAILABLE", ms[0].Quantity)}
		} else if len(ms) == 1 {
			want = []string{fmt.Sprintf("COUNT %d AVAILABLE->outside", ms[0].Quantity)}
		}
	case "transfer":
		want = []string{
			fmt.Sprintf("TRANSFER_OUT %d AVAILABLE->IN_TRANSIT@%s", o.q, o.to.LocationID),
			fmt.Sprintf("TRANSFER_IN %d IN_TRANSIT->AVAILABLE", o.q),
		}
		if len(ms) == 2 && (ms[0].LocationID != o.key.LocationID || ms[1].LocationID != o.to.LocationID) {
			t.Errorf("transfer movements at %s and %s, want %s and %s", ms[0].LocationID, ms[1].LocationID, o.key.LocationID, o.to.LocationID)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s %d: movements %v, want %v", o.op, o.q, got, want)
	}
	for _, m := range ms {
		if m.ItemID != o.key.ItemID {
			t.Errorf("%s: movement of item %s, want %s", o.op, m.ItemID, o.key.ItemID)
		}
	}
	if o.change.Levels[0].Key() != o.key {
		t.Errorf("%s: first level returned is %v, want the main level %v", o.op, o.change.Levels[0].Key(), o.key)
	}
}
