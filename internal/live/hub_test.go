package live_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/live"
	"github.com/inventory-backbone/inventory/internal/pg"
	"github.com/inventory-backbone/inventory/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// wait bounds every wait for something that must happen. It is generous, so
// that a loaded machine never fails a test that would pass; results are
// checked exactly.
const wait = 30 * time.Second

// env is a tenant with two items at one location, on the package's test
// database.
type env struct {
	db    *testdb.DB
	store *domain.Store
	sc    domain.Scope
	items [2]string
	loc   string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	db := testdb.Get(t)
	e := &env{db: db, store: domain.NewStore(db.App, domain.WithSystemPool(db.System))}
	tenant, err := e.store.CreateTenant(ctx, "live "+t.Name())
	if err != nil {
		t.Fatal(err)
	}
	e.sc = domain.Scope{TenantID: tenant.ID, Actor: "hub-test"}
	for i := range e.items {
		it, err := e.store.CreateItem(ctx, e.sc, domain.NewItem{SKU: fmt.Sprintf("HUB-%d", i), Name: "Hub item"})
		if err != nil {
			t.Fatal(err)
		}
		e.items[i] = it.ID
	}
	loc, err := e.store.CreateLocation(ctx, e.sc, domain.NewLocation{Code: "HUB", Name: "Hub location"})
	if err != nil {
		t.Fatal(err)
	}
	e.loc = loc.ID
	return e
}

// receive commits a receipt of item i and returns the change.
func (e *env) receive(t *testing.T, i int) *domain.StockChange {
	t.Helper()
	c, err := e.store.Receive(context.Background(), e.sc, e.items[i], e.loc, 1, domain.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// startHub runs a hub over the env's store until the test ends.
func (e *env) startHub(t *testing.T, cfg live.Config) *live.Hub {
	t.Helper()
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 100 * time.Millisecond
	}
	url := e.db.URL
	listen := func(ctx context.Context) (*pgx.Conn, error) {
		cc, err := pg.ParseConfig(url)
		if err != nil {
			return nil, err
		}
		cc.RuntimeParams["application_name"] = "inventory-listen-hub-test"
		return pgx.ConnectConfig(ctx, cc)
	}
	hub := live.NewHub(e.store, listen, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- hub.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("hub.Run: %v", err)
		}
	})
	return hub
}

// subscribe registers a subscriber that the test unsubscribes at its end.
// Its context lasts as long as the test: a resuming subscriber's replay runs
// on it.
func subscribe(t *testing.T, hub *live.Hub, sc domain.Scope, f live.Filter, after *domain.FeedCursor) *live.Subscriber {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	s, err := hub.Subscribe(ctx, sc, f, after)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hub.Unsubscribe(s) })
	return s
}

// next returns the subscriber's next delivery, failing the test when it ends
// first or nothing comes in time.
func next(t *testing.T, s *live.Subscriber) live.Delivery {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	d, ok := s.Next(ctx)
	if !ok {
		if ctx.Err() != nil {
			t.Fatalf("no delivery within %s", wait)
		}
		t.Fatalf("subscriber ended: %v", s.Err())
	}
	return d
}

// queued returns the subscriber's next delivery if one is already queued.
func queued(s *live.Subscriber) (live.Delivery, bool) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // Next reads the queue before it looks at ctx
	return s.Next(ctx)
}

// expect reads one delivery per change, in order, and checks each carries its
// change with a cursor past the previous one. It returns the cursors.
func expect(t *testing.T, what string, s *live.Subscriber, changes ...*domain.StockChange) []domain.FeedCursor {
	t.Helper()
	var cursors []domain.FeedCursor
	var last domain.FeedCursor
	for i, c := range changes {
		d := next(t, s)
		if d.Change.OperationID != c.OperationID {
			t.Fatalf("%s: delivery %d is operation %s (%s), want %s (%s)", what, i,
				d.Change.OperationID, d.Change.Operation, c.OperationID, c.Operation)
		}
		if len(d.Change.Levels) != len(c.Levels) || d.Change.Levels[0].Version != c.Levels[0].Version {
			t.Fatalf("%s: delivery %d has levels %+v, want %+v", what, i, d.Change.Levels, c.Levels)
		}
		if !d.Cursor.After(last) {
			t.Fatalf("%s: delivery %d has cursor %v, not after %v", what, i, d.Cursor, last)
		}
		last = d.Cursor
		cursors = append(cursors, d.Cursor)
	}
	return cursors
}

