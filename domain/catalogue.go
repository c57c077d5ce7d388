package domain

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
)

// The outbox event kinds of catalogue changes. Each carries the item or
// location as the change left it.
const (
	EventItemCreated        = "item.created"
	EventItemUpdated        = "item.updated"
	EventItemArchived       = "item.archived"
	EventItemUnarchived     = "item.unarchived"
	EventLocationCreated    = "location.created"
	EventLocationUpdated    = "location.updated"
	EventLocationArchived   = "location.archived"
	EventLocationUnarchived = "location.unarchived"
)

// maxBarcode bounds a barcode, in characters.
const maxBarcode = 100

// Change is an optional change to a nullable field: when Set, the field
// becomes Value, and a nil Value clears it.
type Change[T any] struct {
	Set   bool
	Value *T
}

// ItemChanges is the input of UpdateItem. Nil and unset fields stay as they
// are.
type ItemChanges struct {
	Name         *string
	Unit         *string
	ReorderPoint Change[int64]
	// Barcode: an empty string clears it, as nil does.
	Barcode Change[string]
}

// UpdateItem changes an item's name, unit, reorder point or barcode. A
// barcode another item has is DUPLICATE. A change of reorder point has every
// level of the item checked again for alerts. A call that changes nothing
// writes nothing.
func (s *Store) UpdateItem(ctx context.Context, sc Scope, id string, in ItemChanges) (*Item, error) {
	id, err := parseID("id", id)
	if err != nil {
		return nil, err
	}
	var name, unit, barcode *string
	if in.Name != nil {
		v, err := requireText("name", *in.Name, maxName)
		if err != nil {
			return nil, err
		}
		name = &v
	}
	if in.Unit != nil {
		v, err := requireText("unit", *in.Unit, maxUnit)
		if err != nil {
			return nil, err
		}
		unit = &v
	}
	if p := in.ReorderPoint.Value; in.ReorderPoint.Set && p != nil && (*p < 0 || *p > MaxQuantity) {
		return nil, newError(CodeValidation, "reorderPoint", "reorderPoint must be between 0 and %d", MaxQuantity)
	}
	if in.Barcode.Set {
		if barcode, err = optionalText("barcode", in.Barcode.Value, maxBarcode); err != nil {
			return nil, err
		}
	}
	var it *Item
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		cur, err := itemForUpdate(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		next := *cur
		if name != nil {
			next.Name = *name
		}
		if unit != nil {
			next.Unit = *unit
		}
		if in.ReorderPoint.Set {
			next.ReorderPoint = in.ReorderPoint.Value
		}
		if in.Barcode.Set {
			next.Barcode = barcode
		}
		if sameItem(cur, &next) {
			it = cur
			return nil
		}
		rows, _ := tx.Query(ctx, `UPDATE items SET name = $3, unit = $4, reorder_point = $5, barcode = $6
			WHERE tenant_id = $1 AND id = $2 RETURNING `+itemColumns,
			sc.TenantID, id, next.Name, next.Unit, next.ReorderPoint, next.Barcode)
		if it, err = pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[Item]); err != nil {
			return err
		}
		if !equalPtr(cur.ReorderPoint, it.ReorderPoint) {
			if err := s.recheckItemAlerts(ctx, tx, sc, id); err != nil {
				return err
			}
		}
		return writeEvent(ctx, tx, sc, EventItemUpdated, it)
	})
	if uniqueViolation(err, "items_barcode_key") {
		return nil, newError(CodeDuplicate, "barcode", "barcode %q is already taken", *barcode)
	}
	if err != nil {
		return nil, wrap(err, "update item")
	}
	return it, nil
}

// ArchiveItem archives an item: it takes no new stock (receiving, reserving
// or transferring it is INVALID_STATE), leaves search results unless asked
// for, and keeps its history and whatever stock it still has. Archiving an
// archived item changes nothing.
func (s *Store) ArchiveItem(ctx context.Context, sc Scope, id string) (*Item, error) {
	return s.setItemArchived(ctx, sc, id, true)
}

// UnarchiveItem brings an archived item back.
func (s *Store) UnarchiveItem(ctx context.Context, sc Scope, id string) (*Item, error) {
	return s.setItemArchived(ctx, sc, id, false)
}

