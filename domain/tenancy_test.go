package domain_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/inventory-backbone/inventory/domain"
)

// tenantTables are the tables row-level security guards.
var tenantTables = []string{"tenants", "items", "locations", "movements", "stock_levels", "events", "idempotency_keys"}

// TestTenantCannotSeeAnotherTenantsData gives tenant A stock and checks that
// tenant B can neither read it (by id, sku, code, level, listing or batch
// load) nor tell it exists.
func TestTenantCannotSeeAnotherTenantsData(t *testing.T) {
	a, b := setup(t), setup(t)
	ctx := context.Background()
	if _, err := a.store.Receive(ctx, a.sc, a.item.ID, a.locA.ID, 7, domain.Meta{IdempotencyKey: ptr("k1")}); err != nil {
		t.Fatal(err)
	}
	a.receive(t, a.locB, 2)

	_, err := b.store.Item(ctx, b.sc, a.item.ID)
	wantErr(t, err, domain.CodeNotFound)
	_, err = b.store.Location(ctx, b.sc, a.locA.ID)
	wantErr(t, err, domain.CodeNotFound)
	// Both tenants have SKU-1 and location A (setup creates them): B must
	// get its own, not A's.
	if it, err := b.store.ItemBySKU(ctx, b.sc, "SKU-1"); err != nil || it.ID != b.item.ID {
		t.Errorf("tenant B's SKU-1: %+v, %v; want its own item %s", it, err, b.item.ID)
	}
	if loc, err := b.store.LocationByCode(ctx, b.sc, "A"); err != nil || loc.ID != b.locA.ID {
		t.Errorf("tenant B's location A: %+v, %v; want its own %s", loc, err, b.locA.ID)
	}
	onlyA := a.newItem(t, "ONLY-IN-A")
	a.newLocation(t, "ONLY-IN-A")
	_, err = b.store.ItemBySKU(ctx, b.sc, "ONLY-IN-A")
	wantErr(t, err, domain.CodeNotFound)
	_, err = b.store.LocationByCode(ctx, b.sc, "ONLY-IN-A")
	wantErr(t, err, domain.CodeNotFound)

	// A's level, read as B, is not found, naming the item first.
	_, err = b.store.Level(ctx, b.sc, a.item.ID, a.locA.ID)
	wantErr(t, err, domain.CodeNotFound, "input", "itemId")
	_, err = b.store.Level(ctx, b.sc, b.item.ID, a.locA.ID)
	wantErr(t, err, domain.CodeNotFound, "input", "locationId")

	if items, err := b.store.ItemsByID(ctx, b.sc, []string{a.item.ID, onlyA.ID, b.item.ID}); err != nil ||
		len(items) != 1 || items[0].ID != b.item.ID {
		t.Errorf("ItemsByID as B: %+v, %v; want only B's item", items, err)
	}
	if locs, err := b.store.LocationsByID(ctx, b.sc, []string{a.locA.ID, a.locB.ID}); err != nil || len(locs) != 0 {
		t.Errorf("LocationsByID as B: %+v, %v; want none", locs, err)
	}
	if levels, err := b.store.LevelsByItem(ctx, b.sc, []string{a.item.ID}); err != nil || len(levels) != 0 {
		t.Errorf("LevelsByItem as B: %+v, %v; want none", levels, err)
	}
	for name, f := range map[string]domain.MovementFilter{
		"all":          {},
		"A's item":     {ItemID: &a.item.ID},
		"A's location": {LocationID: &a.locA.ID},
	} {
		page, err := b.store.Movements(ctx, b.sc, f, domain.PageRequest{})
		if err != nil || len(page.Rows) != 0 || page.HasNextPage {
			t.Errorf("movements as B, %s: %+v, %v; want none", name, page, err)
		}
	}
	if page, err := b.store.Items(ctx, b.sc, domain.PageRequest{}); err != nil || len(page.Rows) != 1 || page.Rows[0].ID != b.item.ID {
		t.Errorf("items as B: %+v, %v", page, err)
	}
	if page, err := b.store.Locations(ctx, b.sc, domain.PageRequest{}); err != nil || len(page.Rows) != 2 {
		t.Errorf("locations as B: %+v, %v", page, err)
	}
	if drifts, err := b.store.CheckLedger(ctx, b.sc); err != nil || len(drifts) != 0 {
		t.Errorf("CheckLedger as B: %+v, %v", drifts, err)
	}

	// B can take A's sku and code: nothing tells it they are in use.
	if _, err := b.store.CreateItem(ctx, b.sc, domain.NewItem{SKU: "ONLY-IN-A", Name: "Mine"}); err != nil {
		t.Errorf("tenant B creating tenant A's sku: %v", err)
	}
	if _, err := b.store.CreateLocation(ctx, b.sc, domain.NewLocation{Code: "ONLY-IN-A", Name: "Mine"}); err != nil {
		t.Errorf("tenant B creating tenant A's location code: %v", err)
	}
	// And A's own is untouched.
	if it, err := a.store.ItemBySKU(ctx, a.sc, "ONLY-IN-A"); err != nil || it.ID != onlyA.ID {
		t.Errorf("tenant A's item after B took its sku: %+v, %v", it, err)
	}
}

