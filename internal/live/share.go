package live

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// A shared subscription is executed once for every subscriber that would
// receive the same bytes: the same tenant, roles, document and variables
// (but for a resumed stockChanged's after: internal/httpserver/fanout.go),
// which the caller folds into a key. The first subscriber of a key starts
// the group's feed: one subscriber of the hub, whose deliveries the caller
// executes and encodes into frames. Every later subscriber of the key joins
// the group, and each frame is handed to every member as is, so that
// executing and encoding an event costs the same for one subscriber or ten
// thousand (Hasura multiplexes its live queries in the same way).
//
// A member gets the frames made after it joined, in order, through a queue
// of its own that grows as needed (nothing is preallocated for an idle
// member). A member whose queue passes the hub's Buffer is ended with
// ErrTooSlow; the others go on. When the feed ends (the hub closes its
// subscriber, or the server shuts down), every member ends with its reason:
// a feed whose own queue passes the hub's FeedBuffer ends with ErrTooSlow,
// worded as the server falling behind.
// When the last member leaves, the feed ends.

// groupFeedKey marks, in the context a group's feed runs on, that the hub
// subscriber made on it is a group's feed: Subscribers counts the members,
// not the feed, and the feed's queue is bounded by the group's bound (an
// *atomic.Int64, which follows the number of members).
type groupFeedKey struct{}

// groups holds the hub's shared subscriptions by key.
type groups struct {
	mu      sync.Mutex
	byKey   map[string]*group
	members int
}

// Feed starts a group's execution on ctx, which lasts as long as the group.
// It returns next, which waits for the group's next frame and returns false
// when the feed has ended. A feed that the hub ends calls end with the
// reason (e.g. ErrTooSlow, ErrShuttingDown), before next returns false.
// A feed calls entered once nothing more of its start touches the first
// member's state: from then on, until the feed has started, only the wait
// for the hub remains.
type Feed func(ctx context.Context, entered func(), end func(error)) (next func(ctx context.Context) (any, bool))

// group is the members of one key and the feed they share.
type group struct {
	groups  *groups
	key     string
	ctx     context.Context // the feed's, until the group ends
	cancel  context.CancelFunc
	ready   chan struct{} // closed once the feed has started
	entered chan struct{} // closed once the feed calls entered (or has started)
	enter   sync.Once
	bound   atomic.Int64 // the feed's queue bound: Buffer per member, up to FeedBuffer

	mu      sync.Mutex
	members map[*Member]struct{}
	closed  bool
	err     error // why the feed ended
}

// Member is one subscriber of a shared subscription. Read frames with Next
// until it returns false; then Err says why (nil: the member left or the
// feed ended by itself).
type Member struct {
	hub   *Hub
	group *group
	box   *mailbox[any]
}

// Join adds a member to the group of key, starting the group's feed when the
// key has none, on a context that has ctx's values (the first member's
// request: its tenant, roles and operation) but lives as long as the group.
// Join waits until the feed has started, so that every change that commits
// after it returns reaches the member, or until ctx ends: the member has
// then left.
func (h *Hub) Join(ctx context.Context, key string, feed Feed) *Member {
	m := &Member{hub: h, box: newMailbox[any](h.cfg.Buffer)}
	g := &h.groups
	starter := false
	g.mu.Lock()
	if g.byKey == nil {
		g.byKey = map[string]*group{}
	}
	// A group in byKey takes members: a group leaves byKey, under g.mu,
	// when its last member leaves or its feed ends.
	gr := g.byKey[key]
	if gr == nil {
		gr = &group{groups: g, key: key, ready: make(chan struct{}),
			entered: make(chan struct{}), members: map[*Member]struct{}{}}
		gr.ctx, gr.cancel = context.WithCancel(context.WithValue(context.WithoutCancel(ctx), groupFeedKey{}, &gr.bound))
		starter = true
		g.byKey[key] = gr
		// Starting a feed runs the subscription's resolver, which waits for
		// the hub: on its own goroutine, so that no lock is held meanwhile
		// and every member can stop waiting when its own context ends.
		go h.runGroup(gr, feed)
	}
	gr.mu.Lock()
	m.group = gr
	gr.members[m] = struct{}{}
	gr.setBound(h.cfg)
	gr.mu.Unlock()
	g.members++
	g.mu.Unlock()
	select {
	case <-gr.ready:
	case <-ctx.Done():
		if starter {
			// The feed's start runs on the first member's request (its
			// operation's state): that member returns only once the
			// start has got past it, which it does without waiting.
			<-gr.entered
		}
		m.Leave() // the last to leave ends the feed, even while it starts
	}
	return m
}

