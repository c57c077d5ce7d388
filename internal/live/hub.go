package live

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgxlisten"

	"github.com/inventory-backbone/inventory/domain"
)

// Config tunes a Hub. Zero values take the defaults.
type Config struct {
	// Buffer is how many undelivered changes a subscriber may have before it
	// is closed as too slow. Default 256.
	Buffer int
	// FeedBuffer caps the same bound for the feed of a shared subscription
	// (share.go), which serves every member of its group: when its
	// execution blocks (e.g. on a slow database read for one event), every
	// member waits with it, and ending it would send them all reconnecting
	// at once. A feed's bound is Buffer for each member, up to FeedBuffer:
	// its queue may hold no more than its members' own queues would, were
	// they not shared. A queue grows only while changes wait, so the bound
	// costs nothing while the feed keeps up. Default 16 × Buffer.
	FeedBuffer int
	// PollInterval is how often the hub reads the feed without a
	// notification, to catch events whose transaction was not yet final at
	// the last read. Default 1 s.
	PollInterval time.Duration
	// MaxConnectionsPerTenant bounds a tenant's live connections on this
	// process. Default 1,000.
	MaxConnectionsPerTenant int
	// MaxSubscriptionsPerConnection bounds the subscriptions of one
	// connection. Default 20.
	MaxSubscriptionsPerConnection int
	// ReadBatch bounds how many events one read of the feed returns.
	// Default 500.
	ReadBatch int
	// WriteTimeout bounds one write to a live client: a client that stops
	// reading fills its socket, and past this its connection is closed, so
	// that it holds no goroutine or connection slot forever. Default 15 s.
	WriteTimeout time.Duration
}

func (c Config) withDefaults() Config {
	if c.Buffer <= 0 {
		c.Buffer = 256
	}
	if c.FeedBuffer <= 0 {
		c.FeedBuffer = 16 * c.Buffer
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.MaxConnectionsPerTenant <= 0 {
		c.MaxConnectionsPerTenant = 1000
	}
	if c.MaxSubscriptionsPerConnection <= 0 {
		c.MaxSubscriptionsPerConnection = 20
	}
	if c.ReadBatch <= 0 {
		c.ReadBatch = 500
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = 15 * time.Second
	}
	return c
}

// Hub fans committed changes out to this process's subscribers.
type Hub struct {
	store  *domain.Store
	listen func(ctx context.Context) (*pgx.Conn, error)
	logger *slog.Logger
	cfg    Config
	wake   chan struct{}

	mu     sync.Mutex
	cursor domain.FeedCursor // the last event read from the feed
	ready  chan struct{}     // closed once the cursor is set
	subs   map[string]map[*Subscriber]struct{}
	conns  map[string]int
	groups groups // shared subscriptions: share.go

	// FeedReads counts reads of the feed, for the benchmark and metrics.
	FeedReads atomic.Int64
	// Delivered counts changes handed to subscribers.
	Delivered atomic.Int64
}

// NewHub returns a Hub that reads the feed through store and listens for
// notifications on connections made by listen.
func NewHub(store *domain.Store, listen func(ctx context.Context) (*pgx.Conn, error), logger *slog.Logger, cfg Config) *Hub {
	return &Hub{store: store, listen: listen, logger: logger, cfg: cfg.withDefaults(),
		wake: make(chan struct{}, 1), ready: make(chan struct{}),
		subs: map[string]map[*Subscriber]struct{}{}, conns: map[string]int{}}
}

// Config returns the hub's configuration, defaults applied.
func (h *Hub) Config() Config { return h.cfg }

// Run reads the feed and delivers changes until ctx ends. It starts at the
// feed's head: subscribers see changes that commit from then on.
func (h *Hub) Run(ctx context.Context) error {
	head, err := h.store.FeedHead(ctx)
	for err != nil { // the database may be briefly away at boot: subscribers wait, then go on
		h.logger.Warn("read change feed head", "error", err.Error())
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
		head, err = h.store.FeedHead(ctx)
	}
	h.mu.Lock()
	h.cursor = head
	h.mu.Unlock()
	close(h.ready)

	listener := &pgxlisten.Listener{
		Connect:        h.listen,
		ReconnectDelay: 250 * time.Millisecond,
		LogError: func(ctx context.Context, err error) {
			if ctx.Err() == nil {
				h.logger.Warn("change feed listener", "error", err.Error())
			}
		},
	}
	listener.Handle(domain.FeedChannel, h)
	go func() { _ = listener.Listen(ctx) }()

	ticker := time.NewTicker(h.cfg.PollInterval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			h.closeAll(ErrShuttingDown)
			return nil
		case <-h.wake:
		case <-ticker.C:
		}
		if err := h.pump(ctx); err != nil && ctx.Err() == nil {
			h.logger.Warn("read change feed", "error", err.Error())
		}
	}
}

// HandleNotification wakes the hub: a change committed.
func (h *Hub) HandleNotification(context.Context, *pgconn.Notification, *pgx.Conn) error {
	h.poke()
	return nil
}

// HandleBacklog wakes the hub after the listener (re)connects, so that what
// committed while it was away is read at once.
func (h *Hub) HandleBacklog(context.Context, string, *pgx.Conn) error {
	h.poke()
	return nil
}

