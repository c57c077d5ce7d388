// Package telemetry sets up OpenTelemetry tracing: spans from the HTTP
// request through GraphQL to each SQL statement, exported over OTLP (HTTP)
// when OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is
// set, and off otherwise. The exporter reads the standard OTEL_* variables
// (headers, protocol details, timeouts); OTEL_SERVICE_NAME names the service
// (default inventory).
package telemetry

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/exaring/otelpgx"
	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
)

// enabled says whether Setup installed an exporting tracer provider.
var enabled atomic.Bool

// Enabled reports whether traces are exported; without them, the service
// adds no tracer to its database pools.
func Enabled() bool { return enabled.Load() }

// Setup installs the global tracer provider and the W3C trace-context
// propagator when getenv names an OTLP endpoint, and does nothing otherwise.
// Shutdown flushes the spans still buffered.
func Setup(ctx context.Context, getenv func(string) string) (shutdown func(context.Context) error, err error) {
	if getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "" && getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == "" {
		return func(context.Context) error { return nil }, nil
	}
	exporter, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("OTLP trace exporter: %w", err)
	}
	name := getenv("OTEL_SERVICE_NAME")
	if name == "" {
		name = "inventory"
	}
	res, err := resource.Merge(resource.Default(), resource.NewWithAttributes(semconv.SchemaURL, semconv.ServiceName(name)))
	if err != nil {
		return nil, fmt.Errorf("trace resource: %w", err)
	}
	Install(sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter), sdktrace.WithResource(res)))
	return func(ctx context.Context) error {
		enabled.Store(false)
		return otel.GetTracerProvider().(*sdktrace.TracerProvider).Shutdown(ctx)
	}, nil
}

// Install makes tp the global tracer provider, with the W3C trace-context
// propagator, and turns the database tracer on for pools opened from now.
// Setup calls it; tests call it with an in-memory exporter, and restore
// what was before with the function it returns.
func Install(tp *sdktrace.TracerProvider) (restore func()) {
	prevProvider, prevPropagator, prevEnabled := otel.GetTracerProvider(), otel.GetTextMapPropagator(), enabled.Load()
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	enabled.Store(true)
	return func() {
		otel.SetTracerProvider(prevProvider)
		otel.SetTextMapPropagator(prevPropagator)
		enabled.Store(prevEnabled)
	}
}

// PgxTracer is the tracer a pool's connections report each SQL statement to
// (otelpgx), as a child span of the request that runs it. Statements are
// recorded without their parameters.
func PgxTracer() pgx.QueryTracer {
	return otelpgx.NewTracer(otelpgx.WithTrimSQLInSpanName(), otelpgx.WithDisableConnectionDetailsInAttributes())
}
