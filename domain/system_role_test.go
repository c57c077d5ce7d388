package domain_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/inventory-backbone/inventory/domain"
)

// TestRequestRoleCannotCrossTenants checks finding 5 of issue 15: the role
// that serves requests sees nothing of another tenant even when it sets
// app.scope to 'system' itself (before, that setting opened every tenant's
// directory entry and change-feed events to it), while the system role of
// background work sees every tenant's directory and feed, and nothing else.
func TestRequestRoleCannotCrossTenants(t *testing.T) {
	ctx := context.Background()
	b := setup(t)
	other, err := b.store.CreateTenant(ctx, "the neighbour")
	if err != nil {
		t.Fatal(err)
	}
	b.receive(t, b.locA, 5)

	for name, tenantID := range map[string]string{"bound to its tenant": other.ID, "with no tenant": ""} {
		var tenants, events int
		var deleted int64
		err := inTx(t, b.db.App, tenantID, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SET LOCAL app.scope = 'system'"); err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, "SELECT count(*) FROM tenants WHERE id = $1", b.sc.TenantID).Scan(&tenants); err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, "SELECT count(*) FROM events WHERE tenant_id = $1", b.sc.TenantID).Scan(&events); err != nil {
				return err
			}
			tag, err := tx.Exec(ctx, "DELETE FROM events WHERE tenant_id = $1", b.sc.TenantID)
			deleted = tag.RowsAffected()
			if err != nil {
				wantPgErr(t, "DELETE events as the request role", err, "42501", "")
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if tenants != 0 || events != 0 || deleted != 0 {
			t.Errorf("the request role %s, with app.scope = 'system', sees %d tenant rows and %d events of another tenant and deleted %d; want none",
				name, tenants, events, deleted)
		}
	}

	// The system role sees every tenant and the whole feed ...
	ids, err := b.store.TenantIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, id := range ids {
		if id == b.sc.TenantID || id == other.ID {
			found++
		}
	}
	if found != 2 {
		t.Errorf("TenantIDs (the system role) finds %d of the two tenants", found)
	}
	events, err := b.store.ReadFeed(ctx, domain.FeedCursor{}, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	var mine int
	for _, e := range events {
		if e.TenantID == b.sc.TenantID {
			mine++
		}
	}
	if mine == 0 {
		t.Errorf("ReadFeed (the system role) reads none of the tenant's events")
	}
	// ... and nothing else.
	err = pgx.BeginFunc(ctx, b.db.System, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "SELECT count(*) FROM items")
		return err
	})
	wantPgErr(t, "read items as the system role", err, "42501", "")
	err = pgx.BeginFunc(ctx, b.db.System, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "INSERT INTO tenants (id, name) VALUES (gen_random_uuid(), 'forged')")
		return err
	})
	wantPgErr(t, "insert a tenant as the system role", err, "42501", "")
}
