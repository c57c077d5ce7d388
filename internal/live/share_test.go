package live_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/internal/live"
)

// source is a group's feed for the tests: frames are what is sent on
// frames; started counts the feeds started, running those not yet ended;
// end is the last feed's way to end itself with a reason.
type source struct {
	frames  chan any
	started atomic.Int32
	running atomic.Int32

	mu  sync.Mutex
	end func(error)
}

func newSource() *source { return &source{frames: make(chan any)} }

func (s *source) feed(ctx context.Context, _ func(), end func(error)) func(context.Context) (any, bool) {
	s.started.Add(1)
	s.running.Add(1)
	s.mu.Lock()
	s.end = end
	s.mu.Unlock()
	var once sync.Once
	return func(ctx context.Context) (any, bool) {
		select {
		case f := <-s.frames:
			return f, true
		case <-ctx.Done():
			once.Do(func() { s.running.Add(-1) })
			return nil, false
		}
	}
}

// send hands the running feed a frame, failing the test if no feed takes it.
func (s *source) send(t *testing.T, f any) {
	t.Helper()
	select {
	case s.frames <- f:
	case <-time.After(wait):
		t.Fatalf("no feed took frame %v", f)
	}
}

func newShareHub(buffer int) *live.Hub {
	return live.NewHub(nil, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), live.Config{Buffer: buffer})
}

// nextFrame reads a member's next frame within the test's patience.
func nextFrame(t *testing.T, m *live.Member) any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	f, ok := m.Next(ctx)
	if !ok {
		t.Fatalf("member ended (%v), want a frame", m.Err())
	}
	return f
}

// eventually waits for cond.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// TestShareHandsEachFrameToEveryMember joins three members to one key and
// one to another: one feed runs per key, each member of a key gets every
// frame made after it joined, in order, and the last member to leave ends
// its key's feed; a member joining afterwards starts a new one.
func TestShareHandsEachFrameToEveryMember(t *testing.T) {
	hub := newShareHub(16)
	a, b := newSource(), newSource()
	ctx := context.Background()
	m1 := hub.Join(ctx, "a", a.feed)
	m2 := hub.Join(ctx, "a", a.feed)
	other := hub.Join(ctx, "b", b.feed)
	if a.started.Load() != 1 || b.started.Load() != 1 || hub.Groups() != 2 || hub.Members() != 3 {
		t.Fatalf("feeds a %d b %d, groups %d, members %d; want 1, 1, 2, 3", a.started.Load(), b.started.Load(), hub.Groups(), hub.Members())
	}
	a.send(t, 1)
	if f1, f2 := nextFrame(t, m1), nextFrame(t, m2); f1 != 1 || f2 != 1 {
		t.Fatalf("got %v and %v, want 1 and 1", f1, f2)
	}
	late := hub.Join(ctx, "a", a.feed)
	a.send(t, 2)
	a.send(t, 3)
	for i, m := range []*live.Member{m1, m2, late} {
		if f, g := nextFrame(t, m), nextFrame(t, m); f != 2 || g != 3 {
			t.Fatalf("member %d got %v %v, want 2 3", i, f, g)
		}
	}
	b.send(t, "b1")
	if f := nextFrame(t, other); f != "b1" {
		t.Fatalf("member of b got %v", f)
	}

	m1.Leave()
	m2.Leave()
	if a.running.Load() != 1 {
		t.Fatal("the feed of a ended while a member remained")
	}
	late.Leave()
	eventually(t, "the feed of a ends with its last member", func() bool { return a.running.Load() == 0 })
	if hub.Groups() != 1 || hub.Members() != 1 {
		t.Fatalf("groups %d, members %d; want 1 and 1", hub.Groups(), hub.Members())
	}
	again := hub.Join(ctx, "a", a.feed)
	if a.started.Load() != 2 {
		t.Fatalf("joining a key with no group started %d feeds in all, want 2", a.started.Load())
	}
	a.send(t, 4)
	if f := nextFrame(t, again); f != 4 {
		t.Fatalf("got %v, want 4", f)
	}
	again.Leave()
	other.Leave()
	eventually(t, "every feed ends", func() bool { return a.running.Load() == 0 && b.running.Load() == 0 && hub.Groups() == 0 })
}

