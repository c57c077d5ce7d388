package httpserver_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/tenancy"
)

// stockBundle is what most end-to-end tests need: a server, a fresh tenant,
// an admin token for it, an item and some locations.
type stockBundle struct {
	s      *testServer
	tenant string
	admin  string
	item   string
	locs   []string
}

func setupStock(t *testing.T, locationCodes ...string) *stockBundle {
	t.Helper()
	s := newTestServer(t)
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "alice", tenancy.Admin)
	item, locs := s.catalogue(t, admin, "SKU-1", locationCodes...)
	b := &stockBundle{s: s, tenant: tenant, admin: admin, item: item, locs: locs}
	t.Cleanup(func() { s.checkLedger(t, tenant) })
	return b
}

// in builds a stock input for the bundle's item at location i, with extra
// fields.
func (b *stockBundle) in(loc int, kv ...any) map[string]any {
	m := map[string]any{"itemId": b.item, "locationId": b.locs[loc]}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

// TestCreateLocationOverHTTP checks createLocation end to end: the created
// location, its lookups, and DUPLICATE and VALIDATION as user errors that
// write nothing.
func TestCreateLocationOverHTTP(t *testing.T) {
	s := newTestServer(t)
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "alice", tenancy.Admin)
	const create = `mutation($in: CreateLocationInput!) { createLocation(input: $in) {
		location { id code name createdAt } userErrors { field message code } } }`
	type payload struct {
		CreateLocation struct {
			Location *struct {
				ID, Code, Name string
				CreatedAt      time.Time
			}
			UserErrors []apiUserError
		}
	}

	before := time.Now().Add(-time.Minute)
	var out payload
	s.mustData(t, admin, create, map[string]any{"in": map[string]any{"code": "WH-1", "name": "  Main warehouse "}}, &out)
	loc := out.CreateLocation.Location
	if len(out.CreateLocation.UserErrors) != 0 || loc == nil {
		t.Fatalf("createLocation: %+v", out.CreateLocation)
	}
	if len(loc.ID) != 36 || loc.Code != "WH-1" || loc.Name != "Main warehouse" || loc.CreatedAt.Before(before) {
		t.Fatalf("location = %+v", *loc)
	}

	var byID, byCode struct {
		Location *struct{ ID, Code, Name string }
	}
	s.mustData(t, admin, `query($id: ID) { location(id: $id) { id code name } }`, map[string]any{"id": loc.ID}, &byID)
	s.mustData(t, admin, `query($c: String) { location(code: $c) { id code name } }`, map[string]any{"c": "WH-1"}, &byCode)
	for name, got := range map[string]*struct{ ID, Code, Name string }{"by id": byID.Location, "by code": byCode.Location} {
		if got == nil || got.ID != loc.ID || got.Code != "WH-1" || got.Name != "Main warehouse" {
			t.Errorf("location %s = %+v", name, got)
		}
	}

	for _, c := range []struct {
		name, code, locName string
		want                string
	}{
		{"duplicate code", "WH-1", "Another", "DUPLICATE input.code"},
		{"empty code", "", "X", "VALIDATION input.code"},
		{"blank name", "WH-2", "   ", "VALIDATION input.name"},
		{"code too long", strings.Repeat("x", 65), "X", "VALIDATION input.code"},
	} {
		var out payload
		s.mustData(t, admin, create, map[string]any{"in": map[string]any{"code": c.code, "name": c.locName}}, &out)
		if got := userErr(out.CreateLocation.UserErrors); !slices.Equal(got, []string{c.want}) || out.CreateLocation.Location != nil {
			t.Errorf("%s: user errors %v, location %+v; want [%s] and no location", c.name, got, out.CreateLocation.Location, c.want)
		}
	}
	if st := s.ledger(t, tenant); st.Locations != 1 {
		t.Fatalf("%d locations in the database, want 1", st.Locations)
	}
}

// TestCreateItemOverHTTP checks createItem end to end: defaults, every field,
// DUPLICATE sku as a user error that writes nothing, and validation.
func TestCreateItemOverHTTP(t *testing.T) {
	s := newTestServer(t)
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "alice", tenancy.Admin)
	const create = `mutation($in: CreateItemInput!) { createItem(input: $in) {
		item { id sku name unit reorderPoint } userErrors { field message code } } }`
	type item struct {
		ID, SKU, Name, Unit string
		ReorderPoint        *int64
	}
	type payload struct {
		CreateItem struct {
			Item       *item
			UserErrors []apiUserError
		}
	}

	var plain, full payload
	s.mustData(t, admin, create, map[string]any{"in": map[string]any{"sku": "BOLT-M6", "name": "Bolt M6"}}, &plain)
	s.mustData(t, admin, create, map[string]any{"in": map[string]any{"sku": "FLOUR", "name": "Flour", "unit": "kg", "reorderPoint": 25}}, &full)
	p := plain.CreateItem.Item
	if len(plain.CreateItem.UserErrors) != 0 || p == nil || len(p.ID) != 36 || p.SKU != "BOLT-M6" || p.Name != "Bolt M6" ||
		p.Unit != "each" || p.ReorderPoint != nil {
		t.Fatalf("item with defaults = %+v, errors %v", p, plain.CreateItem.UserErrors)
	}
	f := full.CreateItem.Item
	if f == nil || f.Unit != "kg" || f.ReorderPoint == nil || *f.ReorderPoint != 25 || f.ID == p.ID {
		t.Fatalf("item with every field = %+v", f)
	}

	for _, c := range []struct {
		name string
		in   map[string]any
		want string
	}{
		{"duplicate sku", map[string]any{"sku": "BOLT-M6", "name": "Other bolt"}, "DUPLICATE input.sku"},
		{"duplicate sku after trimming", map[string]any{"sku": " BOLT-M6 ", "name": "Other bolt"}, "DUPLICATE input.sku"},
		{"empty sku", map[string]any{"sku": "", "name": "X"}, "VALIDATION input.sku"},
		{"empty name", map[string]any{"sku": "NEW", "name": ""}, "VALIDATION input.name"},
		{"negative reorder point", map[string]any{"sku": "NEW", "name": "X", "reorderPoint": -1}, "VALIDATION input.reorderPoint"},
		{"empty unit", map[string]any{"sku": "NEW", "name": "X", "unit": " "}, "VALIDATION input.unit"},
	} {
		var out payload
		s.mustData(t, admin, create, map[string]any{"in": c.in}, &out)
		if got := userErr(out.CreateItem.UserErrors); !slices.Equal(got, []string{c.want}) || out.CreateItem.Item != nil {
			t.Errorf("%s: user errors %v, item %+v; want [%s] and no item", c.name, got, out.CreateItem.Item, c.want)
		}
	}
	if st := s.ledger(t, tenant); st.Items != 2 {
		t.Fatalf("%d items in the database, want 2", st.Items)
	}
}

