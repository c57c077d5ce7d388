package httpserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/inventory-backbone/inventory/internal/pg"
	"github.com/inventory-backbone/inventory/internal/testdb"
	"github.com/inventory-backbone/inventory/tenancy"
)

// tcpProxy forwards connections to a PostgreSQL server until Stop, which
// closes its listener and every connection it carries: to a client, the
// server is gone, as during a restart.
type tcpProxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	conns []net.Conn
}

func startProxy(tb testing.TB, target string) *tcpProxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &tcpProxy{ln: ln, target: target}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.forward(c)
		}
	}()
	tb.Cleanup(p.Stop)
	return p
}

func (p *tcpProxy) forward(c net.Conn) {
	u, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns = append(p.conns, c, u)
	p.mu.Unlock()
	go func() { _, _ = io.Copy(u, c); u.Close() }()
	_, _ = io.Copy(c, u)
	c.Close()
}

// Stop makes the server unreachable: new connections are refused and open
// ones are cut.
func (p *tcpProxy) Stop() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// proxiedURL returns the database URL with its host replaced by the proxy's,
// and the host it names.
func proxiedURL(tb testing.TB, dbURL string) (proxied, target string) {
	tb.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		tb.Fatal(err)
	}
	target = u.Host
	if u.Port() == "" {
		target = net.JoinHostPort(u.Hostname(), "5432")
	}
	return u.String(), target
}

// TestDatabaseOutageAnswersUnavailable checks finding 1 of issue 15: a
// request that fails because the database cannot be reached answers HTTP 503
// with Retry-After and extensions.code UNAVAILABLE, never INTERNAL, whether
// it fails in a resolver or in the middleware's tenant lookup (a tenant not
// in the verifier's cache).
func TestDatabaseOutageAnswersUnavailable(t *testing.T) {
	db := testdb.Get(t)
	raw, target := proxiedURL(t, db.URL)
	proxy := startProxy(t, target)
	u, _ := url.Parse(raw)
	u.Host = proxy.ln.Addr().String()
	ctx := context.Background()
	pool, err := pg.AppPool(ctx, u.String(), 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	s := newTestServerWith(t, serverOptions{pool: pool})
	tenant, other := s.tenant(t), s.tenant(t)
	admin := s.token(t, tenant, "alice", tenancy.Admin)
	item, locs := s.catalogue(t, admin, "SKU-OUT", "A")
	receive := map[string]any{"itemId": item, "locationId": locs[0], "quantity": 1, "idempotencyKey": "outage-1"}
	s.mustChange(t, admin, "receiveStock", receive)

	proxy.Stop()

	check := func(t *testing.T, token, query string, vars map[string]any) {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		h := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + token}}
		status, header, rawBody := s.send(t, http.MethodPost, "/graphql", h, body)
		var resp gqlResponse
		if err := json.Unmarshal(rawBody, &resp); err != nil {
			t.Fatalf("status %d, body %q: %v", status, rawBody, err)
		}
		codes := resp.errorCodes()
		if status != http.StatusServiceUnavailable || header.Get("Retry-After") == "" || len(codes) == 0 || codes[0] != "UNAVAILABLE" {
			t.Errorf("status %d, Retry-After %q, codes %v (%s); want 503, a Retry-After and UNAVAILABLE",
				status, header.Get("Retry-After"), codes, rawBody)
		}
		if bytes.Contains(rawBody, []byte("127.0.0.1")) || bytes.Contains(rawBody, []byte("dial")) {
			t.Errorf("the answer names the database's address: %s", rawBody)
		}
	}
	t.Run("mutation", func(t *testing.T) {
		check(t, admin, stockMutation("receiveStock"), map[string]any{"in": receive})
	})
	t.Run("query", func(t *testing.T) {
		check(t, admin, `{ items(first: 5) { nodes { id } } }`, nil)
	})
	t.Run("tenant lookup in the middleware", func(t *testing.T) {
		check(t, s.token(t, other, "bob", tenancy.Viewer), `{ items(first: 5) { nodes { id } } }`, nil)
	})
}
