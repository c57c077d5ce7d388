package domain

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// FeedChannel is the PostgreSQL notification channel on which every commit
// that writes an event says so. The notification carries nothing: readers
// read the outbox.
const FeedChannel = "inventory_events"

// FeedCursor is a position in the change feed. Events are ordered by the id
// of the transaction that wrote them, then by their own id; this is the order
// in which they commit for any one stock level, since a level's changes take
// their transaction ids under the level's lock.
type FeedCursor struct {
	XID uint64
	ID  int64
}

// After reports whether c is past d.
func (c FeedCursor) After(d FeedCursor) bool {
	return c.XID > d.XID || c.XID == d.XID && c.ID > d.ID
}

// FeedCursorString seals a position in the change feed into the opaque
// cursor a tenant's client sees: the subscription stockChanged and the pulled
// feed give and take the same cursors. It opens only for the same tenant (see
// cursorCodec). A position always gets the same cursor (sealStable), so that
// the subscription, the pulled feed and webhook messages name an event alike
// and a client can compare them.
func (s *Store) FeedCursorString(sc Scope, c FeedCursor) string {
	return s.cursors(sc, feedList).sealStable(c.position())
}

// feedList is the list name of the change feed's cursors.
const feedList = "feed"

// position is the cursor's plain form, which only a sealed cursor or a tag
// carries out of the domain.
func (c FeedCursor) position() string { return fmt.Sprintf("%d:%d", c.XID, c.ID) }

// ParseFeedCursor opens a cursor made by FeedCursorString for the same
// tenant. Any other string, or another tenant's cursor, is a VALIDATION
// error on after.
func (s *Store) ParseFeedCursor(sc Scope, cursor string) (FeedCursor, error) {
	bad := &Error{Code: CodeValidation, Field: []string{"after"}, Message: "after is not a cursor of the change feed"}
	position, ok := s.cursors(sc, feedList).open(cursor)
	if !ok {
		return FeedCursor{}, bad
	}
	xidText, idText, ok := strings.Cut(position, ":")
	xid, err1 := strconv.ParseUint(xidText, 10, 64)
	id, err2 := strconv.ParseInt(idText, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return FeedCursor{}, bad
	}
	return FeedCursor{XID: xid, ID: id}, nil
}

const eventColumns = `xid::text AS xid_text, id, tenant_id, kind, payload, created_at`

// finalEvents is the condition that makes reading the feed safe: only events
// whose transaction is older than every transaction still in flight, so that
// no event can later appear before one already read.
const finalEvents = `xid < pg_snapshot_xmin(pg_current_snapshot())`

func scanEvents(rows pgx.Rows) ([]Event, error) {
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var xid string
		if err := rows.Scan(&xid, &e.Cursor.ID, &e.TenantID, &e.Kind, &e.Payload, &e.CreatedAt); err != nil {
			return nil, err
		}
		x, err := strconv.ParseUint(xid, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("parse xid %q: %w", xid, err)
		}
		e.Cursor.XID = x
		out = append(out, e)
	}
	return out, rows.Err()
}

// inSystem runs fn in a transaction on the system pool (WithSystemPool),
// whose role may list tenants, read the whole change feed and prune it, and
// nothing else. The service role that serves requests cannot.
func (s *Store) inSystem(ctx context.Context, fn func(tx pgx.Tx) error) error {
	if s.system == nil {
		return errNoSystemPool
	}
	return pgx.BeginFunc(ctx, s.system, fn)
}

// errNoSystemPool is the error of work across tenants on a Store built
// without WithSystemPool.
var errNoSystemPool = errors.New("domain: this store has no system pool (WithSystemPool) for work across tenants")

// FeedHead returns the position of the newest final event: a reader that
// starts there sees every change that commits from now on.
func (s *Store) FeedHead(ctx context.Context) (FeedCursor, error) {
	var c FeedCursor
	err := s.inSystem(ctx, func(tx pgx.Tx) (err error) {
		c, err = scanCursor(tx.QueryRow(ctx, `SELECT xid::text AS xid_text, id FROM events WHERE `+finalEvents+`
			ORDER BY events.xid DESC, events.id DESC LIMIT 1`))
		if err == pgx.ErrNoRows {
			return nil
		}
		return err
	})
	if err != nil {
		return c, fmt.Errorf("read feed head: %w", err)
	}
	return c, nil
}

// scanCursor reads a cursor from a row of (xid as text, id).
func scanCursor(row pgx.Row) (FeedCursor, error) {
	var c FeedCursor
	var xid string
	if err := row.Scan(&xid, &c.ID); err != nil {
		return FeedCursor{}, err
	}
	x, err := strconv.ParseUint(xid, 10, 64)
	if err != nil {
		return FeedCursor{}, fmt.Errorf("parse xid %q: %w", xid, err)
	}
	c.XID = x
	return c, nil
}

// ReadFeed returns up to limit final events of every tenant after the cursor,
// in feed order.
func (s *Store) ReadFeed(ctx context.Context, after FeedCursor, limit int) ([]Event, error) {
	var events []Event
	err := s.inSystem(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+eventColumns+` FROM events
			WHERE (xid, id) > ($1::text::xid8, $2) AND `+finalEvents+`
			ORDER BY events.xid, events.id LIMIT $3`, strconv.FormatUint(after.XID, 10), after.ID, limit)
		if err != nil {
			return err
		}
		events, err = scanEvents(rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read feed: %w", err)
	}
	return events, nil
}

// TenantEvents returns up to limit of the tenant's events after one cursor and
// up to another, in feed order. A subscriber resuming from a cursor replays
// them before it goes live.
func (s *Store) TenantEvents(ctx context.Context, sc Scope, after, upTo FeedCursor, limit int) ([]Event, error) {
	var events []Event
	err := s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+eventColumns+` FROM events
			WHERE tenant_id = $1 AND (xid, id) > ($2::text::xid8, $3) AND (xid, id) <= ($4::text::xid8, $5)
			ORDER BY events.xid, events.id LIMIT $6`, sc.TenantID,
			strconv.FormatUint(after.XID, 10), after.ID, strconv.FormatUint(upTo.XID, 10), upTo.ID, limit)
		if err != nil {
			return err
		}
		events, err = scanEvents(rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read tenant events: %w", err)
	}
	return events, nil
}

// FeedHorizon returns the newest event ever pruned from the outbox: changes
// after an older cursor can no longer be replayed in full.
func (s *Store) FeedHorizon(ctx context.Context) (FeedCursor, error) {
	c, err := scanCursor(s.pool.QueryRow(ctx, `SELECT xid::text AS xid_text, id FROM feed_horizon`))
	if err != nil {
		return c, fmt.Errorf("read feed horizon: %w", err)
	}
	return c, nil
}

// PruneEvents deletes events older than age, across tenants, and returns how
// many it deleted.
func (s *Store) PruneEvents(ctx context.Context, age time.Duration) (int64, error) {
	var n int64
	err := s.inSystem(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `WITH gone AS (
				DELETE FROM events WHERE created_at < now() - make_interval(secs => $1) RETURNING xid, id
			), newest AS (
				SELECT xid, id FROM gone ORDER BY gone.xid DESC, gone.id DESC LIMIT 1
			), moved AS (
				UPDATE feed_horizon h SET xid = newest.xid, id = newest.id FROM newest
				WHERE (newest.xid, newest.id) > (h.xid, h.id) RETURNING 1
			)
			SELECT count(*) FROM gone`, age.Seconds()).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("prune events: %w", err)
	}
	return n, nil
}

// Before reports whether c is before d.
func (c FeedCursor) Before(d FeedCursor) bool { return d.After(c) }
