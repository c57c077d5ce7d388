// Command inventory is the inventory backbone: a multi-tenant GraphQL service
// that keeps stock as an append-only ledger of movements.
//
//	inventory [serve]                    serve HTTP (the default)
//	inventory migrate                    apply pending migrations and exit
//	inventory tenant create --name NAME  create a tenant; print its id
//	inventory token --tenant ID --sub SUBJECT --roles admin,operator --ttl 24h
//	                                     print a signed access token
//
// Configuration is by environment: inventory help lists every variable.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/config"
	"github.com/inventory-backbone/inventory/internal/httpserver"
	"github.com/inventory-backbone/inventory/internal/pg"
	"github.com/inventory-backbone/inventory/internal/telemetry"
	"github.com/inventory-backbone/inventory/jobs"
	"github.com/inventory-backbone/inventory/tenancy"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "inventory:", err)
		os.Exit(1)
	}
}

// usage is printed for -h and for an unknown command.
const usage = `usage:
  inventory [serve]                      serve HTTP until SIGINT/SIGTERM
  inventory migrate                      apply pending migrations and exit
  inventory tenant create --name NAME    create a tenant and print its id
  inventory token --tenant ID --sub SUBJECT --roles admin,operator [--ttl 24h]
                                         print a signed access token
  inventory help                         print this, and every environment variable`

// run dispatches the command line. It writes results to stdout and logs to
// stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, usage)
		config.WriteHelp(stdout)
		return nil
	}
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	level := cfg.LogLevel
	if cmd != "serve" && level < slog.LevelWarn {
		level = slog.LevelWarn // one-shot commands print their result, not progress
	}
	logger := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level}))
	switch cmd {
	case "serve":
		return serve(ctx, cfg, logger)
	case "migrate":
		env, err := open(ctx, cfg, logger)
		if err != nil {
			return err
		}
		defer env.close()
		return nil
	case "tenant":
		return tenantCommand(ctx, cfg, logger, args, stdout)
	case "token":
		return tokenCommand(ctx, cfg, logger, args, stdout)
	}
	return fmt.Errorf("unknown command %q\n%s", cmd, usage)
}

// serve runs the HTTP service until ctx ends, then drains in-flight requests
// and jobs.
func serve(ctx context.Context, cfg config.Config, logger *slog.Logger) error {
	shutdownTracing, err := telemetry.Setup(ctx, os.Getenv)
	if err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := shutdownTracing(sctx); err != nil {
			logger.Warn("flush traces", "error", err.Error())
		}
	}()
	env, err := open(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer env.close()
	tc, err := tokenConfig(ctx, cfg, env, logger)
	if err != nil {
		return err
	}
	srv, err := httpserver.New(httpserver.Options{
		Config:   cfg,
		App:      env.app,
		System:   env.system,
		Owner:    env.owner,
		Migrator: env.migrator,
		Tokens:   tc,
		Logger:   logger,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (set INVENTORY_ADDR to use another address): %w", cfg.Addr, err)
	}
	return srv.Serve(ctx, ln)
}

// environment is what every command needs: a migrated database, the owner
// pool and the service pool.
type environment struct {
	owner    *pgxpool.Pool
	app      *pgxpool.Pool
	system   *pgxpool.Pool
	migrator *pg.Migrator
	store    *domain.Store
}

func (e *environment) close() {
	if e.migrator != nil {
		e.migrator.Close()
	}
	if e.app != nil {
		e.app.Close()
	}
	if e.system != nil {
		e.system.Close()
	}
	if e.owner != nil {
		e.owner.Close()
	}
}

// open creates the database if needed, applies pending migrations, and opens
// the pools. A database that does not answer is one clear error, not retries.
func open(ctx context.Context, cfg config.Config, logger *slog.Logger) (*environment, error) {
	if err := pg.EnsureDatabase(ctx, cfg.DatabaseURL); err != nil {
		return nil, err
	}
	env := &environment{}
	var err error
	if env.owner, err = pg.OwnerPool(ctx, cfg.DatabaseURL); err != nil {
		return nil, err
	}
	if env.migrator, err = pg.NewMigrator(env.owner, nil); err != nil {
		env.close()
		return nil, err
	}
	n, err := env.migrator.Up(ctx)
	if err != nil {
		env.close()
		return nil, err
	}
	logger.Info("migrations applied", "applied", n)
	if env.app, err = pg.AppPool(ctx, cfg.DatabaseURL, cfg.MaxConns); err != nil {
		env.close()
		return nil, err
	}
	if env.system, err = pg.SystemPool(ctx, cfg.DatabaseURL, pg.SystemPoolSize); err != nil {
		env.close()
		return nil, err
	}
	scheduler, err := jobs.NewScheduler(env.owner)
	if err != nil {
		env.close()
		return nil, err
	}
	env.store = domain.NewStore(env.app, domain.WithScheduler(scheduler), domain.WithSystemPool(env.system))
	return env, nil
}

func tenantCommand(ctx context.Context, cfg config.Config, logger *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("usage: inventory tenant create --name NAME")
	}
	fs := flag.NewFlagSet("tenant create", flag.ContinueOnError)
	name := fs.String("name", "", "the tenant's name")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" {
		return errors.New("tenant create: --name is required")
	}
	env, err := open(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer env.close()
	t, err := env.store.CreateTenant(ctx, *name)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, t.ID)
	return nil
}

