package domain_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/inventory-backbone/inventory/domain"
)

// TestCursorsAreOpaquePerTenant checks finding 4 of issue 15: a cursor says
// nothing of the position it holds (before, a movement cursor was
// movement:<global sequence>, which told a tenant how busy the others were),
// opens only for the tenant and the list it was made for, and opens in every
// store that shares the secret.
func TestCursorsAreOpaquePerTenant(t *testing.T) {
	ctx := context.Background()
	b := setup(t)
	secret := []byte("a cursor secret of at least 32 bytes...")
	store := domain.NewStore(b.db.App, domain.WithCursorSecret(secret))
	other, err := store.CreateTenant(ctx, "cursor neighbour")
	if err != nil {
		t.Fatal(err)
	}
	sa, sb := b.sc, domain.Scope{TenantID: other.ID, Actor: "tester"}
	itemB, err := store.CreateItem(ctx, sb, domain.NewItem{SKU: "SKU-1", Name: "Widget"})
	if err != nil {
		t.Fatal(err)
	}
	locB, err := store.CreateLocation(ctx, sb, domain.NewLocation{Code: "A", Name: "A"})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := store.Receive(ctx, sa, b.item.ID, b.locA.ID, 1, domain.Meta{}); err != nil {
			t.Fatal(err)
		}
		if _, err := store.Receive(ctx, sb, itemB.ID, locB.ID, 1, domain.Meta{}); err != nil {
			t.Fatal(err)
		}
	}
	one := int64(1)
	page, err := store.Movements(ctx, sa, domain.MovementFilter{}, domain.PageRequest{First: &one})
	if err != nil || len(page.Cursors) != 1 {
		t.Fatalf("movements: %+v, %v", page, err)
	}
	cursor := page.Cursors[0]
	raw, _ := base64.RawURLEncoding.DecodeString(cursor)
	if strings.Contains(string(raw), "movement") || strings.Contains(string(raw), page.Rows[0].ID) {
		t.Errorf("cursor %q decodes to %q, which shows the position", cursor, raw)
	}
	if again, _ := store.Movements(ctx, sa, domain.MovementFilter{}, domain.PageRequest{First: &one}); again.Cursors[0] == cursor {
		t.Errorf("the same position sealed twice gives the same cursor %q: equal cursors would tell positions apart", cursor)
	}

	// The tenant's own next page, from this store and from another with the
	// same secret.
	for name, s := range map[string]*domain.Store{"the same store": store, "a store sharing the secret": domain.NewStore(b.db.App, domain.WithCursorSecret(secret))} {
		next, err := s.Movements(ctx, sa, domain.MovementFilter{}, domain.PageRequest{First: &one, After: &cursor})
		if err != nil || len(next.Rows) != 1 || next.Rows[0].ID == page.Rows[0].ID {
			t.Errorf("%s: the next page: %+v, %v", name, next, err)
		}
	}
	// Another tenant, another secret, another list, or one flipped bit: refused.
	_, err = store.Movements(ctx, sb, domain.MovementFilter{}, domain.PageRequest{After: &cursor})
	wantErr(t, err, domain.CodeValidation, "after")
	_, err = domain.NewStore(b.db.App, domain.WithCursorSecret([]byte("another secret of at least 32 bytes.."))).
		Movements(ctx, sa, domain.MovementFilter{}, domain.PageRequest{After: &cursor})
	wantErr(t, err, domain.CodeValidation, "after")
	_, err = store.Items(ctx, sa, domain.PageRequest{After: &cursor})
	wantErr(t, err, domain.CodeValidation, "after")
	flipped := []byte(cursor)
	flipped[len(flipped)/2] ^= 'A' ^ 'B'
	_, err = store.Movements(ctx, sa, domain.MovementFilter{}, domain.PageRequest{After: ptr(string(flipped))})
	wantErr(t, err, domain.CodeValidation, "after")

	items, err := store.Items(ctx, sa, domain.PageRequest{})
	if err != nil || len(items.Cursors) == 0 {
		t.Fatalf("items: %+v, %v", items, err)
	}
	_, err = store.Items(ctx, sb, domain.PageRequest{After: &items.Cursors[0]})
	wantErr(t, err, domain.CodeValidation, "after")

	// Feed cursors: the same rules.
	pos := domain.FeedCursor{XID: 1234, ID: 56}
	fc := store.FeedCursorString(sa, pos)
	if raw, _ := base64.RawURLEncoding.DecodeString(fc); strings.Contains(string(raw), "1234") {
		t.Errorf("feed cursor %q decodes to %q, which shows the position", fc, raw)
	}
	if got, err := store.ParseFeedCursor(sa, fc); err != nil || got != pos {
		t.Errorf("ParseFeedCursor(own) = %v, %v; want %v", got, err, pos)
	}
	_, err = store.ParseFeedCursor(sb, fc)
	wantErr(t, err, domain.CodeValidation, "after")
	// A feed position always gets the same cursor, in every store sharing
	// the secret, so that stockChanged, stockEvents and webhook messages name
	// an event alike; another tenant's cursor for it differs.
	if again := domain.NewStore(b.db.App, domain.WithCursorSecret(secret)).FeedCursorString(sa, pos); again != fc {
		t.Errorf("the same feed position sealed twice: %q and %q", fc, again)
	}
	if theirs := store.FeedCursorString(sb, pos); theirs == fc {
		t.Errorf("two tenants get the same feed cursor %q", fc)
	}
}
