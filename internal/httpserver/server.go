// Package httpserver is the service's HTTP edge: the routes, the middleware
// (request ids, request logs, CORS, authentication, body limits), GraphQL over
// HTTP and over WebSocket, sign-in's cookies and public mutations, Prometheus
// metrics and report downloads. New wires a Server the same way for the serve
// command and for the tests: the store, the accounts, the change-feed hub and
// the job runner (which delivers webhooks) behind the handler.
package httpserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/config"
	"github.com/inventory-backbone/inventory/internal/live"
	"github.com/inventory-backbone/inventory/internal/pg"
	"github.com/inventory-backbone/inventory/jobs"
	"github.com/inventory-backbone/inventory/tenancy"
)

// shutdownDeadline bounds how long Serve drains requests and jobs.
const shutdownDeadline = 30 * time.Second

// Options are what New builds a Server from.
type Options struct {
	// Config is the service's configuration, as config.FromEnv reads it.
	Config config.Config
	// App is the service's pool, whose sessions are subject to row-level
	// security: every query of the store runs on it.
	App *pgxpool.Pool
	// System is the pool of work across tenants (pg.SystemPool): the change
	// feed's reader and the jobs that list tenants. Requests never use it.
	System *pgxpool.Pool
	// Owner is the pool of the tables' owner: River's queues run on it.
	Owner *pgxpool.Pool
	// Migrator tells readiness whether migrations are pending.
	Migrator *pg.Migrator
	// Tokens is how tokens are signed and checked.
	Tokens tenancy.Config
	// Webhooks, when set, enables webhooks: the store manages endpoints and
	// the job runner delivers to them. serve always sets it.
	Webhooks *domain.WebhookConfig
	// Logger receives the request logs and errors.
	Logger *slog.Logger
	// Live tunes the change-feed hub; zero fields take the hub's defaults.
	Live live.Config
	// Timeouts bound slow clients; zero fields take DefaultTimeouts.
	Timeouts Timeouts
	// WithoutJobs leaves background work out: the store schedules no jobs
	// and no runner works them. Tests that need no background work set it;
	// serve never does.
	WithoutJobs bool
}

// Server is the service behind its HTTP handler: the store, the change-feed
// hub that live connections subscribe to, and the job runner. Start runs the
// hub and the runner; Stop ends them; Serve does both around an HTTP server.
type Server struct {
	// Store is the domain store every request acts through.
	Store *domain.Store
	// Hub fans committed changes out to this process's live connections.
	Hub *live.Hub
	// Accounts signs people in and manages members (people.go).
	Accounts *domain.Accounts

	handler  http.Handler
	runner   *jobs.Runner // nil WithoutJobs
	logger   *slog.Logger
	stopHub  context.CancelFunc
	hubDone  chan struct{}
	verifier *tenancy.Verifier
	keys     *tenancy.APIKeyVerifier // API keys: apikey.go
	people   *peopleEdge
	// documents are the GraphQL documents parsed and validated, by query
	// text: newDocumentCache.
	documents *lru.LRU[*ast.QueryDocument]
	// stopKeys ends the refresh of an identity provider's key set.
	stopKeys context.CancelFunc
	metrics  *metrics
	ready    func(context.Context) error
	timeouts Timeouts
	maxConns int
	limiter  *tenantLimiter
	// behindTLS adds Strict-Transport-Security (config.BehindTLS).
	behindTLS bool
}

