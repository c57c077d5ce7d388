// Package testdb gives each test package a fresh, migrated PostgreSQL
// database of its own.
//
// It finds a server at TEST_DATABASE_URL, else DATABASE_URL, else
// localhost:5432. When none answers and a Docker engine is available, it
// starts PostgreSQL in a container with testcontainers-go. When neither is
// possible the tests fail, saying how to provide a database; they never skip.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/testcontainers/testcontainers-go"
	tcpostgres "github.com/testcontainers/testcontainers-go/modules/postgres"

	"github.com/inventory-backbone/inventory/internal/pg"
)

// DB is a package's test database.
type DB struct {
	// URL connects as the owner (a superuser on a development server).
	URL string
	// Owner is a pool as the owner: it bypasses nothing (RLS is forced) but
	// may read and write service tables directly, to check and to tamper.
	Owner *pgxpool.Pool
	// App is a pool as the service role, as the service itself connects.
	App *pgxpool.Pool
	// System is a pool as the role of work across tenants (pg.SystemPool).
	System *pgxpool.Pool
}

var (
	shared  *DB
	setup   sync.Once
	failure error
	cleanup []func()
)

// Main runs a test package's tests with a fresh database that is dropped at
// the end. Call it from TestMain: func TestMain(m *testing.M) { testdb.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	for i := len(cleanup) - 1; i >= 0; i-- {
		cleanup[i]()
	}
	os.Exit(code)
}

// Get returns the package's database, creating it on first use. It fails the
// test, with directions, when no PostgreSQL can be had.
func Get(tb testing.TB) *DB {
	tb.Helper()
	setup.Do(func() { shared, failure = create() })
	if failure != nil {
		tb.Fatalf("testdb: %v", failure)
	}
	return shared
}

func serverURL() string {
	for _, name := range []string{"TEST_DATABASE_URL", "DATABASE_URL"} {
		if v := os.Getenv(name); v != "" {
			return v
		}
	}
	return "postgres://localhost:5432/postgres?sslmode=disable"
}

func create() (*DB, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	base := serverURL()
	if err := ping(ctx, base); err != nil {
		container, cerr := startContainer(ctx)
		if cerr != nil {
			return nil, fmt.Errorf(`no PostgreSQL for the tests: %v
and no Docker engine to start one in (%v).
Provide one: run PostgreSQL 15+ on localhost:5432 with trust auth, or set TEST_DATABASE_URL=postgres://user:password@host:port/postgres?sslmode=disable (a role that may create databases and roles)`, err, cerr)
		}
		base = container
	}

	name := "inventory_test_" + packageName() + "_" + randomSuffix()
	dbURL, err := withDatabase(base, name)
	if err != nil {
		return nil, err
	}
	if err := pg.EnsureDatabase(ctx, dbURL); err != nil {
		return nil, err
	}
	cleanup = append(cleanup, func() { dropDatabase(base, name) })

	owner, err := pg.OwnerPool(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	cleanup = append(cleanup, owner.Close)
	mig, err := pg.NewMigrator(owner, nil)
	if err != nil {
		return nil, err
	}
	defer mig.Close()
	if _, err := mig.Up(ctx); err != nil {
		return nil, err
	}
	app, err := pg.AppPool(ctx, dbURL, 40)
	if err != nil {
		return nil, err
	}
	cleanup = append(cleanup, app.Close)
	system, err := pg.SystemPool(ctx, dbURL, 8)
	if err != nil {
		return nil, err
	}
	cleanup = append(cleanup, system.Close)
	return &DB{URL: dbURL, Owner: owner, App: app, System: system}, nil
}

func ping(ctx context.Context, url string) error {
	cfg, err := pg.ParseConfig(url)
	if err != nil {
		return err
	}
	cfg.ConnectTimeout = 3 * time.Second
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	return conn.Close(ctx)
}

// startContainer starts PostgreSQL in Docker and returns its URL, or why it
// could not. A panic inside the Docker client counts as "no Docker".
func startContainer(ctx context.Context) (u string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("docker: %v", r)
		}
	}()
	c, err := tcpostgres.Run(ctx, "postgres:16-alpine",
		tcpostgres.WithDatabase("postgres"),
		tcpostgres.WithUsername("postgres"),
		tcpostgres.WithPassword("postgres"),
		tcpostgres.BasicWaitStrategies())
	if err != nil {
		return "", err
	}
	cleanup = append(cleanup, func() { _ = testcontainers.TerminateContainer(c) })
	return c.ConnectionString(ctx, "sslmode=disable")
}

func withDatabase(base, name string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("parse database URL: %w", err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

func dropDatabase(base, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
}

func packageName() string {
	wd, _ := os.Getwd()
	n := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, strings.ToLower(filepath.Base(wd)))
	if len(n) > 20 {
		n = n[:20]
	}
	return n
}

func randomSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// NewXID takes a new transaction id on the database and returns it: the
// position of a transaction that starts now in the change feed's order.
func (db *DB) NewXID(tb testing.TB) uint64 {
	tb.Helper()
	var s string
	if err := db.Owner.QueryRow(context.Background(), `SELECT pg_current_xact_id()::text`).Scan(&s); err != nil {
		tb.Fatalf("testdb: take a transaction id: %v", err)
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		tb.Fatalf("testdb: parse transaction id %q: %v", s, err)
	}
	return n
}

// PowerOfTenBelow returns the largest power of ten, at least 100, that is
// more than margin below n: a boundary of transaction ids that lies in the
// past.
func PowerOfTenBelow(n, margin uint64) uint64 {
	p := uint64(100)
	for p*10+margin < n {
		p *= 10
	}
	return p
}
