package domain_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/domain"
)

// wantCode fails the test unless err is a domain Error with this code whose
// field is input.<field> (no field: the Error may name any).
func wantCode(t *testing.T, what string, err error, code domain.Code, field string) {
	t.Helper()
	e, ok := domain.AsError(err)
	if !ok {
		t.Errorf("%s: got %v, want %s", what, err, code)
		return
	}
	if e.Code != code {
		t.Errorf("%s: got %s (%s), want %s", what, e.Code, e.Message, code)
	}
	if field != "" && !slices.Equal(e.Field, []string{"input", field}) {
		t.Errorf("%s: error names field %v, want [input %s]", what, e.Field, field)
	}
}

// levelFigures are a level's counters that tests assert exactly.
type levelFigures struct {
	Available, Reserved, Damaged, QualityControl, Incoming, OnHand int64
}

func figuresOf(l *domain.Level) levelFigures {
	return levelFigures{Available: l.Available, Reserved: l.Reserved, Damaged: l.Damaged,
		QualityControl: l.QualityControl, Incoming: l.Incoming, OnHand: l.OnHand()}
}

// wantFigures reads the level of the bundle's item at loc and compares it.
func (b *testBundle) wantFigures(t *testing.T, step string, loc *domain.Location, want levelFigures) {
	t.Helper()
	if got := figuresOf(b.level(t, loc)); got != want {
		t.Errorf("%s: level at %s is %+v, want %+v", step, loc.Code, got, want)
	}
}

// reservationFigures are a reservation's quantities and status.
type reservationFigures struct {
	Quantity, Reserved, Fulfilled, Released int64
	Status                                  domain.ReservationStatus
}

func reservationFiguresOf(r *domain.Reservation) reservationFigures {
	return reservationFigures{Quantity: r.Quantity(), Reserved: r.ReservedQuantity, Fulfilled: r.FulfilledQuantity,
		Released: r.ReleasedQuantity, Status: r.Status}
}

// wantReservation compares both the reservation a change returned and the
// one stored now with want.
func (b *testBundle) wantReservation(t *testing.T, step string, change *domain.StockChange, want reservationFigures) {
	t.Helper()
	if len(change.Reservations) != 1 {
		t.Fatalf("%s: change has %d reservations, want 1", step, len(change.Reservations))
	}
	if got := reservationFiguresOf(&change.Reservations[0]); got != want {
		t.Errorf("%s: returned reservation %+v, want %+v", step, got, want)
	}
	stored, err := b.store.ReservationByID(context.Background(), b.sc, change.Reservations[0].ID)
	if err != nil {
		t.Fatalf("%s: read reservation: %v", step, err)
	}
	if got := reservationFiguresOf(stored); got != want {
		t.Errorf("%s: stored reservation %+v, want %+v", step, got, want)
	}
}

// movementLine renders a movement's accounting on one line, naming
// locations by code: "RESERVATION 4 AVAILABLE@A->RESERVED@A"; "out" stands
// for outside (a nil state).
func movementLine(m domain.Movement, locs ...*domain.Location) string {
	code := func(id string) string {
		for _, l := range locs {
			if l.ID == id {
				return l.Code
			}
		}
		return id
	}
	from, to := "out", "out"
	if m.FromState != nil {
		from = string(*m.FromState) + "@" + code(m.LocationID)
	}
	if m.ToState != nil {
		toLoc := m.LocationID
		if m.ToLocationID != nil {
			toLoc = *m.ToLocationID
		}
		to = string(*m.ToState) + "@" + code(toLoc)
	}
	return fmt.Sprintf("%s %d %s->%s", m.Kind, m.Quantity, from, to)
}

// wantMovements compares a change's movements, rendered by movementLine,
// with want.
func (b *testBundle) wantMovements(t *testing.T, step string, change *domain.StockChange, want []string, locs ...*domain.Location) {
	t.Helper()
	locs = append(locs, b.locA, b.locB)
	var got []string
	for _, m := range change.Movements {
		got = append(got, movementLine(m, locs...))
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: movements %q, want %q", step, got, want)
	}
}

