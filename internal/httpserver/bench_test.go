package httpserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/pg"
	"github.com/inventory-backbone/inventory/tenancy"
)

// The shape of the ship benchmarks: how many clients run at once, how many
// items the uniform cases spread over, and how much stock every item starts
// with (enough that no benchmark ever runs out).
const (
	benchClients = 64
	benchItems   = 1000
	benchStock   = 1_000_000_000
)

// BenchmarkShipStock measures shipStock throughput with benchClients
// concurrent clients, over HTTP through the whole service (api) and as raw
// SQL doing the same work on the same database (sql), uniform over
// benchItems items and all on one hot item. The sql cases are the ceiling the
// api cases are compared against: one transaction per unit doing what the
// domain's engine does (lock, read, check, movement, level and its history,
// outbox event, alert-check marker) in two round trips, through
// the service's own pool (same size, same role, so row-level security
// applies).
//
// Run it with: go test -run '^$' -bench BenchmarkShipStock -benchtime 5s -count 3 ./internal/httpserver
func BenchmarkShipStock(b *testing.B) {
	s := newTestServerWith(b, serverOptions{config: withoutTenantLimits}) // one tenant, 64 clients: the service's ceiling, not its per-tenant share
	// The service sends its NOTIFY after the commit, coalesced (see
	// domain/notifier.go), so the ceiling sends none in the transaction.
	api, sql := shipOverHTTP(s), shipSQL(s.db.App, false)
	// Each api case runs right before its sql case, so that a machine whose
	// load changes during the run still compares like with like.
	for _, shape := range []string{"uniform", "hot"} {
		b.Run("api/"+shape, func(b *testing.B) { benchShip(b, s, shape, api) })
		b.Run("sql/"+shape, func(b *testing.B) { benchShip(b, s, shape, sql) })
	}
}

// BenchmarkShipPath splits the cost of a ship between the layers it crosses,
// to explain the gap that BenchmarkShipStock measures. domain calls
// Store.Ship directly (no HTTP, no GraphQL); engine is raw SQL with the
// domain engine's statements and round trips (BEGIN, three batches, COMMIT);
// scalar is the same with statements that PostgreSQL can
// keep a generic plan for (engine and scalar send their NOTIFY inside the
// transaction, as the engine did before domain/notifier.go); nonotify is the
// sql ceiling of BenchmarkShipStock; group is a prototype of group commit for the hot item,
// folding the concurrent ships of one level into one transaction while each
// still succeeds or fails on its own; roundtrips counts the database round
// trips of one Store.Ship.
func BenchmarkShipPath(b *testing.B) {
	s := newTestServerWith(b, serverOptions{config: withoutTenantLimits})
	for _, api := range []struct {
		name string
		ship shipFunc
	}{
		{"domain", shipDomain(s.store)},
		{"engine", shipEngineSQL(s.db.App, false)},
		{"scalar", shipEngineSQL(s.db.App, true)},
		{"nonotify", shipSQL(s.db.App, false)},
		{"group", shipGrouped(s.db.App)},
	} {
		b.Run(api.name, func(b *testing.B) {
			b.Run("uniform", func(b *testing.B) { benchShip(b, s, "uniform", api.ship) })
			b.Run("hot", func(b *testing.B) { benchShip(b, s, "hot", api.ship) })
		})
	}
	b.Run("roundtrips", func(b *testing.B) { benchRoundTrips(b, s) })
}

// shipFunc ships one unit of an item from the fixture's location. It is
// called from many goroutines at once.
type shipFunc func(ctx context.Context, f *shipFixture, item int) error

// shipFixture is one tenant with one location and items whose stock never
// runs out during a benchmark. A sub-benchmark keeps its fixture across the
// rounds the testing package runs it for, and shipped counts every unit
// shipped in all of them.
type shipFixture struct {
	sc       domain.Scope
	token    string
	location string
	items    []string
	bodies   [][]byte // the shipStock request body of each item
	shipped  int64
}

