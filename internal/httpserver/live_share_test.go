package httpserver_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/live"
	"github.com/inventory-backbone/inventory/tenancy"
)

// waitGroups waits until the hub runs exactly n shared subscriptions.
func waitGroups(t *testing.T, hub *live.Hub, n int) {
	t.Helper()
	waitCount(t, "shared subscriptions", hub.Groups, n)
}

// TestLiveSubscriptionsShareOneExecution checks which subscribers share an
// execution: those of one tenant with the same roles, document and
// variables, and no others. Subscribers that share get the same bytes; the
// others get what their own key asks for, and never another tenant's or
// another filter's changes. When the last member of a key leaves, its
// execution ends; a resumed stockChanged (with after) is never shared.
func TestLiveSubscriptionsShareOneExecution(t *testing.T) {
	s := newTestServer(t)
	a := newLiveFixture(t, s, 2, 1)
	b := newLiveFixture(t, s, 1, 1)
	viewerA := s.token(t, a.tenant, "watcher", tenancy.Viewer)
	item0 := filterVars(a.items[:1], nil)

	dial := func(token, id, query string, vars map[string]any) *liveConn {
		c := mustDial(t, s, token)
		c.subscribe(t, id, query, vars)
		return c
	}
	same1 := dial(viewerA, "1", availabilitySub, item0)
	same2 := dial(s.token(t, a.tenant, "another-watcher", tenancy.Viewer), "7", availabilitySub, item0)
	otherVars := dial(viewerA, "1", availabilitySub, filterVars(a.items[1:], nil))
	otherRoles := dial(s.token(t, a.tenant, "boss", tenancy.Admin), "1", availabilitySub, item0)
	otherTenant := dial(s.token(t, b.tenant, "watcher", tenancy.Viewer), "1", availabilitySub, nil)
	allOfA := dial(viewerA, "1", availabilitySub, nil)
	waitSubscribers(t, s.hub, 6)
	waitGroups(t, s.hub, 5) // same1 and same2 share

	change := a.receive(t, s, a.items[0], a.locations[0], 3)
	m1, m2 := same1.next(t), same2.next(t)
	if m1.ID != "1" || m2.ID != "7" {
		t.Fatalf("ids %q and %q, want each subscriber's own", m1.ID, m2.ID)
	}
	if !bytes.Equal(m1.Payload, m2.Payload) {
		t.Fatalf("subscribers of one key got different payloads:\n%s\n%s", m1.Payload, m2.Payload)
	}
	for what, c := range map[string]*liveConn{"same key": same1, "other roles": otherRoles, "no filter": allOfA} {
		if c != same1 {
			checkLevel(t, what, availability(t, c.next(t)), change.Levels[0])
		}
	}
	checkLevel(t, "same key", availability(t, m1), change.Levels[0])

	// The other filter and the other tenant see nothing of that change:
	// their next message is their own change.
	other := a.receive(t, s, a.items[1], a.locations[0], 4)
	checkLevel(t, "other variables", availability(t, otherVars.next(t)), other.Levels[0])
	checkLevel(t, "no filter", availability(t, allOfA.next(t)), other.Levels[0])
	mark := b.receive(t, s, b.items[0], b.locations[0], 5)
	checkLevel(t, "other tenant", availability(t, otherTenant.next(t)), mark.Levels[0])

	// Members leave one by one; the key's execution ends with its last.
	same1.ws.Close(websocket.StatusNormalClosure, "")
	waitSubscribers(t, s.hub, 5)
	waitGroups(t, s.hub, 5)
	last := a.receive(t, s, a.items[0], a.locations[0], 1)
	checkLevel(t, "the member left", availability(t, same2.next(t)), last.Levels[0])
	same2.ws.Close(websocket.StatusNormalClosure, "")
	waitSubscribers(t, s.hub, 4)
	waitGroups(t, s.hub, 4)

	// A resumed stockChanged replays its own past on its own first (see
	// TestLiveResumedSubscriberJoinsTheSharedFeed for what comes after).
	live1 := dial(viewerA, "live", stockChangedSub, nil)
	waitSubscribers(t, s.hub, 5)
	waitGroups(t, s.hub, 5)
	cursor := stockEvent(t, func() liveMsg {
		a.receive(t, s, a.items[0], a.locations[0], 1)
		return live1.next(t)
	}()).Cursor
	resumed := dial(viewerA, "resumed", stockChangedSub, map[string]any{"after": cursor})
	waitSubscribers(t, s.hub, 6)
	if g := s.hub.Groups(); g != 5 {
		t.Fatalf("a resumed subscription started a shared one: %d shared subscriptions, want 5", g)
	}
	next := a.receive(t, s, a.items[0], a.locations[0], 2)
	checkEvent(t, "resumed", stockEvent(t, resumed.next(t)), next)
	checkEvent(t, "live", stockEvent(t, live1.next(t)), next)
}

