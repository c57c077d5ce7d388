package domain_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/inventory-backbone/inventory/domain"
)

// ownerCollect runs a query through the owner pool in a transaction bound to
// the tenant (so that it reads the same rows whether or not the owner is
// subject to row-level security) and collects its rows by position into T.
func ownerCollect[T any](t *testing.T, b *testBundle, sql string, args ...any) []T {
	t.Helper()
	ctx := context.Background()
	var out []T
	err := pgx.BeginFunc(ctx, b.db.Owner, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", b.sc.TenantID); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, sql, args...)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[T])
		return err
	})
	if err != nil {
		t.Fatalf("owner query: %v", err)
	}
	return out
}

// ship ships quantity of the bundle's item from loc.
func (b *testBundle) ship(t *testing.T, loc *domain.Location, q int64) {
	t.Helper()
	if _, err := b.store.Ship(context.Background(), b.sc, b.item.ID, loc.ID, q, domain.Meta{}); err != nil {
		t.Fatalf("ship %d at %s: %v", q, loc.Code, err)
	}
}

// setPoint sets the reorder point of the bundle's item at loc (nil: the
// item's own), failing the test on error.
func (b *testBundle) setPoint(t *testing.T, loc *domain.Location, point *int64) {
	t.Helper()
	locationID := ""
	if loc != nil {
		locationID = loc.ID
	}
	if _, err := b.store.SetReorderPoint(context.Background(), b.sc, b.item.ID, locationID, point); err != nil {
		t.Fatalf("set reorder point: %v", err)
	}
}

// check runs CheckAlerts for the bundle's item at loc, as the alert job does.
func (b *testBundle) check(t *testing.T, loc *domain.Location) *domain.Alert {
	t.Helper()
	a, err := b.store.CheckAlerts(context.Background(), b.sc, b.item.ID, loc.ID)
	if err != nil {
		t.Fatalf("check alerts at %s: %v", loc.Code, err)
	}
	return a
}

// alertLine renders what an alert test compares: kind, status, available,
// threshold, and whether it has been acknowledged and resolved.
func alertLine(a *domain.Alert) string {
	if a == nil {
		return "none"
	}
	num := func(p *int64) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprint(*p)
	}
	return fmt.Sprintf("%s %s available=%s threshold=%s acknowledged=%t resolved=%t", a.Kind, a.Status,
		num(a.Available), num(a.Threshold), a.AcknowledgedAt != nil, a.ResolvedAt != nil)
}

// wantAlert fails the test unless got renders as want (see alertLine).
func wantAlert(t *testing.T, step string, got *domain.Alert, want string) {
	t.Helper()
	if line := alertLine(got); line != want {
		t.Errorf("%s: alert %s, want %s", step, line, want)
	}
}

// alertEvent is an alert event on the change feed, as the owner reads it.
type alertEvent struct {
	Kind    string
	Payload []byte
}

// alertEvents returns the tenant's alert events, in the order they were
// written, as "event alertID kind status available".
func (b *testBundle) alertEvents(t *testing.T) []string {
	t.Helper()
	events := ownerCollect[alertEvent](t, b, `SELECT kind, payload FROM events
		WHERE tenant_id = $1 AND kind LIKE 'alert.%' ORDER BY id`, b.sc.TenantID)
	out := make([]string, len(events))
	for i, e := range events {
		var a domain.Alert
		if err := json.Unmarshal(e.Payload, &a); err != nil {
			t.Fatalf("event %s: %v", e.Kind, err)
		}
		avail := "-"
		if a.Available != nil {
			avail = fmt.Sprint(*a.Available)
		}
		out[i] = fmt.Sprintf("%s %s %s %s %s", e.Kind, a.ID, a.Kind, a.Status, avail)
	}
	return out
}

// pendingChecks lists the tenant's pending alert checks as "sku@code".
func (b *testBundle) pendingChecks(t *testing.T) []string {
	t.Helper()
	type row struct{ SKU, Code string }
	rows := ownerCollect[row](t, b, `SELECT i.sku, l.code FROM alert_checks c
		JOIN items i ON i.tenant_id = c.tenant_id AND i.id = c.item_id
		JOIN locations l ON l.tenant_id = c.tenant_id AND l.id = c.location_id
		WHERE c.tenant_id = $1 ORDER BY i.sku, l.code`, b.sc.TenantID)
	out := []string{}
	for _, r := range rows {
		out = append(out, r.SKU+"@"+r.Code)
	}
	return out
}