// fixtures remembers each sub-benchmark's fixture by its full name.
var fixtures sync.Map

// fixtureFor returns the fixture of the running sub-benchmark, creating it on
// first use: a fresh tenant, a location, the items (benchItems of them for
// the uniform case, one for the hot case) created in one statement, and a
// RECEIPT movement of benchStock with its level and the level's first history
// row for each, so that the ledger, the projection and the history agree from
// the start.
func fixtureFor(b *testing.B, s *testServer, shape string) *shipFixture {
	b.Helper()
	if f, ok := fixtures.Load(b.Name()); ok {
		return f.(*shipFixture)
	}
	n := benchItems
	if shape == "hot" {
		n = 1
	}
	tenant := s.tenant(b)
	f := &shipFixture{
		sc:       domain.Scope{TenantID: tenant, Actor: "bench"},
		token:    "Bearer " + s.token(b, tenant, "bench", tenancy.Operator),
		location: uuid.NewString(),
	}
	ctx := context.Background()
	err := pgx.BeginFunc(ctx, s.db.Owner, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", tenant); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO locations (tenant_id, id, code, name) VALUES ($1, $2, 'BENCH', 'Bench')`,
			tenant, f.location); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `INSERT INTO items (tenant_id, id, sku, name)
			SELECT $1, gen_random_uuid(), 'BENCH-' || g, 'Bench item ' || g FROM generate_series(1, $2::int) g
			RETURNING id::text`, tenant, n)
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		f.items = ids
		if _, err := tx.Exec(ctx, `INSERT INTO movements (tenant_id, operation_id, kind, item_id, location_id,
				quantity, to_state, actor, reason)
			SELECT $1, gen_random_uuid(), 'RECEIPT', id, $2, $3, 'AVAILABLE', 'bench', 'benchmark stock'
			FROM items WHERE tenant_id = $1`, tenant, f.location, benchStock); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO stock_levels (tenant_id, item_id, location_id, available, version)
			SELECT $1, id, $2, $3, 1 FROM items WHERE tenant_id = $1`, tenant, f.location, benchStock); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO level_history (tenant_id, item_id, location_id, version, available,
				reserved, damaged, quality_control, in_transit, at)
			SELECT tenant_id, item_id, location_id, version, available, reserved, damaged, quality_control,
				in_transit, updated_at
			FROM stock_levels WHERE tenant_id = $1`, tenant)
		return err
	})
	if err != nil {
		b.Fatalf("create fixture: %v", err)
	}
	// Fresh statistics, as a database that has been running has: without
	// them the planner may pick stock_levels_location_idx for a level and scan
	// every level of the location, and autovacuum would switch plans at a
	// random moment of the run.
	if _, err := s.db.Owner.Exec(ctx, "ANALYZE items, locations, stock_levels, level_history, movements, events"); err != nil {
		b.Fatalf("analyze: %v", err)
	}
	for _, item := range f.items {
		body, err := json.Marshal(map[string]any{"query": shipMutation,
			"variables": map[string]any{"i": item, "l": f.location}})
		if err != nil {
			b.Fatal(err)
		}
		f.bodies = append(f.bodies, body)
	}
	fixtures.Store(b.Name(), f)
	return f
}

// benchShip runs ship from benchClients goroutines, each picking an item
// uniformly at random from the fixture, reports ships per second, fails on
// any failed ship, and then checks the ledger: no drift, and exactly as many
// shipments, outbox events, history rows and units gone as ships succeeded.
func benchShip(b *testing.B, s *testServer, shape string, ship shipFunc) {
	b.StopTimer()
	f := fixtureFor(b, s, shape)
	procs := runtime.GOMAXPROCS(0)
	parallelism := (benchClients + procs - 1) / procs
	b.SetParallelism(parallelism)
	ctx := context.Background()

	var (
		ok       atomic.Int64
		failed   atomic.Int64
		firstErr error
		once     sync.Once
	)
	cpu := startCPU(b, s)
	b.ResetTimer()
	b.StartTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := ship(ctx, f, rand.IntN(len(f.items))); err != nil {
				failed.Add(1)
				once.Do(func() { firstErr = err })
				continue
			}
			ok.Add(1)
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ships/s")
	b.ReportMetric(float64(parallelism*procs), "clients")
	cpu.report(b, b.N)
	f.shipped += ok.Load()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d ships failed; the first: %v", n, b.N, firstErr)
	}
	checkShipped(b, s, f)
}

