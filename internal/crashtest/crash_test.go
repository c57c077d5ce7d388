// Package crashtest kills the service binary with SIGKILL under load, and
// restarts PostgreSQL under load, and checks that the ledger holds: every
// acknowledged operation is in it exactly once, no idempotency key is
// applied twice, every level equals its ledger, and nothing is negative.
package crashtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/inventory-backbone/inventory/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

const secret = "crash-test signing key of at least 32 bytes"

// service is the inventory binary running against one database.
type service struct {
	t    *testing.T
	bin  string
	env  []string
	addr string

	mu  sync.Mutex
	cmd *exec.Cmd
}

// buildBinary builds the service from the module's root into dir.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "inventory")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = filepath.Dir(strings.TrimSpace(string(out)))
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func newService(t *testing.T, bin, dbURL string) *service {
	addr := freeAddr(t)
	env := append(os.Environ(), "DATABASE_URL="+dbURL, "INVENTORY_ADDR="+addr, "INVENTORY_JWT_SECRET="+secret,
		"INVENTORY_LOG_LEVEL=error", "INVENTORY_TENANT_RATE=0", "INVENTORY_TENANT_WRITES=0")
	s := &service{t: t, bin: bin, env: env, addr: addr}
	t.Cleanup(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.cmd != nil {
			_ = s.cmd.Process.Kill()
			_ = s.cmd.Wait()
		}
	})
	return s
}

// run runs a one-shot command of the binary and returns its stdout.
func (s *service) run(args ...string) string {
	s.t.Helper()
	cmd := exec.Command(s.bin, args...)
	cmd.Env = s.env
	out, err := cmd.Output()
	if err != nil {
		s.t.Fatalf("%v: %v", args, err)
	}
	return strings.TrimSpace(string(out))
}

// start starts serve and waits until it is ready.
func (s *service) start() {
	s.t.Helper()
	cmd := exec.Command(s.bin, "serve")
	cmd.Env = s.env
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.mu.Lock()
	s.cmd = cmd
	s.mu.Unlock()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + s.addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatal("the service did not become ready in 60 s")
}

// kill ends serve with SIGKILL: no drain, no cleanup.
func (s *service) kill() {
	s.mu.Lock()
	cmd := s.cmd
	s.cmd = nil
	s.mu.Unlock()
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
}

// op is one stock operation a client sends until it gets a definite answer.
type op struct {
	key      string
	mutation string // receiveStock or shipStock
	quantity int64
	applied  bool // acknowledged with no userErrors
}

// client drives operations through the API, retrying each with its
// idempotency key until the service answers it for certain.
type client struct {
	http                 *http.Client
	url, token           string
	itemID, locationID   string
	retries, acknowledge int
}

// do sends o until a definite answer: the payload, or a userError.
func (c *client) do(ctx context.Context, o *op) error {
	body, _ := json.Marshal(map[string]any{
		"query": fmt.Sprintf(`mutation($in: %sInput!) { %s(input: $in) { movements { id } userErrors { code } } }`,
			strings.ToUpper(o.mutation[:1])+o.mutation[1:], o.mutation),
		"variables": map[string]any{"in": map[string]any{"itemId": c.itemID, "locationId": c.locationID,
			"quantity": o.quantity, "idempotencyKey": o.key, "reference": o.key}},
	})
	for ctx.Err() == nil {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+c.token)
		resp, err := c.http.Do(req)
		if err == nil {
			raw, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			var out struct {
				Data   map[string]struct{ UserErrors []struct{ Code string } }
				Errors []any
			}
			if rerr == nil && resp.StatusCode == http.StatusOK && json.Unmarshal(raw, &out) == nil && len(out.Errors) == 0 {
				p := out.Data[o.mutation]
				switch {
				case len(p.UserErrors) == 0:
					o.applied = true
					return nil
				case p.UserErrors[0].Code == "INSUFFICIENT_STOCK":
					return nil
				default:
					return fmt.Errorf("%s %s: %s", o.mutation, o.key, raw)
				}
			}
		}
		c.retries++
		time.Sleep(time.Duration(20+rand.IntN(80)) * time.Millisecond)
	}
	return ctx.Err()
}