func (h *Hub) poke() {
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// pump reads every final event after the cursor and delivers it.
func (h *Hub) pump(ctx context.Context) error {
	for {
		h.mu.Lock()
		after := h.cursor
		h.mu.Unlock()
		events, err := h.store.ReadFeed(ctx, after, h.cfg.ReadBatch)
		h.FeedReads.Add(1)
		if err != nil {
			return err
		}
		for i := range events {
			h.deliver(&events[i])
		}
		if len(events) < h.cfg.ReadBatch {
			return nil
		}
	}
}

func (h *Hub) deliver(e *domain.Event) {
	d, err := decode(e)
	if err != nil {
		h.logger.Error("undecodable event", "error", err.Error())
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.cursor = e.Cursor
	for s := range h.subs[e.TenantID] {
		if s.filter.Matches(d) {
			s.offer(d)
			h.Delivered.Add(1)
		}
	}
}

// Cursor returns the position in the feed of the last change the hub has
// delivered: every change it delivers from now on comes after it.
func (h *Hub) Cursor() domain.FeedCursor {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.cursor
}

// Subscribe registers a subscriber for the tenant's changes that pass the
// filter. With after set, it first replays the tenant's changes since that
// cursor from the outbox, then goes live, with no gap and no duplicate at the
// seam. The replay runs on ctx, which must therefore last as long as the
// subscriber. Call Unsubscribe when done.
func (h *Hub) Subscribe(ctx context.Context, sc domain.Scope, f Filter, after *domain.FeedCursor) (*Subscriber, error) {
	select {
	case <-h.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	s := newSubscriber(sc.TenantID, f, h.cfg.Buffer)
	if bound, ok := ctx.Value(groupFeedKey{}).(*atomic.Int64); ok {
		s.box.bound = bound // a group's feed: its bound follows its members
	}
	if after != nil {
		// CURSOR_EXPIRED, as for the pulled feed (domain/feed_pull.go).
		if err := h.store.CheckFeedCursor(ctx, *after); err != nil {
			return nil, err
		}
		s.replaying = true
		s.last = *after
	}
	h.mu.Lock()
	upTo := h.cursor
	if h.subs[sc.TenantID] == nil {
		h.subs[sc.TenantID] = map[*Subscriber]struct{}{}
	}
	h.subs[sc.TenantID][s] = struct{}{}
	h.mu.Unlock()
	if after != nil {
		go h.replay(ctx, sc, s, *after, upTo)
	}
	return s, nil
}

// replay sends the subscriber the changes after its cursor from the outbox,
// at the subscriber's own pace, until it has caught up with what the hub has
// delivered; then, under the hub's lock (so that no delivery falls between),
// it lets the subscriber go live. Live deliveries meanwhile are skipped: the
// replay reads them from the outbox.
func (h *Hub) replay(ctx context.Context, sc domain.Scope, s *Subscriber, after, upTo domain.FeedCursor) {
	for {
		for after.Before(upTo) {
			events, err := h.store.TenantEvents(ctx, sc, after, upTo, h.cfg.ReadBatch)
			if err != nil {
				s.close(fmt.Errorf("replay: %w", err))
				return
			}
			for i := range events {
				after = events[i].Cursor
				d, err := decode(&events[i])
				if err != nil || !s.filter.Matches(d) {
					continue
				}
				if !s.push(ctx, d) {
					return
				}
				s.replayed(events[i].Cursor)
			}
			if len(events) < h.cfg.ReadBatch {
				break
			}
		}
		h.mu.Lock()
		if !h.cursor.After(upTo) {
			s.replayed(upTo)
			s.goLive()
			h.mu.Unlock()
			return
		}
		upTo = h.cursor
		h.mu.Unlock()
	}
}

// Unsubscribe removes a subscriber and ends it.
func (h *Hub) Unsubscribe(s *Subscriber) {
	h.mu.Lock()
	delete(h.subs[s.tenant], s)
	if len(h.subs[s.tenant]) == 0 {
		delete(h.subs, s.tenant)
	}
	h.mu.Unlock()
	s.close(nil)
}

// AcquireConnection counts a new live connection of the tenant, or refuses
// it past the limit.
func (h *Hub) AcquireConnection(tenantID string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.conns[tenantID] >= h.cfg.MaxConnectionsPerTenant {
		return fmt.Errorf("too many live connections for this tenant (at most %d per server)", h.cfg.MaxConnectionsPerTenant)
	}
	h.conns[tenantID]++
	return nil
}

// ReleaseConnection forgets a live connection of the tenant.
func (h *Hub) ReleaseConnection(tenantID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.conns[tenantID]--; h.conns[tenantID] <= 0 {
		delete(h.conns, tenantID)
	}
}

// Subscribers returns how many subscriptions the hub serves: its own
// subscribers, but for the feeds of shared subscriptions, and the members of
// those (share.go).
func (h *Hub) Subscribers() int {
	n := h.Members()
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, m := range h.subs {
		for s := range m {
			if !s.isFeed() {
				n++
			}
		}
	}
	return n
}

func (h *Hub) closeAll(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, m := range h.subs {
		for s := range m {
			s.close(err)
		}
	}
	h.subs = map[string]map[*Subscriber]struct{}{}
}
