package domain_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/inventory-backbone/inventory/domain"
)

// TestLedgerIsAppendOnly tries to rewrite the ledger: the service role has
// no UPDATE, DELETE or TRUNCATE privilege on movements, and the trigger
// refuses them to the tables' owner as well. Every attempt runs in a
// transaction that is rolled back, so a broken guard cannot hurt other tests.
func TestLedgerIsAppendOnly(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 5)
	before := b.counts(t)
	statements := map[string]string{
		"UPDATE":   "UPDATE movements SET quantity = 500 WHERE tenant_id = $1",
		"DELETE":   "DELETE FROM movements WHERE tenant_id = $1",
		"TRUNCATE": "TRUNCATE movements",
	}
	for op, sql := range statements {
		var args []any
		if op != "TRUNCATE" {
			args = []any{b.sc.TenantID}
		}
		t.Run(op+" as the service role", func(t *testing.T) {
			err := inTx(t, b.db.App, b.sc.TenantID, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, sql, args...)
				return err
			})
			wantPgErr(t, op, err, "42501", "permission denied")
		})
		t.Run(op+" as the owner", func(t *testing.T) {
			err := inTx(t, b.db.Owner, "", func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, sql, args...)
				return err
			})
			wantPgErr(t, op, err, "42501", "append-only")
		})
	}
	b.assertUnchanged(t, "refused rewrites", before)
	m, err := b.store.Movements(ctx, b.sc, domain.MovementFilter{}, domain.PageRequest{})
	if err != nil || len(m.Rows) != 1 || m.Rows[0].Quantity != 5 {
		t.Errorf("ledger after refused rewrites: %+v, %v", m, err)
	}
}

// TestOutboxIsNotWritableByTheService checks that a transaction bound to a
// tenant, as every request path is, can neither change nor remove the
// tenant's outbox events through the service role (pruning, if the service
// does it, belongs to a system scope that no request sets), and that the
// owner cannot change one either.
func TestOutboxIsNotWritableByTheService(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 5)
	before := b.counts(t)

	err := inTx(t, b.db.App, b.sc.TenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "UPDATE events SET kind = 'forged' WHERE tenant_id = $1", b.sc.TenantID)
		return err
	})
	wantPgErr(t, "UPDATE events as the service role", err, "42501", "")
	for name, tenantID := range map[string]string{"bound to the tenant": b.sc.TenantID, "with no tenant": ""} {
		var deleted int64
		err := inTx(t, b.db.App, tenantID, func(tx pgx.Tx) error {
			tag, err := tx.Exec(ctx, "DELETE FROM events WHERE tenant_id = $1", b.sc.TenantID)
			deleted = tag.RowsAffected()
			return err
		})
		if err == nil && deleted != 0 {
			t.Errorf("the service role, %s, deleted %d of the tenant's outbox events", name, deleted)
		} else if err != nil {
			wantPgErr(t, "DELETE events as the service role "+name, err, "42501", "")
		}
	}
	err = inTx(t, b.db.Owner, "", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "UPDATE events SET kind = 'forged' WHERE tenant_id = $1", b.sc.TenantID)
		return err
	})
	wantPgErr(t, "UPDATE events as the owner", err, "42501", "append-only")
	b.assertUnchanged(t, "refused outbox rewrites", before)
}

// storedEvent is an outbox row as the owner reads it.
type storedEvent struct {
	OperationID string
	Kind        string
	Payload     []byte
}

// eventsOf reads the tenant's outbox rows, oldest first.
func (b *testBundle) eventsOf(t *testing.T) []storedEvent {
	t.Helper()
	rows, _ := b.db.Owner.Query(context.Background(), `SELECT operation_id::text, kind, payload::text
		FROM events WHERE tenant_id = $1 ORDER BY id`, b.sc.TenantID)
	evs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (storedEvent, error) {
		var e storedEvent
		var payload string
		err := row.Scan(&e.OperationID, &e.Kind, &payload)
		e.Payload = []byte(payload)
		return e, err
	})
	if err != nil {
		t.Fatalf("read events: %v", err)
	}
	return evs
}

