package jobs_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
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

// scheduledStore returns a store over the service pool that enqueues its
// jobs through the real Scheduler, as serve wires it.
func scheduledStore(t *testing.T) *domain.Store {
	t.Helper()
	db := testdb.Get(t)
	sched, err := jobs.NewScheduler(db.Owner)
	if err != nil {
		t.Fatal(err)
	}
	return domain.NewStore(db.App, domain.WithSystemPool(db.System), domain.WithScheduler(sched))
}

// asTenant runs fn through the owner pool in a transaction bound to the
// fixture's tenant, so that it reads and writes the same rows whether or not
// the owner is subject to row-level security.
func (f *fixture) asTenant(t *testing.T, fn func(tx pgx.Tx) error) {
	t.Helper()
	ctx := context.Background()
	err := pgx.BeginFunc(ctx, f.db.Owner, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", f.sc.TenantID); err != nil {
			return err
		}
		return fn(tx)
	})
	if err != nil {
		t.Fatalf("owner transaction: %v", err)
	}
}

// ownerExec runs one statement through the owner pool for the fixture's
// tenant.
func (f *fixture) ownerExec(t *testing.T, sql string, args ...any) {
	t.Helper()
	f.asTenant(t, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), sql, args...)
		return err
	})
}

// codeOf names a location of the fixture by its code.
func (f *fixture) codeOf(locationID string) string {
	switch locationID {
	case f.locA.ID:
		return "A"
	case f.locB.ID:
		return "B"
	}
	return locationID
}

// checkJob is a check_alerts row of river_job.
type checkJob struct {
	ID                         int64
	State                      string
	ItemID, LocationID         string
	MaxAttempts                int
	TenantID                   string
	ScheduledAtBeforeNowOrSoon bool
}

// checkJobs lists the fixture tenant's check_alerts jobs in insertion order.
func (f *fixture) checkJobs(t *testing.T) []checkJob {
	t.Helper()
	rows, _ := f.db.Owner.Query(context.Background(), `SELECT id, state::text, args->>'item_id', args->>'location_id',
			max_attempts, args->>'tenant_id', scheduled_at <= now() + interval '1 second'
		FROM river_job WHERE kind = 'check_alerts' AND args->>'tenant_id' = $1 ORDER BY id`, f.sc.TenantID)
	js, err := pgx.CollectRows(rows, pgx.RowToStructByPos[checkJob])
	if err != nil {
		t.Fatalf("read river_job: %v", err)
	}
	return js
}

// describeCheckJobs renders jobs as "SKU-1@A available" lines.
func (f *fixture) describeCheckJobs(t *testing.T) []string {
	t.Helper()
	out := []string{}
	for _, j := range f.checkJobs(t) {
		sku := j.ItemID
		if j.ItemID == f.item.ID {
			sku = f.item.SKU
		}
		out = append(out, fmt.Sprintf("%s@%s %s", sku, f.codeOf(j.LocationID), j.State))
	}
	return out
}