// allAlerts lists the tenant's alerts through the store, newest first.
func (b *testBundle) allAlerts(t *testing.T, f domain.AlertFilter) []*domain.Alert {
	t.Helper()
	p, err := b.store.Alerts(context.Background(), b.sc, f, domain.PageRequest{First: ptr(int64(250))})
	if err != nil {
		t.Fatalf("list alerts: %v", err)
	}
	return p.Rows
}

// TestAlertRaisedOncePerCrossing takes a level down through its reorder
// point, further down to zero, back up above it, and down again, running the
// check after every change as the alert job would. Exactly two alerts are
// raised: the first is escalated to OUT_OF_STOCK in place (still one alert)
// and resolved when the level rises back above the point; the second is
// raised on the next crossing, and eased back from OUT_OF_STOCK to LOW_STOCK
// in place. Changes that do not cross anything change no alert, and the
// change feed carries one event per alert change, in order.
func TestAlertRaisedOncePerCrossing(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.setPoint(t, nil, ptr(int64(5)))

	b.receive(t, b.locA, 10)
	wantAlert(t, "10 available", b.check(t, b.locA), "none")
	b.ship(t, b.locA, 3)
	wantAlert(t, "7 available", b.check(t, b.locA), "none")

	b.ship(t, b.locA, 2)
	first := b.check(t, b.locA)
	wantAlert(t, "down to the point (5)", first, "LOW_STOCK OPEN available=5 threshold=5 acknowledged=false resolved=false")
	if first == nil {
		t.FailNow()
	}
	wantAlert(t, "checked again at 5", b.check(t, b.locA), "none")

	b.ship(t, b.locA, 3)
	wantAlert(t, "further down (2): the same crossing", b.check(t, b.locA), "none")

	b.ship(t, b.locA, 2)
	escalated := b.check(t, b.locA)
	wantAlert(t, "down to 0", escalated, "OUT_OF_STOCK OPEN available=0 threshold=5 acknowledged=false resolved=false")
	if escalated == nil || escalated.ID != first.ID || !escalated.RaisedAt.Equal(first.RaisedAt) {
		t.Fatalf("escalation made %+v, want the first alert %s changed in place", escalated, first.ID)
	}

	b.receive(t, b.locA, 6)
	resolved := b.check(t, b.locA)
	wantAlert(t, "back up to 6", resolved, "OUT_OF_STOCK RESOLVED available=6 threshold=5 acknowledged=false resolved=true")
	if resolved == nil || resolved.ID != first.ID {
		t.Fatalf("resolution changed %+v, want the first alert %s", resolved, first.ID)
	}
	wantAlert(t, "checked again at 6", b.check(t, b.locA), "none")

	b.ship(t, b.locA, 1)
	second := b.check(t, b.locA)
	wantAlert(t, "down through the point again (5)", second, "LOW_STOCK OPEN available=5 threshold=5 acknowledged=false resolved=false")
	if second == nil || second.ID == first.ID {
		t.Fatalf("the second crossing gave %+v, want a new alert", second)
	}
	b.ship(t, b.locA, 5)
	wantAlert(t, "down to 0 again", b.check(t, b.locA), "OUT_OF_STOCK OPEN available=0 threshold=5 acknowledged=false resolved=false")
	b.receive(t, b.locA, 3)
	wantAlert(t, "eased back to 3", b.check(t, b.locA), "LOW_STOCK OPEN available=3 threshold=5 acknowledged=false resolved=false")
	wantAlert(t, "checked again at 3", b.check(t, b.locA), "none")

	all := b.allAlerts(t, domain.AlertFilter{})
	var lines []string
	for _, a := range all {
		lines = append(lines, a.ID+" "+alertLine(a))
	}
	want := []string{
		second.ID + " LOW_STOCK OPEN available=3 threshold=5 acknowledged=false resolved=false",
		first.ID + " OUT_OF_STOCK RESOLVED available=6 threshold=5 acknowledged=false resolved=true",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("alerts, newest first:\n%q\nwant\n%q", lines, want)
	}
	got, err := b.store.Alert(ctx, b.sc, first.ID)
	if err != nil || got.ResolvedAt == nil || got.ResolvedAt.Before(got.RaisedAt) {
		t.Errorf("the first alert reads back as %+v, %v; want resolved after it was raised", got, err)
	}
	for _, f := range []struct {
		name   string
		filter domain.AlertFilter
		want   []string
	}{
		{"OPEN", domain.AlertFilter{Status: ptr(domain.AlertOpen)}, []string{second.ID}},
		{"RESOLVED", domain.AlertFilter{Status: ptr(domain.AlertResolved)}, []string{first.ID}},
		{"LOW_STOCK", domain.AlertFilter{Kind: ptr(domain.AlertLowStock)}, []string{second.ID}},
		{"OUT_OF_STOCK", domain.AlertFilter{Kind: ptr(domain.AlertOutOfStock)}, []string{first.ID}},
		{"location A", domain.AlertFilter{LocationID: &b.locA.ID}, []string{second.ID, first.ID}},
		{"location B", domain.AlertFilter{LocationID: &b.locB.ID}, nil},
		{"item", domain.AlertFilter{ItemID: &b.item.ID}, []string{second.ID, first.ID}},
	} {
		var ids []string
		for _, a := range b.allAlerts(t, f.filter) {
			ids = append(ids, a.ID)
		}
		if !slices.Equal(ids, f.want) {
			t.Errorf("alerts filtered by %s: %v, want %v", f.name, ids, f.want)
		}
	}

	wantEvents := []string{
		"alert.raised " + first.ID + " LOW_STOCK OPEN 5",
		"alert.updated " + first.ID + " OUT_OF_STOCK OPEN 0",
		"alert.resolved " + first.ID + " OUT_OF_STOCK RESOLVED 6",
		"alert.raised " + second.ID + " LOW_STOCK OPEN 5",
		"alert.updated " + second.ID + " OUT_OF_STOCK OPEN 0",
		"alert.updated " + second.ID + " LOW_STOCK OPEN 3",
	}
	if got := b.alertEvents(t); !slices.Equal(got, wantEvents) {
		t.Errorf("alert events on the change feed:\n%q\nwant\n%q", got, wantEvents)
	}
}

