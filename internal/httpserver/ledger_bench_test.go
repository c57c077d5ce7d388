package httpserver_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/testdb"
)

// The shape of the ledger BenchmarkLedgerAtScale loads: lbItems × lbLocations
// levels, each with lbPerLevel movements (alternately a receipt and a smaller
// shipment), spread over the lbDays days before the load.
const (
	lbItems     = 100
	lbLocations = 100
	lbPerLevel  = 100
	lbDays      = 30
	lbQueries   = 2000
)

// lbLedger is a tenant with a large ledger, loaded once per test binary.
type lbLedger struct {
	db               *testdb.DB
	store            *domain.Store
	sc               domain.Scope
	items, locations []string
	start, end       time.Time // the first and last movement
	movements        int64
	load             time.Duration
}

// lbOnce loads the ledger once per test binary; lbLoaded and lbErr are the
// outcome.
var (
	lbOnce   sync.Once
	lbLoaded *lbLedger
	lbErr    error
)

// lbStep is one statement of the load and the arguments it takes, by name:
// the tenant, the numbers of items, locations and movements per level, the
// first movement's time and the span of the ledger.
type lbStep struct {
	sql  string
	args []string
}

// lbLoadSQL builds the ledger of a tenant in one transaction, all on the
// server: the catalogue, every level's movements with their running balances,
// one history row per movement (its version, its balance, at its time), and
// the final levels. Each level alternates a receipt of 10 to 19 units and a
// shipment of 1 to 9, so no level ever goes negative. Level n's movement j
// happens at first + (j-1) × span/perLevel + n × 2 ms, so every level's
// movements are in time order and the ledger fills the whole span.
var lbLoadSQL = []lbStep{
	{`INSERT INTO items (tenant_id, id, sku, name, created_at)
		SELECT $1, gen_random_uuid(), format('BENCH-%s', lpad(i::text, 5, '0')), format('Bench item %s', i), $3::timestamptz - interval '1 day'
		FROM generate_series(1, $2) i`, []string{"tenant", "items", "first"}},
	{`INSERT INTO locations (tenant_id, id, code, name, created_at)
		SELECT $1, gen_random_uuid(), format('L%s', lpad(i::text, 4, '0')), format('Location %s', i), $3::timestamptz - interval '1 day'
		FROM generate_series(1, $2) i`, []string{"tenant", "locations", "first"}},
	{`CREATE TEMP TABLE lb_moves (item_id uuid, location_id uuid, version bigint, receipt bool, quantity bigint,
		at timestamptz, balance bigint) ON COMMIT DROP`, nil},
	{`INSERT INTO lb_moves
		WITH levels AS (
			SELECT row_number() OVER (ORDER BY i.sku, l.code) AS n, i.id AS item_id, l.id AS location_id
			FROM items i CROSS JOIN locations l WHERE i.tenant_id = $1 AND l.tenant_id = $1
		), moves AS (
			SELECT item_id, location_id, j AS version, j % 2 = 1 AS receipt,
				CASE WHEN j % 2 = 1 THEN 10 + (n * 7919 + j * 104729) % 10 ELSE 1 + (n * 104729 + j * 7919) % 9 END AS quantity,
				$3::timestamptz + (j - 1) * ($4::interval / $2::int) + n * interval '2 milliseconds' AS at
			FROM levels, generate_series(1, $2::int) j
		)
		SELECT *, sum(CASE WHEN receipt THEN quantity ELSE -quantity END)
			OVER (PARTITION BY item_id, location_id ORDER BY version)
		FROM moves`, []string{"tenant", "perLevel", "first", "span"}},
	{`INSERT INTO movements (tenant_id, operation_id, kind, item_id, location_id, quantity, from_state, to_state,
			reference, actor, created_at)
		SELECT $1, gen_random_uuid(), CASE WHEN receipt THEN 'RECEIPT' ELSE 'SHIPMENT' END, item_id, location_id, quantity,
			CASE WHEN NOT receipt THEN 'AVAILABLE' END, CASE WHEN receipt THEN 'AVAILABLE' END,
			format('DOC-%s', version), 'bench', at
		FROM lb_moves ORDER BY at`, []string{"tenant"}},
	{`INSERT INTO level_history (tenant_id, item_id, location_id, version, available, reserved, damaged, quality_control, in_transit, at)
		SELECT $1, item_id, location_id, version, balance, 0, 0, 0, 0, at FROM lb_moves`, []string{"tenant"}},
	{`INSERT INTO stock_levels (tenant_id, item_id, location_id, available, version, updated_at)
		SELECT $1, item_id, location_id, balance, version, at FROM lb_moves WHERE version = $2`, []string{"tenant", "perLevel"}},
}

