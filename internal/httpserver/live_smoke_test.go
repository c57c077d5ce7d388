package httpserver_test

import (
	"encoding/json"
	"testing"

	"github.com/inventory-backbone/inventory/tenancy"
)

func TestAvailabilityChangedOverWebSocket(t *testing.T) {
	s := newTestServer(t)
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "alice", tenancy.Admin)
	item, locs := s.catalogue(t, admin, "LIVE-1", "A")

	c := mustDial(t, s, s.token(t, tenant, "viewer", tenancy.Viewer))
	c.subscribe(t, "1", `subscription { availabilityChanged { available version item { sku } } }`, nil)
	waitSubscribers(t, s.hub, 1)
	s.mustData(t, admin, `mutation($i: ID!, $l: ID!) { receiveStock(input: {itemId: $i, locationId: $l, quantity: 7}) { userErrors { code } } }`,
		map[string]any{"i": item, "l": locs[0]}, nil)
	m := c.next(t)
	typ, id, payload := m.Type, m.ID, m.Payload
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
