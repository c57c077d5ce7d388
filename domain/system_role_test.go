package domain_test

import (
	"context"
	"slices"
	"testing"
	"time"

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

// TestWebhookDispatchRunsAsTheSystemRole checks migration 00012: the webhook
// dispatcher's look across tenants (WebhookEndpointsBehind) runs as the
// system role, which reads only the columns it needs; the request role sees
// no other tenant's endpoints or deliveries, whatever app.scope says.
func TestWebhookDispatchRunsAsTheSystemRole(t *testing.T) {
	ctx := context.Background()
	b := setup(t)
	other, err := b.store.CreateTenant(ctx, "the webhook neighbour")
	if err != nil {
		t.Fatal(err)
	}
	endpointID := "6f1c5a0e-8a43-4e5b-9d2a-3c1f0e7b9a11"
	err = pgx.BeginFunc(ctx, b.db.App, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", b.sc.TenantID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO webhook_endpoints (tenant_id, id, url, event_types, secret_sealed, cursor_xid, cursor_id)
			VALUES ($1, $2, 'https://hooks.example.com/in', '{*}', '\x00', '0', 0)`, b.sc.TenantID, endpointID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	b.receive(t, b.locA, 1)

	var endpoints, deliveries int
	err = inTx(t, b.db.App, other.ID, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL app.scope = 'system'"); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM webhook_endpoints WHERE tenant_id = $1", b.sc.TenantID).Scan(&endpoints); err != nil {
			return err
		}
		return tx.QueryRow(ctx, "SELECT count(*) FROM webhook_deliveries WHERE tenant_id = $1", b.sc.TenantID).Scan(&deliveries)
	})
	if err != nil {
		t.Fatal(err)
	}
	if endpoints != 0 || deliveries != 0 {
		t.Errorf("the request role, with app.scope = 'system', sees %d endpoints and %d deliveries of another tenant", endpoints, deliveries)
	}

	found := false
	deadline := time.Now().Add(10 * time.Second) // the receipt's event must become final
	for !found && time.Now().Before(deadline) {
		refs, err := b.store.WebhookEndpointsBehind(ctx)
		if err != nil {
			t.Fatal(err)
		}
		found = slices.Contains(refs, domain.WebhookEndpointRef{TenantID: b.sc.TenantID, ID: endpointID})
		time.Sleep(50 * time.Millisecond)
	}
	if !found {
		t.Error("WebhookEndpointsBehind (the system role) does not find the endpoint behind the feed")
	}
	for _, column := range []string{"url", "secret_sealed"} {
		err = pgx.BeginFunc(ctx, b.db.System, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, "SELECT "+column+" FROM webhook_endpoints")
			return err
		})
		wantPgErr(t, "read an endpoint's "+column+" as the system role", err, "42501", "")
	}
	err = pgx.BeginFunc(ctx, b.db.System, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "UPDATE webhook_endpoints SET enabled = false")
		return err
	})
	wantPgErr(t, "disable endpoints as the system role", err, "42501", "")
}
