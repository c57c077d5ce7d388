package httpserver_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/inventory-backbone/inventory/tenancy"
)

// wsClient is a minimal graphql-transport-ws client for tests.
type wsClient struct {
	conn *websocket.Conn
}

func dialLive(ctx context.Context, tb testing.TB, s *testServer, token string) (*wsClient, error) {
	tb.Helper()
	url := "ws" + strings.TrimPrefix(s.URL, "http") + "/graphql"
	conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		return nil, err
	}
	conn.SetReadLimit(1 << 20)
	c := &wsClient{conn: conn}
	if err := wsjson.Write(ctx, conn, map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + token}}); err != nil {
		return nil, err
	}
	var ack struct{ Type string }
	if err := wsjson.Read(ctx, conn, &ack); err != nil {
		return nil, err
	}
	if ack.Type != "connection_ack" {
		tb.Fatalf("got %q, want connection_ack", ack.Type)
	}
	return c, nil
}

func (c *wsClient) subscribe(ctx context.Context, id, query string, vars map[string]any) error {
	return wsjson.Write(ctx, c.conn, map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": query, "variables": vars}})
}

// next reads the next message that is not a ping or pong.
func (c *wsClient) next(ctx context.Context) (typ, id string, payload json.RawMessage, err error) {
	for {
		var m struct {
			Type    string          `json:"type"`
			ID      string          `json:"id"`
			Payload json.RawMessage `json:"payload"`
		}
		if err := wsjson.Read(ctx, c.conn, &m); err != nil {
			return "", "", nil, err
		}
		switch m.Type {
		case "ping":
			_ = wsjson.Write(ctx, c.conn, map[string]any{"type": "pong"})
		case "pong", "ka":
		default:
			return m.Type, m.ID, m.Payload, nil
		}
	}
}

func TestAvailabilityChangedOverWebSocket(t *testing.T) {
	s := newTestServer(t)
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "alice", tenancy.Admin)
	item, locs := s.catalogue(t, admin, "LIVE-1", "A")

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := dialLive(ctx, t, s, s.token(t, tenant, "viewer", tenancy.Viewer))
	if err != nil {
		t.Fatal(err)
	}
	defer c.conn.CloseNow()
	if err := c.subscribe(ctx, "1", `subscription { availabilityChanged { available version item { sku } } }`, nil); err != nil {
		t.Fatal(err)
	}
	for s.hub.Subscribers() == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	s.mustData(t, admin, `mutation($i: ID!, $l: ID!) { receiveStock(input: {itemId: $i, locationId: $l, quantity: 7}) { userErrors { code } } }`,
		map[string]any{"i": item, "l": locs[0]}, nil)
	typ, id, payload, err := c.next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Data struct {
			AvailabilityChanged struct {
				Available, Version int
				Item               struct{ SKU string }
			}
		}
	}
	if err := json.Unmarshal(payload, &got); err != nil {
		t.Fatal(err)
	}
	a := got.Data.AvailabilityChanged
	if typ != "next" || id != "1" || a.Available != 7 || a.Version != 1 || a.Item.SKU != "LIVE-1" {
		t.Fatalf("got %s %s %s", typ, id, payload)
	}
}