func TestFilterMatching(t *testing.T) {
	level := func(item, loc string) domain.Level { return domain.Level{ItemID: item, LocationID: loc} }
	cases := []struct {
		name        string
		items, locs []string
		level       domain.Level
		want        bool
	}{
		{"no filter", nil, nil, level("i1", "l1"), true},
		{"empty lists", []string{}, []string{}, level("i1", "l1"), true},
		{"item in", []string{"i1", "i2"}, nil, level("i2", "l9"), true},
		{"item out", []string{"i1"}, nil, level("i2", "l1"), false},
		{"location in", nil, []string{"l1"}, level("i9", "l1"), true},
		{"location out", nil, []string{"l1"}, level("i1", "l2"), false},
		{"both in", []string{"i1"}, []string{"l1"}, level("i1", "l1"), true},
		{"item in, location out", []string{"i1"}, []string{"l1"}, level("i1", "l2"), false},
		{"item out, location in", []string{"i1"}, []string{"l1"}, level("i2", "l1"), false},
	}
	for _, tc := range cases {
		f := live.NewFilter(tc.items, tc.locs)
		if got := f.MatchesLevel(&tc.level); got != tc.want {
			t.Errorf("%s: MatchesLevel = %v, want %v", tc.name, got, tc.want)
		}
	}
	transfer := &domain.StockChange{Levels: []domain.Level{level("i1", "l1"), level("i1", "l2")}}
	for _, tc := range []struct {
		locs []string
		want bool
	}{{[]string{"l1"}, true}, {[]string{"l2"}, true}, {[]string{"l3"}, false}} {
		if got := live.NewFilter(nil, tc.locs).MatchesChange(transfer); got != tc.want {
			t.Errorf("transfer l1→l2, locations %v: MatchesChange = %v, want %v", tc.locs, got, tc.want)
		}
	}
	if live.NewFilter([]string{"i1"}, nil).MatchesChange(&domain.StockChange{}) {
		t.Error("a change without levels matches a filter")
	}
}

// TestHubDeliversEachTenantItsOwnChanges commits changes for two tenants:
// each subscriber receives, in commit order, exactly its tenant's changes
// that pass its filter. Markers committed last prove the absences.
func TestHubDeliversEachTenantItsOwnChanges(t *testing.T) {
	a, b := newEnv(t), newEnv(t)
	hub := a.startHub(t, live.Config{})
	all := subscribe(t, hub, a.sc, live.Filter{}, nil)
	second := subscribe(t, hub, a.sc, live.NewFilter([]string{a.items[1]}, nil), nil)
	other := subscribe(t, hub, b.sc, live.Filter{}, nil)
	if n := hub.Subscribers(); n != 3 {
		t.Fatalf("hub has %d subscribers", n)
	}

	a0, a1, a0again := a.receive(t, 0), a.receive(t, 1), a.receive(t, 0)
	bMarker := b.receive(t, 0)
	aMarker := a.receive(t, 1)

	expect(t, "tenant a, no filter", all, a0, a1, a0again, aMarker)
	expect(t, "tenant a, second item", second, a1, aMarker)
	expect(t, "tenant b", other, bMarker)
}

// TestSlowSubscriberIsClosedWithErrTooSlow gives the hub a buffer of 4 and one
// subscriber that never reads: the fifth change closes it with ErrTooSlow,
// its buffer holding the first four in order (nothing skipped), while another
// subscriber receives every change as it commits.
func TestSlowSubscriberIsClosedWithErrTooSlow(t *testing.T) {
	e := newEnv(t)
	hub := e.startHub(t, live.Config{Buffer: 4})
	slow := subscribe(t, hub, e.sc, live.Filter{}, nil)
	fast := subscribe(t, hub, e.sc, live.Filter{}, nil)
	var changes []*domain.StockChange
	for i := range 10 {
		changes = append(changes, e.receive(t, 0))
		expect(t, fmt.Sprintf("fast subscriber, change %d", i), fast, changes[i])
	}
	select {
	case <-slow.Done():
	default:
		t.Fatal("the slow subscriber is still open after 10 changes with a buffer of 4")
	}
	if err := slow.Err(); !errors.Is(err, live.ErrTooSlow) || !strings.Contains(err.Error(), "too slow") {
		t.Fatalf("slow subscriber ended with %v, want ErrTooSlow", err)
	}
	var kept []domain.FeedCursor
	for len(kept) < 10 {
		d, ok := queued(slow)
		if !ok {
			break
		}
		if d.Change.OperationID != changes[len(kept)].OperationID {
			t.Fatalf("slow subscriber's delivery %d is %s, want %s", len(kept), d.Change.OperationID, changes[len(kept)].OperationID)
		}
		kept = append(kept, d.Cursor)
	}
	if len(kept) != 4 {
		t.Fatalf("slow subscriber kept %d deliveries, want the first 4", len(kept))
	}
	hub.Unsubscribe(slow)
	if n := hub.Subscribers(); n != 1 {
		t.Fatalf("hub has %d subscribers after unsubscribing the slow one", n)
	}
}

