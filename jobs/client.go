package jobs

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/inventory-backbone/inventory/domain"
)

// Intervals of the periodic jobs. SweepInterval paces the safety nets behind
// the jobs that changes schedule: the reservation sweep and the requeue of
// stale alert checks.
const (
	SweepInterval = 30 * time.Second
	PruneInterval = time.Hour
)

// Scheduler inserts jobs in the caller's transaction. It implements
// domain.Scheduler. It only inserts; Runner works the jobs.
type Scheduler struct {
	client *river.Client[pgx.Tx]
}

// NewScheduler returns a Scheduler over the pool that holds River's tables.
func NewScheduler(pool *pgxpool.Pool) (*Scheduler, error) {
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, fmt.Errorf("river insert client: %w", err)
	}
	return &Scheduler{client: client}, nil
}

// ScheduleReservationExpiry inserts the reservation's expiry job, due at at.
func (s *Scheduler) ScheduleReservationExpiry(ctx context.Context, tx pgx.Tx, tenantID, reservationID string, at time.Time) error {
	_, err := s.client.InsertTx(ctx, tx, ExpireReservationArgs{TenantID: tenantID, ReservationID: reservationID},
		&river.InsertOpts{ScheduledAt: at})
	return err
}

// ScheduleAlertCheck inserts a level's alert check, due now.
func (s *Scheduler) ScheduleAlertCheck(ctx context.Context, tx pgx.Tx, tenantID, itemID, locationID string) error {
	_, err := s.client.InsertTx(ctx, tx, CheckAlertsArgs{TenantID: tenantID, ItemID: itemID, LocationID: locationID}, nil)
	return err
}

// ScheduleReport inserts a report's build, due now.
func (s *Scheduler) ScheduleReport(ctx context.Context, tx pgx.Tx, tenantID, reportID string) error {
	_, err := s.client.InsertTx(ctx, tx, BuildReportArgs{TenantID: tenantID, ReportID: reportID}, nil)
	return err
}

var _ domain.Scheduler = (*Scheduler)(nil)

// Runner works the service's queues inside a serving process.
type Runner struct {
	client *river.Client[pgx.Tx]
	// webhooks, when the store has webhooks enabled, starts endpoints'
	// delivery jobs (see webhook_dispatch.go).
	webhooks   *webhookDispatcher
	stopHooks  context.CancelFunc
	hooksEnded chan struct{}
}

// RunnerConfig tunes a Runner. Zero values take the defaults.
type RunnerConfig struct {
	// EventRetention is how long change-feed events are kept. Default 7 days.
	EventRetention time.Duration
	// ReportTTL is how long a built report is kept. Default 24 hours.
	ReportTTL time.Duration
	// AuditInterval is how often every ledger is audited. Default 1 hour.
	AuditInterval time.Duration
}

// NewRunner returns a Runner whose workers act through store. pool holds
// River's tables.
func NewRunner(pool *pgxpool.Pool, store *domain.Store, logger *slog.Logger, cfg ...RunnerConfig) (*Runner, error) {
	c := RunnerConfig{EventRetention: 7 * 24 * time.Hour, ReportTTL: 24 * time.Hour, AuditInterval: time.Hour}
	if len(cfg) > 0 {
		c.EventRetention = cmp.Or(cfg[0].EventRetention, c.EventRetention)
		c.ReportTTL = cmp.Or(cfg[0].ReportTTL, c.ReportTTL)
		c.AuditInterval = cmp.Or(cfg[0].AuditInterval, c.AuditInterval)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &ExpireReservationWorker{Store: store})
	river.AddWorker(workers, &SweepReservationsWorker{Store: store})
	river.AddWorker(workers, &PruneIdempotencyKeysWorker{Store: store})
	river.AddWorker(workers, &PruneEventsWorker{Store: store, Retention: c.EventRetention})
	river.AddWorker(workers, &CheckAlertsWorker{Store: store})
	river.AddWorker(workers, &RequeueAlertChecksWorker{Store: store})
	river.AddWorker(workers, &AuditLedgerWorker{Store: store})
	river.AddWorker(workers, &BuildReportWorker{Store: store, TTL: c.ReportTTL})
	river.AddWorker(workers, &PruneReportsWorker{Store: store})
	river.AddWorker(workers, &PrunePeopleWorker{Store: store}) // prune_people.go
	signal := &feedSignal{}
	webhookJobs := addWebhookWorkers(workers, store, signal, c.EventRetention)
	queues := map[string]river.QueueConfig{
		river.QueueDefault: {MaxWorkers: 10},
		ReportQueue:        {MaxWorkers: 2},
	}
	if webhookJobs != nil {
		queues[WebhookQueue] = river.QueueConfig{MaxWorkers: webhookWorkers}
	}
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Queues:  queues,
		Workers: workers,
		Logger:  logger.With("component", "river"),
		PeriodicJobs: append([]*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(SweepInterval),
				func() (river.JobArgs, *river.InsertOpts) { return SweepReservationsArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(SweepInterval),
				func() (river.JobArgs, *river.InsertOpts) { return RequeueAlertChecksArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(PruneInterval),
				func() (river.JobArgs, *river.InsertOpts) { return PruneIdempotencyKeysArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(PruneInterval),
				func() (river.JobArgs, *river.InsertOpts) { return PruneEventsArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(PruneInterval),
				func() (river.JobArgs, *river.InsertOpts) { return PruneReportsArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(PruneInterval),
				func() (river.JobArgs, *river.InsertOpts) { return PrunePeopleArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(c.AuditInterval),
				func() (river.JobArgs, *river.InsertOpts) { return AuditLedgerArgs{}, nil }, nil),
		}, webhookJobs...),
		// A job left running by a process that died is run again once it has
		// been running this long and past its own Timeout. River has one
		// rescue horizon for every kind (a worker's Timeout can only push a
		// kind's rescue later, never earlier), and an endpoint's delivery job
		// is unique while running, so this horizon is what bounds the pause
		// of an endpoint whose process died: River's default of an hour is
		// too long. Two minutes is safe for every kind: each run is cancelled
		// at its Timeout (River's default 1 minute; a delivery run's is one
		// minute; a report build's 30 minutes keeps it from rescue until then).
		RescueStuckJobsAfter: 2 * time.Minute,
	})
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	r := &Runner{client: client}
	if webhookJobs != nil {
		r.webhooks = newWebhookDispatcher(signal, store, client, listenOn(pool), logger)
	}
	return r, nil
}

// Start begins working jobs; it returns at once.
func (r *Runner) Start(ctx context.Context) error {
	if err := r.client.Start(ctx); err != nil {
		return err
	}
	if r.webhooks != nil {
		hctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		r.stopHooks, r.hooksEnded = cancel, make(chan struct{})
		go func() {
			defer close(r.hooksEnded)
			r.webhooks.run(hctx)
		}()
	}
	return nil
}

// Stop stops fetching jobs and waits for running ones to finish, until ctx
// ends.
func (r *Runner) Stop(ctx context.Context) error {
	r.stopDispatcher()
	return r.client.Stop(ctx)
}

// StopAndCancel stops fetching jobs and cancels the running ones, as a
// process that is killed would end them, and waits for them to return.
func (r *Runner) StopAndCancel(ctx context.Context) error {
	r.stopDispatcher()
	return r.client.StopAndCancel(ctx)
}

func (r *Runner) stopDispatcher() {
	if r.stopHooks != nil {
		r.stopHooks()
		<-r.hooksEnded
		r.stopHooks = nil
	}
}