// TestReceiveStockOverHTTP checks receiveStock end to end: the movement as
// recorded (kind, states, actor, reference, reason), the level it leaves, and
// the validation and NOT_FOUND failures, which write nothing.
func TestReceiveStockOverHTTP(t *testing.T) {
	b := setupStock(t, "A")
	s := b.s

	c := s.mustChange(t, b.admin, "receiveStock", b.in(0, "quantity", 7, "reference", "PO-1001", "reason", "supplier delivery"))
	if len(c.Movements) != 1 {
		t.Fatalf("movements = %+v", c.Movements)
	}
	m := c.Movements[0]
	if m.Kind != "RECEIPT" || m.Quantity != 7 || m.FromState != nil || deref(m.ToState) != "AVAILABLE" ||
		m.Item.ID != b.item || m.Location.ID != b.locs[0] || m.ToLocation != nil || m.Actor != "alice" ||
		deref(m.Reference) != "PO-1001" || deref(m.Reason) != "supplier delivery" || m.ID == "" || len(m.OperationID) != 36 {
		t.Fatalf("receipt = %+v", m)
	}
	if time.Since(m.CreatedAt) > time.Minute || time.Until(m.CreatedAt) > time.Minute {
		t.Errorf("receipt createdAt %v is not now", m.CreatedAt)
	}
	if len(c.StockLevels) != 1 || c.StockLevels[0].figures() != (figures{OnHand: 7, Available: 7, Version: 1}) ||
		c.StockLevels[0].Item.ID != b.item || c.StockLevels[0].Location.ID != b.locs[0] {
		t.Fatalf("levels after the receipt = %+v", c.StockLevels)
	}

	c = s.mustChange(t, b.admin, "receiveStock", b.in(0, "quantity", 3))
	if got := c.StockLevels[0].figures(); got != (figures{OnHand: 10, Available: 10, Version: 2}) {
		t.Fatalf("after a second receipt: %+v", got)
	}
	if c.Movements[0].Reference != nil || c.Movements[0].Reason != nil {
		t.Errorf("a receipt without reference or reason has %+v", c.Movements[0])
	}

	for _, f := range []struct {
		name string
		in   map[string]any
		want string
	}{
		{"zero quantity", b.in(0, "quantity", 0), "VALIDATION input.quantity"},
		{"negative quantity", b.in(0, "quantity", -5), "VALIDATION input.quantity"},
		{"quantity above the maximum", b.in(0, "quantity", 1_000_000_001), "VALIDATION input.quantity"},
		{"unknown item", map[string]any{"itemId": newID(), "locationId": b.locs[0], "quantity": 1}, "NOT_FOUND input.itemId"},
		{"unknown location", map[string]any{"itemId": b.item, "locationId": newID(), "quantity": 1}, "NOT_FOUND input.locationId"},
		{"malformed item id", map[string]any{"itemId": "item-1", "locationId": b.locs[0], "quantity": 1}, "VALIDATION input.itemId"},
		{"reference too long", b.in(0, "quantity", 1, "reference", strings.Repeat("r", 201)), "VALIDATION input.reference"},
	} {
		c := s.change(t, b.admin, "receiveStock", f.in)
		if got := userErr(c.UserErrors); !slices.Equal(got, []string{f.want}) || len(c.Movements) != 0 || len(c.StockLevels) != 0 {
			t.Errorf("%s: %v, %d movements, %d levels; want [%s] and nothing else", f.name, got, len(c.Movements), len(c.StockLevels), f.want)
		}
	}
	if st := s.ledger(t, b.tenant); st.Movements != 2 || st.Available != 10 || st.Events != 2 {
		t.Fatalf("ledger = %+v, want 2 movements, 10 available, 2 events", st)
	}
}

// TestShipStockOverHTTP checks shipStock end to end, and that shipping more
// than is available is INSUFFICIENT_STOCK and writes nothing.
func TestShipStockOverHTTP(t *testing.T) {
	b := setupStock(t, "A")
	s := b.s
	s.mustChange(t, b.admin, "receiveStock", b.in(0, "quantity", 10))

	c := s.mustChange(t, b.admin, "shipStock", b.in(0, "quantity", 4, "reference", "SO-1"))
	if len(c.Movements) != 1 {
		t.Fatalf("movements = %+v", c.Movements)
	}
	m := c.Movements[0]
	if m.Kind != "SHIPMENT" || m.Quantity != 4 || deref(m.FromState) != "AVAILABLE" || m.ToState != nil || deref(m.Reference) != "SO-1" {
		t.Fatalf("shipment = %+v", m)
	}
	if got := c.StockLevels[0].figures(); got != (figures{OnHand: 6, Available: 6, Version: 2}) {
		t.Fatalf("level after shipping 4 of 10 = %+v", got)
	}

	before := s.ledger(t, b.tenant)
	c = s.change(t, b.admin, "shipStock", b.in(0, "quantity", 7))
	if got := userErr(c.UserErrors); !slices.Equal(got, []string{"INSUFFICIENT_STOCK input.quantity"}) {
		t.Fatalf("shipping 7 of 6: user errors %v", got)
	}
	if c.UserErrors[0].Message != "only 6 available, 7 requested" {
		t.Errorf("message = %q", c.UserErrors[0].Message)
	}
	if len(c.Movements) != 0 || len(c.StockLevels) != 0 {
		t.Fatalf("a failed shipment returned %+v", c)
	}
	if after := s.ledger(t, b.tenant); after != before {
		t.Fatalf("a failed shipment wrote: before %+v, after %+v", before, after)
	}
	if got := s.level(t, b.admin, b.item, b.locs[0]).figures(); got != (figures{OnHand: 6, Available: 6, Version: 2}) {
		t.Fatalf("level after the failed shipment = %+v", got)
	}

	c = s.mustChange(t, b.admin, "shipStock", b.in(0, "quantity", 6))
	if got := c.StockLevels[0].figures(); got != (figures{Version: 3}) {
		t.Fatalf("level after shipping the rest = %+v", got)
	}
	c = s.change(t, b.admin, "shipStock", b.in(0, "quantity", 1))
	if got := userErr(c.UserErrors); !slices.Equal(got, []string{"INSUFFICIENT_STOCK input.quantity"}) {
		t.Fatalf("shipping from an empty level: %v", got)
	}
	// A level where nothing ever moved has nothing to ship either.
	_, locs := s.catalogue(t, b.admin, "SKU-EMPTY", "EMPTY")
	c = s.change(t, b.admin, "shipStock", map[string]any{"itemId": b.item, "locationId": locs[0], "quantity": 1})
	if got := userErr(c.UserErrors); !slices.Equal(got, []string{"INSUFFICIENT_STOCK input.quantity"}) {
		t.Fatalf("shipping from a level that never moved: %v", got)
	}
	if st := s.ledger(t, b.tenant); st.Movements != 3 || st.Levels != 1 || st.Available != 0 {
		t.Fatalf("ledger = %+v, want 3 movements, 1 level, 0 available", st)
	}
}

