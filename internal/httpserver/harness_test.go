package httpserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/config"
	"github.com/inventory-backbone/inventory/internal/httpserver"
	"github.com/inventory-backbone/inventory/internal/live"
	"github.com/inventory-backbone/inventory/internal/pg"
	"github.com/inventory-backbone/inventory/internal/testdb"
	"github.com/inventory-backbone/inventory/tenancy"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// testServer is the whole service over HTTP on a loopback port, against the
// package's test database, wired by httpserver.New as serve wires it.
type testServer struct {
	URL    string
	server *httpserver.Server
	hub    *live.Hub
	db     *testdb.DB
	store  *domain.Store
	tokens tenancy.Config
	client *http.Client
	// accounts is the server's sign-in side.
	accounts *domain.Accounts
}

var tenantSeq atomic.Int64

func newTestServer(tb testing.TB) *testServer {
	return newTestServerWith(tb, serverOptions{})
}

// serverOptions vary newTestServerWith's server. Zero values take the
// defaults of newTestServer.
type serverOptions struct {
	// tokens is how tokens are signed and checked; the zero value takes a
	// fixed test key.
	tokens tenancy.Config
	// logger receives the server's logs; nil discards them.
	logger *slog.Logger
	// jobs runs background work as serve does: the store schedules jobs
	// and the server's job runner works them until cleanup. Without it the
	// server is built WithoutJobs.
	jobs bool
	// live configures the hub; a zero PollInterval takes 100 ms.
	live live.Config
	// pool is the service pool; nil takes the package's App pool.
	pool *pgxpool.Pool
	// listener, when set, wraps the server's listener.
	listener func(net.Listener) net.Listener
	// config, when set, changes the default configuration.
	config func(*config.Config)
	// timeouts bound slow clients; zero fields take the defaults.
	timeouts httpserver.Timeouts
	// people, when set, changes the sign-in settings, which otherwise are
	// the defaults with testArgon2 and http://console.test as PublicURL.
	people func(*config.People)
	// webhooks, when set, enables webhooks; deliveries need jobs too.
	webhooks *domain.WebhookConfig
}

// testArgon2 keeps password hashing cheap in tests (the race detector slows
// argon2 down a lot); the benchmarks use the real parameters.
var testArgon2 = domain.Argon2Params{Time: 1, MemoryKiB: 1024, Threads: 1}

// newTestServerWith is the whole service over HTTP on a loopback port,
// built by httpserver.New from the default configuration, against the
// package's test database.
func newTestServerWith(tb testing.TB, opt serverOptions) *testServer {
	tb.Helper()
	db := testdb.Get(tb)
	if opt.pool == nil {
		opt.pool = db.App
	}
	if opt.logger == nil {
		opt.logger = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	if opt.tokens.Key == nil {
		opt.tokens.Key = []byte("test-signing-key-of-at-least-32-bytes!!")
	}
	if opt.live.PollInterval == 0 {
		opt.live.PollInterval = 100 * time.Millisecond
	}
	mig, err := pg.NewMigrator(db.Owner, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { mig.Close() })
	cfg := config.Default()
	cfg.DatabaseURL = db.URL
	if opt.config != nil {
		opt.config(&cfg)
	}
	cfg.People.Argon2, cfg.People.PublicURL = testArgon2, "http://console.test"
	if opt.people != nil {
		opt.people(&cfg.People)
	}
	srv, err := httpserver.New(httpserver.Options{
		Config:      cfg,
		App:         opt.pool,
		System:      db.System,
		Owner:       db.Owner,
		Migrator:    mig,
		Tokens:      opt.tokens,
		Webhooks:    opt.webhooks,
		Logger:      opt.logger,
		Live:        opt.live,
		WithoutJobs: !opt.jobs,
		Timeouts:    opt.timeouts,
	})
	if err != nil {
		tb.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		tb.Fatal(err)
	}
	// Cleanups run last first: the HTTP server closes, then the job runner
	// and the hub stop, as in serve.
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		srv.Stop(ctx)
	})
	hs := httptest.NewUnstartedServer(srv.Handler())
	if opt.listener != nil {
		hs.Listener = opt.listener(hs.Listener)
	}
	hs.Start()
	tb.Cleanup(hs.Close)
	return &testServer{URL: hs.URL, hub: srv.Hub, db: db, store: srv.Store, tokens: opt.tokens, accounts: srv.Accounts, server: srv,
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}}
}

// tenant creates a fresh tenant and returns its id.
func (s *testServer) tenant(tb testing.TB) string {
	tb.Helper()
	t, err := s.store.CreateTenant(context.Background(), fmt.Sprintf("tenant %d", tenantSeq.Add(1)))
	if err != nil {
		tb.Fatal(err)
	}
	return t.ID
}

// token mints a valid token for the tenant.
func (s *testServer) token(tb testing.TB, tenantID, sub string, roles ...tenancy.Role) string {
	tb.Helper()
	tok, err := tenancy.Mint(s.tokens, tenantID, sub, roles, time.Hour)
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

// gqlResponse is a GraphQL response body.
type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// errorCodes lists the extensions.code of every top-level error.
func (r *gqlResponse) errorCodes() []string {
	var codes []string
	for _, e := range r.Errors {
		c, _ := e.Extensions["code"].(string)
		codes = append(codes, c)
	}
	return codes
}

// post sends a GraphQL request with the token (none when empty) and returns
// the HTTP status and the decoded body.
func (s *testServer) post(tb testing.TB, token, query string, vars map[string]any) (int, *gqlResponse) {
	tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out gqlResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		tb.Fatalf("status %d, body %q is not JSON: %v", resp.StatusCode, raw, err)
	}
	return resp.StatusCode, &out
}

// mustData sends a request that must succeed without top-level errors and
// decodes its data into out.
func (s *testServer) mustData(tb testing.TB, token, query string, vars map[string]any, out any) {
	tb.Helper()
	status, resp := s.post(tb, token, query, vars)
	if status != http.StatusOK || len(resp.Errors) > 0 {
		tb.Fatalf("status %d, errors %+v", status, resp.Errors)
	}
	if out != nil {
		if err := json.Unmarshal(resp.Data, out); err != nil {
			tb.Fatal(err)
		}
	}
}

// catalogue creates a location and an item through the API and returns their
// ids.
func (s *testServer) catalogue(tb testing.TB, adminToken, sku string, locationCodes ...string) (itemID string, locationIDs []string) {
	tb.Helper()
	var item struct {
		CreateItem struct {
			Item       struct{ ID string }
			UserErrors []any
		}
	}
	s.mustData(tb, adminToken, `mutation($sku: String!) { createItem(input: {sku: $sku, name: "Item"}) { item { id } userErrors { code } } }`,
		map[string]any{"sku": sku}, &item)
	if len(item.CreateItem.UserErrors) > 0 {
		tb.Fatalf("createItem: %v", item.CreateItem.UserErrors)
	}
	for _, code := range locationCodes {
		var loc struct {
			CreateLocation struct {
				Location   struct{ ID string }
				UserErrors []any
			}
		}
		s.mustData(tb, adminToken, `mutation($code: String!) { createLocation(input: {code: $code, name: "Loc"}) { location { id } userErrors { code } } }`,
			map[string]any{"code": code}, &loc)
		if len(loc.CreateLocation.UserErrors) > 0 {
			tb.Fatalf("createLocation: %v", loc.CreateLocation.UserErrors)
		}
		locationIDs = append(locationIDs, loc.CreateLocation.Location.ID)
	}
	return item.CreateItem.Item.ID, locationIDs
}
