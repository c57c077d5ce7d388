package domain_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/testdb"
)

// stateSums are a level's figures, one per state, plus its version.
type stateSums struct {
	Available, Reserved, Damaged, QualityControl, Incoming, Version int64
}

// sumsOf returns a level's figures for comparison.
func sumsOf(l *domain.Level) stateSums {
	return stateSums{l.Available, l.Reserved, l.Damaged, l.QualityControl, l.Incoming, l.Version}
}

// replaySQL sums a level's ledger up to a moment, per state, through the
// owner pool: the movements taken from the level (from_state at
// location_id) and put into it (to_state at the receiving location), with
// created_at at or before the moment. The version is the number of
// operations that touched the level by then, since each bumps it by one.
const replaySQL = `
WITH entries AS (
	SELECT operation_id, from_state AS state, -quantity AS q FROM movements
	WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3 AND from_state IS NOT NULL AND created_at <= $4
	UNION ALL
	SELECT operation_id, to_state, quantity FROM movements
	WHERE tenant_id = $1 AND item_id = $2 AND coalesce(to_location_id, location_id) = $3 AND to_state IS NOT NULL AND created_at <= $4
)
SELECT coalesce(sum(q) FILTER (WHERE state = 'AVAILABLE'), 0)::bigint,
	coalesce(sum(q) FILTER (WHERE state = 'RESERVED'), 0)::bigint,
	coalesce(sum(q) FILTER (WHERE state = 'DAMAGED'), 0)::bigint,
	coalesce(sum(q) FILTER (WHERE state = 'QUALITY_CONTROL'), 0)::bigint,
	coalesce(sum(q) FILTER (WHERE state = 'IN_TRANSIT'), 0)::bigint,
	count(DISTINCT operation_id)
FROM entries`

// replay returns a level's figures as its ledger sums them up to at.
func (b *testBundle) replay(t *testing.T, itemID, locationID string, at time.Time) stateSums {
	t.Helper()
	return ownerCollect[stateSums](t, b, replaySQL, b.sc.TenantID, itemID, locationID, at)[0]
}

// dbNow reads the database's clock: a moment after every change committed so
// far and before any made later.
func (b *testBundle) dbNow(t *testing.T) time.Time {
	t.Helper()
	var now time.Time
	if err := b.db.Owner.QueryRow(context.Background(), "SELECT clock_timestamp()").Scan(&now); err != nil {
		t.Fatal(err)
	}
	return now
}

// levelAt reads a level as of a moment through the store.
func (b *testBundle) levelAt(t *testing.T, itemID, locationID string, at time.Time) *domain.Level {
	t.Helper()
	l, err := b.store.LevelAt(context.Background(), b.sc, itemID, locationID, &at)
	if err != nil {
		t.Fatalf("level as of %v: %v", at, err)
	}
	return l
}

// checkHistoryMatchesLevels asserts, through the owner pool, that every
// level's history is one row per change (versions 1 to the level's version,
// in time order) and that its latest row is the level as it stands: the same
// figures, version and time.
func (b *testBundle) checkHistoryMatchesLevels(t *testing.T) {
	t.Helper()
	type mismatch struct {
		ItemID, LocationID string
		Problem            string
	}
	bad := ownerCollect[mismatch](t, b, `
		WITH h AS (
			SELECT *, row_number() OVER w AS n, lag(at) OVER w AS prev_at FROM level_history
			WHERE tenant_id = $1 WINDOW w AS (PARTITION BY item_id, location_id ORDER BY version)
		)
		SELECT item_id::text, location_id::text, 'version ' || version || ' is row ' || n FROM h WHERE version <> n
		UNION ALL
		SELECT item_id::text, location_id::text, 'version ' || version || ' is older than the one before' FROM h WHERE at < prev_at
		UNION ALL
		SELECT l.item_id::text, l.location_id::text, 'latest history ' || coalesce(row(h.version, h.available, h.reserved, h.damaged,
				h.quality_control, h.in_transit, h.at)::text, 'missing') || ' but level ' || row(l.version, l.available, l.reserved,
				l.damaged, l.quality_control, l.in_transit, l.updated_at)::text
		FROM stock_levels l LEFT JOIN h ON h.item_id = l.item_id AND h.location_id = l.location_id AND h.version = l.version
		WHERE l.tenant_id = $1 AND (h.version IS NULL OR (h.available, h.reserved, h.damaged, h.quality_control, h.in_transit, h.at)
			<> (l.available, l.reserved, l.damaged, l.quality_control, l.in_transit, l.updated_at)
			OR EXISTS (SELECT 1 FROM h h2 WHERE h2.item_id = l.item_id AND h2.location_id = l.location_id AND h2.version > l.version))
		UNION ALL
		SELECT h.item_id::text, h.location_id::text, 'history without a level' FROM h
		WHERE NOT EXISTS (SELECT 1 FROM stock_levels l WHERE l.tenant_id = $1 AND l.item_id = h.item_id AND l.location_id = h.location_id)`,
		b.sc.TenantID)
	for _, m := range bad {
		t.Errorf("history of item %s at %s: %s", m.ItemID, m.LocationID, m.Problem)
	}
}