// pendingMarks counts the fixture tenant's pending alert checks.
func (f *fixture) pendingMarks(t *testing.T) int {
	t.Helper()
	var n int
	f.asTenant(t, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT count(*) FROM alert_checks WHERE tenant_id = $1`, f.sc.TenantID).Scan(&n)
	})
	return n
}

// alerts lists the fixture tenant's alerts, newest first, as "KIND STATUS
// available/threshold".
func (f *fixture) alerts(t *testing.T) []string {
	t.Helper()
	p, err := f.store.Alerts(context.Background(), f.sc, domain.AlertFilter{}, domain.PageRequest{})
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, a := range p.Rows {
		out = append(out, fmt.Sprintf("%s %s %s %d/%d", a.Kind, a.Status, f.codeOf(a.LocationID), derefOr(a.Available, -1), derefOr(a.Threshold, -1)))
	}
	return out
}

// ship ships quantity from loc, failing the test on error.
func (f *fixture) ship(t *testing.T, loc *domain.Location, q int64) {
	t.Helper()
	if _, err := f.store.Ship(context.Background(), f.sc, f.item.ID, loc.ID, q, domain.Meta{}); err != nil {
		t.Fatalf("ship: %v", err)
	}
}

// TestManyChangesLeaveOnePendingCheckAlertsJob makes many changes, serial
// and concurrent, to a level with a reorder point through a store that
// enqueues jobs with the real Scheduler: exactly one check_alerts job is
// pending for the level (and one for the other level changed), due now and
// allowed to retry. Once that job has been worked, the level's next change
// enqueues a new one, and again only one.
func TestManyChangesLeaveOnePendingCheckAlertsJob(t *testing.T) {
	f := newFixture(t, scheduledStore(t))
	ctx := context.Background()
	if _, err := f.store.SetReorderPoint(ctx, f.sc, f.item.ID, "", new(int64(5))); err != nil {
		t.Fatal(err)
	}
	if got := f.describeCheckJobs(t); len(got) != 0 {
		t.Fatalf("setting a reorder point with no levels enqueued %v", got)
	}

	f.receive(t, f.locA, 40)
	for range 8 {
		f.ship(t, f.locA, 1)
	}
	errs := make([]error, 10)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() { _, errs[i] = f.store.Ship(ctx, f.sc, f.item.ID, f.locA.ID, 1, domain.Meta{}) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	f.receive(t, f.locB, 2)
	f.ship(t, f.locB, 1)
	want := []string{"SKU-1@A available", "SKU-1@B available"}
	if got := f.describeCheckJobs(t); !slices.Equal(got, want) {
		t.Fatalf("check_alerts jobs after 21 changes at A and 2 at B: %q, want %q", got, want)
	}
	jobsNow := f.checkJobs(t)
	for _, j := range jobsNow {
		if j.TenantID != f.sc.TenantID || j.MaxAttempts != 10 || !j.ScheduledAtBeforeNowOrSoon {
			t.Errorf("job %+v, want the tenant's, 10 attempts, due now", j)
		}
	}
	if n := f.pendingMarks(t); n != 2 {
		t.Errorf("%d pending marks, want 2", n)
	}

	// Work A's pending job itself, and commit its completion.
	client, err := river.NewClient(riverpgxv5.New(f.db.Owner), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	row, err := client.JobGet(ctx, jobsNow[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	worker := rivertest.NewWorker[jobs.CheckAlertsArgs, pgx.Tx](t, riverpgxv5.New(nil), &river.Config{},
		&jobs.CheckAlertsWorker{Store: f.store})
	tx, err := f.db.Owner.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res, err := worker.WorkJob(ctx, t, tx, row)
	if err != nil || res.EventKind != river.EventKindJobCompleted {
		_ = tx.Rollback(ctx)
		t.Fatalf("work A's check: %v, %+v", err, res)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := f.alerts(t), []string{}; !slices.Equal(got, want) {
		t.Errorf("alerts at 21 available: %q, want none", got)
	}
	if n := f.pendingMarks(t); n != 1 {
		t.Errorf("%d pending marks after A's check, want 1 (B's)", n)
	}

	for range 3 {
		f.ship(t, f.locA, 6)
	}
	want = []string{"SKU-1@A completed", "SKU-1@B available", "SKU-1@A available"}
	if got := f.describeCheckJobs(t); !slices.Equal(got, want) {
		t.Errorf("check_alerts jobs after three more changes at A: %q, want %q", got, want)
	}
}

// TestCheckAlertsWorkerRaisesTheAlert works check_alerts jobs with River's
// test worker: the job for a level under its reorder point completes and
// raises the alert (once, however many jobs run), and jobs naming no valid
// tenant or a malformed id are cancelled, not retried.
func TestCheckAlertsWorkerRaisesTheAlert(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	if _, err := f.store.SetReorderPoint(ctx, f.sc, f.item.ID, "", new(int64(5))); err != nil {
		t.Fatal(err)
	}
	f.receive(t, f.locA, 3)
	if n := f.pendingMarks(t); n != 1 {
		t.Fatalf("%d pending marks, want 1", n)
	}
	worker := rivertest.NewWorker[jobs.CheckAlertsArgs, pgx.Tx](t, riverpgxv5.New(nil), &river.Config{},
		&jobs.CheckAlertsWorker{Store: f.store})
	tx := ownerTx(t, f.db)
	args := jobs.CheckAlertsArgs{TenantID: f.sc.TenantID, ItemID: f.item.ID, LocationID: f.locA.ID}
	for i := range 2 {
		res, err := worker.Work(ctx, t, tx, args, nil)
		if err != nil {
			t.Fatalf("work: %v", err)
		}
		if res.EventKind != river.EventKindJobCompleted || res.Job.State != rivertype.JobStateCompleted || res.Job.MaxAttempts != 10 {
			t.Fatalf("job %d ended %s in state %s with %d attempts, want completed with 10", i, res.EventKind, res.Job.State, res.Job.MaxAttempts)
		}
		if got, want := f.alerts(t), []string{"LOW_STOCK OPEN A 3/5"}; !slices.Equal(got, want) {
			t.Errorf("after job %d: alerts %q, want %q", i, got, want)
		}
	}
	if n := f.pendingMarks(t); n != 0 {
		t.Errorf("%d pending marks after the checks, want none", n)
	}
	for _, bad := range []jobs.CheckAlertsArgs{
		{TenantID: "not-a-tenant", ItemID: f.item.ID, LocationID: f.locA.ID},
		{TenantID: f.sc.TenantID, ItemID: "not-an-item", LocationID: f.locA.ID},
		{TenantID: f.sc.TenantID, ItemID: f.item.ID, LocationID: "not-a-location"},
	} {
		res, err := worker.Work(ctx, t, tx, bad, nil)
		if err != nil {
			t.Fatalf("%+v: %v", bad, err)
		}
		if res.EventKind != river.EventKindJobCancelled || res.Job.State != rivertype.JobStateCancelled {
			t.Errorf("%+v: job ended %s in state %s, want cancelled", bad, res.EventKind, res.Job.State)
		}
	}
	if got, want := f.alerts(t), []string{"LOW_STOCK OPEN A 3/5"}; !slices.Equal(got, want) {
		t.Errorf("alerts after the bad jobs: %q, want %q", got, want)
	}
}

// dbNow reads the database's clock: a moment after every change committed so
// far and before any made later.
func (f *fixture) dbNow(t *testing.T) time.Time {
	t.Helper()
	var now time.Time
	if err := f.db.Owner.QueryRow(context.Background(), "SELECT clock_timestamp()").Scan(&now); err != nil {
		t.Fatal(err)
	}
	return now
}

// reportFile reads a built report's file through the store and parses it
// as CSV.
func (f *fixture) reportFile(t *testing.T, id string) (*domain.Report, []byte, [][]string) {
	t.Helper()
	var buf bytes.Buffer
	var started *domain.Report
	if err := f.store.WriteReport(context.Background(), f.sc, id, func(r *domain.Report) { started = r }, &buf); err != nil {
		t.Fatalf("read report %s: %v", id, err)
	}
	records, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
	if err != nil {
		t.Fatalf("report %s is not CSV: %v\n%s", id, err, buf.Bytes())
	}
	return started, buf.Bytes(), records
}

// report reads a report through the store.
func (f *fixture) report(t *testing.T, id string) *domain.Report {
	t.Helper()
	r, err := f.store.Report(context.Background(), f.sc, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// requestReport requests a report, failing the test on error.
func (f *fixture) requestReport(t *testing.T, kind domain.ReportKind, p domain.ReportParams) *domain.Report {
	t.Helper()
	r, err := f.store.RequestReport(context.Background(), f.sc, kind, p)
	if err != nil {
		t.Fatalf("request %s: %v", kind, err)
	}
	if r.Status != domain.ReportQueued || r.Kind != kind || r.RequestedBy != f.sc.Actor {
		t.Fatalf("requested report %+v, want QUEUED %s by %s", r, kind, f.sc.Actor)
	}
	return r
}

// ts formats a time as a report writes it.
func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// TestBuildReportWorkerBuildsEachKind builds, with River's test worker, a
// report of each kind over a ledger made for the purpose (two items, two
// locations, receipts, shipments, a reservation, a transfer in transit,
// reorder points with an override) and checks every row of each file against
// figures worked out by hand and the times the store reports, then the
// report's own record: SUCCEEDED, progress 1, its row and byte counts, and
// its expiry.
func TestBuildReportWorkerBuildsEachKind(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	gadget, err := f.store.CreateItem(ctx, f.sc, domain.NewItem{SKU: "SKU-2", Name: "Gadget"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		item, loc string
		point     int64
	}{{f.item.ID, "", 5}, {gadget.ID, "", 10}, {gadget.ID, f.locB.ID, 1}} {
		if _, err := f.store.SetReorderPoint(ctx, f.sc, p.item, p.loc, &p.point); err != nil {
			t.Fatal(err)
		}
	}
	must := func(c *domain.StockChange, err error) *domain.StockChange {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	must(f.store.Receive(ctx, f.sc, f.item.ID, f.locA.ID, 10, domain.Meta{Reference: new("PO-1")}))
	must(f.store.Receive(ctx, f.sc, f.item.ID, f.locB.ID, 3, domain.Meta{}))
	t1 := f.dbNow(t)
	must(f.store.Ship(ctx, f.sc, f.item.ID, f.locA.ID, 6, domain.Meta{Reason: new("=cmd|' /C calc'!A0"), Reference: new("SO-1")}))
	must(f.store.Reserve(ctx, f.sc, domain.ReserveRequest{ItemID: f.item.ID, LocationID: f.locA.ID, Quantity: 1}, domain.Meta{}))
	must(f.store.Receive(ctx, f.sc, gadget.ID, f.locA.ID, 8, domain.Meta{}))
	must(f.store.Receive(ctx, f.sc, gadget.ID, f.locB.ID, 2, domain.Meta{}))
	must(f.store.ShipTransfer(ctx, f.sc, gadget.ID, f.locA.ID, f.locB.ID, 3, domain.Meta{Reference: new("-TR-1")}))
	t2 := f.dbNow(t)
	must(f.store.Ship(ctx, f.sc, f.item.ID, f.locB.ID, 1, domain.Meta{}))

	at := func(item string, loc *domain.Location, asOf *time.Time) string {
		l, err := f.store.LevelAt(ctx, f.sc, item, loc.ID, asOf)
		if err != nil {
			t.Fatal(err)
		}
		return ts(l.UpdatedAt)
	}
	header := map[domain.ReportKind][]string{
		domain.ReportStockSnapshot: {"sku", "item_name", "location_code", "on_hand", "available", "reserved", "damaged",
			"quality_control", "incoming", "version", "last_changed_at"},
		domain.ReportMovementHistory: {"movement_id", "created_at", "operation_id", "kind", "sku", "location_code",
			"to_location_code", "quantity", "from_state", "to_state", "actor", "reason", "reference"},
		domain.ReportLowStock: {"sku", "item_name", "location_code", "available", "reorder_point", "to_reach_reorder_point"},
	}

	var history [][]string
	ms, err := f.store.Movements(ctx, f.sc, domain.MovementFilter{}, domain.PageRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range slices.Backward(ms.Rows) {
		if m.CreatedAt.Before(t1) || !m.CreatedAt.Before(t2) {
			continue
		}
		sku, toCode, from, to := f.item.SKU, "", "", ""
		if m.ItemID == gadget.ID {
			sku = gadget.SKU
		}
		if m.ToLocationID != nil {
			toCode = f.codeOf(*m.ToLocationID)
		}
		if m.FromState != nil {
			from = string(*m.FromState)
		}
		if m.ToState != nil {
			to = string(*m.ToState)
		}
		history = append(history, []string{m.ID, ts(m.CreatedAt), m.OperationID, string(m.Kind), sku, f.codeOf(m.LocationID),
			toCode, fmt.Sprint(m.Quantity), from, to, "tester", "", ""})
	}
	if len(history) != 5 {
		t.Fatalf("%d movements between t1 and t2, want 5", len(history))
	}
	history[0][11], history[0][12] = "'=cmd|' /C calc'!A0", "SO-1" // a formula is defused
	history[4][12] = "'-TR-1"
	wantKinds := []string{"SHIPMENT", "RESERVATION", "RECEIPT", "RECEIPT", "TRANSFER_OUT"}
	for i, row := range history {
		if row[3] != wantKinds[i] {
			t.Fatalf("movement %d between t1 and t2 is %s, want %s", i, row[3], wantKinds[i])
		}
	}

	cases := []struct {
		name   string
		kind   domain.ReportKind
		params domain.ReportParams
		rows   [][]string
	}{
		{"snapshot as of t2", domain.ReportStockSnapshot, domain.ReportParams{AsOf: &t2}, [][]string{
			{"SKU-1", "Widget", "A", "4", "3", "1", "0", "0", "0", "3", at(f.item.ID, f.locA, &t2)},
			{"SKU-1", "Widget", "B", "3", "3", "0", "0", "0", "0", "1", at(f.item.ID, f.locB, &t2)},
			{"SKU-2", "Gadget", "A", "5", "5", "0", "0", "0", "0", "2", at(gadget.ID, f.locA, &t2)},
			{"SKU-2", "Gadget", "B", "2", "2", "0", "0", "0", "3", "2", at(gadget.ID, f.locB, &t2)},
		}},
		{"snapshot as of t1", domain.ReportStockSnapshot, domain.ReportParams{AsOf: &t1}, [][]string{
			{"SKU-1", "Widget", "A", "10", "10", "0", "0", "0", "0", "1", at(f.item.ID, f.locA, &t1)},
			{"SKU-1", "Widget", "B", "3", "3", "0", "0", "0", "0", "1", at(f.item.ID, f.locB, &t1)},
		}},
		{"snapshot now at B", domain.ReportStockSnapshot, domain.ReportParams{LocationIDs: []string{f.locB.ID}}, [][]string{
			{"SKU-1", "Widget", "B", "2", "2", "0", "0", "0", "0", "2", at(f.item.ID, f.locB, nil)},
			{"SKU-2", "Gadget", "B", "2", "2", "0", "0", "0", "3", "2", at(gadget.ID, f.locB, nil)},
		}},
		{"snapshot of SKU-2 as of t2", domain.ReportStockSnapshot, domain.ReportParams{AsOf: &t2, ItemIDs: []string{gadget.ID}}, [][]string{
			{"SKU-2", "Gadget", "A", "5", "5", "0", "0", "0", "0", "2", at(gadget.ID, f.locA, &t2)},
			{"SKU-2", "Gadget", "B", "2", "2", "0", "0", "0", "3", "2", at(gadget.ID, f.locB, &t2)},
		}},
		{"movements from t1 to t2", domain.ReportMovementHistory, domain.ReportParams{From: &t1, To: &t2}, history},
		{"movements from t1 to t2 to or from B", domain.ReportMovementHistory,
			domain.ReportParams{From: &t1, To: &t2, LocationIDs: []string{f.locB.ID}}, [][]string{history[3], history[4]}},
		{"low stock", domain.ReportLowStock, domain.ReportParams{}, [][]string{
			{"SKU-1", "Widget", "A", "3", "5", "2"},
			{"SKU-1", "Widget", "B", "2", "5", "3"},
			{"SKU-2", "Gadget", "A", "5", "10", "5"},
		}},
	}
	worker := rivertest.NewWorker[jobs.BuildReportArgs, pgx.Tx](t, riverpgxv5.New(nil), &river.Config{},
		&jobs.BuildReportWorker{Store: f.store, TTL: time.Hour})
	tx := ownerTx(t, f.db)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := f.requestReport(t, c.kind, c.params)
			res, err := worker.Work(ctx, t, tx, jobs.BuildReportArgs{TenantID: f.sc.TenantID, ReportID: r.ID}, nil)
			if err != nil || res.EventKind != river.EventKindJobCompleted || res.Job.MaxAttempts != 3 || res.Job.Queue != jobs.ReportQueue {
				t.Fatalf("build: %v, %+v", err, res)
			}
			built, raw, records := f.reportFile(t, r.ID)
			want := append([][]string{header[c.kind]}, c.rows...)
			if !slices.EqualFunc(records, want, slices.Equal) {
				t.Errorf("file:\n%q\nwant\n%q", records, want)
			}
			got := f.report(t, r.ID)
			if got.Status != domain.ReportSucceeded || got.Progress != 1 || got.RowCount != int64(len(c.rows)) ||
				got.ByteCount != int64(len(raw)) || got.Error != nil || got.StartedAt == nil || got.FinishedAt == nil ||
				got.ExpiresAt == nil || built.ID != r.ID {
				t.Fatalf("report after the build: %+v", got)
			}
			if ttl := got.ExpiresAt.Sub(*got.FinishedAt); ttl < time.Hour || ttl > time.Hour+time.Second {
				t.Errorf("report kept for %s after it finished, want 1h", ttl)
			}
		})
	}

	// The change feed told of each report's progress, ending SUCCEEDED.
	type ev struct{ Status, ID string }
	rows, _ := f.db.Owner.Query(ctx, `SELECT payload->>'status', payload->>'id' FROM events
		WHERE tenant_id = $1 AND kind = 'report.updated' ORDER BY id`, f.sc.TenantID)
	evs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[ev])
	if err != nil {
		t.Fatal(err)
	}
	byReport := map[string][]string{}
	var order []string
	for _, e := range evs {
		if byReport[e.ID] == nil {
			order = append(order, e.ID)
		}
		byReport[e.ID] = append(byReport[e.ID], e.Status)
	}
	if len(order) != len(cases) {
		t.Errorf("report.updated events for %d reports, want %d", len(order), len(cases))
	}
	for _, id := range order {
		s := byReport[id]
		if len(s) < 3 || s[0] != "QUEUED" || s[1] != "RUNNING" || s[len(s)-1] != "SUCCEEDED" {
			t.Errorf("report %s went through %v, want QUEUED, RUNNING, …, SUCCEEDED", id, s)
		}
	}
}

// buildJobs lists the states of a report's build_report jobs.
func (f *fixture) buildJobs(t *testing.T, reportID string) []string {
	t.Helper()
	rows, _ := f.db.Owner.Query(context.Background(), `SELECT state::text FROM river_job
		WHERE kind = 'build_report' AND args->>'tenant_id' = $1 AND args->>'report_id' = $2 ORDER BY id`, f.sc.TenantID, reportID)
	states, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return states
}

// TestFailedReportIsRecordedAndRetried makes a report's build fail in the
// database (its stored filter names a location by a malformed id, which the
// query refuses), and checks that the job completes with the report FAILED,
// saying why, with no file; that retryReport queues it again with a new job,
// and only a FAILED report can be retried; and that, once the cause is gone,
// the retried build succeeds.
func TestFailedReportIsRecordedAndRetried(t *testing.T) {
	f := newFixture(t, scheduledStore(t))
	other := newFixture(t, nil)
	ctx := context.Background()
	f.receive(t, f.locA, 4)
	r := f.requestReport(t, domain.ReportStockSnapshot, domain.ReportParams{})
	if got, want := f.buildJobs(t, r.ID), []string{"available"}; !slices.Equal(got, want) {
		t.Fatalf("build jobs after the request: %v, want %v", got, want)
	}
	f.ownerExec(t, `UPDATE reports SET params = '{"locationIds": ["not-a-uuid"]}' WHERE tenant_id = $1 AND id = $2`, f.sc.TenantID, r.ID)

	worker := rivertest.NewWorker[jobs.BuildReportArgs, pgx.Tx](t, riverpgxv5.New(nil), &river.Config{},
		&jobs.BuildReportWorker{Store: f.store, TTL: time.Hour})
	tx := ownerTx(t, f.db)
	args := jobs.BuildReportArgs{TenantID: f.sc.TenantID, ReportID: r.ID}
	res, err := worker.Work(ctx, t, tx, args, nil)
	if err != nil || res.EventKind != river.EventKindJobCompleted {
		t.Fatalf("build: %v, %+v", err, res)
	}
	failed := f.report(t, r.ID)
	if failed.Status != domain.ReportFailed || failed.Error == nil || !strings.Contains(*failed.Error, "invalid input syntax for type uuid") ||
		failed.FinishedAt == nil || failed.ExpiresAt != nil || failed.RowCount != 0 || failed.ByteCount != 0 {
		t.Fatalf("report after the failed build: %+v (error %q)", failed, derefOr(failed.Error, ""))
	}
	var chunks int
	f.asTenant(t, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM report_chunks WHERE tenant_id = $1 AND report_id = $2`, f.sc.TenantID, r.ID).Scan(&chunks)
	})
	if chunks != 0 {
		t.Errorf("a failed report keeps %d chunks", chunks)
	}
	err = f.store.WriteReport(ctx, f.sc, r.ID, func(*domain.Report) { t.Error("a failed report started a download") }, &bytes.Buffer{})
	if !errors.Is(err, domain.ErrReportNotReady) {
		t.Errorf("downloading a failed report: %v, want ErrReportNotReady", err)
	}

	_, err = other.store.RetryReport(ctx, other.sc, r.ID)
	wantCode(t, "another tenant's retry", err, domain.CodeNotFound)
	_, err = f.store.RetryReport(ctx, f.sc, "not-an-id")
	wantCode(t, "a malformed id", err, domain.CodeValidation)
	retried, err := f.store.RetryReport(ctx, f.sc, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if retried.Status != domain.ReportQueued || retried.Error != nil || retried.FinishedAt != nil || retried.StartedAt != nil || retried.Progress != 0 {
		t.Errorf("retried report: %+v", retried)
	}
	if got, want := f.buildJobs(t, r.ID), []string{"available", "available"}; !slices.Equal(got, want) {
		t.Errorf("build jobs after the retry: %v, want %v", got, want)
	}
	_, err = f.store.RetryReport(ctx, f.sc, r.ID)
	wantCode(t, "retrying a QUEUED report", err, domain.CodeInvalidState)

	f.ownerExec(t, `UPDATE reports SET params = '{}' WHERE tenant_id = $1 AND id = $2`, f.sc.TenantID, r.ID)
	if res, err := worker.Work(ctx, t, tx, args, nil); err != nil || res.EventKind != river.EventKindJobCompleted {
		t.Fatalf("build after the retry: %v, %+v", err, res)
	}
	_, _, records := f.reportFile(t, r.ID)
	if len(records) != 2 || !slices.Equal(records[1][:5], []string{"SKU-1", "Widget", "A", "4", "4"}) {
		t.Errorf("the retried report's file: %q", records)
	}
	_, err = f.store.RetryReport(ctx, f.sc, r.ID)
	wantCode(t, "retrying a SUCCEEDED report", err, domain.CodeInvalidState)
}

