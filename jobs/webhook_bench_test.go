package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/testdb"
	"github.com/inventory-backbone/inventory/jobs"
)

// BenchmarkWebhookDelivery measures webhook throughput to a local receiver
// that answers at once: b.N stock changes are committed by 8 writers, and
// every endpoint must receive every one. It reports commits/s (how fast the
// writers committed: delivery cannot be faster), events/s (stock changes
// delivered to every endpoint, per second, from the first commit to the
// last delivery), messages/s (events × endpoints), the p50/p99 delay
// from a change's commit to its delivery, and conns, the connections the
// receiver accepted (kept-alive connections are reused). Rerun with:
//
//	go test -run '^$' -bench BenchmarkWebhookDelivery -benchtime 3000x ./jobs
func BenchmarkWebhookDelivery(b *testing.B) {
	for _, endpoints := range []int{1, 100} {
		b.Run(fmt.Sprintf("endpoints=%d", endpoints), func(b *testing.B) { benchWebhooks(b, endpoints) })
	}
}

func benchWebhooks(b *testing.B, endpoints int) {
	ctx := context.Background()
	db := testdb.Get(b)
	sched, err := jobs.NewScheduler(db.Owner)
	if err != nil {
		b.Fatal(err)
	}
	store := domain.NewStore(db.App, domain.WithScheduler(sched), domain.WithSystemPool(db.System),
		domain.WithWebhooks(domain.WebhookConfig{Key: testWebhookKey, AllowPrivate: true}))
	tenant, err := store.CreateTenant(ctx, fmt.Sprintf("bench tenant %d", tenantSeq.Add(1)))
	if err != nil {
		b.Fatal(err)
	}
	sc := domain.Scope{TenantID: tenant.ID, Actor: "bench"}
	const writers = 8
	var items []*domain.Item
	for i := range writers {
		it, err := store.CreateItem(ctx, sc, domain.NewItem{SKU: fmt.Sprintf("B-%d", i), Name: "Bench"})
		if err != nil {
			b.Fatal(err)
		}
		items = append(items, it)
	}
	loc, err := store.CreateLocation(ctx, sc, domain.NewLocation{Code: "A", Name: "A"})
	if err != nil {
		b.Fatal(err)
	}

	var (
		mu       sync.Mutex
		arrivals = map[string][]time.Time{} // operation id → arrival at each endpoint
		done     = make(chan struct{})
		want     = b.N * endpoints
		got      int
	)
	var conns atomic.Int64 // connections the receiver accepted
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		body, _ := io.ReadAll(r.Body)
		var m struct{ Data struct{ OperationID string } }
		_ = json.Unmarshal(body, &m)
		mu.Lock()
		arrivals[m.Data.OperationID] = append(arrivals[m.Data.OperationID], now)
		if got++; got == want {
			close(done)
		}
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	b.Cleanup(srv.Close)
	for i := range endpoints {
		u := fmt.Sprintf("%s/hooks/%d", srv.URL, i)
		if _, _, err := store.CreateWebhookEndpoint(ctx, sc, domain.WebhookEndpointInput{URL: &u, EventTypes: []string{"stock.changed"}}); err != nil {
			b.Fatal(err)
		}
	}
	b.Cleanup(func() { _, _ = db.Owner.Exec(ctx, `DELETE FROM webhook_endpoints WHERE tenant_id = $1`, tenant.ID) })
	runner, err := jobs.NewRunner(db.Owner, store, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	if err := runner.Start(ctx); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		_ = runner.StopAndCancel(sctx)
	})

	commits := make(map[string]time.Time, b.N)
	var cmu sync.Mutex
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < b.N; i += writers {
				c, err := store.Receive(ctx, sc, items[w].ID, loc.ID, 1, domain.Meta{})
				if err != nil {
					b.Error(err)
					return
				}
				at := time.Now()
				cmu.Lock()
				commits[c.OperationID] = at
				cmu.Unlock()
			}
		}()
	}
	wg.Wait()
	committed := time.Since(start)
	select {
	case <-done:
	case <-time.After(5 * time.Minute):
		b.Fatalf("delivered %d of %d messages", got, want)
	}
	elapsed := time.Since(start)
	b.StopTimer()

	mu.Lock()
	defer mu.Unlock()
	var delays []time.Duration
	for op, ats := range arrivals {
		c, ok := commits[op]
		if !ok {
			b.Fatalf("a message for an unknown operation %q", op)
		}
		for _, a := range ats {
			delays = append(delays, max(a.Sub(c), 0))
		}
	}
	slices.Sort(delays)
	pct := func(p float64) float64 { return float64(delays[int(p*float64(len(delays)-1))].Microseconds()) / 1000 }
	b.ReportMetric(float64(b.N)/committed.Seconds(), "commits/s")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(want)/elapsed.Seconds(), "messages/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(conns.Load()), "conns")
	b.ReportMetric(0, "ns/op")
}
