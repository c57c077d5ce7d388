package domain_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/inventory-backbone/inventory/domain"
)

// groupRecorder is an Observer that remembers the size of every group
// commit.
type groupRecorder struct {
	mu     sync.Mutex
	groups []int // movements per commit
}

func (r *groupRecorder) StockChanged(*domain.StockChange) {}

func (r *groupRecorder) GroupCommitted(_, movements int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.groups = append(r.groups, movements)
}

func (r *groupRecorder) largest() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Max(append(r.groups, 0))
}

// onlyAvailable reads the level an INSUFFICIENT_STOCK ship saw at its turn
// from its message.
var onlyAvailable = regexp.MustCompile(`^only (\d+) available, (\d+) requested$`)

// TestGroupCommitRaceAgainstTheLedger races 200 clients shipping 1 to 3
// units of one item, each with its own idempotency key, and 20 more that
// repeat a key of the first 20 with the same input, through group commit. It
// checks every answer against the ledger: the units sold are exactly the
// units the successes shipped, never more than there were; each success's
// level is the state its own movement left in the level's history, one
// version per success; every INSUFFICIENT_STOCK saw a state the level really
// had, which was short of what it asked; the outbox has one event per
// success, in the order of the versions; a repeated key got the first call's
// answer. Groups of more than one operation must have formed.
func TestGroupCommitRaceAgainstTheLedger(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	rec := &groupRecorder{}
	store := domain.NewStore(b.db.App, domain.WithObserver(rec))
	const stock, clients, repeats = 250, 200, 20
	b.receive(t, b.locA, stock)

	type answer struct {
		key    string
		qty    int64
		change *domain.StockChange
		err    error
	}
	answers := make([]answer, clients+repeats)
	for i := range clients {
		answers[i] = answer{key: "race-" + strconv.Itoa(i), qty: 1 + rand.Int64N(3)}
	}
	for i := range repeats {
		answers[clients+i] = answers[i]
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			a := &answers[i]
			a.change, a.err = store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, a.qty, domain.Meta{IdempotencyKey: &a.key})
		}()
	}
	close(start)
	wg.Wait()

	// The level's history: version → available, from the receipt on.
	history := map[int64]int64{}
	rows, _ := b.db.Owner.Query(ctx, `SELECT version, available FROM level_history
		WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3`, b.sc.TenantID, b.item.ID, b.locA.ID)
	var v, avail int64
	if _, err := pgx.ForEachRow(rows, []any{&v, &avail}, func() error { history[v] = avail; return nil }); err != nil {
		t.Fatal(err)
	}
	states := map[int64]bool{}
	for _, a := range history {
		states[a] = true
	}

	ops := map[string]answer{} // successful operations by id
	var insufficient int
	for i, a := range answers {
		switch {
		case a.err == nil:
			if len(a.change.Movements) != 1 || a.change.Movements[0].Quantity != a.qty || len(a.change.Levels) != 1 {
				t.Fatalf("client %d: change %+v", i, a.change)
			}
			l := a.change.Levels[0]
			before, ok := history[l.Version-1]
			if got, ok2 := history[l.Version]; !ok || !ok2 || got != l.Available || before-a.qty != l.Available {
				t.Errorf("client %d shipped %d and answered available %d at version %d; history has %d then %d",
					i, a.qty, l.Available, l.Version, before, got)
			}
			if prev, seen := ops[a.change.OperationID]; seen && prev.key != a.key {
				t.Errorf("operation %s answered two keys", a.change.OperationID)
			}
			ops[a.change.OperationID] = a
		case errors.Is(a.err, domain.ErrInsufficientStock):
			insufficient++
			e, _ := domain.AsError(a.err)
			m := onlyAvailable.FindStringSubmatch(e.Message)
			if m == nil {
				t.Fatalf("client %d: message %q", i, e.Message)
			}
			saw, _ := strconv.ParseInt(m[1], 10, 64)
			if saw >= a.qty || !states[saw] {
				t.Errorf("client %d asked %d and was refused seeing %d available, which the level never had or which was enough",
					i, a.qty, saw)
			}
		default:
			t.Errorf("client %d: %v", i, a.err)
		}
	}
	for i := range repeats {
		first, again := answers[i], answers[clients+i]
		if first.err == nil && again.err == nil && first.change.OperationID != again.change.OperationID {
			t.Errorf("key %s: two operations %s and %s", first.key, first.change.OperationID, again.change.OperationID)
		}
		if first.err == nil && again.err == nil && first.change.Replayed == again.change.Replayed {
			t.Errorf("key %s: both answers replayed=%v", first.key, first.change.Replayed)
		}
	}

	var sold int64
	for _, a := range ops {
		sold += a.qty
	}
	var shipments, units, events int64
	err := b.db.Owner.QueryRow(ctx, `SELECT
			(SELECT count(*) FROM movements WHERE tenant_id = $1 AND kind = 'SHIPMENT'),
			(SELECT coalesce(sum(quantity), 0) FROM movements WHERE tenant_id = $1 AND kind = 'SHIPMENT'),
			(SELECT count(*) FROM events WHERE tenant_id = $1 AND payload->>'operation' = 'shipStock')`,
		b.sc.TenantID).Scan(&shipments, &units, &events)
	if err != nil {
		t.Fatal(err)
	}
	final := b.level(t, b.locA)
	if shipments != int64(len(ops)) || units != sold || events != int64(len(ops)) || final.Available != stock-sold ||
		final.Version != int64(len(ops))+1 || len(history) != len(ops)+1 {
		t.Errorf("%d successes selling %d: ledger has %d shipments of %d units, %d events, level %+v, %d history rows",
			len(ops), sold, shipments, units, events, final, len(history))
	}
	// The stock ran out: a client asking for more than was left was refused.
	if final.Available >= 3 || insufficient == 0 {
		t.Errorf("left %d available with %d refusals: the race did not exhaust the stock", final.Available, insufficient)
	}

	// The outbox holds the events in commit order: by version.
	rows, _ = b.db.Owner.Query(ctx, `SELECT (payload->'levels'->0->>'version')::bigint FROM events
		WHERE tenant_id = $1 AND payload->>'operation' = 'shipStock' ORDER BY events.xid, events.id`, b.sc.TenantID)
	versions, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSorted(versions) {
		t.Errorf("events out of version order: %v", versions)
	}
	if rec.largest() < 2 {
		t.Errorf("no group held more than one operation: %v", rec.groups)
	}
	t.Logf("%d sold in %d operations, %d refused; largest group %d movements", sold, len(ops), insufficient, rec.largest())
}