// TestAdjustStockOverHTTP checks adjustStock end to end: positive and
// negative deltas, compareQuantity that matches and that does not
// (VERSION_CONFLICT), and the failures, which write nothing.
func TestAdjustStockOverHTTP(t *testing.T) {
	b := setupStock(t, "A")
	s := b.s
	s.mustChange(t, b.admin, "receiveStock", b.in(0, "quantity", 10))

	c := s.mustChange(t, b.admin, "adjustStock", b.in(0, "delta", 5, "reason", "found behind the shelf"))
	m := c.Movements[0]
	if len(c.Movements) != 1 || m.Kind != "ADJUSTMENT" || m.Quantity != 5 || m.FromState != nil || deref(m.ToState) != "AVAILABLE" ||
		deref(m.Reason) != "found behind the shelf" {
		t.Fatalf("positive adjustment = %+v", c.Movements)
	}
	if got := c.StockLevels[0].figures(); got != (figures{OnHand: 15, Available: 15, Version: 2}) {
		t.Fatalf("after +5: %+v", got)
	}

	c = s.mustChange(t, b.admin, "adjustStock", b.in(0, "delta", -3, "reason", "broken"))
	m = c.Movements[0]
	if m.Kind != "ADJUSTMENT" || m.Quantity != 3 || deref(m.FromState) != "AVAILABLE" || m.ToState != nil {
		t.Fatalf("negative adjustment = %+v", m)
	}
	if got := c.StockLevels[0].figures(); got != (figures{OnHand: 12, Available: 12, Version: 3}) {
		t.Fatalf("after -3: %+v", got)
	}

	c = s.mustChange(t, b.admin, "adjustStock", b.in(0, "delta", -2, "reason", "recount", "compareQuantity", 12))
	if got := c.StockLevels[0].figures(); got != (figures{OnHand: 10, Available: 10, Version: 4}) {
		t.Fatalf("after -2 with a matching compareQuantity: %+v", got)
	}

	before := s.ledger(t, b.tenant)
	for _, f := range []struct {
		name string
		in   map[string]any
		want string
	}{
		{"stale compareQuantity", b.in(0, "delta", 1, "reason", "r", "compareQuantity", 12), "VERSION_CONFLICT input.compareQuantity"},
		{"stale compareQuantity on a removal", b.in(0, "delta", -1, "reason", "r", "compareQuantity", 9), "VERSION_CONFLICT input.compareQuantity"},
		{"removal beyond available", b.in(0, "delta", -11, "reason", "r"), "INSUFFICIENT_STOCK input.quantity"},
		{"zero delta", b.in(0, "delta", 0, "reason", "r"), "VALIDATION input.delta"},
		{"empty reason", b.in(0, "delta", 1, "reason", ""), "VALIDATION input.reason"},
		{"negative compareQuantity", b.in(0, "delta", 1, "reason", "r", "compareQuantity", -1), "VALIDATION input.compareQuantity"},
	} {
		c := s.change(t, b.admin, "adjustStock", f.in)
		if got := userErr(c.UserErrors); !slices.Equal(got, []string{f.want}) || len(c.Movements) != 0 {
			t.Errorf("%s: %v, movements %+v; want [%s] and none", f.name, got, c.Movements, f.want)
		}
	}
	if after := s.ledger(t, b.tenant); after != before {
		t.Fatalf("failed adjustments wrote: before %+v, after %+v", before, after)
	}
	if got := s.level(t, b.admin, b.item, b.locs[0]).figures(); got != (figures{OnHand: 10, Available: 10, Version: 4}) {
		t.Fatalf("level after the failures = %+v", got)
	}
}

// TestCountStockOverHTTP checks countStock end to end: a count below and
// above the books writes the difference as a COUNT movement, a count equal to
// the books writes nothing, and a count at a level that never moved starts it.
func TestCountStockOverHTTP(t *testing.T) {
	b := setupStock(t, "A", "B")
	s := b.s
	s.mustChange(t, b.admin, "receiveStock", b.in(0, "quantity", 10))

	c := s.mustChange(t, b.admin, "countStock", b.in(0, "countedQuantity", 8, "reason", "cycle count"))
	m := c.Movements[0]
	if len(c.Movements) != 1 || m.Kind != "COUNT" || m.Quantity != 2 || deref(m.FromState) != "AVAILABLE" || m.ToState != nil ||
		deref(m.Reason) != "cycle count" {
		t.Fatalf("count below the books = %+v", c.Movements)
	}
	if got := c.StockLevels[0].figures(); got != (figures{OnHand: 8, Available: 8, Version: 2}) {
		t.Fatalf("after counting 8: %+v", got)
	}

	c = s.mustChange(t, b.admin, "countStock", b.in(0, "countedQuantity", 12))
	m = c.Movements[0]
	if m.Kind != "COUNT" || m.Quantity != 4 || m.FromState != nil || deref(m.ToState) != "AVAILABLE" {
		t.Fatalf("count above the books = %+v", m)
	}
	if got := c.StockLevels[0].figures(); got != (figures{OnHand: 12, Available: 12, Version: 3}) {
		t.Fatalf("after counting 12: %+v", got)
	}

	before := s.ledger(t, b.tenant)
	c = s.mustChange(t, b.admin, "countStock", b.in(0, "countedQuantity", 12))
	if len(c.Movements) != 0 || len(c.StockLevels) != 1 || c.StockLevels[0].figures() != (figures{OnHand: 12, Available: 12, Version: 3}) {
		t.Fatalf("a count equal to the books = %+v", c)
	}
	if after := s.ledger(t, b.tenant); after != before {
		t.Fatalf("a count equal to the books wrote: before %+v, after %+v", before, after)
	}

	c = s.change(t, b.admin, "countStock", b.in(0, "countedQuantity", -1))
	if got := userErr(c.UserErrors); !slices.Equal(got, []string{"VALIDATION input.countedQuantity"}) {
		t.Fatalf("negative count: %v", got)
	}

	c = s.mustChange(t, b.admin, "countStock", b.in(1, "countedQuantity", 5))
	if len(c.Movements) != 1 || c.Movements[0].Quantity != 5 || c.StockLevels[0].figures() != (figures{OnHand: 5, Available: 5, Version: 1}) {
		t.Fatalf("count at a level that never moved = %+v", c)
	}
	if st := s.ledger(t, b.tenant); st.Movements != 4 || st.Available != 17 {
		t.Fatalf("ledger = %+v, want 4 movements and 17 available", st)
	}
}

