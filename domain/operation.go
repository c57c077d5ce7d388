package domain

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Meta is what every stock operation takes besides its own input: the
// caller's idempotency key, its document reference (an order number) and a
// free-text reason.
type Meta struct {
	IdempotencyKey *string
	Reference      *string
	Reason         *string
}

// StockChange is the outcome of one stock operation: the movements it wrote,
// which share an operation id, and the levels they left behind.
type StockChange struct {
	OperationID string     `json:"operationId"`
	Operation   string     `json:"operation"`
	Actor       string     `json:"actor"`
	Reference   *string    `json:"reference,omitempty"`
	Reason      *string    `json:"reason,omitempty"`
	Movements   []Movement `json:"movements"`
	Levels      []Level    `json:"levels"`
	// Reservations and Transfers are the records the operation created or
	// changed, as it left them, for the operations that have them.
	Reservations []Reservation `json:"reservations,omitempty"`
	Transfers    []Transfer    `json:"transfers,omitempty"`
	// Allocations says, for allocateStock, how much each location gave.
	Allocations []Allocation `json:"allocations,omitempty"`
	CreatedAt   time.Time    `json:"createdAt"`
	// Replayed is true when the idempotency key had been used before with the
	// same input: this is the first call's outcome, and nothing was written.
	Replayed bool `json:"-"`
}

// command is one stock operation. The engine calls keys, then plan with the
// levels those keys name as they stand under their locks.
type command interface {
	// operation is the operation's name, as in the API (e.g. "shipStock").
	operation() string
	// keys lists the levels the operation reads or changes; the first is its
	// main level.
	keys() []LevelKey
	// plan returns the movements the operation makes, or a business Error.
	// It must not change the levels.
	plan(levels map[LevelKey]Level, meta Meta) ([]draft, error)
}

// preparer is a command that must read something before it can name its
// levels (a reservation's item and location, the tenant's locations). prepare
// runs inside the transaction, before any lock.
type preparer interface {
	prepare(ctx context.Context, tx pgx.Tx, sc Scope) error
}

// lockedLoader is a command whose plan depends on rows that the level locks
// guard (a reservation's state). loadLocked runs after the locks, before plan.
type lockedLoader interface {
	loadLocked(ctx context.Context, tx pgx.Tx, sc Scope) error
}

// persister is a command that writes rows of its own (a reservation, a
// transfer) in the same transaction, after its movements are appended.
type persister interface {
	persist(ctx context.Context, tx pgx.Tx, s *Store, sc Scope, change *StockChange) error
}

// EventStockChanged is the outbox event kind of a committed StockChange.
const EventStockChanged = "stock.changed"

// lockKey maps a level to the bigint of its transaction-scoped advisory lock.
func lockKey(tenantID string, k LevelKey) int64 {
	h := fnv.New64a()
	h.Write([]byte("level\x00" + tenantID + "\x00" + k.ItemID + "\x00" + k.LocationID))
	return int64(h.Sum64())
}