// TestTenantCannotChangeAnotherTenantsStock has tenant B try every stock
// operation on tenant A's item and locations: NOT_FOUND, as for an id that
// does not exist, and nothing written in either tenant.
func TestTenantCannotChangeAnotherTenantsStock(t *testing.T) {
	a, b := setup(t), setup(t)
	ctx := context.Background()
	a.receive(t, a.locA, 10)
	b.receive(t, b.locA, 10)
	beforeA, beforeB := a.counts(t), b.counts(t)
	reason := domain.Meta{Reason: ptr("x")}
	errOf := func(_ *domain.StockChange, err error) error { return err }

	cases := []struct {
		name  string
		err   error
		field string
	}{
		{"receive A's item at A's location", errOf(b.store.Receive(ctx, b.sc, a.item.ID, a.locA.ID, 1, domain.Meta{})), "itemId"},
		{"receive A's item at B's location", errOf(b.store.Receive(ctx, b.sc, a.item.ID, b.locA.ID, 1, domain.Meta{})), "itemId"},
		{"receive B's item at A's location", errOf(b.store.Receive(ctx, b.sc, b.item.ID, a.locA.ID, 1, domain.Meta{})), "locationId"},
		{"ship A's item", errOf(b.store.Ship(ctx, b.sc, a.item.ID, a.locA.ID, 1, domain.Meta{})), "itemId"},
		{"ship from A's location", errOf(b.store.Ship(ctx, b.sc, b.item.ID, a.locA.ID, 1, domain.Meta{})), "locationId"},
		{"adjust A's item", errOf(b.store.Adjust(ctx, b.sc, domain.Adjustment{ItemID: a.item.ID, LocationID: a.locA.ID, Delta: -1}, reason)), "itemId"},
		{"count A's item", errOf(b.store.Count(ctx, b.sc, a.item.ID, a.locA.ID, 0, domain.Meta{})), "itemId"},
		{"transfer A's item", errOf(b.store.Transfer(ctx, b.sc, a.item.ID, a.locA.ID, a.locB.ID, 1, domain.Meta{})), "itemId"},
		{"transfer into A's location", errOf(b.store.Transfer(ctx, b.sc, b.item.ID, b.locA.ID, a.locB.ID, 1, domain.Meta{})), "toLocationId"},
		{"transfer from A's location", errOf(b.store.Transfer(ctx, b.sc, b.item.ID, a.locA.ID, b.locB.ID, 1, domain.Meta{})), "fromLocationId"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.err, domain.CodeNotFound, "input", tc.field) })
	}
	a.assertUnchanged(t, "tenant B's attempts (in tenant A)", beforeA)
	b.assertUnchanged(t, "tenant B's attempts (in tenant B)", beforeB)
	if l := a.level(t, a.locA); l.Available != 10 || l.Version != 1 {
		t.Errorf("tenant A's level: %+v", l)
	}
}