// TestLocationReorderPointOverridesTheItems sets an item's reorder point and
// overrides it at one location, then checks that each level is judged by the
// point that applies to it: the override where there is one (higher or
// lower than the item's), the item's elsewhere and once the override is
// cleared.
func TestLocationReorderPointOverridesTheItems(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.setPoint(t, nil, ptr(int64(5)))
	b.setPoint(t, b.locB, ptr(int64(2)))
	wantPoint := func(step string, loc *domain.Location, want *int64) {
		t.Helper()
		got, err := b.store.ReorderPoint(ctx, b.sc, b.item.ID, loc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if (got == nil) != (want == nil) || got != nil && *got != *want {
			t.Errorf("%s: the reorder point at %s is %v, want %v", step, loc.Code, got, want)
		}
	}
	wantPoint("item 5, B 2", b.locA, ptr(int64(5)))
	wantPoint("item 5, B 2", b.locB, ptr(int64(2)))

	b.receive(t, b.locA, 4)
	b.receive(t, b.locB, 4)
	wantAlert(t, "A at 4 under the item's 5", b.check(t, b.locA), "LOW_STOCK OPEN available=4 threshold=5 acknowledged=false resolved=false")
	wantAlert(t, "B at 4 over its own 2", b.check(t, b.locB), "none")
	b.ship(t, b.locB, 2)
	wantAlert(t, "B at 2, its own point", b.check(t, b.locB), "LOW_STOCK OPEN available=2 threshold=2 acknowledged=false resolved=false")

	b.setPoint(t, b.locA, ptr(int64(3)))
	wantPoint("A overridden to 3", b.locA, ptr(int64(3)))
	wantAlert(t, "A at 4 over its new 3", b.check(t, b.locA), "LOW_STOCK RESOLVED available=4 threshold=5 acknowledged=false resolved=true")

	b.setPoint(t, b.locB, nil)
	wantPoint("B's override cleared", b.locB, ptr(int64(5)))
	wantAlert(t, "B at 2 under the item's 5: still the same crossing", b.check(t, b.locB), "none")

	b.setPoint(t, nil, ptr(int64(1)))
	wantPoint("item lowered to 1", b.locA, ptr(int64(3)))
	wantPoint("item lowered to 1", b.locB, ptr(int64(1)))
	wantAlert(t, "B at 2 over the item's 1", b.check(t, b.locB), "LOW_STOCK RESOLVED available=2 threshold=2 acknowledged=false resolved=true")
	wantAlert(t, "A at 4 over its 3", b.check(t, b.locA), "none")

	// A reorder point of zero alerts only when the level is empty.
	b.setPoint(t, b.locA, ptr(int64(0)))
	b.ship(t, b.locA, 3)
	wantAlert(t, "A at 1 over its 0", b.check(t, b.locA), "none")
	b.ship(t, b.locA, 1)
	wantAlert(t, "A at 0, its own 0", b.check(t, b.locA), "OUT_OF_STOCK OPEN available=0 threshold=0 acknowledged=false resolved=false")

	_, err := b.store.SetReorderPoint(ctx, b.sc, b.item.ID, b.locA.ID, ptr(int64(-1)))
	wantErr(t, err, domain.CodeValidation, "input", "reorderPoint")
	_, err = b.store.SetReorderPoint(ctx, b.sc, b.item.ID, missingLocation, ptr(int64(1)))
	wantErr(t, err, domain.CodeNotFound, "input", "locationId")
	_, err = b.store.SetReorderPoint(ctx, b.sc, missingLocation, b.locA.ID, ptr(int64(1)))
	wantErr(t, err, domain.CodeNotFound, "input", "itemId")
	if got := len(b.allAlerts(t, domain.AlertFilter{})); got != 3 {
		t.Errorf("%d alerts, want 3 (A, B, A again)", got)
	}
}

// missingLocation is a well-formed id that names nothing.
const missingLocation = "7a0d2f64-3c1e-4b8a-9e55-0f2d6c9b1a37"

// TestClearingTheReorderPointResolvesTheAlert clears the reorder point of an
// item whose level has an open alert: the level is marked for a check at
// once, the check resolves the alert, and later changes, with no point and
// no open alert, neither mark the level nor raise anything.
func TestClearingTheReorderPointResolvesTheAlert(t *testing.T) {
	b := setup(t)
	b.setPoint(t, nil, ptr(int64(5)))
	b.receive(t, b.locA, 3)
	wantAlert(t, "3 under 5", b.check(t, b.locA), "LOW_STOCK OPEN available=3 threshold=5 acknowledged=false resolved=false")
	if got := b.pendingChecks(t); len(got) != 0 {
		t.Fatalf("pending checks after the check: %v", got)
	}

	b.setPoint(t, nil, nil)
	if got, want := b.pendingChecks(t), []string{"SKU-1@A"}; !slices.Equal(got, want) {
		t.Errorf("pending checks after clearing the point: %v, want %v", got, want)
	}
	wantAlert(t, "point cleared", b.check(t, b.locA), "LOW_STOCK RESOLVED available=3 threshold=5 acknowledged=false resolved=true")
	wantAlert(t, "checked again", b.check(t, b.locA), "none")

	b.ship(t, b.locA, 3)
	if got := b.pendingChecks(t); len(got) != 0 {
		t.Errorf("a change to a level with no point and no open alert was marked for a check: %v", got)
	}
	wantAlert(t, "empty, with no point", b.check(t, b.locA), "none")
	if got := len(b.allAlerts(t, domain.AlertFilter{})); got != 1 {
		t.Errorf("%d alerts, want 1", got)
	}
}

// TestAcknowledgeAlert acknowledges an open alert: it records who and when,
// a second acknowledgement (by someone else) keeps the first, the alert is
// still escalated and resolved by later checks, and a resolved alert can no
// longer be acknowledged. Another tenant's alert id, an unknown id and a
// malformed id are refused. Only the first acknowledgement is an event.
func TestAcknowledgeAlert(t *testing.T) {
	b := setup(t)
	other := setup(t)
	ctx := context.Background()
	b.setPoint(t, nil, ptr(int64(5)))
	b.receive(t, b.locA, 3)
	a := b.check(t, b.locA)
	if a == nil {
		t.Fatal("no alert raised")
	}

	alice := domain.Scope{TenantID: b.sc.TenantID, Actor: "alice"}
	acked, err := b.store.AcknowledgeAlert(ctx, alice, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantAlert(t, "acknowledged", acked, "LOW_STOCK ACKNOWLEDGED available=3 threshold=5 acknowledged=true resolved=false")
	if acked.ID != a.ID || acked.AcknowledgedBy == nil || *acked.AcknowledgedBy != "alice" {
		t.Fatalf("acknowledged alert %+v, want %s by alice", acked, a.ID)
	}
	bob := domain.Scope{TenantID: b.sc.TenantID, Actor: "bob"}
	again, err := b.store.AcknowledgeAlert(ctx, bob, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.AcknowledgedBy == nil || *again.AcknowledgedBy != "alice" || !again.AcknowledgedAt.Equal(*acked.AcknowledgedAt) ||
		again.Status != domain.AlertAcknowledged {
		t.Errorf("a second acknowledgement left %+v, want alice's at %v kept", again, *acked.AcknowledgedAt)
	}

	_, err = other.store.AcknowledgeAlert(ctx, other.sc, a.ID)
	wantErr(t, err, domain.CodeNotFound, "input", "alertId")
	_, err = b.store.AcknowledgeAlert(ctx, b.sc, missingLocation)
	wantErr(t, err, domain.CodeNotFound, "input", "alertId")
	_, err = b.store.AcknowledgeAlert(ctx, b.sc, "not-an-id")
	wantErr(t, err, domain.CodeValidation, "input", "alertId")
	if _, err := other.store.Alert(ctx, other.sc, a.ID); !errorsIsNotFound(err) {
		t.Errorf("another tenant reads the alert: %v, want NOT_FOUND", err)
	}

	b.ship(t, b.locA, 3)
	wantAlert(t, "acknowledged, then out of stock", b.check(t, b.locA), "OUT_OF_STOCK ACKNOWLEDGED available=0 threshold=5 acknowledged=true resolved=false")
	b.receive(t, b.locA, 10)
	wantAlert(t, "acknowledged, then back up", b.check(t, b.locA), "OUT_OF_STOCK RESOLVED available=10 threshold=5 acknowledged=true resolved=true")
	_, err = b.store.AcknowledgeAlert(ctx, alice, a.ID)
	wantErr(t, err, domain.CodeInvalidState, "input", "alertId")

	want := []string{
		"alert.raised " + a.ID + " LOW_STOCK OPEN 3",
		"alert.updated " + a.ID + " LOW_STOCK ACKNOWLEDGED 3",
		"alert.updated " + a.ID + " OUT_OF_STOCK ACKNOWLEDGED 0",
		"alert.resolved " + a.ID + " OUT_OF_STOCK RESOLVED 10",
	}
	if got := b.alertEvents(t); !slices.Equal(got, want) {
		t.Errorf("alert events:\n%q\nwant\n%q", got, want)
	}
	if got := other.alertEvents(t); len(got) != 0 {
		t.Errorf("the other tenant has alert events %q", got)
	}
}

// errorsIsNotFound reports whether err is a NOT_FOUND domain Error.
func errorsIsNotFound(err error) bool { return domain.CodeOf(err) == domain.CodeNotFound }

// runAtOnce runs fn(i) for i in [0, n) on n goroutines released together and
// waits for all of them.
func runAtOnce(n int, fn func(i int)) {
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			fn(i)
		}()
	}
	start.Done()
	done.Wait()
}

// TestConcurrentCrossingsRaiseOneAlert crosses reorder points with many
// concurrent shipments. At A, twenty shipments cross the point at once and
// then eight checks run at once: exactly one of them raises the alert. At B,
// each of twenty concurrent shipments is followed by its own check, as each
// change enqueues one: still exactly one alert, and no other alert event.
func TestConcurrentCrossingsRaiseOneAlert(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.setPoint(t, nil, ptr(int64(10)))
	b.setPoint(t, b.locB, ptr(int64(15)))
	b.receive(t, b.locA, 30)
	b.receive(t, b.locB, 30)
	wantAlert(t, "A at 30", b.check(t, b.locA), "none")
	wantAlert(t, "B at 30", b.check(t, b.locB), "none")

	errs := make([]error, 20)
	runAtOnce(20, func(i int) {
		_, errs[i] = b.store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, 1, domain.Meta{})
	})
	for _, err := range errs {
		if err != nil {
			t.Fatalf("ship at A: %v", err)
		}
	}
	raised := make([]*domain.Alert, 8)
	checkErrs := make([]error, 8)
	runAtOnce(8, func(i int) {
		raised[i], checkErrs[i] = b.store.CheckAlerts(ctx, b.sc, b.item.ID, b.locA.ID)
	})
	var changedA []string
	for i, a := range raised {
		if checkErrs[i] != nil {
			t.Fatalf("check at A: %v", checkErrs[i])
		}
		if a != nil {
			changedA = append(changedA, alertLine(a))
		}
	}
	if want := []string{"LOW_STOCK OPEN available=10 threshold=10 acknowledged=false resolved=false"}; !slices.Equal(changedA, want) {
		t.Errorf("eight concurrent checks at A changed %q, want exactly %q", changedA, want)
	}

	raisedB := make([]*domain.Alert, 20)
	runAtOnce(20, func(i int) {
		if _, errs[i] = b.store.Ship(ctx, b.sc, b.item.ID, b.locB.ID, 1, domain.Meta{}); errs[i] != nil {
			return
		}
		raisedB[i], errs[i] = b.store.CheckAlerts(ctx, b.sc, b.item.ID, b.locB.ID)
	})
	var changedB []string
	for i, a := range raisedB {
		if errs[i] != nil {
			t.Fatalf("ship and check at B: %v", errs[i])
		}
		if a != nil {
			changedB = append(changedB, alertLine(a))
		}
	}
	if len(changedB) != 1 || changedB[0][:14] != "LOW_STOCK OPEN" {
		t.Errorf("twenty ship-then-check calls at B changed %q, want exactly one LOW_STOCK alert raised", changedB)
	}
	wantAlert(t, "B after the burst", b.check(t, b.locB), "none")
	if l := b.level(t, b.locB); l.Available != 10 {
		t.Errorf("B has %d available, want 10", l.Available)
	}

	for _, loc := range []*domain.Location{b.locA, b.locB} {
		if got := b.allAlerts(t, domain.AlertFilter{LocationID: &loc.ID}); len(got) != 1 {
			t.Errorf("%d alerts at %s, want 1", len(got), loc.Code)
		}
	}
	var kinds []string
	for _, e := range b.alertEvents(t) {
		kinds = append(kinds, e[:len("alert.raised")])
	}
	if want := []string{"alert.raised", "alert.raised"}; !slices.Equal(kinds, want) {
		t.Errorf("alert events %q, want %q", kinds, want)
	}
	if got := b.pendingChecks(t); len(got) != 0 {
		t.Errorf("pending checks after the checks: %v", got)
	}
}