// TestGroupFailsWholeOnDatabaseError queues ten ships into one group, one of
// which the database refuses (a trigger raises for its reason). The whole
// group fails: every caller gets an error that is not a business Error,
// nothing is written, and each caller can retry with its key and succeed.
func TestGroupFailsWholeOnDatabaseError(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 100)
	_, err := b.db.Owner.Exec(ctx, `
		CREATE FUNCTION group_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
		CREATE TRIGGER group_test_refuse BEFORE INSERT ON movements
		FOR EACH ROW WHEN (NEW.reason = 'group-test-refuse') EXECUTE FUNCTION group_test_refuse();`)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = b.db.Owner.Exec(ctx, `DROP TRIGGER group_test_refuse ON movements; DROP FUNCTION group_test_refuse()`)
	})
	before := b.counts(t)

	const n = 10
	store := domain.NewStore(b.db.App)
	release := store.HoldGroups()
	errs := make([]error, n)
	keys := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		keys[i] = fmt.Sprintf("fail-%d", i)
		meta := domain.Meta{IdempotencyKey: &keys[i]}
		if i == n/2 {
			meta.Reason = ptr("group-test-refuse")
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, 1, meta)
		}()
	}
	release(n)
	wg.Wait()
	for i, err := range errs {
		if err == nil || domain.CodeOf(err) != "" {
			t.Errorf("ship %d: got %v, want the group's database error", i, err)
		}
	}
	b.assertUnchanged(t, "a failed group", before)

	for i := range n {
		if i == n/2 {
			continue
		}
		if _, err := store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, 1, domain.Meta{IdempotencyKey: &keys[i]}); err != nil {
			t.Errorf("retry %d: %v", i, err)
		}
	}
	if l := b.level(t, b.locA); l.Available != 100-(n-1) {
		t.Errorf("after the retries: %+v", l)
	}
}

