package jobs_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/jobs"
)

// TestServiceRoleSeesOnlyItsTenantsJobs checks that the service role, which
// inserts jobs in its own transactions, can see only the jobs whose
// arguments name the transaction's tenant, and cannot move the feed horizon
// outside the system scope.
func TestServiceRoleSeesOnlyItsTenantsJobs(t *testing.T) {
	ctx := context.Background()
	db := newFixture(t, nil).db
	sched, err := jobs.NewScheduler(db.Owner)
	if err != nil {
		t.Fatal(err)
	}
	store := domain.NewStore(db.App, domain.WithSystemPool(db.System), domain.WithScheduler(sched))
	a, b := newFixture(t, store), newFixture(t, store)
	at := time.Now().Add(time.Hour)
	a.receive(t, a.locA, 5)
	b.receive(t, b.locA, 5)
	a.reserve(t, a.locA, 1, &at)
	b.reserve(t, b.locA, 1, &at)

	seen := func(sc domain.Scope) (mine, others int) {
		t.Helper()
		err := pgx.BeginFunc(ctx, db.App, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", sc.TenantID); err != nil {
				return err
			}
			return tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE args->>'tenant_id' = $1), count(*) FILTER (WHERE args->>'tenant_id' <> $1)
				FROM river_job`, sc.TenantID).Scan(&mine, &others)
		})
		if err != nil {
			t.Fatal(err)
		}
		return mine, others
	}
	if mine, others := seen(a.sc); mine != 1 || others != 0 {
		t.Fatalf("tenant A's transaction sees %d of its jobs and %d of others; want 1 and 0", mine, others)
	}
	var all int
	if err := db.Owner.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE args->>'tenant_id' IN ($1, $2)`,
		a.sc.TenantID, b.sc.TenantID).Scan(&all); err != nil || all != 2 {
		t.Fatalf("the owner sees %d jobs of the two tenants, %v; want 2", all, err)
	}

	var moved int64
	err = pgx.BeginFunc(ctx, db.App, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE feed_horizon SET id = id + 1`)
		moved = tag.RowsAffected()
		return err
	})
	var pgErr *pgconn.PgError
	if moved != 0 || err != nil && !(errors.As(err, &pgErr) && pgErr.Code == "42501") {
		t.Fatalf("the service role moved the feed horizon: %d rows, %v; want none (or no privilege to)", moved, err)
	}
}