// lbLoad creates a tenant and loads its ledger, then vacuums and analyzes
// the tables as autovacuum would in steady state, and checks that the ledger
// and the projection agree.
func lbLoad(tb testing.TB) (*lbLedger, error) {
	ctx := context.Background()
	db := testdb.Get(tb)
	store := domain.NewStore(db.App, domain.WithSystemPool(db.System))
	tenant, err := store.CreateTenant(ctx, "ledger at scale")
	if err != nil {
		return nil, err
	}
	l := &lbLedger{db: db, store: store, sc: domain.Scope{TenantID: tenant.ID, Actor: "bench"}}
	started := time.Now()
	l.end = time.Now().UTC().Truncate(time.Millisecond).Add(-time.Hour)
	span := time.Duration(lbDays) * 24 * time.Hour
	first := l.end.Add(-span)
	err = pgx.BeginFunc(ctx, db.Owner, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true), set_config('synchronous_commit', 'off', true)", tenant.ID); err != nil {
			return err
		}
		named := map[string]any{"tenant": tenant.ID, "items": lbItems, "locations": lbLocations, "perLevel": lbPerLevel,
			"first": first, "span": span}
		for _, step := range lbLoadSQL {
			args := make([]any, len(step.args))
			for i, name := range step.args {
				args[i] = named[name]
			}
			if _, err := tx.Exec(ctx, step.sql, args...); err != nil {
				return fmt.Errorf("%.60s…: %w", step.sql, err)
			}
		}
		return tx.QueryRow(ctx, `SELECT count(*), min(created_at), max(created_at) FROM movements WHERE tenant_id = $1`,
			tenant.ID).Scan(&l.movements, &l.start, &l.end)
	})
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	for _, table := range []string{"items", "locations", "movements", "level_history", "stock_levels"} {
		if _, err := db.Owner.Exec(ctx, "VACUUM ANALYZE "+table); err != nil {
			return nil, err
		}
	}
	l.load = time.Since(started)
	err = pgx.BeginFunc(ctx, db.Owner, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", tenant.ID); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `SELECT id::text FROM items WHERE tenant_id = $1 ORDER BY sku`, tenant.ID)
		if l.items, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return err
		}
		rows, _ = tx.Query(ctx, `SELECT id::text FROM locations WHERE tenant_id = $1 ORDER BY code`, tenant.ID)
		l.locations, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		return nil, err
	}
	drifts, err := store.CheckLedger(ctx, l.sc)
	if err != nil {
		return nil, err
	}
	if len(drifts) != 0 {
		return nil, fmt.Errorf("the loaded ledger drifts at %d levels, e.g. %+v", len(drifts), drifts[0])
	}
	return l, nil
}

// lbReplaySQL sums one level's ledger up to a moment, for spot checks.
const lbReplaySQL = `SELECT coalesce(sum(CASE WHEN to_state = 'AVAILABLE' THEN quantity ELSE -quantity END), 0)::bigint, count(*)
	FROM movements WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3 AND created_at <= $4`

// lbPeak measures the peak of the Go heap in use while fn runs, above what
// was in use before it, and the bytes fn allocated in all.
func lbPeak(fn func() error) (peak, allocated uint64, took time.Duration, err error) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, allocBase := ms.HeapInuse, ms.TotalAlloc
	var top atomic.Uint64
	top.Store(base)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				runtime.ReadMemStats(&m)
				if m.HeapInuse > top.Load() {
					top.Store(m.HeapInuse)
				}
			}
		}
	})
	start := time.Now()
	err = fn()
	took = time.Since(start)
	close(stop)
	wg.Wait()
	runtime.ReadMemStats(&ms)
	if ms.HeapInuse > top.Load() {
		top.Store(ms.HeapInuse)
	}
	return top.Load() - base, ms.TotalAlloc - allocBase, took, err
}