// TestServiceRoleWithoutTenantSeesNoRows queries the tables directly through
// the service's own pool: without app.tenant_id set it sees no row of any
// tenant table, though rows exist; with another tenant set it sees none of
// this tenant's, and cannot write rows for it.
func TestServiceRoleWithoutTenantSeesNoRows(t *testing.T) {
	a, other := setup(t), setup(t)
	ctx := context.Background()
	if _, err := a.store.Receive(ctx, a.sc, a.item.ID, a.locA.ID, 3, domain.Meta{IdempotencyKey: ptr("seen")}); err != nil {
		t.Fatal(err)
	}

	for _, table := range tenantTables {
		var owned int
		idColumn := "tenant_id"
		if table == "tenants" {
			idColumn = "id"
		}
		err := a.db.Owner.QueryRow(ctx, "SELECT count(*) FROM "+table+" WHERE "+idColumn+" = $1", a.sc.TenantID).Scan(&owned)
		if err != nil || owned == 0 {
			t.Fatalf("%s: tenant A has %d rows (%v); the test needs some", table, owned, err)
		}
		// No tenant set, outside any explicit transaction.
		var seen int
		if err := a.db.App.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&seen); err != nil {
			t.Fatalf("%s as the service role: %v", table, err)
		}
		if seen != 0 {
			t.Errorf("%s: the service role without a tenant sees %d rows, want 0", table, seen)
		}
		// Another tenant set: none of A's rows.
		err = inTx(t, a.db.App, other.sc.TenantID, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, "SELECT count(*) FROM "+table+" WHERE "+idColumn+" = $1", a.sc.TenantID).Scan(&seen)
		})
		if err != nil || seen != 0 {
			t.Errorf("%s: another tenant sees %d of A's rows (%v), want 0", table, seen, err)
		}
		// A itself, set the service's way, does see them: the zeros above
		// are not an accident of the query.
		err = inTx(t, a.db.App, a.sc.TenantID, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&seen)
		})
		if err != nil || seen != owned {
			t.Errorf("%s: tenant A sees %d rows (%v), want %d", table, seen, err, owned)
		}
	}

	var role string
	var super, bypass bool
	err := a.db.App.QueryRow(ctx, `SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`).
		Scan(&role, &super, &bypass)
	if err != nil || role != "inventory_app" || super || bypass {
		t.Errorf("the service pool runs as %q (superuser %v, bypassrls %v, %v); want inventory_app without either", role, super, bypass, err)
	}

	// Writing a row for tenant A while bound to another tenant is refused.
	err = inTx(t, a.db.App, other.sc.TenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO items (tenant_id, id, sku, name) VALUES ($1, gen_random_uuid(), 'SNEAKY', 'x')`, a.sc.TenantID)
		return err
	})
	wantPgErr(t, "insert into another tenant", err, "42501", "row-level security")
	// And so is writing with no tenant at all.
	err = inTx(t, a.db.App, "", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO items (tenant_id, id, sku, name) VALUES ($1, gen_random_uuid(), 'SNEAKY', 'x')`, a.sc.TenantID)
		return err
	})
	wantPgErr(t, "insert without a tenant", err, "42501", "row-level security")
	// Updating A's levels while bound to another tenant touches no row.
	err = inTx(t, a.db.App, other.sc.TenantID, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE stock_levels SET available = 1000 WHERE tenant_id = $1`, a.sc.TenantID)
		if err == nil && tag.RowsAffected() != 0 {
			t.Errorf("another tenant updated %d of A's levels", tag.RowsAffected())
		}
		return err
	})
	if err != nil {
		t.Errorf("update as another tenant: %v", err)
	}
}

// TestTenantSettingDoesNotLeakAcrossTransactions binds a pooled connection
// to a tenant in one transaction and checks that the next transaction on
// the same connection sees nothing.
func TestTenantSettingDoesNotLeakAcrossTransactions(t *testing.T) {
	a := setup(t)
	ctx := context.Background()
	conn, err := a.db.App.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", a.sc.TenantID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var seen int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM items").Scan(&seen); err != nil || seen != 0 {
		t.Errorf("after the tenant's transaction, the connection sees %d items (%v), want 0", seen, err)
	}
}
