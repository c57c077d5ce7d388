package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/inventory-backbone/inventory/domain"
)

// RunImportArgs asks for an import to be processed.
type RunImportArgs struct {
	TenantID string `json:"tenant_id"`
	ImportID string `json:"import_id"`
}

// Kind names the job.
func (RunImportArgs) Kind() string { return "run_import" }

// ImportQueue is the queue imports run on, apart from the short jobs, with
// few workers: an import holds its file in memory while it runs.
const ImportQueue = "imports"

// InsertOpts: an import that fails on its rows is FAILED with them listed
// and is not retried; the queue retries only runs that did not get that far
// (a crash, a lost database, items created under the import's skus while
// it applied them), which start over.
func (RunImportArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: ImportQueue, MaxAttempts: 5}
}

// RunImportWorker processes imports.
type RunImportWorker struct {
	river.WorkerDefaults[RunImportArgs]
	Store *domain.Store
}

// Work processes one import.
func (w *RunImportWorker) Work(ctx context.Context, job *river.Job[RunImportArgs]) error {
	sc, err := jobScope(job.Args.TenantID)
	if err != nil {
		return err
	}
	err = w.Store.RunImport(ctx, sc, job.Args.ImportID)
	if errors.Is(err, domain.ErrNotFound) {
		return river.JobCancel(err)
	}
	return err
}

// Timeout bounds one import.
func (w *RunImportWorker) Timeout(*river.Job[RunImportArgs]) time.Duration {
	return 15 * time.Minute
}

// ScheduleImport inserts an import's run, due now. It implements
// domain.ImportScheduler.
func (s *Scheduler) ScheduleImport(ctx context.Context, tx pgx.Tx, tenantID, importID string) error {
	_, err := s.client.InsertTx(ctx, tx, RunImportArgs{TenantID: tenantID, ImportID: importID}, nil)
	return err
}

var _ domain.ImportScheduler = (*Scheduler)(nil)
