package graph

import (
	"context"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
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
}

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
// the hub (the first subscriber's slot is masked), and calls entered as it
// starts, which tells the fan-out that gqlgen's work on the first
// subscriber's operation is done (internal/live/share.go).
func WithSharedFeed(ctx context.Context, entered func()) context.Context {
	ctx = context.WithValue(ctx, sharedSlotKey{}, (*SharedSlot)(nil))
	return context.WithValue(ctx, feedEnteredKey{}, entered)
}

// feedEntered calls the context's entered function, if it has one.
func feedEntered(ctx context.Context) {
	if f, ok := ctx.Value(feedEnteredKey{}).(func()); ok {
		f()
	}
}