// TestKillUnderLoad runs clients against the service binary and kills it with
// SIGKILL several times (CRASH_KILLS, default 5), restarting it each time,
// then checks the ledger (item 9 of issue 15).
func TestKillUnderLoad(t *testing.T) {
	kills := 5
	if v, err := strconv.Atoi(os.Getenv("CRASH_KILLS")); err == nil && v > 0 {
		kills = v
	}
	db := testdb.Get(t)
	svc := newService(t, buildBinary(t, t.TempDir()), db.URL)
	ops := drive(t, svc, func(svc *service) {
		for range kills {
			time.Sleep(time.Duration(700+rand.IntN(600)) * time.Millisecond)
			svc.kill()
			svc.start()
		}
	})
	checkLedger(t, db.Owner.Config().ConnString(), ops)
}

// drive starts the service, creates a tenant, an item and a location, runs
// eight clients while disrupt does its worst, lets every client finish its
// operation in hand, and returns every operation sent.
func drive(t *testing.T, svc *service, disrupt func(*service)) tenantOps {
	t.Helper()
	svc.start()
	tenant := svc.run("tenant", "create", "--name", "crash")
	token := svc.run("token", "--tenant", tenant, "--sub", "crash", "--roles", "admin,operator", "--ttl", "1h")
	setup := &client{http: &http.Client{Timeout: 10 * time.Second}, url: "http://" + svc.addr + "/graphql", token: token}
	gql := func(query string) map[string]any {
		body, _ := json.Marshal(map[string]any{"query": query})
		req, _ := http.NewRequest(http.MethodPost, setup.url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := setup.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct {
			Data map[string]map[string]map[string]any
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		for _, v := range out.Data {
			for _, obj := range v {
				if obj != nil {
					return obj
				}
			}
		}
		t.Fatalf("no data for %s", query)
		return nil
	}
	itemID := gql(`mutation { createItem(input: {sku: "CRASH-1", name: "Crash"}) { item { id } } }`)["id"].(string)
	locationID := gql(`mutation { createLocation(input: {code: "C", name: "Crash"}) { location { id } } }`)["id"].(string)

	ctx, stop := context.WithCancel(context.Background())
	var mu sync.Mutex
	var all []*op
	var wg sync.WaitGroup
	var retries int
	for w := range 8 {
		wg.Go(func() {
			c := &client{http: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: w%2 == 0}},
				url: setup.url, token: token, itemID: itemID, locationID: locationID}
			for n := 0; ctx.Err() == nil; n++ {
				o := &op{key: fmt.Sprintf("crash-%d-%d", w, n), mutation: "receiveStock", quantity: int64(1 + rand.IntN(5))}
				if n%2 == 1 {
					o.mutation, o.quantity = "shipStock", int64(1+rand.IntN(6))
				}
				// The operation in hand is finished even after stop: a client
				// never abandons a key it may have applied.
				if err := c.do(context.WithoutCancel(ctx), o); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				all = append(all, o)
				mu.Unlock()
			}
			mu.Lock()
			retries += c.retries
			mu.Unlock()
		})
	}
	disrupt(svc)
	time.Sleep(500 * time.Millisecond)
	stop()
	wg.Wait()
	applied := 0
	for _, o := range all {
		if o.applied {
			applied++
		}
	}
	t.Logf("%d operations answered (%d applied, the rest INSUFFICIENT_STOCK), %d retries", len(all), applied, retries)
	if len(all) < 50 {
		t.Errorf("only %d operations answered: the load was too thin to prove anything", len(all))
	}
	return tenantOps{tenant: tenant, item: itemID, location: locationID, ops: all}
}

// tenantOps are the operations sent for one tenant's one level.
type tenantOps struct {
	tenant, item, location string
	ops                    []*op
}

