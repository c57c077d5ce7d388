package httpserver

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/graph"
	"github.com/inventory-backbone/inventory/internal/graphiql"
	"github.com/inventory-backbone/inventory/web"
)

// routes builds the HTTP handler. reg is where /metrics reads from.
func (s *Server) routes(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	gql := s.graphQLHandler()
	mux.Handle("/graphql", s.people.withExchange(limitBody(refuseMalformed(s.authenticate(s.limitTenantRate(answerUnavailable(withLoaders(s.Store, gql))))), s.uploadBytes())))
	mux.Handle("GET "+graph.ReportDownloadRoute, s.authenticate(http.HandlerFunc(s.downloadReport)))
	mux.HandleFunc("OPTIONS "+graph.ReportDownloadRoute, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent) // a browser's preflight; CORS headers come from requestContext
	})
	// The IDE, served from the binary under its page policy.
	ide := withPagePolicy(graphiQLPolicy, graphiql.Handler("/graphiql"))
	mux.Handle("GET /graphiql", ide)
	mux.Handle("GET /graphiql/", ide)
	// The console (web/) answers every other path: its files, and its page
	// for the app's routes. The pattern has no method on purpose: "GET /"
	// would conflict with the method-less "/graphql" and make the mux answer
	// 405 for any other method on any path; the console's handler answers
	// 405 itself, and 404 under the service's own prefixes.
	mux.Handle("/", web.Handler(web.Dist()))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := s.ready(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("not ready: " + err.Error() + "\n"))
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	return s.handOverLive(traced(s.requestContext(securityHeaders(s.behindTLS, mux))))
}

// withLoaders gives each GraphQL request its own dataloaders.
func withLoaders(store *domain.Store, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isWebSocketUpgrade(r) {
			// A live connection makes loaders of its own, that do not
			// remember, in connection_init (websocket.go).
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(graph.WithLoaders(r.Context(), store)))
	})
}