// TestUnsubscribeEndsWithoutError checks that an unsubscribed subscriber ends
// with a nil Err and receives nothing more.
func TestUnsubscribeEndsWithoutError(t *testing.T) {
	e := newEnv(t)
	hub := e.startHub(t, live.Config{})
	s := subscribe(t, hub, e.sc, live.Filter{}, nil)
	witness := subscribe(t, hub, e.sc, live.Filter{}, nil)
	hub.Unsubscribe(s)
	select {
	case <-s.Done():
	default:
		t.Fatal("Done is open after Unsubscribe")
	}
	if s.Err() != nil {
		t.Fatalf("Err = %v after Unsubscribe", s.Err())
	}
	c := e.receive(t, 0)
	expect(t, "witness", witness, c) // the change went through the hub
	if d, ok := queued(s); ok {
		t.Fatalf("an unsubscribed subscriber received %v", d.Cursor)
	}
	if n := hub.Subscribers(); n != 1 {
		t.Fatalf("hub has %d subscribers", n)
	}
}

// TestResumeReplaysThenGoesLive resumes after the 10th of 30 changes while a
// writer commits 30 more: the subscriber receives every later change that
// passes its filter exactly once, in order, across the seam between the
// replay and the live feed.
func TestResumeReplaysThenGoesLive(t *testing.T) {
	e := newEnv(t)
	hub := e.startHub(t, live.Config{})
	recorder := subscribe(t, hub, e.sc, live.Filter{}, nil)
	itemOf := func(i int) int { return map[bool]int{true: 1, false: 0}[i%3 == 2] } // every third change is item 1
	var changes []*domain.StockChange
	for i := range 30 {
		changes = append(changes, e.receive(t, itemOf(i)))
	}
	cursors := expect(t, "recorder", recorder, changes...)

	more := make([]*domain.StockChange, 30)
	done := make(chan error, 1)
	go func() {
		for i := range more {
			c, err := e.store.Receive(context.Background(), e.sc, e.items[itemOf(i)], e.loc, 1, domain.Meta{})
			if err != nil {
				done <- err
				return
			}
			more[i] = c
		}
		done <- nil
	}()
	s := subscribe(t, hub, e.sc, live.NewFilter([]string{e.items[0]}, nil), &cursors[9])

	// The replay runs while the writer commits; what it and the live feed
	// deliver waits in the subscriber's queue (at most 256) until read.
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var want []*domain.StockChange
	for i, c := range slices.Concat(changes[10:], more) {
		if itemOf((10+i)%30) == 0 {
			want = append(want, c)
		}
	}
	var got []live.Delivery
	for range want {
		got = append(got, next(t, s))
	}
	if d, ok := queued(s); ok {
		t.Fatalf("a delivery more than the %d wanted: %v", len(want), d.Cursor)
	}
	last := cursors[9]
	for i, d := range got {
		if d.Change.OperationID != want[i].OperationID || !d.Cursor.After(last) {
			t.Fatalf("delivery %d: operation %s at %v, want %s after %v", i, d.Change.OperationID, d.Cursor, want[i].OperationID, last)
		}
		last = d.Cursor
	}
	marker := e.receive(t, 0)
	expect(t, "after the resume", s, marker)
}

