package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"

	"github.com/inventory-backbone/inventory/domain"
)

// CheckAlertsArgs asks for one level's low-stock alert to be checked.
type CheckAlertsArgs struct {
	TenantID   string `json:"tenant_id"`
	ItemID     string `json:"item_id"`
	LocationID string `json:"location_id"`
}

// Kind names the job.
func (CheckAlertsArgs) Kind() string { return "check_alerts" }

// InsertOpts lets the check retry: a level's pending mark stays until a
// check succeeds.
func (CheckAlertsArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 10} }

// CheckAlertsWorker raises, escalates or resolves a level's alert.
type CheckAlertsWorker struct {
	river.WorkerDefaults[CheckAlertsArgs]
	Store *domain.Store
}

// Work checks.
func (w *CheckAlertsWorker) Work(ctx context.Context, job *river.Job[CheckAlertsArgs]) error {
	sc, err := jobScope(job.Args.TenantID)
	if err != nil {
		return err
	}
	_, err = w.Store.CheckAlerts(ctx, sc, job.Args.ItemID, job.Args.LocationID)
	if errors.Is(err, domain.ErrValidation) {
		return river.JobCancel(err)
	}
	return err
}

// AuditLedgerArgs asks for every tenant's ledger to be audited.
type AuditLedgerArgs struct{}

// Kind names the job.
func (AuditLedgerArgs) Kind() string { return "audit_ledger" }

// AuditLedgerWorker audits every tenant's ledger, tenant by tenant.
type AuditLedgerWorker struct {
	river.WorkerDefaults[AuditLedgerArgs]
	Store *domain.Store
}

// Work audits.
func (w *AuditLedgerWorker) Work(ctx context.Context, _ *river.Job[AuditLedgerArgs]) error {
	return forEachTenant(ctx, w.Store, func(sc domain.Scope) error {
		_, err := w.Store.AuditLedger(ctx, sc)
		return err
	})
}

// RequeueAlertChecksArgs asks for every tenant's alert checks that have been
// pending too long (their job was lost or gave up) to be queued again. It
// runs periodically, as a safety net behind the check jobs.
type RequeueAlertChecksArgs struct{}

// Kind names the job.
func (RequeueAlertChecksArgs) Kind() string { return "requeue_alert_checks" }

// staleAlertCheck is how long a level's alert check may stay pending before
// it is queued again.
const staleAlertCheck = 10 * time.Minute

// RequeueAlertChecksWorker queues again, tenant by tenant, the alert checks
// pending for longer than staleAlertCheck.
type RequeueAlertChecksWorker struct {
	river.WorkerDefaults[RequeueAlertChecksArgs]
	Store *domain.Store
}

// Work requeues.
func (w *RequeueAlertChecksWorker) Work(ctx context.Context, _ *river.Job[RequeueAlertChecksArgs]) error {
	return forEachTenant(ctx, w.Store, func(sc domain.Scope) error {
		_, err := w.Store.RequeueStaleAlertChecks(ctx, sc, staleAlertCheck)
		return err
	})
}
