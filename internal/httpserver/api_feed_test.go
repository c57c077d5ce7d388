package httpserver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/tenancy"
)

const stockEventsQuery = `query($after: String, $first: Int, $items: [ID!]) {
	stockEvents(after: $after, first: $first, itemIds: $items) {
		edges { cursor node { cursor operation stockLevels { version item { id } } } }
		pageInfo { hasNextPage endCursor } } }`

type feedPage struct {
	StockEvents struct {
		Edges []struct {
			Cursor string
			Node   struct {
				Cursor      string
				Operation   string
				StockLevels []struct {
					Version int64
					Item    struct{ ID string }
				}
			}
		}
		PageInfo struct {
			HasNextPage bool
			EndCursor   *string
		}
	}
}

// waitFeed reads stockEvents with vars until it returns want events: an event
// appears only once every transaction older than it has ended, on the whole
// database server (other test packages' included).
func waitFeed(t *testing.T, s *testServer, token string, vars map[string]any, want int) feedPage {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var p feedPage
		s.mustData(t, token, stockEventsQuery, vars, &p)
		if len(p.StockEvents.Edges) >= want || time.Now().After(deadline) {
			return p
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// pollFeed reads stockEvents from after until it has want events, as a
// client's polling loop does, and returns their cursors.
func pollFeed(t *testing.T, s *testServer, token string, after *string, want int, within time.Duration) []string {
	var got []string
	deadline := time.Now().Add(within)
	for len(got) < want {
		if time.Now().After(deadline) {
			t.Errorf("poller saw %d events within %s, want %d", len(got), within, want)
			return got
		}
		var p feedPage
		status, resp := s.post(t, token, stockEventsQuery, map[string]any{"after": after, "first": 7})
		if status != 200 || len(resp.Errors) > 0 {
			t.Errorf("stockEvents: status %d, errors %+v", status, resp.Errors)
			return got
		}
		if err := json.Unmarshal(resp.Data, &p); err != nil {
			t.Error(err)
			return got
		}
		for _, e := range p.StockEvents.Edges {
			if e.Cursor != e.Node.Cursor {
				t.Errorf("edge cursor %s differs from the event's %s", e.Cursor, e.Node.Cursor)
			}
			got = append(got, e.Cursor)
		}
		after = p.StockEvents.PageInfo.EndCursor
		if !p.StockEvents.PageInfo.HasNextPage {
			time.Sleep(20 * time.Millisecond)
		}
	}
	return got
}

// TestPollerAndSubscriberSeeTheSameFeed races writers, one of which holds its
// transaction open (with its id taken) while later ones commit: a client that
// polls stockEvents and one that subscribes to stockChanged, both from the
// same cursor, end with the same complete sequence, the late commit in its
// place.
func TestPollerAndSubscriberSeeTheSameFeed(t *testing.T) {
	s := newTestServer(t)
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "admin", tenancy.Admin)
	viewer := s.token(t, tenant, "viewer", tenancy.Viewer)
	item, locs := s.catalogue(t, admin, "FEED-1", "A", "B")

	s.mustChange(t, admin, "receiveStock", map[string]any{"itemId": item, "locationId": locs[0], "quantity": 1})
	start := waitFeed(t, s, viewer, map[string]any{"first": 250}, 1)
	if n := len(start.StockEvents.Edges); n != 1 {
		t.Fatalf("feed starts with %d events, want 1", n)
	}
	from := start.StockEvents.PageInfo.EndCursor

	c := mustDial(t, s, viewer)
	c.subscribe(t, "feed", `subscription($after: String) { stockChanged(after: $after) { cursor } }`, map[string]any{"after": *from})

	// The slow writer takes its transaction id first, then holds it open
	// while the others commit.
	ctx := context.Background()
	slow, err := s.db.App.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Rollback(ctx)
	if _, err := slow.Exec(ctx, `SELECT set_config('app.tenant_id', $1, true), pg_current_xact_id()`, tenant); err != nil {
		t.Fatal(err)
	}

	const writers, each = 3, 8
	total := writers*each + 1
	polled := make(chan []string, 1)
	go func() { polled <- pollFeed(t, s, viewer, from, total, 30*time.Second) }()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				if _, err := s.mutate(admin, "receiveStock", map[string]any{"itemId": item, "locationId": locs[w%2], "quantity": 1}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	time.Sleep(300 * time.Millisecond) // readers poll while the late event is still in flight
	payload, _ := json.Marshal(domain.StockChange{OperationID: "00000000-0000-4000-8000-000000000001", Operation: "lateWriter",
		Actor: "late", Levels: []domain.Level{{ItemID: item, LocationID: locs[1], Version: 1000}}, CreatedAt: time.Now()})
	if _, err := slow.Exec(ctx, `INSERT INTO events (tenant_id, operation_id, kind, payload) VALUES ($1, $2, $3, $4)`,
		tenant, "00000000-0000-4000-8000-000000000001", domain.EventStockChanged, payload); err != nil {
		t.Fatal(err)
	}
	if err := slow.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	_, _ = s.db.App.Exec(ctx, "SELECT pg_notify($1, '')", domain.FeedChannel)

	var subscribed []string
	for _, m := range c.collect(t, map[string]int{"feed": total})["feed"] {
		var e struct{ Cursor string }
		decodeData(t, m, "stockChanged", &e)
		subscribed = append(subscribed, e.Cursor)
	}
	pulled := <-polled
	if !slices.Equal(pulled, subscribed) {
		t.Fatalf("poller and subscriber disagree:\npolled     %v\nsubscribed %v", pulled, subscribed)
	}
	var last domain.FeedCursor
	for i, raw := range pulled {
		cur, err := s.store.ParseFeedCursor(domain.Scope{TenantID: tenant}, raw)
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 && !cur.After(last) {
			t.Errorf("event %d's cursor %v is not after %v", i, cur, last)
		}
		last = cur
	}
	// The late event is there, in its commit-safe place: before events that
	// committed earlier but took their transaction ids later.
	all := waitFeed(t, s, viewer, map[string]any{"after": *from, "first": 250}, total)
	late := slices.IndexFunc(all.StockEvents.Edges, func(e struct {
		Cursor string
		Node   struct {
			Cursor      string
			Operation   string
			StockLevels []struct {
				Version int64
				Item    struct{ ID string }
			}
		}
	}) bool {
		return e.Node.Operation == "lateWriter"
	})
	if late < 0 || len(all.StockEvents.Edges) != total {
		t.Fatalf("feed after the start has %d events, late one at %d; want %d with it", len(all.StockEvents.Edges), late, total)
	}
	if late == total-1 {
		t.Errorf("the late event is last: its transaction id was not taken before the others committed")
	}

	// A cursor from the subscription works in the pulled feed.
	var rest feedPage
	s.mustData(t, viewer, stockEventsQuery, map[string]any{"after": subscribed[total-2], "first": 10}, &rest)
	if len(rest.StockEvents.Edges) != 1 || rest.StockEvents.Edges[0].Cursor != subscribed[total-1] {
		t.Errorf("after the subscriber's second-to-last cursor: %+v, want its last event", rest.StockEvents.Edges)
	}
	var empty feedPage
	s.mustData(t, viewer, stockEventsQuery, map[string]any{"after": subscribed[total-1]}, &empty)
	if len(empty.StockEvents.Edges) != 0 || empty.StockEvents.PageInfo.EndCursor == nil || *empty.StockEvents.PageInfo.EndCursor != subscribed[total-1] {
		t.Errorf("at the end: %+v, want no events and endCursor kept", empty.StockEvents)
	}
}

func TestStockEventsFiltersTenantsAndExpiry(t *testing.T) {
	s := newTestServer(t)
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "admin", tenancy.Admin)
	itemA, locs := s.catalogue(t, admin, "FILTER-A", "L1")
	var itemB struct {
		CreateItem struct{ Item struct{ ID string } }
	}
	s.mustData(t, admin, `mutation { createItem(input: {sku: "FILTER-B", name: "B"}) { item { id } } }`, nil, &itemB)
	for range 3 {
		s.mustChange(t, admin, "receiveStock", map[string]any{"itemId": itemA, "locationId": locs[0], "quantity": 1})
		s.mustChange(t, admin, "receiveStock", map[string]any{"itemId": itemB.CreateItem.Item.ID, "locationId": locs[0], "quantity": 1})
	}
	waitFeed(t, s, admin, nil, 6)
	p := waitFeed(t, s, admin, map[string]any{"items": []string{itemA}}, 3)
	if len(p.StockEvents.Edges) != 3 {
		t.Fatalf("filtered feed has %d events, want 3", len(p.StockEvents.Edges))
	}
	for i, e := range p.StockEvents.Edges {
		if e.Node.StockLevels[0].Item.ID != itemA || e.Node.StockLevels[0].Version != int64(i+1) {
			t.Errorf("event %d: %+v", i, e.Node)
		}
	}

	other := s.tenant(t)
	var none feedPage
	s.mustData(t, s.token(t, other, "o", tenancy.Viewer), stockEventsQuery, nil, &none)
	if len(none.StockEvents.Edges) != 0 {
		t.Errorf("another tenant sees %d events", len(none.StockEvents.Edges))
	}

	_, resp := s.post(t, admin, stockEventsQuery, map[string]any{"after": "not-a-cursor"})
	if codes := resp.errorCodes(); len(codes) != 1 || codes[0] != "VALIDATION" {
		t.Errorf("bad cursor: %v, want VALIDATION", codes)
	}

	// Past retention: the horizon moves beyond the cursor.
	first := p.StockEvents.Edges[0].Cursor
	cur, _ := s.store.ParseFeedCursor(domain.Scope{TenantID: tenant}, p.StockEvents.Edges[1].Cursor)
	var old struct{ xid, id string }
	_ = s.db.Owner.QueryRow(context.Background(), `SELECT xid::text, id::text FROM feed_horizon`).Scan(&old.xid, &old.id)
	if _, err := s.db.Owner.Exec(context.Background(), `UPDATE feed_horizon SET xid = $1::text::xid8, id = $2`,
		fmt.Sprint(cur.XID), cur.ID); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = s.db.Owner.Exec(context.Background(), `UPDATE feed_horizon SET xid = $1::text::xid8, id = $2::bigint`, old.xid, old.id)
	})
	status, resp := s.post(t, admin, stockEventsQuery, map[string]any{"after": first})
	if codes := resp.errorCodes(); status != 200 || len(codes) != 1 || codes[0] != "CURSOR_EXPIRED" {
		t.Errorf("expired cursor: status %d, codes %v, want CURSOR_EXPIRED", status, codes)
	}
	s.mustData(t, admin, stockEventsQuery, map[string]any{"after": p.StockEvents.Edges[1].Cursor}, nil)
}
