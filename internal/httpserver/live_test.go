package httpserver_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/config"
	"github.com/inventory-backbone/inventory/internal/httpserver"
	"github.com/inventory-backbone/inventory/internal/live"
	"github.com/inventory-backbone/inventory/internal/pg"
	"github.com/inventory-backbone/inventory/internal/testdb"
	"github.com/inventory-backbone/inventory/tenancy"
)

// liveWait bounds every wait for something that must happen. It is generous,
// so that a loaded machine never fails a test that would pass; results are
// checked exactly.
const liveWait = 30 * time.Second

// liveServerOptions vary a live test server from the harness's default.
type liveServerOptions struct {
	// cfg configures the server's hub. A zero PollInterval takes the
	// harness's 100 ms; other zero fields take the hub's defaults.
	cfg live.Config
	// ownPool gives the server an application pool of its own on the test
	// database, as a separate server process has.
	ownPool bool
	// tracer, with ownPool, sees every query the server's pool sends.
	tracer pgx.QueryTracer
	// sendBuffer, when positive, is the socket send buffer of every
	// connection the server accepts: with a small one, a client that stops
	// reading blocks the server's writes after a few messages instead of
	// after megabytes.
	sendBuffer int
}

// newLiveServer is newTestServer with options: the whole service over HTTP on
// a loopback port, wired as serve wires it, with a hub of its own.
func newLiveServer(tb testing.TB, opt liveServerOptions) *testServer {
	tb.Helper()
	so := serverOptions{live: opt.cfg}
	if opt.ownPool {
		so.pool = liveAppPool(tb, testdb.Get(tb).URL, opt.tracer)
	}
	if opt.sendBuffer > 0 {
		so.listener = func(l net.Listener) net.Listener { return &sendBufferListener{Listener: l, size: opt.sendBuffer} }
	}
	return newTestServerWith(tb, so)
}

// liveAppPool opens an application pool of its own on the database at url,
// as the service does, optionally traced. It closes when the test ends, after
// the server and hub that use it (cleanups run last-in, first-out).
func liveAppPool(tb testing.TB, url string, tracer pgx.QueryTracer) *pgxpool.Pool {
	tb.Helper()
	ctx := context.Background()
	var pool *pgxpool.Pool
	if tracer == nil {
		var err error
		if pool, err = pg.AppPool(ctx, url, 8); err != nil {
			tb.Fatal(err)
		}
	} else {
		cfg, err := pgxpool.ParseConfig(url)
		if err != nil {
			tb.Fatal(err)
		}
		cfg.MaxConns = 8
		cfg.ConnConfig.Tracer = tracer
		cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
			_, err := conn.Exec(ctx, "SET ROLE "+pg.AppRole)
			return err
		}
		if pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
			tb.Fatal(err)
		}
	}
	tb.Cleanup(pool.Close)
	return pool
}

// sendBufferListener sets the socket send buffer of every connection it
// accepts.
type sendBufferListener struct {
	net.Listener
	size int
}

// Accept accepts a connection and sets its send buffer.
func (l *sendBufferListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok && err == nil {
		_ = tc.SetWriteBuffer(l.size)
	}
	return c, err
}

// Subprotocols of GraphQL over WebSocket.
const (
	transportWS = "graphql-transport-ws"
	legacyWS    = "graphql-ws"
)

// liveDialOptions vary how a test client connects.
type liveDialOptions struct {
	// subprotocol is transportWS (the default) or legacyWS.
	subprotocol string
	// payload is connection_init's payload; nil sends none.
	payload any
	// readBuffer, when positive, is the client socket's receive buffer.
	readBuffer int
	// manual leaves reading to the test: no reader goroutine is started.
	manual bool
}

// bearer is the connection_init payload that carries a token.
func bearer(token string) map[string]any {
	return map[string]any{"Authorization": "Bearer " + token}
}

// liveMsg is one message from the server.
type liveMsg struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// liveConn is a test client of GraphQL over WebSocket. Unless dialled in
// manual mode, a reader goroutine answers pings and queues every other message
// but keep-alives in msgs, which it closes when the connection ends; err then
// says why.
type liveConn struct {
	ws    *websocket.Conn
	proto string
	msgs  chan liveMsg
	err   error
	// stopped are the subscriptions the client completed: collect ignores
	// the server's complete for them, which the protocol allows.
	stopped map[string]bool
}

// liveDial connects to the server at serverURL (http://host:port), sends connection_init and waits for
// connection_ack. When the server refuses, it returns the error the socket
// closed with (see websocket.CloseStatus).
func liveDial(ctx context.Context, serverURL string, opt liveDialOptions) (*liveConn, error) {
	if opt.subprotocol == "" {
		opt.subprotocol = transportWS
	}
	dopts := &websocket.DialOptions{Subprotocols: []string{opt.subprotocol}}
	if opt.readBuffer > 0 {
		dialer := &net.Dialer{}
		dopts.HTTPClient = &http.Client{Transport: &http.Transport{
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				c, err := dialer.DialContext(ctx, network, addr)
				if tc, ok := c.(*net.TCPConn); ok && err == nil {
					_ = tc.SetReadBuffer(opt.readBuffer)
				}
				return c, err
			},
		}}
	}
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(serverURL, "http")+"/graphql", dopts)
	if err != nil {
		return nil, err
	}
	ws.SetReadLimit(1 << 20)
	init := map[string]any{"type": "connection_init"}
	if opt.payload != nil {
		init["payload"] = opt.payload
	}
	if err := wsjson.Write(ctx, ws, init); err != nil {
		ws.CloseNow()
		return nil, err
	}
	for {
		var m liveMsg
		if err := wsjson.Read(ctx, ws, &m); err != nil {
			ws.CloseNow()
			return nil, err
		}
		if m.Type == "connection_ack" {
			break
		}
		switch m.Type {
		case "ka":
		case "connection_error": // the legacy protocol says why, then closes
			_, _, err := ws.Read(ctx)
			ws.CloseNow()
			return nil, fmt.Errorf("connection_error %s: %w", m.Payload, err)
		default:
			ws.CloseNow()
			return nil, fmt.Errorf("got %s %s before connection_ack", m.Type, m.Payload)
		}
	}
	c := &liveConn{ws: ws, proto: opt.subprotocol, msgs: make(chan liveMsg, 4096)}
	if !opt.manual {
		go c.read()
	}
	return c, nil
}

// mustDial is liveDial for a token that must be accepted.
func mustDial(t *testing.T, s *testServer, token string) *liveConn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), liveWait)
	defer cancel()
	c, err := liveDial(ctx, s.URL, liveDialOptions{payload: bearer(token)})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.ws.CloseNow() })
	return c
}

