package domain

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Observer is told of every committed stock change, after the commit. Package
// main uses it for metrics; it must not block.
type Observer interface {
	StockChanged(change *StockChange)
}

// Store is the inventory core's entry point. It is safe for concurrent use.
// Its pool must connect as the service role, so that row-level security
// applies to every query it makes.
type Store struct {
	pool      *pgxpool.Pool
	observer  Observer
	scheduler Scheduler
	notifier  *feedNotifier
	// system is the pool of work across tenants, as pg.SystemRole.
	system *pgxpool.Pool
	// cursorCodec seals the cursors of lists and of the change feed.
	cursorCodec *cursorCodec
	webhooks    *WebhookConfig // nil: webhooks are not enabled
	// messages keeps recent events' webhook messages built, when webhooks
	// are enabled.
	messages  *webhookMessageCache
	committer *committer
	// importMaxBytes is the largest file an import takes (import.go).
	importMaxBytes int64
}

// Option configures a Store.
type Option func(*Store)

// WithObserver sets the Observer told of every committed change.
func WithObserver(o Observer) Option {
	return func(s *Store) { s.observer = o }
}

// NewStore returns a Store over pool.
func NewStore(pool *pgxpool.Pool, opts ...Option) *Store {
	s := &Store{pool: pool, notifier: newFeedNotifier(pool)}
	s.committer = newCommitter(s)
	for _, opt := range opts {
		opt(s)
	}
	if s.cursorCodec == nil {
		s.cursorCodec = randomCursorCodec()
	}
	return s
}

// inTenant runs fn in a transaction bound to the scope's tenant: the tenant
// is set with set_config(..., true), so it ends with the transaction and never
// leaks to the next user of the pooled connection.
func (s *Store) inTenant(ctx context.Context, sc Scope, fn func(tx pgx.Tx) error) error {
	if !ValidID(sc.TenantID) {
		return fmt.Errorf("domain: scope has no valid tenant")
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := setTenant(ctx, tx, sc); err != nil {
			return err
		}
		return fn(tx)
	})
}

// setTenantSQL binds the transaction to a tenant: every row-level security
// policy reads app.tenant_id. The true makes it end with the transaction.
const setTenantSQL = "SELECT set_config('app.tenant_id', $1, true)"

func setTenant(ctx context.Context, tx pgx.Tx, sc Scope) error {
	if _, err := tx.Exec(ctx, setTenantSQL, sc.TenantID); err != nil {
		return fmt.Errorf("set tenant: %w", err)
	}
	return nil
}

// uniqueViolation reports whether err is a unique violation of the named
// constraint.
func uniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == constraint
}

func isCode(err error, code string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == code
}

// WithSystemPool sets the pool of the work that must see every tenant (the
// change feed's reader, the jobs that list tenants, pruning). It must connect
// as pg.SystemRole; requests never use it.
func WithSystemPool(pool *pgxpool.Pool) Option {
	return func(s *Store) { s.system = pool }
}