// New wires a Server. Nothing runs until Start or Serve.
func New(opt Options) (*Server, error) {
	reg := prometheus.NewRegistry()
	m := newMetrics(reg)
	storeOpts := []domain.Option{domain.WithObserver(m), domain.WithSystemPool(opt.System)}
	if opt.Config.ImportMaxBytes > 0 {
		storeOpts = append(storeOpts, domain.WithImportMaxBytes(opt.Config.ImportMaxBytes))
	}
	if len(opt.Tokens.Key) > 0 {
		// Every process that shares the signing key reads the others' cursors.
		storeOpts = append(storeOpts, domain.WithCursorSecret(opt.Tokens.Key))
	}
	s := &Server{logger: opt.Logger, metrics: m, behindTLS: opt.Config.BehindTLS,
		timeouts: opt.Timeouts.orDefault(), maxConns: opt.Config.MaxConnections,
		limiter: newTenantLimiter(TenantLimits{Rate: opt.Config.TenantRate, Burst: opt.Config.TenantBurst, Writes: opt.Config.TenantWrites,
			WriteWait: opt.Config.TenantWriteWait})}
	if !opt.WithoutJobs {
		scheduler, err := jobs.NewScheduler(opt.Owner)
		if err != nil {
			return nil, err
		}
		storeOpts = append(storeOpts, domain.WithScheduler(scheduler))
	}
	if opt.Webhooks != nil {
		storeOpts = append(storeOpts, domain.WithWebhooks(*opt.Webhooks))
	}
	s.Store = domain.NewStore(opt.App, storeOpts...)
	if opt.Live.MaxConnectionsPerTenant == 0 {
		opt.Live.MaxConnectionsPerTenant = opt.Config.TenantLiveConnections
	}
	s.Hub = live.NewHub(s.Store, listenConnector(opt.Config.DatabaseURL), opt.Logger, opt.Live)
	if !opt.WithoutJobs {
		// River logs routine progress at info level, which would drown the
		// service's own lines.
		var err error
		s.runner, err = jobs.NewRunner(opt.Owner, s.Store, slog.New(quieter{opt.Logger.Handler(), slog.LevelWarn}),
			jobs.RunnerConfig{EventRetention: opt.Config.FeedRetention, ReportTTL: opt.Config.ReportTTL})
		if err != nil {
			return nil, err
		}
	}
	var err error
	if s.Accounts, err = NewAccounts(s.Store, opt.Config.People, opt.Tokens, opt.Logger); err != nil {
		return nil, err
	}
	s.documents = newDocumentCache()
	s.people = &peopleEdge{clientIPHeader: opt.Config.People.ClientIPHeader,
		secureCookies: secureCookies(opt.Config.People.PublicURL), documents: s.documents}
	keysCtx, stopKeys := context.WithCancel(context.Background())
	verifierOpts, err := verifierOptions(keysCtx, opt.Config.People, s.Accounts, opt.Logger)
	if err != nil {
		stopKeys()
		return nil, err
	}
	s.stopKeys = stopKeys
	s.verifier = tenancy.NewVerifier(opt.Tokens, s.Store.TenantExists, verifierOpts...)
	s.keys = newAPIKeyVerifier(s.Store)
	s.ready = readiness(opt.App, opt.Migrator)
	s.handler = s.routes(reg)
	return s, nil
}

// Handler is the service's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Start runs the hub and the job runner until Stop. ctx carries values
// only: its end does not stop them.
func (s *Server) Start(ctx context.Context) error {
	hubCtx, stopHub := context.WithCancel(context.WithoutCancel(ctx))
	s.stopHub, s.hubDone = stopHub, make(chan struct{})
	go func() {
		defer close(s.hubDone)
		if err := s.Hub.Run(hubCtx); err != nil {
			s.logger.Error("change feed stopped", "error", err.Error())
		}
	}()
	if s.runner != nil {
		if err := s.runner.Start(context.WithoutCancel(ctx)); err != nil {
			s.Stop(ctx)
			return fmt.Errorf("start jobs: %w", err)
		}
	}
	return nil
}

// Stop drains the job runner's running jobs, until ctx ends, then stops the
// hub, which ends every live connection saying why (1001, going away), so
// that clients reconnect elsewhere and resume.
func (s *Server) Stop(ctx context.Context) {
	if s.runner != nil {
		if err := s.runner.Stop(ctx); err != nil {
			s.logger.Error("stop jobs", "error", err.Error())
		}
	}
	if s.stopHub != nil {
		s.stopHub()
		<-s.hubDone
	}
	s.stopKeys()
}

// Serve runs the service on ln until ctx ends, then drains in-flight
// requests and jobs. It holds at most Config.MaxConnections connections at
// once and bounds each by the Timeouts.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if err := s.Start(ctx); err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), shutdownDeadline)
		defer cancel()
		s.Stop(sctx)
		// Live connections are not HTTP requests that Shutdown waits for;
		// Stop ended them: let their close frames go out before the process
		// exits.
		time.Sleep(100 * time.Millisecond)
	}()
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: s.timeouts.ReadHeader,
		ReadTimeout:       s.timeouts.Read,
		WriteTimeout:      s.timeouts.Write,
		IdleTimeout:       s.timeouts.Idle,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	s.logger.Info("serving", "addr", ln.Addr().String(), "graphql", "http://"+ln.Addr().String()+"/graphql")
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(limitConnections(ln, s.maxConns)) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.logger.Info("shutting down: draining in-flight requests and jobs")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownDeadline)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	s.logger.Info("stopped")
	return nil
}

// readiness reports whether the database answers and the migrations are
// current.
func readiness(app *pgxpool.Pool, migrator *pg.Migrator) func(context.Context) error {
	return func(ctx context.Context) error {
		if err := app.Ping(ctx); err != nil {
			return errors.New("database does not answer")
		}
		pending, err := migrator.Pending(ctx)
		if err != nil {
			return errors.New("cannot read migration state")
		}
		if pending {
			return errors.New("migrations are pending")
		}
		return nil
	}
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