// derefOr returns *p, or zero for nil.
func derefOr[T any](p *T, zero T) T {
	if p == nil {
		return zero
	}
	return *p
}

// wantCode fails the test unless err is a domain Error with this code.
func wantCode(t *testing.T, what string, err error, code domain.Code) {
	t.Helper()
	if got := domain.CodeOf(err); got != code {
		t.Errorf("%s: %v, want %s", what, err, code)
	}
}

// TestCancelledReportBuildEndsFailed cancels a report's build while it runs
// (its query waits on a lock the test holds, as a long report would run;
// cancelling is what a job timeout or a shutdown does) and checks that the
// report ends FAILED with the reason, so that it can be retried, rather than
// RUNNING forever with no job left to finish it.
func TestCancelledReportBuildEndsFailed(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	f.receive(t, f.locA, 4)
	r := f.requestReport(t, domain.ReportStockSnapshot, domain.ReportParams{})

	lock, err := f.db.Owner.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = lock.Rollback(ctx) }()
	if _, err := lock.Exec(ctx, "LOCK TABLE level_history IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	buildCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- f.store.BuildReport(buildCtx, f.sc, r.ID, time.Hour) }()

	deadline := time.Now().Add(30 * time.Second)
	for {
		var waiting int
		if err := f.db.Owner.QueryRow(ctx, `SELECT count(*) FROM pg_locks WHERE relation = 'level_history'::regclass AND NOT granted`).
			Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the build never reached the locked table")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := f.report(t, r.ID); got.Status != domain.ReportRunning {
		t.Fatalf("report while its query waits: %s, want RUNNING", got.Status)
	}
	cancel()
	var buildErr error
	select {
	case buildErr = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the build did not return after its context was cancelled")
	}
	if err := lock.Rollback(ctx); err != nil {
		t.Fatal(err)
	}

	got := f.report(t, r.ID)
	if got.Status != domain.ReportFailed || got.Error == nil || !strings.Contains(*got.Error, "cancel") || got.FinishedAt == nil {
		t.Fatalf("report after its build was cancelled: status %s, error %q, finished %v (BuildReport returned %v); "+
			"want FAILED with the reason", got.Status, derefOr(got.Error, ""), got.FinishedAt, buildErr)
	}
	if _, err := f.store.RetryReport(ctx, f.sc, r.ID); err != nil {
		t.Errorf("retrying the cancelled report: %v", err)
	}
}