// TestOnePendingCheckPerLevel makes many changes, serial and concurrent, to
// levels that can have an alert and to one that cannot, and checks the
// pending-check marks: exactly one per level that can alert, none for the
// one that cannot, none for a change that leaves available as it was, and a
// check clears its level's mark so that the next change sets it again.
func TestOnePendingCheckPerLevel(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.setPoint(t, nil, ptr(int64(5)))
	quiet := b.newItem(t, "SKU-2") // no reorder point, never an alert

	b.receive(t, b.locA, 40)
	for range 5 {
		b.ship(t, b.locA, 1)
	}
	if _, err := b.store.Reserve(ctx, b.sc, domain.ReserveRequest{ItemID: b.item.ID, LocationID: b.locA.ID, Quantity: 2}, domain.Meta{}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.store.Transfer(ctx, b.sc, b.item.ID, b.locA.ID, b.locB.ID, 10, domain.Meta{}); err != nil {
		t.Fatal(err)
	}
	errs := make([]error, 10)
	runAtOnce(10, func(i int) {
		_, errs[i] = b.store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, 1, domain.Meta{})
	})
	for i := range 10 {
		if _, err := b.store.Receive(ctx, b.sc, quiet.ID, b.locA.ID, 1, domain.Meta{}); err != nil {
			t.Fatal(err)
		}
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
	}
	if got, want := b.pendingChecks(t), []string{"SKU-1@A", "SKU-1@B"}; !slices.Equal(got, want) {
		t.Errorf("pending checks after many changes: %v, want %v", got, want)
	}

	b.check(t, b.locA)
	if got, want := b.pendingChecks(t), []string{"SKU-1@B"}; !slices.Equal(got, want) {
		t.Errorf("pending checks after checking A: %v, want %v", got, want)
	}
	if _, err := b.store.ChangeState(ctx, b.sc, domain.StateChangeRequest{ItemID: b.item.ID, LocationID: b.locA.ID,
		Quantity: 2, From: domain.Available, To: domain.Damaged}, domain.Meta{}); err != nil {
		t.Fatal(err)
	}
	if got, want := b.pendingChecks(t), []string{"SKU-1@A", "SKU-1@B"}; !slices.Equal(got, want) {
		t.Errorf("pending checks after damaging stock at A: %v, want %v", got, want)
	}
	b.check(t, b.locA)
	b.check(t, b.locB)
	if _, err := b.store.ChangeState(ctx, b.sc, domain.StateChangeRequest{ItemID: b.item.ID, LocationID: b.locA.ID,
		Quantity: 1, From: domain.Damaged, To: domain.QualityControl}, domain.Meta{}); err != nil {
		t.Fatal(err)
	}
	if got := b.pendingChecks(t); len(got) != 0 {
		t.Errorf("a change that leaves available as it was marked %v for a check", got)
	}
	if got := len(b.allAlerts(t, domain.AlertFilter{})); got != 0 {
		t.Errorf("%d alerts, want none: every level stayed above its point", got)
	}
}

