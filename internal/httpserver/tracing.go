package httpserver

import (
	"context"
	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"
)

// tracer is the tracer of the HTTP edge and GraphQL spans; it is the global
// provider's, a no-op unless telemetry.Setup installed an exporter.
func tracer() trace.Tracer {
	return otel.Tracer("github.com/inventory-backbone/inventory/internal/httpserver")
}

// traced starts a server span for each request (otelhttp), continuing a
// trace the caller propagated with traceparent; health, readiness and
// metrics requests are not traced.
func traced(next http.Handler) http.Handler {
	return otelhttp.NewHandler(next, "http",
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return r.Method }),
		otelhttp.WithFilter(func(r *http.Request) bool {
			switch r.URL.Path {
			case "/healthz", "/readyz", "/metrics":
				return false
			}
			return true
		}))
}

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
