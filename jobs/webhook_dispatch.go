package jobs

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgxlisten"
	"github.com/riverqueue/river"

	"github.com/inventory-backbone/inventory/domain"
)

// Timing of the webhook dispatcher.
const (
	// webhookDispatchInterval is how often the dispatcher looks for
	// endpoints behind the feed without being woken: for events whose
	// notification was lost, retries that fell due, endpoints re-enabled.
	webhookDispatchInterval = time.Second
	// webhookFollowUp is how soon the dispatcher looks again when an
	// endpoint behind the feed already had a job: that job may have read the
	// feed just before the new events became final.
	webhookFollowUp = 50 * time.Millisecond
)

// webhookDispatcher starts the delivery jobs of endpoints that are behind
// the change feed. It wakes on the feed's notifications (every process
// writes one after its commits) and on a timer; it only inserts jobs, which
// River makes unique per endpoint, so running one in every process is safe.
type webhookDispatcher struct {
	signal  *feedSignal
	store   *domain.Store
	client  *river.Client[pgx.Tx]
	connect func(ctx context.Context) (*pgx.Conn, error)
	logger  *slog.Logger
	wake    chan struct{}
}

func newWebhookDispatcher(signal *feedSignal, store *domain.Store, client *river.Client[pgx.Tx], connect func(ctx context.Context) (*pgx.Conn, error), logger *slog.Logger) *webhookDispatcher {
	return &webhookDispatcher{signal: signal, store: store, client: client, connect: connect, logger: logger, wake: make(chan struct{}, 1)}
}

// run dispatches until ctx ends.
func (d *webhookDispatcher) run(ctx context.Context) {
	listener := &pgxlisten.Listener{
		Connect:        d.connect,
		ReconnectDelay: time.Second,
		LogError: func(ctx context.Context, err error) {
			if ctx.Err() == nil {
				d.logger.Warn("webhook dispatcher listener", "error", err.Error())
			}
		},
	}
	listener.Handle(domain.FeedChannel, d)
	go func() { _ = listener.Listen(ctx) }()

	ticker := time.NewTicker(webhookDispatchInterval)
	defer ticker.Stop()
	followUp := time.NewTimer(time.Hour)
	followUp.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-d.wake:
		case <-ticker.C:
		case <-followUp.C:
		}
		busy, err := d.dispatch(ctx)
		if err != nil && ctx.Err() == nil {
			d.logger.Warn("dispatch webhooks", "error", err.Error())
		}
		if busy {
			followUp.Reset(webhookFollowUp)
		}
	}
}

// dispatch inserts a delivery job for every endpoint behind the feed. It
// reports whether any of them already had one (waiting or running).
func (d *webhookDispatcher) dispatch(ctx context.Context) (busy bool, err error) {
	refs, err := d.store.WebhookEndpointsBehind(ctx)
	if err != nil || len(refs) == 0 {
		return false, err
	}
	params := make([]river.InsertManyParams, len(refs))
	for i, r := range refs {
		params[i] = river.InsertManyParams{Args: DeliverWebhooksArgs{TenantID: r.TenantID, EndpointID: r.ID}}
	}
	results, err := d.client.InsertMany(ctx, params)
	if err != nil {
		return false, err
	}
	for _, r := range results {
		busy = busy || r.UniqueSkippedAsDuplicate
	}
	return busy, nil
}

// HandleNotification wakes the dispatcher, and the delivery jobs of this
// process waiting for more: events committed.
func (d *webhookDispatcher) HandleNotification(context.Context, *pgconn.Notification, *pgx.Conn) error {
	d.signal.broadcast()
	d.poke()
	return nil
}

// HandleBacklog wakes the dispatcher after its listener (re)connects.
func (d *webhookDispatcher) HandleBacklog(context.Context, string, *pgx.Conn) error {
	d.poke()
	return nil
}

func (d *webhookDispatcher) poke() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// listenOn returns a connector for a LISTEN connection: a connection taken
// out of the pool for good.
func listenOn(pool *pgxpool.Pool) func(ctx context.Context) (*pgx.Conn, error) {
	return func(ctx context.Context) (*pgx.Conn, error) {
		c, err := pool.Acquire(ctx)
		if err != nil {
			return nil, err
		}
		return c.Hijack(), nil
	}
}

// feedSignal tells the delivery jobs of a process that the feed has new
// events, so that a job that has caught up waits a little for them rather
// than ending and being queued again for the next burst.
type feedSignal struct {
	mu sync.Mutex
	ch chan struct{}
}

// wait returns a channel closed at the next broadcast.
func (s *feedSignal) wait() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ch == nil {
		s.ch = make(chan struct{})
	}
	return s.ch
}

func (s *feedSignal) broadcast() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ch != nil {
		close(s.ch)
		s.ch = nil
	}
}