// TestCheckAlertsRefusesBadIDs checks that a check for malformed ids is a
// VALIDATION error and that one for ids that name nothing changes nothing.
func TestCheckAlertsRefusesBadIDs(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	_, err := b.store.CheckAlerts(ctx, b.sc, "x", b.locA.ID)
	wantErr(t, err, domain.CodeValidation, "input", "itemId")
	_, err = b.store.CheckAlerts(ctx, b.sc, b.item.ID, "y")
	wantErr(t, err, domain.CodeValidation, "input", "locationId")
	a, err := b.store.CheckAlerts(ctx, b.sc, missingLocation, b.locA.ID)
	if err != nil || a != nil {
		t.Errorf("a check for an item that does not exist: %+v, %v; want nothing", a, err)
	}
}

// TestStaleAlertCheckIsRequeued checks that a level whose alert check has
// been pending too long (its job lost) gets a fresh mark, and that fresh
// marks are left alone.
func TestStaleAlertCheckIsRequeued(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	if _, err := b.store.SetReorderPoint(ctx, b.sc, b.item.ID, "", ptr[int64](5)); err != nil {
		t.Fatal(err)
	}
	b.receive(t, b.locA, 3) // marks the level as needing a check
	count := func() (n int) {
		t.Helper()
		if err := b.db.Owner.QueryRow(ctx, `SELECT count(*) FROM alert_checks WHERE tenant_id = $1`, b.sc.TenantID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 1 {
		t.Fatalf("%d pending checks, want 1", n)
	}
	if n, err := b.store.RequeueStaleAlertChecks(ctx, b.sc, time.Hour); err != nil || n != 0 {
		t.Fatalf("fresh mark requeued: %d, %v", n, err)
	}
	if _, err := b.db.Owner.Exec(ctx, `UPDATE alert_checks SET marked_at = now() - interval '2 hours' WHERE tenant_id = $1`, b.sc.TenantID); err != nil {
		t.Fatal(err)
	}
	if n, err := b.store.RequeueStaleAlertChecks(ctx, b.sc, time.Hour); err != nil || n != 1 {
		t.Fatalf("stale mark requeued: %d, %v; want 1", n, err)
	}
	var fresh bool
	if err := b.db.Owner.QueryRow(ctx, `SELECT marked_at > now() - interval '1 minute' FROM alert_checks WHERE tenant_id = $1`,
		b.sc.TenantID).Scan(&fresh); err != nil || !fresh {
		t.Fatalf("the level's mark was not renewed: %v, %v", fresh, err)
	}
}