// TestTransferStockOverHTTP checks transferStock end to end: both levels,
// the TRANSFER_OUT and TRANSFER_IN movements of one operation with the
// destination as toLocation, and the failures, which write nothing.
func TestTransferStockOverHTTP(t *testing.T) {
	b := setupStock(t, "A", "B")
	s := b.s
	from, to := b.locs[0], b.locs[1]
	s.mustChange(t, b.admin, "receiveStock", b.in(0, "quantity", 10))

	in := map[string]any{"itemId": b.item, "fromLocationId": from, "toLocationId": to, "quantity": 4, "reference": "TR-7"}
	c := s.mustChange(t, b.admin, "transferStock", in)
	if got := kinds(c.Movements); !slices.Equal(got, []string{"TRANSFER_OUT 4", "TRANSFER_IN 4"}) {
		t.Fatalf("movements = %v", got)
	}
	out, inm := c.Movements[0], c.Movements[1]
	if out.Location.ID != from || out.ToLocation == nil || out.ToLocation.ID != to ||
		deref(out.FromState) != "AVAILABLE" || deref(out.ToState) != "IN_TRANSIT" {
		t.Errorf("TRANSFER_OUT = %+v", out)
	}
	if inm.Location.ID != to || inm.ToLocation != nil || deref(inm.FromState) != "IN_TRANSIT" || deref(inm.ToState) != "AVAILABLE" {
		t.Errorf("TRANSFER_IN = %+v", inm)
	}
	if out.OperationID != inm.OperationID || out.ID == inm.ID || deref(out.Reference) != "TR-7" || deref(inm.Reference) != "TR-7" {
		t.Errorf("the two movements do not share one operation: %+v, %+v", out, inm)
	}
	if len(c.StockLevels) != 2 || c.StockLevels[0].Location.ID != from || c.StockLevels[1].Location.ID != to {
		t.Fatalf("levels = %+v", c.StockLevels)
	}
	if got := c.StockLevels[0].figures(); got != (figures{OnHand: 6, Available: 6, Version: 2}) {
		t.Errorf("origin after the transfer = %+v", got)
	}
	if got := c.StockLevels[1].figures(); got != (figures{OnHand: 4, Available: 4, Version: 1}) {
		t.Errorf("destination after the transfer = %+v", got)
	}

	// And back, to see both levels grow their versions.
	c = s.mustChange(t, b.admin, "transferStock", map[string]any{"itemId": b.item, "fromLocationId": to, "toLocationId": from, "quantity": 1})
	if got := []figures{c.StockLevels[0].figures(), c.StockLevels[1].figures()}; !slices.Equal(got, []figures{
		{OnHand: 3, Available: 3, Version: 2}, {OnHand: 7, Available: 7, Version: 3}}) {
		t.Fatalf("levels after transferring 1 back = %+v", got)
	}

	before := s.ledger(t, b.tenant)
	for _, f := range []struct {
		name string
		in   map[string]any
		want string
	}{
		{"more than available", map[string]any{"itemId": b.item, "fromLocationId": from, "toLocationId": to, "quantity": 8}, "INSUFFICIENT_STOCK input.quantity"},
		{"same location", map[string]any{"itemId": b.item, "fromLocationId": from, "toLocationId": from, "quantity": 1}, "VALIDATION input.toLocationId"},
		{"unknown destination", map[string]any{"itemId": b.item, "fromLocationId": from, "toLocationId": newID(), "quantity": 1}, "NOT_FOUND input.toLocationId"},
		{"unknown origin", map[string]any{"itemId": b.item, "fromLocationId": newID(), "toLocationId": to, "quantity": 1}, "NOT_FOUND input.fromLocationId"},
		{"zero quantity", map[string]any{"itemId": b.item, "fromLocationId": from, "toLocationId": to, "quantity": 0}, "VALIDATION input.quantity"},
	} {
		c := s.change(t, b.admin, "transferStock", f.in)
		if got := userErr(c.UserErrors); !slices.Equal(got, []string{f.want}) || len(c.Movements) != 0 {
			t.Errorf("%s: %v, movements %+v; want [%s] and none", f.name, got, c.Movements, f.want)
		}
	}
	if after := s.ledger(t, b.tenant); after != before {
		t.Fatalf("failed transfers wrote: before %+v, after %+v", before, after)
	}
	if st := s.ledger(t, b.tenant); st.Movements != 5 || st.Available != 10 {
		t.Fatalf("ledger = %+v, want 5 movements and the 10 units conserved", st)
	}
}

// TestStockLevelOverHTTP checks the stockLevel query: all zeros and version 0
// where nothing ever moved, the figures where something did, and NOT_FOUND
// for an item or location that does not exist.
func TestStockLevelOverHTTP(t *testing.T) {
	b := setupStock(t, "A", "B")
	s := b.s

	zero := s.level(t, b.admin, b.item, b.locs[0])
	if zero.figures() != (figures{}) || zero.Item.ID != b.item || zero.Location.ID != b.locs[0] {
		t.Fatalf("level where nothing moved = %+v", zero)
	}
	if st := s.ledger(t, b.tenant); st.Levels != 0 {
		t.Fatalf("reading a level wrote %d level rows", st.Levels)
	}

	s.mustChange(t, b.admin, "receiveStock", b.in(1, "quantity", 3))
	got := s.levelWith(t, b.admin, b.item, b.locs[1], levelTimeFields)
	if got.figures() != (figures{OnHand: 3, Available: 3, Version: 1}) || time.Since(got.UpdatedAt) > time.Minute {
		t.Fatalf("level after a receipt = %+v", got)
	}
	if got := s.level(t, b.admin, b.item, b.locs[0]).figures(); got != (figures{}) {
		t.Fatalf("the other location's level = %+v", got)
	}

	for name, vars := range map[string]map[string]any{
		"unknown item":     {"i": newID(), "l": b.locs[0]},
		"unknown location": {"i": b.item, "l": newID()},
	} {
		status, resp := s.post(t, b.admin, `query($i: ID!, $l: ID!) { stockLevel(itemId: $i, locationId: $l) { onHand } }`, vars)
		if status != http.StatusOK || !slices.Equal(resp.errorCodes(), []string{"NOT_FOUND"}) || string(resp.Data) != "null" {
			t.Errorf("%s: status %d, codes %v, data %s", name, status, resp.errorCodes(), resp.Data)
		}
	}
}

