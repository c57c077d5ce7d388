package domain

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"
)

// StockChangeKind is what one line of a batch does.
type StockChangeKind string

// The kinds of batch line, each the single operation of the same name.
const (
	ChangeReceive  StockChangeKind = "RECEIVE"
	ChangeShip     StockChangeKind = "SHIP"
	ChangeAdjust   StockChangeKind = "ADJUST"
	ChangeCount    StockChangeKind = "COUNT"
	ChangeTransfer StockChangeKind = "TRANSFER"
)

// MaxBatchLines bounds the lines of one batch.
const MaxBatchLines = 1000

// StockChangeLine is one line of a batch. It names its item by ItemID or
// SKU, its location by LocationID or LocationCode (and, for a transfer, its
// destination by ToLocationID or ToLocationCode), and carries the fields its
// kind needs: Quantity (RECEIVE, SHIP, TRANSFER), Delta and optionally
// CompareQuantity (ADJUST), CountedQuantity (COUNT). Reason and Reference,
// when set, replace the batch's own for this line's movements.
type StockChangeLine struct {
	Kind            StockChangeKind `json:"kind"`
	ItemID          *string         `json:"itemId,omitempty"`
	SKU             *string         `json:"sku,omitempty"`
	LocationID      *string         `json:"locationId,omitempty"`
	LocationCode    *string         `json:"locationCode,omitempty"`
	ToLocationID    *string         `json:"toLocationId,omitempty"`
	ToLocationCode  *string         `json:"toLocationCode,omitempty"`
	Quantity        *int64          `json:"quantity,omitempty"`
	Delta           *int64          `json:"delta,omitempty"`
	CountedQuantity *int64          `json:"countedQuantity,omitempty"`
	CompareQuantity *int64          `json:"compareQuantity,omitempty"`
	Reason          *string         `json:"reason,omitempty"`
	Reference       *string         `json:"reference,omitempty"`
}

// RecordStockChanges applies up to MaxBatchLines lines as one operation, in
// one transaction: every line applies or none does. Each line is checked and
// planned in order against the levels as the earlier lines left them, under
// locks on every level the batch touches, taken up front in the engine's one
// global order. The batch has one idempotency key and writes one outbox
// event. A failing line is named by its path, ["input", "lines", "<index>",
// "<field>"], with the code the single operation would give.
func (s *Store) RecordStockChanges(ctx context.Context, sc Scope, lines []StockChangeLine, meta Meta) (*StockChange, error) {
	return s.recordLines(ctx, sc, lines, meta, MaxBatchLines)
}

// recordLines is RecordStockChanges with a bound of its own.
func (s *Store) recordLines(ctx context.Context, sc Scope, lines []StockChangeLine, meta Meta, maxLines int) (*StockChange, error) {
	if len(lines) == 0 {
		return nil, newError(CodeValidation, "lines", "a batch needs at least one line")
	}
	if len(lines) > maxLines {
		return nil, newError(CodeValidation, "lines", "a batch may have at most %d lines, this one has %d: split it", maxLines, len(lines))
	}
	cmd := &batchCmd{Lines: make([]StockChangeLine, len(lines))}
	for i, l := range lines {
		clean, err := checkLine(i, l, meta)
		if err != nil {
			return nil, err
		}
		cmd.Lines[i] = clean
	}
	return s.execute(ctx, sc, cmd, meta)
}

// linePath is the input path of a line's field.
func linePath(i int, field string) []string {
	return []string{"input", "lines", strconv.Itoa(i), field}
}

func lineError(i int, code Code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: linePath(i, field), Message: fmt.Sprintf("line %d: ", i) + fmt.Sprintf(format, args...)}
}