// reserve reserves quantity at loc and fails the test on error.
func (b *testBundle) reserve(t *testing.T, loc *domain.Location, quantity int64, expiresAt *time.Time) *domain.Reservation {
	t.Helper()
	c, err := b.store.Reserve(context.Background(), b.sc,
		domain.ReserveRequest{ItemID: b.item.ID, LocationID: loc.ID, Quantity: quantity, ExpiresAt: expiresAt}, domain.Meta{})
	if err != nil {
		t.Fatalf("reserve %d at %s: %v", quantity, loc.Code, err)
	}
	if len(c.Reservations) != 1 {
		t.Fatalf("reserve returned %d reservations, want 1", len(c.Reservations))
	}
	return &c.Reservations[0]
}

// countKind counts the tenant's movements of a kind through the owner pool.
func (b *testBundle) countKind(t *testing.T, kind domain.MovementKind) int64 {
	t.Helper()
	var n int64
	err := b.db.Owner.QueryRow(context.Background(),
		`SELECT count(*) FROM movements WHERE tenant_id = $1 AND kind = $2`, b.sc.TenantID, string(kind)).Scan(&n)
	if err != nil {
		t.Fatalf("count %s movements: %v", kind, err)
	}
	return n
}

// TestReserveReleaseAndFulfilFigures walks two reservations through partial
// and full releases and fulfilments, asserting after every step the level,
// the reservation (as returned and as stored) and the movements written.
func TestReserveReleaseAndFulfilFigures(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 10)

	c, err := b.store.Reserve(ctx, b.sc, domain.ReserveRequest{ItemID: b.item.ID, LocationID: b.locA.ID, Quantity: 4},
		domain.Meta{Reference: ptr("ORDER-1")})
	if err != nil {
		t.Fatal(err)
	}
	b.wantMovements(t, "reserve 4", c, []string{"RESERVATION 4 AVAILABLE@A->RESERVED@A"})
	b.wantReservation(t, "reserve 4", c, reservationFigures{Quantity: 4, Reserved: 4, Status: domain.ReservationActive})
	b.wantFigures(t, "reserve 4", b.locA, levelFigures{Available: 6, Reserved: 4, OnHand: 10})
	if len(c.Levels) != 1 || figuresOf(&c.Levels[0]) != (levelFigures{Available: 6, Reserved: 4, OnHand: 10}) {
		t.Errorf("reserve 4: returned levels %+v", c.Levels)
	}
	r := c.Reservations[0]
	if r.Reference == nil || *r.Reference != "ORDER-1" || r.ItemID != b.item.ID || r.LocationID != b.locA.ID || r.ExpiresAt != nil {
		t.Errorf("reservation %+v: want reference ORDER-1, the bundle's item at A, no expiry", r)
	}

	c, err = b.store.Release(ctx, b.sc, r.ID, ptr[int64](1), domain.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	b.wantMovements(t, "release 1", c, []string{"RELEASE 1 RESERVED@A->AVAILABLE@A"})
	b.wantReservation(t, "release 1", c, reservationFigures{Quantity: 3, Reserved: 4, Released: 1, Status: domain.ReservationActive})
	b.wantFigures(t, "release 1", b.locA, levelFigures{Available: 7, Reserved: 3, OnHand: 10})

	c, err = b.store.Fulfill(ctx, b.sc, r.ID, ptr[int64](2), domain.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	b.wantMovements(t, "fulfil 2", c, []string{"FULFILLMENT 2 RESERVED@A->out"})
	b.wantReservation(t, "fulfil 2", c, reservationFigures{Quantity: 1, Reserved: 4, Fulfilled: 2, Released: 1, Status: domain.ReservationActive})
	b.wantFigures(t, "fulfil 2", b.locA, levelFigures{Available: 7, Reserved: 1, OnHand: 8})

	// Fulfilling the rest ends it: FULFILLED, although part was released.
	c, err = b.store.Fulfill(ctx, b.sc, r.ID, nil, domain.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	b.wantMovements(t, "fulfil the rest", c, []string{"FULFILLMENT 1 RESERVED@A->out"})
	b.wantReservation(t, "fulfil the rest", c, reservationFigures{Quantity: 0, Reserved: 4, Fulfilled: 3, Released: 1, Status: domain.ReservationFulfilled})
	b.wantFigures(t, "fulfil the rest", b.locA, levelFigures{Available: 7, Reserved: 0, OnHand: 7})

	// A second reservation: partial fulfilment, then a full release ends it
	// RELEASED.
	r2 := b.reserve(t, b.locA, 5, nil)
	b.wantFigures(t, "reserve 5", b.locA, levelFigures{Available: 2, Reserved: 5, OnHand: 7})
	c, err = b.store.Fulfill(ctx, b.sc, r2.ID, ptr[int64](2), domain.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	b.wantReservation(t, "fulfil 2 of 5", c, reservationFigures{Quantity: 3, Reserved: 5, Fulfilled: 2, Status: domain.ReservationActive})
	b.wantFigures(t, "fulfil 2 of 5", b.locA, levelFigures{Available: 2, Reserved: 3, OnHand: 5})
	c, err = b.store.Release(ctx, b.sc, r2.ID, nil, domain.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	b.wantMovements(t, "release the rest", c, []string{"RELEASE 3 RESERVED@A->AVAILABLE@A"})
	b.wantReservation(t, "release the rest", c, reservationFigures{Quantity: 0, Reserved: 5, Fulfilled: 2, Released: 3, Status: domain.ReservationReleased})
	b.wantFigures(t, "release the rest", b.locA, levelFigures{Available: 5, Reserved: 0, OnHand: 5})

	// A third, fulfilled in one go.
	r3 := b.reserve(t, b.locA, 5, nil)
	c, err = b.store.Fulfill(ctx, b.sc, r3.ID, nil, domain.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	b.wantMovements(t, "fulfil all 5", c, []string{"FULFILLMENT 5 RESERVED@A->out"})
	b.wantReservation(t, "fulfil all 5", c, reservationFigures{Quantity: 0, Reserved: 5, Fulfilled: 5, Status: domain.ReservationFulfilled})
	b.wantFigures(t, "fulfil all 5", b.locA, levelFigures{})
	b.wantFigures(t, "location B untouched", b.locB, levelFigures{})
}

// TestRefusedReservationTransitionsWriteNothing checks that over-releasing,
// over-fulfilling, and releasing or fulfilling a reservation that is
// RELEASED, FULFILLED or EXPIRED are INVALID_STATE, and that none of them
// writes a movement, an event, an idempotency key, or changes the
// reservation or the level.
func TestRefusedReservationTransitionsWriteNothing(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 20)

	active := b.reserve(t, b.locA, 3, nil)
	released := b.reserve(t, b.locA, 2, nil)
	if _, err := b.store.Release(ctx, b.sc, released.ID, nil, domain.Meta{}); err != nil {
		t.Fatal(err)
	}
	fulfilled := b.reserve(t, b.locA, 2, nil)
	if _, err := b.store.Fulfill(ctx, b.sc, fulfilled.ID, nil, domain.Meta{}); err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(150 * time.Millisecond)
	expired := b.reserve(t, b.locA, 2, &at)
	time.Sleep(time.Until(at) + 20*time.Millisecond)
	c, err := b.store.ExpireReservation(ctx, b.sc, expired.ID)
	if err != nil {
		t.Fatal(err)
	}
	b.wantMovements(t, "expire", c, []string{"EXPIRY 2 RESERVED@A->AVAILABLE@A"})
	b.wantReservation(t, "expire", c, reservationFigures{Quantity: 0, Reserved: 2, Released: 2, Status: domain.ReservationExpired})
	b.wantFigures(t, "before the refusals", b.locA, levelFigures{Available: 15, Reserved: 3, OnHand: 18})

	cases := []struct {
		name     string
		id       string
		quantity *int64
		fulfil   bool
		field    string
	}{
		{"release 4 of 3", active.ID, ptr[int64](4), false, "quantity"},
		{"fulfil 4 of 3", active.ID, ptr[int64](4), true, "quantity"},
		{"release a RELEASED one", released.ID, nil, false, "reservationId"},
		{"release 1 of a RELEASED one", released.ID, ptr[int64](1), false, "reservationId"},
		{"fulfil a RELEASED one", released.ID, nil, true, "reservationId"},
		{"release a FULFILLED one", fulfilled.ID, nil, false, "reservationId"},
		{"fulfil a FULFILLED one", fulfilled.ID, ptr[int64](1), true, "reservationId"},
		{"release an EXPIRED one", expired.ID, nil, false, "reservationId"},
		{"fulfil an EXPIRED one", expired.ID, nil, true, "reservationId"},
		{"fulfil 1 of an EXPIRED one", expired.ID, ptr[int64](1), true, "reservationId"},
	}
	for i, tc := range cases {
		before := b.counts(t)
		stored, err := b.store.ReservationByID(ctx, b.sc, tc.id)
		if err != nil {
			t.Fatal(err)
		}
		meta := domain.Meta{IdempotencyKey: ptr(fmt.Sprintf("refused-%d", i))}
		if tc.fulfil {
			_, err = b.store.Fulfill(ctx, b.sc, tc.id, tc.quantity, meta)
		} else {
			_, err = b.store.Release(ctx, b.sc, tc.id, tc.quantity, meta)
		}
		wantCode(t, tc.name, err, domain.CodeInvalidState, tc.field)
		b.assertUnchanged(t, tc.name, before)
		after, err := b.store.ReservationByID(ctx, b.sc, tc.id)
		if err != nil {
			t.Fatal(err)
		}
		if reservationFiguresOf(after) != reservationFiguresOf(stored) || !after.UpdatedAt.Equal(stored.UpdatedAt) {
			t.Errorf("%s changed the reservation: before %+v, after %+v", tc.name, stored, after)
		}
	}
	b.wantFigures(t, "after the refusals", b.locA, levelFigures{Available: 15, Reserved: 3, OnHand: 18})

	// A zero quantity is malformed, not a state problem.
	before := b.counts(t)
	_, err = b.store.Release(ctx, b.sc, active.ID, ptr[int64](0), domain.Meta{})
	wantCode(t, "release 0", err, domain.CodeValidation, "quantity")
	_, err = b.store.Fulfill(ctx, b.sc, active.ID, ptr[int64](-1), domain.Meta{})
	wantCode(t, "fulfil -1", err, domain.CodeValidation, "quantity")
	b.assertUnchanged(t, "zero and negative quantities", before)
}

// TestRacingReservationsAndShipmentsOnLastUnits races 40 goroutines, half
// reserving one unit and half shipping one, for the last 10 units. Exactly
// 10 may succeed; the level must hold what they did and nothing negative.
func TestRacingReservationsAndShipmentsOnLastUnits(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	const units, workers = 10, 40
	b.receive(t, b.locA, units)

	var reserved, shipped, refused atomic.Int64
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			var err error
			if i%2 == 0 {
				_, err = b.store.Reserve(ctx, b.sc, domain.ReserveRequest{ItemID: b.item.ID, LocationID: b.locA.ID, Quantity: 1}, domain.Meta{})
			} else {
				_, err = b.store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, 1, domain.Meta{})
			}
			switch {
			case err == nil && i%2 == 0:
				reserved.Add(1)
			case err == nil:
				shipped.Add(1)
			case errors.Is(err, domain.ErrInsufficientStock):
				refused.Add(1)
			default:
				t.Errorf("worker %d: unexpected error: %v", i, err)
			}
		}()
	}
	close(gate)
	waitOrFail(t, &wg, 60*time.Second)

	r, s := reserved.Load(), shipped.Load()
	t.Logf("%d reserved, %d shipped, %d refused", r, s, refused.Load())
	if r+s != units || refused.Load() != workers-units {
		t.Fatalf("%d reserved + %d shipped = %d succeeded and %d refused; want %d and %d", r, s, r+s, refused.Load(), units, workers-units)
	}
	b.wantFigures(t, "after the race", b.locA, levelFigures{Available: 0, Reserved: r, OnHand: r})
	if got := b.countKind(t, domain.KindReservation); got != r {
		t.Errorf("ledger has %d RESERVATION movements, want %d", got, r)
	}
	if got := b.countKind(t, domain.KindShipment); got != s {
		t.Errorf("ledger has %d SHIPMENT movements, want %d", got, s)
	}
	if got := b.counts(t); got.Reservations != r || got.Movements != 1+units || got.Events != 1+units {
		t.Errorf("rows after the race %+v: want %d reservations, %d movements and events", got, r, 1+units)
	}
}

// TestExpiryRacingFulfilmentHasOneWinner races, 30 times, ExpireReservation
// against Fulfill on a reservation whose expiry time has just passed. Exactly
// one must win each round: the fulfilment, with the expiry doing nothing, or
// the expiry, with the fulfilment refused as INVALID_STATE. Nothing may be
// counted twice.
func TestExpiryRacingFulfilmentHasOneWinner(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	const rounds, each = 30, 2
	b.receive(t, b.locA, rounds*each)

	var expiredWins, fulfilledWins int64
	for round := range rounds {
		at := time.Now().Add(100 * time.Millisecond)
		r := b.reserve(t, b.locA, each, &at)
		time.Sleep(time.Until(at) + 5*time.Millisecond)

		var (
			wg                 sync.WaitGroup
			expChange, fChange *domain.StockChange
			expErr, fErr       error
		)
		gate := make(chan struct{})
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-gate
			expChange, expErr = b.store.ExpireReservation(ctx, b.sc, r.ID)
		}()
		go func() {
			defer wg.Done()
			<-gate
			fChange, fErr = b.store.Fulfill(ctx, b.sc, r.ID, nil, domain.Meta{})
		}()
		close(gate)
		waitOrFail(t, &wg, 30*time.Second)

		if expErr != nil {
			t.Fatalf("round %d: expire failed: %v", round, expErr)
		}
		stored, err := b.store.ReservationByID(ctx, b.sc, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := reservationFiguresOf(stored)
		switch {
		case fErr == nil:
			fulfilledWins++
			if len(fChange.Movements) != 1 || fChange.Movements[0].Kind != domain.KindFulfillment || fChange.Movements[0].Quantity != each {
				t.Errorf("round %d: fulfilment wrote %v", round, fChange.Movements)
			}
			if len(expChange.Movements) != 0 {
				t.Errorf("round %d: both won: the expiry wrote %v after the fulfilment", round, expChange.Movements)
			}
			if want := (reservationFigures{Reserved: each, Fulfilled: each, Status: domain.ReservationFulfilled}); got != want {
				t.Errorf("round %d: fulfilment won, reservation %+v, want %+v", round, got, want)
			}
		default:
			expiredWins++
			wantCode(t, fmt.Sprintf("round %d: fulfil after expiry", round), fErr, domain.CodeInvalidState, "reservationId")
			if len(expChange.Movements) != 1 || expChange.Movements[0].Kind != domain.KindExpiry || expChange.Movements[0].Quantity != each {
				t.Errorf("round %d: expiry wrote %v", round, expChange.Movements)
			}
			if want := (reservationFigures{Reserved: each, Released: each, Status: domain.ReservationExpired}); got != want {
				t.Errorf("round %d: expiry won, reservation %+v, want %+v", round, got, want)
			}
		}
	}
	t.Logf("%d rounds: expiry won %d, fulfilment won %d", rounds, expiredWins, fulfilledWins)

	shipped := fulfilledWins * each
	b.wantFigures(t, "after the races", b.locA, levelFigures{Available: rounds*each - shipped, OnHand: rounds*each - shipped})
	if got := b.countKind(t, domain.KindExpiry); got != expiredWins {
		t.Errorf("ledger has %d EXPIRY movements, want %d", got, expiredWins)
	}
	if got := b.countKind(t, domain.KindFulfillment); got != fulfilledWins {
		t.Errorf("ledger has %d FULFILLMENT movements, want %d", got, fulfilledWins)
	}
	if got := b.counts(t); got.Movements != 1+2*rounds || got.Reservations != rounds {
		t.Errorf("rows %+v: want %d movements (receipt, then a reservation and one winner per round), %d reservations",
			got, 1+2*rounds, rounds)
	}
}

// TestExpireReservationBeforeItsTimeDoesNothing checks that expiring a
// reservation that is not yet due, or that has no expiry at all, returns a
// change without movements and writes nothing.
func TestExpireReservationBeforeItsTimeDoesNothing(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 10)
	later := time.Now().Add(time.Hour)
	notDue := b.reserve(t, b.locA, 3, &later)
	never := b.reserve(t, b.locA, 2, nil)

	for _, r := range []*domain.Reservation{notDue, never} {
		before := b.counts(t)
		c, err := b.store.ExpireReservation(ctx, b.sc, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Movements) != 0 {
			t.Errorf("expiring reservation %s wrote %v", r.ID, c.Movements)
		}
		b.assertUnchanged(t, "an early expiry", before)
		b.wantReservation(t, "an early expiry", c, reservationFigures{Quantity: r.ReservedQuantity, Reserved: r.ReservedQuantity, Status: domain.ReservationActive})
	}
	b.wantFigures(t, "after the early expiries", b.locA, levelFigures{Available: 5, Reserved: 5, OnHand: 10})

	_, err := b.store.ExpireReservation(ctx, b.sc, "5f1c8a2e-0c3b-4d7e-9a41-2b6f0e9d3c11")
	wantCode(t, "expire a reservation that does not exist", err, domain.CodeNotFound, "reservationId")
}

