package httpserver

import (
	"context"
	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/inventory-backbone/inventory/internal/telemetry"
)

// tracer is the tracer of the HTTP edge and GraphQL spans; it is the global
// provider's, a no-op unless telemetry.Setup installed an exporter.
func tracer() trace.Tracer {
	return otel.Tracer("github.com/inventory-backbone/inventory/internal/httpserver")
}

// traced starts a server span for each request (otelhttp), continuing a
// trace the caller propagated with traceparent; health, readiness and
// metrics requests are not traced. While tracing is off (telemetry.Enabled:
// no exporter, so the global provider makes no-op spans and the global
// propagator reads no traceparent), requests skip otelhttp altogether: its
// span would be a no-op with no trace id, and its attributes, wrappers and
// metrics cost some 10 µs of CPU per request for nothing (BenchmarkEdge).
// The check is made per request, so a provider installed later (as
// telemetry.Install does in tests) is used from its first request.
func traced(next http.Handler) http.Handler {
	withSpan := otelhttp.NewHandler(next, "http",
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return r.Method }),
		otelhttp.WithFilter(func(r *http.Request) bool {
			switch r.URL.Path {
			case "/healthz", "/readyz", "/metrics":
				return false
			}
			return true
		}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !telemetry.Enabled() {
			next.ServeHTTP(w, r)
			return
		}
		withSpan.ServeHTTP(w, r)
	})
}

// startSpan starts a span of the GraphQL layer when tracing is on, and
// otherwise returns ctx and a no-op span without asking the global provider
// (whose spans would be no-ops too).
func startSpan(ctx context.Context, name string) (context.Context, trace.Span) {
	if !telemetry.Enabled() {
		return ctx, noopSpan
	}
	return tracer().Start(ctx, name)
}

// noopSpan is the span startSpan returns while tracing is off.
var noopSpan = noop.Span{}

// nameSpan names the request's span by its route, once the mux has matched
// one, and returns the trace id the request log line carries ("" when the
// request is not traced).
func nameSpan(ctx context.Context, method, pattern string) string {
	span := trace.SpanFromContext(ctx)
	sc := span.SpanContext()
	if !sc.IsValid() {
		return ""
	}
	if pattern != "" {
		span.SetName(method + " " + pattern)
	}
	return sc.TraceID().String()
}
