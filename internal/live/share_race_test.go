package live_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/live"
)

// TestJoinReturnsWhenItsSubscriberLeavesWhileTheFeedStarts joins while
// the hub is not ready (as when the database is away at boot), so that the
// group's feed waits in Subscribe: when the subscriber's context ends, Join
// returns, and the feed, which it was the only member of, ends.
func TestJoinReturnsWhenItsSubscriberLeavesWhileTheFeedStarts(t *testing.T) {
	h := newShareHub(4) // never Run: not ready
	feed := func(ctx context.Context, entered func(), end func(error)) func(context.Context) (any, bool) {
		entered() // as the subscription's resolver does, before it subscribes
		sub, err := h.Subscribe(ctx, domain.Scope{TenantID: "t"}, live.Filter{}, nil)
		if err != nil {
			return func(context.Context) (any, bool) { return nil, false }
		}
		return func(ctx context.Context) (any, bool) {
			d, ok := sub.Next(ctx)
			if !ok {
				h.Unsubscribe(sub)
			}
			return d, ok
		}
	}
	base, cancel := context.WithCancel(context.Background())
	joined := make(chan struct{})
	go func() {
		m := h.Join(base, "k", feed)
		m.Leave()
		close(joined)
	}()
	time.Sleep(50 * time.Millisecond)
	cancel() // the subscriber leaves (client sent complete, or went away)
	select {
	case <-joined:
	case <-time.After(wait):
		t.Fatalf("Join still blocked %v after its subscriber's context ended", wait)
	}
}

// TestFirstMemberOutlastsAnotherWhoLeaves has a second subscriber join
// while the first one's feed starts, and leave at once: the first must stay
// a member (its subscription must not complete by itself).
func TestFirstMemberOutlastsAnotherWhoLeaves(t *testing.T) {
	h := newShareHub(4)
	spurious := 0
	for i := range 2000 {
		key := fmt.Sprint("k", i)
		started := make(chan struct{})
		feed := func(ctx context.Context, entered func(), end func(error)) func(context.Context) (any, bool) {
			close(started)
			return func(ctx context.Context) (any, bool) { <-ctx.Done(); return nil, false }
		}
		aDone := make(chan *live.Member)
		go func() { aDone <- h.Join(context.Background(), key, feed) }()
		<-started
		bDone := make(chan struct{})
		go func() {
			b := h.Join(context.Background(), key, feed)
			b.Leave()
			close(bDone)
		}()
		a := <-aDone
		<-bDone
		ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
		_, ok := a.Next(ctx)
		if !ok && ctx.Err() == nil {
			spurious++
		}
		cancel()
		a.Leave()
	}
	if spurious > 0 {
		t.Fatalf("%d of 2000 starters ended by themselves (nil error, no frame) because a joiner left first", spurious)
	}
}

// TestNewMemberDoesNotInheritAFailedFeed joins a key whose feed has just
// failed as too slow while its group is still ending: the new member gets a
// feed of its own, and is not ended with the old feed's ErrTooSlow (which
// would close its whole connection with 4408).
func TestNewMemberDoesNotInheritAFailedFeed(t *testing.T) {
	h := newShareHub(4)
	release := make(chan struct{})
	var endFeed func(error)
	feed := func(ctx context.Context, entered func(), end func(error)) func(context.Context) (any, bool) {
		endFeed = end
		return func(ctx context.Context) (any, bool) {
			<-ctx.Done()
			<-release // the group is busy (executing or offering) as the hub ends its feed
			return nil, false
		}
	}
	first := h.Join(context.Background(), "k", feed)
	defer first.Leave()
	endFeed(fmt.Errorf("%w: feed fell behind", live.ErrTooSlow))
	late := make(chan *live.Member)
	go func() { late <- h.Join(context.Background(), "k", feed) }()
	time.Sleep(20 * time.Millisecond)
	close(release)
	m := <-late
	defer m.Leave()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	m.Next(ctx)
	if err := m.Err(); errors.Is(err, live.ErrTooSlow) {
		t.Fatalf("a member that joined after the feed failed ended with %v; want a feed of its own", err)
	}
}