// TestGroupAnswersEachCommandOnItsOwn queues, into one group, commands that
// succeed and commands that fail for reasons of their own, on one level and
// across levels and tenants: each gets its own answer, the failures write
// nothing, and each tenant sees only its own rows.
func TestGroupAnswersEachCommandOnItsOwn(t *testing.T) {
	b := setup(t)
	other := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 5)
	other.receive(t, other.locA, 7)
	used := "used-key"
	if _, err := b.store.Receive(ctx, b.sc, b.item.ID, b.locB.ID, 1, domain.Meta{IdempotencyKey: &used}); err != nil {
		t.Fatal(err)
	}
	store := domain.NewStore(b.db.App)
	release := store.HoldGroups()

	type call struct {
		name string
		run  func() (*domain.StockChange, error)
		code domain.Code // "" for success
	}
	key := func(k string) domain.Meta { return domain.Meta{IdempotencyKey: &k} }
	calls := []call{
		{"ship 3", func() (*domain.StockChange, error) {
			return store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, 3, key("ship-3"))
		}, ""},
		{"ship 3 more", func() (*domain.StockChange, error) {
			return store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, 3, key("ship-3-more"))
		}, domain.CodeInsufficientStock},
		{"adjust at a stale count", func() (*domain.StockChange, error) {
			return store.Adjust(ctx, b.sc, domain.Adjustment{ItemID: b.item.ID, LocationID: b.locA.ID, Delta: -1,
				CompareQuantity: ptr(int64(5))}, domain.Meta{Reason: ptr("stale")})
		}, domain.CodeVersionConflict},
		{"adjust at the count the ship left", func() (*domain.StockChange, error) {
			return store.Adjust(ctx, b.sc, domain.Adjustment{ItemID: b.item.ID, LocationID: b.locA.ID, Delta: -1,
				CompareQuantity: ptr(int64(2))}, domain.Meta{Reason: ptr("fresh")})
		}, ""},
		{"reuse a key with another input", func() (*domain.StockChange, error) {
			return store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, 1, key(used))
		}, domain.CodeIdempotencyConflict},
		{"ship an unknown item", func() (*domain.StockChange, error) {
			return store.Ship(ctx, b.sc, b.locA.ID, b.locA.ID, 1, key("unknown"))
		}, domain.CodeNotFound},
		{"transfer to B", func() (*domain.StockChange, error) {
			return store.Transfer(ctx, b.sc, b.item.ID, b.locA.ID, b.locB.ID, 1, domain.Meta{})
		}, ""},
		{"other tenant ships 7", func() (*domain.StockChange, error) {
			return store.Ship(ctx, other.sc, other.item.ID, other.locA.ID, 7, key("ship-3"))
		}, ""},
		{"other tenant cannot see the first tenant's item", func() (*domain.StockChange, error) {
			return store.Ship(ctx, other.sc, b.item.ID, b.locA.ID, 1, domain.Meta{})
		}, domain.CodeNotFound},
		{"ship the last one", func() (*domain.StockChange, error) {
			return store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, 1, domain.Meta{})
		}, domain.CodeInsufficientStock},
	}
	results := make([]*domain.StockChange, len(calls))
	errs := make([]error, len(calls))
	var wg sync.WaitGroup
	for i, c := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = c.run()
		}()
		// Queue them in this order: the group plans in arrival order.
		for store.Queued() < i+1 {
			time.Sleep(time.Millisecond)
		}
	}
	release(len(calls))
	wg.Wait()
	for i, c := range calls {
		if c.code == "" {
			if errs[i] != nil {
				t.Errorf("%s: %v", c.name, errs[i])
			}
			continue
		}
		if domain.CodeOf(errs[i]) != c.code {
			t.Errorf("%s: got %v, want %s", c.name, errs[i], c.code)
		}
	}
	if t.Failed() {
		return
	}
	if l := b.level(t, b.locA); l.Available != 0 || l.Version != 4 {
		t.Errorf("level A: %+v, want 0 available at version 4 (receipt, ship, adjust, transfer out)", l)
	}
	if l := b.level(t, b.locB); l.Available != 2 {
		t.Errorf("level B: %+v, want 2", l)
	}
	if l := other.level(t, other.locA); l.Available != 0 || l.Version != 2 {
		t.Errorf("other tenant's level: %+v", l)
	}
	// Each tenant's events, bound to the tenant as the service reads them.
	for _, tb := range []*testBundle{b, other} {
		var mine, foreign int
		err := inTx(t, b.db.App, tb.sc.TenantID, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE tenant_id = $1), count(*) FILTER (WHERE tenant_id <> $1)
				FROM events`, tb.sc.TenantID).Scan(&mine, &foreign)
		})
		if err != nil {
			t.Fatal(err)
		}
		if foreign != 0 || mine == 0 {
			t.Errorf("tenant %s sees %d events of its own and %d of another tenant", tb.sc.TenantID, mine, foreign)
		}
	}
	if results[0].Levels[0].Available != 2 || results[3].Levels[0].Available != 1 || results[6].Levels[0].Available != 0 {
		t.Errorf("levels answered: %+v, %+v, %+v", results[0].Levels, results[3].Levels, results[6].Levels)
	}
}