// checkShipped verifies that the benchmark did the work it claims: the
// projection agrees with the ledger, and the tenant has exactly f.shipped
// shipments of one unit, as many outbox events, a history row for each state
// its levels have had, and f.shipped units fewer than it received.
func checkShipped(b *testing.B, s *testServer, f *shipFixture) {
	b.Helper()
	ctx := context.Background()
	drifts, err := s.store.CheckLedger(ctx, f.sc)
	if err != nil {
		b.Fatal(err)
	}
	if len(drifts) > 0 {
		b.Fatalf("ledger drift after the benchmark: %+v", drifts)
	}
	var shipments, units, events, history, available int64
	err = pgx.BeginFunc(ctx, s.db.Owner, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", f.sc.TenantID); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT
				(SELECT count(*) FROM movements WHERE tenant_id = $1 AND kind = 'SHIPMENT'),
				(SELECT coalesce(sum(quantity), 0) FROM movements WHERE tenant_id = $1 AND kind = 'SHIPMENT'),
				(SELECT count(*) FROM events WHERE tenant_id = $1 AND kind NOT LIKE 'item.%' AND kind NOT LIKE 'location.%' AND kind NOT LIKE 'import.%'),
				(SELECT count(*) FROM level_history WHERE tenant_id = $1),
				(SELECT coalesce(sum(available), 0) FROM stock_levels WHERE tenant_id = $1)`,
			f.sc.TenantID).Scan(&shipments, &units, &events, &history, &available)
	})
	if err != nil {
		b.Fatal(err)
	}
	want := int64(len(f.items))*benchStock - f.shipped
	if shipments != f.shipped || units != f.shipped || events != f.shipped ||
		history != int64(len(f.items))+f.shipped || available != want {
		b.Fatalf("after %d ships: %d shipments of %d units, %d events, %d history rows, %d available (want %d)",
			f.shipped, shipments, units, events, history, available, want)
	}
}

// cpuMeter measures the CPU time a benchmark costs, in this process (the
// service and its clients) and in the PostgreSQL backends of the test
// database: on a shared machine, CPU per operation varies much less than
// throughput, which other work on the machine takes from.
type cpuMeter struct {
	s        *testServer
	goStart  time.Duration
	pgStart  map[int]time.Duration
	disabled bool
}

// startCPU reads the CPU time used so far.
func startCPU(b *testing.B, s *testServer) *cpuMeter {
	m := &cpuMeter{s: s, goStart: processCPU()}
	var err error
	if m.pgStart, err = backendCPU(s); err != nil {
		b.Logf("no PostgreSQL CPU figures: %v", err)
		m.disabled = true
	}
	return m
}

// report adds the CPU per operation since start as metrics: go-µs/op and
// pg-µs/op.
func (m *cpuMeter) report(b *testing.B, ops int) {
	b.ReportMetric(float64((processCPU()-m.goStart).Microseconds())/float64(ops), "go-µs/op")
	if m.disabled {
		return
	}
	now, err := backendCPU(m.s)
	if err != nil {
		return
	}
	var used time.Duration
	for pid, t := range now {
		used += t - m.pgStart[pid] // a backend that has gone since start is not counted
	}
	b.ReportMetric(float64(used.Microseconds())/float64(ops), "pg-µs/op")
}

// processCPU is the CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// backendCPU reads, from /proc (so only on Linux, with the server on this
// machine), the CPU time of each PostgreSQL backend connected to the test
// database.
func backendCPU(s *testServer) (map[int]time.Duration, error) {
	rows, _ := s.db.Owner.Query(context.Background(),
		`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return nil, err
	}
	out := map[int]time.Duration{}
	for _, pid := range pids {
		used, err := pidCPU(int(pid))
		if err != nil {
			return nil, err
		}
		out[int(pid)] = used
	}
	return out, nil
}

