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