// TestResumeSeamWithAFullBuffer resumes with more to replay than the buffer
// holds (4) while a change commits: the replay fills the buffer, the live
// change waits, the subscriber reads two and pauses, so that the replay
// reaches the seam with the buffer full. A subscriber that reads everything
// in the end was never too slow: it must receive all seven changes and stay
// open.
func TestResumeSeamWithAFullBuffer(t *testing.T) {
	e := newEnv(t)
	recorderHub := e.startHub(t, live.Config{})
	recorder := subscribe(t, recorderHub, e.sc, live.Filter{}, nil)
	var changes []*domain.StockChange
	for range 7 {
		changes = append(changes, e.receive(t, 0))
	}
	cursors := expect(t, "recorder", recorder, changes...)

	hub := e.startHub(t, live.Config{Buffer: 4})
	s := subscribe(t, hub, e.sc, live.Filter{}, &cursors[0])
	changes = append(changes, e.receive(t, 0)) // live, while the replay waits on the full buffer
	deadline := time.Now().Add(wait)
	for hub.Delivered.Load() != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the hub did not read the live change")
		}
		time.Sleep(5 * time.Millisecond)
	}
	expect(t, "first two", s, changes[1], changes[2])
	// Let the replay finish with the buffer full again. A correct hub delivers
	// everything whatever the timing; this pause only makes the seam meet a
	// full buffer.
	time.Sleep(200 * time.Millisecond)
	expect(t, "the rest", s, changes[3:]...)
	select {
	case <-s.Done():
		t.Fatalf("subscriber ended: %v", s.Err())
	default:
	}
}

// TestResumeFromPrunedCursorIsRefused prunes the outbox: a cursor from before
// the pruning can no longer be replayed in full, and Subscribe says so.
func TestResumeFromPrunedCursorIsRefused(t *testing.T) {
	e := newEnv(t)
	hub := e.startHub(t, live.Config{})
	recorder := subscribe(t, hub, e.sc, live.Filter{}, nil)
	first, second := e.receive(t, 0), e.receive(t, 0)
	cursors := expect(t, "recorder", recorder, first, second)
	if _, err := e.store.PruneEvents(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	_, err := hub.Subscribe(ctx, e.sc, live.Filter{}, &cursors[0])
	de, ok := domain.AsError(err)
	if !ok || de.Code != domain.CodeCursorExpired || len(de.Field) != 1 || de.Field[0] != "after" {
		t.Fatalf("Subscribe after a pruned cursor: %v, want a CURSOR_EXPIRED error on after", err)
	}
	if n := hub.Subscribers(); n != 1 {
		t.Fatalf("hub has %d subscribers after a refused one", n)
	}
	s := subscribe(t, hub, e.sc, live.Filter{}, &cursors[1])
	third := e.receive(t, 0)
	expect(t, "after the newest pruned event", s, third)
}

// TestResumeWithACursorAheadOfThisHub resumes, on a hub that has not yet read
// them, after changes that another process's hub already delivered: as when a
// client reconnects through a load balancer to a server whose hub lags. The
// subscriber must not receive those changes again, only what commits after
// its cursor. The lagging hub listens on another database and polls hourly,
// so that it reads the feed only when the test pokes it.
func TestResumeWithACursorAheadOfThisHub(t *testing.T) {
	e := newEnv(t)
	ahead := e.startHub(t, live.Config{})
	recorder := subscribe(t, ahead, e.sc, live.Filter{}, nil)

	u, err := url.Parse(e.db.URL)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/postgres" // no notification of the test database reaches it
	lagging := (&env{db: &testdb.DB{URL: u.String()}, store: e.store}).startHub(t, live.Config{PollInterval: time.Hour})
	poke := func() { _ = lagging.HandleNotification(context.Background(), nil, nil) }
	// The lagging hub reads once when its listener connects; wait for that
	// read, so that it reads nothing more until poked.
	deadline := time.Now().Add(wait)
	for lagging.FeedReads.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the lagging hub never read the feed")
		}
		time.Sleep(5 * time.Millisecond)
	}

	first, second := e.receive(t, 0), e.receive(t, 0)
	cursors := expect(t, "recorder", recorder, first, second)
	s := subscribe(t, lagging, e.sc, live.Filter{}, &cursors[1])
	// Let the (empty) replay finish before the lagging hub reads. A correct
	// hub delivers the same whatever the timing; this pause only makes the
	// subscriber go live while its hub is behind its cursor.
	time.Sleep(100 * time.Millisecond)
	poke()
	third := e.receive(t, 0)
	expect(t, "recorder", recorder, third)
	poke()
	switch d := next(t, s); d.Change.OperationID {
	case third.OperationID:
	case first.OperationID, second.OperationID:
		t.Fatalf("resumed after %v, the subscriber received again the change at %v", cursors[1], d.Cursor)
	default:
		t.Fatalf("resumed on the lagging hub: got operation %s, want %s", d.Change.OperationID, third.OperationID)
	}
}

// maxBurn bounds how many transaction ids TestHubAcrossXIDDecade may use up to
// reach the next power of ten; a cluster further from one than that gets the
// same code path over events written with past transaction ids instead.
const maxBurn = 1_000_000