// pidCPU reads, from /proc (so only on Linux), the CPU time a process has
// used.
func pidCPU(pid int) (time.Duration, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The fields after the command name, which is in parentheses: utime
	// and stime are the 12th and 13th, in clock ticks (100 a second on
	// Linux).
	fields := strings.Fields(string(raw[bytes.LastIndexByte(raw, ')')+1:]))
	if len(fields) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}

// shipMutation is the request every API client sends.
const shipMutation = `mutation Ship($i: ID!, $l: ID!) {
  shipStock(input: {itemId: $i, locationId: $l, quantity: 1}) { movements { id } userErrors { code message } }
}`

// shipOverHTTP ships through the service's HTTP endpoint, as a client would,
// and accepts only a response with exactly one movement and no error.
func shipOverHTTP(s *testServer) shipFunc {
	return func(ctx context.Context, f *shipFixture, item int) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+"/graphql", bytes.NewReader(f.bodies[item]))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", f.token)
		resp, err := s.client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		raw, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		var out struct {
			Data struct {
				ShipStock struct {
					Movements  []struct{ ID string }
					UserErrors []struct{ Code, Message string }
				}
			}
			Errors []struct{ Message string }
		}
		if err := json.Unmarshal(raw, &out); err != nil {
			return fmt.Errorf("status %d, body %q: %w", resp.StatusCode, raw, err)
		}
		if resp.StatusCode != http.StatusOK || len(out.Errors) > 0 || len(out.Data.ShipStock.UserErrors) > 0 ||
			len(out.Data.ShipStock.Movements) != 1 {
			return fmt.Errorf("status %d, body %s", resp.StatusCode, raw)
		}
		return nil
	}
}

// shipDomain ships by calling the domain directly, without HTTP or GraphQL.
func shipDomain(store *domain.Store) shipFunc {
	return func(ctx context.Context, f *shipFixture, item int) error {
		change, err := store.Ship(ctx, f.sc, f.items[item], f.location, 1, domain.Meta{})
		if err != nil {
			return err
		}
		if len(change.Movements) != 1 {
			return fmt.Errorf("ship wrote %d movements", len(change.Movements))
		}
		return nil
	}
}

// errInsufficient is what the SQL ships return when a level has nothing left.
var errInsufficient = errors.New("insufficient stock")

// levelLock is the advisory lock key of a level, the domain's own, so that
// the SQL ships serialise exactly as the service does.
func levelLock(f *shipFixture, item string) int64 {
	return domain.LockKey(f.sc.TenantID, domain.LevelKey{ItemID: item, LocationID: f.location})
}

// shipEvent is the outbox payload the SQL ships write: the same shape as the
// domain's StockChange, with one movement and one level.
type shipEvent struct {
	OperationID string           `json:"operationId"`
	Operation   string           `json:"operation"`
	Actor       string           `json:"actor"`
	Movements   []map[string]any `json:"movements"`
	Levels      []map[string]any `json:"levels"`
	CreatedAt   time.Time        `json:"createdAt"`
}

// newShipEvent encodes the outbox payload of one SQL ship, which left the
// level with available units at version, at the operation's time at.
func newShipEvent(f *shipFixture, item, operationID string, available, version int64, at time.Time) ([]byte, error) {
	return json.Marshal(shipEvent{
		OperationID: operationID, Operation: "shipStock", Actor: f.sc.Actor,
		Movements: []map[string]any{{"operationId": operationID, "kind": "SHIPMENT", "itemId": item,
			"locationId": f.location, "quantity": 1, "fromState": "AVAILABLE", "actor": f.sc.Actor, "createdAt": at}},
		Levels: []map[string]any{{"itemId": item, "locationId": f.location, "available": available,
			"version": version, "updatedAt": at}},
		CreatedAt: at,
	})
}