// execute runs a command as one transaction. See the package documentation
// for the steps; every stock operation goes through here.
func (s *Store) execute(ctx context.Context, sc Scope, cmd command, meta Meta) (*StockChange, error) {
	var err error
	if meta, err = cleanMeta(meta); err != nil {
		return nil, err
	}
	fingerprint, err := fingerprintOf(cmd, meta)
	if err != nil {
		return nil, err
	}

	change := &StockChange{OperationID: uuid.NewString(), Operation: cmd.operation(), Actor: sc.Actor,
		Reference: meta.Reference, Reason: meta.Reason}
	if !ValidID(sc.TenantID) {
		return nil, fmt.Errorf("domain: scope has no valid tenant")
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// The tenant is set for this transaction only (set_config(..., true)),
		// in the first round trip that needs it.
		tenantSet := false
		if p, ok := cmd.(preparer); ok {
			if err := setTenant(ctx, tx, sc); err != nil {
				return err
			}
			tenantSet = true
			if err := p.prepare(ctx, tx, sc); err != nil {
				return err
			}
		}
		keys := cmd.keys()
		locked := lockOrder(sc.TenantID, keys)

		// Round trip 1: check the ids, take the locks in global order, claim
		// the idempotency key, read the levels. Nothing is written before the
		// locks are held, so the transaction's id (pg_current_xact_id, which
		// orders the change feed) is assigned under them: two changes to one
		// level get ids in the order they commit.
		b := &pgx.Batch{}
		if !tenantSet {
			b.Queue(setTenantSQL, sc.TenantID)
		}
		// Statements for one level take single values, not arrays, so that
		// PostgreSQL can keep a cached plan for them (most operations touch
		// one level).
		itemIDs, locationIDs := distinctIDs(keys)
		if len(locked) == 1 {
			b.Queue(`SELECT (SELECT count(*) FROM items WHERE tenant_id = $1 AND id = $2),
				(SELECT count(*) FROM locations WHERE tenant_id = $1 AND id = $3)`,
				sc.TenantID, itemIDs[0], locationIDs[0])
		} else {
			b.Queue(`SELECT (SELECT count(*) FROM items WHERE tenant_id = $1 AND id = ANY($2::uuid[])),
				(SELECT count(*) FROM locations WHERE tenant_id = $1 AND id = ANY($3::uuid[]))`,
				sc.TenantID, itemIDs, locationIDs)
		}
		queueLocks(b, sc, locked) // one statement per level, or one in all for many (engine_bulk.go)
		if meta.IdempotencyKey != nil {
			b.Queue(`INSERT INTO idempotency_keys (tenant_id, key, operation, request_hash)
				VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
				sc.TenantID, *meta.IdempotencyKey, cmd.operation(), fingerprint)
		}
		// The operation's one time, read under the locks: its movements and
		// the levels' new states carry it, so a level's history is in order
		// and "as of" a movement's time includes that movement.
		var at time.Time
		b.Queue(`SELECT clock_timestamp()`)
		levelItems, levelLocations := keyColumns(locked)
		if len(locked) == 1 {
			b.Queue(`SELECT `+levelColumns+` FROM stock_levels WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3`,
				sc.TenantID, levelItems[0], levelLocations[0])
		} else {
			b.Queue(`SELECT `+levelColumns+` FROM stock_levels
				WHERE tenant_id = $1 AND (item_id, location_id) IN (SELECT * FROM unnest($2::uuid[], $3::uuid[]))`,
				sc.TenantID, levelItems, levelLocations)
		}
		br := tx.SendBatch(ctx, b)
		if !tenantSet {
			if _, err := br.Exec(); err != nil {
				br.Close()
				return fmt.Errorf("set tenant: %w", err)
			}
		}
		var nItems, nLocations int
		if err := br.QueryRow().Scan(&nItems, &nLocations); err != nil {
			br.Close()
			return fmt.Errorf("check ids: %w", err)
		}
		for range lockStatements(len(locked)) {
			if _, err := br.Exec(); err != nil {
				br.Close()
				return fmt.Errorf("lock level: %w", err)
			}
		}
		claimed := true
		if meta.IdempotencyKey != nil {
			tag, err := br.Exec()
			if err != nil {
				br.Close()
				return fmt.Errorf("claim idempotency key: %w", err)
			}
			claimed = tag.RowsAffected() == 1
		}
		if err := br.QueryRow().Scan(&at); err != nil {
			br.Close()
			return fmt.Errorf("read time: %w", err)
		}
		rows, _ := br.Query()
		current, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Level])
		if err != nil {
			br.Close()
			return fmt.Errorf("read levels: %w", err)
		}
		if err := br.Close(); err != nil {
			return err
		}

		if !claimed {
			return s.replay(ctx, tx, sc, *meta.IdempotencyKey, cmd.operation(), fingerprint, change)
		}
		if nItems != len(itemIDs) {
			return newError(CodeNotFound, "itemId", "no item has id %q", itemIDs[0])
		}
		if nLocations != len(locationIDs) {
			return notFoundLocation(ctx, tx, sc, cmd)
		}

		levels := make(map[LevelKey]Level, len(keys))
		for _, k := range keys {
			levels[k] = Level{ItemID: k.ItemID, LocationID: k.LocationID, UpdatedAt: time.Now().UTC()}
		}
		existing := make(map[LevelKey]bool, len(current))
		for _, l := range current {
			levels[l.Key()] = l
			existing[l.Key()] = true
		}
		if l, ok := cmd.(lockedLoader); ok {
			if err := l.loadLocked(ctx, tx, sc); err != nil {
				return err
			}
		}
		drafts, err := cmd.plan(levels, meta)
		if err != nil {
			return err
		}
		deltas, err := applyDrafts(keys, levels, drafts)
		if err != nil {
			return err
		}

		// Round trip 2: append the movements, apply them to the projection.
		if len(drafts) > 0 {
			if err := s.write(ctx, tx, sc, meta, at, drafts, deltas, locked, existing, change); err != nil {
				return err
			}
		}
		byKey := make(map[LevelKey]Level, len(change.Levels))
		for _, l := range change.Levels {
			byKey[l.Key()] = l
		}
		change.Levels = change.Levels[:0]
		for _, k := range keys {
			if l, ok := byKey[k]; ok {
				change.Levels = append(change.Levels, l)
			} else {
				change.Levels = append(change.Levels, levels[k])
			}
		}
		if change.CreatedAt.IsZero() {
			change.CreatedAt = time.Now().UTC()
		}
		if p, ok := cmd.(persister); ok {
			if err := p.persist(ctx, tx, s, sc, change); err != nil {
				return err
			}
		}

		// Round trip 3: the outbox event and the idempotency record.
		payload, err := json.Marshal(change)
		if err != nil {
			return fmt.Errorf("encode change: %w", err)
		}
		b = &pgx.Batch{}
		if len(drafts) > 0 {
			b.Queue(`INSERT INTO events (tenant_id, operation_id, kind, payload) VALUES ($1, $2, $3, $4)`,
				sc.TenantID, change.OperationID, EventStockChanged, payload)
		}
		if meta.IdempotencyKey != nil {
			b.Queue(`UPDATE idempotency_keys SET response = $3 WHERE tenant_id = $1 AND key = $2`,
				sc.TenantID, *meta.IdempotencyKey, payload)
		}
		var checks []LevelKey
		if moved := availableChanged(deltas); len(moved) > 0 {
			queueAlertChecks(b, sc, moved, &checks)
		}
		archived := queueArchivedCheck(b, sc, drafts) // archived items and locations take no new stock (archive.go)
		if b.Len() > 0 {
			if err := tx.SendBatch(ctx, b).Close(); err != nil {
				return fmt.Errorf("record event: %w", err)
			}
		}
		if err := archived.err(cmd); err != nil {
			return err
		}
		return s.scheduleAlertChecks(ctx, tx, sc, checks)
	})
	if err != nil {
		return nil, wrap(err, cmd.operation())
	}
	if len(change.Movements) > 0 && !change.Replayed {
		s.notifier.poke()
	}
	if s.observer != nil && !change.Replayed {
		s.observer.StockChanged(change)
	}
	return change, nil
}

// write appends drafts to the ledger and applies deltas to the projection,
// filling change with the rows as written.
func (s *Store) write(ctx context.Context, tx pgx.Tx, sc Scope, meta Meta, at time.Time, drafts []draft,
	deltas map[LevelKey]*Level, locked []LevelKey, existing map[LevelKey]bool, change *StockChange) error {
	if len(drafts) > bulkThreshold { // many movements: set-based statements (engine_bulk.go)
		return s.writeBulk(ctx, tx, sc, meta, at, drafts, deltas, locked, existing, change)
	}
	b := &pgx.Batch{}
	for _, d := range drafts {
		var toLocation *string
		if d.ToLocation != "" {
			toLocation = &d.ToLocation
		}
		reason, reference := cmp.Or(d.Reason, meta.Reason), cmp.Or(d.Reference, meta.Reference)
		b.Queue(`INSERT INTO movements (tenant_id, operation_id, kind, item_id, location_id, to_location_id,
				quantity, from_state, to_state, reason, reference, actor, idempotency_key, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
			RETURNING `+movementColumns,
			sc.TenantID, change.OperationID, d.Kind, d.Key.ItemID, d.Key.LocationID, toLocation,
			d.Quantity, d.From, d.To, reason, reference, sc.Actor, meta.IdempotencyKey, at)
	}
	// Levels are updated in lock order (the advisory lock makes the row's
	// existence, read under it, still true), so that row locks follow the same
	// global order as the advisory locks.
	var touched []LevelKey
	for _, k := range locked {
		if _, ok := deltas[k]; ok {
			touched = append(touched, k)
		}
	}
	for _, k := range touched {
		d := deltas[k]
		args := []any{sc.TenantID, k.ItemID, k.LocationID, d.Available, d.Reserved, d.Damaged, d.QualityControl, d.Incoming, at}
		// The level's new state also goes to its history, in the same
		// statement, for "as of" questions.
		write := `UPDATE stock_levels SET
				available = available + $4,
				reserved = reserved + $5,
				damaged = damaged + $6,
				quality_control = quality_control + $7,
				in_transit = in_transit + $8,
				version = version + 1,
				updated_at = $9
			WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3
			RETURNING *`
		if !existing[k] {
			write = `INSERT INTO stock_levels (tenant_id, item_id, location_id, available, reserved,
				damaged, quality_control, in_transit, version, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9)
			RETURNING *`
		}
		b.Queue(`WITH l AS (`+write+`), h AS (
				INSERT INTO level_history (tenant_id, item_id, location_id, version, available, reserved,
					damaged, quality_control, in_transit, at)
				SELECT tenant_id, item_id, location_id, version, available, reserved,
					damaged, quality_control, in_transit, updated_at FROM l
			)
			SELECT `+levelColumns+` FROM l`, args...)
	}
	br := tx.SendBatch(ctx, b)
	defer br.Close()
	for range drafts {
		rows, _ := br.Query()
		m, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[Movement])
		if err != nil {
			return fmt.Errorf("append movement: %w", err)
		}
		change.Movements = append(change.Movements, m)
	}
	for range touched {
		rows, _ := br.Query()
		l, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[Level])
		if err != nil {
			if isCode(err, "23514") { // check_violation: a state would go negative
				return newError(CodeInsufficientStock, "quantity", "not enough stock for this operation")
			}
			return fmt.Errorf("update level: %w", err)
		}
		change.Levels = append(change.Levels, l)
	}
	change.CreatedAt = change.Movements[0].CreatedAt
	return br.Close()
}

// replay answers a reused idempotency key: the first call's outcome when the
// input is the same, IDEMPOTENCY_CONFLICT when it is not.
func (s *Store) replay(ctx context.Context, tx pgx.Tx, sc Scope, key, operation string, fingerprint []byte, change *StockChange) error {
	var (
		storedOp   string
		storedHash []byte
		response   []byte
	)
	err := tx.QueryRow(ctx, `SELECT operation, request_hash, response FROM idempotency_keys
		WHERE tenant_id = $1 AND key = $2`, sc.TenantID, key).Scan(&storedOp, &storedHash, &response)
	if err != nil {
		return fmt.Errorf("read idempotency key: %w", err)
	}
	if storedOp != operation || string(storedHash) != string(fingerprint) || response == nil {
		return newError(CodeIdempotencyConflict, "idempotencyKey",
			"idempotency key %q was already used with a different input (%s)", truncate(key, 64), storedOp)
	}
	*change = StockChange{}
	if err := json.Unmarshal(response, change); err != nil {
		return fmt.Errorf("decode stored response: %w", err)
	}
	change.Replayed = true
	return nil
}

// notFoundLocation says which location id of the command does not exist.
// Commands with several location fields list them with locationFields.
func notFoundLocation(ctx context.Context, tx pgx.Tx, sc Scope, cmd command) error {
	var fields [][2]string
	if f, ok := cmd.(interface{ locationFields() [][2]string }); ok {
		fields = f.locationFields()
	}
	for _, f := range fields {
		var found bool
		err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM locations WHERE tenant_id = $1 AND id = $2)", sc.TenantID, f[1]).Scan(&found)
		if err != nil {
			return fmt.Errorf("check location: %w", err)
		}
		if !found {
			return newError(CodeNotFound, f[0], "no location has id %q", f[1])
		}
	}
	return newError(CodeNotFound, "locationId", "no location has that id")
}

// applyDrafts applies the movements to a copy of the levels and returns, per
// level, the change to make to its projection row. A movement that would take
// a state below zero is INSUFFICIENT_STOCK.
func applyDrafts(keys []LevelKey, levels map[LevelKey]Level, drafts []draft) (map[LevelKey]*Level, error) {
	after := make(map[LevelKey]Level, len(levels))
	for k, l := range levels {
		after[k] = l
	}
	deltas := map[LevelKey]*Level{}
	deltaOf := func(k LevelKey) *Level {
		if _, ok := levels[k]; !ok {
			panic(fmt.Sprintf("domain: a movement touches level %v, which the command did not lock", k))
		}
		if deltas[k] == nil {
			deltas[k] = &Level{ItemID: k.ItemID, LocationID: k.LocationID}
		}
		return deltas[k]
	}
	for _, d := range drafts {
		if d.Quantity <= 0 {
			panic("domain: a movement must move a positive quantity")
		}
		if d.From != nil {
			*deltaOf(d.Key).field(*d.From) -= d.Quantity
		}
		if d.To != nil {
			to := d.Key
			if d.ToLocation != "" {
				to.LocationID = d.ToLocation
			}
			*deltaOf(to).field(*d.To) += d.Quantity
		}
	}
	for k, d := range deltas {
		l := after[k]
		for _, st := range []State{Available, Reserved, Damaged, QualityControl, InTransit} {
			*l.field(st) += *d.field(st)
		}
		if st, neg := l.negative(); neg {
			return nil, newError(CodeInsufficientStock, "quantity",
				"not enough %s stock: the operation needs %d more", st, -*l.field(st))
		}
	}
	return deltas, nil
}

// lockOrder returns the distinct keys sorted by their lock keys: the one
// global order in which every operation takes its locks, so that operations
// on several levels cannot deadlock.
func lockOrder(tenantID string, keys []LevelKey) []LevelKey {
	type keyed struct {
		lock int64
		key  LevelKey
	}
	ks := make([]keyed, len(keys)) // each lock key computed once, not once per comparison
	for i, k := range keys {
		ks[i] = keyed{lockKey(tenantID, k), k}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return cmp.Compare(a.lock, b.lock) })
	out := make([]LevelKey, len(ks))
	for i, k := range ks {
		out[i] = k.key
	}
	return slices.Compact(out)
}

func distinctIDs(keys []LevelKey) (items, locations []string) {
	seen := make(map[string]bool, 2*len(keys))
	for _, k := range keys {
		if !seen["i"+k.ItemID] {
			seen["i"+k.ItemID] = true
			items = append(items, k.ItemID)
		}
		if !seen["l"+k.LocationID] {
			seen["l"+k.LocationID] = true
			locations = append(locations, k.LocationID)
		}
	}
	return items, locations
}

func keyColumns(keys []LevelKey) (items, locations []string) {
	for _, k := range keys {
		items = append(items, k.ItemID)
		locations = append(locations, k.LocationID)
	}
	return items, locations
}

// fingerprintOf hashes what makes two calls the same call: the operation,
// its input, its reference and reason.
func fingerprintOf(cmd command, meta Meta) ([]byte, error) {
	b, err := json.Marshal(struct {
		Op        string
		Input     command
		Reference *string
		Reason    *string
	}{cmd.operation(), cmd, meta.Reference, meta.Reason})
	if err != nil {
		return nil, fmt.Errorf("fingerprint: %w", err)
	}
	sum := sha256.Sum256(b)
	return sum[:], nil
}

func cleanMeta(m Meta) (Meta, error) {
	var err error
	if m.Reference, err = optionalText("reference", m.Reference, maxReference); err != nil {
		return m, err
	}
	if m.Reason, err = optionalText("reason", m.Reason, maxReason); err != nil {
		return m, err
	}
	if m.IdempotencyKey != nil {
		if *m.IdempotencyKey == "" {
			return m, newError(CodeValidation, "idempotencyKey", "idempotencyKey must not be empty")
		}
		if err := checkLen("idempotencyKey", *m.IdempotencyKey, maxKey); err != nil {
			return m, err
		}
	}
	return m, nil
}
