package jobs

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/inventory-backbone/inventory/domain"
)

// PrunePeopleArgs asks for ended sessions, old invitations and stale
// sign-in failure counts to be forgotten.
type PrunePeopleArgs struct{}

// Kind names the job.
func (PrunePeopleArgs) Kind() string { return "prune_people" }

// PrunePeopleWorker prunes sessions and invitations tenant by tenant, then
// the sign-in throttle.
type PrunePeopleWorker struct {
	river.WorkerDefaults[PrunePeopleArgs]
	Store *domain.Store
}

// Work prunes.
func (w *PrunePeopleWorker) Work(ctx context.Context, _ *river.Job[PrunePeopleArgs]) error {
	err := forEachTenant(ctx, w.Store, func(sc domain.Scope) error {
		_, err := w.Store.PruneSessions(ctx, sc)
		return err
	})
	if err != nil {
		return err
	}
	_, err = w.Store.PruneThrottle(ctx)
	return err
}
