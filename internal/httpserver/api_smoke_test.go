package httpserver_test

import (
	"net/http"
	"testing"

	"github.com/inventory-backbone/inventory/tenancy"
)

func TestReceiveAndShipOverHTTP(t *testing.T) {
	s := newTestServer(t)
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "alice", tenancy.Admin)
	item, locs := s.catalogue(t, admin, "SKU-1", "A")

	var out struct {
		ReceiveStock struct {
			StockLevels []struct{ Available, OnHand, Version int }
			UserErrors  []struct{ Code string }
		}
	}
	s.mustData(t, admin, `mutation($i: ID!, $l: ID!) { receiveStock(input: {itemId: $i, locationId: $l, quantity: 5}) {
		stockLevels { available onHand version } userErrors { code } } }`, map[string]any{"i": item, "l": locs[0]}, &out)
	if got := out.ReceiveStock.StockLevels; len(got) != 1 || got[0].Available != 5 || got[0].Version != 1 {
		t.Fatalf("levels after receipt: %+v", got)
	}
	status, resp := s.post(t, "", `{ items { nodes { id } } }`, nil)
	if status != http.StatusUnauthorized || len(resp.errorCodes()) != 1 || resp.errorCodes()[0] != "UNAUTHENTICATED" {
		t.Fatalf("no token: status %d, codes %v", status, resp.errorCodes())
	}
}