// TestLiveResumedSubscriberJoinsTheSharedFeed resumes a stockChanged
// after a cursor while changes keep committing: it replays what it missed
// on its own, then moves onto the execution its key shares with a
// subscriber that never left, and receives every change after its cursor
// exactly once, in order, across the seam; its own subscriber of the hub
// is then gone.
func TestLiveResumedSubscriberJoinsTheSharedFeed(t *testing.T) {
	s := newTestServer(t)
	a := newLiveFixture(t, s, 1, 1)
	viewer := s.token(t, a.tenant, "watcher", tenancy.Viewer)
	receive := func() *domain.StockChange { return a.receive(t, s, a.items[0], a.locations[0], 1) }
	stayed := mustDial(t, s, viewer)
	stayed.subscribe(t, "1", stockChangedSub, nil)
	waitSubscribers(t, s.hub, 1)
	waitGroups(t, s.hub, 1)
	before := receive()
	checkEvent(t, "before the cursor", stockEvent(t, stayed.next(t)), before)
	cursor := ""
	var want []*domain.StockChange
	for i := range 3 { // missed by the one that resumes
		c := receive()
		e := stockEvent(t, stayed.next(t))
		checkEvent(t, "stayed", e, c)
		if i == 0 {
			cursor = e.Cursor
		} else {
			want = append(want, c)
		}
	}

	stayedRead := len(want) // stayed has read the missed ones
	var mu sync.Mutex       // want, while the changes below commit
	done := make(chan struct{})
	go func() { // changes commit while it resumes
		defer close(done)
		for range 40 {
			c := receive()
			mu.Lock()
			want = append(want, c)
			mu.Unlock()
		}
	}()
	resumed := mustDial(t, s, viewer)
	resumed.subscribe(t, "r", stockChangedSub, map[string]any{"after": cursor})
	<-done
	read := 0
	check := func() {
		t.Helper()
		for ; read < len(want); read++ {
			checkEvent(t, fmt.Sprintf("resumed, change %d", read), stockEvent(t, resumed.next(t)), want[read])
		}
		for ; stayedRead < len(want); stayedRead++ {
			checkEvent(t, fmt.Sprintf("stayed, change %d", stayedRead), stockEvent(t, stayed.next(t)), want[stayedRead])
		}
	}
	check()
	// It moves onto the shared execution at the first change its own and
	// the shared one both tell: one change at a time until it has.
	for i := 0; s.hub.Members() != 2 || s.hub.Subscribers() != 2; i++ {
		if i == 20 {
			t.Fatalf("the resumed subscription never joined the shared one: %d members, %d subscribers", s.hub.Members(), s.hub.Subscribers())
		}
		want = append(want, receive())
		check()
	}
	waitGroups(t, s.hub, 1)
	for range 3 {
		want = append(want, receive())
	}
	check()
	select {
	case m := <-resumed.msgs:
		t.Fatalf("the resumed subscription got a message more: %+v", m)
	default:
	}
}

