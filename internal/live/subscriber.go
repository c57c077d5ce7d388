package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

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
// Its queue grows as needed, up to the hub's Buffer (FeedBuffer for a
// shared subscription's feed): an idle subscriber holds no buffer.
type Subscriber struct {
	tenant string
	filter Filter
	box    *mailbox[Delivery]

	// Guarded by box.mu, so that a delivery's checks and its queueing are
	// one step.
	replaying bool // while true, live deliveries are left to the replay
	last      domain.FeedCursor
}

// isFeed reports whether the subscriber is a shared subscription's feed
// (share.go), whose queue bound is its group's.
func (s *Subscriber) isFeed() bool { return s.box.bound != nil }

func newSubscriber(tenant string, f Filter, buffer int) *Subscriber {
	return &Subscriber{tenant: tenant, filter: f, box: newMailbox[Delivery](buffer)}
}

// Next waits for the subscriber's next delivery. It returns false once the
// subscriber has ended and what it had queued is read, or when ctx ends.
func (s *Subscriber) Next(ctx context.Context) (Delivery, bool) { return s.box.next(ctx) }

// Done is closed when the subscriber ends.
func (s *Subscriber) Done() <-chan struct{} { return s.box.done }

// Err says why the subscriber ended: nil when it was unsubscribed.
func (s *Subscriber) Err() error { return s.box.reason() }

// offer hands a live delivery to the subscriber without blocking. A
// subscriber whose queue is full is closed with ErrTooSlow.
func (s *Subscriber) offer(d Delivery) {
	s.box.mu.Lock()
	defer s.box.mu.Unlock()
	if s.replaying || !d.Cursor.After(s.last) {
		return // catching up from the outbox, or already delivered
	}
	if s.box.offerLocked(d) {
		s.last = d.Cursor
	}
}

// push queues a replayed delivery, waiting for room while the queue is
// full: a replay goes at the subscriber's pace. It returns false when the
// subscriber or ctx ends first.
func (s *Subscriber) push(ctx context.Context, d Delivery) bool { return s.box.push(ctx, d) }

// replayed records that a replayed delivery was sent.
func (s *Subscriber) replayed(c domain.FeedCursor) {
	s.box.mu.Lock()
	if c.After(s.last) { // never back: a resume cursor may be ahead of this hub
		s.last = c
	}
	s.box.mu.Unlock()
}

// Live reports whether the subscriber has no replay left to catch up on:
// live deliveries now reach its queue (behind any replayed ones not yet
// read).
func (s *Subscriber) Live() bool {
	s.box.mu.Lock()
	defer s.box.mu.Unlock()
	return !s.replaying
}

// goLive ends a replay: from now on live deliveries go straight through.
// The hub calls it under its lock, with the cursor of the last event it
// delivered equal to the last one replayed, so nothing falls between.
func (s *Subscriber) goLive() {
	s.box.mu.Lock()
	defer s.box.mu.Unlock()
	s.replaying = false
}

// close ends the subscriber with err: what it had queued is still read,
// unless err is nil (unsubscribed).
func (s *Subscriber) close(err error) { s.box.end(err) }
