package httpserver_test

import (
	"context"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/tenancy"
)

// newExpiryServer is newTestServer wired as serve wires it for background
// work: its store schedules expiry jobs through the jobs Scheduler, and a
// real jobs.Runner works River's queues next to the HTTP server until
// cleanup.
func newExpiryServer(tb testing.TB) *testServer {
	tb.Helper()
	return newTestServerWith(tb, serverOptions{jobs: true})
}

// expiryReservation is a reservation as the expiry test reads it over HTTP.
type expiryReservation struct {
	ID               string
	Status           string
	Quantity         int64
	ReservedQuantity int64
	ReleasedQuantity int64
	ExpiresAt        time.Time
	UpdatedAt        time.Time
}

// TestReservationExpiresOnARunningService reserves over HTTP, on a service
// with a running job runner, 4 units to expire in 2 seconds and 3 more
// reservations of 2 units expiring a little later, then polls over HTTP
// until every one is EXPIRED and all 10 units are available again. Each must
// expire within 10 seconds of being made, through its River job, with an
// EXPIRY movement by the system actor in the ledger. It logs how long after
// expiresAt each expiry committed.
func TestReservationExpiresOnARunningService(t *testing.T) {
	s := newExpiryServer(t)
	tenant := s.tenant(t)
	tok := s.token(t, tenant, "alice", tenancy.Admin)
	itemID, locs := s.catalogue(t, tok, "EXP-1", "MAIN")
	loc := locs[0]

	var recv struct {
		ReceiveStock struct{ UserErrors []apiExpiryError }
	}
	s.mustData(t, tok, `mutation($in: ReceiveStockInput!) { receiveStock(input: $in) { userErrors { code message } } }`,
		map[string]any{"in": map[string]any{"itemId": itemID, "locationId": loc, "quantity": 10}}, &recv)
	if len(recv.ReceiveStock.UserErrors) > 0 {
		t.Fatalf("receiveStock: %+v", recv.ReceiveStock.UserErrors)
	}

	const reserveQuery = `mutation($in: ReserveStockInput!) { reserveStock(input: $in) {
		reservation { id status quantity reservedQuantity releasedQuantity expiresAt updatedAt }
		stockLevel { available reserved }
		userErrors { code message } } }`
	quantities := []int64{4, 2, 2, 2}
	var (
		made     = map[string]time.Time{} // reservation id → when it was made
		expiries = map[string]time.Time{}
		order    []string
	)
	for i, q := range quantities {
		expiresAt := time.Now().Add(2*time.Second + time.Duration(i)*300*time.Millisecond)
		var out struct {
			ReserveStock struct {
				Reservation expiryReservation
				StockLevel  struct{ Available, Reserved int64 }
				UserErrors  []apiExpiryError
			}
		}
		s.mustData(t, tok, reserveQuery, map[string]any{"in": map[string]any{"itemId": itemID, "locationId": loc,
			"quantity": q, "expiresAt": expiresAt.Format(time.RFC3339Nano)}}, &out)
		p := out.ReserveStock
		if len(p.UserErrors) > 0 {
			t.Fatalf("reserveStock %d: %+v", q, p.UserErrors)
		}
		if r := p.Reservation; r.Status != "ACTIVE" || r.Quantity != q || r.ReservedQuantity != q ||
			!r.ExpiresAt.Equal(expiresAt.Truncate(time.Microsecond)) {
			t.Fatalf("reserveStock %d returned %+v, want ACTIVE, expiring at %v", q, r, expiresAt)
		}
		made[p.Reservation.ID] = time.Now()
		expiries[p.Reservation.ID] = p.Reservation.ExpiresAt
		order = append(order, p.Reservation.ID)
	}
	var held struct {
		StockLevel struct{ Available, Reserved int64 }
	}
	s.mustData(t, tok, `query($item: ID!, $loc: ID!) { stockLevel(itemId: $item, locationId: $loc) { available reserved } }`,
		map[string]any{"item": itemID, "loc": loc}, &held)
	if l := held.StockLevel; l.Available != 0 || l.Reserved != 10 {
		t.Fatalf("after reserving: available %d, reserved %d; want 0, 10", l.Available, l.Reserved)
	}

	// Poll over HTTP until everything expired, or 10 s after the last
	// reservation was made.
	const pollQuery = `query($item: ID!, $loc: ID!) {
		reservations(itemId: $item, first: 50) { nodes { id status quantity reservedQuantity releasedQuantity expiresAt updatedAt } }
		stockLevel(itemId: $item, locationId: $loc) { available reserved onHand } }`
	deadline := made[order[len(order)-1]].Add(10 * time.Second)
	seenExpired := map[string]time.Time{}
	var last struct {
		Reservations struct{ Nodes []expiryReservation }
		StockLevel   struct{ Available, Reserved, OnHand int64 }
	}
	for {
		s.mustData(t, tok, pollQuery, map[string]any{"item": itemID, "loc": loc}, &last)
		now := time.Now()
		for _, r := range last.Reservations.Nodes {
			if _, ok := seenExpired[r.ID]; !ok && r.Status == "EXPIRED" {
				seenExpired[r.ID] = now
			}
		}
		if len(seenExpired) == len(order) && last.StockLevel.Available == 10 && last.StockLevel.Reserved == 0 {
			break
		}
		if now.After(deadline) {
			t.Fatalf("10 s after the last reservation: %d of %d expired, level %+v, reservations %+v",
				len(seenExpired), len(order), last.StockLevel, last.Reservations.Nodes)
		}
		time.Sleep(50 * time.Millisecond)
	}

	var committed []time.Duration
	for _, r := range last.Reservations.Nodes {
		q := quantities[slices.Index(order, r.ID)]
		if r.Status != "EXPIRED" || r.Quantity != 0 || r.ReservedQuantity != q || r.ReleasedQuantity != q {
			t.Errorf("reservation %s: %+v, want EXPIRED with all %d released", r.ID, r, q)
		}
		if took := seenExpired[r.ID].Sub(made[r.ID]); took > 10*time.Second {
			t.Errorf("reservation %s was seen EXPIRED %s after it was made, want within 10 s", r.ID, took)
		}
		lag := r.UpdatedAt.Sub(expiries[r.ID])
		if lag < 0 {
			t.Errorf("reservation %s expired %s before its expiresAt", r.ID, -lag)
		}
		committed = append(committed, lag)
		t.Logf("reservation of %d: expiry committed %s after expiresAt (seen over HTTP %s after; %s after it was made)",
			q, lag.Round(time.Millisecond), seenExpired[r.ID].Sub(expiries[r.ID]).Round(time.Millisecond),
			seenExpired[r.ID].Sub(made[r.ID]).Round(time.Millisecond))
	}
	sort.Slice(committed, func(i, j int) bool { return committed[i] < committed[j] })
	t.Logf("expiry latency after expiresAt over %d reservations: median %s, worst %s",
		len(committed), ((committed[(len(committed)-1)/2] + committed[len(committed)/2]) / 2).Round(time.Millisecond),
		committed[len(committed)-1].Round(time.Millisecond))
	if last.StockLevel.OnHand != 10 {
		t.Errorf("onHand %d after the expiries, want 10", last.StockLevel.OnHand)
	}

	// The ledger: one EXPIRY per reservation, by the system actor, RESERVED →
	// AVAILABLE, for what it held.
	var ms struct {
		Movements struct {
			Nodes []struct {
				Kind, FromState, ToState, Actor string
				Quantity                        int64
			}
		}
	}
	s.mustData(t, tok, `query($item: ID!) { movements(itemId: $item, first: 50) { nodes { kind quantity fromState toState actor } } }`,
		map[string]any{"item": itemID}, &ms)
	var expiryQuantities []int64
	for _, m := range ms.Movements.Nodes {
		if m.Kind != "EXPIRY" {
			continue
		}
		if m.FromState != "RESERVED" || m.ToState != "AVAILABLE" || m.Actor != domain.SystemActor {
			t.Errorf("EXPIRY movement %+v, want RESERVED → AVAILABLE by %s", m, domain.SystemActor)
		}
		expiryQuantities = append(expiryQuantities, m.Quantity)
	}
	slices.Sort(expiryQuantities)
	if want := []int64{2, 2, 2, 4}; !slices.Equal(expiryQuantities, want) {
		t.Errorf("EXPIRY movements of %v, want %v", expiryQuantities, want)
	}
	if n := len(ms.Movements.Nodes); n != 1+2*len(order) {
		t.Errorf("%d movements, want %d (a receipt, then a reservation and an expiry each)", n, 1+2*len(order))
	}

	// Each expiry was its River job's work: the job completes.
	for _, id := range order {
		var state string
		for {
			err := s.db.Owner.QueryRow(context.Background(), `SELECT state::text FROM river_job
				WHERE kind = 'expire_reservation' AND args->>'reservation_id' = $1`, id).Scan(&state)
			if err != nil {
				t.Fatalf("the expiry job of reservation %s: %v", id, err)
			}
			if state == "completed" || time.Now().After(deadline.Add(10*time.Second)) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if state != "completed" {
			t.Errorf("the expiry job of reservation %s is %s, want completed", id, state)
		}
	}
}

// apiExpiryError is a userError as the expiry test reads it.
type apiExpiryError struct {
	Code    string
	Message string
}