// The SQL of the SQL ships. They run the domain's engine's own statements
// (domain.EngineSQL), so that they cannot drift from what they are compared
// with: under the level's lock, read the level and the operation's time;
// append the movement; update the level and write its history row in one
// statement; write the outbox event; and mark the level for an alert check
// when it has a reorder point or an open stock alert (the bench items have
// neither, so nothing is marked, as in the engine). Only the read is their
// own: the level's available stock, its version and the time in one
// statement.
const (
	sqlReadLevel = `SELECT available, version, clock_timestamp() FROM stock_levels
		WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3`
	sqlNotify = "SELECT pg_notify($1, '')"
)

// queueShipWrites queues the writes of one ship of one unit, at the
// operation's time at, whose outbox payload is payload.
func queueShipWrites(batch *pgx.Batch, f *shipFixture, item, opID string, at time.Time, payload []byte) {
	sql := domain.EngineSQL
	batch.Queue(sql.AppendMovement, f.sc.TenantID, opID, domain.KindShipment, item, f.location, nil,
		1, domain.Available, nil, nil, nil, f.sc.Actor, nil, at)
	batch.Queue(sql.UpdateLevel, f.sc.TenantID, item, f.location, -1, 0, 0, 0, 0, at)
	batch.Queue(sql.InsertEvent, f.sc.TenantID, opID, domain.EventStockChanged, payload)
}

// shipSQL is the ceiling: one transaction per unit doing the domain's work in
// two round trips: BEGIN, set_config, the lock and the read in one batch,
// then the writes, the NOTIFY and COMMIT in another. Without notify it leaves
// out the NOTIFY, to show what that costs.
func shipSQL(pool *pgxpool.Pool, notify bool) shipFunc {
	return func(ctx context.Context, f *shipFixture, i int) error {
		item := f.items[i]
		conn, err := pool.Acquire(ctx)
		if err != nil {
			return err
		}
		defer conn.Release()
		level, err := lockAndRead(ctx, conn, f, item)
		if err == nil && level.available < 1 {
			err = errInsufficient
		}
		if err != nil {
			rollback(conn)
			return err
		}
		opID := uuid.NewString()
		payload, err := newShipEvent(f, item, opID, level.available-1, level.version+1, level.at)
		if err != nil {
			rollback(conn)
			return err
		}
		batch := &pgx.Batch{}
		queueShipWrites(batch, f, item, opID, level.at, payload)
		if notify {
			batch.Queue(sqlNotify, domain.FeedChannel)
		}
		batch.Queue(domain.EngineSQL.MarkAlertCheck, f.sc.TenantID, item, f.location)
		batch.Queue("COMMIT")
		if err := conn.SendBatch(ctx, batch).Close(); err != nil {
			rollback(conn)
			return err
		}
		return nil
	}
}

// lockedLevel is what lockAndRead reads under the lock.
type lockedLevel struct {
	available, version int64
	at                 time.Time
}

// lockAndRead opens a transaction on conn, sets the tenant, takes the level's
// lock and reads its available stock, its version and the operation's time,
// all in one round trip.
func lockAndRead(ctx context.Context, conn *pgxpool.Conn, f *shipFixture, item string) (lockedLevel, error) {
	batch := &pgx.Batch{}
	batch.Queue("BEGIN")
	batch.Queue(domain.EngineSQL.SetTenant, f.sc.TenantID)
	batch.Queue(domain.EngineSQL.LockLevel, levelLock(f, item))
	batch.Queue(sqlReadLevel, f.sc.TenantID, item, f.location)
	br := conn.SendBatch(ctx, batch)
	defer br.Close()
	var l lockedLevel
	for range batch.Len() - 1 {
		if _, err := br.Exec(); err != nil {
			return l, err
		}
	}
	if err := br.QueryRow().Scan(&l.available, &l.version, &l.at); err != nil {
		return l, err
	}
	return l, br.Close()
}

