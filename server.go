// Command inventory is the inventory backbone: a multi-tenant GraphQL service
// that keeps stock as an append-only ledger of movements.
//
//	inventory [serve]                    serve HTTP (the default)
//	inventory migrate                    apply pending migrations and exit
//	inventory tenant create --name NAME  create a tenant; print its id
//	inventory token --tenant ID --sub SUBJECT --roles admin,operator --ttl 24h
//	                                     print a signed access token
//
// Configuration is by environment; see config.go.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/pg"
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
environment: DATABASE_URL, INVENTORY_ADDR, INVENTORY_JWT_SECRET, INVENTORY_JWT_ISSUER, INVENTORY_JWT_AUDIENCE`

// run dispatches the command line. It writes results to stdout and logs to
// stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := configFromEnv()
	if err != nil {
		return err
	}
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
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
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", cmd, usage)
}

// environment is what every command needs: a migrated database, the owner
// pool and the service pool.
type environment struct {
	owner    *pgxpoolPool
	app      *pgxpoolPool
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
	if e.owner != nil {
		e.owner.Close()
	}
}

// open creates the database if needed, applies pending migrations, and opens
// the pools. A database that does not answer is one clear error, not retries.
func open(ctx context.Context, cfg config, logger *slog.Logger, opts ...domain.Option) (*environment, error) {
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
	scheduler, err := jobs.NewScheduler(env.owner)
	if err != nil {
		env.close()
		return nil, err
	}
	hooks, err := webhookOption(ctx, cfg, env, logger)
	if err != nil {
		env.close()
		return nil, err
	}
	env.store = domain.NewStore(env.app, append([]domain.Option{domain.WithScheduler(scheduler), hooks}, opts...)...)
	return env, nil
}

func tenantCommand(ctx context.Context, cfg config, logger *slog.Logger, args []string, stdout io.Writer) error {
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

func tokenCommand(ctx context.Context, cfg config, logger *slog.Logger, args []string, stdout io.Writer) error {
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
