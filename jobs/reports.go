package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"

	"github.com/inventory-backbone/inventory/domain"
)

// BuildReportArgs asks for a report to be built.
type BuildReportArgs struct {
	TenantID string `json:"tenant_id"`
	ReportID string `json:"report_id"`
}

// Kind names the job.
func (BuildReportArgs) Kind() string { return "build_report" }

// ReportQueue is the queue reports are built on, apart from the short jobs,
// with few workers: a build holds a database connection for its duration.
const ReportQueue = "reports"

// InsertOpts: a report whose build fails is marked FAILED with its reason and
// is retried by asking (retryReport); the queue retries only builds that
// never got that far (a crash, a lost database), which start over.
func (BuildReportArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: ReportQueue, MaxAttempts: 3}
}

// BuildReportWorker builds reports.
type BuildReportWorker struct {
	river.WorkerDefaults[BuildReportArgs]
	Store *domain.Store
	// TTL is how long a built report is kept.
	TTL time.Duration
}

// Work builds.
func (w *BuildReportWorker) Work(ctx context.Context, job *river.Job[BuildReportArgs]) error {
	sc, err := jobScope(job.Args.TenantID)
	if err != nil {
		return err
	}
	err = w.Store.BuildReport(ctx, sc, job.Args.ReportID, w.TTL)
	if errors.Is(err, domain.ErrNotFound) {
		return river.JobCancel(err)
	}
	return err
}

// Timeout bounds one report.
func (w *BuildReportWorker) Timeout(*river.Job[BuildReportArgs]) time.Duration {
	return 30 * time.Minute
}

// PruneReportsArgs asks for expired reports to be deleted.
type PruneReportsArgs struct{}

// Kind names the job.
func (PruneReportsArgs) Kind() string { return "prune_reports" }

// PruneReportsWorker deletes expired reports (and failed ones after a week),
// tenant by tenant.
type PruneReportsWorker struct {
	river.WorkerDefaults[PruneReportsArgs]
	Store *domain.Store
}

// Work prunes.
func (w *PruneReportsWorker) Work(ctx context.Context, _ *river.Job[PruneReportsArgs]) error {
	return forEachTenant(ctx, w.Store, func(sc domain.Scope) error {
		_, err := w.Store.PruneReports(ctx, sc, 7*24*time.Hour)
		return err
	})
}