// read is the reader goroutine: see liveConn.
func (c *liveConn) read() {
	defer close(c.msgs)
	for {
		var m liveMsg
		if err := wsjson.Read(context.Background(), c.ws, &m); err != nil {
			c.err = err
			return
		}
		switch m.Type {
		case "ping":
			_ = wsjson.Write(context.Background(), c.ws, map[string]any{"type": "pong"})
		case "pong", "ka":
		default:
			c.msgs <- m
		}
	}
}

// subscribe starts a subscription: "subscribe" in graphql-transport-ws,
// "start" in the legacy protocol.
func (c *liveConn) subscribe(t *testing.T, id, query string, vars map[string]any) {
	t.Helper()
	typ := "subscribe"
	if c.proto == legacyWS {
		typ = "start"
	}
	ctx, cancel := context.WithTimeout(context.Background(), liveWait)
	defer cancel()
	if err := wsjson.Write(ctx, c.ws, map[string]any{"id": id, "type": typ,
		"payload": map[string]any{"query": query, "variables": vars}}); err != nil {
		t.Fatalf("subscribe %s: %v", id, err)
	}
}

// send writes a protocol message.
func (c *liveConn) send(t *testing.T, m map[string]any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), liveWait)
	defer cancel()
	if err := wsjson.Write(ctx, c.ws, m); err != nil {
		t.Fatalf("send %v: %v", m, err)
	}
}

// next returns the next message, failing the test when none comes in time or
// the connection ends.
func (c *liveConn) next(t *testing.T) liveMsg {
	t.Helper()
	select {
	case m, ok := <-c.msgs:
		if !ok {
			t.Fatalf("connection ended: %v", c.err)
		}
		return m
	case <-time.After(liveWait):
		t.Fatalf("no message within %s", liveWait)
	}
	panic("unreachable")
}

// collect reads until every subscription id has received want[id] messages
// and returns them by id. A message for another id, or past the count, fails
// the test.
func (c *liveConn) collect(t *testing.T, want map[string]int) map[string][]liveMsg {
	t.Helper()
	got := map[string][]liveMsg{}
	done := func() bool {
		for id, n := range want {
			if len(got[id]) < n {
				return false
			}
		}
		return true
	}
	deadline := time.After(liveWait)
	for !done() {
		select {
		case m, ok := <-c.msgs:
			if !ok {
				t.Fatalf("connection ended (%v) with %s", c.err, summarize(got))
			}
			if m.Type == "complete" && c.stopped[m.ID] {
				continue
			}
			if len(got[m.ID]) >= want[m.ID] {
				t.Fatalf("unexpected message %s %s %s; so far %s", m.Type, m.ID, m.Payload, summarize(got))
			}
			got[m.ID] = append(got[m.ID], m)
		case <-deadline:
			t.Fatalf("within %s got %s, want counts %v", liveWait, summarize(got), want)
		}
	}
	return got
}

// summarize describes what collect received, for a failure message.
func summarize(got map[string][]liveMsg) string {
	var b strings.Builder
	for id, ms := range got {
		fmt.Fprintf(&b, "[%s: %d messages", id, len(ms))
		if len(ms) > 0 {
			last := string(ms[len(ms)-1].Payload)
			if len(last) > 300 {
				last = last[:300] + "…"
			}
			fmt.Fprintf(&b, ", last %s %s", ms[len(ms)-1].Type, last)
		}
		b.WriteString("] ")
	}
	return b.String()
}

// waitClose drains the connection until it ends and returns the close
// status, the close reason and the messages read meanwhile.
func (c *liveConn) waitClose(t *testing.T) (websocket.StatusCode, string, []liveMsg) {
	t.Helper()
	var rest []liveMsg
	deadline := time.After(liveWait)
	for {
		select {
		case m, ok := <-c.msgs:
			if !ok {
				var ce websocket.CloseError
				if errors.As(c.err, &ce) {
					return ce.Code, ce.Reason, rest
				}
				return websocket.CloseStatus(c.err), "", rest
			}
			rest = append(rest, m)
		case <-deadline:
			t.Fatalf("connection still open after %s", liveWait)
		}
	}
}

// Subscription documents.
const (
	liveLevelFields = `item { id } location { id } onHand available reserved damaged qualityControl incoming version updatedAt`
	availabilitySub = `subscription($items: [ID!], $locs: [ID!]) {
		availabilityChanged(itemIds: $items, locationIds: $locs) { ` + liveLevelFields + ` } }`
	stockChangedSub = `subscription($items: [ID!], $locs: [ID!], $after: String) {
		stockChanged(itemIds: $items, locationIds: $locs, after: $after) {
			cursor operationId operation actor reference reason createdAt
			movements { id operationId kind item { id } location { id } toLocation { id } quantity fromState toState reason reference actor }
			stockLevels { ` + liveLevelFields + ` } } }`
)

// filterVars are a subscription's filter variables; nil lists are left out.
func filterVars(items, locations []string) map[string]any {
	v := map[string]any{}
	if items != nil {
		v["items"] = items
	}
	if locations != nil {
		v["locs"] = locations
	}
	return v
}

// liveLevel is a StockLevel as a subscription delivers it.
type liveLevel struct {
	Item           struct{ ID string }
	Location       struct{ ID string }
	OnHand         int64
	Available      int64
	Reserved       int64
	Damaged        int64
	QualityControl int64
	Incoming       int64
	Version        int64
	UpdatedAt      time.Time
}

// liveMovement is a Movement as stockChanged delivers it.
type liveMovement struct {
	ID          string
	OperationID string
	Kind        string
	Item        struct{ ID string }
	Location    struct{ ID string }
	ToLocation  *struct{ ID string }
	Quantity    int64
	FromState   *string
	ToState     *string
	Reason      *string
	Reference   *string
	Actor       string
}

// liveEvent is a StockChangeEvent.
type liveEvent struct {
	Cursor      string
	OperationID string
	Operation   string
	Actor       string
	Reference   *string
	Reason      *string
	CreatedAt   time.Time
	Movements   []liveMovement
	StockLevels []liveLevel
}

// decodeData checks that m carries data without errors and decodes the named
// field of it into out.
func decodeData(t *testing.T, m liveMsg, field string, out any) {
	t.Helper()
	if m.Type != "next" && m.Type != "data" {
		t.Fatalf("got %s %s %s, want data", m.Type, m.ID, m.Payload)
	}
	var p struct {
		Data   map[string]json.RawMessage
		Errors []any
	}
	if err := json.Unmarshal(m.Payload, &p); err != nil {
		t.Fatalf("payload %s: %v", m.Payload, err)
	}
	raw, ok := p.Data[field]
	if len(p.Errors) > 0 || !ok {
		t.Fatalf("payload %s has errors or no %s", m.Payload, field)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("%s %s: %v", field, raw, err)
	}
}