// TestMovementsOverHTTP checks the movements query: newest first, the item
// and location filters alone and together, and pagination that visits every
// movement exactly once.
func TestMovementsOverHTTP(t *testing.T) {
	b := setupStock(t, "A", "B")
	s := b.s
	x, a, bb := b.item, b.locs[0], b.locs[1]
	y, _ := s.catalogue(t, b.admin, "SKU-Y")

	s.mustChange(t, b.admin, "receiveStock", map[string]any{"itemId": x, "locationId": a, "quantity": 10})
	s.mustChange(t, b.admin, "receiveStock", map[string]any{"itemId": y, "locationId": a, "quantity": 5})
	s.mustChange(t, b.admin, "shipStock", map[string]any{"itemId": x, "locationId": a, "quantity": 3})
	s.mustChange(t, b.admin, "receiveStock", map[string]any{"itemId": x, "locationId": bb, "quantity": 2})
	s.mustChange(t, b.admin, "transferStock", map[string]any{"itemId": x, "fromLocationId": a, "toLocationId": bb, "quantity": 1})

	all := s.movements(t, b.admin, nil)
	want := []string{"TRANSFER_IN 1", "TRANSFER_OUT 1", "RECEIPT 2", "SHIPMENT 3", "RECEIPT 5", "RECEIPT 10"}
	if got := kinds(all.Nodes); !slices.Equal(got, want) {
		t.Fatalf("all movements = %v, want %v", got, want)
	}
	if all.PageInfo.HasNextPage || len(all.Edges) != len(all.Nodes) {
		t.Fatalf("pageInfo %+v, %d edges for %d nodes", all.PageInfo, len(all.Edges), len(all.Nodes))
	}
	for i := range all.Nodes {
		if all.Edges[i].Node.ID != all.Nodes[i].ID {
			t.Errorf("edge %d is %s, node %d is %s", i, all.Edges[i].Node.ID, i, all.Nodes[i].ID)
		}
		if i > 0 && all.Nodes[i].CreatedAt.After(all.Nodes[i-1].CreatedAt) {
			t.Errorf("movement %d is newer than movement %d", i, i-1)
		}
		if all.Nodes[i].Actor != "alice" {
			t.Errorf("movement %d actor = %q", i, all.Nodes[i].Actor)
		}
	}

	for _, f := range []struct {
		name string
		args map[string]any
		want []string
	}{
		{"item Y", map[string]any{"item": y}, []string{"RECEIPT 5"}},
		{"item X", map[string]any{"item": x}, []string{"TRANSFER_IN 1", "TRANSFER_OUT 1", "RECEIPT 2", "SHIPMENT 3", "RECEIPT 10"}},
		{"location A", map[string]any{"location": a}, []string{"TRANSFER_OUT 1", "SHIPMENT 3", "RECEIPT 5", "RECEIPT 10"}},
		{"item X at B", map[string]any{"item": x, "location": bb}, []string{"TRANSFER_IN 1", "RECEIPT 2"}},
		{"item Y at B", map[string]any{"item": y, "location": bb}, []string{}},
		{"an unknown item", map[string]any{"item": newID()}, []string{}},
		{"a malformed item id", map[string]any{"item": "x"}, []string{}},
	} {
		got := s.movements(t, b.admin, f.args)
		if k := kinds(got.Nodes); !slices.Equal(k, f.want) || got.PageInfo.HasNextPage {
			t.Errorf("%s: %v (hasNextPage %v), want %v", f.name, k, got.PageInfo.HasNextPage, f.want)
		}
	}

	// Pages of 4: the first has a next page, the second ends the list, and
	// together they are the list, in order.
	p1 := s.movements(t, b.admin, map[string]any{"first": 4})
	if len(p1.Nodes) != 4 || !p1.PageInfo.HasNextPage || p1.PageInfo.EndCursor == nil || *p1.PageInfo.EndCursor != p1.Edges[3].Cursor {
		t.Fatalf("first page = %v, pageInfo %+v", kinds(p1.Nodes), p1.PageInfo)
	}
	p2 := s.movements(t, b.admin, map[string]any{"first": 4, "after": *p1.PageInfo.EndCursor})
	if len(p2.Nodes) != 2 || p2.PageInfo.HasNextPage || p2.PageInfo.EndCursor == nil || *p2.PageInfo.EndCursor != p2.Edges[1].Cursor {
		t.Fatalf("second page = %v, pageInfo %+v", kinds(p2.Nodes), p2.PageInfo)
	}
	var ids, allIDs []string
	for _, m := range append(p1.Nodes, p2.Nodes...) {
		ids = append(ids, m.ID)
	}
	for _, m := range all.Nodes {
		allIDs = append(allIDs, m.ID)
	}
	if !slices.Equal(ids, allIDs) {
		t.Fatalf("pages = %v, list = %v", ids, allIDs)
	}
	p3 := s.movements(t, b.admin, map[string]any{"first": 4, "after": *p2.PageInfo.EndCursor})
	if len(p3.Nodes) != 0 || p3.PageInfo.HasNextPage || p3.PageInfo.EndCursor != nil {
		t.Fatalf("after the last page = %v, pageInfo %+v", kinds(p3.Nodes), p3.PageInfo)
	}
	// A filtered list pages too.
	f1 := s.movements(t, b.admin, map[string]any{"item": x, "first": 2})
	f2 := s.movements(t, b.admin, map[string]any{"item": x, "first": 2, "after": *f1.PageInfo.EndCursor})
	if got := kinds(append(f1.Nodes, f2.Nodes...)); !slices.Equal(got, []string{"TRANSFER_IN 1", "TRANSFER_OUT 1", "RECEIPT 2", "SHIPMENT 3"}) || !f2.PageInfo.HasNextPage {
		t.Fatalf("two filtered pages = %v, hasNextPage %v", got, f2.PageInfo.HasNextPage)
	}

	status, resp := s.post(t, b.admin, `{ movements(after: "not-a-cursor") { nodes { id } } }`, nil)
	if status != http.StatusOK || !slices.Equal(resp.errorCodes(), []string{"VALIDATION"}) {
		t.Fatalf("a bad cursor: status %d, codes %v", status, resp.errorCodes())
	}
	// A cursor of another list is not a movement cursor.
	var items struct {
		Items struct{ PageInfo apiPageInfo }
	}
	s.mustData(t, b.admin, `{ items(first: 1) { pageInfo { hasNextPage endCursor } } }`, nil, &items)
	status, resp = s.post(t, b.admin, `query($c: String) { movements(after: $c) { nodes { id } } }`, map[string]any{"c": *items.Items.PageInfo.EndCursor})
	if status != http.StatusOK || !slices.Equal(resp.errorCodes(), []string{"VALIDATION"}) {
		t.Fatalf("an items cursor: status %d, codes %v", status, resp.errorCodes())
	}
}

