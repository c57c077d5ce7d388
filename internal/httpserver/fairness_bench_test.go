package httpserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/inventory-backbone/inventory/tenancy"
)

// BenchmarkTenantFairness measures what one tenant's flood costs another
// (item 7 of issue 15). Tenant B ships one unit every 20 ms and its latency
// is measured in three phases: alone; while 32 clients flood the service as
// fast as they can with requests refused at the door (a bad token), which on
// one machine is the floor, since the load generator shares the CPUs; and
// while 32 clients of tenant A flood it with real shipStock calls, which the
// default per-tenant limits (INVENTORY_TENANT_RATE, INVENTORY_TENANT_WRITES)
// hold to A's share. The goal: B's p99 under A's flood within 1.5× its p99
// under the refused flood. It reports B's p50 and p99 per phase, the ratio,
// and how many of A's calls went through and were refused per second.
//
// Run it with: go test -run '^$' -bench BenchmarkTenantFairness -benchtime 1x ./internal/httpserver
func BenchmarkTenantFairness(b *testing.B) {
	s := newTestServer(b) // the default configuration: the production limits
	setup := func(name string) (token, item, loc string) {
		tenant := s.tenant(b)
		token = s.token(b, tenant, name, tenancy.Operator, tenancy.Admin)
		item, locs := s.catalogue(b, token, "SKU-FAIR", "A")
		s.mustChange(b, token, "receiveStock", map[string]any{"itemId": item, "locationId": locs[0], "quantity": benchStock})
		return token, item, locs[0]
	}
	tokenA, itemA, locA := setup("a")
	tokenB, itemB, locB := setup("b")
	ship := func(token, item, loc string) []byte {
		body, _ := json.Marshal(map[string]any{"query": stockMutation("shipStock"),
			"variables": map[string]any{"in": map[string]any{"itemId": item, "locationId": loc, "quantity": 1}}})
		return body
	}
	shipA, shipB := ship(tokenA, itemA, locA), ship(tokenB, itemB, locB)
	badToken := signed(b, jwt.SigningMethodHS256, []byte("not the service's key, 32 bytes long!"), claimsFor(newID(), "x", "operator"))
	post := func(client *http.Client, token string, body []byte) (int, error) {
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	const phase = 5 * time.Second
	measureB := func() (p50, p99 time.Duration) {
		client := &http.Client{Timeout: 30 * time.Second}
		var lat []time.Duration
		for end := time.Now().Add(phase); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
			start := time.Now()
			status, err := post(client, tokenB, shipB)
			if err != nil || status != http.StatusOK {
				b.Fatalf("B's ship: %d, %v", status, err)
			}
			lat = append(lat, time.Since(start))
		}
		slices.Sort(lat)
		return lat[len(lat)/2], lat[len(lat)*99/100]
	}
	// flood runs 32 clients sending body with token as fast as they can
	// while B is measured, and returns B's figures and the statuses counted.
	flood := func(token string, body []byte) (p50, p99 time.Duration, statuses map[int]int64) {
		ctx, cancel := context.WithCancel(context.Background())
		client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
		var mu sync.Mutex
		statuses = map[int]int64{}
		var wg sync.WaitGroup
		var errs atomic.Int64
		for range 32 {
			wg.Go(func() {
				for ctx.Err() == nil {
					status, err := post(client, token, body)
					if err != nil {
						errs.Add(1)
						continue
					}
					mu.Lock()
					statuses[status]++
					mu.Unlock()
				}
			})
		}
		time.Sleep(500 * time.Millisecond) // let the flood build up
		p50, p99 = measureB()
		cancel()
		wg.Wait()
		if errs.Load() > 0 {
			b.Logf("flood: %d transport errors", errs.Load())
		}
		return p50, p99, statuses
	}
	for range b.N {
		aloneP50, aloneP99 := measureB()
		refusedP50, refusedP99, refused := flood(badToken, shipA)
		floodP50, floodP99, fromA := flood(tokenA, shipA)
		secs := (phase + 500*time.Millisecond).Seconds()
		b.Logf("B alone: p50 %v p99 %v", aloneP50, aloneP99)
		b.Logf("B under a refused flood (%0.f/s answered 401): p50 %v p99 %v", float64(refused[http.StatusUnauthorized])/secs, refusedP50, refusedP99)
		b.Logf("B under A's shipStock flood (%0.f/s through, %0.f/s refused 429): p50 %v p99 %v; ratio to the refused flood %.2f",
			float64(fromA[http.StatusOK])/secs, float64(fromA[http.StatusTooManyRequests])/secs, floodP50, floodP99,
			float64(floodP99)/float64(refusedP99))
		b.ReportMetric(float64(aloneP99.Microseconds())/1000, "alone-p99-ms")
		b.ReportMetric(float64(refusedP99.Microseconds())/1000, "refused-flood-p99-ms")
		b.ReportMetric(float64(floodP99.Microseconds())/1000, "tenant-flood-p99-ms")
		b.ReportMetric(float64(floodP99)/float64(refusedP99), "ratio")
		b.ReportMetric(float64(fromA[http.StatusOK])/secs, "A-through/s")
	}
}
