package httpserver_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/tenancy"
)

// BenchmarkBatchLines compares, in one run, the stock lines per second of
// 1,000-line recordStockChanges batches (ships named by sku and location
// code) with one shipStock request per line (by id), both over HTTP through
// the whole service from one client, one request at a time. The lines/s
// metrics are the figures to compare.
//
// Run it with: go test -run '^$' -bench BenchmarkBatchLines -benchtime 5x .
func BenchmarkBatchLines(b *testing.B) {
	s := newTestServer(b)
	ctx := context.Background()
	tenant := s.tenant(b)
	op := s.token(b, tenant, "bench", tenancy.Operator)
	sc := domain.Scope{TenantID: tenant, Actor: "bench"}
	loc, err := s.store.CreateLocation(ctx, sc, domain.NewLocation{Code: "WH", Name: "Warehouse"})
	if err != nil {
		b.Fatal(err)
	}
	const lines = 1000
	ids := make([]string, lines)
	receive := make([]domain.StockChangeLine, lines)
	for i := range lines {
		it, err := s.store.CreateItem(ctx, sc, domain.NewItem{SKU: fmt.Sprintf("BATCH-%04d", i), Name: "Bench item"})
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = it.ID
		q := int64(benchStock)
		receive[i] = domain.StockChangeLine{Kind: domain.ChangeReceive, ItemID: &it.ID, LocationID: &loc.ID, Quantity: &q}
	}
	if _, err := s.store.RecordStockChanges(ctx, sc, receive, domain.Meta{}); err != nil {
		b.Fatal(err)
	}
	batch := make([]map[string]any, lines)
	for i := range lines {
		batch[i] = map[string]any{"kind": "SHIP", "sku": fmt.Sprintf("BATCH-%04d", i), "locationCode": "WH", "quantity": 1}
	}
	const ship = `mutation($i: ID!, $l: ID!) { shipStock(input: {itemId: $i, locationId: $l, quantity: 1}) { userErrors { code } } }`
	b.Run("recordStockChanges-1000", func(b *testing.B) {
		for range b.N {
			status, resp := s.post(b, op, `mutation($input: RecordStockChangesInput!) {
				recordStockChanges(input: $input) { stockLevels { available } userErrors { code message } } }`,
				map[string]any{"input": map[string]any{"lines": batch}})
			if status != http.StatusOK || len(resp.Errors) > 0 || strings.Contains(string(resp.Data), `"code"`) {
				b.Fatalf("batch: %d %s %+v", status, resp.Data, resp.Errors)
			}
		}
		b.ReportMetric(float64(lines*b.N)/b.Elapsed().Seconds(), "lines/s")
	})
	b.Run("shipStock-per-line", func(b *testing.B) {
		for range b.N {
			for i := range lines {
				status, resp := s.post(b, op, ship, map[string]any{"i": ids[i], "l": loc.ID})
				if status != http.StatusOK || len(resp.Errors) > 0 || strings.Contains(string(resp.Data), `"code"`) {
					b.Fatalf("ship: %d %s %+v", status, resp.Data, resp.Errors)
				}
			}
		}
		b.ReportMetric(float64(lines*b.N)/b.Elapsed().Seconds(), "lines/s")
	})
}

// benchWords make up item names that search has to tell apart.
var benchWords = [][]string{
	{"blue", "red", "green", "black", "white", "grey", "yellow", "orange", "purple", "brown", "navy", "olive"},
	{"cotton", "wool", "linen", "steel", "oak", "ceramic", "glass", "leather", "bamboo", "nylon", "copper", "silk"},
	{"shirt", "mug", "chair", "lamp", "bottle", "scarf", "table", "bowl", "jacket", "knife", "pan", "towel", "basket", "clock"},
	{"small", "medium", "large", "xl", "mini", "family", "travel", "pro"},
}

// benchItemsCSV is an ITEMS file of n items with realistic names, skus and
// barcodes.
func benchItemsCSV(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 1))
	var sb strings.Builder
	sb.WriteString("sku,name,unit,reorderPoint,barcode\n")
	for i := range n {
		name := make([]string, len(benchWords))
		for j, ws := range benchWords {
			name[j] = ws[rng.IntN(len(ws))]
		}
		fmt.Fprintf(&sb, "%s-%06d,%s %d,each,%d,50%011d\n", strings.ToUpper(name[2][:3]), i, strings.Join(name, " "), i, rng.IntN(20), i)
	}
	return []byte(sb.String())
}

