package domain_test

import (
	"context"
	"strings"
	"testing"

	"github.com/inventory-backbone/inventory/domain"
)

// missingID is well formed but names no row.
const missingID = "5f1c8a2e-0c3b-4d7e-9a41-2b6f0e9d3c10"

// TestStockOperationsValidateInput refuses malformed input to every stock
// operation with VALIDATION and the field at fault, writing nothing.
func TestStockOperationsValidateInput(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 5)
	before := b.counts(t)
	item, a, bb := b.item.ID, b.locA.ID, b.locB.ID
	reason := domain.Meta{Reason: ptr("fix")}
	adjust := func(in domain.Adjustment, meta domain.Meta) error {
		_, err := b.store.Adjust(ctx, b.sc, in, meta)
		return err
	}
	receive := func(itemID, loc string, q int64, meta domain.Meta) error {
		_, err := b.store.Receive(ctx, b.sc, itemID, loc, q, meta)
		return err
	}
	ship := func(itemID, loc string, q int64) error {
		_, err := b.store.Ship(ctx, b.sc, itemID, loc, q, domain.Meta{})
		return err
	}
	count := func(itemID, loc string, n int64) error {
		_, err := b.store.Count(ctx, b.sc, itemID, loc, n, domain.Meta{})
		return err
	}
	transfer := func(itemID, from, to string, q int64) error {
		_, err := b.store.Transfer(ctx, b.sc, itemID, from, to, q, domain.Meta{})
		return err
	}

	cases := []struct {
		name  string
		err   error
		field string
	}{
		{"receive 0", receive(item, a, 0, domain.Meta{}), "quantity"},
		{"receive -1", receive(item, a, -1, domain.Meta{}), "quantity"},
		{"receive too many", receive(item, a, domain.MaxQuantity+1, domain.Meta{}), "quantity"},
		{"receive bad item", receive("not-an-id", a, 1, domain.Meta{}), "itemId"},
		{"receive empty item", receive("", a, 1, domain.Meta{}), "itemId"},
		{"receive item without hyphens", receive(strings.ReplaceAll(item, "-", ""), a, 1, domain.Meta{}), "itemId"},
		{"receive braced item", receive("{"+item+"}", a, 1, domain.Meta{}), "itemId"},
		{"receive bad location", receive(item, "A", 1, domain.Meta{}), "locationId"},
		{"receive long reference", receive(item, a, 1, domain.Meta{Reference: ptr(strings.Repeat("r", 201))}), "reference"},
		{"receive long reason", receive(item, a, 1, domain.Meta{Reason: ptr(strings.Repeat("r", 501))}), "reason"},
		{"ship 0", ship(item, a, 0), "quantity"},
		{"ship -5", ship(item, a, -5), "quantity"},
		{"ship too many", ship(item, a, domain.MaxQuantity+1), "quantity"},
		{"ship bad item", ship("x", a, 1), "itemId"},
		{"ship bad location", ship(item, "x", 1), "locationId"},
		{"adjust delta 0", adjust(domain.Adjustment{ItemID: item, LocationID: a, Delta: 0}, reason), "delta"},
		{"adjust delta too large", adjust(domain.Adjustment{ItemID: item, LocationID: a, Delta: domain.MaxQuantity + 1}, reason), "delta"},
		{"adjust delta too small", adjust(domain.Adjustment{ItemID: item, LocationID: a, Delta: -domain.MaxQuantity - 1}, reason), "delta"},
		{"adjust without reason", adjust(domain.Adjustment{ItemID: item, LocationID: a, Delta: 1}, domain.Meta{}), "reason"},
		{"adjust blank reason", adjust(domain.Adjustment{ItemID: item, LocationID: a, Delta: 1}, domain.Meta{Reason: ptr("  \t")}), "reason"},
		{"adjust long reason", adjust(domain.Adjustment{ItemID: item, LocationID: a, Delta: 1}, domain.Meta{Reason: ptr(strings.Repeat("r", 501))}), "reason"},
		{"adjust negative compare", adjust(domain.Adjustment{ItemID: item, LocationID: a, Delta: 1, CompareQuantity: ptr(int64(-1))}, reason), "compareQuantity"},
		{"adjust bad item", adjust(domain.Adjustment{ItemID: "bad", LocationID: a, Delta: 1}, reason), "itemId"},
		{"count -1", count(item, a, -1), "countedQuantity"},
		{"count too many", count(item, a, domain.MaxQuantity+1), "countedQuantity"},
		{"count bad location", count(item, "bad", 1), "locationId"},
		{"transfer to the same location", transfer(item, a, a, 1), "toLocationId"},
		{"transfer to the same location, other case", transfer(item, a, strings.ToUpper(a), 1), "toLocationId"},
		{"transfer 0", transfer(item, a, bb, 0), "quantity"},
		{"transfer too many", transfer(item, a, bb, domain.MaxQuantity+1), "quantity"},
		{"transfer bad item", transfer("bad", a, bb, 1), "itemId"},
		{"transfer bad from", transfer(item, "bad", bb, 1), "fromLocationId"},
		{"transfer bad to", transfer(item, a, "bad", 1), "toLocationId"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.err, domain.CodeValidation, "input", tc.field) })
	}
	b.assertUnchanged(t, "invalid input", before)

	// The bounds themselves are accepted.
	if err := receive(item, a, domain.MaxQuantity, domain.Meta{Reference: ptr(strings.Repeat("r", 200)),
		Reason: ptr(strings.Repeat("é", 500))}); err != nil {
		t.Errorf("receive MaxQuantity with the longest reference and reason: %v", err)
	}
	if err := ship(item, a, domain.MaxQuantity); err != nil {
		t.Errorf("ship MaxQuantity: %v", err)
	}
	if l := b.level(t, b.locA); l.Available != 5 {
		t.Errorf("available %d, want 5", l.Available)
	}
}

