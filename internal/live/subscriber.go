package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/inventory-backbone/inventory/domain"
)

// Filter narrows what a subscriber receives. Empty sets match everything.
type Filter struct {
	// Kind is the event kind wanted: "" for stock changes, or one of the
	// domain's other event kinds (domain.EventAlertRaised,
	// domain.EventReportUpdated).
	Kind        string
	ItemIDs     map[string]bool
	LocationIDs map[string]bool
	// ReportID, for report events, is the one report wanted.
	ReportID string
	// ImportID, for import events, is the one import wanted.
	ImportID string
}

// Matches reports whether a delivery passes the filter.
func (f Filter) Matches(d Delivery) bool {
	switch {
	case f.Kind == "":
		return d.Change != nil && f.MatchesChange(d.Change)
	case f.Kind != d.Kind:
		return false
	case d.Alert != nil:
		return f.MatchesLevel(&domain.Level{ItemID: d.Alert.ItemID, LocationID: d.Alert.LocationID})
	case d.Report != nil:
		return f.ReportID == "" || f.ReportID == d.Report.ID
	case d.Import != nil:
		return f.ImportID == "" || f.ImportID == d.Import.ID
	}
	return false
}

// NewFilter builds a filter from optional id lists.
func NewFilter(itemIDs, locationIDs []string) Filter {
	f := Filter{}
	if len(itemIDs) > 0 {
		f.ItemIDs = map[string]bool{}
		for _, id := range itemIDs {
			f.ItemIDs[id] = true
		}
	}
	if len(locationIDs) > 0 {
		f.LocationIDs = map[string]bool{}
		for _, id := range locationIDs {
			f.LocationIDs[id] = true
		}
	}
	return f
}

// MatchesLevel reports whether a level passes the filter.
func (f Filter) MatchesLevel(l *domain.Level) bool {
	return (f.ItemIDs == nil || f.ItemIDs[l.ItemID]) && (f.LocationIDs == nil || f.LocationIDs[l.LocationID])
}

// MatchesChange reports whether any level of a change passes the filter.
func (f Filter) MatchesChange(c *domain.StockChange) bool {
	for i := range c.Levels {
		if f.MatchesLevel(&c.Levels[i]) {
			return true
		}
	}
	return false
}

// Delivery is one committed event, as a subscriber receives it: a stock
// change, an alert or a report, by its kind.
type Delivery struct {
	Cursor domain.FeedCursor
	Kind   string
	Change *domain.StockChange
	Alert  *domain.Alert
	Report *domain.Report
	Import *domain.Import
}

// decode turns an outbox event into a delivery. Unknown kinds decode to a
// delivery that no filter matches.
func decode(e *domain.Event) (Delivery, error) {
	d := Delivery{Cursor: e.Cursor, Kind: e.Kind}
	var err error
	switch e.Kind {
	case domain.EventStockChanged:
		d.Change, err = e.StockChange()
	case domain.EventAlertRaised, domain.EventAlertUpdated, domain.EventAlertResolved:
		d.Alert = &domain.Alert{}
		err = json.Unmarshal(e.Payload, d.Alert)
	case domain.EventReportUpdated:
		d.Report = &domain.Report{}
		err = json.Unmarshal(e.Payload, d.Report)
	case domain.EventImportUpdated:
		d.Import = &domain.Import{}
		err = json.Unmarshal(e.Payload, d.Import)
	}
	if err != nil {
		return Delivery{Cursor: e.Cursor}, fmt.Errorf("decode %s event: %w", e.Kind, err)
	}
	return d, nil
}

// ErrTooSlow is why a subscriber that fell behind was closed.
var ErrTooSlow = errors.New("subscriber too slow")

// ErrShuttingDown is why subscribers end when the hub stops.
var ErrShuttingDown = errors.New("server shutting down")

