package domain_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/domain"
)

// batchCatalogue creates n items (sku B-0000…) in the bundle's tenant, in one
// go, and returns their ids.
func batchCatalogue(t *testing.T, b *testBundle, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range n {
		ids[i] = b.newItem(t, fmt.Sprintf("B-%04d", i)).ID
	}
	return ids
}

// TestBatchOfAThousandLinesCommitsAtomically records 1,000 lines of every
// kind, by id and by sku/code, and checks the result: one operation, one
// event, levels as the lines leave them, ledger equal to projection.
func TestBatchOfAThousandLinesCommitsAtomically(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	ids := batchCatalogue(t, b, 200)
	var lines []domain.StockChangeLine
	for i := range 200 { // 5 lines per item: receive 10 at A, ship 2, transfer 3 to B, adjust +1 at B with compare, count A to 4
		sku := fmt.Sprintf("B-%04d", i)
		lines = append(lines,
			domain.StockChangeLine{Kind: domain.ChangeReceive, SKU: &sku, LocationCode: ptr("A"), Quantity: ptr[int64](10)},
			domain.StockChangeLine{Kind: domain.ChangeShip, ItemID: &ids[i], LocationID: &b.locA.ID, Quantity: ptr[int64](2)},
			domain.StockChangeLine{Kind: domain.ChangeTransfer, SKU: &sku, LocationCode: ptr("A"), ToLocationCode: ptr("B"), Quantity: ptr[int64](3)},
			domain.StockChangeLine{Kind: domain.ChangeAdjust, SKU: &sku, LocationID: &b.locB.ID, Delta: ptr[int64](1), CompareQuantity: ptr[int64](3), Reason: ptr("found one")},
			domain.StockChangeLine{Kind: domain.ChangeCount, ItemID: &ids[i], LocationCode: ptr("A"), CountedQuantity: ptr[int64](4)},
		)
	}
	before := b.counts(t)
	c, err := b.store.RecordStockChanges(ctx, b.sc, lines, domain.Meta{Reference: ptr("nightly sync")})
	if err != nil {
		t.Fatalf("record: %v", err)
	}
	after := b.counts(t)
	// Per item: RECEIPT, SHIPMENT, TRANSFER_OUT, TRANSFER_IN, ADJUSTMENT, COUNT (5 → 4).
	if got, want := len(c.Movements), 200*6; got != want {
		t.Errorf("movements: got %d, want %d", got, want)
	}
	if after.Movements-before.Movements != 1200 || after.Events-before.Events != 1 {
		t.Errorf("wrote %d movements and %d events, want 1200 and 1", after.Movements-before.Movements, after.Events-before.Events)
	}
	if len(c.Levels) != 400 {
		t.Errorf("levels in the change: got %d, want 400", len(c.Levels))
	}
	for _, m := range c.Movements {
		if m.OperationID != c.OperationID {
			t.Fatalf("movement %s has operation %s, want %s", m.ID, m.OperationID, c.OperationID)
		}
		if m.Kind == domain.KindAdjustment && (m.Reason == nil || *m.Reason != "found one") {
			t.Errorf("adjustment reason: got %v, want the line's", m.Reason)
		}
		if m.Reference == nil || *m.Reference != "nightly sync" {
			t.Errorf("reference: got %v, want the batch's", m.Reference)
		}
	}
	for i := range 200 {
		a, bb := b.levelOf(t, ids[i], b.locA.ID), b.levelOf(t, ids[i], b.locB.ID)
		if a.Available != 4 || bb.Available != 4 || a.Incoming != 0 || bb.Incoming != 0 {
			t.Fatalf("item %d: A available %d, B available %d; want 4 and 4", i, a.Available, bb.Available)
		}
	}
}