// historyScenario takes the bundle's item through every kind of change at
// A and B (receipts, shipments, reservations released and fulfilled,
// transfers at once and in transit, in both directions, received in part and
// cancelled, state changes, a write-off, an adjustment and a count) and
// returns the database's clock before the first and after each change.
func historyScenario(t *testing.T, b *testBundle) []time.Time {
	t.Helper()
	ctx := context.Background()
	item, a, bb := b.item.ID, b.locA.ID, b.locB.ID
	moments := []time.Time{b.dbNow(t)}
	step := func(what string) func(*domain.StockChange, error) *domain.StockChange {
		return func(c *domain.StockChange, err error) *domain.StockChange {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			moments = append(moments, b.dbNow(t))
			return c
		}
	}
	reason := func(s string) domain.Meta { return domain.Meta{Reason: &s} }

	step("receive 50 at A")(b.store.Receive(ctx, b.sc, item, a, 50, domain.Meta{}))
	step("ship 7 from A")(b.store.Ship(ctx, b.sc, item, a, 7, domain.Meta{}))
	r1 := step("reserve 10 at A")(b.store.Reserve(ctx, b.sc, domain.ReserveRequest{ItemID: item, LocationID: a, Quantity: 10}, domain.Meta{})).Reservations[0]
	step("fulfil 4")(b.store.Fulfill(ctx, b.sc, r1.ID, ptr(int64(4)), domain.Meta{}))
	step("release the rest")(b.store.Release(ctx, b.sc, r1.ID, nil, domain.Meta{}))
	step("reserve 5 at A")(b.store.Reserve(ctx, b.sc, domain.ReserveRequest{ItemID: item, LocationID: a, Quantity: 5}, domain.Meta{}))
	step("transfer 8 from A to B at once")(b.store.Transfer(ctx, b.sc, item, a, bb, 8, domain.Meta{}))
	t1 := step("send 6 from A to B")(b.store.ShipTransfer(ctx, b.sc, item, a, bb, 6, domain.Meta{})).Transfers[0]
	t2 := step("send 3 from B to A")(b.store.ShipTransfer(ctx, b.sc, item, bb, a, 3, domain.Meta{})).Transfers[0]
	step("receive 4 good and 1 damaged at B")(b.store.ReceiveTransfer(ctx, b.sc, t1.ID, ptr(int64(4)), 1, domain.Meta{}))
	step("cancel the transfer to A")(b.store.CancelTransfer(ctx, b.sc, t2.ID, domain.Meta{}))
	step("damage 2 at A")(b.store.ChangeState(ctx, b.sc, domain.StateChangeRequest{ItemID: item, LocationID: a, Quantity: 2,
		From: domain.Available, To: domain.Damaged}, domain.Meta{}))
	step("send 1 damaged to quality control")(b.store.ChangeState(ctx, b.sc, domain.StateChangeRequest{ItemID: item, LocationID: a, Quantity: 1,
		From: domain.Damaged, To: domain.QualityControl}, domain.Meta{}))
	step("clear it")(b.store.ChangeState(ctx, b.sc, domain.StateChangeRequest{ItemID: item, LocationID: a, Quantity: 1,
		From: domain.QualityControl, To: domain.Available}, domain.Meta{}))
	step("write off 1 damaged")(b.store.WriteOff(ctx, b.sc, item, a, 1, domain.Damaged, reason("broken")))
	step("adjust -2")(b.store.Adjust(ctx, b.sc, domain.Adjustment{ItemID: item, LocationID: a, Delta: -2}, reason("lost")))
	step("count 20 good")(b.store.Count(ctx, b.sc, item, a, 20, domain.Meta{}))
	step("receive 5 at B")(b.store.Receive(ctx, b.sc, item, bb, 5, domain.Meta{}))
	return moments
}

