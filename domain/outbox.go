package domain

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// The outbox is the events table: every committed change writes one event
// there, in its own transaction, and the change feed (feed.go) reads them in
// commit-safe order. This file holds what an event is, its kinds, and how one
// is written.

// The kinds of event, as Event.Kind carries them.
const (
	// EventStockChanged is a committed stock operation; its payload is the
	// StockChange.
	EventStockChanged = "stock.changed"
	// EventAlertRaised, EventAlertUpdated and EventAlertResolved follow an
	// alert through its life; their payload is the Alert.
	EventAlertRaised   = "alert.raised"
	EventAlertUpdated  = "alert.updated"
	EventAlertResolved = "alert.resolved"
	// EventReportUpdated is a report's progress; its payload is the Report.
	EventReportUpdated = "report.updated"
)

// Event is one committed change, as the outbox holds it.
type Event struct {
	Cursor    FeedCursor
	TenantID  string
	Kind      string
	Payload   json.RawMessage
	CreatedAt time.Time
}

// StockChange decodes a stock.changed event's payload.
func (e *Event) StockChange() (*StockChange, error) {
	var c StockChange
	if err := json.Unmarshal(e.Payload, &c); err != nil {
		return nil, fmt.Errorf("decode event %v: %w", e.Cursor, err)
	}
	return &c, nil
}

// insertEventSQL writes one event: $1 tenant, $2 operation id, $3 kind, $4
// payload. The table fills in the transaction's id, which orders the feed.
const insertEventSQL = `INSERT INTO events (tenant_id, operation_id, kind, payload) VALUES ($1, $2, $3, $4)`

// writeEvent puts a record on the change feed, in the caller's transaction,
// and notifies the feed's listeners when the transaction commits. Stock
// changes write theirs in the engine's last round trip instead, and notify
// after the commit (see feedNotifier).
func writeEvent(ctx context.Context, tx pgx.Tx, sc Scope, kind string, payload any) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("encode event: %w", err)
	}
	batch := &pgx.Batch{}
	batch.Queue(insertEventSQL, sc.TenantID, uuid.NewString(), kind, b)
	batch.Queue(`SELECT pg_notify($1, '')`, FeedChannel)
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return fmt.Errorf("write event: %w", err)
	}
	return nil
}