// TestShareEndsASlowMemberAlone lets one member stop reading: past the
// hub's Buffer it ends with ErrTooSlow, having lost nothing before, while
// the member that reads gets every frame.
func TestShareEndsASlowMemberAlone(t *testing.T) {
	const buffer = 4
	hub := newShareHub(buffer)
	src := newSource()
	ctx := context.Background()
	slow := hub.Join(ctx, "k", src.feed)
	fast := hub.Join(ctx, "k", src.feed)
	for i := range 3 * buffer {
		src.send(t, i)
		if f := nextFrame(t, fast); f != i {
			t.Fatalf("fast member got %v, want %d", f, i)
		}
	}
	for i := range buffer {
		if f := nextFrame(t, slow); f != i {
			t.Fatalf("slow member's frame %d is %v", i, f)
		}
	}
	if f, ok := slow.Next(ctx); ok {
		t.Fatalf("slow member got %v past its buffer", f)
	}
	if !errors.Is(slow.Err(), live.ErrTooSlow) {
		t.Fatalf("slow member ended with %v, want ErrTooSlow", slow.Err())
	}
	if hub.Members() != 1 {
		t.Fatalf("%d members, want 1", hub.Members())
	}
	fast.Leave()
}

// TestShareEndsEveryMemberWithTheFeedsReason ends a feed as the hub ends a
// subscriber (the server shutting down): every member ends with that reason,
// and the key is free for a new feed.
func TestShareEndsEveryMemberWithTheFeedsReason(t *testing.T) {
	hub := newShareHub(8)
	src := newSource()
	ctx := context.Background()
	members := []*live.Member{hub.Join(ctx, "k", src.feed), hub.Join(ctx, "k", src.feed)}
	src.mu.Lock()
	end := src.end
	src.mu.Unlock()
	end(live.ErrShuttingDown)
	for i, m := range members {
		if f, ok := m.Next(ctx); ok {
			t.Fatalf("member %d got %v after its feed ended", i, f)
		}
		if !errors.Is(m.Err(), live.ErrShuttingDown) {
			t.Fatalf("member %d ended with %v, want ErrShuttingDown", i, m.Err())
		}
	}
	eventually(t, "the group is gone", func() bool { return hub.Groups() == 0 && hub.Members() == 0 })
}

// TestShareUnderChurn races members joining and leaving one key while frames
// flow (run with -race): every member sees the frames in order, and when all
// have left, no feed runs. (The test's feeds share one source, so a feed
// that is ending may take a frame from the next: order is what is checked
// here, gaps in TestShareHandsEachFrameToEveryMember.)
func TestShareUnderChurn(t *testing.T) {
	hub := newShareHub(1 << 16)
	src := newSource()
	stop := make(chan struct{})
	var produced sync.WaitGroup
	produced.Go(func() {
		for i := 0; ; i++ {
			select {
			case src.frames <- i:
			case <-stop:
				return
			case <-time.After(time.Millisecond):
				// no feed running at the moment: try again
			}
		}
	})
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 32 {
		wg.Go(func() {
			for round := range 20 {
				m := hub.Join(context.Background(), "k", src.feed)
				ctx, cancel := context.WithTimeout(context.Background(), time.Duration(1+(w+round)%5)*time.Millisecond)
				prev := -1
				for {
					f, ok := m.Next(ctx)
					if !ok {
						break
					}
					if n := f.(int); n <= prev {
						errs <- fmt.Errorf("worker %d round %d: frame %d after %d", w, round, n, prev)
					} else {
						prev = n
					}
				}
				cancel()
				if err := m.Err(); err != nil {
					errs <- fmt.Errorf("worker %d round %d ended with %v", w, round, err)
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	produced.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	eventually(t, "no feed runs once every member left", func() bool { return src.running.Load() == 0 && hub.Groups() == 0 })
	if hub.Members() != 0 {
		t.Fatalf("%d members left", hub.Members())
	}
}
