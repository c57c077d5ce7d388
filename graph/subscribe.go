package graph

import (
	"context"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/graph/model"
	"github.com/inventory-backbone/inventory/internal/live"
)

// subscribe registers a subscriber with the hub and pumps what it receives,
// mapped by each, into the channel gqlgen reads. It ends with the request's
// context; when the hub ends the subscriber (too slow, shutting down), it
// closes the connection with the reason.
//
// With share true (the subscription's events depend on nothing but its
// tenant, roles, document and variables, and it does not start with a
// current state) and a SharedSlot in ctx, a subscription without after
// registers nothing: once the checks pass, it fills the slot, and the
// fan-out gives the subscriber the frames of a shared execution instead
// (internal/httpserver/fanout.go). One with after, when the slot allows it,
// replays on its own and names each value's place in the feed in the
// slot's tap, for the fan-out to move it onto the shared frames once it
// has caught up. A shared execution itself (WithSharedFeed) is live only,
// and names its values' places in its tap.
func subscribe[T any](ctx context.Context, hub *live.Hub, f live.Filter, after *domain.FeedCursor, share bool,
	each func(live.Delivery, func(T) bool) bool) (<-chan T, error) {
	feedEntered(ctx)
	sc, err := scope(ctx)
	if err != nil {
		return nil, err
	}
	release, err := acquireSubscription(ctx)
	if err != nil {
		return nil, err
	}
	tap := sharedFeedTap(ctx)
	if tap != nil {
		after = nil // a shared execution is live only; members replay on their own
	}
	slot := sharedSlotFrom(ctx)
	if slot != nil && share && after == nil {
		slot.fill(release)
		return make(chan T), nil // never sent on: the fan-out answers in its place
	}
	sub, err := hub.Subscribe(ctx, sc, f, after)
	if err != nil {
		release()
		return nil, queryError(ctx, err)
	}
	resuming := slot != nil && share && slot.resumable
	if resuming {
		tap = &CursorTap{live: sub.Live}
		slot.fill(release) // the slot holds the connection's place from now on
		slot.tap = tap
	}
	out := make(chan T, 1)
	emit := func(v T) bool {
		select {
		case out <- v:
			return true
		case <-ctx.Done():
			return false
		}
	}
	go func() {
		defer close(out)
		if !resuming {
			defer release()
		}
		defer hub.Unsubscribe(sub)
		for {
			d, ok := sub.Next(ctx)
			if !ok {
				if err := sub.Err(); err != nil && ctx.Err() == nil {
					CloseLiveConnection(ctx, err)
				}
				return
			}
			send := emit
			if tap != nil {
				send = func(v T) bool {
					tap.push(d.Cursor) // before the value: gqlgen answers it next
					return emit(v)
				}
			}
			if !each(d, send) {
				return
			}
		}
	}()
	return out, nil
}

// stockChangeEvent maps a delivery, whose position is the sealed cursor, to
// its GraphQL event.
func stockChangeEvent(d live.Delivery, cursor string) *model.StockChangeEvent {
	c := d.Change
	return &model.StockChangeEvent{
		Cursor:      cursor,
		OperationID: c.OperationID,
		Operation:   c.Operation,
		Actor:       c.Actor,
		Reference:   c.Reference,
		Reason:      c.Reason,
		Movements:   movements(c),
		StockLevels: levels(c),
		CreatedAt:   c.CreatedAt,
	}
}

// startWith returns a channel that first gives first, then, unless only is
// true, what updates gives.
func startWith[T any](ctx context.Context, first T, only bool, updates <-chan T) <-chan T {
	out := make(chan T, 1)
	go func() {
		defer close(out)
		select {
		case out <- first:
		case <-ctx.Done():
			return
		}
		if only {
			return
		}
		for v := range updates {
			select {
			case out <- v:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}