// TestUpperCaseIDsNameTheSameRows accepts ids in upper case and records them
// in canonical form.
func TestUpperCaseIDsNameTheSameRows(t *testing.T) {
	b := setup(t)
	c, err := b.store.Receive(context.Background(), b.sc, strings.ToUpper(b.item.ID), strings.ToUpper(b.locA.ID), 2, domain.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if m := c.Movements[0]; m.ItemID != b.item.ID || m.LocationID != b.locA.ID {
		t.Errorf("movement recorded %s@%s, want %s@%s", m.ItemID, m.LocationID, b.item.ID, b.locA.ID)
	}
	if l := b.level(t, b.locA); l.Available != 2 {
		t.Errorf("available %d, want 2", l.Available)
	}
}

// TestIDsThatDoNotExistAreNotFound names items and locations that do not
// exist: NOT_FOUND, with the field that names the missing one.
func TestIDsThatDoNotExistAreNotFound(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 5)
	before := b.counts(t)
	item, a, bb := b.item.ID, b.locA.ID, b.locB.ID
	errOf := func(_ *domain.StockChange, err error) error { return err }

	cases := []struct {
		name  string
		err   error
		field string
	}{
		{"receive missing item", errOf(b.store.Receive(ctx, b.sc, missingID, a, 1, domain.Meta{})), "itemId"},
		{"receive missing location", errOf(b.store.Receive(ctx, b.sc, item, missingID, 1, domain.Meta{})), "locationId"},
		{"receive both missing", errOf(b.store.Receive(ctx, b.sc, missingID, missingID, 1, domain.Meta{})), "itemId"},
		{"receive nil id", errOf(b.store.Receive(ctx, b.sc, "00000000-0000-0000-0000-000000000000", a, 1, domain.Meta{})), "itemId"},
		{"receive location id as item", errOf(b.store.Receive(ctx, b.sc, a, a, 1, domain.Meta{})), "itemId"},
		{"receive item id as location", errOf(b.store.Receive(ctx, b.sc, item, item, 1, domain.Meta{})), "locationId"},
		{"ship missing item", errOf(b.store.Ship(ctx, b.sc, missingID, a, 1, domain.Meta{})), "itemId"},
		{"ship missing location", errOf(b.store.Ship(ctx, b.sc, item, missingID, 1, domain.Meta{})), "locationId"},
		{"adjust missing location", errOf(b.store.Adjust(ctx, b.sc, domain.Adjustment{ItemID: item, LocationID: missingID, Delta: 1},
			domain.Meta{Reason: ptr("x")})), "locationId"},
		{"count missing item", errOf(b.store.Count(ctx, b.sc, missingID, a, 1, domain.Meta{})), "itemId"},
		{"transfer missing item", errOf(b.store.Transfer(ctx, b.sc, missingID, a, bb, 1, domain.Meta{})), "itemId"},
		{"transfer missing from", errOf(b.store.Transfer(ctx, b.sc, item, missingID, bb, 1, domain.Meta{})), "fromLocationId"},
		{"transfer missing to", errOf(b.store.Transfer(ctx, b.sc, item, a, missingID, 1, domain.Meta{})), "toLocationId"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.err, domain.CodeNotFound, "input", tc.field) })
	}
	b.assertUnchanged(t, "an operation on ids that do not exist", before)

	_, err := b.store.Level(ctx, b.sc, missingID, a)
	wantErr(t, err, domain.CodeNotFound, "input", "itemId")
	_, err = b.store.Level(ctx, b.sc, item, missingID)
	wantErr(t, err, domain.CodeNotFound, "input", "locationId")
	_, err = b.store.Level(ctx, b.sc, "bad", a)
	wantErr(t, err, domain.CodeValidation, "input", "itemId")

	for name, err := range map[string]error{
		"item by id":           errOf2(b.store.Item(ctx, b.sc, missingID)),
		"item by malformed id": errOf2(b.store.Item(ctx, b.sc, "nope")),
		"item by location id":  errOf2(b.store.Item(ctx, b.sc, a)),
		"item by sku":          errOf2(b.store.ItemBySKU(ctx, b.sc, "NO-SUCH-SKU")),
		"location by id":       errOf3(b.store.Location(ctx, b.sc, missingID)),
		"location by bad id":   errOf3(b.store.Location(ctx, b.sc, "A")),
		"location by code":     errOf3(b.store.LocationByCode(ctx, b.sc, "Z")),
	} {
		t.Run(name, func(t *testing.T) { wantErr(t, err, domain.CodeNotFound) })
	}
	if it, err := b.store.ItemBySKU(ctx, b.sc, "SKU-1"); err != nil || it.ID != item {
		t.Errorf("item by sku SKU-1: %+v, %v", it, err)
	}
	if loc, err := b.store.LocationByCode(ctx, b.sc, "B"); err != nil || loc.ID != bb {
		t.Errorf("location by code B: %+v, %v", loc, err)
	}
	if l, err := b.store.Level(ctx, b.sc, item, bb); err != nil || l.UpdatedAt.Before(b.locB.CreatedAt) ||
		*l != (domain.Level{ItemID: item, LocationID: bb, UpdatedAt: l.UpdatedAt}) {
		t.Errorf("level where nothing ever moved: %+v, %v; want all zeros, updated when the later of item and location was made", l, err)
	}
}

