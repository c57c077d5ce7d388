package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/graph"
	"github.com/inventory-backbone/inventory/internal/pg"
	"github.com/inventory-backbone/inventory/jobs"
	"github.com/inventory-backbone/inventory/live"
	"github.com/inventory-backbone/inventory/tenancy"
	"github.com/inventory-backbone/inventory/web"
)

// Limits on what one request may ask for.
const (
	maxBodyBytes     = 512 << 10 // a request body
	maxParserTokens  = 5_000     // tokens in one query document
	maxDepth         = 12        // nesting of selections
	maxComplexity    = 5_000     // cost, per the schema's cost model
	maxFields        = 500       // fields in one selection set (each alias counts)
	shutdownDeadline = 30 * time.Second
)

// serve runs the HTTP service until ctx ends, then drains in-flight requests.
func serve(ctx context.Context, cfg config, logger *slog.Logger) error {
	reg := prometheus.NewRegistry()
	m := newMetrics(reg)
	env, err := open(ctx, cfg, logger, domain.WithObserver(m))
	if err != nil {
		return err
	}
	defer env.close()
	tc, err := tokenConfig(ctx, cfg, env, logger)
	if err != nil {
		return err
	}
	hub := live.NewHub(env.store, listenConnector(cfg.DatabaseURL), logger, live.Config{Retention: cfg.FeedRetention})
	hubCtx, stopHub := context.WithCancel(context.WithoutCancel(ctx))
	hubDone := make(chan struct{})
	go func() {
		defer close(hubDone)
		if err := hub.Run(hubCtx); err != nil {
			logger.Error("change feed stopped", "error", err.Error())
		}
	}()
	defer func() {
		// Live connections are not HTTP requests that Shutdown waits for:
		// end them, saying why, so clients reconnect elsewhere and resume.
		stopHub()
		<-hubDone
		time.Sleep(100 * time.Millisecond) // let the close frames go out
	}()
	app := &app{
		hub:      hub,
		store:    env.store,
		verifier: tenancy.NewVerifier(tc, env.store.TenantExists),
		logger:   logger,
		metrics:  m,
		ready:    readiness(env),
	}
	srv := &http.Server{
		Addr:              cfg.Addr,
		Handler:           app.routes(reg),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	runner, err := jobs.NewRunner(env.owner, env.store, slog.New(quieter{logger.Handler(), slog.LevelWarn}),
		jobs.RunnerConfig{EventRetention: cfg.FeedRetention, ReportTTL: cfg.ReportTTL})
	if err != nil {
		return err
	}
	if err := runner.Start(context.WithoutCancel(ctx)); err != nil { // Stop, below, drains it
		return fmt.Errorf("start jobs: %w", err)
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), shutdownDeadline)
		defer cancel()
		if err := runner.Stop(sctx); err != nil {
			logger.Error("stop jobs", "error", err.Error())
		}
	}()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (set INVENTORY_ADDR to use another address): %w", cfg.Addr, err)
	}
	logger.Info("serving", "addr", ln.Addr().String(), "graphql", "http://"+ln.Addr().String()+"/graphql")
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: draining in-flight requests and jobs")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownDeadline)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("stopped")
	return nil
}

// app is the HTTP side of the service.
type app struct {
	hub      *live.Hub
	store    *domain.Store
	verifier *tenancy.Verifier
	logger   *slog.Logger
	metrics  *metrics
	ready    func(context.Context) error
}

// routes builds the HTTP handler. reg is where /metrics reads from.
func (a *app) routes(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	gql := a.graphQLHandler()
	mux.Handle("/graphql", limitBody(a.authenticate(withLoaders(a.store, gql))))
	mux.Handle("GET /reports/{id}/download", a.authenticate(http.HandlerFunc(a.downloadReport)))
	mux.HandleFunc("OPTIONS /reports/{id}/download", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent) // a browser's preflight; CORS headers come from requestContext
	})
	mux.Handle("GET /graphiql", playground.Handler("Inventory", "/graphql"))
	mux.Handle("/", web.Handler(web.Dist())) // the console (web/); any other path under it is the app's
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := a.ready(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("not ready: " + err.Error() + "\n"))
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	return a.requestContext(mux)
}

// graphQLHandler assembles gqlgen's server with the transports and the limits
// that protect it.
func (a *app) graphQLHandler() http.Handler {
	srv := handler.New(graph.NewSchema(&graph.Resolver{Store: a.store, Hub: a.hub}))
	srv.AddTransport(a.websocketTransport())
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(maxParserTokens)
	srv.Use(extension.Introspection{})
	srv.Use(graph.SelectionLimit{MaxFields: maxFields, MaxTokens: maxParserTokens})
	srv.Use(graph.DepthLimit(maxDepth))
	srv.Use(extension.FixedComplexityLimit(maxComplexity))
	srv.SetErrorPresenter(graph.ErrorPresenter(func(ctx context.Context, err error) {
		a.logger.ErrorContext(ctx, "internal error", "request_id", requestIDFrom(ctx), "error", err.Error())
	}))
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		a.logger.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p), "request_id", requestIDFrom(ctx))
		return errors.New("internal error")
	})
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		if info := requestInfoFrom(ctx); info != nil {
			info.setOperation(operationName(graphql.GetOperationContext(ctx)))
		}
		return next(ctx)
	})
	srv.AroundRootFields(func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		fc := graphql.GetRootFieldContext(ctx)
		start := time.Now()
		res := next(ctx)
		name := string(graphql.GetOperationContext(ctx).Operation.Operation) + "." + fc.Field.Name
		a.metrics.observeField(name, time.Since(start), len(graphql.GetFieldErrors(ctx, graphql.GetFieldContext(ctx))) > 0)
		return res
	})
	return srv
}

// operationName names an operation for the log: the client's operation name,
// or else its kind and first root fields (e.g. "mutation shipStock").
func operationName(oc *graphql.OperationContext) string {
	if oc.OperationName != "" {
		return oc.OperationName
	}
	if oc.Operation == nil {
		return ""
	}
	if oc.Operation.Name != "" {
		return oc.Operation.Name
	}
	name := string(oc.Operation.Operation)
	for i, sel := range oc.Operation.SelectionSet {
		if i == 3 {
			return name + " …"
		}
		if f, ok := sel.(*ast.Field); ok {
			name += " " + f.Name
		}
	}
	return name
}

// readiness reports whether the database answers and the migrations are
// current.
func readiness(env *environment) func(context.Context) error {
	return func(ctx context.Context) error {
		if err := env.app.Ping(ctx); err != nil {
			return errors.New("database does not answer")
		}
		pending, err := env.migrator.Pending(ctx)
		if err != nil {
			return errors.New("cannot read migration state")
		}
		if pending {
			return errors.New("migrations are pending")
		}
		return nil
	}
}

func withLoaders(store *domain.Store, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(graph.WithLoaders(r.Context(), store)))
	})
}

// ListenApplicationName is the application_name of the connection a hub
// LISTENs on, as pg_stat_activity shows it.
const ListenApplicationName = "inventory-listen"

// listenConnector opens the connection a hub LISTENs on.
func listenConnector(url string) func(ctx context.Context) (*pgx.Conn, error) {
	return func(ctx context.Context) (*pgx.Conn, error) {
		cfg, err := pg.ParseConfig(url)
		if err != nil {
			return nil, err
		}
		cfg.RuntimeParams["application_name"] = ListenApplicationName
		return pgx.ConnectConfig(ctx, cfg)
	}
}