// TestBatchFailingLineRollsBackAll checks that one bad line, wherever it is
// and whatever its fault, leaves nothing written and is named by its path.
func TestBatchFailingLineRollsBackAll(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 5)
	sku := "SKU-1"
	good := func() []domain.StockChangeLine {
		var lines []domain.StockChangeLine
		for range 998 {
			lines = append(lines, domain.StockChangeLine{Kind: domain.ChangeReceive, SKU: &sku, LocationCode: ptr("B"), Quantity: ptr[int64](1)})
		}
		return lines
	}
	cases := []struct {
		name  string
		bad   []domain.StockChangeLine
		code  domain.Code
		field []string
	}{
		{"unknown sku", []domain.StockChangeLine{{Kind: domain.ChangeReceive, SKU: ptr("NOPE"), LocationCode: ptr("A"), Quantity: ptr[int64](1)}},
			domain.CodeNotFound, []string{"input", "lines", "998", "sku"}},
		{"unknown location code", []domain.StockChangeLine{{Kind: domain.ChangeShip, SKU: &sku, LocationCode: ptr("Z"), Quantity: ptr[int64](1)}},
			domain.CodeNotFound, []string{"input", "lines", "998", "locationCode"}},
		{"stock an earlier line took", []domain.StockChangeLine{
			{Kind: domain.ChangeShip, SKU: &sku, LocationCode: ptr("A"), Quantity: ptr[int64](4)},
			{Kind: domain.ChangeShip, ItemID: &b.item.ID, LocationID: &b.locA.ID, Quantity: ptr[int64](2)}},
			domain.CodeInsufficientStock, []string{"input", "lines", "999", "quantity"}},
		{"compare against an earlier line's result", []domain.StockChangeLine{
			{Kind: domain.ChangeReceive, SKU: &sku, LocationCode: ptr("A"), Quantity: ptr[int64](1)},
			{Kind: domain.ChangeAdjust, SKU: &sku, LocationCode: ptr("A"), Delta: ptr[int64](-1), CompareQuantity: ptr[int64](5), Reason: ptr("x")}},
			domain.CodeVersionConflict, []string{"input", "lines", "999", "compareQuantity"}},
		{"count below reserved? no: negative adjust beyond", []domain.StockChangeLine{
			{Kind: domain.ChangeAdjust, SKU: &sku, LocationCode: ptr("A"), Delta: ptr[int64](-6), Reason: ptr("x")}},
			domain.CodeInsufficientStock, []string{"input", "lines", "998", "delta"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := b.counts(t)
			_, err := b.store.RecordStockChanges(ctx, b.sc, append(good(), tc.bad...), domain.Meta{IdempotencyKey: ptr("k-" + tc.name)})
			wantErr(t, err, tc.code, tc.field...)
			b.assertUnchanged(t, tc.name, before)
		})
	}
}

