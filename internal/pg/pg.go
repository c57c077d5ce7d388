// Package pg opens the service's PostgreSQL connections: it creates the
// database when it is missing, applies the embedded migrations, and builds the
// pool the service queries through, as the role that row-level security binds.
package pg

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/inventory-backbone/inventory/internal/telemetry"
)

// DefaultURL is the database the service uses when DATABASE_URL is unset.
const DefaultURL = "postgres://localhost:5432/inventory?sslmode=disable"

// AppRole is the role the service runs its queries as. The migrations create
// it without BYPASSRLS and give it no ownership, so row-level security always
// applies to it.
const AppRole = "inventory_app"

// SystemRole is the role background work runs as when it must see every
// tenant: the tenant directory, the whole change feed, the pruning of old
// events. The migrations create it; only SystemPool uses it, so the role
// that serves requests cannot cross tenants whatever it sets.
const SystemRole = "inventory_system"

// UnreachableError reports that no PostgreSQL answered at the configured
// address. Its message is one line that says where it looked and how to point
// the service elsewhere.
type UnreachableError struct {
	Addr string
	Err  error
}

// Error returns the one-line explanation.
func (e *UnreachableError) Error() string {
	return fmt.Sprintf("no PostgreSQL answered at %s (%v); start one there or set DATABASE_URL, e.g. DATABASE_URL=postgres://user:password@host:5432/inventory?sslmode=disable",
		e.Addr, rootCause(e.Err))
}

// Unwrap returns the connection error.
func (e *UnreachableError) Unwrap() error { return e.Err }

func rootCause(err error) error {
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return opErr.Err
	}
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) {
		if u := errors.Unwrap(connErr); u != nil {
			return rootCause(u)
		}
	}
	return err
}

// ParseConfig parses a connection URL and fills in a connect timeout when the
// URL gives none, so that a missing server fails fast instead of hanging.
func ParseConfig(url string) (*pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 5 * time.Second
	}
	return cfg, nil
}

func addr(cfg *pgx.ConnConfig) string {
	return fmt.Sprintf("%s:%d/%s", cfg.Host, cfg.Port, cfg.Database)
}

// EnsureDatabase connects to the database the URL names and, when it does not
// exist, creates it through the server's maintenance database. It returns an
// *UnreachableError when no server answers.
func EnsureDatabase(ctx context.Context, url string) error {
	cfg, err := ParseConfig(url)
	if err != nil {
		return err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err == nil {
		return conn.Close(ctx)
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return &UnreachableError{Addr: addr(cfg), Err: err}
	}
	if pgErr.Code != "3D000" { // invalid_catalog_name: the database does not exist
		return fmt.Errorf("connect to %s: %w", addr(cfg), err)
	}
	admin := cfg.Copy()
	admin.Database = "postgres"
	aconn, err := pgx.ConnectConfig(ctx, admin)
	if err != nil {
		return fmt.Errorf("database %q does not exist and the maintenance database could not be reached to create it: %w", cfg.Database, err)
	}
	defer aconn.Close(ctx)
	_, err = aconn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{cfg.Database}.Sanitize())
	if err != nil && !isCode(err, "42P04") { // duplicate_database: created meanwhile
		return fmt.Errorf("create database %q: %w", cfg.Database, err)
	}
	return nil
}

func isCode(err error, code string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == code
}

// OwnerPool opens a small pool as the role the URL names. It is used for the
// migrations and for the few administrative reads that the service role may
// not make (the development signing key).
func OwnerPool(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	cfg.MaxConns = 8 // migrations, River's leader election, notifier and fetches
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, &UnreachableError{Addr: addr(cfg.ConnConfig), Err: err}
	}
	return pool, nil
}

// AppPool opens the pool the service queries through. Every connection it
// makes switches to AppRole before use, so row-level security applies even when
// the URL names a superuser or the tables' owner. maxConns of zero keeps
// pgxpool's default.
func AppPool(ctx context.Context, url string, maxConns int32) (*pgxpool.Pool, error) {
	return rolePool(ctx, url, maxConns, AppRole)
}

// SystemPoolSize is the size of the system pool: the change feed's reader
// and the jobs that work across tenants share it.
const SystemPoolSize = 4

// SystemPool opens the small pool of background work across tenants: every
// connection switches to SystemRole. No request runs on it.
func SystemPool(ctx context.Context, url string, maxConns int32) (*pgxpool.Pool, error) {
	return rolePool(ctx, url, maxConns, SystemRole)
}

// rolePool opens a pool whose connections switch to role before use.
func rolePool(ctx context.Context, url string, maxConns int32, role string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	if telemetry.Enabled() {
		cfg.ConnConfig.Tracer = telemetry.PgxTracer()
	}
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		if _, err := conn.Exec(ctx, "SET ROLE "+role); err != nil {
			return fmt.Errorf("switch to role %s (run the migrations first): %w", role, err)
		}
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		if strings.Contains(err.Error(), role) {
			return nil, err
		}
		return nil, &UnreachableError{Addr: addr(cfg.ConnConfig), Err: err}
	}
	return pool, nil
}
