package domain_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/inventory-backbone/inventory/domain"
)

// rowCounts is what a tenant has written, read through the owner pool: the
// rows of every table a stock operation may write, and the sum of its level
// versions (which grows with every change to a level).
type rowCounts struct {
	Movements    int64
	Events       int64
	Levels       int64
	Reservations int64
	Transfers    int64
	Keys         int64
	Versions     int64
}

// counts reads the tenant's rowCounts through the owner pool.
func (b *testBundle) counts(t *testing.T) rowCounts {
	t.Helper()
	var c rowCounts
	err := b.db.Owner.QueryRow(context.Background(), `SELECT
		(SELECT count(*) FROM movements WHERE tenant_id = $1),
		(SELECT count(*) FROM events WHERE tenant_id = $1 AND kind NOT LIKE 'item.%' AND kind NOT LIKE 'location.%' AND kind NOT LIKE 'import.%'),
		(SELECT count(*) FROM stock_levels WHERE tenant_id = $1),
		(SELECT count(*) FROM reservations WHERE tenant_id = $1),
		(SELECT count(*) FROM transfers WHERE tenant_id = $1),
		(SELECT count(*) FROM idempotency_keys WHERE tenant_id = $1),
		(SELECT coalesce(sum(version), 0)::bigint FROM stock_levels WHERE tenant_id = $1)`,
		b.sc.TenantID).Scan(&c.Movements, &c.Events, &c.Levels, &c.Reservations, &c.Transfers, &c.Keys, &c.Versions)
	if err != nil {
		t.Fatalf("count rows: %v", err)
	}
	return c
}

// assertUnchanged fails the test when the tenant's rows differ from before.
func (b *testBundle) assertUnchanged(t *testing.T, what string, before rowCounts) {
	t.Helper()
	if after := b.counts(t); after != before {
		t.Errorf("%s wrote something: rows before %+v, after %+v", what, before, after)
	}
}

// newItem creates an item in the bundle's tenant.
func (b *testBundle) newItem(t *testing.T, sku string) *domain.Item {
	t.Helper()
	it, err := b.store.CreateItem(context.Background(), b.sc, domain.NewItem{SKU: sku, Name: "Item " + sku})
	if err != nil {
		t.Fatalf("create item %s: %v", sku, err)
	}
	return it
}

// newLocation creates a location in the bundle's tenant.
func (b *testBundle) newLocation(t *testing.T, code string) *domain.Location {
	t.Helper()
	loc, err := b.store.CreateLocation(context.Background(), b.sc, domain.NewLocation{Code: code, Name: "Location " + code})
	if err != nil {
		t.Fatalf("create location %s: %v", code, err)
	}
	return loc
}

// levelOf reads the level of any item at any location of the bundle's tenant.
func (b *testBundle) levelOf(t *testing.T, itemID, locationID string) *domain.Level {
	t.Helper()
	l, err := b.store.Level(context.Background(), b.sc, itemID, locationID)
	if err != nil {
		t.Fatalf("read level: %v", err)
	}
	return l
}

// wantErr fails the test unless err is a domain Error with this code and
// this field path (no path: the Error names no field).
func wantErr(t *testing.T, err error, code domain.Code, field ...string) {
	t.Helper()
	if err == nil {
		t.Errorf("got no error, want %s %v", code, field)
		return
	}
	e, ok := domain.AsError(err)
	if !ok {
		t.Errorf("got %v (%T), want a domain Error %s %v", err, err, code, field)
		return
	}
	if e.Code != code || !slices.Equal(e.Field, field) {
		t.Errorf("got %s %v (%q), want %s %v", e.Code, e.Field, e.Message, code, field)
	}
	if e.Message == "" {
		t.Errorf("%s error has no message", e.Code)
	}
}

// wantPgErr fails the test unless err is a PostgreSQL error with this
// SQLSTATE whose message contains substr (case-insensitively).
func wantPgErr(t *testing.T, what string, err error, code, substr string) {
	t.Helper()
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		t.Errorf("%s: got %v, want PostgreSQL error %s", what, err, code)
		return
	}
	if pgErr.Code != code || !strings.Contains(strings.ToLower(pgErr.Message), strings.ToLower(substr)) {
		t.Errorf("%s: got %s %q, want %s containing %q", what, pgErr.Code, pgErr.Message, code, substr)
	}
}

// inTx runs fn in a transaction of pool that is always rolled back, so that
// a statement that should have been refused cannot leave anything behind.
// When tenantID is not empty, the transaction is bound to that tenant as the
// service binds its own.
func inTx(t *testing.T, pool interface {
	Begin(context.Context) (pgx.Tx, error)
}, tenantID string, fn func(tx pgx.Tx) error) error {
	t.Helper()
	ctx := context.Background()
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if tenantID != "" {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", tenantID); err != nil {
			t.Fatalf("set tenant: %v", err)
		}
	}
	return fn(tx)
}

// jsonOf renders v as JSON, for exact comparisons of whole values.
func jsonOf(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode %T: %v", v, err)
	}
	return string(raw)
}

// movementIDs lists the ids of a change's movements, in order.
func movementIDs(c *domain.StockChange) []string {
	ids := make([]string, len(c.Movements))
	for i, m := range c.Movements {
		ids[i] = m.ID
	}
	return ids
}

// describeMovement renders a movement's accounting fields on one line.
func describeMovement(m domain.Movement) string {
	from, to, toLoc := "outside", "outside", ""
	if m.FromState != nil {
		from = string(*m.FromState)
	}
	if m.ToState != nil {
		to = string(*m.ToState)
	}
	if m.ToLocationID != nil {
		toLoc = "@" + *m.ToLocationID
	}
	return fmt.Sprintf("%s %d %s->%s%s", m.Kind, m.Quantity, from, to, toLoc)
}
