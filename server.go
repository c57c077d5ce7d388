// Command inventory is the inventory backbone: a multi-tenant GraphQL service
// that keeps stock as an append-only ledger of movements.
//
//	inventory [serve]                    serve HTTP (the default)
//	inventory migrate                    apply pending migrations and exit
//	inventory tenant create --name NAME  create a tenant; print its id
//	inventory token --tenant ID --sub SUBJECT --roles admin,operator --ttl 24h
//	                                     print a signed access token
//	inventory user create --tenant ID --email E --roles admin
//	                                     add a member; print a one-time sign-in link
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
  inventory user create --tenant ID --email EMAIL --roles admin
                                         add a member; print a one-time sign-in link
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
	case "user":
		return userCommand(ctx, cfg, logger, args, stdout)
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
	wc, err := webhookConfig(ctx, cfg, env, logger)
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
		Webhooks: &wc,
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
	return env, nil
}

// store is the domain store of a one-shot command. serve builds its own,
// with its observers, in httpserver.New.
func (e *environment) store() (*domain.Store, error) {
	scheduler, err := jobs.NewScheduler(e.owner)
	if err != nil {
		return nil, err
	}
	return domain.NewStore(e.app, domain.WithScheduler(scheduler), domain.WithSystemPool(e.system)), nil
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
	store, err := env.store()
	if err != nil {
		return err
	}
	t, err := store.CreateTenant(ctx, *name)
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
	roles, err := parseRoles(*roleList)
	if err != nil {
		return fmt.Errorf("token: %w", err)
	}
	env, _, err := openTenant(ctx, cfg, logger, "token", *tenant)
	if err != nil {
		return err
	}
	defer env.close()
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

// userCommand runs "user create --tenant ID --email E --roles admin": it adds
// the member (creating the account when the email has none) and prints a
// one-time sign-in link, where the person sets a password.
func userCommand(ctx context.Context, cfg config.Config, logger *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: inventory user create --tenant ID --email EMAIL --roles admin[,operator,viewer]")
	}
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	tenant := fs.String("tenant", "", "the tenant's id, as printed by tenant create")
	email := fs.String("email", "", "the person's email")
	roleList := fs.String("roles", "", "comma-separated: viewer, operator, admin")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *tenant == "" || strings.TrimSpace(*email) == "" || *roleList == "" {
		return errors.New("user create: --tenant, --email and --roles are required")
	}
	parsed, err := parseRoles(*roleList)
	if err != nil {
		return fmt.Errorf("user create: %w", err)
	}
	roles := make([]string, len(parsed))
	for i, r := range parsed {
		roles[i] = string(r)
	}
	env, store, err := openTenant(ctx, cfg, logger, "user create", *tenant)
	if err != nil {
		return err
	}
	defer env.close()
	tc, err := tokenConfig(ctx, cfg, env, logger)
	if err != nil {
		return err
	}
	accounts, err := httpserver.NewAccounts(store, cfg.People, tc, logger)
	if err != nil {
		return err
	}
	inv, err := accounts.CreateUser(ctx, domain.Scope{TenantID: *tenant, Actor: "cli"}, *email, roles)
	if err != nil {
		return fmt.Errorf("user create: %w", err)
	}
	fmt.Fprintln(stdout, *inv.AcceptURL)
	return nil
}

// parseRoles reads a comma-separated list of role names.
func parseRoles(list string) ([]tenancy.Role, error) {
	var roles []tenancy.Role
	for _, name := range strings.Split(list, ",") {
		r, err := tenancy.ParseRole(strings.TrimSpace(name))
		if err != nil {
			return nil, err
		}
		roles = append(roles, r)
	}
	return roles, nil
}

// openTenant opens the environment and a store for a one-shot command that
// acts in one tenant, and checks that the tenant exists. The caller closes
// the environment.
func openTenant(ctx context.Context, cfg config.Config, logger *slog.Logger, cmd, tenant string) (*environment, *domain.Store, error) {
	env, err := open(ctx, cfg, logger)
	if err != nil {
		return nil, nil, err
	}
	store, err := env.store()
	if err == nil {
		var ok bool
		if ok, err = store.TenantExists(ctx, tenant); err == nil && !ok {
			err = fmt.Errorf("%s: no tenant has id %q", cmd, tenant)
		}
	}
	if err != nil {
		env.close()
		return nil, nil, err
	}
	return env, store, nil
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
	key, err := devKey(ctx, env, "jwt_dev_key", 32)
	if err != nil {
		return tc, fmt.Errorf("development signing key: %w", err)
	}
	tc.Key = key
	return tc, nil
}

// webhookConfig returns how webhooks are delivered and their secrets sealed.
// Without INVENTORY_WEBHOOK_KEY it seals secrets with a random development
// key, generated once and kept in the database, and warns.
func webhookConfig(ctx context.Context, cfg config.Config, env *environment, logger *slog.Logger) (domain.WebhookConfig, error) {
	wc := domain.WebhookConfig{Key: cfg.Webhooks.Key, RetrySchedule: cfg.Webhooks.RetrySchedule,
		AllowPrivate: cfg.Webhooks.AllowPrivate}
	if wc.Key != nil {
		return wc, nil
	}
	logger.Warn("INVENTORY_WEBHOOK_KEY is unset: webhook secrets are sealed with a development key kept in the database; set it in production")
	key, err := devKey(ctx, env, "webhook_dev_key", domain.WebhookKeySize)
	if err != nil {
		return wc, fmt.Errorf("development webhook key: %w", err)
	}
	wc.Key = key
	return wc, nil
}

// devKey returns the development key called name from service_secrets (a
// table the service role cannot read), generating size random bytes the
// first time, so that every process and command agrees on it.
func devKey(ctx context.Context, env *environment, name string, size int) ([]byte, error) {
	fresh := make([]byte, size)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	_, err := env.owner.Exec(ctx, `INSERT INTO service_secrets (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING`, name, fresh)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	var key []byte
	err = env.owner.QueryRow(ctx, `SELECT value FROM service_secrets WHERE name = $1`, name).Scan(&key)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("read: %w", err)
	}
	if len(key) != size {
		return nil, fmt.Errorf("it is missing or not %d bytes", size)
	}
	return key, nil
}
