package domain_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// testBundle is what most tests need: a store over the service role, and a
// fresh tenant with one item and two locations.
type testBundle struct {
	db     *testdb.DB
	store  *domain.Store
	sc     domain.Scope
	item   *domain.Item
	locA   *domain.Location
	locB   *domain.Location
	tenant *domain.Tenant
}

var seq atomic.Int64

func setup(t *testing.T) *testBundle {
	t.Helper()
	ctx := context.Background()
	db := testdb.Get(t)
	store := domain.NewStore(db.App, domain.WithSystemPool(db.System))
	n := seq.Add(1)
	tenant, err := store.CreateTenant(ctx, fmt.Sprintf("tenant %d", n))
	if err != nil {
		t.Fatal(err)
	}
	sc := domain.Scope{TenantID: tenant.ID, Actor: "tester"}
	item, err := store.CreateItem(ctx, sc, domain.NewItem{SKU: "SKU-1", Name: "Widget"})
	if err != nil {
		t.Fatal(err)
	}
	locA, err := store.CreateLocation(ctx, sc, domain.NewLocation{Code: "A", Name: "Warehouse A"})
	if err != nil {
		t.Fatal(err)
	}
	locB, err := store.CreateLocation(ctx, sc, domain.NewLocation{Code: "B", Name: "Warehouse B"})
	if err != nil {
		t.Fatal(err)
	}
	b := &testBundle{db: db, store: store, sc: sc, item: item, locA: locA, locB: locB, tenant: tenant}
	t.Cleanup(func() { b.checkInvariants(t) })
	return b
}

// checkInvariants asserts what must hold after any test: every level equals
// the sum of its ledger, and nothing is negative.
func (b *testBundle) checkInvariants(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	drifts, err := b.store.CheckLedger(ctx, b.sc)
	if err != nil {
		t.Fatalf("check ledger: %v", err)
	}
	for _, d := range drifts {
		t.Errorf("drift at item %s location %s: ledger %+v, projection %+v",
			d.Ledger.ItemID, d.Ledger.LocationID, d.Ledger, d.Projection)
	}
	var negative int
	err = inTx(t, b.db.Owner, b.sc.TenantID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM stock_levels WHERE tenant_id = $1 AND
			(available < 0 OR reserved < 0 OR damaged < 0 OR quality_control < 0 OR in_transit < 0)`,
			b.sc.TenantID).Scan(&negative)
	})
	if err != nil {
		t.Fatalf("count negative levels: %v", err)
	}
	if negative > 0 {
		t.Errorf("%d levels are negative", negative)
	}
}

func (b *testBundle) level(t *testing.T, loc *domain.Location) *domain.Level {
	t.Helper()
	l, err := b.store.Level(context.Background(), b.sc, b.item.ID, loc.ID)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func (b *testBundle) receive(t *testing.T, loc *domain.Location, q int64) {
	t.Helper()
	if _, err := b.store.Receive(context.Background(), b.sc, b.item.ID, loc.ID, q, domain.Meta{}); err != nil {
		t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }
