package httpserver_test

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/inventory-backbone/inventory/tenancy"
)

// TestTenantIsolationOverHTTP checks that tenant B, with an admin token,
// cannot read, change or detect tenant A's items, locations, levels or
// movements through the API: A's ids behave exactly like ids that do not
// exist, A's sku and code are free in B, and A's data is untouched.
func TestTenantIsolationOverHTTP(t *testing.T) {
	s := newTestServer(t)
	tenantA, tenantB := s.tenant(t), s.tenant(t)
	adminA := s.token(t, tenantA, "alice", tenancy.Admin)
	adminB := s.token(t, tenantB, "bob", tenancy.Admin)
	itemA, locsA := s.catalogue(t, adminA, "SHARED-SKU", "SHARED-LOC", "A-ONLY")
	s.mustChange(t, adminA, "receiveStock", map[string]any{"itemId": itemA, "locationId": locsA[0], "quantity": 10, "idempotencyKey": "k-1"})
	beforeA := s.ledger(t, tenantA)

	// Lookups by id, sku and code answer null, as for what does not exist.
	var lookups struct {
		ByID, BySKU    *struct{ ID string }
		LocID, LocCode *struct{ ID string }
	}
	s.mustData(t, adminB, `query($i: ID, $l: ID) { byID: item(id: $i) { id } bySKU: item(sku: "SHARED-SKU") { id }
		locID: location(id: $l) { id } locCode: location(code: "SHARED-LOC") { id } }`,
		map[string]any{"i": itemA, "l": locsA[0]}, &lookups)
	if lookups.ByID != nil || lookups.BySKU != nil || lookups.LocID != nil || lookups.LocCode != nil {
		t.Fatalf("tenant B sees tenant A's catalogue: %+v", lookups)
	}

	// Lists are empty.
	var lists struct {
		Items     struct{ Nodes []struct{ ID string } }
		Locations struct{ Nodes []struct{ ID string } }
		Movements struct{ Nodes []struct{ ID string } }
		ByItem    struct{ Nodes []struct{ ID string } }
	}
	s.mustData(t, adminB, `query($i: ID) { items { nodes { id } } locations { nodes { id } } movements { nodes { id } }
		byItem: movements(itemId: $i) { nodes { id } } }`, map[string]any{"i": itemA}, &lists)
	if len(lists.Items.Nodes)+len(lists.Locations.Nodes)+len(lists.Movements.Nodes)+len(lists.ByItem.Nodes) != 0 {
		t.Fatalf("tenant B lists tenant A's data: %+v", lists)
	}

	// Every read and write with A's ids answers exactly as with ids that name
	// nothing, once the ids are blanked out of the answer.
	ghostItem, ghostLoc, ghostLoc2 := newID(), newID(), newID()
	same := func(name, query string, real, ghost map[string]any) {
		t.Helper()
		realStatus, _, realRaw := s.postRaw(t, adminB, query, real)
		ghostStatus, _, ghostRaw := s.postRaw(t, adminB, query, ghost)
		blank := func(raw []byte, ids ...string) string {
			out := string(raw)
			for _, id := range ids {
				out = strings.ReplaceAll(out, id, "<id>")
			}
			return out
		}
		r := blank(realRaw, itemA, locsA[0], locsA[1])
		g := blank(ghostRaw, ghostItem, ghostLoc, ghostLoc2)
		if realStatus != ghostStatus || r != g {
			t.Errorf("%s: A's ids answer %d %s\nbut unknown ids answer %d %s", name, realStatus, r, ghostStatus, g)
		}
	}
	levelQuery := `query($i: ID!, $l: ID!) { stockLevel(itemId: $i, locationId: $l) { onHand } }`
	same("stockLevel", levelQuery, map[string]any{"i": itemA, "l": locsA[0]}, map[string]any{"i": ghostItem, "l": ghostLoc})
	same("item by id", `query($i: ID) { item(id: $i) { id } }`, map[string]any{"i": itemA}, map[string]any{"i": ghostItem})
	for _, op := range []string{"receiveStock", "shipStock"} {
		same(op, stockMutation(op), map[string]any{"in": map[string]any{"itemId": itemA, "locationId": locsA[0], "quantity": 1}},
			map[string]any{"in": map[string]any{"itemId": ghostItem, "locationId": ghostLoc, "quantity": 1}})
	}
	same("adjustStock", stockMutation("adjustStock"), map[string]any{"in": map[string]any{"itemId": itemA, "locationId": locsA[0], "delta": -1, "reason": "r"}},
		map[string]any{"in": map[string]any{"itemId": ghostItem, "locationId": ghostLoc, "delta": -1, "reason": "r"}})
	same("countStock", stockMutation("countStock"), map[string]any{"in": map[string]any{"itemId": itemA, "locationId": locsA[0], "countedQuantity": 0}},
		map[string]any{"in": map[string]any{"itemId": ghostItem, "locationId": ghostLoc, "countedQuantity": 0}})
	same("transferStock", stockMutation("transferStock"),
		map[string]any{"in": map[string]any{"itemId": itemA, "fromLocationId": locsA[0], "toLocationId": locsA[1], "quantity": 1}},
		map[string]any{"in": map[string]any{"itemId": ghostItem, "fromLocationId": ghostLoc, "toLocationId": ghostLoc2, "quantity": 1}})

	// Shipping from A's ids is NOT_FOUND, whichever of them is A's.
	itemB, locsB := s.catalogue(t, adminB, "B-SKU", "B-LOC", "B-LOC-2")
	s.mustChange(t, adminB, "receiveStock", map[string]any{"itemId": itemB, "locationId": locsB[0], "quantity": 4})
	for _, c := range []struct {
		name string
		op   string
		in   map[string]any
		want string
	}{
		{"ship A's item from A's location", "shipStock", map[string]any{"itemId": itemA, "locationId": locsA[0], "quantity": 1}, "NOT_FOUND input.itemId"},
		{"ship B's item from A's location", "shipStock", map[string]any{"itemId": itemB, "locationId": locsA[0], "quantity": 1}, "NOT_FOUND input.locationId"},
		{"receive A's item into B's location", "receiveStock", map[string]any{"itemId": itemA, "locationId": locsB[0], "quantity": 1}, "NOT_FOUND input.itemId"},
		{"transfer B's item to A's location", "transferStock", map[string]any{"itemId": itemB, "fromLocationId": locsB[0], "toLocationId": locsA[0], "quantity": 1}, "NOT_FOUND input.toLocationId"},
		{"transfer B's item from A's location", "transferStock", map[string]any{"itemId": itemB, "fromLocationId": locsA[0], "toLocationId": locsB[0], "quantity": 1}, "NOT_FOUND input.fromLocationId"},
		{"replay A's idempotency key", "receiveStock", map[string]any{"itemId": itemA, "locationId": locsA[0], "quantity": 10, "idempotencyKey": "k-1"}, "NOT_FOUND input.itemId"},
	} {
		got := s.change(t, adminB, c.op, c.in)
		if e := userErr(got.UserErrors); !slices.Equal(e, []string{c.want}) || len(got.Movements) != 0 {
			t.Errorf("%s: %v, movements %+v; want [%s]", c.name, e, got.Movements, c.want)
		}
	}
	status, resp := s.post(t, adminB, levelQuery, map[string]any{"i": itemB, "l": locsA[0]})
	if status != http.StatusOK || !slices.Equal(resp.errorCodes(), []string{"NOT_FOUND"}) {
		t.Errorf("stockLevel of B's item at A's location: status %d, codes %v", status, resp.errorCodes())
	}

	// A's sku and code are free in B: no DUPLICATE reveals them.
	var created struct {
		CreateItem struct {
			Item       *struct{ ID string }
			UserErrors []apiUserError
		}
		CreateLocation struct {
			Location   *struct{ ID string }
			UserErrors []apiUserError
		}
	}
	s.mustData(t, adminB, `mutation { createItem(input: {sku: "SHARED-SKU", name: "Mine"}) { item { id } userErrors { code } }
		createLocation(input: {code: "SHARED-LOC", name: "Mine"}) { location { id } userErrors { code } } }`, nil, &created)
	if created.CreateItem.Item == nil || len(created.CreateItem.UserErrors) != 0 || created.CreateItem.Item.ID == itemA ||
		created.CreateLocation.Location == nil || len(created.CreateLocation.UserErrors) != 0 || created.CreateLocation.Location.ID == locsA[0] {
		t.Fatalf("creating A's sku and code in B: %+v", created)
	}
	// B's item with A's sku has only B's stock, and B's lists only B's data.
	s.mustChange(t, adminB, "receiveStock", map[string]any{"itemId": created.CreateItem.Item.ID, "locationId": created.CreateLocation.Location.ID, "quantity": 1})
	var mine struct {
		Item struct{ StockLevels []apiLevel }
	}
	s.mustData(t, adminB, `{ item(sku: "SHARED-SKU") { stockLevels { `+levelTimeFields+` } } }`, nil, &mine)
	if len(mine.Item.StockLevels) != 1 || mine.Item.StockLevels[0].figures() != (figures{OnHand: 1, Available: 1, Version: 1}) {
		t.Fatalf("B's SHARED-SKU levels = %+v", mine.Item.StockLevels)
	}
	if got := kinds(s.movements(t, adminB, nil).Nodes); !slices.Equal(got, []string{"RECEIPT 1", "RECEIPT 4"}) {
		t.Fatalf("B's movements = %v", got)
	}

	// A is untouched, and still sees only its own.
	if afterA := s.ledger(t, tenantA); afterA != beforeA {
		t.Fatalf("tenant B changed tenant A's data: before %+v, after %+v", beforeA, afterA)
	}
	var seenByA struct {
		Items     struct{ Nodes []struct{ ID string } }
		Locations struct{ Nodes []struct{ ID string } }
	}
	s.mustData(t, adminA, `{ items { nodes { id } } locations { nodes { id } } }`, nil, &seenByA)
	if len(seenByA.Items.Nodes) != 1 || seenByA.Items.Nodes[0].ID != itemA || len(seenByA.Locations.Nodes) != 2 {
		t.Fatalf("tenant A sees %+v", seenByA)
	}
	if got := s.level(t, adminA, itemA, locsA[0]).figures(); got != (figures{OnHand: 10, Available: 10, Version: 1}) {
		t.Fatalf("A's level = %+v", got)
	}
	if got := kinds(s.movements(t, adminA, nil).Nodes); !slices.Equal(got, []string{"RECEIPT 10"}) {
		t.Fatalf("A's movements = %v", got)
	}
	s.checkLedger(t, tenantA)
	s.checkLedger(t, tenantB)
}