// TestLevelAsOfMatchesLedgerReplay takes two levels through every kind of
// change and then asks, for each level, for its state as of the moment
// before anything moved, between every two changes, and long before: each
// answer equals the ledger replayed up to that moment, state by state and in
// version. The final answers are also checked against figures worked out by
// hand, and the history against the levels.
func TestLevelAsOfMatchesLedgerReplay(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	moments := historyScenario(t, b)

	for _, loc := range []*domain.Location{b.locA, b.locB} {
		for i, at := range moments {
			got := sumsOf(b.levelAt(t, b.item.ID, loc.ID, at))
			if want := b.replay(t, b.item.ID, loc.ID, at); got != want {
				t.Errorf("%s as of moment %d (%v): %+v, ledger replay %+v", loc.Code, i, at, got, want)
			}
		}
		first := b.levelAt(t, b.item.ID, loc.ID, moments[0])
		if (sumsOf(first) != stateSums{}) {
			t.Errorf("%s before anything moved: %+v, want zeros", loc.Code, first)
		}
		long := b.levelAt(t, b.item.ID, loc.ID, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
		if (sumsOf(long) != stateSums{}) || long.ItemID != b.item.ID || long.LocationID != loc.ID {
			t.Errorf("%s as of 2000: %+v, want zeros for the level", loc.Code, long)
		}
	}

	// By hand: A took 50, shipped 7, fulfilled 4, sent 8 and 6 to B (the 3
	// sent back from B were cancelled and returned to B), damaged 2 of which
	// 1 went through quality control back to available and 1 was written
	// off, lost 2, then counted 20 good: 15 available and 5 reserved, after
	// 16 changes. B got 8 at once, sent 3 that came back, got 4 good and 1
	// damaged of the 6 (1 still incoming), and received 5: 17 available,
	// after 6 changes (receiving the transfer to B did not touch A).
	want := map[string]stateSums{
		"A": {Available: 15, Reserved: 5, Version: 16},
		"B": {Available: 17, Damaged: 1, Incoming: 1, Version: 6},
	}
	last := moments[len(moments)-1]
	for _, loc := range []*domain.Location{b.locA, b.locB} {
		now := sumsOf(b.level(t, loc))
		if now != want[loc.Code] {
			t.Errorf("%s now: %+v, want %+v", loc.Code, now, want[loc.Code])
		}
		if got := sumsOf(b.levelAt(t, b.item.ID, loc.ID, last)); got != now {
			t.Errorf("%s as of the last moment: %+v, now %+v", loc.Code, got, now)
		}
		future := time.Now().Add(time.Hour)
		if got, err := b.store.LevelAt(ctx, b.sc, b.item.ID, loc.ID, &future); err != nil || sumsOf(got) != now {
			t.Errorf("%s as of an hour ahead: %+v, %v; want it as it stands", loc.Code, got, err)
		}
	}
	b.checkHistoryMatchesLevels(t)
}

// TestLevelAsOfAMovementsOwnTimeIncludesIt asks for each level as of the
// exact createdAt of each movement that touched it (the time the API shows
// for the movement) and as of a microsecond before. The ledger replayed up
// to a movement's own time includes it; the as-of answer must too.
func TestLevelAsOfAMovementsOwnTimeIncludesIt(t *testing.T) {
	b := setup(t)
	historyScenario(t, b)
	type touch struct {
		ID         int64
		Kind       string
		LocationID string
		CreatedAt  time.Time
	}
	touches := ownerCollect[touch](t, b, `
		SELECT id, kind, location_id::text, created_at FROM movements WHERE tenant_id = $1
		UNION
		SELECT id, kind, to_location_id::text, created_at FROM movements WHERE tenant_id = $1 AND to_location_id IS NOT NULL
		ORDER BY 1, 3`, b.sc.TenantID)
	if len(touches) < 20 {
		t.Fatalf("only %d movement touches", len(touches))
	}
	var wrong []string
	for _, m := range touches {
		for _, at := range []time.Time{m.CreatedAt, m.CreatedAt.Add(-time.Microsecond)} {
			got := sumsOf(b.levelAt(t, b.item.ID, m.LocationID, at))
			if want := b.replay(t, b.item.ID, m.LocationID, at); got != want {
				wrong = append(wrong, fmt.Sprintf("movement %d (%s) at %s, as of %s: %+v, ledger replay %+v",
					m.ID, m.Kind, m.LocationID, at.Format(time.RFC3339Nano), got, want))
			}
		}
	}
	if len(wrong) > 0 {
		t.Errorf("%d of %d as-of answers at movement times disagree with the ledger, e.g.:\n%s", len(wrong), 2*len(touches),
			strings.Join(wrong[:min(len(wrong), 4)], "\n"))
	}
}

// TestLevelHistoryIsAppendOnly checks that neither the service role nor the
// owner can rewrite or remove a level's history, and that it is unchanged
// after the attempts.
func TestLevelHistoryIsAppendOnly(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 5)
	b.ship(t, b.locA, 2)
	type row struct {
		Version, Available int64
		At                 time.Time
	}
	const read = `SELECT version, available, at FROM level_history WHERE tenant_id = $1 ORDER BY version`
	before := ownerCollect[row](t, b, read, b.sc.TenantID)
	if len(before) != 2 {
		t.Fatalf("%d history rows, want 2", len(before))
	}
	for _, c := range []struct{ op, sql string }{
		{"UPDATE", "UPDATE level_history SET available = 500 WHERE tenant_id = $1"},
		{"DELETE", "DELETE FROM level_history WHERE tenant_id = $1"},
	} {
		t.Run(c.op+" as the service role", func(t *testing.T) {
			err := inTx(t, b.db.App, b.sc.TenantID, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, c.sql, b.sc.TenantID)
				return err
			})
			wantPgErr(t, c.op, err, "42501", "permission denied")
		})
		t.Run(c.op+" as the owner", func(t *testing.T) {
			err := inTx(t, b.db.Owner, b.sc.TenantID, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, c.sql, b.sc.TenantID)
				return err
			})
			wantPgErr(t, c.op, err, "42501", "append-only")
		})
	}
	t.Run("TRUNCATE as the service role", func(t *testing.T) {
		err := inTx(t, b.db.App, b.sc.TenantID, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, "TRUNCATE level_history")
			return err
		})
		wantPgErr(t, "TRUNCATE", err, "42501", "permission denied")
	})
	// The ledger refuses TRUNCATE even from its owner (movements_no_truncate);
	// the history that as-of answers come from must be kept as safely.
	t.Run("TRUNCATE as the owner", func(t *testing.T) {
		err := inTx(t, b.db.Owner, "", func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, "TRUNCATE level_history")
			return err
		})
		wantPgErr(t, "TRUNCATE", err, "42501", "append-only")
	})
	if after := ownerCollect[row](t, b, read, b.sc.TenantID); !slices.Equal(after, before) {
		t.Errorf("history after refused rewrites: %+v, before %+v", after, before)
	}
	b.checkHistoryMatchesLevels(t)
}

