package graph

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/inventory-backbone/inventory/domain"
)

// LiveConnection is the state of one WebSocket connection that subscriptions
// need: how many it has, and how to end it with a reason.
type LiveConnection struct {
	// MaxSubscriptions bounds the subscriptions of the connection.
	MaxSubscriptions int32
	// Close ends the connection, telling the client why: err is why the
	// server ends it (nil: the client went away).
	Close func(err error)

	active atomic.Int32
}

type liveConnectionKey struct{}

// WithLiveConnection returns a context that carries the connection's state.
func WithLiveConnection(ctx context.Context, c *LiveConnection) context.Context {
	return context.WithValue(ctx, liveConnectionKey{}, c)
}

// acquireSubscription counts a new subscription of the request's connection,
// or refuses it past the limit. release undoes it.
func acquireSubscription(ctx context.Context) (release func(), err error) {
	c, ok := ctx.Value(liveConnectionKey{}).(*LiveConnection)
	if !ok {
		return func() {}, nil
	}
	if n := c.active.Add(1); c.MaxSubscriptions > 0 && n > c.MaxSubscriptions {
		c.active.Add(-1)
		err := gqlerror.ErrorPathf(graphql.GetPath(ctx), "too many subscriptions on this connection (at most %d)", c.MaxSubscriptions)
		err.Extensions = map[string]any{"code": "TOO_MANY_SUBSCRIPTIONS"}
		return nil, err
	}
	return func() { c.active.Add(-1) }, nil
}

// CloseLiveConnection closes the request's live connection, when the
// request has one, saying why (err nil: nobody is told anything).
func CloseLiveConnection(ctx context.Context, err error) {
	if c, ok := ctx.Value(liveConnectionKey{}).(*LiveConnection); ok && c.Close != nil {
		c.Close(err)
	}
}

// SharedSlot is how a subscription's own execution tells the fan-out that
// its subscriber may share the frames of one execution with every other
// subscriber of the same key, rather than read the hub itself: the resolver
// passed every check (roles, the connection's limit, its arguments) and
// opted in (see subscribe). The subscriber holds a slot of its connection's
// subscriptions until Release. One goroutine uses a slot: the
// subscription's own, on which gqlgen runs both the resolver and the
// fan-out's answers.
type SharedSlot struct {
	release func() // set once the resolver accepts; nil again after Release

	// A resumed subscription (stockChanged with after) may be shared once
	// it has caught up, when the fan-out allows it (AllowResume): it then
	// runs on its own, replaying, and its resolver leaves its place on the
	// connection with the slot and names each event's place in the feed
	// (tap), so that the fan-out can move it onto the shared frames without
	// a gap or a repeat.
	resumable bool
	tap       *CursorTap
}

// AllowResume lets a resumed subscription's resolver run it as one that
// may be shared once caught up (Resuming).
func (s *SharedSlot) AllowResume() { s.resumable = true }

// Resuming returns the tap of a resumed subscription that runs on its own
// for now, holding the slot (see AllowResume), or nil.
func (s *SharedSlot) Resuming() *CursorTap { return s.tap }

// CursorTap names the place in the feed of each value a subscription's
// resolver hands gqlgen, in their order: gqlgen makes one response of
// each, so the fan-out takes one cursor for each response.
type CursorTap struct {
	mu      sync.Mutex
	cursors []domain.FeedCursor
	live    func() bool
}

// push records the cursor of the next value handed to gqlgen.
func (t *CursorTap) push(c domain.FeedCursor) {
	t.mu.Lock()
	t.cursors = append(t.cursors, c)
	t.mu.Unlock()
}

// Pop takes the oldest cursor not yet matched to a response: call it once
// after each response gqlgen makes. It reports false when none is waiting
// (a response of no value, e.g. an error).
func (t *CursorTap) Pop() (domain.FeedCursor, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.cursors) == 0 {
		return domain.FeedCursor{}, false
	}
	c := t.cursors[0]
	t.cursors = t.cursors[1:]
	if len(t.cursors) == 0 {
		t.cursors = nil
	}
	return c, true
}

// Live reports whether the subscription has caught up with its replay.
func (t *CursorTap) Live() bool { return t.live != nil && t.live() }

type sharedSlotKey struct{}

// WithSharedSlot returns a context whose subscription resolvers fill slot
// rather than subscribe, when they may be shared.
func WithSharedSlot(ctx context.Context, slot *SharedSlot) context.Context {
	return context.WithValue(ctx, sharedSlotKey{}, slot)
}

func sharedSlotFrom(ctx context.Context) *SharedSlot {
	s, _ := ctx.Value(sharedSlotKey{}).(*SharedSlot)
	return s
}

func (s *SharedSlot) fill(release func()) { s.release = release }

// Filled reports whether the resolver accepted the subscription for sharing.
func (s *SharedSlot) Filled() bool { return s.release != nil }

// Release gives the connection's subscription slot back. Calling it again
// does nothing.
func (s *SharedSlot) Release() {
	if release := s.release; release != nil {
		s.release = nil
		release()
	}
}

// IsLiveConnection reports whether ctx is a request of a live (WebSocket)
// connection.
func IsLiveConnection(ctx context.Context) bool {
	_, ok := ctx.Value(liveConnectionKey{}).(*LiveConnection)
	return ok
}

type feedEnteredKey struct{}

// WithSharedFeed returns the context of a shared subscription's own
// execution, made from its first subscriber's: its resolver subscribes to
// the hub (the first subscriber's slot is masked), live only (a member
// that resumes replays on its own first), names each value's place in the
// feed in tap, and calls entered as it starts, which tells the fan-out
// that gqlgen's work on the first subscriber's operation is done
// (internal/live/share.go).
func WithSharedFeed(ctx context.Context, entered func(), tap *CursorTap) context.Context {
	ctx = context.WithValue(ctx, sharedSlotKey{}, (*SharedSlot)(nil))
	ctx = context.WithValue(ctx, sharedFeedTapKey{}, tap)
	return context.WithValue(ctx, feedEnteredKey{}, entered)
}

type sharedFeedTapKey struct{}

// sharedFeedTap returns the tap of a shared subscription's own execution,
// or nil.
func sharedFeedTap(ctx context.Context) *CursorTap {
	t, _ := ctx.Value(sharedFeedTapKey{}).(*CursorTap)
	return t
}

// feedEntered calls the context's entered function, if it has one.
func feedEntered(ctx context.Context) {
	if f, ok := ctx.Value(feedEnteredKey{}).(func()); ok {
		f()
	}
}