// Subscriber receives the changes of one tenant that pass its filter, in
// feed order. Read them with Next until it returns false; then Err says why.
// Its queue grows as needed, up to the hub's Buffer: an idle subscriber
// holds no buffer.
type Subscriber struct {
	tenant string
	filter Filter
	feed   bool // a shared subscription's feed: share.go
	limit  int
	done   chan struct{}
	wake   chan struct{} // a delivery was queued, or the subscriber ended
	space  chan struct{} // a delivery was read: a replay waiting for room goes on

	mu        sync.Mutex
	queue     []Delivery
	closed    bool
	err       error
	replaying bool // while true, live deliveries are left to the replay
	last      domain.FeedCursor
}

func newSubscriber(tenant string, f Filter, buffer int) *Subscriber {
	return &Subscriber{tenant: tenant, filter: f, limit: buffer, done: make(chan struct{}),
		wake: make(chan struct{}, 1), space: make(chan struct{}, 1)}
}

// signal wakes whoever waits on c, if anyone does.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// popFront removes and returns the first element of a queue that is not
// empty; an emptied queue lets go of its array, so that an idle reader
// holds no buffer.
func popFront[T any](q *[]T) T {
	var zero T
	v := (*q)[0]
	(*q)[0] = zero
	*q = (*q)[1:]
	if len(*q) == 0 {
		*q = nil
	}
	return v
}

// Next waits for the subscriber's next delivery. It returns false once the
// subscriber has ended and what it had queued is read, or when ctx ends.
func (s *Subscriber) Next(ctx context.Context) (Delivery, bool) {
	for {
		s.mu.Lock()
		if len(s.queue) > 0 {
			d := popFront(&s.queue)
			s.mu.Unlock()
			signal(s.space)
			return d, true
		}
		closed := s.closed
		s.mu.Unlock()
		if closed {
			return Delivery{}, false
		}
		select {
		case <-s.wake:
		case <-s.done:
		case <-ctx.Done():
			return Delivery{}, false
		}
	}
}

// Done is closed when the subscriber ends.
func (s *Subscriber) Done() <-chan struct{} { return s.done }

// Err says why the subscriber ended: nil when it was unsubscribed.
func (s *Subscriber) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// offer hands a live delivery to the subscriber without blocking. A
// subscriber whose queue is full is closed with ErrTooSlow.
func (s *Subscriber) offer(d Delivery) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.replaying || !d.Cursor.After(s.last) {
		return // closed, catching up from the outbox, or already delivered
	}
	if len(s.queue) >= s.limit {
		s.closeLocked(fmt.Errorf("%w: more than %d changes not yet read; resubscribe, resuming from the last cursor read", ErrTooSlow, s.limit))
		return
	}
	s.queue = append(s.queue, d)
	s.last = d.Cursor
	signal(s.wake)
}

// push queues a replayed delivery, waiting for room while the queue is
// full: a replay goes at the subscriber's pace. It returns false when the
// subscriber or ctx ends first.
func (s *Subscriber) push(ctx context.Context, d Delivery) bool {
	for {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return false
		}
		if len(s.queue) < s.limit {
			s.queue = append(s.queue, d)
			s.mu.Unlock()
			signal(s.wake)
			return true
		}
		s.mu.Unlock()
		select {
		case <-s.space:
		case <-s.done:
			return false
		case <-ctx.Done():
			return false
		}
	}
}

// replayed records that a replayed delivery was sent.
func (s *Subscriber) replayed(c domain.FeedCursor) {
	s.mu.Lock()
	if c.After(s.last) { // never back: a resume cursor may be ahead of this hub
		s.last = c
	}
	s.mu.Unlock()
}

// goLive ends a replay: from now on live deliveries go straight through.
// The hub calls it under its lock, with the cursor of the last event it
// delivered equal to the last one replayed, so nothing falls between.
func (s *Subscriber) goLive() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replaying = false
}

func (s *Subscriber) close(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closeLocked(err)
}

// closeLocked ends the subscriber with err, once. What it had queued is
// still read, but after an unsubscription (err nil).
func (s *Subscriber) closeLocked(err error) {
	if s.closed {
		return
	}
	s.closed, s.err = true, err
	if err == nil {
		s.queue = nil
	}
	close(s.done)
	signal(s.wake)
}
