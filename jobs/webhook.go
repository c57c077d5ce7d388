package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/inventory-backbone/inventory/domain"
)

// WebhookQueue is the queue of webhook deliveries. Each endpoint has at most
// one delivery job at a time, and the queue has a worker for many endpoints
// at once, so an endpoint that is slow or down holds up no other.
const WebhookQueue = "webhooks"

// webhookWorkers is how many endpoints one process delivers to at once. A
// worker waits on the network, never on the database, so many are cheap.
const webhookWorkers = 100

// Bounds of one run of an endpoint's delivery job.
const (
	// webhookBatch is how many events one read of the feed takes.
	webhookBatch = 200
	// webhookRunBudget is how long a job delivers before it yields its
	// worker and queues itself again.
	webhookRunBudget = 20 * time.Second
	// webhookLinger is how long a job that has caught up waits for new
	// events before it ends.
	webhookLinger = 500 * time.Millisecond
)

// DeliverWebhooksArgs asks for an endpoint's pending events to be delivered,
// in commit order.
type DeliverWebhooksArgs struct {
	TenantID   string `json:"tenant_id"`
	EndpointID string `json:"endpoint_id"`
}

// Kind names the job.
func (DeliverWebhooksArgs) Kind() string { return "deliver_webhooks" }

// InsertOpts makes the job unique per endpoint while it waits, is scheduled
// or runs: one endpoint's messages are sent by one worker at a time, which is
// what keeps them in commit order.
func (DeliverWebhooksArgs) InsertOpts() river.InsertOpts {
	return webhookInsertOpts()
}

// DeliverWebhooksWorker delivers an endpoint's next events. The endpoint is a
// reader of the change feed with its own cursor, which moves only past
// events whose messages were answered with a 2xx; a failure is retried on the
// configured schedule by snoozing the job, and the last failure disables the
// endpoint (the domain decides both).
type DeliverWebhooksWorker struct {
	river.WorkerDefaults[DeliverWebhooksArgs]
	Store  *domain.Store
	sender *webhookSender
	signal *feedSignal
}

// Work delivers until the endpoint has caught up with the feed, a message
// fails, or the run's budget is spent.
func (w *DeliverWebhooksWorker) Work(ctx context.Context, job *river.Job[DeliverWebhooksArgs]) error {
	sc, err := jobScope(job.Args.TenantID)
	if err != nil {
		return err
	}
	if !domain.ValidID(job.Args.EndpointID) {
		return river.JobCancel(errors.New("job names no valid endpoint"))
	}
	deadline := time.Now().Add(webhookRunBudget)
	for {
		more := w.signal.wait() // taken before the read: no notification falls between
		b, err := w.Store.NextWebhookBatch(ctx, sc, job.Args.EndpointID, webhookBatch)
		if err != nil {
			return err
		}
		switch {
		case b.Done:
			return nil
		case b.Wait > 0:
			return river.JobSnooze(b.Wait)
		}
		var o domain.WebhookOutcome
		for i := range b.Messages {
			a := w.sender.send(ctx, &b.Target, &b.Messages[i])
			if ctx.Err() != nil {
				break // stopping: this attempt does not count, and is made again
			}
			if !ok(a) {
				o.Failed = &a
				break
			}
			o.Delivered = append(o.Delivered, a)
		}
		// The outcome is recorded even when the job is being stopped, so that
		// what was delivered is not sent again.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		wait, err := w.Store.RecordWebhookOutcome(rctx, sc, b, o)
		cancel()
		switch {
		case err != nil:
			return err
		case ctx.Err() != nil:
			return river.JobSnooze(0) // run again at once by the next worker
		case o.Failed != nil && wait > 0:
			return river.JobSnooze(wait)
		case o.Failed != nil: // the endpoint is now disabled
			return nil
		case time.Now().After(deadline):
			return river.JobSnooze(0)
		case b.Empty() && !b.Advanced(): // caught up: wait a little for more
			select {
			case <-more:
			case <-time.After(webhookLinger):
				return nil
			case <-ctx.Done():
				return nil
			}
		}
	}
}

// Timeout bounds one run: its budget, then one more attempt, then recording.
func (w *DeliverWebhooksWorker) Timeout(*river.Job[DeliverWebhooksArgs]) time.Duration {
	return webhookRunBudget + WebhookTimeout + 30*time.Second
}

// RedeliverWebhookArgs asks for one logged message to be sent again.
type RedeliverWebhookArgs struct {
	TenantID   string `json:"tenant_id"`
	DeliveryID string `json:"delivery_id"`
}

// Kind names the job.
func (RedeliverWebhookArgs) Kind() string { return "redeliver_webhook" }

// InsertOpts puts redeliveries on the webhook queue, one per delivery at a
// time.
func (RedeliverWebhookArgs) InsertOpts() river.InsertOpts {
	return webhookInsertOpts()
}

// webhookInsertOpts puts a job on the webhook queue, unique by its
// arguments while it waits, is scheduled, runs or waits to be retried.
func webhookInsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: WebhookQueue, MaxAttempts: 25, UniqueOpts: river.UniqueOpts{
		ByArgs: true,
		ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
			rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled},
	}}
}