// TestCursorsDoNotCrossTenants checks finding 4 of issue 15 over HTTP: a
// movement cursor shows nothing of the ledger's global sequence, and another
// tenant's cursor is refused with VALIDATION on after.
func TestCursorsDoNotCrossTenants(t *testing.T) {
	b := setupStock(t, "A")
	s := b.s
	s.mustChange(t, b.admin, "receiveStock", b.in(0, "quantity", 1))
	s.mustChange(t, b.admin, "receiveStock", b.in(0, "quantity", 1))
	p := s.movements(t, b.admin, map[string]any{"first": 1})
	if p.PageInfo.EndCursor == nil {
		t.Fatal("no end cursor")
	}
	cursor := *p.PageInfo.EndCursor
	if raw, _ := base64.RawURLEncoding.DecodeString(cursor); strings.Contains(string(raw), "movement") {
		t.Errorf("cursor %q decodes to %q, which shows the position", cursor, raw)
	}
	other := s.token(t, s.tenant(t), "mallory", tenancy.Admin)
	status, resp := s.post(t, other, `query($c: String) { movements(after: $c) { nodes { id } } }`, map[string]any{"c": cursor})
	if status != http.StatusOK || len(resp.Errors) != 1 || resp.errorCodes()[0] != "VALIDATION" {
		t.Errorf("another tenant's cursor: status %d, errors %+v; want VALIDATION", status, resp.Errors)
	}
}
