package httpserver

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"golang.org/x/time/rate"

	"github.com/inventory-backbone/inventory/tenancy"
)

// CodeRateLimited is the extensions.code of a request or field refused for
// its tenant's rate or concurrency.
const CodeRateLimited = "RATE_LIMITED"

// TenantLimits are one process's limits per tenant. With several processes
// behind a load balancer, each applies its own: set them to the tenant's
// share divided by the number of processes.
type TenantLimits struct {
	// Rate is the sustained requests per second a tenant may make; zero
	// means no limit. Burst is how many may come at once.
	Rate  float64
	Burst int
	// Writes is how many mutations of a tenant may run at once; zero means
	// no limit. A mutation past it waits up to WriteWait for one to end
	// (holding no database connection), and is refused after.
	Writes    int
	WriteWait time.Duration
}

// tenantLimiter keeps each tenant's token bucket (golang.org/x/time/rate)
// and count of running writes.
type tenantLimiter struct {
	limits TenantLimits

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
	writes  map[string]chan struct{} // a semaphore per tenant, of Writes slots
}

func newTenantLimiter(l TenantLimits) *tenantLimiter {
	return &tenantLimiter{limits: l, buckets: map[string]*rate.Limiter{}, writes: map[string]chan struct{}{}}
}

// allow takes one request from the tenant's bucket. When the bucket is empty
// it takes nothing and says how long until it holds one again.
func (t *tenantLimiter) allow(tenant string) (ok bool, retryAfter time.Duration) {
	if t.limits.Rate <= 0 {
		return true, 0
	}
	t.mu.Lock()
	b := t.buckets[tenant]
	if b == nil {
		if len(t.buckets) >= 100_000 {
			clear(t.buckets) // forgets who was busy; bounds memory against many tenants
		}
		b = rate.NewLimiter(rate.Limit(t.limits.Rate), max(t.limits.Burst, 1))
		t.buckets[tenant] = b
	}
	t.mu.Unlock()
	now := time.Now()
	r := b.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// startWrite takes one of the tenant's Writes slots, waiting up to
// WriteWait for one to free, and returns how to give it back; ok is false
// when none freed in time or ctx ended.
func (t *tenantLimiter) startWrite(ctx context.Context, tenant string) (release func(), ok bool) {
	if t.limits.Writes <= 0 {
		return func() {}, true
	}
	t.mu.Lock()
	slots := t.writes[tenant]
	if slots == nil {
		if len(t.writes) >= 100_000 {
			clear(t.writes) // running writes give back to the channel they took from
		}
		slots = make(chan struct{}, t.limits.Writes)
		t.writes[tenant] = slots
	}
	t.mu.Unlock()
	release = func() { <-slots }
	select {
	case slots <- struct{}{}:
		return release, true
	default:
	}
	timer := time.NewTimer(t.limits.WriteWait)
	defer timer.Stop()
	select {
	case slots <- struct{}{}:
		return release, true
	case <-timer.C:
		return nil, false
	case <-ctx.Done():
		return nil, false
	}
}

// retrySeconds renders a wait as a Retry-After value: whole seconds, at
// least 1.
func retrySeconds(d time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(d.Seconds()))))
}

// limitTenantRate refuses, with HTTP 429, Retry-After and RATE_LIMITED, a
// request whose tenant has used up its rate. It runs after authenticate: a
// request without a valid token never reaches a tenant's bucket.
func (s *Server) limitTenantRate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := tenancy.FromContext(r.Context())
		if !ok {
			next.ServeHTTP(w, r) // a WebSocket: it authenticates in connection_init
			return
		}
		if ok, wait := s.limiter.allow(p.TenantID); !ok {
			w.Header().Set("Retry-After", retrySeconds(wait))
			writeGraphQLError(w, http.StatusTooManyRequests, CodeRateLimited,
				"too many requests for this tenant; retry after the number of seconds in Retry-After")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// limitTenantWrites is gqlgen root-field middleware: a mutation runs only
// while its tenant has fewer than TenantLimits.Writes mutations running in
// this process. Past that it waits up to WriteWait, then fails with
// RATE_LIMITED, and the answer is HTTP 429 with Retry-After: one tenant's
// flood waits in its own queue and cannot hold every database connection.
func (s *Server) limitTenantWrites(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	oc := graphql.GetOperationContext(ctx)
	p, ok := tenancy.FromContext(ctx)
	if !ok || oc.Operation == nil || oc.Operation.Operation != ast.Mutation {
		return next(ctx)
	}
	release, ok := s.limiter.startWrite(ctx, p.TenantID)
	if !ok {
		if info := requestInfoFrom(ctx); info != nil {
			info.rateLimited.Store(true)
		}
		path := ast.Path{ast.PathName(graphql.GetRootFieldContext(ctx).Field.Alias)}
		err := gqlerror.ErrorPathf(path, "too many operations of this tenant are running; retry after the number of seconds in Retry-After")
		err.Extensions = map[string]any{"code": CodeRateLimited}
		graphql.AddError(ctx, err)
		return graphql.Null
	}
	defer release()
	return next(ctx)
}