// TestLiveSharedSubscriptionsEndTogether stops the hub under shared
// subscribers: every member's connection closes with the going-away code
// and a reason that says to reconnect.
func TestLiveSharedSubscriptionsEndTogether(t *testing.T) {
	s := newTestServer(t)
	f := newLiveFixture(t, s, 1, 1)
	token := s.token(t, f.tenant, "watcher", tenancy.Viewer)
	var conns []*liveConn
	for range 3 {
		c := mustDial(t, s, token)
		c.subscribe(t, "1", availabilitySub, nil)
		conns = append(conns, c)
	}
	waitSubscribers(t, s.hub, 3)
	waitGroups(t, s.hub, 1)
	ctx, cancel := context.WithTimeout(context.Background(), liveWait)
	defer cancel()
	s.server.Stop(ctx) // as serve does on its way out
	for i, c := range conns {
		code, reason, _ := c.waitClose(t)
		if code != 1001 || !strings.Contains(reason, "shutting down") {
			t.Errorf("member %d closed with %d %q, want 1001 saying the server is shutting down", i, code, reason)
		}
	}
	waitSubscribers(t, s.hub, 0)
	waitGroups(t, s.hub, 0)
}

// TestLiveResumedSubscriberMovesOverInABigGroup resumes a stockChanged next
// to many subscribers of its key: the move onto their shared execution does
// not depend on which of the two executions tells an event first. By the
// second change after it has caught up, its own execution is gone.
func TestLiveResumedSubscriberMovesOverInABigGroup(t *testing.T) {
	const crowd = 150
	s := newLiveServer(t, liveServerOptions{cfg: live.Config{MaxConnectionsPerTenant: crowd + 10}})
	a := newLiveFixture(t, s, 1, 1)
	viewer := s.token(t, a.tenant, "watcher", tenancy.Viewer)
	receive := func() *domain.StockChange { return a.receive(t, s, a.items[0], a.locations[0], 1) }
	var members []*liveConn
	for i := range crowd {
		c := mustDial(t, s, viewer)
		c.subscribe(t, fmt.Sprint(i), stockChangedSub, nil)
		members = append(members, c)
	}
	waitSubscribers(t, s.hub, crowd)
	first := receive()
	var cursor string
	for i, c := range members {
		e := stockEvent(t, c.next(t))
		checkEvent(t, "crowd", e, first)
		if i == 0 {
			cursor = e.Cursor
		}
	}
	missed := receive()
	for _, c := range members {
		checkEvent(t, "crowd", stockEvent(t, c.next(t)), missed)
	}
	resumed := mustDial(t, s, viewer)
	resumed.subscribe(t, "r", stockChangedSub, map[string]any{"after": cursor})
	checkEvent(t, "replayed", stockEvent(t, resumed.next(t)), missed)
	// Once caught up, it joins at one change and moves over at the next;
	// a change more if the first came before it knew it had caught up.
	for i := 0; s.hub.Members() != crowd+1 || s.hub.Subscribers() != crowd+1; i++ {
		if i == 4 {
			t.Fatalf("the resumed subscription has not moved over after %d changes: %d members, %d subscribers", i, s.hub.Members(), s.hub.Subscribers())
		}
		c := receive()
		checkEvent(t, fmt.Sprintf("live %d", i), stockEvent(t, resumed.next(t)), c)
		for _, m := range members {
			checkEvent(t, "crowd", stockEvent(t, m.next(t)), c)
		}
		time.Sleep(20 * time.Millisecond) // its own execution ends a moment after it moves over
	}
	last := receive()
	checkEvent(t, "shared", stockEvent(t, resumed.next(t)), last)
}