// BenchmarkLedgerAtScale loads a ledger of lbItems × lbLocations = 10,000
// levels with lbPerLevel movements each (1,000,000 movements, with their
// history and levels, over 30 days) into one tenant with server-side SQL,
// checks that the projection agrees with the ledger and spot-checks as-of
// answers against a replay, then measures, through the domain: an as-of
// stock level query at random levels and random past moments (median and
// p99 over lbQueries queries), building a STOCK_SNAPSHOT report as of a
// past moment and a MOVEMENT_HISTORY report of the whole ledger (time, peak
// Go heap above the baseline, bytes allocated), and the ledger audit of the
// whole tenant. The load (a minute or two) is done once and is not timed.
//
// Run it with: go test -run '^$' -bench BenchmarkLedgerAtScale -benchtime 1x -timeout 30m ./internal/httpserver
func BenchmarkLedgerAtScale(b *testing.B) {
	lbOnce.Do(func() { lbLoaded, lbErr = lbLoad(b) })
	if lbErr != nil {
		b.Fatal(lbErr)
	}
	l := lbLoaded
	ctx := context.Background()
	if l.movements != lbItems*lbLocations*lbPerLevel {
		b.Fatalf("loaded %d movements, want %d", l.movements, lbItems*lbLocations*lbPerLevel)
	}
	b.Logf("loaded %d movements over %d levels, %s to %s, in %s", l.movements, lbItems*lbLocations,
		l.start.Format(time.RFC3339), l.end.Format(time.RFC3339), l.load.Round(time.Millisecond))

	rng := rand.New(rand.NewPCG(1, 2))
	period := l.end.Sub(l.start)
	randomAsOf := func() (item, loc string, at time.Time) {
		item, loc = l.items[rng.IntN(len(l.items))], l.locations[rng.IntN(len(l.locations))]
		// From a day before the first movement (zeros) to the last one.
		at = l.start.Add(-24*time.Hour + time.Duration(rng.Int64N(int64(period+24*time.Hour))))
		return item, loc, at.Truncate(time.Microsecond)
	}
	for range 50 {
		item, loc, at := randomAsOf()
		got, err := l.store.LevelAt(ctx, l.sc, item, loc, &at)
		if err != nil {
			b.Fatal(err)
		}
		var want, n int64
		if err := l.db.Owner.QueryRow(ctx, lbReplaySQL, l.sc.TenantID, item, loc, at).Scan(&want, &n); err != nil {
			b.Fatal(err)
		}
		if got.Available != want || got.Version != n || got.Reserved+got.Damaged+got.QualityControl+got.Incoming != 0 {
			b.Fatalf("level %s@%s as of %v: %+v, ledger replay %d available after %d movements", item, loc, at, got, want, n)
		}
	}
	pastMoment := l.start.Add(period / 2)

	for b.Loop() {
		durations := make([]time.Duration, lbQueries)
		for i := range durations {
			item, loc, at := randomAsOf()
			start := time.Now()
			if _, err := l.store.LevelAt(ctx, l.sc, item, loc, &at); err != nil {
				b.Fatal(err)
			}
			durations[i] = time.Since(start)
		}
		slices.Sort(durations)
		p50, p99 := durations[len(durations)/2], durations[len(durations)*99/100]
		b.ReportMetric(float64(p50.Microseconds())/1000, "asof-p50-ms")
		b.ReportMetric(float64(p99.Microseconds())/1000, "asof-p99-ms")

		for _, rep := range []struct {
			name   string
			kind   domain.ReportKind
			params domain.ReportParams
			rows   int64
		}{
			{"snapshot", domain.ReportStockSnapshot, domain.ReportParams{AsOf: &pastMoment}, lbItems * lbLocations},
			{"history", domain.ReportMovementHistory, domain.ReportParams{From: new(l.start), To: new(l.end.Add(time.Microsecond))}, l.movements},
		} {
			r, err := l.store.RequestReport(ctx, l.sc, rep.kind, rep.params)
			if err != nil {
				b.Fatal(err)
			}
			peak, allocated, took, err := lbPeak(func() error { return l.store.BuildReport(ctx, l.sc, r.ID, time.Hour) })
			if err != nil {
				b.Fatal(err)
			}
			built, err := l.store.Report(ctx, l.sc, r.ID)
			if err != nil {
				b.Fatal(err)
			}
			if built.Status != domain.ReportSucceeded || built.RowCount != rep.rows {
				b.Fatalf("%s report: %s with %d rows (error %v), want SUCCEEDED with %d", rep.name, built.Status, built.RowCount, built.Error, rep.rows)
			}
			b.ReportMetric(took.Seconds(), rep.name+"-s")
			b.ReportMetric(float64(peak)/(1<<20), rep.name+"-peak-heap-MB")
			b.ReportMetric(float64(allocated)/(1<<20), rep.name+"-alloc-MB")
			b.ReportMetric(float64(built.ByteCount)/(1<<20), rep.name+"-file-MB")
		}

		start := time.Now()
		res, err := l.store.AuditLedger(ctx, l.sc)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "audit-s")
		if len(res.Drifts) != 0 || res.LevelsChecked != lbItems*lbLocations || res.ItemsChecked != lbItems {
			b.Fatalf("audit: %d drifts, %d levels, %d items checked; want none, %d, %d",
				len(res.Drifts), res.LevelsChecked, res.ItemsChecked, lbItems*lbLocations, lbItems)
		}
	}
	b.ReportMetric(l.load.Seconds(), "load-s")
}