// TestPruneReportsWorkerDeletesExpiredReports builds reports that expire at
// once and one kept for an hour, fails one long ago and one just now, in two
// tenants, and runs the prune job: it deletes the expired reports, with their
// files, and the one that failed long ago, and keeps the others. An expired
// report that is not yet pruned can no longer be downloaded.
func TestPruneReportsWorkerDeletesExpiredReports(t *testing.T) {
	f := newFixture(t, nil)
	other := newFixture(t, nil)
	ctx := context.Background()
	f.receive(t, f.locA, 4)
	other.receive(t, other.locA, 2)
	build := func(fx *fixture, ttl time.Duration, fail bool) string {
		t.Helper()
		r := fx.requestReport(t, domain.ReportStockSnapshot, domain.ReportParams{})
		if fail {
			fx.ownerExec(t, `UPDATE reports SET params = '{"itemIds": ["x"]}' WHERE tenant_id = $1 AND id = $2`, fx.sc.TenantID, r.ID)
		}
		if err := fx.store.BuildReport(ctx, fx.sc, r.ID, ttl); err != nil {
			t.Fatal(err)
		}
		want := domain.ReportSucceeded
		if fail {
			want = domain.ReportFailed
		}
		if got := fx.report(t, r.ID); got.Status != want {
			t.Fatalf("report built as %s, want %s", got.Status, want)
		}
		return r.ID
	}
	expired := build(f, time.Millisecond, false)
	kept := build(f, time.Hour, false)
	failedLongAgo := build(f, time.Hour, true)
	failedNow := build(f, time.Hour, true)
	othersExpired := build(other, time.Millisecond, false)
	f.ownerExec(t, `UPDATE reports SET finished_at = finished_at - interval '8 days' WHERE tenant_id = $1 AND id = $2`, f.sc.TenantID, failedLongAgo)
	time.Sleep(20 * time.Millisecond)

	err := f.store.WriteReport(ctx, f.sc, expired, func(*domain.Report) { t.Error("an expired report started a download") }, &bytes.Buffer{})
	if !errors.Is(err, domain.ErrReportNotReady) {
		t.Errorf("downloading an expired report: %v, want ErrReportNotReady", err)
	}

	chunks := func(fx *fixture, id string) int {
		var n int
		fx.asTenant(t, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT count(*) FROM report_chunks WHERE tenant_id = $1 AND report_id = $2`, fx.sc.TenantID, id).Scan(&n)
		})
		return n
	}
	if chunks(f, expired) == 0 || chunks(f, kept) == 0 {
		t.Fatal("built reports have no chunks")
	}

	worker := rivertest.NewWorker[jobs.PruneReportsArgs, pgx.Tx](t, riverpgxv5.New(nil), &river.Config{},
		&jobs.PruneReportsWorker{Store: f.store})
	res, err := worker.Work(ctx, t, ownerTx(t, f.db), jobs.PruneReportsArgs{}, nil)
	if err != nil || res.EventKind != river.EventKindJobCompleted {
		t.Fatalf("prune: %v, %+v", err, res)
	}

	list := func(fx *fixture) []string {
		p, err := fx.store.Reports(ctx, fx.sc, domain.PageRequest{})
		if err != nil {
			t.Fatal(err)
		}
		ids := []string{}
		for _, r := range p.Rows {
			ids = append(ids, r.ID)
		}
		slices.Sort(ids)
		return ids
	}
	want := []string{kept, failedNow}
	slices.Sort(want)
	if got := list(f); !slices.Equal(got, want) {
		t.Errorf("reports left: %v, want the one kept for an hour %s and the one failed now %s", got, kept, failedNow)
	}
	if got := list(other); len(got) != 0 {
		t.Errorf("the other tenant's expired report %s was not pruned: %v", othersExpired, got)
	}
	if n := chunks(f, expired); n != 0 {
		t.Errorf("the pruned report left %d chunks", n)
	}
	if n := chunks(f, kept); n == 0 {
		t.Error("the kept report lost its file")
	}
	if _, err := f.store.Report(ctx, f.sc, expired); domain.CodeOf(err) != domain.CodeNotFound {
		t.Errorf("the pruned report reads back: %v, want NOT_FOUND", err)
	}
}