// TestEveryChangeWritesOneOutboxEvent runs each stock operation and checks
// that it wrote exactly one stock.changed event in its transaction, whose
// payload carries the movements and levels the call returned; failures,
// replays and counts that change nothing write none.
func TestEveryChangeWritesOneOutboxEvent(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	ops := []struct {
		name string
		call func() (*domain.StockChange, error)
	}{
		{"receive", func() (*domain.StockChange, error) {
			return b.store.Receive(ctx, b.sc, b.item.ID, b.locA.ID, 20, domain.Meta{Reference: ptr("PO-1"), IdempotencyKey: ptr("r1")})
		}},
		{"ship", func() (*domain.StockChange, error) {
			return b.store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, 3, domain.Meta{Reference: ptr("SO-1")})
		}},
		{"adjust", func() (*domain.StockChange, error) {
			return b.store.Adjust(ctx, b.sc, domain.Adjustment{ItemID: b.item.ID, LocationID: b.locA.ID, Delta: -2,
				CompareQuantity: ptr(int64(17))}, domain.Meta{Reason: ptr("broken")})
		}},
		{"count", func() (*domain.StockChange, error) {
			return b.store.Count(ctx, b.sc, b.item.ID, b.locA.ID, 16, domain.Meta{})
		}},
		{"transfer", func() (*domain.StockChange, error) {
			return b.store.Transfer(ctx, b.sc, b.item.ID, b.locA.ID, b.locB.ID, 6, domain.Meta{Reference: ptr("TR-1")})
		}},
	}
	for _, op := range ops {
		before := len(b.eventsOf(t))
		c, err := op.call()
		if err != nil {
			t.Fatalf("%s: %v", op.name, err)
		}
		evs := b.eventsOf(t)
		if len(evs) != before+1 {
			t.Fatalf("%s wrote %d events, want 1", op.name, len(evs)-before)
		}
		ev := evs[len(evs)-1]
		if ev.Kind != domain.EventStockChanged || ev.OperationID != c.OperationID {
			t.Errorf("%s: event kind %q operation %s, want %q %s", op.name, ev.Kind, ev.OperationID, domain.EventStockChanged, c.OperationID)
		}
		var payload domain.StockChange
		if err := json.Unmarshal(ev.Payload, &payload); err != nil {
			t.Fatalf("%s: payload %s: %v", op.name, ev.Payload, err)
		}
		if payload.OperationID != c.OperationID || payload.Operation != c.Operation || payload.Actor != "tester" {
			t.Errorf("%s: payload says operation %s %s by %q", op.name, payload.OperationID, payload.Operation, payload.Actor)
		}
		if !slices.Equal(movementIDs(&payload), movementIDs(c)) || len(c.Movements) == 0 {
			t.Errorf("%s: payload movements %v, returned %v", op.name, movementIDs(&payload), movementIDs(c))
		}
		for i := range c.Movements {
			if i < len(payload.Movements) && describeMovement(payload.Movements[i]) != describeMovement(c.Movements[i]) {
				t.Errorf("%s: payload movement %s, returned %s", op.name, describeMovement(payload.Movements[i]), describeMovement(c.Movements[i]))
			}
		}
		if len(payload.Levels) != len(c.Levels) {
			t.Errorf("%s: payload has %d levels, returned %d", op.name, len(payload.Levels), len(c.Levels))
		}
		for i := range min(len(payload.Levels), len(c.Levels)) {
			p, r := payload.Levels[i], c.Levels[i]
			if p.Key() != r.Key() || p.Available != r.Available || p.Incoming != r.Incoming || p.Version != r.Version || !p.UpdatedAt.Equal(r.UpdatedAt) {
				t.Errorf("%s: payload level %+v, returned %+v", op.name, p, r)
			}
		}
	}
	if a, bl := b.level(t, b.locA), b.level(t, b.locB); a.Available != 10 || bl.Available != 6 {
		t.Errorf("levels A %+v, B %+v; want 10 and 6", a, bl)
	}

	before := b.counts(t)
	noEvent := map[string]func() (*domain.StockChange, error){
		"insufficient stock": func() (*domain.StockChange, error) {
			return b.store.Ship(ctx, b.sc, b.item.ID, b.locA.ID, 11, domain.Meta{})
		},
		"version conflict": func() (*domain.StockChange, error) {
			return b.store.Adjust(ctx, b.sc, domain.Adjustment{ItemID: b.item.ID, LocationID: b.locA.ID, Delta: 1,
				CompareQuantity: ptr(int64(11))}, domain.Meta{Reason: ptr("x")})
		},
		"not found": func() (*domain.StockChange, error) {
			return b.store.Receive(ctx, b.sc, missingID, b.locA.ID, 1, domain.Meta{})
		},
		"idempotency conflict": func() (*domain.StockChange, error) {
			return b.store.Receive(ctx, b.sc, b.item.ID, b.locA.ID, 21, domain.Meta{Reference: ptr("PO-1"), IdempotencyKey: ptr("r1")})
		},
		"replay": func() (*domain.StockChange, error) {
			return b.store.Receive(ctx, b.sc, b.item.ID, b.locA.ID, 20, domain.Meta{Reference: ptr("PO-1"), IdempotencyKey: ptr("r1")})
		},
		"count equal to the books": func() (*domain.StockChange, error) {
			return b.store.Count(ctx, b.sc, b.item.ID, b.locA.ID, 10, domain.Meta{})
		},
	}
	for name, call := range noEvent {
		c, err := call()
		if (name == "replay" || name == "count equal to the books") != (err == nil) {
			t.Errorf("%s: %+v, %v", name, c, err)
		}
		b.assertUnchanged(t, name, before)
	}
}