// availability decodes an availabilityChanged message.
func availability(t *testing.T, m liveMsg) liveLevel {
	t.Helper()
	var l liveLevel
	decodeData(t, m, "availabilityChanged", &l)
	return l
}

// stockEvent decodes a stockChanged message.
func stockEvent(t *testing.T, m liveMsg) liveEvent {
	t.Helper()
	var e liveEvent
	decodeData(t, m, "stockChanged", &e)
	return e
}

// checkLevel compares a delivered level with the level the store returned.
func checkLevel(t *testing.T, what string, got liveLevel, want domain.Level) {
	t.Helper()
	if got.Item.ID != want.ItemID || got.Location.ID != want.LocationID || got.Available != want.Available ||
		got.Reserved != want.Reserved || got.Damaged != want.Damaged || got.QualityControl != want.QualityControl ||
		got.Incoming != want.Incoming || got.OnHand != want.OnHand() || got.Version != want.Version ||
		!got.UpdatedAt.Equal(want.UpdatedAt) {
		t.Fatalf("%s: got level %+v, want %+v", what, got, want)
	}
}

// checkEvent compares a delivered event with the change the store returned.
func checkEvent(t *testing.T, what string, got liveEvent, want *domain.StockChange) {
	t.Helper()
	if got.OperationID != want.OperationID || got.Operation != want.Operation || got.Actor != want.Actor ||
		deref(got.Reference) != deref(want.Reference) || deref(got.Reason) != deref(want.Reason) ||
		!got.CreatedAt.Equal(want.CreatedAt) || got.Cursor == "" ||
		len(got.Movements) != len(want.Movements) || len(got.StockLevels) != len(want.Levels) {
		t.Fatalf("%s: got event %+v, want %+v", what, got, want)
	}
	for i, m := range want.Movements {
		g := got.Movements[i]
		toLoc := ""
		if g.ToLocation != nil {
			toLoc = g.ToLocation.ID
		}
		if g.ID != m.ID || g.OperationID != want.OperationID || g.Kind != string(m.Kind) || g.Item.ID != m.ItemID ||
			g.Location.ID != m.LocationID || toLoc != deref(m.ToLocationID) || g.Quantity != m.Quantity ||
			deref(g.FromState) != deref(m.FromState) || deref(g.ToState) != deref(m.ToState) ||
			g.Actor != m.Actor {
			t.Fatalf("%s: movement %d: got %+v, want %+v", what, i, g, m)
		}
	}
	for i := range want.Levels {
		checkLevel(t, fmt.Sprintf("%s: level %d", what, i), got.StockLevels[i], want.Levels[i])
	}
}

// waitSubscribers waits until the hub has exactly n subscribers.
func waitSubscribers(t *testing.T, hub *live.Hub, n int) {
	t.Helper()
	waitCount(t, "subscribers", hub.Subscribers, n)
}