// TestBatchValidationBeforeAnythingRuns checks the input checks: the line
// limit, each kind's fields, and ids or skus but not both.
func TestBatchValidationBeforeAnythingRuns(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	sku := "SKU-1"
	line := domain.StockChangeLine{Kind: domain.ChangeReceive, SKU: &sku, LocationCode: ptr("A"), Quantity: ptr[int64](1)}
	tooMany := make([]domain.StockChangeLine, domain.MaxBatchLines+1)
	for i := range tooMany {
		tooMany[i] = line
	}
	before := b.counts(t)
	_, err := b.store.RecordStockChanges(ctx, b.sc, tooMany, domain.Meta{})
	wantErr(t, err, domain.CodeValidation, "input", "lines")
	_, err = b.store.RecordStockChanges(ctx, b.sc, nil, domain.Meta{})
	wantErr(t, err, domain.CodeValidation, "input", "lines")
	bad := []struct {
		line  domain.StockChangeLine
		field string
	}{
		{domain.StockChangeLine{Kind: domain.ChangeReceive, SKU: &sku, ItemID: &b.item.ID, LocationCode: ptr("A"), Quantity: ptr[int64](1)}, "itemId"},
		{domain.StockChangeLine{Kind: domain.ChangeReceive, LocationCode: ptr("A"), Quantity: ptr[int64](1)}, "itemId"},
		{domain.StockChangeLine{Kind: domain.ChangeReceive, SKU: &sku, Quantity: ptr[int64](1)}, "locationId"},
		{domain.StockChangeLine{Kind: domain.ChangeReceive, SKU: &sku, LocationID: ptr("not-an-id"), Quantity: ptr[int64](1)}, "locationId"},
		{domain.StockChangeLine{Kind: domain.ChangeReceive, SKU: &sku, LocationCode: ptr("A")}, "quantity"},
		{domain.StockChangeLine{Kind: domain.ChangeReceive, SKU: &sku, LocationCode: ptr("A"), Quantity: ptr[int64](0)}, "quantity"},
		{domain.StockChangeLine{Kind: domain.ChangeShip, SKU: &sku, LocationCode: ptr("A"), Quantity: ptr[int64](1), Delta: ptr[int64](1)}, "delta"},
		{domain.StockChangeLine{Kind: domain.ChangeAdjust, SKU: &sku, LocationCode: ptr("A"), Delta: ptr[int64](1)}, "reason"},
		{domain.StockChangeLine{Kind: domain.ChangeAdjust, SKU: &sku, LocationCode: ptr("A"), Delta: ptr[int64](0), Reason: ptr("r")}, "delta"},
		{domain.StockChangeLine{Kind: domain.ChangeCount, SKU: &sku, LocationCode: ptr("A"), CountedQuantity: ptr[int64](-1)}, "countedQuantity"},
		{domain.StockChangeLine{Kind: domain.ChangeTransfer, SKU: &sku, LocationCode: ptr("A"), Quantity: ptr[int64](1)}, "toLocationId"},
		{domain.StockChangeLine{Kind: domain.ChangeReceive, SKU: &sku, LocationCode: ptr("A"), ToLocationCode: ptr("B"), Quantity: ptr[int64](1)}, "toLocationId"},
		{domain.StockChangeLine{Kind: "MELT", SKU: &sku, LocationCode: ptr("A"), Quantity: ptr[int64](1)}, "kind"},
	}
	for i, tc := range bad {
		_, err := b.store.RecordStockChanges(ctx, b.sc, []domain.StockChangeLine{line, tc.line}, domain.Meta{})
		if e, ok := domain.AsError(err); !ok || e.Code != domain.CodeValidation || len(e.Field) != 4 || e.Field[2] != "1" || e.Field[3] != tc.field {
			t.Errorf("case %d: got %v, want VALIDATION at lines.1.%s", i, err, tc.field)
		}
	}
	// A transfer to the same place, named once by id and once by code.
	_, err = b.store.RecordStockChanges(ctx, b.sc, []domain.StockChangeLine{
		{Kind: domain.ChangeTransfer, SKU: &sku, LocationID: &b.locA.ID, ToLocationCode: ptr("A"), Quantity: ptr[int64](1)}}, domain.Meta{})
	wantErr(t, err, domain.CodeValidation, "input", "lines", "0", "toLocationCode")
	b.assertUnchanged(t, "invalid batches", before)
}

// TestBatchReplayWritesNothing checks the batch's one idempotency key: the
// same lines return the first outcome and write nothing; other lines are a
// conflict.
func TestBatchReplayWritesNothing(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	lines := []domain.StockChangeLine{
		{Kind: domain.ChangeReceive, SKU: ptr("SKU-1"), LocationCode: ptr("A"), Quantity: ptr[int64](7)},
		{Kind: domain.ChangeTransfer, SKU: ptr("SKU-1"), LocationCode: ptr("A"), ToLocationCode: ptr("B"), Quantity: ptr[int64](2)},
	}
	meta := domain.Meta{IdempotencyKey: ptr("sync-42")}
	first, err := b.store.RecordStockChanges(ctx, b.sc, lines, meta)
	if err != nil {
		t.Fatal(err)
	}
	before := b.counts(t)
	again, err := b.store.RecordStockChanges(ctx, b.sc, lines, meta)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Replayed || jsonOf(t, movementIDs(again)) != jsonOf(t, movementIDs(first)) {
		t.Errorf("replay: got %v (replayed %v), want the first call's movements %v", movementIDs(again), again.Replayed, movementIDs(first))
	}
	b.assertUnchanged(t, "replay", before)
	lines[0].Quantity = ptr[int64](8)
	_, err = b.store.RecordStockChanges(ctx, b.sc, lines, meta)
	wantErr(t, err, domain.CodeIdempotencyConflict, "input", "idempotencyKey")
	b.assertUnchanged(t, "conflict", before)
}

