package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/inventory-backbone/inventory/domain"
)

// ExpireReservationArgs asks for one reservation to be expired at its time.
type ExpireReservationArgs struct {
	TenantID      string `json:"tenant_id"`
	ReservationID string `json:"reservation_id"`
}

// Kind names the job.
func (ExpireReservationArgs) Kind() string { return "expire_reservation" }

// InsertOpts makes the job unique per reservation and lets it retry for long,
// since an expiry must eventually happen.
func (ExpireReservationArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 25, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// ExpireReservationWorker expires a reservation through the domain. When the
// reservation was fulfilled or released first, the domain does nothing.
type ExpireReservationWorker struct {
	river.WorkerDefaults[ExpireReservationArgs]
	Store *domain.Store
}

// Work expires the reservation.
func (w *ExpireReservationWorker) Work(ctx context.Context, job *river.Job[ExpireReservationArgs]) error {
	sc, err := jobScope(job.Args.TenantID)
	if err != nil {
		return err
	}
	_, err = w.Store.ExpireReservation(ctx, sc, job.Args.ReservationID)
	if errors.Is(err, domain.ErrNotFound) || errors.Is(err, domain.ErrValidation) {
		return river.JobCancel(err) // it will never exist: don't retry
	}
	return err
}

// Timeout bounds one expiry.
func (w *ExpireReservationWorker) Timeout(*river.Job[ExpireReservationArgs]) time.Duration {
	return 30 * time.Second
}

// SweepReservationsArgs asks for every overdue reservation of every tenant to
// be expired. It runs periodically, as a safety net behind the expiry jobs.
type SweepReservationsArgs struct{}

// Kind names the job.
func (SweepReservationsArgs) Kind() string { return "sweep_reservations" }

// SweepReservationsWorker expires overdue reservations tenant by tenant, in
// bounded batches.
type SweepReservationsWorker struct {
	river.WorkerDefaults[SweepReservationsArgs]
	Store *domain.Store
}

// sweepBatch bounds how many reservations of one tenant a sweep expires.
const sweepBatch = 500

// Work expires the overdue reservations.
func (w *SweepReservationsWorker) Work(ctx context.Context, _ *river.Job[SweepReservationsArgs]) error {
	_, err := SweepReservations(ctx, w.Store)
	return err
}

// SweepReservations expires the overdue reservations of every tenant and
// returns how many it expired.
func SweepReservations(ctx context.Context, store *domain.Store) (int, error) {
	var expired int
	err := forEachTenant(ctx, store, func(sc domain.Scope) error {
		ids, err := store.DueReservations(ctx, sc, sweepBatch)
		if err != nil {
			return err
		}
		var errs []error
		for _, id := range ids {
			change, err := store.ExpireReservation(ctx, sc, id)
			if err != nil {
				errs = append(errs, fmt.Errorf("expire %s: %w", id, err))
				continue
			}
			if len(change.Movements) > 0 {
				expired++
			}
		}
		return errors.Join(errs...)
	})
	return expired, err
}