// TestMovementsRecordTheirOperation checks that the movements of one
// operation share its id, actor, reference, reason, idempotency key and
// time, as stored in the ledger.
func TestMovementsRecordTheirOperation(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.receive(t, b.locA, 10)
	sc := domain.Scope{TenantID: b.sc.TenantID, Actor: "user:42"}
	c, err := b.store.Transfer(ctx, sc, b.item.ID, b.locA.ID, b.locB.ID, 4,
		domain.Meta{IdempotencyKey: ptr("tr-9"), Reference: ptr("TR-9"), Reason: ptr("rebalance")})
	if err != nil {
		t.Fatal(err)
	}
	if c.Actor != "user:42" || *c.Reference != "TR-9" || *c.Reason != "rebalance" || c.Operation != "transferStock" {
		t.Errorf("change: %+v", c)
	}
	rows, _ := b.db.Owner.Query(ctx, `SELECT id::text, operation_id::text, actor, reference, reason, idempotency_key, created_at
		FROM movements WHERE tenant_id = $1 AND operation_id = $2 ORDER BY id`, b.sc.TenantID, c.OperationID)
	type row struct {
		ID, OperationID, Actor, Reference, Reason, Key string
		CreatedAt                                      time.Time
	}
	stored, err := pgx.CollectRows(rows, pgx.RowToStructByPos[row])
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 2 {
		t.Fatalf("the operation has %d movements in the ledger, want 2", len(stored))
	}
	for i, r := range stored {
		if r.ID != c.Movements[i].ID || r.Actor != "user:42" || r.Reference != "TR-9" || r.Reason != "rebalance" || r.Key != "tr-9" {
			t.Errorf("stored movement %d: %+v", i, r)
		}
		if !r.CreatedAt.Equal(c.Movements[i].CreatedAt) {
			t.Errorf("stored movement %d created %s, returned %s", i, r.CreatedAt, c.Movements[i].CreatedAt)
		}
	}
	if !c.CreatedAt.Equal(c.Movements[0].CreatedAt) {
		t.Errorf("change created %s, its first movement %s", c.CreatedAt, c.Movements[0].CreatedAt)
	}
}