// TestBatchesRaceSingleOperationsWithoutDeadlock races batches that touch
// overlapping levels in random orders against each other and against single
// ships, receipts and transfers. Nothing may deadlock (the test fails on a
// timeout or a deadlock error); the cleanup checks every level against its
// ledger.
func TestBatchesRaceSingleOperationsWithoutDeadlock(t *testing.T) {
	b := setup(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ids := batchCatalogue(t, b, 20)
	locs := []*domain.Location{b.locA, b.locB, b.newLocation(t, "C")}
	for _, id := range ids {
		for _, l := range locs {
			if _, err := b.store.Receive(ctx, b.sc, id, l.ID, 50, domain.Meta{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	var wg sync.WaitGroup
	gate := make(chan struct{})
	fail := func(what string, err error) {
		if err != nil && !errors.Is(err, domain.ErrInsufficientStock) {
			t.Errorf("%s: %v", what, err)
		}
	}
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			<-gate
			for range 8 {
				var lines []domain.StockChangeLine
				for range 60 {
					item := ids[rng.IntN(len(ids))]
					from, to := locs[rng.IntN(3)], locs[rng.IntN(3)]
					switch rng.IntN(3) {
					case 0:
						lines = append(lines, domain.StockChangeLine{Kind: domain.ChangeShip, ItemID: &item, LocationID: &from.ID, Quantity: ptr[int64](1)})
					case 1:
						lines = append(lines, domain.StockChangeLine{Kind: domain.ChangeReceive, ItemID: &item, LocationCode: &from.Code, Quantity: ptr[int64](1)})
					default:
						if from != to {
							lines = append(lines, domain.StockChangeLine{Kind: domain.ChangeTransfer, ItemID: &item, LocationID: &from.ID, ToLocationID: &to.ID, Quantity: ptr[int64](1)})
						}
					}
				}
				_, err := b.store.RecordStockChanges(ctx, b.sc, lines, domain.Meta{})
				fail("batch", err)
			}
		}()
	}
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 11))
			<-gate
			for range 40 {
				item := ids[rng.IntN(len(ids))]
				from, to := locs[rng.IntN(3)], locs[(rng.IntN(2)+1)%3]
				var err error
				switch rng.IntN(3) {
				case 0:
					_, err = b.store.Ship(ctx, b.sc, item, from.ID, 1, domain.Meta{})
				case 1:
					_, err = b.store.Receive(ctx, b.sc, item, from.ID, 1, domain.Meta{})
				default:
					if from != to {
						_, err = b.store.Transfer(ctx, b.sc, item, from.ID, to.ID, 1, domain.Meta{})
					}
				}
				fail("single", err)
			}
		}()
	}
	close(gate)
	waitOrFail(t, &wg, 55*time.Second)
}