// RedeliverWebhookWorker sends a logged message again, out of the endpoint's
// order, retrying on the webhook schedule; it never disables the endpoint.
type RedeliverWebhookWorker struct {
	river.WorkerDefaults[RedeliverWebhookArgs]
	Store  *domain.Store
	sender *webhookSender
}

// errRedeliveryFailed makes River retry a redelivery on the schedule.
var errRedeliveryFailed = errors.New("webhook redelivery failed")

// Work makes one attempt.
func (w *RedeliverWebhookWorker) Work(ctx context.Context, job *river.Job[RedeliverWebhookArgs]) error {
	sc, err := jobScope(job.Args.TenantID)
	if err != nil {
		return err
	}
	if !domain.ValidID(job.Args.DeliveryID) {
		return river.JobCancel(errors.New("job names no valid delivery"))
	}
	t, m, done, err := w.Store.WebhookRedelivery(ctx, sc, job.Args.DeliveryID)
	if err != nil || done {
		return err
	}
	a := w.sender.send(ctx, t, m)
	if ctx.Err() != nil {
		return river.JobSnooze(0)
	}
	schedule := w.Store.WebhookConfig().RetrySchedule
	last := job.Attempt > len(schedule)
	var next *time.Time
	if !ok(a) && !last {
		at := w.NextRetry(job)
		next = &at
	}
	if err := w.Store.RecordWebhookRedelivery(ctx, sc, t.ID, a, ok(a), last, next); err != nil {
		return err
	}
	if ok(a) || last {
		return nil
	}
	return errRedeliveryFailed
}

// NextRetry follows the webhook retry schedule.
func (w *RedeliverWebhookWorker) NextRetry(job *river.Job[RedeliverWebhookArgs]) time.Time {
	schedule := w.Store.WebhookConfig().RetrySchedule
	i := min(max(job.Attempt-1, 0), len(schedule)-1)
	if i < 0 {
		return time.Now()
	}
	return time.Now().Add(schedule[i])
}

// Timeout bounds one attempt.
func (w *RedeliverWebhookWorker) Timeout(*river.Job[RedeliverWebhookArgs]) time.Duration {
	return WebhookTimeout + 30*time.Second
}

// ScheduleWebhookDelivery inserts an endpoint's delivery job, unless one is
// already waiting or running.
func (s *Scheduler) ScheduleWebhookDelivery(ctx context.Context, tx pgx.Tx, tenantID, endpointID string) error {
	_, err := s.client.InsertTx(ctx, tx, DeliverWebhooksArgs{TenantID: tenantID, EndpointID: endpointID}, nil)
	return err
}

// ScheduleWebhookRedelivery inserts a redelivery job, due now.
func (s *Scheduler) ScheduleWebhookRedelivery(ctx context.Context, tx pgx.Tx, tenantID, deliveryID string) error {
	_, err := s.client.InsertTx(ctx, tx, RedeliverWebhookArgs{TenantID: tenantID, DeliveryID: deliveryID}, nil)
	return err
}

var _ domain.WebhookScheduler = (*Scheduler)(nil)

// PruneWebhookDeliveriesArgs asks for old entries of the delivery logs to be
// forgotten.
type PruneWebhookDeliveriesArgs struct{}

// Kind names the job.
func (PruneWebhookDeliveriesArgs) Kind() string { return "prune_webhook_deliveries" }

// PruneWebhookDeliveriesWorker forgets delivered and failed messages older
// than Retention (the feed's: past it, their events are gone too), tenant by
// tenant.
type PruneWebhookDeliveriesWorker struct {
	river.WorkerDefaults[PruneWebhookDeliveriesArgs]
	Store     *domain.Store
	Retention time.Duration
}

// Work prunes.
func (w *PruneWebhookDeliveriesWorker) Work(ctx context.Context, _ *river.Job[PruneWebhookDeliveriesArgs]) error {
	return forEachTenant(ctx, w.Store, func(sc domain.Scope) error {
		_, err := w.Store.PruneWebhookDeliveries(ctx, sc, w.Retention)
		return err
	})
}

// addWebhookWorkers registers the webhook workers, when the store has
// webhooks enabled, and returns the periodic jobs they need.
func addWebhookWorkers(workers *river.Workers, store *domain.Store, signal *feedSignal, retention time.Duration) []*river.PeriodicJob {
	cfg := store.WebhookConfig()
	if cfg == nil {
		return nil
	}
	sender := newWebhookSender(cfg.AllowPrivate, cfg.AttemptTimeout)
	river.AddWorker(workers, &DeliverWebhooksWorker{Store: store, sender: sender, signal: signal})
	river.AddWorker(workers, &RedeliverWebhookWorker{Store: store, sender: sender})
	river.AddWorker(workers, &PruneWebhookDeliveriesWorker{Store: store, Retention: retention})
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(PruneInterval),
		func() (river.JobArgs, *river.InsertOpts) { return PruneWebhookDeliveriesArgs{}, nil }, nil)}
}