// checkLedger checks, as the owner, that every applied operation is in the
// ledger exactly once under its key, that no operation that answered
// INSUFFICIENT_STOCK left a movement, that the level equals the ledger and
// the acknowledged operations' sum, and that nothing is negative.
func checkLedger(t *testing.T, ownerURL string, to tenantOps) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", to.tenant); err != nil {
		t.Fatal(err)
	}
	rows, _ := tx.Query(ctx, `SELECT coalesce(idempotency_key, ''), count(DISTINCT operation_id), sum(quantity) FROM movements
		WHERE tenant_id = $1 GROUP BY movements.idempotency_key`, to.tenant)
	type applied struct{ operations, quantity int64 }
	ledger := map[string]applied{}
	for rows.Next() {
		var ref string
		var a applied
		if err := rows.Scan(&ref, &a.operations, &a.quantity); err != nil {
			t.Fatal(err)
		}
		ledger[ref] = a
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	var want int64
	for _, o := range to.ops {
		got := ledger[o.key]
		delete(ledger, o.key)
		switch {
		case o.applied && got.operations != 1:
			t.Errorf("key %s was acknowledged and is in the ledger %d times", o.key, got.operations)
		case !o.applied && got.operations != 0:
			t.Errorf("key %s answered INSUFFICIENT_STOCK and is in the ledger %d times", o.key, got.operations)
		}
		if o.applied {
			if o.mutation == "receiveStock" {
				want += o.quantity
			} else {
				want -= o.quantity
			}
		}
	}
	for ref, a := range ledger {
		// An operation in flight at the end of the run that no client
		// retried cannot exist: every client finishes its key.
		t.Errorf("the ledger holds %d operations under key %q that no client saw acknowledged", a.operations, ref)
	}
	var available, held, ledgerSum, negatives int64
	if err := tx.QueryRow(ctx, `SELECT coalesce(sum(available), 0), coalesce(sum(reserved + damaged + quality_control + in_transit), 0)
		FROM stock_levels WHERE tenant_id = $1`, to.tenant).Scan(&available, &held); err != nil {
		t.Fatal(err)
	}
	if err := tx.QueryRow(ctx, `SELECT coalesce(sum(CASE WHEN kind = 'SHIPMENT' THEN -quantity ELSE quantity END), 0) FROM movements WHERE tenant_id = $1`,
		to.tenant).Scan(&ledgerSum); err != nil {
		t.Fatal(err)
	}
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM stock_levels
		WHERE tenant_id = $1 AND least(available, reserved, damaged, quality_control, in_transit) < 0`,
		to.tenant).Scan(&negatives); err != nil {
		t.Fatal(err)
	}
	if available != want || held != 0 || ledgerSum != want || negatives != 0 {
		t.Errorf("available %d (and %d in other states), ledger sum %d, negative levels %d; want %d from the acknowledged operations",
			available, held, ledgerSum, negatives, want)
	}
}

// privatePostgres is a PostgreSQL server of the test's own, in a temporary
// directory on a free port, so that restarting it disturbs no one else.
type privatePostgres struct {
	t         *testing.T
	data, log string
	port      string
	asUser    []string // the command prefix that runs as the server's owner
	bin       string   // the directory of initdb and pg_ctl
}

// postgresBin finds the directory of PostgreSQL's server programs: initdb on
// PATH, else the newest /usr/lib/postgresql/<version>/bin, where Debian's and
// Ubuntu's packages put them without adding them to PATH.
func postgresBin() (string, bool) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real // a link in /usr/local/bin: pg_ctl is next to its target
		}
		return filepath.Dir(p), true
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	best, bestVersion := "", -1
	for _, d := range dirs {
		v, err := strconv.Atoi(filepath.Base(filepath.Dir(d)))
		if _, statErr := os.Stat(filepath.Join(d, "initdb")); err == nil && statErr == nil && v > bestVersion {
			best, bestVersion = d, v
		}
	}
	return best, best != ""
}

// skipOrFail skips the test, saying why, unless INVENTORY_REQUIRE_CRASH_TESTS
// is set (as CI sets it): then the test fails, so that CI never passes
// without running it.
func skipOrFail(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("INVENTORY_REQUIRE_CRASH_TESTS") != "" {
		t.Fatal(why + " (INVENTORY_REQUIRE_CRASH_TESTS is set)")
	}
	t.Skip(why)
}

// startPrivatePostgres initialises and starts a server with initdb and
// pg_ctl. As root, it runs them as the postgres user (initdb refuses root).
// It skips the test, saying why, when neither is possible (see skipOrFail).
func startPrivatePostgres(t *testing.T) *privatePostgres {
	t.Helper()
	bin, ok := postgresBin()
	if !ok {
		skipOrFail(t, "initdb is neither on PATH nor in /usr/lib/postgresql/*/bin: the PostgreSQL restart test needs a server of its own (apt-get install postgresql)")
	}
	dir, err := os.MkdirTemp("", "inventory-crash-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	p := &privatePostgres{t: t, data: filepath.Join(dir, "data"), log: filepath.Join(dir, "log"), port: strconv.Itoa(freePort(t)), bin: bin}
	if os.Geteuid() == 0 {
		out, err := exec.Command("id", "-u", "postgres").Output()
		if err != nil {
			skipOrFail(t, "running as root without a postgres user: initdb refuses to run as root")
		}
		uid, _ := strconv.Atoi(strings.TrimSpace(string(out)))
		if err := os.Chown(dir, uid, -1); err != nil {
			t.Fatal(err)
		}
		p.asUser = []string{"runuser", "-u", "postgres", "--"}
	}
	p.pgCtl(t, "initdb", "-D", p.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
	p.pgCtl(t, "pg_ctl", "-D", p.data, "-l", p.log, "-w", "-o",
		"-p "+p.port+" -c listen_addresses=127.0.0.1 -k "+dir+" -c fsync=on", "start")
	t.Cleanup(func() { _ = p.command("pg_ctl", "-D", p.data, "-m", "immediate", "-w", "stop").Run() })
	return p
}

func freePort(t *testing.T) int {
	t.Helper()
	_, port, _ := net.SplitHostPort(freeAddr(t))
	n, _ := strconv.Atoi(port)
	return n
}

func (p *privatePostgres) command(name string, args ...string) *exec.Cmd {
	all := append(append([]string{}, p.asUser...), append([]string{filepath.Join(p.bin, name)}, args...)...)
	return exec.Command(all[0], all[1:]...)
}

func (p *privatePostgres) pgCtl(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := p.command(name, args...).CombinedOutput(); err != nil {
		log, _ := os.ReadFile(p.log)
		t.Fatalf("%s %v: %v\n%s\n%s", name, args, err, out, log)
	}
}

// url is the server's URL for a database.
func (p *privatePostgres) url(database string) string {
	return "postgres://postgres@127.0.0.1:" + p.port + "/" + database + "?sslmode=disable"
}

// TestPostgresRestartUnderLoad runs clients against the service binary while
// its PostgreSQL (a private one) restarts three times, once as a crash
// (immediate shutdown, then crash recovery) and twice as a fast shutdown,
// then checks the ledger (item 9 of issue 15).
func TestPostgresRestartUnderLoad(t *testing.T) {
	p := startPrivatePostgres(t)
	url := p.url("inventory")
	svc := newService(t, buildBinary(t, t.TempDir()), url)
	ops := drive(t, svc, func(*service) {
		for i, mode := range []string{"immediate", "fast", "fast"} {
			time.Sleep(time.Duration(800+rand.IntN(400)) * time.Millisecond)
			start := time.Now()
			p.pgCtl(t, "pg_ctl", "-D", p.data, "-m", mode, "-w", "restart", "-l", p.log)
			t.Logf("restart %d (%s): %v", i+1, mode, time.Since(start).Round(time.Millisecond))
		}
	})
	checkLedger(t, url, ops)
}