// TestLiveGroupStartedByAResumedSubscriberIsLiveOnly resumes a stockChanged
// with many changes to replay, where no subscriber of its key runs: the
// shared execution it starts once caught up tells only new changes, so that
// a subscriber without after that joins it at once gets none of the
// replayed ones.
func TestLiveGroupStartedByAResumedSubscriberIsLiveOnly(t *testing.T) {
	const backlog = 300
	s := newTestServer(t)
	a := newLiveFixture(t, s, 1, 1)
	viewer := s.token(t, a.tenant, "watcher", tenancy.Viewer)
	receive := func() *domain.StockChange { return a.receive(t, s, a.items[0], a.locations[0], 1) }
	var cursor string
	{
		c := mustDial(t, s, viewer)
		c.subscribe(t, "1", stockChangedSub, nil)
		waitSubscribers(t, s.hub, 1)
		receive()
		cursor = stockEvent(t, c.next(t)).Cursor
		c.ws.Close(websocket.StatusNormalClosure, "")
		waitSubscribers(t, s.hub, 0)
	}
	old := map[string]bool{}
	for range backlog {
		old[receive().OperationID] = true
	}
	resumed := mustDial(t, s, viewer)
	resumed.subscribe(t, "r", stockChangedSub, map[string]any{"after": cursor})
	for i := range backlog {
		if e := stockEvent(t, resumed.next(t)); !old[e.OperationID] {
			t.Fatalf("replayed %d: %s is not a change it missed", i, e.OperationID)
		}
	}
	// Caught up, it starts the group at a change (or the next).
	for i := 0; s.hub.Groups() != 1; i++ {
		if i == 4 {
			t.Fatalf("the resumed subscription started no shared execution after %d changes", i)
		}
		c := receive()
		checkEvent(t, fmt.Sprintf("live %d", i), stockEvent(t, resumed.next(t)), c)
		time.Sleep(20 * time.Millisecond)
	}
	fresh := mustDial(t, s, viewer)
	fresh.subscribe(t, "f", stockChangedSub, nil)
	waitCount(t, "members", s.hub.Members, 2)
	next := receive()
	for {
		e := stockEvent(t, fresh.next(t))
		if old[e.OperationID] {
			t.Fatalf("a subscriber without after got a replayed change (%s) from the shared execution", e.OperationID)
		}
		if e.OperationID == next.OperationID {
			break
		}
	}
	checkEvent(t, "resumed", stockEvent(t, resumed.next(t)), next)
}

// TestLiveResumedSubscriptionsGiveTheirPlacesBack fills a connection with
// resumed subscriptions that end before they move onto a shared execution:
// each gives its place on the connection back, so that as many can start
// again.
func TestLiveResumedSubscriptionsGiveTheirPlacesBack(t *testing.T) {
	const most = 4
	s := newLiveServer(t, liveServerOptions{cfg: live.Config{MaxSubscriptionsPerConnection: most}})
	a := newLiveFixture(t, s, 1, 1)
	viewer := s.token(t, a.tenant, "watcher", tenancy.Viewer)
	c := mustDial(t, s, viewer)
	c.subscribe(t, "cursor", stockChangedSub, nil)
	waitSubscribers(t, s.hub, 1)
	a.receive(t, s, a.items[0], a.locations[0], 1)
	cursor := stockEvent(t, c.next(t)).Cursor
	c.stopped = map[string]bool{"cursor": true}
	c.send(t, map[string]any{"type": "complete", "id": "cursor"})
	waitSubscribers(t, s.hub, 0)
	for round := range 3 {
		var ids []string
		for i := range most {
			id := fmt.Sprintf("%d-%d", round, i)
			c.subscribe(t, id, stockChangedSub, map[string]any{"after": cursor})
			ids = append(ids, id)
		}
		waitSubscribers(t, s.hub, most)
		for _, id := range ids {
			c.stopped[id] = true
			c.send(t, map[string]any{"type": "complete", "id": id})
		}
		waitSubscribers(t, s.hub, 0)
	}
	c.subscribe(t, "last", stockChangedSub, map[string]any{"after": cursor})
	waitSubscribers(t, s.hub, 1)
	change := a.receive(t, s, a.items[0], a.locations[0], 1)
	checkEvent(t, "after three rounds", stockEvent(t, c.collect(t, map[string]int{"last": 1})["last"][0]), change)
}