func (s *Store) setItemArchived(ctx context.Context, sc Scope, id string, archive bool) (*Item, error) {
	id, err := parseID("id", id)
	if err != nil {
		return nil, err
	}
	var it *Item
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		// FOR UPDATE waits for every stock change that has written a
		// movement of the item (the ledger's foreign key holds a key-share
		// lock on it) and holds off new ones until the archive commits.
		cur, err := itemForUpdate(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if (cur.ArchivedAt != nil) == archive {
			it = cur
			return nil
		}
		rows, _ := tx.Query(ctx, `UPDATE items SET archived_at = CASE WHEN $3 THEN clock_timestamp() END
			WHERE tenant_id = $1 AND id = $2 RETURNING `+itemColumns, sc.TenantID, id, archive)
		if it, err = pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[Item]); err != nil {
			return err
		}
		kind := EventItemUnarchived
		if archive {
			kind = EventItemArchived
		}
		return writeEvent(ctx, tx, sc, kind, it)
	})
	if err != nil {
		return nil, wrap(err, "archive item")
	}
	return it, nil
}

// UpdateLocation renames a location. A call that changes nothing writes
// nothing.
func (s *Store) UpdateLocation(ctx context.Context, sc Scope, id string, name *string) (*Location, error) {
	id, err := parseID("id", id)
	if err != nil {
		return nil, err
	}
	var newName string
	if name != nil {
		if newName, err = requireText("name", *name, maxName); err != nil {
			return nil, err
		}
	}
	var loc *Location
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		cur, err := rowWhere[Location](ctx, tx, sc, "locations", locationColumns, "id", id, "id", "location")
		if err != nil {
			return err
		}
		if name == nil || cur.Name == newName {
			loc = cur
			return nil
		}
		rows, _ := tx.Query(ctx, `UPDATE locations SET name = $3 WHERE tenant_id = $1 AND id = $2 RETURNING `+locationColumns,
			sc.TenantID, id, newName)
		if loc, err = pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[Location]); err != nil {
			return err
		}
		return writeEvent(ctx, tx, sc, EventLocationUpdated, loc)
	})
	if err != nil {
		return nil, wrap(err, "update location")
	}
	return loc, nil
}

// ArchiveLocation archives a location: it takes no new stock and keeps its
// history. A location that holds any stock (in any state, incoming
// included) or has a transfer on its way out is INVALID_STATE: ship, move or
// count it out first.
func (s *Store) ArchiveLocation(ctx context.Context, sc Scope, id string) (*Location, error) {
	return s.setLocationArchived(ctx, sc, id, true)
}

// UnarchiveLocation brings an archived location back.
func (s *Store) UnarchiveLocation(ctx context.Context, sc Scope, id string) (*Location, error) {
	return s.setLocationArchived(ctx, sc, id, false)
}

