package httpserver_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/internal/config"
	"github.com/inventory-backbone/inventory/tenancy"
)

// TestTenantRateLimit checks item 7 of issue 15: a tenant past its request
// rate gets HTTP 429, Retry-After and RATE_LIMITED, while another tenant's
// requests go through.
func TestTenantRateLimit(t *testing.T) {
	s := newTestServerWith(t, serverOptions{config: func(c *config.Config) {
		c.TenantRate, c.TenantBurst = 0.5, 5
	}})
	a, b := s.tenant(t), s.tenant(t)
	ta, tb := s.token(t, a, "a", tenancy.Viewer), s.token(t, b, "b", tenancy.Viewer)
	query := `{ items(first: 1) { nodes { id } } }`
	var limited int
	for i := range 10 {
		body, _ := json.Marshal(map[string]any{"query": query})
		status, h, raw := s.send(t, http.MethodPost, "/graphql", http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + ta}}, body)
		switch status {
		case http.StatusOK:
			if limited > 0 {
				t.Errorf("request %d went through after a refusal, at one per 2 seconds", i)
			}
		case http.StatusTooManyRequests:
			limited++
			if secs, err := strconv.Atoi(h.Get("Retry-After")); err != nil || secs < 1 || secs > 2 || !bytes.Contains(raw, []byte(`"RATE_LIMITED"`)) {
				t.Errorf("a refusal: Retry-After %q, body %s; want 1 or 2 seconds and RATE_LIMITED", h.Get("Retry-After"), raw)
			}
		default:
			t.Fatalf("request %d: %d %s", i, status, raw)
		}
	}
	if limited != 5 {
		t.Errorf("%d of 10 requests refused with a burst of 5, want 5", limited)
	}
	s.mustData(t, tb, query, nil, nil) // another tenant is not held back
}

// TestTenantWriteLimit checks item 7 of issue 15: at most TenantWrites
// mutations of one tenant run at once; the others are refused with 429,
// Retry-After and RATE_LIMITED once they have waited TenantWriteWait, and
// write nothing, and the ledger holds.
func TestTenantWriteLimit(t *testing.T) {
	s := newTestServerWith(t, serverOptions{config: func(c *config.Config) {
		c.TenantRate, c.TenantWrites, c.TenantWriteWait = 0, 2, time.Millisecond
	}})
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "alice", tenancy.Admin)
	item, locs := s.catalogue(t, admin, "SKU-W", "A")
	const n = 40
	var ok, limited atomic.Int64
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			in := map[string]any{"itemId": item, "locationId": locs[0], "quantity": 1, "idempotencyKey": "w-" + strconv.Itoa(i)}
			body, _ := json.Marshal(map[string]any{"query": stockMutation("receiveStock"), "variables": map[string]any{"in": in}})
			status, h, raw := s.send(t, http.MethodPost, "/graphql", http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + admin}}, body)
			switch {
			case status == http.StatusOK && !bytes.Contains(raw, []byte(`"errors"`)):
				ok.Add(1)
			case status == http.StatusTooManyRequests && h.Get("Retry-After") != "" && bytes.Contains(raw, []byte(`"RATE_LIMITED"`)):
				limited.Add(1)
			default:
				t.Errorf("%d %s", status, raw)
			}
		})
	}
	wg.Wait()
	if limited.Load() == 0 || ok.Load() == 0 {
		t.Errorf("%d of %d concurrent receipts went through and %d were refused; want both", ok.Load(), n, limited.Load())
	}
	if got := s.level(t, admin, item, locs[0]).OnHand; got != ok.Load() {
		t.Errorf("onHand %d after %d acknowledged receipts of 1", got, ok.Load())
	}
	s.checkLedger(t, tenant)
}

// withoutTenantLimits turns the per-tenant limits off, for benchmarks that
// measure what the whole service can do for one tenant.
func withoutTenantLimits(c *config.Config) { c.TenantRate, c.TenantWrites = 0, 0 }
