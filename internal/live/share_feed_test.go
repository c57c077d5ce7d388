package live_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/live"
)

// gatedFeed is a shared subscription's feed over the hub, as the GraphQL
// fan-out makes it, whose execution of each event waits for the test: it
// stands for an execution that blocks (a slow read for one event). Its
// frames are the changes' operation ids.
type gatedFeed struct {
	hub  *live.Hub
	sc   domain.Scope
	gate chan struct{}
}

func (g *gatedFeed) feed(t *testing.T) live.Feed {
	return func(ctx context.Context, entered func(), end func(error)) func(context.Context) (any, bool) {
		entered()
		s, err := g.hub.Subscribe(ctx, g.sc, live.Filter{}, nil)
		if err != nil {
			t.Errorf("the feed's subscribe: %v", err)
			end(err)
			return func(context.Context) (any, bool) { return nil, false }
		}
		return func(ctx context.Context) (any, bool) {
			select {
			case <-g.gate:
			case <-ctx.Done():
				g.hub.Unsubscribe(s)
				return nil, false
			}
			d, ok := s.Next(ctx)
			if !ok {
				// As graph/subscribe.go does: the hub ended the subscriber.
				if err := s.Err(); err != nil {
					end(err)
				}
				g.hub.Unsubscribe(s)
				return nil, false
			}
			return d.Change.OperationID, true
		}
	}
}

// TestSharedFeedOutlastsASlowExecution blocks a shared subscription's
// execution while changes commit. A feed may hold the hub's Buffer (4) for
// each member, up to its FeedBuffer (16). Within that, the feed is kept:
// once the execution goes on, every member gets every change, in order.
// Past it, the feed ends, and every member with it, told that the server
// fell behind. The bound follows the members: five members (20 buffers'
// worth) are held to FeedBuffer, and a member alone to one Buffer, as if it
// were not shared.
func TestSharedFeedOutlastsASlowExecution(t *testing.T) {
	for _, c := range []struct {
		name    string
		members int
		bound   int
	}{
		{"five members, up to FeedBuffer", 5, 16},
		{"two members, a Buffer each", 2, 8},
		{"a member alone, one Buffer", 1, 4},
	} {
		t.Run(c.name, func(t *testing.T) { gatedFeedBound(t, c.members, c.bound) })
	}
}

// gatedFeedBound checks, with n members, that the feed holds bound changes
// while its execution is blocked, and ends at one more.
func gatedFeedBound(t *testing.T, n, bound int) {
	e := newEnv(t)
	hub := e.startHub(t, live.Config{Buffer: 4, FeedBuffer: 16})
	probe := subscribe(t, hub, e.sc, live.Filter{}, nil)
	g := &gatedFeed{hub: hub, sc: e.sc, gate: make(chan struct{})}
	ctx := context.Background()
	var members []*live.Member
	for range n {
		members = append(members, hub.Join(ctx, "k", g.feed(t)))
	}

	// commit commits n changes, and returns once the hub has offered each
	// to every subscriber: the probe has it, and the hub's delivery of it
	// (under the hub's lock, which Subscribers takes) is over.
	commit := func(n int) []*domain.StockChange {
		var changes []*domain.StockChange
		for range n {
			c := e.receive(t, 0)
			expect(t, "the probe", probe, c)
			changes = append(changes, c)
		}
		hub.Subscribers()
		return changes
	}
	// pass lets the execution take one change, which every member gets.
	pass := func(want *domain.StockChange) {
		t.Helper()
		g.gate <- struct{}{}
		for j, m := range members {
			if f := nextFrame(t, m); want != nil && f != want.OperationID {
				t.Fatalf("member %d: frame %v, want change %s", j, f, want.OperationID)
			}
		}
	}

	for _, c := range commit(bound) {
		pass(c)
	}
	commit(bound + 1)
	for range bound { // what the feed's queue held
		pass(nil)
	}
	close(g.gate)
	for j, m := range members {
		if f, ok := m.Next(ctx); ok {
			t.Fatalf("member %d got %v after its feed fell behind", j, f)
		}
		if err := m.Err(); !errors.Is(err, live.ErrTooSlow) || !strings.Contains(err.Error(), "server fell behind") {
			t.Fatalf("member %d ended with %v, want ErrTooSlow saying the server fell behind", j, err)
		}
	}
	eventually(t, "the group is gone", func() bool { return hub.Groups() == 0 && hub.Members() == 0 })
}