// connectionPage is one page of the items or locations connection.
type connectionPage struct {
	Edges []struct {
		Cursor string
		Node   struct{ ID, Key string }
	}
	Nodes    []struct{ ID, Key string }
	PageInfo apiPageInfo
}

func (p connectionPage) keys() []string {
	out := make([]string, len(p.Nodes))
	for i, n := range p.Nodes {
		out[i] = n.Key
	}
	return out
}

// TestItemsAndLocationsConnectionsOverHTTP checks the items and locations
// connections: sku and code order, edges that match nodes, and pages that
// cover the list exactly once.
func TestItemsAndLocationsConnectionsOverHTTP(t *testing.T) {
	s := newTestServer(t)
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "alice", tenancy.Admin)
	viewer := s.token(t, tenant, "vera", tenancy.Viewer)
	for _, sku := range []string{"C-3", "A-1", "E-5", "B-2", "D-4"} {
		s.catalogue(t, admin, sku)
	}
	_, _ = s.catalogue(t, admin, "F-6", "WH-2", "WH-1", "WH-3")

	page := func(field, key string, vars map[string]any) connectionPage {
		t.Helper()
		var out map[string]connectionPage
		s.mustData(t, viewer, `query($first: Int, $after: String) { `+field+`(first: $first, after: $after) {
			edges { cursor node { id key: `+key+` } } nodes { id key: `+key+` } pageInfo { hasNextPage endCursor } } }`, vars, &out)
		return out[field]
	}

	all := page("items", "sku", nil)
	if got := all.keys(); !slices.Equal(got, []string{"A-1", "B-2", "C-3", "D-4", "E-5", "F-6"}) || all.PageInfo.HasNextPage {
		t.Fatalf("items = %v (hasNextPage %v)", got, all.PageInfo.HasNextPage)
	}
	for i := range all.Nodes {
		if all.Edges[i].Node != all.Nodes[i] {
			t.Errorf("edge %d = %+v, node %d = %+v", i, all.Edges[i].Node, i, all.Nodes[i])
		}
	}
	p1 := page("items", "sku", map[string]any{"first": 4})
	p2 := page("items", "sku", map[string]any{"first": 4, "after": *p1.PageInfo.EndCursor})
	if !slices.Equal(p1.keys(), []string{"A-1", "B-2", "C-3", "D-4"}) || !p1.PageInfo.HasNextPage ||
		!slices.Equal(p2.keys(), []string{"E-5", "F-6"}) || p2.PageInfo.HasNextPage {
		t.Fatalf("item pages = %v (%v), %v (%v)", p1.keys(), p1.PageInfo.HasNextPage, p2.keys(), p2.PageInfo.HasNextPage)
	}
	if *p2.PageInfo.EndCursor != p2.Edges[1].Cursor {
		t.Errorf("endCursor %q is not the last edge's cursor %q", *p2.PageInfo.EndCursor, p2.Edges[1].Cursor)
	}
	empty := page("items", "sku", map[string]any{"first": 0})
	if len(empty.Nodes) != 0 || len(empty.Edges) != 0 {
		t.Fatalf("first: 0 gave %v", empty.keys())
	}

	locs := page("locations", "code", nil)
	if got := locs.keys(); !slices.Equal(got, []string{"WH-1", "WH-2", "WH-3"}) || locs.PageInfo.HasNextPage {
		t.Fatalf("locations = %v", got)
	}
	l1 := page("locations", "code", map[string]any{"first": 2})
	l2 := page("locations", "code", map[string]any{"first": 2, "after": *l1.PageInfo.EndCursor})
	if !slices.Equal(l1.keys(), []string{"WH-1", "WH-2"}) || !l1.PageInfo.HasNextPage ||
		!slices.Equal(l2.keys(), []string{"WH-3"}) || l2.PageInfo.HasNextPage {
		t.Fatalf("location pages = %v, %v", l1.keys(), l2.keys())
	}
}

