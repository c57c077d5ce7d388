package httpserver_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/inventory-backbone/inventory/internal/pg"
	"github.com/inventory-backbone/inventory/internal/telemetry"
	"github.com/inventory-backbone/inventory/internal/testdb"
	"github.com/inventory-backbone/inventory/tenancy"
)

// TestTracesFollowARequest checks item 11 of issue 15: with tracing on, one
// request makes one trace from its HTTP span through the GraphQL operation
// and field to each SQL statement, and its log line carries the trace id.
func TestTracesFollowARequest(t *testing.T) {
	exporter := tracetest.NewInMemoryExporter()
	restore := telemetry.Install(sdktrace.NewTracerProvider(sdktrace.WithSyncer(exporter)))
	t.Cleanup(restore)

	db := testdb.Get(t)
	pool, err := pg.AppPool(context.Background(), db.URL, 4) // opened with tracing on: statements are traced
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	var logs lockedBuffer
	s := newTestServerWith(t, serverOptions{pool: pool, logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "alice", tenancy.Admin)
	s.catalogue(t, admin, "SKU-T", "A")
	exporter.Reset()
	before := len(logs.String())

	s.mustData(t, admin, `query Traced { items(first: 1) { nodes { id } } }`, nil, nil)
	spans := exporter.GetSpans()
	byName := map[string]tracetest.SpanStub{}
	for _, sp := range spans {
		byName[sp.Name] = sp
	}
	root, ok := byName["POST /graphql"]
	if !ok {
		t.Fatalf("no HTTP span named after the route; spans: %v", names(spans))
	}
	trace := root.SpanContext.TraceID()
	var sql int
	for _, want := range []string{"graphql Traced", "query.items"} {
		sp, ok := byName[want]
		if !ok || sp.SpanContext.TraceID() != trace {
			t.Errorf("span %q missing or in another trace; spans: %v", want, names(spans))
		}
	}
	field := byName["query.items"].SpanContext.SpanID()
	for _, sp := range spans {
		if sp.SpanContext.TraceID() == trace && sp.Parent.SpanID() == field && strings.Contains(strings.ToLower(sp.Name), "select") {
			sql++
		}
	}
	t.Logf("%d spans in the trace, %d SQL statements under the field: %v", len(spans), sql, names(spans))
	if sql == 0 {
		t.Errorf("no SQL span under the field's span; spans: %v", names(spans))
	}
	var line struct {
		TraceID string `json:"trace_id"`
	}
	for _, l := range strings.Split(strings.TrimSpace(logs.String()[before:]), "\n") {
		if strings.Contains(l, `"msg":"request"`) {
			_ = json.Unmarshal([]byte(l), &line)
		}
	}
	if line.TraceID != trace.String() {
		t.Errorf("the request's log line has trace_id %q, want %s", line.TraceID, trace)
	}
}

func names(spans tracetest.SpanStubs) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Name)
	}
	return out
}