// waitCount waits until count returns exactly n.
func waitCount(t *testing.T, what string, count func() int, n int) {
	t.Helper()
	deadline := time.Now().Add(liveWait)
	for count() != n {
		if time.Now().After(deadline) {
			t.Fatalf("hub has %d %s, want %d", count(), what, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// liveFixture is a tenant with items and locations, made through the store.
type liveFixture struct {
	tenant    string
	sc        domain.Scope
	items     []string
	locations []string
}

// newLiveFixture creates a tenant with nItems items and nLocations locations.
func newLiveFixture(tb testing.TB, s *testServer, nItems, nLocations int) *liveFixture {
	tb.Helper()
	ctx := context.Background()
	f := &liveFixture{tenant: s.tenant(tb)}
	f.sc = domain.Scope{TenantID: f.tenant, Actor: "writer"}
	for i := range nItems {
		it, err := s.store.CreateItem(ctx, f.sc, domain.NewItem{SKU: fmt.Sprintf("LIVE-%d", i), Name: "Live item"})
		if err != nil {
			tb.Fatal(err)
		}
		f.items = append(f.items, it.ID)
	}
	for i := range nLocations {
		loc, err := s.store.CreateLocation(ctx, f.sc, domain.NewLocation{Code: fmt.Sprintf("L%d", i), Name: "Live location"})
		if err != nil {
			tb.Fatal(err)
		}
		f.locations = append(f.locations, loc.ID)
	}
	return f
}

// receive records a receipt through the store and returns the change.
func (f *liveFixture) receive(tb testing.TB, s *testServer, item, location string, quantity int64) *domain.StockChange {
	tb.Helper()
	c, err := s.store.Receive(context.Background(), f.sc, item, location, quantity, domain.Meta{})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// errorText returns the error messages a subscription received in m: an
// "error" message's list, or the errors of a data message. It fails the test
// when m carries no error.
func errorText(t *testing.T, m liveMsg) string {
	t.Helper()
	var errs []struct{ Message string }
	switch m.Type {
	case "error":
		if err := json.Unmarshal(m.Payload, &errs); err != nil {
			var one struct{ Message string }
			if json.Unmarshal(m.Payload, &one) != nil {
				t.Fatalf("error payload %s: %v", m.Payload, err)
			}
			errs = append(errs, one)
		}
	case "next", "data":
		var p struct{ Errors []struct{ Message string } }
		if err := json.Unmarshal(m.Payload, &p); err != nil {
			t.Fatal(err)
		}
		errs = p.Errors
	}
	if len(errs) == 0 {
		t.Fatalf("got %s %s %s, want an error", m.Type, m.ID, m.Payload)
	}
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Message)
	}
	return strings.Join(msgs, "; ")
}

// TestLiveChangesOverGraphQLTransportWS subscribes to stockChanged and
// availabilityChanged over graphql-transport-ws, commits operations over HTTP
// and checks the events field by field. A second tenant's subscriber,
// subscribed all the while, receives its own marker change first: had the
// first tenant's changes leaked to it, they would have come before.
func TestLiveChangesOverGraphQLTransportWS(t *testing.T) {
	s := newTestServer(t)
	a := newLiveFixture(t, s, 1, 1)
	b := newLiveFixture(t, s, 1, 1)
	item, loc := a.items[0], a.locations[0]

	// One subscription per connection: several on one connection are the
	// subject of TestLiveSeveralSubscriptionsOnOneConnection.
	subscribe := func(tenant, id, query string) *liveConn {
		c := mustDial(t, s, s.token(t, tenant, "watcher", tenancy.Viewer))
		c.subscribe(t, id, query, nil)
		return c
	}
	aAvail, aStock := subscribe(a.tenant, "avail", availabilitySub), subscribe(a.tenant, "stock", stockChangedSub)
	bAvail, bStock := subscribe(b.tenant, "avail", availabilitySub), subscribe(b.tenant, "stock", stockChangedSub)
	waitSubscribers(t, s.hub, 4)

	operator := s.token(t, a.tenant, "op-a", tenancy.Operator)
	rcv := s.mustChange(t, operator, "receiveStock", map[string]any{"itemId": item, "locationId": loc, "quantity": 7, "reference": "PO-1"})
	shp := s.mustChange(t, operator, "shipStock", map[string]any{"itemId": item, "locationId": loc, "quantity": 3, "reason": "order", "reference": "SO-9"})

	got := map[string][]liveMsg{
		"avail": aAvail.collect(t, map[string]int{"avail": 2})["avail"],
		"stock": aStock.collect(t, map[string]int{"stock": 2})["stock"],
	}
	type want struct {
		http                apiChange
		op, kind, ref, rsn  string
		qty, available, ver int64
		fromState, toState  string
	}
	for i, w := range []want{
		{rcv, "receiveStock", "RECEIPT", "PO-1", "", 7, 7, 1, "", "AVAILABLE"},
		{shp, "shipStock", "SHIPMENT", "SO-9", "order", 3, 4, 2, "AVAILABLE", ""},
	} {
		l := availability(t, got["avail"][i])
		if l.Item.ID != item || l.Location.ID != loc || l.Available != w.available || l.OnHand != w.available ||
			l.Reserved != 0 || l.Damaged != 0 || l.QualityControl != 0 || l.Incoming != 0 || l.Version != w.ver ||
			!l.UpdatedAt.Equal(w.http.StockLevels[0].UpdatedAt) {
			t.Fatalf("availabilityChanged %d: got %+v, want available %d version %d updatedAt %s", i, l, w.available, w.ver, w.http.StockLevels[0].UpdatedAt)
		}
		e := stockEvent(t, got["stock"][i])
		m := w.http.Movements[0]
		if e.Cursor == "" || e.OperationID != m.OperationID || e.Operation != w.op || e.Actor != "op-a" ||
			deref(e.Reference) != w.ref || deref(e.Reason) != w.rsn || !e.CreatedAt.Equal(m.CreatedAt) ||
			len(e.Movements) != 1 || len(e.StockLevels) != 1 || e.StockLevels[0] != l {
			t.Fatalf("stockChanged %d: got %+v", i, e)
		}
		g := e.Movements[0]
		if g.ID != m.ID || g.OperationID != m.OperationID || g.Kind != w.kind || g.Item.ID != item || g.Location.ID != loc ||
			g.ToLocation != nil || g.Quantity != w.qty || deref(g.FromState) != w.fromState || deref(g.ToState) != w.toState ||
			g.Actor != "op-a" || deref(g.Reference) != w.ref || deref(g.Reason) != w.rsn {
			t.Fatalf("stockChanged %d movement: got %+v", i, g)
		}
	}
	first := stockEvent(t, got["stock"][0]).Cursor
	if second := stockEvent(t, got["stock"][1]).Cursor; second == first {
		t.Fatalf("two events share the cursor %s", first)
	}

	marker := b.receive(t, s, b.items[0], b.locations[0], 1)
	checkLevel(t, "tenant b availabilityChanged", availability(t, bAvail.next(t)), marker.Levels[0])
	checkEvent(t, "tenant b stockChanged", stockEvent(t, bStock.next(t)), marker)
}

// TestLiveSeveralSubscriptionsOnOneConnection opens availabilityChanged and
// stockChanged on one connection, as a client page commonly does, and
// receives a change on both. Run with -race: the subscriptions of one
// connection run concurrently on the server.
func TestLiveSeveralSubscriptionsOnOneConnection(t *testing.T) {
	s := newTestServer(t)
	f := newLiveFixture(t, s, 1, 1)
	c := mustDial(t, s, s.token(t, f.tenant, "watcher", tenancy.Viewer))
	c.subscribe(t, "avail", availabilitySub, nil)
	c.subscribe(t, "stock", stockChangedSub, nil)
	waitSubscribers(t, s.hub, 2)
	change := f.receive(t, s, f.items[0], f.locations[0], 6)
	got := c.collect(t, map[string]int{"avail": 1, "stock": 1})
	checkLevel(t, "availabilityChanged", availability(t, got["avail"][0]), change.Levels[0])
	checkEvent(t, "stockChanged", stockEvent(t, got["stock"][0]), change)
}

// TestLiveSubscriptionFilters checks itemIds and locationIds on both
// subscriptions: each receives exactly the levels (availabilityChanged) or
// operations (stockChanged) that match, up to a final transfer that matches
// every filter.
func TestLiveSubscriptionFilters(t *testing.T) {
	s := newTestServer(t)
	f := newLiveFixture(t, s, 2, 3)
	i1, i2 := f.items[0], f.items[1]
	l1, l2, l3 := f.locations[0], f.locations[1], f.locations[2]

	subs := []struct {
		id          string
		stock       bool
		items, locs []string
	}{
		{"item", false, []string{i1}, nil},
		{"locs", false, nil, []string{l2, l3}},
		{"both", false, []string{i1}, []string{l1}},
		{"stockL1", true, nil, []string{l1}},
		{"stockI1", true, []string{i1}, nil},
	}
	conns := map[string]*liveConn{}
	for _, sub := range subs {
		q := availabilitySub
		if sub.stock {
			q = stockChangedSub
		}
		c := mustDial(t, s, s.token(t, f.tenant, "watcher", tenancy.Viewer))
		c.subscribe(t, sub.id, q, filterVars(sub.items, sub.locs))
		conns[sub.id] = c
	}
	waitSubscribers(t, s.hub, len(subs))

	ctx := context.Background()
	transfer := func(from, to string, q int64) *domain.StockChange {
		ch, err := s.store.Transfer(ctx, f.sc, i1, from, to, q, domain.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		return ch
	}
	changes := []*domain.StockChange{
		f.receive(t, s, i1, l1, 10),
		f.receive(t, s, i2, l2, 5),
		f.receive(t, s, i1, l2, 3),
		transfer(l1, l2, 4),
		f.receive(t, s, i2, l1, 1),
		f.receive(t, s, i2, l2, 2),
		f.receive(t, s, i2, l3, 2),
		transfer(l1, l2, 1), // the marker: it matches every filter
	}
	in := func(ids []string, id string) bool { return ids == nil || slices.Contains(ids, id) }
	want := map[string]int{}
	wantLevels := map[string][]domain.Level{}
	wantEvents := map[string][]*domain.StockChange{}
	for _, sub := range subs {
		for _, ch := range changes {
			matched := false
			for _, l := range ch.Levels {
				if in(sub.items, l.ItemID) && in(sub.locs, l.LocationID) {
					matched = true
					if !sub.stock {
						wantLevels[sub.id] = append(wantLevels[sub.id], l)
						want[sub.id]++
					}
				}
			}
			if matched && sub.stock {
				wantEvents[sub.id] = append(wantEvents[sub.id], ch)
				want[sub.id]++
			}
		}
	}
	// The oracle itself, spelled out: availability levels and operations.
	if fmt.Sprint(want) != "map[both:3 item:6 locs:6 stockI1:4 stockL1:4]" {
		t.Fatalf("expected counts %v", want)
	}
	for _, sub := range subs {
		got := conns[sub.id].collect(t, map[string]int{sub.id: want[sub.id]})
		for i, m := range got[sub.id] {
			what := fmt.Sprintf("%s #%d", sub.id, i)
			if sub.stock {
				checkEvent(t, what, stockEvent(t, m), wantEvents[sub.id][i])
			} else {
				checkLevel(t, what, availability(t, m), wantLevels[sub.id][i])
			}
		}
	}
}

// TestLiveLegacyGraphQLWS speaks the legacy graphql-ws subprotocol:
// connection_init, connection_ack, start, data, stop, complete,
// connection_terminate.
func TestLiveLegacyGraphQLWS(t *testing.T) {
	s := newTestServer(t)
	f := newLiveFixture(t, s, 1, 1)
	ctx, cancel := context.WithTimeout(context.Background(), liveWait)
	defer cancel()
	c, err := liveDial(ctx, s.URL, liveDialOptions{subprotocol: legacyWS, payload: bearer(s.token(t, f.tenant, "old-client", tenancy.Viewer))})
	if err != nil {
		t.Fatal(err)
	}
	defer c.ws.CloseNow()
	if p := c.ws.Subprotocol(); p != legacyWS {
		t.Fatalf("negotiated %q", p)
	}
	c.subscribe(t, "1", availabilitySub, filterVars(f.items, nil))
	waitSubscribers(t, s.hub, 1)
	change := f.receive(t, s, f.items[0], f.locations[0], 5)
	m := c.next(t)
	if m.Type != "data" || m.ID != "1" {
		t.Fatalf("got %s %s %s, want data 1", m.Type, m.ID, m.Payload)
	}
	checkLevel(t, "data", availability(t, m), change.Levels[0])

	c.send(t, map[string]any{"type": "stop", "id": "1"})
	if m := c.next(t); m.Type != "complete" || m.ID != "1" {
		t.Fatalf("got %s %s %s, want complete 1", m.Type, m.ID, m.Payload)
	}
	waitSubscribers(t, s.hub, 0)
	c.send(t, map[string]any{"type": "connection_terminate"})
	if code, _, rest := c.waitClose(t); code != websocket.StatusNormalClosure || len(rest) > 0 {
		t.Fatalf("closed with %d after %v, want 1000 and nothing more", code, rest)
	}
}

// TestLiveAuthentication checks connection_init's token: anything but a
// valid token of an existing tenant closes the socket with 4403, in both
// subprotocols, before connection_ack, and the close frame's reason says
// what is wrong, in the words of the HTTP 401 for the same token; a
// viewer's token suffices.
func TestLiveAuthentication(t *testing.T) {
	s := newTestServer(t)
	f := newLiveFixture(t, s, 1, 1)
	expired := jwt.NewWithClaims(jwt.SigningMethodHS256, &tenancy.Claims{TenantID: f.tenant, Roles: []string{"viewer"},
		RegisteredClaims: jwt.RegisteredClaims{Subject: "late", IssuedAt: jwt.NewNumericDate(time.Now().Add(-2 * time.Hour)),
			ExpiresAt: jwt.NewNumericDate(time.Now().Add(-time.Hour))}})
	expiredToken, err := expired.SignedString(s.tokens.Key)
	if err != nil {
		t.Fatal(err)
	}
	otherKey, err := tenancy.Mint(tenancy.Config{Key: []byte("another-signing-key-of-32-bytes-or-more")}, f.tenant, "mallory", []tenancy.Role{tenancy.Viewer}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	const noToken = `connection_init needs {"Authorization": "Bearer <token>"}`
	cases := []struct {
		name     string
		protocol string
		payload  any
		reason   string // the close frame's
	}{
		{"no payload", transportWS, nil, noToken},
		{"no Authorization", transportWS, map[string]any{}, noToken},
		{"not a bearer token", transportWS, map[string]any{"Authorization": "Basic dXNlcjpwYXNz"}, noToken},
		{"empty bearer", transportWS, bearer(""), noToken},
		{"garbage", transportWS, bearer("garbage"), "unauthenticated: token is malformed"},
		{"another key", transportWS, bearer(otherKey), "unauthenticated: token signature is invalid"},
		{"expired", transportWS, bearer(expiredToken), "unauthenticated: token has expired"},
		{"unknown tenant", transportWS, bearer(s.token(t, uuid.NewString(), "ghost", tenancy.Admin)), "unauthenticated: unknown tenant"},
		{"legacy garbage", legacyWS, bearer("garbage"), "unauthenticated: token is malformed"},
		{"legacy no payload", legacyWS, nil, noToken},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), liveWait)
			defer cancel()
			c, err := liveDial(ctx, s.URL, liveDialOptions{subprotocol: tc.protocol, payload: tc.payload})
			if err == nil {
				c.ws.CloseNow()
				t.Fatal("connection acknowledged")
			}
			if code := websocket.CloseStatus(err); code != httpserver.CloseForbidden {
				t.Fatalf("closed with %d (%v), want %d", code, err, httpserver.CloseForbidden)
			}
			var ce websocket.CloseError
			if !errors.As(err, &ce) || ce.Reason != tc.reason {
				t.Fatalf("closed with reason %q (%v), want %q", ce.Reason, err, tc.reason)
			}
			if tc.reason == noToken {
				return
			}
			// The HTTP 401 for the same token says the same.
			auth, _ := tc.payload.(map[string]any)["Authorization"].(string)
			status, resp := s.post(t, strings.TrimPrefix(auth, "Bearer "), `{ __typename }`, nil)
			if status != http.StatusUnauthorized || len(resp.Errors) != 1 || resp.Errors[0].Message != tc.reason {
				t.Fatalf("over HTTP: %d %+v, want 401 %q", status, resp.Errors, tc.reason)
			}
		})
	}
	t.Run("viewer", func(t *testing.T) {
		c := mustDial(t, s, s.token(t, f.tenant, "viewer", tenancy.Viewer))
		c.subscribe(t, "1", availabilitySub, nil)
		waitSubscribers(t, s.hub, 1)
		change := f.receive(t, s, f.items[0], f.locations[0], 1)
		checkLevel(t, "viewer", availability(t, c.next(t)), change.Levels[0])
	})
}

// TestLiveTokenExpiryEndsConnection connects with a token that expires in
// about two seconds: the connection ends at expiry, not before, telling the
// client why: in graphql-transport-ws, which has no connection_error
// message, by the close frame's reason; in the legacy protocol by
// connection_error too. A change committed meanwhile arrives if the machine
// delivers it before the expiry (other tests prove delivery); nothing else
// does.
func TestLiveTokenExpiryEndsConnection(t *testing.T) {
	s := newTestServer(t)
	f := newLiveFixture(t, s, 1, 1)
	verifier := tenancy.NewVerifier(s.tokens, s.store.TenantExists)
	for _, proto := range []string{transportWS, legacyWS} {
		t.Run(proto, func(t *testing.T) {
			token, err := tenancy.Mint(s.tokens, f.tenant, "short-lived", []tenancy.Role{tenancy.Viewer}, 2*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			exp, ok := verifier.Expiry(token)
			if !ok {
				t.Fatal("token has no expiry")
			}
			ctx, cancel := context.WithTimeout(context.Background(), liveWait)
			defer cancel()
			c, err := liveDial(ctx, s.URL, liveDialOptions{subprotocol: proto, payload: bearer(token)})
			if err != nil {
				t.Fatal(err)
			}
			defer c.ws.CloseNow()
			c.subscribe(t, "1", availabilitySub, nil)
			waitSubscribers(t, s.hub, 1)
			change := f.receive(t, s, f.items[0], f.locations[0], 1)
			code, reason, rest := c.waitClose(t)
			if now := time.Now(); now.Before(exp) {
				t.Fatalf("connection ended at %s, before the token's expiry at %s", now, exp)
			}
			waitSubscribers(t, s.hub, 0)
			var said []string
			for i, m := range rest {
				switch {
				case m.Type == "connection_error":
					said = append(said, string(m.Payload))
				case i == 0 && m.ID == "1" && (m.Type == "next" || m.Type == "data"):
					checkLevel(t, "before expiry", availability(t, m), change.Levels[0])
				default:
					t.Errorf("unexpected %s %s %s", m.Type, m.ID, m.Payload)
				}
			}
			t.Logf("closed with %d %q; connection_error %v", code, reason, said)
			switch proto {
			case transportWS:
				if !strings.Contains(reason, "expired") {
					t.Errorf("graphql-transport-ws: closed with %d %q: the reason does not say the token expired", code, reason)
				}
			case legacyWS:
				if len(said) != 1 || !strings.Contains(said[0], "access token expired") {
					t.Errorf("graphql-ws: connection_error %v, want one saying the access token expired", said)
				}
			}
		})
	}
}

// TestLiveSubscriptionsPerConnectionLimit opens one subscription more than a
// connection may have: that one gets an error, the others keep working, and
// completing one makes room for another.
func TestLiveSubscriptionsPerConnectionLimit(t *testing.T) {
	s := newLiveServer(t, liveServerOptions{cfg: live.Config{MaxSubscriptionsPerConnection: 3}})
	f := newLiveFixture(t, s, 1, 1)
	c := mustDial(t, s, s.token(t, f.tenant, "greedy", tenancy.Viewer))
	for _, id := range []string{"1", "2", "3"} {
		c.subscribe(t, id, availabilitySub, nil)
	}
	waitSubscribers(t, s.hub, 3)
	c.subscribe(t, "4", availabilitySub, nil)
	m := c.next(t)
	if m.ID != "4" {
		t.Fatalf("got %s %s %s, want the refusal of 4", m.Type, m.ID, m.Payload)
	}
	if msg := errorText(t, m); !strings.Contains(msg, "too many subscriptions on this connection (at most 3)") {
		t.Fatalf("refusal of the 4th subscription: %s %s", m.Type, m.Payload)
	}
	if s.hub.Subscribers() != 3 {
		t.Fatalf("hub has %d subscribers", s.hub.Subscribers())
	}
	if m.Type == "next" { // an error as data ends with complete
		if m := c.next(t); m.Type != "complete" || m.ID != "4" {
			t.Fatalf("got %s %s %s, want complete 4", m.Type, m.ID, m.Payload)
		}
	}
	change := f.receive(t, s, f.items[0], f.locations[0], 2)
	got := c.collect(t, map[string]int{"1": 1, "2": 1, "3": 1})
	for _, id := range []string{"1", "2", "3"} {
		checkLevel(t, "subscription "+id, availability(t, got[id][0]), change.Levels[0])
	}

	c.send(t, map[string]any{"type": "complete", "id": "2"})
	c.stopped = map[string]bool{"2": true}
	waitSubscribers(t, s.hub, 2)
	c.subscribe(t, "5", availabilitySub, nil)
	waitSubscribers(t, s.hub, 3)
	change = f.receive(t, s, f.items[0], f.locations[0], 3)
	got = c.collect(t, map[string]int{"1": 1, "3": 1, "5": 1})
	for _, id := range []string{"1", "3", "5"} {
		checkLevel(t, "subscription "+id, availability(t, got[id][0]), change.Levels[0])
	}
}

// TestLiveConnectionsPerTenantLimit opens one connection more than a tenant
// may have on a server (INVENTORY_TENANT_LIVE_CONNECTIONS): it is closed
// with 4429; another tenant is not affected; closing a connection makes
// room.
func TestLiveConnectionsPerTenantLimit(t *testing.T) {
	s := newTestServerWith(t, serverOptions{config: func(c *config.Config) { c.TenantLiveConnections = 2 }})
	f := newLiveFixture(t, s, 1, 1)
	other := newLiveFixture(t, s, 1, 1)
	token := s.token(t, f.tenant, "many-tabs", tenancy.Viewer)
	c1 := mustDial(t, s, token)
	mustDial(t, s, token)
	ctx, cancel := context.WithTimeout(context.Background(), liveWait)
	defer cancel()
	_, err := liveDial(ctx, s.URL, liveDialOptions{payload: bearer(token)})
	if code := websocket.CloseStatus(err); code != httpserver.CloseTooManyRequests {
		t.Fatalf("third connection: %v (close status %d), want %d", err, code, httpserver.CloseTooManyRequests)
	}
	mustDial(t, s, s.token(t, other.tenant, "elsewhere", tenancy.Viewer))

	if err := c1.ws.Close(websocket.StatusNormalClosure, "bye"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(liveWait)
	for {
		c, err := liveDial(ctx, s.URL, liveDialOptions{payload: bearer(token)})
		if err == nil {
			c.ws.CloseNow()
			break
		}
		if code := websocket.CloseStatus(err); code != httpserver.CloseTooManyRequests || time.Now().After(deadline) {
			t.Fatalf("after closing one: %v (close status %d)", err, code)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestLiveAcrossTwoServers runs two servers on the same database, each with
// its own pool and hub (its own LISTEN connection): a change made through
// either reaches the subscribers of both.
func TestLiveAcrossTwoServers(t *testing.T) {
	a := newLiveServer(t, liveServerOptions{ownPool: true})
	b := newLiveServer(t, liveServerOptions{ownPool: true})
	f := newLiveFixture(t, a, 1, 1)
	item, loc := f.items[0], f.locations[0]
	ca := mustDial(t, a, a.token(t, f.tenant, "on-a", tenancy.Viewer))
	ca.subscribe(t, "1", availabilitySub, filterVars(f.items, nil))
	cb := mustDial(t, b, b.token(t, f.tenant, "on-b", tenancy.Viewer))
	cb.subscribe(t, "1", availabilitySub, filterVars(f.items, nil))
	waitSubscribers(t, a.hub, 1)
	waitSubscribers(t, b.hub, 1)

	viaB := b.mustChange(t, b.token(t, f.tenant, "op", tenancy.Operator), "receiveStock", map[string]any{"itemId": item, "locationId": loc, "quantity": 4})
	viaA := a.mustChange(t, a.token(t, f.tenant, "op", tenancy.Operator), "shipStock", map[string]any{"itemId": item, "locationId": loc, "quantity": 1})
	for name, c := range map[string]*liveConn{"server a": ca, "server b": cb} {
		for i, w := range []apiChange{viaB, viaA} {
			l := availability(t, c.next(t))
			if l.Version != w.StockLevels[0].Version || l.Available != w.StockLevels[0].Available || !l.UpdatedAt.Equal(w.StockLevels[0].UpdatedAt) {
				t.Fatalf("%s, change %d: got %+v, want %+v", name, i, l, w.StockLevels[0])
			}
		}
	}
	// A hub counts a delivery just after handing it over: wait for the count.
	deadline := time.Now().Add(liveWait)
	for a.hub.Delivered.Load() < 2 || b.hub.Delivered.Load() < 2 {
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if da, db := a.hub.Delivered.Load(), b.hub.Delivered.Load(); da != 2 || db != 2 {
		t.Fatalf("hub a delivered %d, hub b %d; want 2 each", da, db)
	}
}

// TestLiveConcurrentWritersOneItem has 8 writers make 25 receipts and
// shipments each, over HTTP, on one level, while 3 subscribers watch it: each
// sees every version once, strictly increasing, and ends at the database's
// level.
func TestLiveConcurrentWritersOneItem(t *testing.T) {
	const writers, opsEach, watchers = 8, 25, 3
	s := newTestServer(t)
	f := newLiveFixture(t, s, 1, 1)
	item, loc := f.items[0], f.locations[0]
	var conns []*liveConn
	for i := range watchers {
		c := mustDial(t, s, s.token(t, f.tenant, fmt.Sprintf("watcher-%d", i), tenancy.Viewer))
		c.subscribe(t, "1", availabilitySub, filterVars(f.items, f.locations))
		conns = append(conns, c)
	}
	waitSubscribers(t, s.hub, watchers)
	start := f.receive(t, s, item, loc, 1000)

	operator := s.token(t, f.tenant, "op", tenancy.Operator)
	errs := make(chan error, writers)
	for range writers {
		go func() {
			for j := range opsEach {
				op, q := "receiveStock", 3
				if j%2 == 1 {
					op, q = "shipStock", 2
				}
				if _, err := s.mutate(operator, op, map[string]any{"itemId": item, "locationId": loc, "quantity": q}); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range writers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	final, err := s.store.LevelAt(context.Background(), f.sc, item, loc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if final.Version != start.Levels[0].Version+writers*opsEach || final.Available != 1000+writers*(13*3-12*2) {
		t.Fatalf("database level %+v", final)
	}
	for i, c := range conns {
		got := c.collect(t, map[string]int{"1": 1 + writers*opsEach})["1"]
		checkLevel(t, fmt.Sprintf("watcher %d, first message", i), availability(t, got[0]), start.Levels[0])
		last := start.Levels[0].Version
		for j, m := range got[1:] {
			l := availability(t, m)
			if l.Version <= last {
				t.Fatalf("watcher %d, message %d: version %d after %d", i, j, l.Version, last)
			}
			last = l.Version
		}
		if l := availability(t, got[len(got)-1]); l.Version != final.Version || l.Available != final.Available || !l.UpdatedAt.Equal(final.UpdatedAt) {
			t.Fatalf("watcher %d ends at %+v, database has %+v", i, l, final)
		}
	}
}

// killListeners terminates the LISTEN connections of every hub on the test
// database and returns their process ids.
func killListeners(t *testing.T, s *testServer) []int32 {
	t.Helper()
	rows, err := s.db.Owner.Query(context.Background(), `SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE application_name = $1 AND datname = current_database()`, httpserver.ListenApplicationName)
	if err != nil {
		t.Fatal(err)
	}
	var pids []int32
	for rows.Next() {
		var pid int32
		var ok bool
		if err := rows.Scan(&pid, &ok); err != nil {
			t.Fatal(err)
		}
		if ok {
			pids = append(pids, pid)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return pids
}

// waitNewListener waits until a LISTEN connection that is none of the killed
// ones is up.
func waitNewListener(t *testing.T, s *testServer, killed []int32) {
	t.Helper()
	deadline := time.Now().Add(liveWait)
	for {
		var n int
		err := s.db.Owner.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE application_name = $1 AND datname = current_database() AND NOT pid = ANY($2)`,
			httpserver.ListenApplicationName, killed).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no new LISTEN connection within %s of killing %v", liveWait, killed)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestLiveSurvivesListenConnectionLoss kills the hub's LISTEN connection
// twice while a writer commits a stream of changes: the hub reconnects, and
// the subscriber receives every committed change exactly once, in order.
func TestLiveSurvivesListenConnectionLoss(t *testing.T) {
	const total = 120
	s := newLiveServer(t, liveServerOptions{cfg: live.Config{PollInterval: time.Second}})
	f := newLiveFixture(t, s, 1, 1)
	item, loc := f.items[0], f.locations[0]
	c := mustDial(t, s, s.token(t, f.tenant, "watcher", tenancy.Viewer))
	c.subscribe(t, "stock", stockChangedSub, filterVars(f.items, nil))
	waitSubscribers(t, s.hub, 1)
	waitNewListener(t, s, []int32{})

	kill := map[int]chan struct{}{total / 3: make(chan struct{}), 2 * total / 3: make(chan struct{})}
	killed := make(chan []int32, len(kill))
	changes := make([]*domain.StockChange, total)
	errc := make(chan error, 1)
	go func() {
		for i := range total {
			if done, ok := kill[i]; ok {
				<-done
			}
			ch, err := s.store.Receive(context.Background(), f.sc, item, loc, int64(1+i%5), domain.Meta{})
			if err != nil {
				errc <- err
				return
			}
			changes[i] = ch
		}
		errc <- nil
	}()
	for _, at := range []int{total / 3, 2 * total / 3} {
		pids := killListeners(t, s)
		if len(pids) == 0 {
			t.Fatal("no LISTEN connection to kill")
		}
		killed <- pids
		close(kill[at])
		waitNewListener(t, s, pids)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	got := c.collect(t, map[string]int{"stock": total})["stock"]
	for i, m := range got {
		checkEvent(t, fmt.Sprintf("event %d", i), stockEvent(t, m), changes[i])
	}
	marker := f.receive(t, s, item, loc, 1)
	checkEvent(t, "marker", stockEvent(t, c.next(t)), marker)
}

// TestLiveSlowSubscriberIsCutOff has one subscriber stop reading while
// another, on another connection, reads every change as it commits. The
// server's hub buffer is 8 and the sockets' buffers are small, so the silent
// one overflows: the other still receives every change, each before the next
// commits; the silent one, when it reads again, finds a gap-free prefix of the
// changes and then the close, with a reason that says it was too slow.
func TestLiveSlowSubscriberIsCutOff(t *testing.T) {
	const total = 200
	// The write timeout is long, so that it is the hub's buffer that cuts the
	// silent subscriber off however slowly a loaded machine commits.
	s := newLiveServer(t, liveServerOptions{cfg: live.Config{Buffer: 8, WriteTimeout: 5 * time.Minute}, sendBuffer: 4096})
	f := newLiveFixture(t, s, 1, 1)
	item, loc := f.items[0], f.locations[0]
	ctx, cancel := context.WithTimeout(context.Background(), liveWait)
	defer cancel()
	slow, err := liveDial(ctx, s.URL, liveDialOptions{payload: bearer(s.token(t, f.tenant, "slow", tenancy.Viewer)), readBuffer: 4096, manual: true})
	if err != nil {
		t.Fatal(err)
	}
	defer slow.ws.CloseNow()
	slow.subscribe(t, "slow", availabilitySub, filterVars(f.items, nil))
	fast := mustDial(t, s, s.token(t, f.tenant, "fast", tenancy.Viewer))
	fast.subscribe(t, "fast", availabilitySub, filterVars(f.items, nil))
	waitSubscribers(t, s.hub, 2)

	changes := make([]*domain.StockChange, total)
	for i := range total {
		changes[i] = f.receive(t, s, item, loc, 1)
		checkLevel(t, fmt.Sprintf("fast subscriber, change %d", i), availability(t, fast.next(t)), changes[i].Levels[0])
	}

	go slow.read()
	code, reason, got := slow.waitClose(t)
	if len(got) >= total {
		t.Fatalf("the slow subscriber received all %d changes: it never overflowed", len(got))
	}
	for i, m := range got {
		if m.ID != "slow" {
			t.Fatalf("slow subscriber, message %d: %s %s %s", i, m.Type, m.ID, m.Payload)
		}
		checkLevel(t, fmt.Sprintf("slow subscriber, message %d", i), availability(t, m), changes[i].Levels[0])
	}
	t.Logf("slow subscriber received %d of %d changes, then closed with %d %q", len(got), total, code, reason)
	if !strings.Contains(reason, "too slow") {
		t.Errorf("slow subscriber's connection closed with %d %q: the reason does not say it was too slow", code, reason)
	}
	waitSubscribers(t, s.hub, 1)
}

// TestLiveResumeAfterCursor takes the cursor of the 4th of 10 events,
// disconnects, lets 300 more changes commit (far more than the server's
// subscriber buffer of 32), then resubscribes with after while a writer
// commits 12 more (fewer than the buffer, so that the subscriber is never too
// slow by design): the subscriber receives exactly the events after the 4th,
// each once, in order, through the seam between replay and live. A garbage
// cursor is an error.
func TestLiveResumeAfterCursor(t *testing.T) {
	const before, offline, during, k = 10, 300, 12, 4
	s := newLiveServer(t, liveServerOptions{cfg: live.Config{Buffer: 32}})
	f := newLiveFixture(t, s, 1, 1)
	item, loc := f.items[0], f.locations[0]
	token := s.token(t, f.tenant, "resumer", tenancy.Viewer)

	c := mustDial(t, s, token)
	c.subscribe(t, "live", stockChangedSub, filterVars(f.items, nil))
	waitSubscribers(t, s.hub, 1)
	var changes []*domain.StockChange
	for range before {
		changes = append(changes, f.receive(t, s, item, loc, 2))
	}
	var cursor string
	for i, m := range c.collect(t, map[string]int{"live": before})["live"] {
		e := stockEvent(t, m)
		checkEvent(t, fmt.Sprintf("live event %d", i), e, changes[i])
		if i == k-1 {
			cursor = e.Cursor
		}
	}
	if err := c.ws.Close(websocket.StatusNormalClosure, "going away"); err != nil {
		t.Fatal(err)
	}
	waitSubscribers(t, s.hub, 0)
	for range offline {
		changes = append(changes, f.receive(t, s, item, loc, 1))
	}

	during0 := len(changes)
	changes = append(changes, make([]*domain.StockChange, during)...)
	errc := make(chan error, 1)
	r := mustDial(t, s, token)
	go func() {
		for i := range during {
			ch, err := s.store.Receive(context.Background(), f.sc, item, loc, 3, domain.Meta{})
			if err != nil {
				errc <- err
				return
			}
			changes[during0+i] = ch
		}
		errc <- nil
	}()
	r.subscribe(t, "resumed", stockChangedSub, map[string]any{"items": f.items, "after": cursor})
	got := r.collect(t, map[string]int{"resumed": len(changes) - k})["resumed"]
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	for i, m := range got {
		checkEvent(t, fmt.Sprintf("resumed event %d", i), stockEvent(t, m), changes[k+i])
	}
	marker := f.receive(t, s, item, loc, 1)
	checkEvent(t, "marker", stockEvent(t, r.next(t)), marker)

	r.subscribe(t, "garbage", stockChangedSub, map[string]any{"after": "garbage"})
	m := r.next(t)
	if m.ID != "garbage" {
		t.Fatalf("got %s %s %s, want the refusal of garbage", m.Type, m.ID, m.Payload)
	}
	if msg := errorText(t, m); !strings.Contains(msg, "after is not a cursor of the change feed") {
		t.Fatalf("garbage cursor: %q", msg)
	}
}