// rollback ends whatever transaction conn has open, so that the pool can
// reuse the connection.
func rollback(conn *pgxpool.Conn) {
	_, _ = conn.Exec(context.Background(), "ROLLBACK")
}

// shipEngineSQL is raw SQL with the statements (domain.EngineSQL) and round
// trips of the domain's engine: BEGIN; a batch that sets the tenant, checks
// the ids, takes the lock, reads the time and the levels; a batch that
// inserts the movement and updates the level with its history, returning
// both; a batch that inserts the outbox event, NOTIFYs the feed and marks the
// alert check; COMMIT. Against shipSQL it shows what the round trips cost;
// against shipDomain, what the Go code around them costs.
//
// Without scalar it uses the array forms of the statements, which the engine
// uses for operations on several levels. With scalar, it uses the forms with
// one parameter per column, which the engine uses for one level, and checks
// the ids only when the level is missing (a level row's foreign keys already
// prove that its item and location exist). PostgreSQL plans the array forms
// afresh on every execution (it never settles on a generic plan for them,
// and each plan re-reads the row-level security policies); the scalar forms
// get a cached generic plan after five executions.
func shipEngineSQL(pool *pgxpool.Pool, scalar bool) shipFunc {
	sql := domain.EngineSQL
	return func(ctx context.Context, f *shipFixture, i int) error {
		item := f.items[i]
		return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			var (
				nItems, nLocations int64 = 1, 1
				at                 time.Time
				levels             []domain.Level
			)
			batch := &pgx.Batch{}
			batch.Queue(sql.SetTenant, f.sc.TenantID)
			if !scalar {
				batch.Queue(sql.CheckIDs, f.sc.TenantID, []string{item}, []string{f.location}).
					QueryRow(func(r pgx.Row) error { return r.Scan(&nItems, &nLocations) })
			}
			batch.Queue(sql.LockLevel, levelLock(f, item))
			batch.Queue(sql.Clock).QueryRow(func(r pgx.Row) error { return r.Scan(&at) })
			readLevels := func(rows pgx.Rows) (err error) {
				levels, err = pgx.CollectRows(rows, pgx.RowToStructByPos[domain.Level])
				return err
			}
			if scalar {
				batch.Queue(sql.ReadLevel, f.sc.TenantID, item, f.location).Query(readLevels)
			} else {
				batch.Queue(sql.ReadLevels, f.sc.TenantID, []string{item}, []string{f.location}).Query(readLevels)
			}
			if err := tx.SendBatch(ctx, batch).Close(); err != nil {
				return err
			}
			if nItems != 1 || nLocations != 1 || len(levels) != 1 {
				return errors.New("unknown item or location")
			}
			if levels[0].Available < 1 {
				return errInsufficient
			}
			opID := uuid.NewString()
			var (
				movement domain.Movement
				level    domain.Level
			)
			batch = &pgx.Batch{}
			batch.Queue(sql.AppendMovement, f.sc.TenantID, opID, domain.KindShipment, item, f.location, nil,
				1, domain.Available, nil, nil, nil, f.sc.Actor, nil, at).Query(func(rows pgx.Rows) (err error) {
				movement, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[domain.Movement])
				return err
			})
			batch.Queue(sql.UpdateLevel, f.sc.TenantID, item, f.location, -1, 0, 0, 0, 0, at).
				Query(func(rows pgx.Rows) (err error) {
					level, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[domain.Level])
					return err
				})
			if err := tx.SendBatch(ctx, batch).Close(); err != nil {
				return err
			}
			payload, err := json.Marshal(domain.StockChange{OperationID: opID, Operation: "shipStock", Actor: f.sc.Actor,
				Movements: []domain.Movement{movement}, Levels: []domain.Level{level}, CreatedAt: movement.CreatedAt})
			if err != nil {
				return err
			}
			batch = &pgx.Batch{}
			batch.Queue(sql.InsertEvent, f.sc.TenantID, opID, domain.EventStockChanged, payload)
			batch.Queue(sqlNotify, domain.FeedChannel)
			if scalar {
				batch.Queue(sql.MarkAlertCheck, f.sc.TenantID, item, f.location)
			} else {
				batch.Queue(sql.MarkAlertChecks, f.sc.TenantID, []string{item}, []string{f.location})
			}
			return tx.SendBatch(ctx, batch).Close()
		})
	}
}

