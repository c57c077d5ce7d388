package pg

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/inventory-backbone/inventory/migrations"
)

// Migrator applies River's migrations (its job tables), then the service's
// own embedded migrations. Several processes may migrate the same database at
// once: advisory locks let one at a time through.
type Migrator struct {
	db       *sql.DB
	provider *goose.Provider
	river    *rivermigrate.Migrator[pgx.Tx]
}

// NewMigrator prepares the migrations over the owner pool. Close releases it.
func NewMigrator(pool *pgxpool.Pool, logger *slog.Logger) (*Migrator, error) {
	db := stdlib.OpenDBFromPool(pool)
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	opts := []goose.ProviderOption{goose.WithSessionLocker(locker)}
	provider, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS, opts...)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	river, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: logger})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("load River migrations: %w", err)
	}
	return &Migrator{db: db, provider: provider, river: river}, nil
}

// Up applies every pending migration and returns how many it applied.
func (m *Migrator) Up(ctx context.Context) (int, error) {
	rres, err := m.river.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return 0, fmt.Errorf("apply River migrations: %w", err)
	}
	results, err := m.provider.Up(ctx)
	applied := len(rres.Versions) + len(results)
	if err != nil {
		return applied, fmt.Errorf("apply migrations: %w", err)
	}
	return applied, nil
}

// Pending reports whether any migration has not been applied yet.
func (m *Migrator) Pending(ctx context.Context) (bool, error) {
	pending, err := m.provider.HasPending(ctx)
	if err != nil {
		return false, fmt.Errorf("check migrations: %w", err)
	}
	existing, err := m.river.ExistingVersions(ctx)
	if err != nil {
		return false, fmt.Errorf("check River migrations: %w", err)
	}
	return pending || len(existing) < len(m.river.AllVersions()), nil
}

// Close releases the migrator's database handle (not the pool under it).
func (m *Migrator) Close() error {
	return m.db.Close()
}