// TestLookupsOverHTTP checks item(id|sku) and location(id|code): the object
// when it exists, null when it does not, and VALIDATION when both or neither
// argument is given.
func TestLookupsOverHTTP(t *testing.T) {
	b := setupStock(t, "A")
	s := b.s
	type found struct {
		Item     *struct{ ID, SKU string }
		Location *struct{ ID, Code string }
	}
	get := func(query string, vars map[string]any) found {
		t.Helper()
		var out found
		s.mustData(t, b.admin, query, vars, &out)
		return out
	}
	const itemByID = `query($v: ID) { item(id: $v) { id sku } }`
	const itemBySKU = `query($v: String) { item(sku: $v) { id sku } }`
	const locByID = `query($v: ID) { location(id: $v) { id code } }`
	const locByCode = `query($v: String) { location(code: $v) { id code } }`

	if got := get(itemByID, map[string]any{"v": b.item}).Item; got == nil || got.ID != b.item || got.SKU != "SKU-1" {
		t.Errorf("item by id = %+v", got)
	}
	if got := get(itemBySKU, map[string]any{"v": "SKU-1"}).Item; got == nil || got.ID != b.item {
		t.Errorf("item by sku = %+v", got)
	}
	if got := get(locByID, map[string]any{"v": b.locs[0]}).Location; got == nil || got.ID != b.locs[0] || got.Code != "A" {
		t.Errorf("location by id = %+v", got)
	}
	if got := get(locByCode, map[string]any{"v": "A"}).Location; got == nil || got.ID != b.locs[0] {
		t.Errorf("location by code = %+v", got)
	}
	for name, c := range map[string]struct {
		query string
		v     string
	}{
		"item by unknown id":         {itemByID, newID()},
		"item by malformed id":       {itemByID, "not-an-id"},
		"item by unknown sku":        {itemBySKU, "SKU-2"},
		"item by sku in other case":  {itemBySKU, "sku-1"},
		"location by unknown id":     {locByID, newID()},
		"location by malformed id":   {locByID, "42"},
		"location by unknown code":   {locByCode, "Z"},
		"location by an item's id":   {locByID, b.item},
		"item by a location's id":    {itemByID, b.locs[0]},
		"location by code as its id": {locByCode, b.locs[0]},
	} {
		status, resp, raw := s.postRaw(t, b.admin, c.query, map[string]any{"v": c.v})
		if status != http.StatusOK || len(resp.Errors) != 0 {
			t.Errorf("%s: status %d, errors %+v", name, status, resp.Errors)
			continue
		}
		if string(resp.Data) != `{"item":null}` && string(resp.Data) != `{"location":null}` {
			t.Errorf("%s: body %s, want null", name, raw)
		}
	}
	for name, query := range map[string]string{
		"item with both":         `query($i: ID, $s: String) { item(id: $i, sku: $s) { id } }`,
		"item with neither":      `{ item { id } }`,
		"location with both":     `query($i: ID, $s: String) { location(id: $i, code: $s) { id } }`,
		"location with neither":  `{ location { id } }`,
		"item with both as null": `{ item(id: null, sku: null) { id } }`,
	} {
		status, resp := s.post(t, b.admin, query, map[string]any{"i": b.item, "s": "SKU-1"})
		if status != http.StatusOK || !slices.Equal(resp.errorCodes(), []string{"VALIDATION"}) {
			t.Errorf("%s: status %d, codes %v", name, status, resp.errorCodes())
		}
	}
}

// TestItemStockLevelsOverHTTP checks Item.stockLevels: one level per location
// where the item ever moved, with exact figures, and an empty list for an
// item that never moved, also through the items list.
func TestItemStockLevelsOverHTTP(t *testing.T) {
	b := setupStock(t, "A", "B", "C")
	s := b.s
	other, _ := s.catalogue(t, b.admin, "SKU-2")
	s.mustChange(t, b.admin, "receiveStock", b.in(0, "quantity", 10))
	s.mustChange(t, b.admin, "receiveStock", b.in(1, "quantity", 4))
	s.mustChange(t, b.admin, "shipStock", b.in(1, "quantity", 4))
	s.mustChange(t, b.admin, "receiveStock", map[string]any{"itemId": other, "locationId": b.locs[2], "quantity": 6})

	var out struct {
		Items struct {
			Nodes []struct {
				ID, SKU     string
				StockLevels []apiLevel
			}
		}
	}
	s.mustData(t, b.admin, `{ items(first: 10) { nodes { id sku stockLevels { `+levelTimeFields+` } } } }`, nil, &out)
	if len(out.Items.Nodes) != 2 {
		t.Fatalf("items = %+v", out.Items.Nodes)
	}
	first, second := out.Items.Nodes[0], out.Items.Nodes[1]
	if first.ID != b.item || second.ID != other {
		t.Fatalf("items in sku order = %s, %s", first.SKU, second.SKU)
	}
	got := map[string]figures{}
	for _, l := range first.StockLevels {
		if l.Item.ID != b.item {
			t.Errorf("a level of %s lists item %s", b.item, l.Item.ID)
		}
		got[l.Location.ID] = l.figures()
	}
	want := map[string]figures{
		b.locs[0]: {OnHand: 10, Available: 10, Version: 1},
		b.locs[1]: {Version: 2},
	}
	if len(got) != len(want) || got[b.locs[0]] != want[b.locs[0]] || got[b.locs[1]] != want[b.locs[1]] {
		t.Fatalf("levels of the item = %+v, want %+v", got, want)
	}
	if len(second.StockLevels) != 1 || second.StockLevels[0].Location.ID != b.locs[2] ||
		second.StockLevels[0].figures() != (figures{OnHand: 6, Available: 6, Version: 1}) {
		t.Fatalf("levels of the second item = %+v", second.StockLevels)
	}

	var one struct {
		Item struct{ StockLevels []apiLevel }
	}
	s.mustData(t, b.admin, `query($id: ID) { item(id: $id) { stockLevels { `+levelFields+` } } }`, map[string]any{"id": b.item}, &one)
	if len(one.Item.StockLevels) != 2 {
		t.Fatalf("item(id).stockLevels = %+v", one.Item.StockLevels)
	}
}