// TestHubAcrossXIDDecade commits changes whose transaction ids cross a power
// of ten while an older transaction stays open, so that they all become final
// at once and the hub, reading two at a time, reads across the boundary. A
// live subscriber and one resuming from before them both get every change
// once, in commit order.
func TestHubAcrossXIDDecade(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	hub := e.startHub(t, live.Config{ReadBatch: 2})
	liveSub := subscribe(t, hub, e.sc, live.Filter{}, nil)
	resume, err := e.store.FeedHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	xid := func() uint64 { return e.db.NewXID(t) }
	now := xid()
	boundary := uint64(10)
	for boundary <= now+40 {
		boundary *= 10
	}
	if boundary-now > maxBurn {
		t.Logf("transaction id %d is %d from %d: too far to reach here, so the feed is read across a boundary of "+
			"past transaction ids instead", now, boundary-now, boundary)
		hubAcrossPastDecade(t, e, hub, now)
		return
	}
	// Use up ids to just short of the boundary, cheaply: one transaction per
	// loop, no fsync.
	conn, err := e.db.Owner.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SET synchronous_commit = off`); err != nil {
		t.Fatal(err)
	}
	defer conn.Exec(ctx, `RESET synchronous_commit`)
	burn := fmt.Sprintf(`DO $$ BEGIN FOR i IN 1..%d LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$`,
		boundary-now-30)
	if _, err := conn.Exec(ctx, burn); err != nil {
		t.Fatalf("use up transaction ids: %v", err)
	}

	// An older transaction stays open while the changes commit, so that none
	// of them is final until it ends.
	held, err := e.db.Owner.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Rollback(ctx)
	if _, err := held.Exec(ctx, `SELECT pg_current_xact_id()`); err != nil {
		t.Fatal(err)
	}
	var changes []*domain.StockChange
	for xid() < boundary+10 {
		if len(changes) == 500 {
			t.Fatalf("500 changes did not take transaction ids past %d", boundary)
		}
		changes = append(changes, e.receive(t, len(changes)%2))
	}
	if err := held.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	expect(t, "live", liveSub, changes...)
	expect(t, "resumed", subscribe(t, hub, e.sc, live.Filter{}, &resume), changes...)
	t.Logf("%d changes across transaction id %d", len(changes), boundary)
}

// hubAcrossPastDecade replays to a resuming subscriber, two at a time, copies
// of four changes written as if by transactions just either side of a power of
// ten below every event of the test's database.
func hubAcrossPastDecade(t *testing.T, e *env, hub *live.Hub, now uint64) {
	t.Helper()
	ctx := context.Background()
	var oldest string
	if err := e.db.Owner.QueryRow(ctx, `SELECT coalesce(min(xid), pg_current_xact_id())::text FROM events`).Scan(&oldest); err != nil {
		t.Fatal(err)
	}
	floor, err := strconv.ParseUint(oldest, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	boundary := testdb.PowerOfTenBelow(floor, 10)
	// Another test may have pruned the feed past these ids: set its horizon
	// back while this test runs (the package's tests run one at a time).
	var horizon domain.FeedCursor
	if horizon, err = e.store.FeedHorizon(ctx); err != nil {
		t.Fatal(err)
	}
	setHorizon := func(c domain.FeedCursor) {
		if _, err := e.db.Owner.Exec(ctx, `UPDATE feed_horizon SET xid = $1::text::xid8, id = $2`,
			strconv.FormatUint(c.XID, 10), c.ID); err != nil {
			t.Fatal(err)
		}
	}
	setHorizon(domain.FeedCursor{})
	t.Cleanup(func() { setHorizon(horizon) })
	var changes []*domain.StockChange
	for i := range 4 {
		c := e.receive(t, i%2)
		changes = append(changes, c)
		_, err := e.db.Owner.Exec(ctx, `INSERT INTO events (tenant_id, xid, operation_id, kind, payload)
			SELECT tenant_id, $2::text::xid8, operation_id, kind, payload FROM events
			WHERE tenant_id = $1 AND operation_id = $3`,
			e.sc.TenantID, strconv.FormatUint(boundary-2+uint64(i), 10), c.OperationID)
		if err != nil {
			t.Fatal(err)
		}
	}
	from := domain.FeedCursor{XID: boundary - 3}
	expect(t, "resumed across a past boundary", subscribe(t, hub, e.sc, live.Filter{}, &from), append(changes, changes...)...)
}
