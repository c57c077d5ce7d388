package httpserver

import (
	"context"
	"net/http"
	"strconv"

	"github.com/inventory-backbone/inventory/graph"
)

// RetryAfterUnavailable is the Retry-After, in seconds, of an answer that
// failed because the database could not be reached: long enough for a
// restart or a failover to make progress, short enough not to idle.
const RetryAfterUnavailable = 2

// markUnavailable records that the request failed, at least in part, because
// the database could not be reached.
func markUnavailable(ctx context.Context) {
	if info := requestInfoFrom(ctx); info != nil {
		info.unavailable.Store(true)
	}
}

// writeUnavailable answers 503 with Retry-After and one GraphQL error whose
// extensions.code is UNAVAILABLE.
func writeUnavailable(w http.ResponseWriter) {
	w.Header().Set("Retry-After", strconv.Itoa(RetryAfterUnavailable))
	writeGraphQLError(w, http.StatusServiceUnavailable, graph.CodeUnavailable,
		"the database is unavailable; retry later (with the same idempotency key)")
}

// answerUnavailable turns the status of a GraphQL answer into 503 with
// Retry-After when one of its errors was UNAVAILABLE, or else into 429 with
// Retry-After when a field was RATE_LIMITED (limitTenantWrites). gqlgen builds the whole
// answer, presenting every error, before it writes a byte, so the mark is
// set by the time the status goes out. A client retries the whole request;
// with idempotency keys that is safe even for the parts that succeeded.
func answerUnavailable(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := requestInfoFrom(r.Context())
		if info == nil || isWebSocketUpgrade(r) {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(&unavailableWriter{ResponseWriter: w, info: info}, r)
	})
}

type unavailableWriter struct {
	http.ResponseWriter
	info    *requestInfo
	started bool
}

func (u *unavailableWriter) WriteHeader(code int) {
	if !u.started {
		u.started = true
		switch {
		case code != http.StatusOK:
		case u.info.unavailable.Load():
			u.ResponseWriter.Header().Set("Retry-After", strconv.Itoa(RetryAfterUnavailable))
			code = http.StatusServiceUnavailable
		case u.info.rateLimited.Load():
			u.ResponseWriter.Header().Set("Retry-After", "1")
			code = http.StatusTooManyRequests
		}
	}
	u.ResponseWriter.WriteHeader(code)
}

func (u *unavailableWriter) Write(b []byte) (int, error) {
	if !u.started {
		u.WriteHeader(http.StatusOK)
	}
	return u.ResponseWriter.Write(b)
}

func (u *unavailableWriter) Unwrap() http.ResponseWriter { return u.ResponseWriter }
