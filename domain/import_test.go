package domain_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/inventory-backbone/inventory/domain"
)

// runImport starts an import of content and runs its job at once, as the
// worker would, and returns the import as it ended.
func (b *testBundle) runImport(t *testing.T, kind domain.ImportKind, dryRun bool, content string) *domain.Import {
	t.Helper()
	ctx := context.Background()
	imp, err := b.store.StartImport(ctx, b.sc, domain.NewImport{Kind: kind, DryRun: dryRun, Filename: "file.csv", Content: []byte(content)})
	if err != nil {
		t.Fatalf("start import: %v", err)
	}
	if imp.Status != domain.ImportQueued {
		t.Fatalf("new import is %s, want QUEUED", imp.Status)
	}
	if err := b.store.RunImport(ctx, b.sc, imp.ID); err != nil {
		t.Fatalf("run import: %v", err)
	}
	imp, err = b.store.Import(ctx, b.sc, imp.ID)
	if err != nil {
		t.Fatal(err)
	}
	return imp
}

// catalogueEvents counts the tenant's item events.
func (b *testBundle) catalogueEvents(t *testing.T) int64 {
	t.Helper()
	var n int64
	if err := b.db.Owner.QueryRow(context.Background(), `SELECT count(*) FROM events WHERE tenant_id = $1 AND kind LIKE 'item.%'`,
		b.sc.TenantID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func itemsCSV(n int) string {
	var sb strings.Builder
	sb.WriteString("\ufeffsku,name,unit,reorderPoint,barcode\r\n")
	for i := range n {
		fmt.Fprintf(&sb, "IMP-%05d,\"Blue widget, size %d\",each,%d,40000%05d\r\n", i, i, i%7, i)
	}
	return sb.String()
}

// TestImportTenThousandItemsTwice imports 10,000 items, then the same file
// again: the second run changes nothing and writes no event.
func TestImportTenThousandItemsTwice(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	file := itemsCSV(10_000)
	events := b.catalogueEvents(t)
	imp := b.runImport(t, domain.ImportItems, false, file)
	if imp.Status != domain.ImportSucceeded || imp.RowsTotal == nil || *imp.RowsTotal != 10_000 || imp.RowsDone != 10_000 || imp.ErrorCount != 0 {
		t.Fatalf("first import: %+v", imp)
	}
	if got := b.catalogueEvents(t) - events; got != 10_000 {
		t.Errorf("first import wrote %d item events, want 10000", got)
	}
	it, err := b.store.ItemBySKU(ctx, b.sc, "IMP-00042")
	if err != nil || it.Name != "Blue widget, size 42" || it.Barcode == nil || *it.Barcode != "4000000042" || *it.ReorderPoint != 0 {
		t.Fatalf("imported item: %+v, %v", it, err)
	}
	events = b.catalogueEvents(t)
	again := b.runImport(t, domain.ImportItems, false, file)
	if again.Status != domain.ImportSucceeded {
		t.Fatalf("second import: %+v", again)
	}
	if got := b.catalogueEvents(t) - events; got != 0 {
		t.Errorf("the same file again wrote %d item events, want 0", got)
	}
	var n int
	if err := b.db.Owner.QueryRow(ctx, `SELECT count(*) FROM items WHERE tenant_id = $1 AND sku LIKE 'IMP-%'`, b.sc.TenantID).Scan(&n); err != nil || n != 10_000 {
		t.Errorf("items after two imports: %d, %v", n, err)
	}
	var file1 []byte
	if err := b.db.Owner.QueryRow(ctx, `SELECT file FROM imports WHERE tenant_id = $1 AND id = $2`, b.sc.TenantID, imp.ID).Scan(&file1); err != nil || file1 != nil {
		t.Errorf("the file of a processed import is kept (%d bytes, %v)", len(file1), err)
	}
}

// TestImportUpdatesBySkuAndKeepsEmptyCells checks that a row updates its
// item by sku, that empty optional cells keep the item's values, and that
// formula-looking cells are stored as text.
func TestImportUpdatesBySkuAndKeepsEmptyCells(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	if _, err := b.store.UpdateItem(ctx, b.sc, b.item.ID, domain.ItemChanges{Barcode: domain.Change[string]{Set: true, Value: ptr("111")},
		ReorderPoint: domain.Change[int64]{Set: true, Value: ptr[int64](4)}}); err != nil {
		t.Fatal(err)
	}
	imp := b.runImport(t, domain.ImportItems, false, "SKU,Name,Reorder point,barcode\nSKU-1,\"=HYPERLINK(\"\"http://x\"\")\",,\nNEW-1,@SUM(1+1),,\n")
	if imp.Status != domain.ImportSucceeded {
		t.Fatalf("import: %+v", imp)
	}
	it, err := b.store.Item(ctx, b.sc, b.item.ID)
	if err != nil || it.Name != `=HYPERLINK("http://x")` || *it.Barcode != "111" || *it.ReorderPoint != 4 || it.Unit != "each" {
		t.Fatalf("updated item: %+v, %v", it, err)
	}
	nw, err := b.store.ItemBySKU(ctx, b.sc, "NEW-1")
	if err != nil || nw.Name != "@SUM(1+1)" || nw.Barcode != nil || nw.ReorderPoint != nil {
		t.Fatalf("new item: %+v, %v", nw, err)
	}
}

// TestImportWithBadRowsAppliesNothing lists every bad row, with its line,
// column and code, and writes no item.
func TestImportWithBadRowsAppliesNothing(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	if _, err := b.store.UpdateItem(ctx, b.sc, b.item.ID, domain.ItemChanges{Barcode: domain.Change[string]{Set: true, Value: ptr("999")}}); err != nil {
		t.Fatal(err)
	}
	file := "sku,name,reorderPoint,barcode\n" +
		"OK-1,Fine,1,\n" + // line 2: good
		",No sku,,\n" + // 3: empty sku
		"OK-2,,,\n" + // 4: empty name
		"OK-3,Bad point,-1,\n" + // 5: negative reorder point
		"OK-1,Twice,,\n" + // 6: duplicate sku
		"OK-4,Taken barcode,,999\n" + // 7: barcode of SKU-1
		"OK-5,Too,many,cells,here\n" + // 8: wrong cell count
		"OK-6,Fine too,,\n"
	before := b.counts(t)
	events := b.catalogueEvents(t)
	imp := b.runImport(t, domain.ImportItems, false, file)
	if imp.Status != domain.ImportFailed || imp.ErrorCount != 6 || *imp.RowsTotal != 8 {
		t.Fatalf("import: %+v", imp)
	}
	errs, err := b.store.ImportErrors(ctx, b.sc, imp.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range errs {
		col := ""
		if e.Column != nil {
			col = *e.Column
		}
		got = append(got, fmt.Sprintf("%d %s %s", e.Row, col, e.Code))
	}
	want := []string{"3 sku VALIDATION", "4 name VALIDATION", "5 reorderPoint VALIDATION", "6 sku DUPLICATE", "7 barcode DUPLICATE", "8  VALIDATION"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("row errors:\n got %v\nwant %v", got, want)
	}
	if _, err := b.store.ItemBySKU(ctx, b.sc, "OK-1"); err == nil {
		t.Error("a failed import created an item")
	}
	if b.catalogueEvents(t) != events {
		t.Error("a failed import wrote item events")
	}
	b.assertUnchanged(t, "failed import", before)
}

// TestImportDryRunWritesNothing checks a clean file in a dry run: it
// succeeds and creates nothing.
func TestImportDryRunWritesNothing(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	events := b.catalogueEvents(t)
	imp := b.runImport(t, domain.ImportItems, true, itemsCSV(50))
	if imp.Status != domain.ImportSucceeded || !imp.DryRun || *imp.RowsTotal != 50 {
		t.Fatalf("dry run: %+v", imp)
	}
	if _, err := b.store.ItemBySKU(ctx, b.sc, "IMP-00001"); err == nil {
		t.Error("a dry run created an item")
	}
	if b.catalogueEvents(t) != events {
		t.Error("a dry run wrote item events")
	}
	b.receive(t, b.locA, 5)
	before := b.counts(t)
	imp = b.runImport(t, domain.ImportStockCounts, true, "sku,locationCode,countedQuantity\nSKU-1,A,1\n")
	if imp.Status != domain.ImportSucceeded {
		t.Fatalf("count dry run: %+v", imp)
	}
	b.assertUnchanged(t, "count dry run", before)
}

// TestImportCountsMoveOnlyTheLevelsNamed counts some levels and checks that
// exactly those moved, as one batch, and that the same file again moves
// nothing.
func TestImportCountsMoveOnlyTheLevelsNamed(t *testing.T) {
	b := setup(t)
	other := b.newItem(t, "SKU-2")
	b.receive(t, b.locA, 10)
	b.receive(t, b.locB, 10)
	if _, err := b.store.Receive(context.Background(), b.sc, other.ID, b.locA.ID, 10, domain.Meta{}); err != nil {
		t.Fatal(err)
	}
	file := "sku,locationCode,countedQuantity\nSKU-1,A,7\nSKU-2,B,3\n"
	before := b.counts(t)
	imp := b.runImport(t, domain.ImportStockCounts, false, file)
	if imp.Status != domain.ImportSucceeded || *imp.RowsTotal != 2 {
		t.Fatalf("count import: %+v", imp)
	}
	after := b.counts(t)
	if after.Movements-before.Movements != 2 || after.Events-before.Events != 1 {
		t.Errorf("count import wrote %d movements and %d events, want 2 and 1", after.Movements-before.Movements, after.Events-before.Events)
	}
	for _, c := range []struct {
		item, loc string
		want      int64
	}{{b.item.ID, b.locA.ID, 7}, {b.item.ID, b.locB.ID, 10}, {other.ID, b.locA.ID, 10}, {other.ID, b.locB.ID, 3}} {
		if got := b.levelOf(t, c.item, c.loc).Available; got != c.want {
			t.Errorf("level %s@%s: available %d, want %d", c.item, c.loc, got, c.want)
		}
	}
	before = b.counts(t)
	if imp := b.runImport(t, domain.ImportStockCounts, false, file); imp.Status != domain.ImportSucceeded {
		t.Fatalf("the same counts again: %+v", imp)
	}
	before.Keys++ // the second import's batch claims its own idempotency key, and moves nothing
	b.assertUnchanged(t, "the same counts again", before)

	imp = b.runImport(t, domain.ImportStockCounts, false, "sku,locationCode,countedQuantity\nSKU-1,A,1\nNOPE,A,1\nSKU-1,Z,1\nSKU-2,A,x\n")
	if imp.Status != domain.ImportFailed || imp.ErrorCount != 3 {
		t.Fatalf("bad counts: %+v", imp)
	}
	b.assertUnchanged(t, "bad counts", before)
}

// TestImportRefusesFilesThatAreNotCSV checks the checks made before a file
// is stored: size, encoding, delimiter, header.
func TestImportRefusesFilesThatAreNotCSV(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	small := domain.NewStore(b.db.App, domain.WithImportMaxBytes(1024))
	cases := []struct {
		name    string
		store   *domain.Store
		content []byte
		message string
	}{
		{"oversized", small, bytes.Repeat([]byte("a"), 1025), "at most 1024"},
		{"empty", b.store, nil, "empty"},
		{"spreadsheet", b.store, []byte("PK\x03\x04rest of a zip"), "spreadsheet"},
		{"latin-1", b.store, []byte("sku,name\nA,Caf\xe9\n"), "line 2 is not UTF-8"},
		{"utf-16", b.store, []byte("\xff\xfes\x00k\x00u\x00"), "UTF-16"},
		{"semicolons", b.store, []byte("sku;name\nA;B\n"), `";"`},
		{"unknown column", b.store, []byte("sku,name,colour\nA,B,red\n"), `unknown column "colour"`},
		{"missing column", b.store, []byte("sku\nA\n"), `lacks column "name"`},
		{"column twice", b.store, []byte("sku,name,SKU\nA,B,C\n"), `"sku" twice`},
	}
	for _, tc := range cases {
		_, err := tc.store.StartImport(ctx, b.sc, domain.NewImport{Kind: domain.ImportItems, Content: tc.content})
		wantErr(t, err, domain.CodeValidation, "input", "file")
		if err == nil || !strings.Contains(err.Error(), tc.message) {
			t.Errorf("%s: got %v, want a message containing %s", tc.name, err, tc.message)
		}
	}
	var n int
	if err := b.db.Owner.QueryRow(ctx, `SELECT count(*) FROM imports WHERE tenant_id = $1`, b.sc.TenantID).Scan(&n); err != nil || n != 0 {
		t.Errorf("refused files stored %d imports (%v)", n, err)
	}
}

// TestCatalogueSearchAndBarcodes checks search by sku prefix, barcode and
// name words, case-insensitively, archived items left out unless asked for,
// and barcode uniqueness.
func TestCatalogueSearchAndBarcodes(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	imp := b.runImport(t, domain.ImportItems, false, "sku,name,barcode\n"+
		"TSHIRT-RED-S,Red cotton T-shirt small,5012345678900\n"+
		"TSHIRT-RED-M,Red cotton T-shirt medium,5012345678917\n"+
		"MUG-01,Coffee mug 100% ceramic,\n"+
		"mug_02,Tea cup,\n")
	if imp.Status != domain.ImportSucceeded {
		t.Fatalf("import: %+v", imp)
	}
	search := func(q string, archived bool) []string {
		t.Helper()
		page, err := b.store.SearchItems(ctx, b.sc, domain.ItemFilter{Query: q, IncludeArchived: archived}, domain.PageRequest{})
		if err != nil {
			t.Fatal(err)
		}
		var skus []string
		for _, it := range page.Rows {
			skus = append(skus, it.SKU)
		}
		return skus
	}
	for q, want := range map[string]string{
		"tshirt-red":    "TSHIRT-RED-M TSHIRT-RED-S",
		"5012345678917": "TSHIRT-RED-M",
		"COTTON small":  "TSHIRT-RED-S",
		"red medium":    "TSHIRT-RED-M",
		"mug":           "MUG-01 mug_02",
		"MUG_":          "MUG-01 mug_02",
		"100%":          "MUG-01",
		"cup tea":       "mug_02",
		"nothing":       "",
		"":              "MUG-01 SKU-1 TSHIRT-RED-M TSHIRT-RED-S mug_02",
	} {
		if got := strings.Join(search(q, false), " "); got != want {
			t.Errorf("search %q: got %q, want %q", q, got, want)
		}
	}
	red, err := b.store.ItemBySKU(ctx, b.sc, "TSHIRT-RED-S")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := b.store.ItemByBarcode(ctx, b.sc, "5012345678900"); err != nil || got.ID != red.ID {
		t.Errorf("by barcode: %+v, %v", got, err)
	}
	_, err = b.store.UpdateItem(ctx, b.sc, b.item.ID, domain.ItemChanges{Barcode: domain.Change[string]{Set: true, Value: ptr("5012345678900")}})
	wantErr(t, err, domain.CodeDuplicate, "input", "barcode")
	_, err = b.store.CreateItem(ctx, b.sc, domain.NewItem{SKU: "X", Name: "X", Barcode: ptr("5012345678900")})
	wantErr(t, err, domain.CodeDuplicate, "input", "barcode")
	if _, err := b.store.ArchiveItem(ctx, b.sc, red.ID); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(search("tshirt", false), " "); got != "TSHIRT-RED-M" {
		t.Errorf("search leaves archived out: got %q", got)
	}
	if got := strings.Join(search("tshirt", true), " "); got != "TSHIRT-RED-M TSHIRT-RED-S" {
		t.Errorf("search with archived: got %q", got)
	}
	// Clearing a barcode frees it.
	if _, err := b.store.UpdateItem(ctx, b.sc, red.ID, domain.ItemChanges{Barcode: domain.Change[string]{Set: true}}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.store.UpdateItem(ctx, b.sc, b.item.ID, domain.ItemChanges{Barcode: domain.Change[string]{Set: true, Value: ptr("5012345678900")},
		Name: ptr("Renamed")}); err != nil {
		t.Fatalf("take a freed barcode: %v", err)
	}
	// A new name is searched by its words, the old one no longer.
	if got := strings.Join(search("renam", false), " "); got != "SKU-1" {
		t.Errorf("search a new name: got %q", got)
	}
	if got := strings.Join(search("widget", false), " "); got != "" {
		t.Errorf("search an old name: got %q", got)
	}
}

// TestImportSwapsBarcodes moves two items' barcodes onto each other in one
// file: uniqueness holds at the end, so the import succeeds.
func TestImportSwapsBarcodes(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	if imp := b.runImport(t, domain.ImportItems, false, "sku,name,barcode\nSW-1,One,111\nSW-2,Two,222\n"); imp.Status != domain.ImportSucceeded {
		t.Fatalf("first: %+v", imp)
	}
	if imp := b.runImport(t, domain.ImportItems, false, "sku,name,barcode\nSW-1,One,222\nSW-2,Two,111\n"); imp.Status != domain.ImportSucceeded {
		t.Fatalf("swap: %+v", imp)
	}
	if it, err := b.store.ItemByBarcode(ctx, b.sc, "111"); err != nil || it.SKU != "SW-2" {
		t.Errorf("barcode 111 is on %+v (%v), want SW-2", it, err)
	}
}
