package domain

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Scheduler enqueues the work that follows from a change, in the change's
// own transaction: a change that rolls back leaves no job behind, and one that
// commits always has its job. Package jobs implements it; the domain knows
// nothing of the queue behind it.
type Scheduler interface {
	// ScheduleReservationExpiry arranges for ExpireReservation to be called
	// for the reservation at (or soon after) the given time.
	ScheduleReservationExpiry(ctx context.Context, tx pgx.Tx, tenantID, reservationID string, at time.Time) error
	// ScheduleAlertCheck arranges for CheckAlerts to be called for the level
	// soon after the transaction commits.
	ScheduleAlertCheck(ctx context.Context, tx pgx.Tx, tenantID, itemID, locationID string) error
	// ScheduleReport arranges for BuildReport to be called for the report.
	ScheduleReport(ctx context.Context, tx pgx.Tx, tenantID, reportID string) error
}

// WithScheduler sets the Scheduler that stock operations enqueue jobs with.
func WithScheduler(sch Scheduler) Option {
	return func(s *Store) { s.scheduler = sch }
}

// SystemActor is the actor recorded on changes that jobs make.
const SystemActor = "system"

// TenantIDs lists every tenant's id, for jobs that work tenant by tenant. It
// runs as the system role (inSystem), which may read the tenant directory;
// the request role cannot.
func (s *Store) TenantIDs(ctx context.Context) ([]string, error) {
	var ids []string
	err := s.inSystem(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, "SELECT id::text AS tenant_id FROM tenants ORDER BY tenants.id")
		var err error
		ids, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list tenants: %w", err)
	}
	return ids, nil
}

// DueReservations returns up to limit ids of the tenant's active reservations
// whose expiry time has passed.
func (s *Store) DueReservations(ctx context.Context, sc Scope, limit int) ([]string, error) {
	var ids []string
	err := s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT id::text FROM reservations
			WHERE tenant_id = $1 AND status = 'ACTIVE' AND expires_at <= clock_timestamp()
			ORDER BY reservations.expires_at LIMIT $2`, sc.TenantID, limit)
		var err error
		ids, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list due reservations: %w", err)
	}
	return ids, nil
}

// PruneIdempotencyKeys forgets the tenant's idempotency keys older than age
// and returns how many it removed.
func (s *Store) PruneIdempotencyKeys(ctx context.Context, sc Scope, age time.Duration) (int64, error) {
	var n int64
	err := s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM idempotency_keys WHERE tenant_id = $1 AND created_at < now() - make_interval(secs => $2)`,
			sc.TenantID, age.Seconds())
		n = tag.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune idempotency keys: %w", err)
	}
	return n, nil
}