// peakHeap samples the Go heap until stop is called, and returns the
// highest HeapInuse seen.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak.Load()
	}
}

// BenchmarkImportItems measures an import of 100,000 new items: StartImport
// (the checks and storing the file) and the job's RunImport, each iteration
// into a fresh tenant. It reports the wall time per import and the peak Go
// heap in use during it (sampled every 5 ms; the process's heap before the
// import is included, about the test server's).
//
// Run it with: go test -run '^$' -bench BenchmarkImportItems -benchtime 3x .
func BenchmarkImportItems(b *testing.B) {
	s := newTestServer(b)
	ctx := context.Background()
	file := benchItemsCSV(100_000, 1)
	var worst uint64
	for range b.N {
		b.StopTimer()
		sc := domain.Scope{TenantID: s.tenant(b), Actor: "bench"}
		runtime.GC()
		b.StartTimer()
		stop := peakHeap()
		imp, err := s.store.StartImport(ctx, sc, domain.NewImport{Kind: domain.ImportItems, Filename: "items.csv", Content: file})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.store.RunImport(ctx, sc, imp.ID); err != nil {
			b.Fatal(err)
		}
		worst = max(worst, stop())
		b.StopTimer()
		if imp, err = s.store.Import(ctx, sc, imp.ID); err != nil || imp.Status != domain.ImportSucceeded {
			b.Fatalf("import: %+v, %v", imp, err)
		}
		b.StartTimer()
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/import")
	b.ReportMetric(float64(worst)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(len(file))/(1<<20), "file-MiB")
}

// BenchmarkItemsQuery measures items(query:) over HTTP, first 50, in a tenant
// of 100,000 items (another tenant of 100,000 shares the tables), with a mix
// of sku prefixes, barcodes and name words (one to three), and reports the
// median and the 99th percentile latency. The tables are vacuumed and
// analysed after the load, as autovacuum does after a bulk load.
//
// Run it with: go test -run '^$' -bench BenchmarkItemsQuery -benchtime 2000x .
func BenchmarkItemsQuery(b *testing.B) {
	s := newTestServer(b)
	ctx := context.Background()
	var tenant string
	for i := range 2 {
		tenant = s.tenant(b)
		sc := domain.Scope{TenantID: tenant, Actor: "bench"}
		imp, err := s.store.StartImport(ctx, sc, domain.NewImport{Kind: domain.ImportItems, Content: benchItemsCSV(100_000, uint64(i+1))})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.store.RunImport(ctx, sc, imp.ID); err != nil {
			b.Fatal(err)
		}
	}
	for _, table := range []string{"items", "item_words"} { // as autovacuum would, after a bulk load
		if _, err := s.db.Owner.Exec(ctx, "VACUUM ANALYZE "+table); err != nil {
			b.Fatal(err)
		}
	}
	viewer := s.token(b, tenant, "bench", tenancy.Viewer)
	rng := rand.New(rand.NewPCG(9, 9))
	queries := func() string {
		switch rng.IntN(6) {
		case 0: // a sku prefix
			return fmt.Sprintf("%s-%03d", strings.ToUpper(benchWords[2][rng.IntN(len(benchWords[2]))][:3]), rng.IntN(1000))
		case 1: // a barcode
			return fmt.Sprintf("50%011d", rng.IntN(100_000))
		case 2: // one common word
			return benchWords[2][rng.IntN(len(benchWords[2]))]
		case 3: // two words
			return benchWords[0][rng.IntN(len(benchWords[0]))] + " " + benchWords[1][rng.IntN(len(benchWords[1]))]
		case 4: // three words, a narrow result
			return benchWords[0][rng.IntN(len(benchWords[0]))] + " " + benchWords[1][rng.IntN(len(benchWords[1]))] + " " +
				benchWords[2][rng.IntN(len(benchWords[2]))]
		default: // a word that matches nothing
			return "zebra"
		}
	}
	const q = `query($q: String) { items(query: $q, first: 50) { nodes { id sku name barcode } pageInfo { hasNextPage } } }`
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		text := queries()
		start := time.Now()
		status, resp := s.post(b, viewer, q, map[string]any{"q": text})
		lat = append(lat, time.Since(start))
		if status != http.StatusOK || len(resp.Errors) > 0 {
			b.Fatalf("query %q: %d %+v", text, status, resp.Errors)
		}
	}
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
