package httpserver

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/inventory-backbone/inventory/domain"
)

// metrics are the service's Prometheus metrics. Labels come only from the
// schema and the routes, never from client input, so their number is bounded.
type metrics struct {
	httpRequests *prometheus.HistogramVec
	fields       *prometheus.HistogramVec
	fieldErrors  *prometheus.CounterVec
	operations   *prometheus.CounterVec
	movements    *prometheus.CounterVec
	groups       prometheus.Histogram
	audits       prometheus.Counter
	drift        prometheus.Gauge

	driftMu       sync.Mutex
	driftByTenant map[string]int
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		httpRequests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "inventory_http_request_duration_seconds",
			Help:    "HTTP requests by route and status code, and how long they took.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "code"}),
		fields: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "inventory_graphql_operation_duration_seconds",
			Help:    "GraphQL root fields (queries and mutations) by name, and how long they took.",
			Buckets: prometheus.DefBuckets,
		}, []string{"operation"}),
		fieldErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inventory_graphql_operation_errors_total",
			Help: "GraphQL root fields that ended in a top-level error, by name.",
		}, []string{"operation"}),
		operations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inventory_stock_operations_total",
			Help: "Committed stock operations, by operation.",
		}, []string{"operation"}),
		movements: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inventory_stock_movements_total",
			Help: "Stock movements written to the ledger, by kind.",
		}, []string{"kind"}),
	}
	m.groups = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "inventory_group_commit_movements",
		Help:    "Movements per group commit: how many movements the stock operations that shared one transaction wrote.",
		Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256, 512},
	})
	m.audits = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "inventory_ledger_audits_total",
		Help: "Ledger audits finished (one per tenant per run).",
	})
	m.drift = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "inventory_ledger_drift_levels",
		Help: "Levels whose projection disagreed with the ledger at the last audit of their tenant, summed over tenants audited by this process. Must be 0.",
	})
	reg.MustRegister(m.httpRequests, m.fields, m.fieldErrors, m.operations, m.movements, m.groups, m.audits, m.drift,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// StockChanged counts a committed change: it implements domain.Observer.
func (m *metrics) StockChanged(c *domain.StockChange) {
	m.operations.WithLabelValues(c.Operation).Inc()
	for _, mv := range c.Movements {
		m.movements.WithLabelValues(string(mv.Kind)).Inc()
	}
}

// GroupCommitted records the size of a group commit: it implements
// domain.GroupObserver.
func (m *metrics) GroupCommitted(_, movements int) {
	m.groups.Observe(float64(movements))
}

// observeHTTP counts a request under its route: the ServeMux pattern it
// matched, without its method (e.g. "/reports/{id}/download"), "/" for the
// IDE, and "other" when no route matched.
func (m *metrics) observeHTTP(pattern string, status int, d time.Duration) {
	m.httpRequests.WithLabelValues(routeLabel(pattern), strconv.Itoa(status)).Observe(d.Seconds())
}

// routeLabel turns a ServeMux pattern into a route label.
func routeLabel(pattern string) string {
	if _, path, ok := strings.Cut(pattern, " "); ok {
		pattern = path
	}
	switch pattern {
	case "":
		return "other"
	case "/{$}":
		return "/"
	}
	return pattern
}

func (m *metrics) observeField(name string, d time.Duration, failed bool) {
	m.fields.WithLabelValues(name).Observe(d.Seconds())
	if failed {
		m.fieldErrors.WithLabelValues(name).Inc()
	}
}

// LedgerAudited records an audit: it implements domain.AuditObserver.
func (m *metrics) LedgerAudited(r *domain.AuditResult) {
	m.audits.Inc()
	m.driftMu.Lock()
	defer m.driftMu.Unlock()
	if m.driftByTenant == nil {
		m.driftByTenant = map[string]int{}
	}
	m.driftByTenant[r.TenantID] = len(r.Drifts)
	total := 0
	for _, n := range m.driftByTenant {
		total += n
	}
	m.drift.Set(float64(total))
}
