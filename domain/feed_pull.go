package domain

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
)

// CodeCursorExpired is the code of the error a reader gets for a feed cursor
// older than the feed's retention: the events after it are no longer all
// kept. It is a query's top-level error, never a mutation's userError.
const CodeCursorExpired Code = "CURSOR_EXPIRED"

// StockEventFilter narrows the pulled feed to stock changes that touch a
// matching level. Empty lists match everything.
type StockEventFilter struct {
	ItemIDs     []string
	LocationIDs []string
}

// StockEventPage is one page of the pulled change feed.
type StockEventPage struct {
	// Events are the tenant's stock changes after the cursor, in feed order.
	Events []Event
	// HasNextPage is true when more final events follow the page.
	HasNextPage bool
}

// CheckFeedCursor returns a CURSOR_EXPIRED error when events after the
// cursor may have been pruned, so that a reader resumes only where it can see
// every event.
func (s *Store) CheckFeedCursor(ctx context.Context, after FeedCursor) error {
	horizon, err := s.FeedHorizon(ctx)
	if err != nil {
		return err
	}
	if horizon.After(after) {
		return &Error{Code: CodeCursorExpired, Field: []string{"after"},
			Message: "changes since that cursor are no longer kept: resynchronise from stockLevel, then read the feed without after"}
	}
	return nil
}

// StockEvents returns up to first of the tenant's final stock changes after
// the cursor (nil: from the oldest kept), in feed order: the events the
// stockChanged subscription delivers, with the same cursors. It reads only
// final events (finalEvents), so a reader that keeps its cursor sees every
// event once, even when transactions commit out of order.
func (s *Store) StockEvents(ctx context.Context, sc Scope, f StockEventFilter, after *FeedCursor, first *int64) (*StockEventPage, error) {
	limit, err := PageRequest{First: first}.limit()
	if err != nil {
		return nil, err
	}
	var from FeedCursor
	if after != nil {
		if err := s.CheckFeedCursor(ctx, *after); err != nil {
			return nil, err
		}
		from = *after
	}
	// As for a subscription, a malformed id matches nothing; an empty (not
	// nil) list is a filter that matches nothing.
	var items, locations []string
	if len(f.ItemIDs) > 0 {
		items = validIDs(f.ItemIDs)
	}
	if len(f.LocationIDs) > 0 {
		locations = validIDs(f.LocationIDs)
	}
	if len(items) > MaxPageSize || len(locations) > MaxPageSize {
		return nil, &Error{Code: CodeValidation, Message: fmt.Sprintf("itemIds and locationIds take at most %d ids each", MaxPageSize)}
	}
	var events []Event
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+eventColumns+` FROM events
			WHERE tenant_id = $1 AND kind = $2 AND (xid, id) > ($3::text::xid8, $4) AND `+finalEvents+`
			AND ($5::text[] IS NULL AND $6::text[] IS NULL OR EXISTS (
				SELECT 1 FROM jsonb_array_elements(payload->'levels') l
				WHERE ($5::text[] IS NULL OR l->>'itemId' = ANY($5)) AND ($6::text[] IS NULL OR l->>'locationId' = ANY($6))))
			ORDER BY events.xid, events.id LIMIT $7`,
			sc.TenantID, EventStockChanged, strconv.FormatUint(from.XID, 10), from.ID, items, locations, limit+1)
		if err != nil {
			return err
		}
		events, err = scanEvents(rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read stock events: %w", err)
	}
	p := &StockEventPage{Events: events}
	if len(events) > limit {
		p.Events, p.HasNextPage = events[:limit], true
	}
	return p, nil
}