// setBound sets the feed's queue bound for the group's members: the hub's
// Buffer for each, up to its FeedBuffer, and never below one Buffer. The
// caller holds gr.mu.
func (gr *group) setBound(cfg Config) {
	gr.bound.Store(int64(min(cfg.FeedBuffer, cfg.Buffer*max(1, len(gr.members)))))
}

// markEntered closes entered, once.
func (gr *group) markEntered() { gr.enter.Do(func() { close(gr.entered) }) }

// end records why the group's feed ends, and ends it: from now on, a
// subscriber of the key starts a new group rather than join this one.
func (gr *group) end(err error) {
	g := gr.groups
	g.mu.Lock()
	if g.byKey[gr.key] == gr {
		delete(g.byKey, gr.key)
	}
	gr.mu.Lock()
	if gr.err == nil {
		gr.err = err
	}
	gr.mu.Unlock()
	g.mu.Unlock()
	gr.cancel()
}

// runGroup starts the group's feed, hands each frame it makes to every
// member, and, when it ends, ends the members with its reason.
func (h *Hub) runGroup(gr *group, feed Feed) {
	next := feed(gr.ctx, gr.markEntered, gr.end)
	gr.markEntered()
	close(gr.ready)
	for {
		frame, ok := next(gr.ctx)
		if !ok {
			break
		}
		gr.mu.Lock()
		for m := range gr.members {
			m.offer(frame)
		}
		gr.mu.Unlock()
	}
	gr.cancel()
	g := &h.groups
	g.mu.Lock()
	if g.byKey[gr.key] == gr {
		delete(g.byKey, gr.key)
	}
	gr.mu.Lock()
	gr.closed = true
	members := gr.members
	gr.members = map[*Member]struct{}{}
	err := gr.err
	gr.mu.Unlock()
	g.members -= len(members)
	g.mu.Unlock()
	if errors.Is(err, ErrTooSlow) {
		// The feed fell behind, not these subscribers.
		err = fmt.Errorf("%w: the server fell behind on this subscription; reconnect in a few seconds", ErrTooSlow)
	}
	for m := range members {
		m.end(err)
	}
}

// offer queues a frame for the member; past its limit the member ends as too
// slow.
func (m *Member) offer(frame any) { m.box.offer(frame) }

// end ends the member with err, once. Frames already queued are still
// read, but for a member that left (err nil).
func (m *Member) end(err error) { m.box.end(err) }

// Next waits for the member's next frame. It returns false once the member
// has ended and its queue is read, or ctx is done; the member has then left
// its group.
func (m *Member) Next(ctx context.Context) (any, bool) {
	frame, ok := m.box.next(ctx)
	if !ok {
		m.Leave()
	}
	return frame, ok
}

// Peek returns the member's next frame without taking it, or false when
// none is queued.
func (m *Member) Peek() (any, bool) { return m.box.peek() }

// Wait waits until the member has a frame queued, and reports true; false
// when the member has ended with none, or ctx ends first.
func (m *Member) Wait(ctx context.Context) bool { return m.box.wait(ctx) }

// Drop takes the member's next frame, which Peek returned, without waiting.
func (m *Member) Drop() { m.box.drop() }

// Ended reports whether the member has ended (its queue may still hold
// frames).
func (m *Member) Ended() bool { return m.box.ended() }

// Err says why the member ended: nil when it left, or when the feed ended by
// itself.
func (m *Member) Err() error { return m.box.reason() }

// Leave removes the member from its group; the last to leave ends the
// group's feed. Calling it again does nothing.
func (m *Member) Leave() {
	g := &m.hub.groups
	gr := m.group
	g.mu.Lock()
	gr.mu.Lock()
	_, in := gr.members[m]
	delete(gr.members, m)
	gr.setBound(m.hub.cfg)
	last := in && len(gr.members) == 0 && !gr.closed
	if last {
		gr.closed = true
		if g.byKey[gr.key] == gr {
			delete(g.byKey, gr.key)
		}
	}
	gr.mu.Unlock()
	if in {
		g.members--
	}
	g.mu.Unlock()
	m.end(nil)
	if last {
		gr.cancel()
	}
}

// Members returns how many members the hub's shared subscriptions have.
func (h *Hub) Members() int {
	h.groups.mu.Lock()
	defer h.groups.mu.Unlock()
	return h.groups.members
}

// Groups returns how many shared subscriptions (distinct keys) are running.
func (h *Hub) Groups() int {
	h.groups.mu.Lock()
	defer h.groups.mu.Unlock()
	return len(h.groups.byKey)
}