// checkLine validates one line on its own, before anything runs, and returns
// it with its ids canonical and its texts trimmed.
func checkLine(i int, l StockChangeLine, meta Meta) (StockChangeLine, error) {
	var err error
	ref := func(idField, altField string, id, alt **string, required bool) error {
		switch {
		case *id != nil && *alt != nil:
			return lineError(i, CodeValidation, idField, "give %s or %s, not both", idField, altField)
		case *id != nil:
			canon, err := parseID(idField, **id)
			if err != nil {
				return lineError(i, CodeValidation, idField, "%q is not a valid id", truncate(**id, 64))
			}
			*id = &canon
		case *alt != nil:
			v, err := requireText(altField, **alt, maxSKU)
			if err != nil {
				return lineError(i, CodeValidation, altField, "%s", err.(*Error).Message)
			}
			*alt = &v
		case required:
			return lineError(i, CodeValidation, idField, "give %s or %s", idField, altField)
		}
		return nil
	}
	if err = ref("itemId", "sku", &l.ItemID, &l.SKU, true); err != nil {
		return l, err
	}
	if err = ref("locationId", "locationCode", &l.LocationID, &l.LocationCode, true); err != nil {
		return l, err
	}
	if err = ref("toLocationId", "toLocationCode", &l.ToLocationID, &l.ToLocationCode, l.Kind == ChangeTransfer); err != nil {
		return l, err
	}
	if l.Kind != ChangeTransfer && (l.ToLocationID != nil || l.ToLocationCode != nil) {
		return l, lineError(i, CodeValidation, "toLocationId", "only a TRANSFER has a destination")
	}
	if l.Reason, err = optionalText("reason", l.Reason, maxReason); err != nil {
		return l, lineError(i, CodeValidation, "reason", "%s", err.(*Error).Message)
	}
	if l.Reference, err = optionalText("reference", l.Reference, maxReference); err != nil {
		return l, lineError(i, CodeValidation, "reference", "%s", err.(*Error).Message)
	}
	// Each kind takes its own fields and no other.
	fields := map[string]*int64{"quantity": l.Quantity, "delta": l.Delta, "countedQuantity": l.CountedQuantity, "compareQuantity": l.CompareQuantity}
	var needs []string
	switch l.Kind {
	case ChangeReceive, ChangeShip, ChangeTransfer:
		needs = []string{"quantity"}
	case ChangeAdjust:
		needs = []string{"delta", "compareQuantity"}
	case ChangeCount:
		needs = []string{"countedQuantity"}
	default:
		return l, lineError(i, CodeValidation, "kind", "kind must be RECEIVE, SHIP, ADJUST, COUNT or TRANSFER")
	}
	for _, name := range []string{"quantity", "delta", "countedQuantity", "compareQuantity"} {
		if fields[name] != nil && !slices.Contains(needs, name) {
			return l, lineError(i, CodeValidation, name, "a %s line takes no %s", l.Kind, name)
		}
	}
	if fields[needs[0]] == nil {
		return l, lineError(i, CodeValidation, needs[0], "a %s line needs %s", l.Kind, needs[0])
	}
	switch l.Kind {
	case ChangeReceive, ChangeShip, ChangeTransfer:
		err = positiveQuantity("quantity", *l.Quantity)
	case ChangeAdjust:
		switch d := *l.Delta; {
		case d == 0:
			err = newError(CodeValidation, "delta", "delta must not be zero")
		case d > MaxQuantity || d < -MaxQuantity:
			err = newError(CodeValidation, "delta", "delta must be between -%d and %d", MaxQuantity, MaxQuantity)
		case l.CompareQuantity != nil && *l.CompareQuantity < 0:
			err = newError(CodeValidation, "compareQuantity", "compareQuantity must not be negative")
		case l.Reason == nil && meta.Reason == nil:
			err = newError(CodeValidation, "reason", "an adjustment needs a reason (the line's or the batch's)")
		}
	case ChangeCount:
		if c := *l.CountedQuantity; c < 0 || c > MaxQuantity {
			err = newError(CodeValidation, "countedQuantity", "countedQuantity must be between 0 and %d", MaxQuantity)
		}
	}
	if err != nil {
		e := err.(*Error)
		return l, lineError(i, e.Code, e.Field[len(e.Field)-1], "%s", e.Message)
	}
	return l, nil
}

// batchCmd is a batch of lines: a composite of the single operations'
// commands, run by the engine as one command. Lines is its input, as the
// caller gave it (so the idempotency fingerprint is of the input, skus and
// codes included).
type batchCmd struct {
	Lines []StockChangeLine

	subs    []command  // one per line, after prepare
	ids     []lineIDs  // the line's resolved ids
	keyList []LevelKey // every level, once, in the order lines name them
}

// lineIDs are a line's item and locations, resolved.
type lineIDs struct {
	item, location, to string
}

// inflowIDs names the items and locations that receipt and transfer lines
// bring stock into (archive.go).
func (c *batchCmd) inflowIDs() (items, locations []string) {
	for i, l := range c.Lines {
		switch l.Kind {
		case ChangeReceive:
			items, locations = append(items, c.ids[i].item), append(locations, c.ids[i].location)
		case ChangeTransfer:
			items, locations = append(items, c.ids[i].item), append(locations, c.ids[i].to)
		}
	}
	return items, locations
}

func (c *batchCmd) operation() string { return "recordStockChanges" }
func (c *batchCmd) keys() []LevelKey  { return c.keyList }

