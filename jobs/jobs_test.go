package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertest"
	"github.com/riverqueue/river/rivertype"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/testdb"
	"github.com/inventory-backbone/inventory/jobs"
)

func TestMain(m *testing.M) { testdb.Main(m) }

var tenantSeq atomic.Int64

// fixture is a fresh tenant with one item and two locations, A and B, and
// the store the test acts through.
type fixture struct {
	db    *testdb.DB
	store *domain.Store
	sc    domain.Scope
	item  *domain.Item
	locA  *domain.Location
	locB  *domain.Location
}

// newFixture creates a tenant, an item and two locations through store (a
// store over testdb's service pool; nil: one without a scheduler), and
// checks the tenant's ledger at cleanup.
func newFixture(t *testing.T, store *domain.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	db := testdb.Get(t)
	if store == nil {
		store = domain.NewStore(db.App, domain.WithSystemPool(db.System))
	}
	tenant, err := store.CreateTenant(ctx, fmt.Sprintf("jobs tenant %d", tenantSeq.Add(1)))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, store: store, sc: domain.Scope{TenantID: tenant.ID, Actor: "tester"}}
	if f.item, err = store.CreateItem(ctx, f.sc, domain.NewItem{SKU: "SKU-1", Name: "Widget"}); err != nil {
		t.Fatal(err)
	}
	if f.locA, err = store.CreateLocation(ctx, f.sc, domain.NewLocation{Code: "A", Name: "Warehouse A"}); err != nil {
		t.Fatal(err)
	}
	if f.locB, err = store.CreateLocation(ctx, f.sc, domain.NewLocation{Code: "B", Name: "Warehouse B"}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		drifts, err := store.CheckLedger(context.Background(), f.sc)
		if err != nil {
			t.Errorf("check ledger: %v", err)
		}
		for _, d := range drifts {
			t.Errorf("drift: ledger %+v, projection %+v", d.Ledger, d.Projection)
		}
	})
	return f
}

func (f *fixture) receive(t *testing.T, loc *domain.Location, q int64) {
	t.Helper()
	if _, err := f.store.Receive(context.Background(), f.sc, f.item.ID, loc.ID, q, domain.Meta{}); err != nil {
		t.Fatal(err)
	}
}

// reserve reserves quantity at loc, expiring at expiresAt (nil: the
// tenant's default).
func (f *fixture) reserve(t *testing.T, loc *domain.Location, quantity int64, expiresAt *time.Time) *domain.Reservation {
	t.Helper()
	c, err := f.store.Reserve(context.Background(), f.sc,
		domain.ReserveRequest{ItemID: f.item.ID, LocationID: loc.ID, Quantity: quantity, ExpiresAt: expiresAt}, domain.Meta{})
	if err != nil {
		t.Fatalf("reserve: %v", err)
	}
	return &c.Reservations[0]
}