// shipGrouped is a prototype of group commit: the ships of one level queue
// up, and whichever of a few committers is free takes every ship waiting and
// does them in one transaction (one lock, one commit, one fsync, one
// NOTIFY), deciding each ship on its own against the level as the earlier
// ones in the group left it. Each ship still gets its own movement,
// operation id, history row and outbox event. It keeps one group per
// fixture and level.
func shipGrouped(pool *pgxpool.Pool) shipFunc {
	var groups sync.Map // "tenant/item" → *shipGroup
	return func(ctx context.Context, f *shipFixture, i int) error {
		key := f.sc.TenantID + "/" + f.items[i]
		g, ok := groups.Load(key)
		if !ok {
			g, _ = groups.LoadOrStore(key, newShipGroup(pool, f, f.items[i]))
		}
		done := make(chan error, 1)
		g.(*shipGroup).queue <- groupedShip{quantity: 1, done: done}
		return <-done
	}
}

// groupCommitters is how many transactions of one level may be in flight at
// once in the group commit prototype: while one holds the lock and commits,
// the next gathers the ships that arrived meanwhile.
const groupCommitters = 2

// maxGroup bounds how many ships one grouped transaction takes.
const maxGroup = 512

// groupedShip is one ship waiting in a shipGroup.
type groupedShip struct {
	quantity int64
	done     chan error
}

// shipGroup folds the concurrent ships of one level into few transactions.
type shipGroup struct {
	pool  *pgxpool.Pool
	f     *shipFixture
	item  string
	queue chan groupedShip
}

// newShipGroup returns the group of one level, with its committers running.
func newShipGroup(pool *pgxpool.Pool, f *shipFixture, item string) *shipGroup {
	g := &shipGroup{pool: pool, f: f, item: item, queue: make(chan groupedShip, maxGroup)}
	for range groupCommitters {
		go g.run()
	}
	return g
}

// run takes every ship waiting, commits them as one group, and answers each.
// Its goroutine lives as long as the test binary, like the fixture.
func (g *shipGroup) run() {
	for first := range g.queue {
		group := []groupedShip{first}
	gather:
		for len(group) < maxGroup {
			select {
			case s := <-g.queue:
				group = append(group, s)
			default:
				break gather
			}
		}
		results, err := g.commit(context.Background(), group)
		for i, s := range group {
			if err != nil {
				s.done <- err
			} else {
				s.done <- results[i]
			}
		}
	}
}

