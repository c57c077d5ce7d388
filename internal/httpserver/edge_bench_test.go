package httpserver_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// BenchmarkEdge measures the CPU that the HTTP edge adds to one shipStock of
// one unit: the middleware chain, the request checks, JSON, GraphQL parsing,
// validation and limits, the token check, tracing, metrics and the request
// log. One client ships at a time, so every ship is a group of one and the
// database part of each is the same; domain calls Store.Ship directly, and
// handler sends the same ship through the service's whole handler in this
// process (no network, no HTTP client), as a request a client would send.
//
// go-µs/op is the CPU of the whole process, which the database part (the
// committer, pgx, the live hub) dominates and a shared machine makes noisy.
// caller-µs/op is the CPU of the thread the client's goroutine is locked to
// while it runs one ship: for handler, the whole edge and the resolver,
// until the ship waits for its group's commit, whose work runs on the
// committer's goroutine; for domain, Store.Ship's own part of that. The
// edge's share is handler's caller-µs/op less domain's; allocs/op (for the
// whole process, and stable from run to run) shows the garbage it adds.
//
// Run it with: go test -run '^$' -bench BenchmarkEdge -benchtime 3s -count 6 ./internal/httpserver
// and profile the edge with -cpuprofile cpu.out and go tool pprof -top.
func BenchmarkEdge(b *testing.B) {
	s := newTestServerWith(b, serverOptions{config: withoutTenantLimits})
	for _, c := range []struct {
		name string
		ship shipFunc
	}{
		{"domain", shipDomain(s.store)},
		{"handler", shipInProcess(s)},
	} {
		b.Run(c.name, func(b *testing.B) { benchShipSerial(b, s, c.ship) })
	}
}

// shipInProcess ships through the service's handler called in this process,
// and accepts only an answer with one movement and no error. It checks the
// answer by its bytes, so that the client's own work stays small next to the
// service's.
func shipInProcess(s *testServer) shipFunc {
	h := s.server.Handler()
	return func(ctx context.Context, f *shipFixture, item int) error {
		r := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", bytes.NewReader(f.bodies[item]))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", f.token)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		body := w.Body.Bytes()
		if w.Code != http.StatusOK || bytes.Contains(body, []byte(`"errors"`)) ||
			!bytes.Contains(body, []byte(`"userErrors":[]`)) || bytes.Count(body, []byte(`"id"`)) != 1 {
			return fmt.Errorf("status %d, body %q", w.Code, body)
		}
		return nil
	}
}

// benchShipSerial ships one unit at a time, uniformly over the items of a
// fixture of its own, reports ships per second and the CPU per ship, and
// checks the ledger afterwards as benchShip does.
func benchShipSerial(b *testing.B, s *testServer, ship shipFunc) {
	b.StopTimer()
	f := fixtureFor(b, s, "uniform")
	ctx := context.Background()
	// A few ships first, so that statement caches and the verified token
	// are warm, as in a service that has been running.
	for i := range 20 {
		if err := ship(ctx, f, i%len(f.items)); err != nil {
			b.Fatal(err)
		}
		f.shipped++
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var caller time.Duration
	b.ReportAllocs()
	cpu := startCPU(b, s)
	b.ResetTimer()
	b.StartTimer()
	for i := 0; b.Loop(); i++ {
		start := threadCPU(b)
		err := ship(ctx, f, i%len(f.items))
		caller += threadCPU(b) - start
		if err != nil {
			b.Fatal(err)
		}
		f.shipped++
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ships/s")
	b.ReportMetric(float64(caller.Nanoseconds())/1000/float64(b.N), "caller-µs/op")
	cpu.report(b, b.N)
	checkShipped(b, s, f)
}

// threadCPU is the CPU time the calling thread has used (Linux's
// CLOCK_THREAD_CPUTIME_ID); the caller locks its goroutine to the thread.
func threadCPU(b *testing.B) time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ts.Nano())
}