// prepare resolves skus and codes to ids, checks that every id exists and
// that no line brings stock into something archived, in two queries, and
// builds each line's command.
func (c *batchCmd) prepare(ctx context.Context, tx pgx.Tx, sc Scope) error {
	var itemIDs, skus, locIDs, codes []string
	for _, l := range c.Lines {
		appendRef(&itemIDs, &skus, l.ItemID, l.SKU)
		appendRef(&locIDs, &codes, l.LocationID, l.LocationCode)
		appendRef(&locIDs, &codes, l.ToLocationID, l.ToLocationCode)
	}
	items, err := catalogueRefs(ctx, tx, sc, "items", "sku", itemIDs, skus)
	if err != nil {
		return err
	}
	locs, err := catalogueRefs(ctx, tx, sc, "locations", "code", locIDs, codes)
	if err != nil {
		return err
	}
	seen := map[LevelKey]bool{}
	addKey := func(k LevelKey) {
		if !seen[k] {
			seen[k] = true
			c.keyList = append(c.keyList, k)
		}
	}
	c.subs = make([]command, len(c.Lines))
	c.ids = make([]lineIDs, len(c.Lines))
	for i, l := range c.Lines {
		item, err := resolveRef(i, items, "itemId", "sku", "item", l.ItemID, l.SKU)
		if err != nil {
			return err
		}
		loc, err := resolveRef(i, locs, "locationId", "locationCode", "location", l.LocationID, l.LocationCode)
		if err != nil {
			return err
		}
		key := LevelKey{ItemID: item.id, LocationID: loc.id}
		ids := lineIDs{item: item.id, location: loc.id}
		switch l.Kind {
		case ChangeReceive:
			if err := refuseArchived(i, l, item, loc, "locationId", "locationCode", l.LocationID); err != nil {
				return err
			}
			c.subs[i] = &receiveCmd{Level: key, Quantity: *l.Quantity}
		case ChangeShip:
			c.subs[i] = &shipCmd{Level: key, Quantity: *l.Quantity}
		case ChangeAdjust:
			c.subs[i] = &adjustCmd{Level: key, Delta: *l.Delta, CompareQuantity: l.CompareQuantity}
		case ChangeCount:
			c.subs[i] = &countCmd{Level: key, Counted: *l.CountedQuantity}
		case ChangeTransfer:
			to, err := resolveRef(i, locs, "toLocationId", "toLocationCode", "location", l.ToLocationID, l.ToLocationCode)
			if err != nil {
				return err
			}
			if to.id == loc.id {
				return lineError(i, CodeValidation, refField(l.ToLocationID, "toLocationId", "toLocationCode"), "a transfer needs two different locations")
			}
			if err := refuseArchived(i, l, item, to, "toLocationId", "toLocationCode", l.ToLocationID); err != nil {
				return err
			}
			ids.to = to.id
			toKey := LevelKey{ItemID: item.id, LocationID: to.id}
			c.subs[i] = &transferCmd{From: key, To: toKey, Quantity: *l.Quantity}
			addKey(key)
			addKey(toKey)
			c.ids[i] = ids
			continue
		}
		addKey(key)
		c.ids[i] = ids
	}
	return nil
}

// plan plans each line in order against the levels as the earlier lines
// left them. A line that fails fails the batch, named by its path.
func (c *batchCmd) plan(levels map[LevelKey]Level, meta Meta) ([]draft, error) {
	cur := make(map[LevelKey]Level, len(levels))
	for k, l := range levels {
		cur[k] = l
	}
	var all []draft
	for i, sub := range c.subs {
		drafts, err := sub.plan(cur, meta)
		if err == nil {
			err = applyInPlace(cur, drafts)
		}
		if err != nil {
			return nil, c.lineFailure(i, err)
		}
		for j := range drafts {
			drafts[j].Reason, drafts[j].Reference = c.Lines[i].Reason, c.Lines[i].Reference
		}
		all = append(all, drafts...)
	}
	return all, nil
}

// applyInPlace applies one line's movements to the working levels. A state
// that would go below zero is INSUFFICIENT_STOCK (the line's own plan
// normally says so first, in its own words).
func applyInPlace(cur map[LevelKey]Level, drafts []draft) error {
	move := func(k LevelKey, st State, q int64) error {
		l := cur[k]
		*l.field(st) += q
		if *l.field(st) < 0 {
			return newError(CodeInsufficientStock, "quantity", "not enough %s stock: the line needs %d more", st, -*l.field(st))
		}
		cur[k] = l
		return nil
	}
	for _, d := range drafts {
		if d.From != nil {
			if err := move(d.Key, *d.From, -d.Quantity); err != nil {
				return err
			}
		}
		if d.To != nil {
			to := d.Key
			if d.ToLocation != "" {
				to.LocationID = d.ToLocation
			}
			if err := move(to, *d.To, d.Quantity); err != nil {
				return err
			}
		}
	}
	return nil
}