// commit runs one group in one transaction, in two round trips, and returns
// each ship's outcome (nil or errInsufficient), or the error that failed the
// whole group.
func (g *shipGroup) commit(ctx context.Context, group []groupedShip) ([]error, error) {
	conn, err := g.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	f := g.f
	level, err := lockAndRead(ctx, conn, f, g.item)
	if err != nil {
		rollback(conn)
		return nil, err
	}
	results := make([]error, len(group))
	var (
		opIDs             []string
		qtys, avail, vers []int64
		payloads          [][]byte
		total             int64
	)
	for i, s := range group {
		if level.available-total < s.quantity {
			results[i] = errInsufficient
			continue
		}
		total += s.quantity
		version := level.version + int64(len(opIDs)) + 1
		opID := uuid.NewString()
		payload, err := newShipEvent(f, g.item, opID, level.available-total, version, level.at)
		if err != nil {
			rollback(conn)
			return nil, err
		}
		opIDs, qtys, payloads = append(opIDs, opID), append(qtys, s.quantity), append(payloads, payload)
		avail, vers = append(avail, level.available-total), append(vers, version)
	}
	if len(opIDs) == 0 {
		rollback(conn)
		return results, nil
	}
	batch := &pgx.Batch{}
	batch.Queue(`INSERT INTO movements (tenant_id, operation_id, kind, item_id, location_id, quantity,
			from_state, actor, created_at)
		SELECT $1, op, 'SHIPMENT', $2, $3, q, 'AVAILABLE', $4, $5
		FROM unnest($6::uuid[], $7::bigint[]) AS u (op, q)`,
		f.sc.TenantID, g.item, f.location, f.sc.Actor, level.at, opIDs, qtys)
	batch.Queue(`WITH l AS (
			UPDATE stock_levels SET available = available - $4, version = version + $5, updated_at = $6
			WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3
			RETURNING *
		)
		INSERT INTO level_history (tenant_id, item_id, location_id, version, available, reserved, damaged,
			quality_control, in_transit, at)
		SELECT l.tenant_id, l.item_id, l.location_id, u.v, u.a, l.reserved, l.damaged, l.quality_control,
			l.in_transit, l.updated_at
		FROM l, unnest($7::bigint[], $8::bigint[]) AS u (v, a)`,
		f.sc.TenantID, g.item, f.location, total, len(opIDs), level.at, vers, avail)
	batch.Queue(`INSERT INTO events (tenant_id, operation_id, kind, payload)
		SELECT $1, op, 'stock.changed', p FROM unnest($2::uuid[], $3::jsonb[]) AS u (op, p)`,
		f.sc.TenantID, opIDs, payloads)
	batch.Queue(sqlNotify, domain.FeedChannel)
	batch.Queue(domain.EngineSQL.MarkAlertCheck, f.sc.TenantID, g.item, f.location)
	batch.Queue("COMMIT")
	if err := conn.SendBatch(ctx, batch).Close(); err != nil {
		rollback(conn)
		return nil, err
	}
	return results, nil
}

// roundTripCounter is a pgx tracer that counts the round trips a connection
// makes: every Exec or Query (BEGIN and COMMIT included) and every batch.
type roundTripCounter struct{ n atomic.Int64 }

// TraceQueryStart counts one round trip: an Exec or a Query.
func (c *roundTripCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

// TraceQueryEnd does nothing.
func (c *roundTripCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TraceBatchStart counts one round trip: a whole batch.
func (c *roundTripCounter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.n.Add(1)
	return ctx
}

// TraceBatchQuery does nothing: a batch's statements share its round trip.
func (c *roundTripCounter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

// TraceBatchEnd does nothing.
func (c *roundTripCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// benchRoundTrips ships one unit at a time through a Store over a traced
// one-connection pool, and reports the database round trips per ship and
// the latency of one uncontended ship.
func benchRoundTrips(b *testing.B, s *testServer) {
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(s.db.URL)
	if err != nil {
		b.Fatal(err)
	}
	counter := &roundTripCounter{}
	cfg.MaxConns = 1
	cfg.ConnConfig.Tracer = counter
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		_, err := conn.Exec(ctx, "SET ROLE "+pg.AppRole)
		return err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	store := domain.NewStore(pool)
	f := fixtureFor(b, s, "uniform")
	// A first ship warms the connection's statement cache, whose misses add
	// round trips that a long-running service does not pay.
	if _, err := store.Ship(ctx, f.sc, f.items[0], f.location, 1, domain.Meta{}); err != nil {
		b.Fatal(err)
	}
	f.shipped++
	counter.n.Store(0)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := store.Ship(ctx, f.sc, f.items[i%len(f.items)], f.location, 1, domain.Meta{}); err != nil {
			b.Fatal(err)
		}
		f.shipped++
	}
	b.StopTimer()
	b.ReportMetric(float64(counter.n.Load())/float64(b.N), "roundtrips/op")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ships/s")
	checkShipped(b, s, f)
}