// TestDefaultReservationLifetime checks that the tenant's default lifetime
// applies to reservations made without ExpiresAt (and to allocations), that
// an explicit ExpiresAt wins over it, that clearing it makes reservations
// that never expire, and that a reservation given the default expires.
func TestDefaultReservationLifetime(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 20)

	ttl := 90 * time.Minute
	ts, err := b.store.UpdateSettings(ctx, b.sc, &ttl)
	if err != nil {
		t.Fatal(err)
	}
	if ts.DefaultReservationTTL == nil || *ts.DefaultReservationTTL != ttl {
		t.Fatalf("settings after update: %+v", ts)
	}
	before := time.Now()
	r := b.reserve(t, b.locA, 1, nil)
	after := time.Now()
	if r.ExpiresAt == nil || r.ExpiresAt.Before(before.Add(ttl-time.Second)) || r.ExpiresAt.After(after.Add(ttl+time.Second)) {
		t.Errorf("reservation made with a 90 minute default expires at %v, want within [%v, %v]", r.ExpiresAt, before.Add(ttl), after.Add(ttl))
	}
	c, err := b.store.Allocate(ctx, b.sc, domain.AllocationRequest{ItemID: b.item.ID, Quantity: 1}, domain.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if e := c.Reservations[0].ExpiresAt; e == nil || e.Before(before.Add(ttl-time.Second)) || e.After(time.Now().Add(ttl+time.Second)) {
		t.Errorf("allocation made with a 90 minute default expires at %v", e)
	}
	explicit := time.Now().Add(10 * time.Minute).Truncate(time.Microsecond)
	if r := b.reserve(t, b.locA, 1, &explicit); r.ExpiresAt == nil || !r.ExpiresAt.Equal(explicit) {
		t.Errorf("explicit expiry: got %v, want %v", r.ExpiresAt, explicit)
	}

	if ts, err = b.store.UpdateSettings(ctx, b.sc, nil); err != nil {
		t.Fatal(err)
	}
	if ts.DefaultReservationTTL != nil {
		t.Errorf("cleared default lifetime reads %v", *ts.DefaultReservationTTL)
	}
	if r := b.reserve(t, b.locA, 1, nil); r.ExpiresAt != nil {
		t.Errorf("without a default lifetime the reservation expires at %v, want never", r.ExpiresAt)
	}

	// The shortest default, one second, really expires the reservation.
	second := time.Second
	if _, err = b.store.UpdateSettings(ctx, b.sc, &second); err != nil {
		t.Fatal(err)
	}
	short := b.reserve(t, b.locA, 2, nil)
	if short.ExpiresAt == nil {
		t.Fatal("a one second default gave no expiry")
	}
	time.Sleep(time.Until(*short.ExpiresAt) + 50*time.Millisecond)
	c, err = b.store.ExpireReservation(ctx, b.sc, short.ID)
	if err != nil {
		t.Fatal(err)
	}
	b.wantMovements(t, "expire the one second reservation", c, []string{"EXPIRY 2 RESERVED@A->AVAILABLE@A"})
	b.wantReservation(t, "expire the one second reservation", c, reservationFigures{Reserved: 2, Released: 2, Status: domain.ReservationExpired})
	b.wantFigures(t, "after the expiry", b.locA, levelFigures{Available: 16, Reserved: 4, OnHand: 20})

	for _, bad := range []time.Duration{0, 999 * time.Millisecond, -time.Second, domain.MaxReservationTTL + time.Second} {
		_, err := b.store.UpdateSettings(ctx, b.sc, &bad)
		wantCode(t, fmt.Sprintf("default lifetime %v", bad), err, domain.CodeValidation, "defaultReservationTtlSeconds")
	}
	if ts, err := b.store.Settings(ctx, b.sc); err != nil || ts.DefaultReservationTTL == nil || *ts.DefaultReservationTTL != time.Second {
		t.Errorf("a refused update changed the settings: %+v, %v", ts, err)
	}
}