// TestIdempotentReplayOverHTTP checks idempotency keys over HTTP: the same
// key and input returns byte for byte the first call's payload and writes
// nothing, even after the level has moved on; the same key with another input
// or operation is IDEMPOTENCY_CONFLICT; keys are per tenant.
func TestIdempotentReplayOverHTTP(t *testing.T) {
	b := setupStock(t, "A", "B")
	s := b.s
	query := stockMutation("receiveStock")
	vars := map[string]any{"in": b.in(0, "quantity", 10, "idempotencyKey", "po-77-line-1", "reference", "PO-77")}

	status, first, firstRaw := s.postRaw(t, b.admin, query, vars)
	if status != http.StatusOK || len(first.Errors) != 0 {
		t.Fatalf("first call: %d %s", status, firstRaw)
	}
	s.mustChange(t, b.admin, "shipStock", b.in(0, "quantity", 2))
	before := s.ledger(t, b.tenant)

	status, second, _ := s.postRaw(t, b.admin, query, vars)
	if status != http.StatusOK || string(second.Data) != string(first.Data) {
		t.Fatalf("replay differs:\nfirst  %s\nreplay %s", first.Data, second.Data)
	}
	if after := s.ledger(t, b.tenant); after != before {
		t.Fatalf("a replay wrote: before %+v, after %+v", before, after)
	}
	var replay map[string]apiChange
	if err := json.Unmarshal(second.Data, &replay); err != nil {
		t.Fatal(err)
	}
	if got := replay["receiveStock"].StockLevels[0].figures(); got != (figures{OnHand: 10, Available: 10, Version: 1}) {
		t.Errorf("the replay's level = %+v, want the first call's", got)
	}
	if got := s.level(t, b.admin, b.item, b.locs[0]).figures(); got != (figures{OnHand: 8, Available: 8, Version: 2}) {
		t.Errorf("the level after the replay = %+v", got)
	}

	for _, c := range []struct {
		name string
		op   string
		in   map[string]any
	}{
		{"another quantity", "receiveStock", b.in(0, "quantity", 11, "idempotencyKey", "po-77-line-1", "reference", "PO-77")},
		{"another location", "receiveStock", b.in(1, "quantity", 10, "idempotencyKey", "po-77-line-1", "reference", "PO-77")},
		{"another reference", "receiveStock", b.in(0, "quantity", 10, "idempotencyKey", "po-77-line-1", "reference", "PO-78")},
		{"another operation", "shipStock", b.in(0, "quantity", 10, "idempotencyKey", "po-77-line-1", "reference", "PO-77")},
	} {
		got := s.change(t, b.admin, c.op, c.in)
		if e := userErr(got.UserErrors); !slices.Equal(e, []string{"IDEMPOTENCY_CONFLICT input.idempotencyKey"}) || len(got.Movements) != 0 {
			t.Errorf("%s: %v, movements %+v", c.name, e, got.Movements)
		}
	}
	if after := s.ledger(t, b.tenant); after != before {
		t.Fatalf("conflicting keys wrote: before %+v, after %+v", before, after)
	}

	// A transfer replays both of its movements.
	tin := map[string]any{"itemId": b.item, "fromLocationId": b.locs[0], "toLocationId": b.locs[1], "quantity": 3, "idempotencyKey": "tr-1"}
	t1 := s.mustChange(t, b.admin, "transferStock", tin)
	t2 := s.mustChange(t, b.admin, "transferStock", tin)
	if len(t2.Movements) != 2 || t1.Movements[0].ID != t2.Movements[0].ID || t1.Movements[1].ID != t2.Movements[1].ID ||
		t2.Movements[0].ToLocation == nil || t2.Movements[0].ToLocation.ID != b.locs[1] {
		t.Fatalf("transfer replay = %+v, first = %+v", t2.Movements, t1.Movements)
	}
	if got := s.level(t, b.admin, b.item, b.locs[1]).figures(); got != (figures{OnHand: 3, Available: 3, Version: 1}) {
		t.Fatalf("destination after a transfer and its replay = %+v", got)
	}

	// Another tenant may use the same key for something else.
	other := s.tenant(t)
	otherAdmin := s.token(t, other, "oscar", tenancy.Admin)
	oItem, oLocs := s.catalogue(t, otherAdmin, "SKU-O", "O")
	c := s.change(t, otherAdmin, "receiveStock", map[string]any{"itemId": oItem, "locationId": oLocs[0], "quantity": 1, "idempotencyKey": "po-77-line-1"})
	if len(c.UserErrors) != 0 || len(c.Movements) != 1 || c.StockLevels[0].Available != 1 {
		t.Fatalf("the same key in another tenant: %+v", c)
	}
}

// TestItemThatNeverMovedHasNoStockLevels checks that Item.stockLevels is an
// empty list, not an error, for an item that never moved: in createItem's
// payload, through item(id) and through the items list beside an item that
// did move.
func TestItemThatNeverMovedHasNoStockLevels(t *testing.T) {
	b := setupStock(t, "A")
	s := b.s
	s.mustChange(t, b.admin, "receiveStock", b.in(0, "quantity", 1))

	status, resp, raw := s.postRaw(t, b.admin, `mutation { createItem(input: {sku: "NEW", name: "New"}) { item { id stockLevels { onHand } } userErrors { code } } }`, nil)
	if status != http.StatusOK || len(resp.Errors) != 0 {
		t.Errorf("createItem with stockLevels: %d %s", status, raw)
	}
	var created struct{ Item struct{ ID string } }
	s.mustData(t, b.admin, `{ item(sku: "NEW") { id } }`, nil, &created)
	if want := `{"createItem":{"item":{"id":"` + created.Item.ID + `","stockLevels":[]},"userErrors":[]}}`; string(resp.Data) != want {
		t.Errorf("createItem = %s, want %s", resp.Data, want)
	}

	status, resp, raw = s.postRaw(t, b.admin, `query($id: ID) { item(id: $id) { stockLevels { onHand } } }`, map[string]any{"id": created.Item.ID})
	if status != http.StatusOK || len(resp.Errors) != 0 || string(resp.Data) != `{"item":{"stockLevels":[]}}` {
		t.Errorf("item(id).stockLevels: %d %s", status, raw)
	}

	status, resp, raw = s.postRaw(t, b.admin, `{ items { nodes { sku stockLevels { onHand } } } }`, nil)
	if status != http.StatusOK || len(resp.Errors) != 0 || string(resp.Data) != `{"items":{"nodes":[{"sku":"NEW","stockLevels":[]},{"sku":"SKU-1","stockLevels":[{"onHand":1}]}]}}` {
		t.Fatalf("items with stockLevels: %d %s", status, raw)
	}
}

// TestLevelWhereNothingMovedHasUpdatedAt checks that a level where nothing
// ever moved can be read whole, updatedAt included (it is a non-null Time),
// both through stockLevel and in the payload of a count that writes nothing.
func TestLevelWhereNothingMovedHasUpdatedAt(t *testing.T) {
	b := setupStock(t, "A")
	s := b.s

	status, resp, raw := s.postRaw(t, b.admin, `query($i: ID!, $l: ID!) { stockLevel(itemId: $i, locationId: $l) { onHand version updatedAt } }`,
		map[string]any{"i": b.item, "l": b.locs[0]})
	var out struct {
		StockLevel struct {
			OnHand, Version int64
			UpdatedAt       time.Time
		}
	}
	if status != http.StatusOK || len(resp.Errors) != 0 {
		t.Errorf("stockLevel with updatedAt where nothing moved: %d %s", status, raw)
	} else if err := json.Unmarshal(resp.Data, &out); err != nil {
		t.Error(err)
	} else if out.StockLevel.OnHand != 0 || out.StockLevel.Version != 0 || out.StockLevel.UpdatedAt.IsZero() {
		t.Errorf("level = %+v", out.StockLevel)
	}

	status, resp, raw = s.postRaw(t, b.admin, stockMutation("countStock"), map[string]any{"in": b.in(0, "countedQuantity", 0)})
	if status != http.StatusOK || len(resp.Errors) != 0 {
		t.Fatalf("counting 0 where nothing moved: %d %s", status, raw)
	}
	if st := s.ledger(t, b.tenant); st.Movements != 0 || st.Levels != 0 {
		t.Fatalf("a count of 0 where nothing moved wrote %+v", st)
	}
}