func tokenCommand(ctx context.Context, cfg config.Config, logger *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	tenant := fs.String("tenant", "", "the tenant's id, as printed by tenant create")
	sub := fs.String("sub", "", "who acts: recorded as the actor of every change")
	roleList := fs.String("roles", "", "comma-separated: viewer, operator, admin")
	ttl := fs.Duration("ttl", 24*time.Hour, "how long the token is valid")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *tenant == "" || strings.TrimSpace(*sub) == "" || *roleList == "" {
		return errors.New("token: --tenant, --sub and --roles are required")
	}
	var roles []tenancy.Role
	for _, name := range strings.Split(*roleList, ",") {
		r, err := tenancy.ParseRole(strings.TrimSpace(name))
		if err != nil {
			return fmt.Errorf("token: %w", err)
		}
		roles = append(roles, r)
	}
	env, err := open(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer env.close()
	ok, err := env.store.TenantExists(ctx, *tenant)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("token: no tenant has id %q", *tenant)
	}
	tc, err := tokenConfig(ctx, cfg, env, logger)
	if err != nil {
		return err
	}
	token, err := tenancy.Mint(tc, *tenant, *sub, roles, *ttl)
	if err != nil {
		return fmt.Errorf("token: %w", err)
	}
	fmt.Fprintln(stdout, token)
	return nil
}

// devKeyName names the development signing key in service_secrets.
const devKeyName = "jwt_dev_key"

// tokenConfig returns how tokens are signed and checked. Without
// INVENTORY_JWT_SECRET it uses a random development key, generated once and
// kept in the database so that serve and token agree, and warns.
func tokenConfig(ctx context.Context, cfg config.Config, env *environment, logger *slog.Logger) (tenancy.Config, error) {
	tc := tenancy.Config{Key: []byte(cfg.JWTSecret), Issuer: cfg.JWTIssuer, Audience: cfg.JWTAudience}
	if cfg.JWTSecret != "" {
		return tc, nil
	}
	logger.Warn("INVENTORY_JWT_SECRET is unset: using a development signing key kept in the database; set it in production")
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return tc, fmt.Errorf("generate development key: %w", err)
	}
	_, err := env.owner.Exec(ctx, `INSERT INTO service_secrets (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING`, devKeyName, fresh)
	if err != nil {
		return tc, fmt.Errorf("store development key: %w", err)
	}
	err = env.owner.QueryRow(ctx, `SELECT value FROM service_secrets WHERE name = $1`, devKeyName).Scan(&tc.Key)
	if errors.Is(err, pgx.ErrNoRows) || len(tc.Key) == 0 {
		return tc, errors.New("development key is missing")
	}
	if err != nil {
		return tc, fmt.Errorf("read development key: %w", err)
	}
	return tc, nil
}