// lineFailure names a line's business failure by its path.
func (c *batchCmd) lineFailure(i int, err error) error {
	e, ok := AsError(err)
	if !ok {
		return err
	}
	field := "quantity"
	if len(e.Field) > 0 {
		field = e.Field[len(e.Field)-1]
	}
	switch kind := c.Lines[i].Kind; {
	case kind == ChangeAdjust && field == "quantity":
		field = "delta"
	case kind == ChangeCount && field == "quantity":
		field = "countedQuantity"
	}
	return lineError(i, e.Code, field, "%s", e.Message)
}

// archivedField names the first line that brings stock into the archived
// item or location (the engine's last check found it, after a race with an
// archive).
func (c *batchCmd) archivedField(itemID, locationID string) []string {
	for i, l := range c.Lines {
		ids := c.ids[i]
		if l.Kind != ChangeReceive && l.Kind != ChangeTransfer {
			continue
		}
		if itemID != "" && ids.item == itemID {
			return linePath(i, refField(l.ItemID, "itemId", "sku"))
		}
		if l.Kind == ChangeReceive && locationID != "" && ids.location == locationID {
			return linePath(i, refField(l.LocationID, "locationId", "locationCode"))
		}
		if l.Kind == ChangeTransfer && locationID != "" && ids.to == locationID {
			return linePath(i, refField(l.ToLocationID, "toLocationId", "toLocationCode"))
		}
	}
	return []string{"input", "lines"}
}

// catalogueRef is an item or a location a batch names.
type catalogueRef struct {
	id       string
	key      string // sku or code
	archived bool
}

// catalogueRefs reads the rows of table named by id or by key, indexed by
// both.
func catalogueRefs(ctx context.Context, tx pgx.Tx, sc Scope, table, keyColumn string, ids, keys []string) (map[string]catalogueRef, error) {
	out := map[string]catalogueRef{}
	if len(ids)+len(keys) == 0 {
		return out, nil
	}
	rows, err := tx.Query(ctx, `SELECT id::text, `+keyColumn+`, archived_at IS NOT NULL FROM `+table+`
		WHERE tenant_id = $1 AND (id = ANY($2::uuid[]) OR `+keyColumn+` = ANY($3::text[]))`, sc.TenantID, ids, keys)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", table, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r catalogueRef
		if err := rows.Scan(&r.id, &r.key, &r.archived); err != nil {
			return nil, fmt.Errorf("resolve %s: %w", table, err)
		}
		out["id:"+r.id] = r
		out["key:"+r.key] = r
	}
	return out, rows.Err()
}

func appendRef(ids, keys *[]string, id, key *string) {
	if id != nil {
		*ids = append(*ids, *id)
	}
	if key != nil {
		*keys = append(*keys, *key)
	}
}

// resolveRef finds a line's item or location, by id or by key.
func resolveRef(i int, refs map[string]catalogueRef, idField, keyField, noun string, id, key *string) (catalogueRef, error) {
	if id != nil {
		r, ok := refs["id:"+*id]
		if !ok {
			return r, lineError(i, CodeNotFound, idField, "no %s has id %q", noun, *id)
		}
		return r, nil
	}
	r, ok := refs["key:"+*key]
	if !ok {
		return r, lineError(i, CodeNotFound, keyField, "no %s has %s %q", noun, map[string]string{"item": "sku", "location": "code"}[noun], truncate(*key, 64))
	}
	return r, nil
}

// refField is the field a line named something by: idField when it gave the
// id, else keyField.
func refField(id *string, idField, keyField string) string {
	if id != nil {
		return idField
	}
	return keyField
}

// refuseArchived is INVALID_STATE when a line brings stock into an archived
// item or location.
func refuseArchived(i int, l StockChangeLine, item, loc catalogueRef, locIDField, locKeyField string, locID *string) error {
	if item.archived {
		return lineError(i, CodeInvalidState, refField(l.ItemID, "itemId", "sku"), "item %s is archived: it takes no new stock", item.key)
	}
	if loc.archived {
		return lineError(i, CodeInvalidState, refField(locID, locIDField, locKeyField), "location %s is archived: it takes no new stock", loc.key)
	}
	return nil
}
