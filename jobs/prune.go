package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/inventory-backbone/inventory/domain"
)

// IdempotencyKeyRetention is how long idempotency keys are kept. The contract
// promises at least 24 hours.
const IdempotencyKeyRetention = 48 * time.Hour

// PruneIdempotencyKeysArgs asks for old idempotency keys to be forgotten.
type PruneIdempotencyKeysArgs struct{}

// Kind names the job.
func (PruneIdempotencyKeysArgs) Kind() string { return "prune_idempotency_keys" }

// PruneIdempotencyKeysWorker forgets idempotency keys older than
// IdempotencyKeyRetention, tenant by tenant.
type PruneIdempotencyKeysWorker struct {
	river.WorkerDefaults[PruneIdempotencyKeysArgs]
	Store *domain.Store
}

// Work prunes.
func (w *PruneIdempotencyKeysWorker) Work(ctx context.Context, _ *river.Job[PruneIdempotencyKeysArgs]) error {
	return forEachTenant(ctx, w.Store, func(sc domain.Scope) error {
		_, err := w.Store.PruneIdempotencyKeys(ctx, sc, IdempotencyKeyRetention)
		return err
	})
}

// PruneEventsArgs asks for change-feed events older than the retention to be
// deleted from the outbox.
type PruneEventsArgs struct{}

// Kind names the job.
func (PruneEventsArgs) Kind() string { return "prune_events" }

// PruneEventsWorker deletes events older than Retention. Subscribers can
// resume from any cursor younger than that.
type PruneEventsWorker struct {
	river.WorkerDefaults[PruneEventsArgs]
	Store     *domain.Store
	Retention time.Duration
}

// Work prunes.
func (w *PruneEventsWorker) Work(ctx context.Context, _ *river.Job[PruneEventsArgs]) error {
	_, err := w.Store.PruneEvents(ctx, w.Retention)
	return err
}
