package domain_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/testdb"
)

// The tests in this file guard the two orders everything else rests on: the
// ledger newest first and the change feed in commit order. Both sort numbers
// (movement ids, transaction ids) that the queries also select as text; an
// ORDER BY that resolves to the text column sorts 100 before 99 and skips or
// repeats rows once the numbers change length.

// nextPowerOfTen returns the smallest power of ten greater than n.
func nextPowerOfTen(n int64) int64 {
	p := int64(10)
	for p <= n {
		p *= 10
	}
	return p
}

// TestMovementsPagingAcrossIDLengths pages the ledger over movement ids that
// cross a power of ten, with several page sizes: every movement exactly once,
// newest (highest id) first.
func TestMovementsPagingAcrossIDLengths(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	var last int64
	if err := b.db.Owner.QueryRow(ctx, `SELECT last_value FROM movements_id_seq`).Scan(&last); err != nil {
		t.Fatalf("read the movement sequence: %v", err)
	}
	boundary := nextPowerOfTen(last + 60)
	if _, err := b.db.Owner.Exec(ctx, `SELECT setval('movements_id_seq', $1)`, boundary-60); err != nil {
		t.Fatalf("move the movement sequence: %v", err)
	}
	var ids []string // oldest first
	for range 120 {
		c, err := b.store.Receive(ctx, b.sc, b.item.ID, b.locA.ID, 1, domain.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, movementIDs(c)...)
	}
	if len(ids[0]) == len(ids[len(ids)-1]) {
		t.Fatalf("the fixture's ids %s…%s do not differ in length", ids[0], ids[len(ids)-1])
	}
	newestFirst := slices.Clone(ids)
	slices.Reverse(newestFirst)
	id := func(m *domain.Movement) string { return m.ID }
	for _, f := range []domain.MovementFilter{{}, {ItemID: &b.item.ID}, {LocationID: &b.locA.ID}} {
		list := func(pr domain.PageRequest) (*domain.Page[*domain.Movement], error) {
			return b.store.Movements(ctx, b.sc, f, pr)
		}
		for _, size := range []int64{1, 7, 50, domain.MaxPageSize} {
			got := slices.Concat(walk(t, size, id, list)...)
			if !slices.Equal(got, newestFirst) {
				t.Errorf("filter %+v, pages of %d: %d rows %v…, want %d rows %v…",
					f, size, len(got), head(got), len(newestFirst), head(newestFirst))
			}
		}
	}
}

// head returns the first few strings of a list, for messages.
func head(s []string) []string { return s[:min(len(s), 5)] }