// TestArchivedRefuseNewStock checks the archive rules through single
// operations and batches: no receipt, reservation or transfer into an
// archived item or location; shipping out and history stay possible; a
// location holding stock cannot be archived.
func TestArchivedRefuseNewStock(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 5)
	_, err := b.store.ArchiveLocation(ctx, b.sc, b.locA.ID)
	wantErr(t, err, domain.CodeInvalidState, "input", "id")
	if _, err := b.store.ArchiveLocation(ctx, b.sc, b.locB.ID); err != nil {
		t.Fatal(err)
	}
	before := b.counts(t)
	_, err = b.store.Receive(ctx, b.sc, b.item.ID, b.locB.ID, 1, domain.Meta{})
	wantErr(t, err, domain.CodeInvalidState, "input", "locationId")
	_, err = b.store.Transfer(ctx, b.sc, b.item.ID, b.locA.ID, b.locB.ID, 1, domain.Meta{})
	wantErr(t, err, domain.CodeInvalidState, "input", "toLocationId")
	_, err = b.store.RecordStockChanges(ctx, b.sc, []domain.StockChangeLine{
		{Kind: domain.ChangeTransfer, SKU: ptr("SKU-1"), LocationCode: ptr("A"), ToLocationCode: ptr("B"), Quantity: ptr[int64](1)}}, domain.Meta{})
	wantErr(t, err, domain.CodeInvalidState, "input", "lines", "0", "toLocationCode")
	b.assertUnchanged(t, "refused into an archived location", before)

	if _, err := b.store.ArchiveItem(ctx, b.sc, b.item.ID); err != nil {
		t.Fatal(err)
	}
	before = b.counts(t)
	_, err = b.store.Receive(ctx, b.sc, b.item.ID, b.locA.ID, 1, domain.Meta{})
	wantErr(t, err, domain.CodeInvalidState, "input", "itemId")
	_, err = b.store.Reserve(ctx, b.sc, domain.ReserveRequest{ItemID: b.item.ID, LocationID: b.locA.ID, Quantity: 1}, domain.Meta{})
	wantErr(t, err, domain.CodeInvalidState, "input", "itemId")
	_, err = b.store.RecordStockChanges(ctx, b.sc, []domain.StockChangeLine{
		{Kind: domain.ChangeReceive, SKU: ptr("SKU-1"), LocationCode: ptr("A"), Quantity: ptr[int64](1)}}, domain.Meta{})
	wantErr(t, err, domain.CodeInvalidState, "input", "lines", "0", "sku")
	b.assertUnchanged(t, "refused an archived item", before)

	// Stock still leaves, and history stays readable.
	if _, err := b.store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, 5, domain.Meta{}); err != nil {
		t.Fatalf("ship out of an archived item: %v", err)
	}
	page, err := b.store.Movements(ctx, b.sc, domain.MovementFilter{ItemID: &b.item.ID}, domain.PageRequest{})
	if err != nil || len(page.Rows) != 2 {
		t.Fatalf("history of an archived item: %v, %d movements", err, len(page.Rows))
	}
	if _, err := b.store.UnarchiveItem(ctx, b.sc, b.item.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := b.store.UnarchiveLocation(ctx, b.sc, b.locB.ID); err != nil {
		t.Fatal(err)
	}
	b.receive(t, b.locB, 1)
}

// TestArchiveLocationRacesReceipts races archiving a location against
// receipts into it: either the archive fails (stock arrived first) or every
// receipt after it fails; the location never ends archived with stock.
func TestArchiveLocationRacesReceipts(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	for round := range 10 {
		loc := b.newLocation(t, fmt.Sprintf("R%d", round))
		var wg sync.WaitGroup
		gate := make(chan struct{})
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-gate
				_, err := b.store.Receive(ctx, b.sc, b.item.ID, loc.ID, 1, domain.Meta{})
				if err != nil && domain.CodeOf(err) != domain.CodeInvalidState {
					t.Errorf("receive: %v", err)
				}
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			_, err := b.store.ArchiveLocation(ctx, b.sc, loc.ID)
			if err != nil && domain.CodeOf(err) != domain.CodeInvalidState {
				t.Errorf("archive: %v", err)
			}
		}()
		close(gate)
		waitOrFail(t, &wg, 20*time.Second)
		got, err := b.store.Location(ctx, b.sc, loc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if l := b.levelOf(t, b.item.ID, loc.ID); got.ArchivedAt != nil && l.OnHand() > 0 {
			t.Fatalf("round %d: location archived with %d units", round, l.OnHand())
		}
	}
}