// TestAuditFindsNoDriftAfterConcurrentBurst has twenty goroutines mix every
// kind of stock operation on two items at three locations at once, then
// audits the ledger: every level is checked, none drifts, no alert is
// raised, and every level's history ends at the level as it stands.
func TestAuditFindsNoDriftAfterConcurrentBurst(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	items := []string{b.item.ID, b.newItem(t, "SKU-2").ID}
	locs := []string{b.locA.ID, b.locB.ID, b.newLocation(t, "C").ID}
	for _, it := range items {
		for _, l := range locs {
			if _, err := b.store.Receive(ctx, b.sc, it, l, 60, domain.Meta{}); err != nil {
				t.Fatal(err)
			}
		}
	}

	const workers, opsEach = 20, 12
	var (
		mu       sync.Mutex
		failures []string
		done     int
	)
	runAtOnce(workers, func(w int) {
		rng := rand.New(rand.NewPCG(uint64(w), 7))
		var reservations []string
		var transfers []string
		for range opsEach {
			it := items[rng.IntN(len(items))]
			from := locs[rng.IntN(len(locs))]
			to := locs[(slices.Index(locs, from)+1+rng.IntN(len(locs)-1))%len(locs)]
			q := int64(1 + rng.IntN(4))
			var c *domain.StockChange
			var err error
			switch op := rng.IntN(10); {
			case op == 0:
				c, err = b.store.Receive(ctx, b.sc, it, from, q, domain.Meta{})
			case op == 1:
				c, err = b.store.Ship(ctx, b.sc, it, from, q, domain.Meta{})
			case op == 2:
				if c, err = b.store.Reserve(ctx, b.sc, domain.ReserveRequest{ItemID: it, LocationID: from, Quantity: q}, domain.Meta{}); err == nil {
					reservations = append(reservations, c.Reservations[0].ID)
				}
			case op == 3 && len(reservations) > 0:
				id := reservations[len(reservations)-1]
				reservations = reservations[:len(reservations)-1]
				if rng.IntN(2) == 0 {
					c, err = b.store.Fulfill(ctx, b.sc, id, nil, domain.Meta{})
				} else {
					c, err = b.store.Release(ctx, b.sc, id, nil, domain.Meta{})
				}
			case op == 4:
				c, err = b.store.Transfer(ctx, b.sc, it, from, to, q, domain.Meta{})
			case op == 5:
				if c, err = b.store.ShipTransfer(ctx, b.sc, it, from, to, q, domain.Meta{}); err == nil {
					transfers = append(transfers, c.Transfers[0].ID)
				}
			case op == 6 && len(transfers) > 0:
				id := transfers[0]
				transfers = transfers[1:]
				if rng.IntN(3) == 0 {
					c, err = b.store.CancelTransfer(ctx, b.sc, id, domain.Meta{})
				} else {
					c, err = b.store.ReceiveTransfer(ctx, b.sc, id, nil, int64(rng.IntN(2)), domain.Meta{})
				}
			case op == 7:
				c, err = b.store.ChangeState(ctx, b.sc, domain.StateChangeRequest{ItemID: it, LocationID: from, Quantity: q,
					From: domain.Available, To: []domain.State{domain.Damaged, domain.QualityControl}[rng.IntN(2)]}, domain.Meta{})
			case op == 8:
				reason, delta := "recount", q
				if rng.IntN(2) == 0 {
					delta = -q
				}
				c, err = b.store.Adjust(ctx, b.sc, domain.Adjustment{ItemID: it, LocationID: from, Delta: delta}, domain.Meta{Reason: &reason})
			default:
				c, err = b.store.Count(ctx, b.sc, it, from, int64(20+rng.IntN(40)), domain.Meta{})
			}
			mu.Lock()
			switch {
			case err == nil:
				if c != nil {
					done++
				}
			case errors.Is(err, domain.ErrInsufficientStock):
			default:
				failures = append(failures, err.Error())
			}
			mu.Unlock()
		}
	})
	if len(failures) > 0 {
		t.Fatalf("%d operations failed unexpectedly, e.g. %s", len(failures), failures[0])
	}
	if done < workers*opsEach/2 {
		t.Fatalf("only %d of %d operations succeeded", done, workers*opsEach)
	}

	res, err := b.store.AuditLedger(ctx, b.sc)
	if err != nil {
		t.Fatal(err)
	}
	var levels int
	if err := b.db.Owner.QueryRow(ctx, `SELECT count(*) FROM stock_levels WHERE tenant_id = $1`, b.sc.TenantID).Scan(&levels); err != nil {
		t.Fatal(err)
	}
	if res.TenantID != b.sc.TenantID || res.ItemsChecked != 2 || res.LevelsChecked != 6 || levels != 6 ||
		len(res.Drifts) != 0 || res.AlertsRaised != 0 || res.FinishedAt.Before(res.StartedAt) {
		t.Errorf("audit after %d concurrent operations: %+v (the tenant has %d levels); want 2 items, 6 levels, no drift",
			done, res, levels)
	}
	if got := b.allAlerts(t, domain.AlertFilter{Kind: ptr(domain.AlertLedgerDrift)}); len(got) != 0 {
		t.Errorf("%d LEDGER_DRIFT alerts after a clean audit", len(got))
	}
	b.checkHistoryMatchesLevels(t)
	now := b.dbNow(t)
	for _, it := range items {
		for _, l := range locs {
			got := sumsOf(b.levelAt(t, it, l, now))
			if want := b.replay(t, it, l, now); got != want {
				t.Errorf("item %s at %s as of now: %+v, ledger replay %+v", it, l, got, want)
			}
		}
	}
}