func (s *Store) setLocationArchived(ctx context.Context, sc Scope, id string, archive bool) (*Location, error) {
	id, err := parseID("id", id)
	if err != nil {
		return nil, err
	}
	var loc *Location
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		// FOR UPDATE conflicts with the key-share lock the ledger's foreign
		// keys take: it waits for every change in flight that moved stock
		// here, so the check below sees their levels, and it holds off new
		// ones until the archive commits (they then see it and refuse).
		rows, _ := tx.Query(ctx, `SELECT `+locationColumns+` FROM locations WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
			sc.TenantID, id)
		cur, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[Location])
		if errors.Is(err, pgx.ErrNoRows) {
			return newError(CodeNotFound, "id", "no location has id %q", id)
		}
		if err != nil {
			return err
		}
		if (cur.ArchivedAt != nil) == archive {
			loc = cur
			return nil
		}
		if archive {
			var units, outgoing int64
			err := tx.QueryRow(ctx, `SELECT
				(SELECT coalesce(sum(available + reserved + damaged + quality_control + in_transit), 0)::bigint
					FROM stock_levels WHERE tenant_id = $1 AND location_id = $2),
				(SELECT count(*) FROM transfers WHERE tenant_id = $1 AND from_location_id = $2 AND status = 'IN_TRANSIT')`,
				sc.TenantID, id).Scan(&units, &outgoing)
			if err != nil {
				return fmt.Errorf("check stock: %w", err)
			}
			if units > 0 {
				return newError(CodeInvalidState, "id", "location %s still holds %d units: ship, transfer or count them out first", cur.Code, units)
			}
			if outgoing > 0 {
				return newError(CodeInvalidState, "id", "location %s has %d transfers on their way out: receive or cancel them first", cur.Code, outgoing)
			}
		}
		rows, _ = tx.Query(ctx, `UPDATE locations SET archived_at = CASE WHEN $3 THEN clock_timestamp() END
			WHERE tenant_id = $1 AND id = $2 RETURNING `+locationColumns, sc.TenantID, id, archive)
		if loc, err = pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[Location]); err != nil {
			return err
		}
		kind := EventLocationUnarchived
		if archive {
			kind = EventLocationArchived
		}
		return writeEvent(ctx, tx, sc, kind, loc)
	})
	if err != nil {
		return nil, wrap(err, "archive location")
	}
	return loc, nil
}

// ItemByBarcode returns the item with this barcode, or a NOT_FOUND Error.
func (s *Store) ItemByBarcode(ctx context.Context, sc Scope, barcode string) (*Item, error) {
	return getWhere[Item](ctx, s, sc, "items", itemColumns, "barcode", strings.TrimSpace(barcode), "", "item")
}

// ItemFilter narrows SearchItems.
type ItemFilter struct {
	// Query matches a sku prefix, a barcode, or every word of the name (each
	// query word of two characters or more as the start of a word of the
	// name), case-insensitively. Empty matches everything.
	Query string
	// IncludeArchived lists archived items too.
	IncludeArchived bool
}

// maxQueryWords bounds the words of a search.
const maxQueryWords = 8

// SearchItems lists the catalogue in sku order, filtered. Every condition is
// a range or an equality over a btree index (migration 00010), the kind of
// condition row-level security lets an index serve, so a search stays fast
// at hundreds of thousands of items.
func (s *Store) SearchItems(ctx context.Context, sc Scope, f ItemFilter, pr PageRequest) (*Page[*Item], error) {
	text := strings.TrimSpace(f.Query)
	if text == "" {
		return s.listItems(ctx, sc, f, pr)
	}
	limit, after, err := pr.parse(s.cursors(sc, "item"))
	if err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(text) > maxName {
		return nil, &Error{Code: CodeValidation, Field: []string{"query"}, Message: fmt.Sprintf("query must be at most %d characters", maxName)}
	}
	if strings.ContainsRune(text, 0) {
		return nil, &Error{Code: CodeValidation, Field: []string{"query"}, Message: "query must not contain NUL characters"}
	}
	// The matching ids: skus that start with the text (a byte range of the
	// lower-cased sku), the barcode, and items with a word starting with each
	// word of the text. A prefix p is the range [p, p + U+10FFFF).
	args := []any{sc.TenantID, strings.ToLower(text), strings.ToLower(text) + maxRune, text}
	matches := []string{
		`SELECT id, sku FROM items WHERE tenant_id = $1 AND sku_key >= $2 AND sku_key < $3`,
		`SELECT id, sku FROM items WHERE tenant_id = $1 AND barcode = $4`,
	}
	if words := queryWords(text); len(words) > 0 {
		var each []string
		for _, w := range words {
			args = append(args, w, w+maxRune)
			each = append(each, fmt.Sprintf(`SELECT item_id, sku FROM item_words WHERE tenant_id = $1 AND word >= $%d AND word < $%d`,
				len(args)-1, len(args)))
		}
		matches = append(matches, "("+strings.Join(each, " INTERSECT ")+")")
	}
	// The matches sort by sku on their own; the items are read one by one in
	// that order until the page is full.
	archived := ""
	if !f.IncludeArchived {
		archived = "AND items.archived_at IS NULL"
	}
	args = append(args, after, limit+1)
	sql := fmt.Sprintf(`WITH m AS MATERIALIZED (%s)
		SELECT i.* FROM (SELECT m.id, m.sku FROM m WHERE m.sku > $%d ORDER BY m.sku) o
		CROSS JOIN LATERAL (SELECT %s FROM items WHERE items.tenant_id = $1 AND items.id = o.id %s) i
		ORDER BY o.sku LIMIT $%d`, strings.Join(matches, " UNION "), len(args)-1, itemColumns, archived, len(args))
	rows, err := queryRows[Item](ctx, s, sc, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("search items: %w", err)
	}
	return makePage(rows, limit, s.cursors(sc, "item"), func(i *Item) string { return i.SKU }), nil
}

// maxRune ends the byte range of a prefix: every string that starts with
// the prefix sorts, byte by byte, below the prefix followed by it.
const maxRune = "\U0010FFFF"

// listItems lists the catalogue in sku order, archived items only when asked
// for.
func (s *Store) listItems(ctx context.Context, sc Scope, f ItemFilter, pr PageRequest) (*Page[*Item], error) {
	if f.IncludeArchived {
		return s.Items(ctx, sc, pr)
	}
	limit, after, err := pr.parse(s.cursors(sc, "item"))
	if err != nil {
		return nil, err
	}
	rows, err := queryRows[Item](ctx, s, sc, `SELECT `+itemColumns+` FROM items
		WHERE tenant_id = $1 AND archived_at IS NULL AND sku > $2 ORDER BY items.sku LIMIT $3`, sc.TenantID, after, limit+1)
	if err != nil {
		return nil, fmt.Errorf("list items: %w", err)
	}
	return makePage(rows, limit, s.cursors(sc, "item"), func(i *Item) string { return i.SKU }), nil
}

// queryWords splits a search text into lower-case words of letters and
// digits, as the 'simple' text search configuration splits names, and keeps
// those of two characters or more (one letter would match most of a
// catalogue): "Red T-shirt" is red, shirt.
func queryWords(text string) []string {
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if utf8.RuneCountInString(w) >= 2 && len(words) < maxQueryWords {
			words = append(words, w)
		}
	}
	return words
}

// LocationFilter narrows SearchLocations.
type LocationFilter struct {
	IncludeArchived bool
}

// SearchLocations lists the locations in code order, archived ones only when
// asked for.
func (s *Store) SearchLocations(ctx context.Context, sc Scope, f LocationFilter, pr PageRequest) (*Page[*Location], error) {
	if f.IncludeArchived {
		return s.Locations(ctx, sc, pr)
	}
	limit, after, err := pr.parse(s.cursors(sc, "location"))
	if err != nil {
		return nil, err
	}
	rows, err := queryRows[Location](ctx, s, sc, `SELECT `+locationColumns+` FROM locations
		WHERE tenant_id = $1 AND archived_at IS NULL AND code > $2 ORDER BY locations.code LIMIT $3`, sc.TenantID, after, limit+1)
	if err != nil {
		return nil, fmt.Errorf("list locations: %w", err)
	}
	return makePage(rows, limit, s.cursors(sc, "location"), func(l *Location) string { return l.Code }), nil
}

func itemForUpdate(ctx context.Context, tx pgx.Tx, sc Scope, id string) (*Item, error) {
	rows, _ := tx.Query(ctx, `SELECT `+itemColumns+` FROM items WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, sc.TenantID, id)
	it, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[Item])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, newError(CodeNotFound, "id", "no item has id %q", id)
	}
	return it, err
}

// recheckItemAlerts has every level of an item checked again for alerts,
// after its reorder point changed.
func (s *Store) recheckItemAlerts(ctx context.Context, tx pgx.Tx, sc Scope, itemID string) error {
	rows, _ := tx.Query(ctx, `SELECT item_id::text, location_id::text FROM stock_levels WHERE tenant_id = $1 AND item_id = $2`,
		sc.TenantID, itemID)
	keys, err := pgx.CollectRows(rows, pgx.RowToStructByPos[LevelKey])
	if err != nil {
		return err
	}
	return s.requestAlertChecks(ctx, tx, sc, keys)
}

func sameItem(a, b *Item) bool {
	return a.Name == b.Name && a.Unit == b.Unit && equalPtr(a.ReorderPoint, b.ReorderPoint) && equalPtr(a.Barcode, b.Barcode)
}

func equalPtr[T comparable](a, b *T) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}
