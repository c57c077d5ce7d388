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
// tenant, roles, document and variables, and it neither replays nor starts
// with a current state) and a SharedSlot in ctx, it registers nothing: once
// the checks pass, it fills the slot, and the fan-out gives the subscriber
// the frames of a shared execution instead (internal/httpserver/fanout.go).
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
	if slot := sharedSlotFrom(ctx); slot != nil && share && after == nil {
		slot.fill(release)
		return make(chan T), nil // never sent on: the fan-out answers in its place
	}
	sub, err := hub.Subscribe(ctx, sc, f, after)
	if err != nil {
		release()
		return nil, queryError(ctx, err)
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
		defer release()
		defer hub.Unsubscribe(sub)
		for {
			d, ok := sub.Next(ctx)
			if !ok {
				if err := sub.Err(); err != nil && ctx.Err() == nil {
					CloseLiveConnection(ctx, err)
				}
				return
			}
			if !each(d, emit) {
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