// TestEveryConnectionPagesOnce pages every tenant listing with several page
// sizes and checks that each walk returns the same rows as one big page, in
// the same order, with none twice.
func TestEveryConnectionPagesOnce(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	// Movement ids cross a power of ten in the middle of the fixture.
	var last int64
	if err := b.db.Owner.QueryRow(ctx, `SELECT last_value FROM movements_id_seq`).Scan(&last); err != nil {
		t.Fatalf("read the movement sequence: %v", err)
	}
	if _, err := b.db.Owner.Exec(ctx, `SELECT setval('movements_id_seq', $1)`, nextPowerOfTen(last+20)-20); err != nil {
		t.Fatalf("move the movement sequence: %v", err)
	}
	for i := range 12 {
		// Lengths differ on purpose: SKU-9 sorts after SKU-10 as text, which
		// is the documented order of skus and codes.
		b.newItem(t, fmt.Sprintf("SKU-%d", i+2))
		b.newLocation(t, fmt.Sprintf("L%d", i+1))
	}
	b.receive(t, b.locA, 100)
	for range 12 {
		if _, err := b.store.Reserve(ctx, b.sc, domain.ReserveRequest{ItemID: b.item.ID, LocationID: b.locA.ID, Quantity: 1}, domain.Meta{}); err != nil {
			t.Fatal(err)
		}
		if _, err := b.store.ShipTransfer(ctx, b.sc, b.item.ID, b.locA.ID, b.locB.ID, 1, domain.Meta{}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 12 {
		it := b.newItem(t, fmt.Sprintf("LOW-%d", i))
		if _, err := b.store.Receive(ctx, b.sc, it.ID, b.locA.ID, 1, domain.Meta{}); err != nil {
			t.Fatal(err)
		}
		if _, err := b.store.SetReorderPoint(ctx, b.sc, it.ID, b.locA.ID, ptr(int64(5))); err != nil {
			t.Fatal(err)
		}
		if a, err := b.store.CheckAlerts(ctx, b.sc, it.ID, b.locA.ID); err != nil || a == nil {
			t.Fatalf("raise a low-stock alert: %+v, %v", a, err)
		}
	}
	for range 5 { // as many as a tenant may queue
		if _, err := b.store.RequestReport(ctx, b.sc, domain.ReportLowStock, domain.ReportParams{}); err != nil {
			t.Fatal(err)
		}
	}
	check := func(name string, walkWith func(size int64) []string) {
		t.Helper()
		want := walkWith(domain.MaxPageSize)
		if len(want) < 5 {
			t.Fatalf("%s: only %d rows in the fixture", name, len(want))
		}
		seen := map[string]bool{}
		for _, k := range want {
			if seen[k] {
				t.Errorf("%s: %s listed twice", name, k)
			}
			seen[k] = true
		}
		for _, size := range []int64{1, 2, 5} {
			if got := walkWith(size); !slices.Equal(got, want) {
				t.Errorf("%s, pages of %d: %v, want %v", name, size, got, want)
			}
		}
	}
	check("items", func(size int64) []string {
		return slices.Concat(walk(t, size, func(i *domain.Item) string { return i.SKU },
			func(pr domain.PageRequest) (*domain.Page[*domain.Item], error) { return b.store.Items(ctx, b.sc, pr) })...)
	})
	check("locations", func(size int64) []string {
		return slices.Concat(walk(t, size, func(l *domain.Location) string { return l.Code },
			func(pr domain.PageRequest) (*domain.Page[*domain.Location], error) {
				return b.store.Locations(ctx, b.sc, pr)
			})...)
	})
	check("reservations", func(size int64) []string {
		return slices.Concat(walk(t, size, func(r *domain.Reservation) string { return r.ID },
			func(pr domain.PageRequest) (*domain.Page[*domain.Reservation], error) {
				return b.store.Reservations(ctx, b.sc, domain.ReservationFilter{}, pr)
			})...)
	})
	check("transfers", func(size int64) []string {
		return slices.Concat(walk(t, size, func(r *domain.Transfer) string { return r.ID },
			func(pr domain.PageRequest) (*domain.Page[*domain.Transfer], error) {
				return b.store.Transfers(ctx, b.sc, domain.TransferFilter{}, pr)
			})...)
	})
	check("movements", func(size int64) []string {
		return slices.Concat(walk(t, size, func(m *domain.Movement) string { return m.ID },
			func(pr domain.PageRequest) (*domain.Page[*domain.Movement], error) {
				return b.store.Movements(ctx, b.sc, domain.MovementFilter{}, pr)
			})...)
	})
	check("alerts", func(size int64) []string {
		return slices.Concat(walk(t, size, func(a *domain.Alert) string { return a.ID },
			func(pr domain.PageRequest) (*domain.Page[*domain.Alert], error) {
				return b.store.Alerts(ctx, b.sc, domain.AlertFilter{}, pr)
			})...)
	})
	check("reports", func(size int64) []string {
		return slices.Concat(walk(t, size, func(r *domain.Report) string { return r.ID },
			func(pr domain.PageRequest) (*domain.Page[*domain.Report], error) {
				return b.store.Reports(ctx, b.sc, pr)
			})...)
	})
	skus := slices.Concat(walk(t, 3, func(i *domain.Item) string { return i.SKU },
		func(pr domain.PageRequest) (*domain.Page[*domain.Item], error) { return b.store.Items(ctx, b.sc, pr) })...)
	if !slices.IsSorted(skus) {
		t.Errorf("items are not in sku order: %v", skus)
	}
}

// TestFeedAcrossXIDDecade reads the change feed over events whose transaction
// ids cross a power of ten, a few at a time, as the live hub and a resuming
// subscriber do: every event once, in transaction id order. The events are
// written with the ids of transactions long finished, so that the test does
// not depend on how far this cluster's ids have come; live's tests cross a
// boundary with real transactions.
func TestFeedAcrossXIDDecade(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	now := b.db.NewXID(t)
	boundary := testdb.PowerOfTenBelow(now, 10)
	var want []domain.FeedCursor
	for _, xid := range []uint64{boundary - 2, boundary - 1, boundary, boundary + 1} {
		var id int64
		err := b.db.Owner.QueryRow(ctx, `INSERT INTO events (tenant_id, xid, operation_id, kind, payload)
			VALUES ($1, $2::text::xid8, gen_random_uuid(), 'test.fabricated', '{}') RETURNING id`,
			b.sc.TenantID, strconv.FormatUint(xid, 10)).Scan(&id)
		if err != nil {
			t.Fatalf("write an event at xid %d: %v", xid, err)
		}
		want = append(want, domain.FeedCursor{XID: xid, ID: id})
	}
	start := domain.FeedCursor{XID: boundary - 3}
	last := want[len(want)-1]

	// The whole feed, two events a read, as the hub pumps it.
	var got []domain.FeedCursor
	for after := start; !after.After(last) || len(got) == 0; {
		events, err := b.store.ReadFeed(ctx, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) == 0 {
			break
		}
		for _, e := range events {
			if e.TenantID == b.sc.TenantID && !e.Cursor.After(last) {
				got = append(got, e.Cursor)
			}
			if !e.Cursor.After(after) {
				t.Fatalf("ReadFeed after %v returned %v, which is not after it", after, e.Cursor)
			}
			after = e.Cursor
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("ReadFeed two at a time from %s: %s, want %s", positions(start), positions(got...), positions(want...))
	}

	// One tenant's events, two a read, as a resuming subscriber replays them.
	got = nil
	for after := start; ; {
		events, err := b.store.TenantEvents(ctx, b.sc, after, last, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) == 0 {
			break
		}
		for _, e := range events {
			got = append(got, e.Cursor)
			after = e.Cursor
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("TenantEvents two at a time from %s: %s, want %s", positions(start), positions(got...), positions(want...))
	}

	// The head is the newest final event: once the receipt just made is
	// final (a transaction anywhere on the cluster may hold it back for a
	// while), it is past every fabricated one.
	b.receive(t, b.locA, 1)
	var head domain.FeedCursor
	var err error
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if head, err = b.store.FeedHead(ctx); err != nil {
			t.Fatal(err)
		}
		if head.XID > now || time.Now().After(deadline) {
			break
		}
	}
	if head.XID <= now {
		t.Errorf("FeedHead = %s, want past every fabricated event (%s) and the receipt just made (after xid %d)",
			positions(head), positions(last), now)
	}
}

// positions renders feed cursors as xid:id, for messages.
func positions(cs ...domain.FeedCursor) string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%d:%d", c.XID, c.ID))
	}
	return "[" + strings.Join(out, " ") + "]"
}

// orderByTerm matches an ORDER BY clause up to where it ends.
var orderByTerm = regexp.MustCompile("(?is)ORDER BY\\s+(.*?)\\s*(?:\\bLIMIT\\b|\\)|`|\"|$)")

// qualified matches a sort key that names its table: table.column, with
// Sprintf verbs allowed for either part.
var qualified = regexp.MustCompile(`^(?:[a-z_]+|%(?:\[\d+\])?s)\.(?:[a-z_]+|%(?:\[\d+\])?s)(?:\s+(?:ASC|DESC))?(?:\s+NULLS\s+(?:FIRST|LAST))?$`)

// TestOrderByNamesItsTable is the guard against the class of bug: every sort
// key in the service's SQL names its table, because an unqualified name
// resolves first to an output column of that name, and a column selected as
// id::text is output as "id" and sorts as text.
func TestOrderByNamesItsTable(t *testing.T) {
	var checked int
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || strings.HasSuffix(path, "_test.go") ||
			!strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, ".sql") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range orderByTerm.FindAllSubmatchIndex(src, -1) {
			line := 1 + strings.Count(string(src[:m[0]]), "\n")
			checked++
			for _, key := range strings.Split(string(src[m[2]:m[3]]), ",") {
				key = strings.TrimSpace(key)
				if !qualified.MatchString(key) {
					t.Errorf("%s:%d: ORDER BY key %q does not name its table (write table.column)", path, line, key)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 10 {
		t.Fatalf("found only %d ORDER BY clauses: the scan is broken", checked)
	}
}
