package live

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

// mailbox is one reader's queue: values wait in it in order, it grows as
// they wait, up to a limit, and it holds no buffer while empty. A writer
// that must never wait offers (past the limit, the mailbox ends with
// ErrTooSlow); one that goes at the reader's pace pushes. The reader takes
// values with next until the mailbox has ended and what it held is read.
// Subscribers (subscriber.go) and members of shared subscriptions
// (share.go) read through one.
type mailbox[T any] struct {
	limit int
	bound *atomic.Int64 // when set, the limit, which may change (a group's feed: share.go)
	done  chan struct{} // closed when the mailbox ends
	wake  chan struct{} // a value was queued, or the mailbox ended
	space chan struct{} // a value was read: a push waiting for room goes on

	mu     sync.Mutex
	queue  []T
	closed bool
	err    error
}

func newMailbox[T any](limit int) *mailbox[T] {
	return &mailbox[T]{limit: limit, done: make(chan struct{}),
		wake: make(chan struct{}, 1), space: make(chan struct{}, 1)}
}

// limitNow is how many values the mailbox may hold now.
func (b *mailbox[T]) limitNow() int {
	if b.bound != nil {
		return int(b.bound.Load())
	}
	return b.limit
}

// signal wakes whoever waits on c, if anyone does.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// offerLocked queues v without waiting, or, past the limit, ends the
// mailbox as too slow. It reports whether v was queued. The caller holds
// b.mu.
func (b *mailbox[T]) offerLocked(v T) bool {
	if b.closed {
		return false
	}
	if limit := b.limitNow(); len(b.queue) >= limit {
		b.endLocked(fmt.Errorf("%w: more than %d changes not yet read; resubscribe, resuming from the last cursor read", ErrTooSlow, limit))
		return false
	}
	b.queue = append(b.queue, v)
	signal(b.wake)
	return true
}

// offer is offerLocked for a caller that does not hold b.mu.
func (b *mailbox[T]) offer(v T) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.offerLocked(v)
}

// push queues v, waiting for room while the mailbox is full. It returns
// false when the mailbox or ctx ends first.
func (b *mailbox[T]) push(ctx context.Context, v T) bool {
	for {
		b.mu.Lock()
		if b.closed {
			b.mu.Unlock()
			return false
		}
		if len(b.queue) < b.limitNow() {
			b.queue = append(b.queue, v)
			b.mu.Unlock()
			signal(b.wake)
			return true
		}
		b.mu.Unlock()
		select {
		case <-b.space:
		case <-b.done:
			return false
		case <-ctx.Done():
			return false
		}
	}
}

// next waits for the next value. It returns false once the mailbox has
// ended and what it held is read, or when ctx ends.
func (b *mailbox[T]) next(ctx context.Context) (T, bool) {
	var zero T
	for {
		b.mu.Lock()
		if len(b.queue) > 0 {
			v := b.popLocked()
			b.mu.Unlock()
			signal(b.space)
			return v, true
		}
		closed := b.closed
		b.mu.Unlock()
		if closed {
			return zero, false
		}
		select {
		case <-b.wake:
		case <-b.done:
		case <-ctx.Done():
			return zero, false
		}
	}
}

// popLocked takes the first value queued; there is one. The caller holds
// b.mu.
func (b *mailbox[T]) popLocked() T {
	var zero T
	v := b.queue[0]
	b.queue[0] = zero
	b.queue = b.queue[1:]
	if len(b.queue) == 0 {
		b.queue = nil // an idle reader holds no buffer
	}
	return v
}

// peek returns the next value without taking it, or false when none is
// queued.
func (b *mailbox[T]) peek() (T, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.queue) == 0 {
		var zero T
		return zero, false
	}
	return b.queue[0], true
}

// drop takes the next value, if one is queued, without waiting.
func (b *mailbox[T]) drop() {
	b.mu.Lock()
	if len(b.queue) > 0 {
		b.popLocked()
	}
	b.mu.Unlock()
	signal(b.space)
}

// wait waits until a value is queued, and reports true; false when the
// mailbox has ended with nothing queued, or ctx ends first.
func (b *mailbox[T]) wait(ctx context.Context) bool {
	for {
		b.mu.Lock()
		queued, closed := len(b.queue) > 0, b.closed
		b.mu.Unlock()
		switch {
		case queued:
			return true
		case closed:
			return false
		}
		select {
		case <-b.wake:
		case <-b.done:
		case <-ctx.Done():
			return false
		}
	}
}

// ended reports whether the mailbox has ended.
func (b *mailbox[T]) ended() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closed
}

// end ends the mailbox with err, once. What it holds is still read, unless
// err is nil (the reader left).
func (b *mailbox[T]) end(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.endLocked(err)
}

func (b *mailbox[T]) endLocked(err error) {
	if b.closed {
		return
	}
	b.closed, b.err = true, err
	if err == nil {
		b.queue = nil
	}
	close(b.done)
	signal(b.wake)
}

// reason says why the mailbox ended: nil while it has not, or when its
// reader left.
func (b *mailbox[T]) reason() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}
