package domain_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"testing"

	"github.com/inventory-backbone/inventory/domain"
)

// walk pages through a list with pages of size first and returns the keys
// of each page, checking that cursors and hasNextPage agree with the rows.
func walk[T any](t *testing.T, first int64, key func(T) string,
	list func(domain.PageRequest) (*domain.Page[T], error)) [][]string {
	t.Helper()
	var pages [][]string
	var after *string
	for range 1000 {
		p, err := list(domain.PageRequest{First: &first, After: after})
		if err != nil {
			t.Fatalf("page %d: %v", len(pages)+1, err)
		}
		if len(p.Cursors) != len(p.Rows) {
			t.Fatalf("page %d: %d cursors for %d rows", len(pages)+1, len(p.Cursors), len(p.Rows))
		}
		var keys []string
		for _, r := range p.Rows {
			keys = append(keys, key(r))
		}
		pages = append(pages, keys)
		if !p.HasNextPage {
			return pages
		}
		if len(p.Cursors) == 0 {
			t.Fatalf("page %d: hasNextPage without a cursor", len(pages))
		}
		after = &p.Cursors[len(p.Cursors)-1]
	}
	t.Fatal("more than 1,000 pages")
	return nil
}

// TestItemsPagination pages through seven items three at a time, in sku
// order, and checks the page size limits and the cursor's validation.
func TestItemsPagination(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	for _, sku := range []string{"P-04", "P-02", "P-06", "P-01", "P-05", "P-03"} {
		b.newItem(t, sku)
	}
	list := func(pr domain.PageRequest) (*domain.Page[*domain.Item], error) { return b.store.Items(ctx, b.sc, pr) }
	sku := func(i *domain.Item) string { return i.SKU }

	got := walk(t, 3, sku, list)
	want := [][]string{{"P-01", "P-02", "P-03"}, {"P-04", "P-05", "P-06"}, {"SKU-1"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("pages of 3: %v, want %v", got, want)
	}
	// A page that ends exactly at the end says there is no next page.
	got = walk(t, 7, sku, list)
	if fmt.Sprint(got) != "[[P-01 P-02 P-03 P-04 P-05 P-06 SKU-1]]" {
		t.Errorf("a page of 7: %v", got)
	}
	all, err := list(domain.PageRequest{})
	if err != nil || len(all.Rows) != 7 || all.HasNextPage {
		t.Errorf("default page: %d rows, hasNextPage %v, %v", len(all.Rows), all.HasNextPage, err)
	}
	none, err := list(domain.PageRequest{First: ptr(int64(0))})
	if err != nil || len(none.Rows) != 0 || !none.HasNextPage {
		t.Errorf("first 0: %+v, %v; want no rows and hasNextPage", none, err)
	}
	// After the last item, nothing.
	last, err := list(domain.PageRequest{After: &all.Cursors[6]})
	if err != nil || len(last.Rows) != 0 || last.HasNextPage {
		t.Errorf("after the last item: %+v, %v", last, err)
	}
	checkPageRequestValidation(t, func(pr domain.PageRequest) error { _, err := list(pr); return err },
		foreignCursor(t, b, "locations"))
	if _, err := list(domain.PageRequest{First: ptr(int64(domain.MaxPageSize))}); err != nil {
		t.Errorf("first %d: %v", domain.MaxPageSize, err)
	}
}

// TestLocationsPagination pages through five locations two at a time, in
// code order.
func TestLocationsPagination(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	for _, code := range []string{"E", "C", "D"} {
		b.newLocation(t, code)
	}
	list := func(pr domain.PageRequest) (*domain.Page[*domain.Location], error) {
		return b.store.Locations(ctx, b.sc, pr)
	}
	got := walk(t, 2, func(l *domain.Location) string { return l.Code }, list)
	if fmt.Sprint(got) != "[[A B] [C D] [E]]" {
		t.Errorf("pages of 2: %v", got)
	}
	checkPageRequestValidation(t, func(pr domain.PageRequest) error { _, err := list(pr); return err },
		foreignCursor(t, b, "items"))
}

// TestMovementsPagination pages through the ledger newest first, whole and
// filtered by item and by location.
func TestMovementsPagination(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	other := b.newItem(t, "SKU-2")
	var ids []string // oldest first
	record := func(c *domain.StockChange, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, movementIDs(c)...)
	}
	for q := range int64(5) {
		record(b.store.Receive(ctx, b.sc, b.item.ID, b.locA.ID, q+1, domain.Meta{}))
	}
	record(b.store.Receive(ctx, b.sc, other.ID, b.locA.ID, 9, domain.Meta{}))
	record(b.store.Transfer(ctx, b.sc, b.item.ID, b.locA.ID, b.locB.ID, 4, domain.Meta{}))
	// ids: 5 receipts of the item at A, 1 of the other item, TRANSFER_OUT at A, TRANSFER_IN at B.
	newestFirst := slices.Clone(ids)
	slices.Reverse(newestFirst)

	id := func(m *domain.Movement) string { return m.ID }
	list := func(f domain.MovementFilter) func(domain.PageRequest) (*domain.Page[*domain.Movement], error) {
		return func(pr domain.PageRequest) (*domain.Page[*domain.Movement], error) {
			return b.store.Movements(ctx, b.sc, f, pr)
		}
	}
	got := walk(t, 3, id, list(domain.MovementFilter{}))
	want := [][]string{newestFirst[0:3], newestFirst[3:6], newestFirst[6:8]}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("pages of 3: %v, want %v", got, want)
	}

	byItem := walk(t, 4, id, list(domain.MovementFilter{ItemID: &b.item.ID}))
	wantItem := [][]string{{ids[7], ids[6], ids[4], ids[3]}, {ids[2], ids[1], ids[0]}}
	if fmt.Sprint(byItem) != fmt.Sprint(wantItem) {
		t.Errorf("by item: %v, want %v", byItem, wantItem)
	}
	byLocation := walk(t, 10, id, list(domain.MovementFilter{LocationID: &b.locB.ID}))
	if fmt.Sprint(byLocation) != fmt.Sprint([][]string{{ids[7]}}) {
		t.Errorf("by location B: %v, want [[%s]]", byLocation, ids[7])
	}
	both := walk(t, 10, id, list(domain.MovementFilter{ItemID: &other.ID, LocationID: &b.locA.ID}))
	if fmt.Sprint(both) != fmt.Sprint([][]string{{ids[5]}}) {
		t.Errorf("by item and location: %v, want [[%s]]", both, ids[5])
	}
	page, err := b.store.Movements(ctx, b.sc, domain.MovementFilter{ItemID: ptr("not-an-id")}, domain.PageRequest{})
	if err != nil || len(page.Rows) != 0 || page.HasNextPage {
		t.Errorf("filter by a malformed id: %+v, %v; want an empty page", page, err)
	}

	m, err := b.store.Movements(ctx, b.sc, domain.MovementFilter{}, domain.PageRequest{First: ptr(int64(1))})
	if err != nil || len(m.Rows) != 1 {
		t.Fatalf("first movement: %+v, %v", m, err)
	}
	if in := m.Rows[0]; in.Kind != domain.KindTransferIn || in.LocationID != b.locB.ID || in.Quantity != 4 || in.Actor != "tester" {
		t.Errorf("newest movement: %+v", in)
	}

	list0 := list(domain.MovementFilter{})
	checkPageRequestValidation(t, func(pr domain.PageRequest) error { _, err := list0(pr); return err },
		foreignCursor(t, b, "items"))
	// A forged cursor with the movements' prefix but no movement id.
	_, err = list0(domain.PageRequest{After: ptr(encodeTestCursor("movement:abc"))})
	wantErr(t, err, domain.CodeValidation, "after")
}

