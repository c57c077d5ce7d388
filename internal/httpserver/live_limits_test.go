package httpserver_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/internal/config"
	"github.com/inventory-backbone/inventory/internal/httpserver"
	"github.com/inventory-backbone/inventory/tenancy"
)

// TestLiveOutlastsTimeoutsAndRateLimits checks that the server's timeouts and
// the tenant's request rate bound HTTP requests only: a WebSocket stays open
// and keeps delivering well past every timeout (the upgrade clears the
// connection's deadlines), and its messages take nothing from the tenant's
// bucket, while the tenant's second HTTP request is refused.
func TestLiveOutlastsTimeoutsAndRateLimits(t *testing.T) {
	second := time.Second
	s := newTestServerWith(t, serverOptions{
		timeouts: httpserver.Timeouts{ReadHeader: second, Read: second, Write: second, Idle: second},
		config:   func(c *config.Config) { c.TenantRate, c.TenantBurst = 0.001, 1 },
	})
	f := newLiveFixture(t, s, 1, 1)
	viewer := s.token(t, f.tenant, "watcher", tenancy.Viewer)
	c := mustDial(t, s, viewer)
	c.subscribe(t, "stock", stockChangedSub, nil)
	waitSubscribers(t, s.hub, 1)

	const n = 4
	for range n {
		time.Sleep(800 * time.Millisecond) // 3.2 s in all: past every timeout, and idle between messages for most of one
		f.receive(t, s, f.items[0], f.locations[0], 1)
	}
	if got := c.collect(t, map[string]int{"stock": n})["stock"]; len(got) != n {
		t.Fatalf("the subscription got %d events, want %d", len(got), n)
	}

	query := `{ items(first: 1) { nodes { id } } }`
	if status, _, _ := s.postRaw(t, viewer, query, nil); status != http.StatusOK {
		t.Fatalf("the tenant's first request: %d, want 200", status)
	}
	if status, _, _ := s.postRaw(t, viewer, query, nil); status != http.StatusTooManyRequests {
		t.Fatalf("the tenant's second request at a rate of 0.001/s: %d, want 429", status)
	}
}