func errOf2(_ *domain.Item, err error) error     { return err }
func errOf3(_ *domain.Location, err error) error { return err }

// TestCatalogueValidation refuses empty, blank, over-long and NUL-bearing
// text in items and locations, and out-of-range reorder points; it accepts
// the longest lengths, counted in characters.
func TestCatalogueValidation(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	item := func(sku, name string, unit *string, reorder *int64) error {
		_, err := b.store.CreateItem(ctx, b.sc, domain.NewItem{SKU: sku, Name: name, Unit: unit, ReorderPoint: reorder})
		return err
	}
	location := func(code, name string) error {
		_, err := b.store.CreateLocation(ctx, b.sc, domain.NewLocation{Code: code, Name: name})
		return err
	}
	cases := []struct {
		name  string
		err   error
		field string
	}{
		{"empty sku", item("", "n", nil, nil), "sku"},
		{"blank sku", item("  ", "n", nil, nil), "sku"},
		{"long sku", item(strings.Repeat("s", 101), "n", nil, nil), "sku"},
		{"sku with NUL", item("a\x00b", "n", nil, nil), "sku"},
		{"empty name", item("S-1", "", nil, nil), "name"},
		{"long name", item("S-2", strings.Repeat("n", 201), nil, nil), "name"},
		{"empty unit", item("S-3", "n", ptr(""), nil), "unit"},
		{"long unit", item("S-4", "n", ptr(strings.Repeat("u", 33)), nil), "unit"},
		{"negative reorder point", item("S-5", "n", nil, ptr(int64(-1))), "reorderPoint"},
		{"huge reorder point", item("S-6", "n", nil, ptr(int64(domain.MaxQuantity+1))), "reorderPoint"},
		{"empty code", location("", "n"), "code"},
		{"blank code", location(" \t", "n"), "code"},
		{"long code", location(strings.Repeat("c", 65), "n"), "code"},
		{"empty location name", location("L-1", ""), "name"},
		{"long location name", location("L-2", strings.Repeat("n", 201)), "name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.err, domain.CodeValidation, "input", tc.field) })
	}
	page, err := b.store.Items(ctx, b.sc, domain.PageRequest{})
	if err != nil || len(page.Rows) != 1 {
		t.Errorf("invalid items were created: %+v, %v", page, err)
	}
	locs, err := b.store.Locations(ctx, b.sc, domain.PageRequest{})
	if err != nil || len(locs.Rows) != 2 {
		t.Errorf("invalid locations were created: %+v, %v", locs, err)
	}

	// The longest values, in multi-byte characters, are accepted and kept.
	sku, name, unit := strings.Repeat("é", 100), strings.Repeat("ñ", 200), strings.Repeat("µ", 32)
	it, err := b.store.CreateItem(ctx, b.sc, domain.NewItem{SKU: sku, Name: name, Unit: &unit, ReorderPoint: ptr(int64(0))})
	if err != nil {
		t.Fatalf("longest item: %v", err)
	}
	got, err := b.store.Item(ctx, b.sc, it.ID)
	if err != nil || got.SKU != sku || got.Name != name || got.Unit != unit || got.ReorderPoint == nil || *got.ReorderPoint != 0 {
		t.Errorf("item read back: %+v, %v", got, err)
	}
	// Text is trimmed, and the unit defaults to "each".
	it, err = b.store.CreateItem(ctx, b.sc, domain.NewItem{SKU: "  TRIM-1 ", Name: " Bolt "})
	if err != nil || it.SKU != "TRIM-1" || it.Name != "Bolt" || it.Unit != "each" || it.ReorderPoint != nil {
		t.Errorf("trimmed item: %+v, %v", it, err)
	}
	if _, err := b.store.CreateLocation(ctx, b.sc, domain.NewLocation{Code: strings.Repeat("ç", 64), Name: strings.Repeat("n", 200)}); err != nil {
		t.Errorf("longest location: %v", err)
	}
}

// TestDuplicateSKUAndLocationCode refuses a sku or location code already
// taken in the tenant with DUPLICATE, after trimming, and writes nothing.
func TestDuplicateSKUAndLocationCode(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	for _, sku := range []string{"SKU-1", " SKU-1  "} {
		_, err := b.store.CreateItem(ctx, b.sc, domain.NewItem{SKU: sku, Name: "Another widget"})
		wantErr(t, err, domain.CodeDuplicate, "input", "sku")
	}
	for _, code := range []string{"A", "B "} {
		_, err := b.store.CreateLocation(ctx, b.sc, domain.NewLocation{Code: code, Name: "Another warehouse"})
		wantErr(t, err, domain.CodeDuplicate, "input", "code")
	}
	if it, err := b.store.ItemBySKU(ctx, b.sc, "SKU-1"); err != nil || it.ID != b.item.ID || it.Name != "Widget" {
		t.Errorf("the first item changed: %+v, %v", it, err)
	}
	var items, locations int
	err := b.db.Owner.QueryRow(ctx, `SELECT (SELECT count(*) FROM items WHERE tenant_id = $1),
		(SELECT count(*) FROM locations WHERE tenant_id = $1)`, b.sc.TenantID).Scan(&items, &locations)
	if err != nil || items != 1 || locations != 2 {
		t.Errorf("tenant has %d items and %d locations (%v), want 1 and 2", items, locations, err)
	}
	// A location code and a sku live in different namespaces.
	if _, err := b.store.CreateItem(ctx, b.sc, domain.NewItem{SKU: "A", Name: "Item named like a location"}); err != nil {
		t.Errorf("sku equal to a location code: %v", err)
	}
}

// TestTransferNamesMissingLocationDeterministically sends a transfer whose
// two locations both do not exist, forty times: the same request must name the
// same field every time, and the first one the caller gave.
func TestTransferNamesMissingLocationDeterministically(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	const otherMissing = "7a0d3e55-8f2b-4c61-b0a9-3e4d5c6b7a81"
	for range 40 {
		_, err := b.store.Transfer(ctx, b.sc, b.item.ID, missingID, otherMissing, 1, domain.Meta{})
		wantErr(t, err, domain.CodeNotFound, "input", "fromLocationId")
	}
}