// driftFigures are the figures a LEDGER_DRIFT alert's details carry.
type driftFigures struct {
	Ledger     map[string]int64 `json:"ledger"`
	Projection map[string]int64 `json:"projection"`
}

// TestAuditFindsDeliberateDrift writes to the projection behind the
// service's back, through the owner pool, in a tenant made by hand for the
// purpose: one level gets more available and damaged units than its ledger
// has, and a level that never moved gets a row. The audit reports exactly
// these two drifts with the ledger's and the projection's figures, raises one
// LEDGER_DRIFT alert for each with the figures in its details, and repairs
// nothing. A second audit finds the same drifts and raises no second alert.
// The projection is restored at the end.
func TestAuditFindsDeliberateDrift(t *testing.T) {
	ctx := context.Background()
	db := testdb.Get(t)
	store := domain.NewStore(db.App, domain.WithSystemPool(db.System))
	tenant, err := store.CreateTenant(ctx, fmt.Sprintf("drift tenant %d", seq.Add(1)))
	if err != nil {
		t.Fatal(err)
	}
	// No setup(): its cleanup would (rightly) fail on the drift made here.
	b := &testBundle{db: db, store: store, sc: domain.Scope{TenantID: tenant.ID, Actor: "tester"}, tenant: tenant}
	if b.item, err = store.CreateItem(ctx, b.sc, domain.NewItem{SKU: "SKU-1", Name: "Widget"}); err != nil {
		t.Fatal(err)
	}
	other, err := store.CreateItem(ctx, b.sc, domain.NewItem{SKU: "SKU-2", Name: "Gadget"})
	if err != nil {
		t.Fatal(err)
	}
	if b.locA, err = store.CreateLocation(ctx, b.sc, domain.NewLocation{Code: "A", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	if b.locB, err = store.CreateLocation(ctx, b.sc, domain.NewLocation{Code: "B", Name: "B"}); err != nil {
		t.Fatal(err)
	}
	b.receive(t, b.locA, 10)
	if _, err := store.Reserve(ctx, b.sc, domain.ReserveRequest{ItemID: b.item.ID, LocationID: b.locA.ID, Quantity: 2}, domain.Meta{}); err != nil {
		t.Fatal(err)
	}
	b.receive(t, b.locB, 5)
	if _, err := store.Receive(ctx, b.sc, other.ID, b.locA.ID, 7, domain.Meta{}); err != nil {
		t.Fatal(err)
	}
	clean, err := store.AuditLedger(ctx, b.sc)
	if err != nil || len(clean.Drifts) != 0 || clean.LevelsChecked != 3 || clean.ItemsChecked != 2 {
		t.Fatalf("audit before tampering: %+v, %v; want 2 items, 3 levels, no drift", clean, err)
	}

	tamper := func(sql string, args ...any) {
		t.Helper()
		err := pgx.BeginFunc(ctx, db.Owner, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", tenant.ID); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, sql, args...)
			return err
		})
		if err != nil {
			t.Fatalf("tamper: %v", err)
		}
	}
	const shift = `UPDATE stock_levels SET available = available + $4, damaged = damaged + $5
		WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3`
	tamper(shift, tenant.ID, b.item.ID, b.locA.ID, 3, 1)
	tamper(`INSERT INTO stock_levels (tenant_id, item_id, location_id, available, version, updated_at)
		VALUES ($1, $2, $3, 4, 1, clock_timestamp())`, tenant.ID, other.ID, b.locB.ID)
	t.Cleanup(func() {
		tamper(shift, tenant.ID, b.item.ID, b.locA.ID, -3, -1)
		tamper(`DELETE FROM stock_levels WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3`, tenant.ID, other.ID, b.locB.ID)
		b.checkInvariants(t)
	})

	wantDrifts := []string{
		fmt.Sprintf("%s@%s ledger {8 2 0 0 0} projection {11 2 1 0 0}", b.item.ID, b.locA.ID),
		fmt.Sprintf("%s@%s ledger {0 0 0 0 0} projection {4 0 0 0 0}", other.ID, b.locB.ID),
	}
	slices.Sort(wantDrifts)
	describe := func(ds []domain.Drift) []string {
		out := []string{}
		for _, d := range ds {
			f := func(l domain.Level) string {
				return fmt.Sprintf("{%d %d %d %d %d}", l.Available, l.Reserved, l.Damaged, l.QualityControl, l.Incoming)
			}
			if d.Ledger.ItemID != d.Projection.ItemID || d.Ledger.LocationID != d.Projection.LocationID {
				t.Errorf("drift names two levels: %+v", d)
			}
			out = append(out, fmt.Sprintf("%s@%s ledger %s projection %s", d.Ledger.ItemID, d.Ledger.LocationID, f(d.Ledger), f(d.Projection)))
		}
		slices.Sort(out)
		return out
	}

	first, err := store.AuditLedger(ctx, b.sc)
	if err != nil {
		t.Fatal(err)
	}
	if got := describe(first.Drifts); !slices.Equal(got, wantDrifts) {
		t.Errorf("drifts found:\n%q\nwant\n%q", got, wantDrifts)
	}
	if first.AlertsRaised != 2 || first.ItemsChecked != 2 || first.LevelsChecked != 4 {
		t.Errorf("first audit: %d alerts raised, %d items, %d levels checked; want 2, 2, 4",
			first.AlertsRaised, first.ItemsChecked, first.LevelsChecked)
	}
	checked, err := store.CheckLedger(ctx, b.sc)
	if err != nil || !slices.Equal(describe(checked), wantDrifts) {
		t.Errorf("CheckLedger: %q, %v; want %q", describe(checked), err, wantDrifts)
	}

	alerts := b.allAlerts(t, domain.AlertFilter{Kind: ptr(domain.AlertLedgerDrift)})
	wantDetails := map[string]driftFigures{
		b.item.ID + "@" + b.locA.ID: {
			Ledger:     map[string]int64{"available": 8, "reserved": 2, "damaged": 0, "qualityControl": 0, "inTransit": 0},
			Projection: map[string]int64{"available": 11, "reserved": 2, "damaged": 1, "qualityControl": 0, "inTransit": 0},
		},
		other.ID + "@" + b.locB.ID: {
			Ledger:     map[string]int64{"available": 0, "reserved": 0, "damaged": 0, "qualityControl": 0, "inTransit": 0},
			Projection: map[string]int64{"available": 4, "reserved": 0, "damaged": 0, "qualityControl": 0, "inTransit": 0},
		},
	}
	wantAvailable := map[string]int64{b.item.ID + "@" + b.locA.ID: 11, other.ID + "@" + b.locB.ID: 4}
	if len(alerts) != 2 {
		t.Fatalf("%d LEDGER_DRIFT alerts, want 2", len(alerts))
	}
	for _, a := range alerts {
		key := a.ItemID + "@" + a.LocationID
		var got driftFigures
		if err := json.Unmarshal(a.Details, &got); err != nil {
			t.Fatalf("alert details %s: %v", a.Details, err)
		}
		if want, ok := wantDetails[key]; !ok || jsonOf(t, got) != jsonOf(t, want) {
			t.Errorf("alert for %s has details %s, want %s", key, a.Details, jsonOf(t, want))
		}
		if a.Status != domain.AlertOpen || a.Available == nil || *a.Available != wantAvailable[key] || a.Threshold != nil {
			t.Errorf("alert for %s: %s", key, alertLine(a))
		}
	}

	second, err := store.AuditLedger(ctx, b.sc)
	if err != nil {
		t.Fatal(err)
	}
	if got := describe(second.Drifts); !slices.Equal(got, wantDrifts) || second.AlertsRaised != 0 {
		t.Errorf("second audit: drifts %q, %d alerts raised; want the same drifts and no alert", got, second.AlertsRaised)
	}
	if got := len(b.allAlerts(t, domain.AlertFilter{})); got != 2 {
		t.Errorf("%d alerts after the second audit, want 2", got)
	}
	var raised int
	for _, e := range b.alertEvents(t) {
		if strings.HasPrefix(e, "alert.raised ") && strings.Contains(e, " LEDGER_DRIFT ") {
			raised++
		}
	}
	if raised != 2 {
		t.Errorf("%d alert.raised LEDGER_DRIFT events, want 2", raised)
	}

	// Nothing was repaired: the projection still says what was written.
	if l := b.level(t, b.locA); l.Available != 11 || l.Reserved != 2 || l.Damaged != 1 {
		t.Errorf("A after two audits: %+v, want the tampered 11 available, 2 reserved, 1 damaged", l)
	}
	if l, err := store.Level(ctx, b.sc, other.ID, b.locB.ID); err != nil || l.Available != 4 {
		t.Errorf("the planted level after two audits: %+v, %v; want 4 available", l, err)
	}
}