func (f *fixture) reservation(t *testing.T, id string) *domain.Reservation {
	t.Helper()
	r, err := f.store.ReservationByID(context.Background(), f.sc, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// wantLevel asserts available and reserved at loc.
func (f *fixture) wantLevel(t *testing.T, step string, loc *domain.Location, available, reserved int64) {
	t.Helper()
	l, err := f.store.LevelAt(context.Background(), f.sc, f.item.ID, loc.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if l.Available != available || l.Reserved != reserved {
		t.Errorf("%s: level at %s has available %d, reserved %d; want %d, %d", step, loc.Code, l.Available, l.Reserved, available, reserved)
	}
}

// wantReservation asserts a stored reservation's status and quantities.
func (f *fixture) wantReservation(t *testing.T, step, id string, status domain.ReservationStatus, reserved, fulfilled, released int64) {
	t.Helper()
	r := f.reservation(t, id)
	if r.Status != status || r.ReservedQuantity != reserved || r.FulfilledQuantity != fulfilled || r.ReleasedQuantity != released {
		t.Errorf("%s: reservation is %s with %d reserved, %d fulfilled, %d released; want %s, %d, %d, %d", step,
			r.Status, r.ReservedQuantity, r.FulfilledQuantity, r.ReleasedQuantity, status, reserved, fulfilled, released)
	}
}

// expiryMovements lists the tenant's EXPIRY movements as
// "quantity FROM->TO actor", read through the owner pool.
func (f *fixture) expiryMovements(t *testing.T) []string {
	t.Helper()
	rows, _ := f.db.Owner.Query(context.Background(), `SELECT format('%s %s->%s %s', quantity, from_state, to_state, actor)
		FROM movements WHERE tenant_id = $1 AND kind = 'EXPIRY' ORDER BY id`, f.sc.TenantID)
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

func (f *fixture) movementCount(t *testing.T) int64 {
	t.Helper()
	var n int64
	if err := f.db.Owner.QueryRow(context.Background(), `SELECT count(*) FROM movements WHERE tenant_id = $1`,
		f.sc.TenantID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// expiryJob is a row of river_job for an expire_reservation job.
type expiryJob struct {
	State         string
	ScheduledAt   time.Time
	MaxAttempts   int
	TenantID      string
	ReservationID string
}

// expiryJobs lists the expire_reservation jobs of a tenant, by reservation
// id, read through the owner pool.
func (f *fixture) expiryJobs(t *testing.T) []expiryJob {
	t.Helper()
	rows, _ := f.db.Owner.Query(context.Background(), `SELECT state::text, scheduled_at, max_attempts,
			args->>'tenant_id', args->>'reservation_id'
		FROM river_job WHERE kind = 'expire_reservation' AND args->>'tenant_id' = $1
		ORDER BY args->>'reservation_id'`, f.sc.TenantID)
	js, err := pgx.CollectRows(rows, pgx.RowToStructByPos[expiryJob])
	if err != nil {
		t.Fatalf("read river_job: %v", err)
	}
	return js
}

// ownerTx begins a transaction through the owner pool for River's test
// worker to record the job in; it is rolled back at cleanup.
func ownerTx(t *testing.T, db *testdb.DB) pgx.Tx {
	t.Helper()
	tx, err := db.Owner.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tx.Rollback(context.Background()) })
	return tx
}

// dueSoon returns a time far enough ahead for a reservation to be made
// before it, and sleepPast sleeps until it has passed.
func dueSoon() time.Time { return time.Now().Add(200 * time.Millisecond) }

func sleepPast(at time.Time) { time.Sleep(time.Until(at) + 20*time.Millisecond) }

// TestExpireReservationWorkerExpiresDueReservation works an
// ExpireReservationArgs job with River's test worker: the reservation becomes
// EXPIRED, its units available, and the ledger has the EXPIRY movement made
// by the system actor. A second job for the same reservation completes and
// writes nothing.
func TestExpireReservationWorkerExpiresDueReservation(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	f.receive(t, f.locA, 10)
	at := dueSoon()
	r := f.reserve(t, f.locA, 4, &at)
	if _, err := f.store.Release(ctx, f.sc, r.ID, new(int64(1)), domain.Meta{}); err != nil {
		t.Fatal(err)
	}
	f.wantLevel(t, "before the job", f.locA, 7, 3)
	sleepPast(at)

	worker := rivertest.NewWorker[jobs.ExpireReservationArgs, pgx.Tx](t, riverpgxv5.New(nil), &river.Config{},
		&jobs.ExpireReservationWorker{Store: f.store})
	tx := ownerTx(t, f.db)
	args := jobs.ExpireReservationArgs{TenantID: f.sc.TenantID, ReservationID: r.ID}
	res, err := worker.Work(ctx, t, tx, args, nil)
	if err != nil {
		t.Fatalf("work: %v", err)
	}
	if res.EventKind != river.EventKindJobCompleted || res.Job.State != rivertype.JobStateCompleted {
		t.Fatalf("job ended %s in state %s, want completed", res.EventKind, res.Job.State)
	}
	f.wantReservation(t, "after the job", r.ID, domain.ReservationExpired, 4, 0, 4)
	f.wantLevel(t, "after the job", f.locA, 10, 0)
	if got, want := f.expiryMovements(t), []string{"3 RESERVED->AVAILABLE system"}; !slices.Equal(got, want) {
		t.Errorf("EXPIRY movements %q, want %q", got, want)
	}

	before := f.movementCount(t)
	res, err = worker.Work(ctx, t, tx, args, nil)
	if err != nil || res.EventKind != river.EventKindJobCompleted {
		t.Fatalf("second job: %v, %+v", err, res)
	}
	if after := f.movementCount(t); after != before {
		t.Errorf("a second expiry job wrote %d movements", after-before)
	}
	f.wantReservation(t, "after the second job", r.ID, domain.ReservationExpired, 4, 0, 4)
}

// TestExpireReservationWorkerCancelsJobsForMissingReservations checks that
// a job for a reservation that does not exist (unknown id, another tenant's
// reservation, a tenant that does not exist, a malformed id) is cancelled,
// not retried, and changes nothing.
func TestExpireReservationWorkerCancelsJobsForMissingReservations(t *testing.T) {
	f := newFixture(t, nil)
	other := newFixture(t, nil)
	ctx := context.Background()
	other.receive(t, other.locA, 5)
	at := dueSoon()
	othersReservation := other.reserve(t, other.locA, 5, &at)
	sleepPast(at)

	worker := rivertest.NewWorker[jobs.ExpireReservationArgs, pgx.Tx](t, riverpgxv5.New(nil), &river.Config{},
		&jobs.ExpireReservationWorker{Store: f.store})
	tx := ownerTx(t, f.db)
	for _, args := range []jobs.ExpireReservationArgs{
		{TenantID: f.sc.TenantID, ReservationID: "5f1c8a2e-0c3b-4d7e-9a41-2b6f0e9d3c14"},
		{TenantID: f.sc.TenantID, ReservationID: othersReservation.ID},
		{TenantID: "5f1c8a2e-0c3b-4d7e-9a41-2b6f0e9d3c15", ReservationID: othersReservation.ID},
		{TenantID: f.sc.TenantID, ReservationID: "not-a-reservation"},
	} {
		res, err := worker.Work(ctx, t, tx, args, nil)
		if err != nil {
			t.Fatalf("%+v: work: %v", args, err)
		}
		if res.EventKind != river.EventKindJobCancelled || res.Job.State != rivertype.JobStateCancelled {
			t.Errorf("%+v: job ended %s in state %s, want cancelled", args, res.EventKind, res.Job.State)
		}
	}
	other.wantReservation(t, "after the cancelled jobs", othersReservation.ID, domain.ReservationActive, 5, 0, 0)
	other.wantLevel(t, "after the cancelled jobs", other.locA, 0, 5)
	if n := f.movementCount(t); n != 0 {
		t.Errorf("the cancelled jobs wrote %d movements", n)
	}
}

// TestSchedulerInsertsOneExpiryJobAtExpiresAt checks that a store with the
// jobs Scheduler inserts, in the reservation's transaction, exactly one
// expire_reservation job per reservation that has an expiry, scheduled at
// that expiry, and none for a reservation that never expires.
func TestSchedulerInsertsOneExpiryJobAtExpiresAt(t *testing.T) {
	db := testdb.Get(t)
	sched, err := jobs.NewScheduler(db.Owner)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, domain.NewStore(db.App, domain.WithSystemPool(db.System), domain.WithScheduler(sched)))
	ctx := context.Background()
	f.receive(t, f.locA, 10)
	f.receive(t, f.locB, 10)

	f.reserve(t, f.locA, 1, nil)
	if js := f.expiryJobs(t); len(js) != 0 {
		t.Fatalf("a reservation without expiry scheduled %+v", js)
	}

	at := time.Now().Add(time.Hour).Truncate(time.Microsecond)
	r := f.reserve(t, f.locA, 2, &at)
	js := f.expiryJobs(t)
	want := []expiryJob{{State: "scheduled", ScheduledAt: at, MaxAttempts: 25, TenantID: f.sc.TenantID, ReservationID: r.ID}}
	if len(js) != 1 || !js[0].ScheduledAt.Equal(at) {
		t.Fatalf("jobs %+v, want %+v", js, want)
	}
	js[0].ScheduledAt = at
	if js[0] != want[0] {
		t.Errorf("job %+v, want %+v", js[0], want[0])
	}

	// An allocation over two locations: one job per reservation.
	at2 := time.Now().Add(2 * time.Hour).Truncate(time.Microsecond)
	c, err := f.store.Allocate(ctx, f.sc, domain.AllocationRequest{ItemID: f.item.ID, Quantity: 12, ExpiresAt: &at2}, domain.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Reservations) != 2 {
		t.Fatalf("allocation made %d reservations, want 2", len(c.Reservations))
	}
	js = f.expiryJobs(t)
	if len(js) != 3 {
		t.Fatalf("%d jobs after the allocation, want 3: %+v", len(js), js)
	}
	for _, res := range c.Reservations {
		i := slices.IndexFunc(js, func(j expiryJob) bool { return j.ReservationID == res.ID })
		if i < 0 || !js[i].ScheduledAt.Equal(at2) || js[i].State != "scheduled" {
			t.Errorf("reservation %s: jobs %+v, want one scheduled at %v", res.ID, js, at2)
		}
	}

	// The tenant's default lifetime schedules a job at the expiry it gives.
	ttl := 30 * time.Minute
	if _, err := f.store.UpdateSettings(ctx, f.sc, &ttl); err != nil {
		t.Fatal(err)
	}
	rd := f.reserve(t, f.locB, 1, nil)
	js = f.expiryJobs(t)
	i := slices.IndexFunc(js, func(j expiryJob) bool { return j.ReservationID == rd.ID })
	if len(js) != 4 || i < 0 || rd.ExpiresAt == nil || !js[i].ScheduledAt.Equal(*rd.ExpiresAt) {
		t.Errorf("default lifetime: reservation expires at %v, jobs %+v", rd.ExpiresAt, js)
	}
}

// failingScheduler schedules through the real Scheduler, then fails on its
// failOn-th call, as a later step of the same transaction might: the job it
// just inserted must roll back with the change.
type failingScheduler struct {
	inner  domain.Scheduler
	failOn int64
	calls  atomic.Int64
}

var errScheduling = errors.New("scheduling failed on purpose")

// ScheduleReservationExpiry inserts the job, then fails on the failOn-th
// call.
func (s *failingScheduler) ScheduleReservationExpiry(ctx context.Context, tx pgx.Tx, tenantID, reservationID string, at time.Time) error {
	if err := s.inner.ScheduleReservationExpiry(ctx, tx, tenantID, reservationID, at); err != nil {
		return err
	}
	if s.calls.Add(1) == s.failOn {
		return errScheduling
	}
	return nil
}

// ScheduleAlertCheck passes through.
func (s *failingScheduler) ScheduleAlertCheck(ctx context.Context, tx pgx.Tx, tenantID, itemID, locationID string) error {
	return s.inner.ScheduleAlertCheck(ctx, tx, tenantID, itemID, locationID)
}

// ScheduleReport passes through.
func (s *failingScheduler) ScheduleReport(ctx context.Context, tx pgx.Tx, tenantID, reportID string) error {
	return s.inner.ScheduleReport(ctx, tx, tenantID, reportID)
}

// TestRolledBackReservationLeavesNoJob checks that a reservation whose
// transaction rolls back leaves no expiry job: an allocation refused as
// INSUFFICIENT_STOCK, and an allocation that failed after its first job was
// already inserted.
func TestRolledBackReservationLeavesNoJob(t *testing.T) {
	db := testdb.Get(t)
	sched, err := jobs.NewScheduler(db.Owner)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, domain.NewStore(db.App, domain.WithSystemPool(db.System), domain.WithScheduler(sched)))
	ctx := context.Background()
	f.receive(t, f.locA, 3)
	f.receive(t, f.locB, 3)
	at := time.Now().Add(time.Hour)

	_, err = f.store.Allocate(ctx, f.sc, domain.AllocationRequest{ItemID: f.item.ID, Quantity: 7, ExpiresAt: &at}, domain.Meta{})
	if domain.CodeOf(err) != domain.CodeInsufficientStock {
		t.Fatalf("allocate 7 of 6: got %v, want INSUFFICIENT_STOCK", err)
	}
	if js := f.expiryJobs(t); len(js) != 0 {
		t.Errorf("a refused allocation left jobs %+v", js)
	}

	failing := &failingScheduler{inner: sched, failOn: 2}
	store := domain.NewStore(db.App, domain.WithSystemPool(db.System), domain.WithScheduler(failing))
	_, err = store.Allocate(ctx, f.sc, domain.AllocationRequest{ItemID: f.item.ID, Quantity: 5, ExpiresAt: &at}, domain.Meta{})
	if !errors.Is(err, errScheduling) {
		t.Fatalf("allocation with a failing second schedule: got %v, want %v", err, errScheduling)
	}
	if failing.calls.Load() != 2 {
		t.Fatalf("scheduler called %d times, want 2 (one job inserted, then the failure)", failing.calls.Load())
	}
	if js := f.expiryJobs(t); len(js) != 0 {
		t.Errorf("a rolled-back allocation left jobs %+v", js)
	}
	var reservations int64
	if err := db.Owner.QueryRow(ctx, `SELECT count(*) FROM reservations WHERE tenant_id = $1`, f.sc.TenantID).Scan(&reservations); err != nil {
		t.Fatal(err)
	}
	if reservations != 0 {
		t.Errorf("a rolled-back allocation left %d reservations", reservations)
	}
	f.wantLevel(t, "after the rollbacks", f.locA, 3, 0)
	f.wantLevel(t, "after the rollbacks", f.locB, 3, 0)
	if n := f.movementCount(t); n != 2 {
		t.Errorf("%d movements, want the 2 receipts", n)
	}
}

// TestSweepExpiresOverdueReservationsOfEveryTenant makes, in three tenants,
// overdue, not yet due, never expiring and already fulfilled reservations,
// and checks that one sweep expires exactly the overdue active ones, and a
// second sweep nothing more.
func TestSweepExpiresOverdueReservationsOfEveryTenant(t *testing.T) {
	t1, t2, t3 := newFixture(t, nil), newFixture(t, nil), newFixture(t, nil)
	ctx := context.Background()
	for _, f := range []*fixture{t1, t2, t3} {
		f.receive(t, f.locA, 20)
	}
	// One expiry time for the six reservations below, far enough ahead for
	// all of them to be made before it on a loaded machine.
	soon := time.Now().Add(time.Second)
	later := time.Now().Add(time.Hour)
	overdue1a := t1.reserve(t, t1.locA, 3, &soon)
	overdue1b := t1.reserve(t, t1.locA, 2, &soon)
	notDue1 := t1.reserve(t, t1.locA, 1, &later)
	never1 := t1.reserve(t, t1.locA, 1, nil)
	overdue2 := t2.reserve(t, t2.locA, 4, &soon)
	fulfilled2 := t2.reserve(t, t2.locA, 5, &soon)
	if _, err := t2.store.Fulfill(ctx, t2.sc, fulfilled2.ID, nil, domain.Meta{}); err != nil {
		t.Fatal(err)
	}
	partly2 := t2.reserve(t, t2.locA, 6, &soon)
	if _, err := t2.store.Release(ctx, t2.sc, partly2.ID, new(int64(2)), domain.Meta{}); err != nil {
		t.Fatal(err)
	}
	notDue3 := t3.reserve(t, t3.locA, 7, &later)
	sleepPast(soon)

	var due int64
	if err := t1.db.Owner.QueryRow(ctx, `SELECT count(*) FROM reservations WHERE status = 'ACTIVE' AND expires_at <= now()`).Scan(&due); err != nil {
		t.Fatal(err)
	}
	if due < 4 {
		t.Fatalf("%d reservations are due, want at least this test's 4", due)
	}
	n, err := jobs.SweepReservations(ctx, t1.store)
	if err != nil {
		t.Fatal(err)
	}
	if int64(n) != due {
		t.Errorf("the sweep expired %d reservations, want the %d due", n, due)
	}

	t1.wantReservation(t, "overdue", overdue1a.ID, domain.ReservationExpired, 3, 0, 3)
	t1.wantReservation(t, "overdue", overdue1b.ID, domain.ReservationExpired, 2, 0, 2)
	t1.wantReservation(t, "not due", notDue1.ID, domain.ReservationActive, 1, 0, 0)
	t1.wantReservation(t, "never", never1.ID, domain.ReservationActive, 1, 0, 0)
	t2.wantReservation(t, "overdue", overdue2.ID, domain.ReservationExpired, 4, 0, 4)
	t2.wantReservation(t, "fulfilled", fulfilled2.ID, domain.ReservationFulfilled, 5, 5, 0)
	t2.wantReservation(t, "partly released", partly2.ID, domain.ReservationExpired, 6, 0, 6)
	t3.wantReservation(t, "not due", notDue3.ID, domain.ReservationActive, 7, 0, 0)
	t1.wantLevel(t, "after the sweep", t1.locA, 18, 2)
	t2.wantLevel(t, "after the sweep", t2.locA, 15, 0)
	t3.wantLevel(t, "after the sweep", t3.locA, 13, 7)
	for _, c := range []struct {
		f    *fixture
		want []string
	}{
		{t1, []string{"3 RESERVED->AVAILABLE system", "2 RESERVED->AVAILABLE system"}},
		{t2, []string{"4 RESERVED->AVAILABLE system", "4 RESERVED->AVAILABLE system"}},
		{t3, nil},
	} {
		if got := c.f.expiryMovements(t); !slices.Equal(got, c.want) {
			t.Errorf("tenant %s: EXPIRY movements %q, want %q", c.f.sc.TenantID, got, c.want)
		}
	}

	before := t1.movementCount(t) + t2.movementCount(t) + t3.movementCount(t)
	if _, err := jobs.SweepReservations(ctx, t1.store); err != nil {
		t.Fatal(err)
	}
	if after := t1.movementCount(t) + t2.movementCount(t) + t3.movementCount(t); after != before {
		t.Errorf("a second sweep wrote %d movements", after-before)
	}
}

// TestPruneWorkerForgetsOldIdempotencyKeys backdates idempotency keys of two
// tenants and works the prune job with River's test worker: keys older than
// the retention go, newer ones stay, and a forgotten key may be used again.
func TestPruneWorkerForgetsOldIdempotencyKeys(t *testing.T) {
	f, g := newFixture(t, nil), newFixture(t, nil)
	ctx := context.Background()
	ages := map[string]time.Duration{
		"old-30d":  30 * 24 * time.Hour,
		"old-49h":  jobs.IdempotencyKeyRetention + time.Hour,
		"kept-47h": jobs.IdempotencyKeyRetention - time.Hour,
		"kept-now": 0,
	}
	for _, fx := range []*fixture{f, g} {
		for key, age := range ages {
			if _, err := fx.store.Receive(ctx, fx.sc, fx.item.ID, fx.locA.ID, 1, domain.Meta{IdempotencyKey: new(key)}); err != nil {
				t.Fatal(err)
			}
			if _, err := fx.db.Owner.Exec(ctx, `UPDATE idempotency_keys SET created_at = now() - make_interval(secs => $3)
				WHERE tenant_id = $1 AND key = $2`, fx.sc.TenantID, key, age.Seconds()); err != nil {
				t.Fatalf("backdate %s: %v", key, err)
			}
		}
	}

	worker := rivertest.NewWorker[jobs.PruneIdempotencyKeysArgs, pgx.Tx](t, riverpgxv5.New(nil), &river.Config{},
		&jobs.PruneIdempotencyKeysWorker{Store: f.store})
	res, err := worker.Work(ctx, t, ownerTx(t, f.db), jobs.PruneIdempotencyKeysArgs{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.EventKind != river.EventKindJobCompleted {
		t.Fatalf("prune job ended %s, want completed", res.EventKind)
	}
	for _, fx := range []*fixture{f, g} {
		rows, _ := fx.db.Owner.Query(ctx, `SELECT key FROM idempotency_keys WHERE tenant_id = $1 ORDER BY key`, fx.sc.TenantID)
		keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"kept-47h", "kept-now"}; !slices.Equal(keys, want) {
			t.Errorf("tenant %s keeps keys %q, want %q", fx.sc.TenantID, keys, want)
		}
	}

	// A forgotten key is a new key; a kept one still replays.
	c, err := f.store.Receive(ctx, f.sc, f.item.ID, f.locA.ID, 2, domain.Meta{IdempotencyKey: new("old-49h")})
	if err != nil || c.Replayed {
		t.Errorf("reusing a pruned key with another input: %v (replayed %v), want a fresh receipt", err, c != nil && c.Replayed)
	}
	_, err = f.store.Receive(ctx, f.sc, f.item.ID, f.locA.ID, 2, domain.Meta{IdempotencyKey: new("kept-47h")})
	if domain.CodeOf(err) != domain.CodeIdempotencyConflict {
		t.Errorf("reusing a kept key with another input: got %v, want IDEMPOTENCY_CONFLICT", err)
	}
}