// checkPageRequestValidation checks that a list refuses first out of range
// and cursors that are not its own, and treats an empty cursor as none.
func checkPageRequestValidation(t *testing.T, list func(domain.PageRequest) error, foreignCursor string) {
	t.Helper()
	for _, first := range []int64{-1, domain.MaxPageSize + 1, 1 << 40} {
		wantErr(t, list(domain.PageRequest{First: &first}), domain.CodeValidation, "first")
	}
	for _, after := range []string{"garbage!", "%%%", foreignCursor, encodeTestCursor("no prefix"), "bW92ZW1lbnQ6MQ=="} {
		wantErr(t, list(domain.PageRequest{After: &after}), domain.CodeValidation, "after")
	}
	if err := list(domain.PageRequest{After: ptr("")}); err != nil {
		t.Errorf("an empty cursor: %v", err)
	}
}

// foreignCursor returns a genuine cursor of another list: "items" or
// "locations".
func foreignCursor(t *testing.T, b *testBundle, of string) string {
	t.Helper()
	ctx := context.Background()
	var cursors []string
	switch of {
	case "items":
		p, err := b.store.Items(ctx, b.sc, domain.PageRequest{})
		if err != nil {
			t.Fatal(err)
		}
		cursors = p.Cursors
	case "locations":
		p, err := b.store.Locations(ctx, b.sc, domain.PageRequest{})
		if err != nil {
			t.Fatal(err)
		}
		cursors = p.Cursors
	}
	if len(cursors) == 0 {
		t.Fatalf("no %s cursor to borrow", of)
	}
	return cursors[0]
}

// encodeTestCursor encodes a cursor the way the lists do, to forge one.
func encodeTestCursor(raw string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}