// TestReservationExpiresAtInThePastIsValidation checks that a reservation or
// an allocation whose expiry time has already passed is VALIDATION and
// writes nothing.
func TestReservationExpiresAtInThePastIsValidation(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 10)
	before := b.counts(t)
	past := time.Now().Add(-time.Second)
	_, err := b.store.Reserve(ctx, b.sc, domain.ReserveRequest{ItemID: b.item.ID, LocationID: b.locA.ID, Quantity: 1, ExpiresAt: &past}, domain.Meta{})
	wantCode(t, "reserve with expiresAt in the past", err, domain.CodeValidation, "expiresAt")
	_, err = b.store.Allocate(ctx, b.sc, domain.AllocationRequest{ItemID: b.item.ID, Quantity: 1, ExpiresAt: &past}, domain.Meta{})
	wantCode(t, "allocate with expiresAt in the past", err, domain.CodeValidation, "expiresAt")
	b.assertUnchanged(t, "expiresAt in the past", before)
	b.wantFigures(t, "expiresAt in the past", b.locA, levelFigures{Available: 10, OnHand: 10})
}

// TestReserveIdempotentReplayReturnsSameReservation checks that calling
// Reserve again with the same idempotency key and input returns the first
// reservation and writes nothing, and that the key with another input is
// IDEMPOTENCY_CONFLICT.
func TestReserveIdempotentReplayReturnsSameReservation(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 10)
	at := time.Now().Add(time.Hour).Truncate(time.Microsecond)
	in := domain.ReserveRequest{ItemID: b.item.ID, LocationID: b.locA.ID, Quantity: 3, ExpiresAt: &at}
	meta := domain.Meta{IdempotencyKey: ptr("reserve-once"), Reference: ptr("ORDER-7")}
	first, err := b.store.Reserve(ctx, b.sc, in, meta)
	if err != nil {
		t.Fatal(err)
	}
	before := b.counts(t)
	again, err := b.store.Reserve(ctx, b.sc, in, meta)
	if err != nil {
		t.Fatal(err)
	}
	b.assertUnchanged(t, "the replay", before)
	if !again.Replayed || first.Replayed {
		t.Errorf("replayed flags: first %v, again %v; want false, true", first.Replayed, again.Replayed)
	}
	if len(again.Reservations) != 1 || again.Reservations[0].ID != first.Reservations[0].ID {
		t.Fatalf("replay returned reservations %+v, want the first one %s", again.Reservations, first.Reservations[0].ID)
	}
	if again.OperationID != first.OperationID || !slices.Equal(movementIDsOf(again), movementIDsOf(first)) {
		t.Errorf("replay returned operation %s movements %v, want %s %v",
			again.OperationID, movementIDsOf(again), first.OperationID, movementIDsOf(first))
	}
	if got := again.Reservations[0]; got.ExpiresAt == nil || !got.ExpiresAt.Equal(at) || got.Quantity() != 3 {
		t.Errorf("replayed reservation %+v", got)
	}
	b.wantFigures(t, "after the replay", b.locA, levelFigures{Available: 7, Reserved: 3, OnHand: 10})

	in.Quantity = 4
	_, err = b.store.Reserve(ctx, b.sc, in, meta)
	wantCode(t, "same key, other quantity", err, domain.CodeIdempotencyConflict, "idempotencyKey")
	_, err = b.store.Release(ctx, b.sc, first.Reservations[0].ID, nil, meta)
	wantCode(t, "same key, other operation", err, domain.CodeIdempotencyConflict, "idempotencyKey")
	b.assertUnchanged(t, "the conflicts", before)
}

// movementIDsOf lists the ids of a change's movements, in order.
func movementIDsOf(c *domain.StockChange) []string {
	var ids []string
	for _, m := range c.Movements {
		ids = append(ids, m.ID)
	}
	return ids
}
