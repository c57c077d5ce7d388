package domain

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The engine runs every stock operation the same way, as one transaction in
// three round trips:
//
//  1. lock and read: check the ids, take the levels' locks in the global
//     order, claim the idempotency key, read the operation's time and the
//     levels;
//  2. write: append the command's movements and apply them to the levels,
//     each with its history row;
//  3. record: the outbox event, the idempotency key's answer, and the marks
//     that ask for alert checks.
//
// Between them the command plans under the locks. Each phase is a method of
// execution, below, in the order it runs; the phases that talk to the
// database queue their statements on a batch, each with the code that reads
// its result.
//
// Group commit (folding many commands on one level into one transaction)
// fits this shape: a batcher would make one execution per command, queue
// their lock-and-read phases on one batch with the union of their locks,
// decide each in turn against the levels as the previous one left them, and
// queue every write and record on shared batches before one commit.

// The statements of the engine. Those for one level take single values, not
// arrays, so that PostgreSQL can keep a cached plan for them (most operations
// touch one level).
const (
	lockLevelSQL   = `SELECT pg_advisory_xact_lock($1)`
	checkIDsOneSQL = `SELECT (SELECT count(*) FROM items WHERE tenant_id = $1 AND id = $2),
	(SELECT count(*) FROM locations WHERE tenant_id = $1 AND id = $3)`
	checkIDsSQL = `SELECT (SELECT count(*) FROM items WHERE tenant_id = $1 AND id = ANY($2::uuid[])),
	(SELECT count(*) FROM locations WHERE tenant_id = $1 AND id = ANY($3::uuid[]))`
	claimKeySQL = `INSERT INTO idempotency_keys (tenant_id, key, operation, request_hash)
	VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`
	clockSQL        = `SELECT clock_timestamp()`
	readLevelOneSQL = `SELECT ` + levelColumns + ` FROM stock_levels
	WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3`
	readLevelsSQL = `SELECT ` + levelColumns + ` FROM stock_levels
	WHERE tenant_id = $1 AND (item_id, location_id) IN (SELECT * FROM unnest($2::uuid[], $3::uuid[]))`
	appendMovementSQL = `INSERT INTO movements (tenant_id, operation_id, kind, item_id, location_id, to_location_id,
		quantity, from_state, to_state, reason, reference, actor, idempotency_key, created_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
	RETURNING ` + movementColumns
	// updateLevelSQL adds deltas ($4 available … $8 in transit) to a level
	// that has a row, at time $9; insertLevelSQL makes the row of one that
	// has none. Both write the level's new state to its history in the same
	// statement, for "as of" questions, and return the level.
	updateLevelSQL = `WITH l AS (UPDATE stock_levels SET
		available = available + $4,
		reserved = reserved + $5,
		damaged = damaged + $6,
		quality_control = quality_control + $7,
		in_transit = in_transit + $8,
		version = version + 1,
		updated_at = $9
	WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3
	RETURNING *` + levelHistorySQL
	insertLevelSQL = `WITH l AS (INSERT INTO stock_levels (tenant_id, item_id, location_id, available, reserved,
		damaged, quality_control, in_transit, version, updated_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9)
	RETURNING *` + levelHistorySQL
	levelHistorySQL = `), h AS (
		INSERT INTO level_history (tenant_id, item_id, location_id, version, available, reserved,
			damaged, quality_control, in_transit, at)
		SELECT tenant_id, item_id, location_id, version, available, reserved,
			damaged, quality_control, in_transit, updated_at FROM l
	)
	SELECT ` + levelColumns + ` FROM l`
	saveAnswerSQL = `UPDATE idempotency_keys SET response = $3 WHERE tenant_id = $1 AND key = $2`
)

// EngineSQL is the text of the statements the engine runs for a stock
// change, for code outside the package that must run exactly what the engine
// runs: the benchmarks that compare the engine with raw SQL. Changing a field
// changes nothing in the engine.
var EngineSQL = struct {
	// SetTenant binds the transaction to tenant $1.
	SetTenant string
	// LockLevel takes the lock of level LockKey $1.
	LockLevel string
	// CheckIDs counts the items of tenant $1 among ids $2 and its locations
	// among ids $3 (arrays).
	CheckIDs string
	// Clock reads the operation's time.
	Clock string
	// ReadLevel reads the level of tenant $1, item $2, location $3;
	// ReadLevels those of items $2 and locations $3, pairwise (arrays).
	ReadLevel, ReadLevels string
	// AppendMovement appends a movement and returns it.
	AppendMovement string
	// UpdateLevel adds deltas to a level, writes its history and returns it.
	UpdateLevel string
	// InsertEvent writes an outbox event.
	InsertEvent string
	// MarkAlertCheck marks a level for an alert check when it may need one;
	// MarkAlertChecks marks several (arrays).
	MarkAlertCheck, MarkAlertChecks string
}{
	SetTenant: setTenantSQL, LockLevel: lockLevelSQL, CheckIDs: checkIDsSQL, Clock: clockSQL,
	ReadLevel: readLevelOneSQL, ReadLevels: readLevelsSQL, AppendMovement: appendMovementSQL,
	UpdateLevel: updateLevelSQL, InsertEvent: insertEventSQL,
	MarkAlertCheck: pendingAlertCheckOneSQL, MarkAlertChecks: pendingAlertCheckSQL,
}

// LockKey is the key of a level's transaction-scoped advisory lock
// (pg_advisory_xact_lock). Every change to a level, and every decision that
// must see the level stand still (an alert check), holds it.
func LockKey(tenantID string, k LevelKey) int64 {
	h := fnv.New64a()
	h.Write([]byte("level\x00" + tenantID + "\x00" + k.ItemID + "\x00" + k.LocationID))
	return int64(h.Sum64())
}

// execute runs a command as one transaction and returns what it did. Every
// stock operation goes through here.
func (s *Store) execute(ctx context.Context, sc Scope, cmd command, meta Meta) (*StockChange, error) {
	e, err := newExecution(sc, cmd, meta)
	if err != nil {
		return nil, err
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return s.run(ctx, tx, e) })
	if err != nil {
		return nil, wrap(err, cmd.operation())
	}
	s.announce(e.change)
	return e.change, nil
}

// run is the transaction of one execution, phase by phase.
func (s *Store) run(ctx context.Context, tx pgx.Tx, e *execution) error {
	if err := e.prepare(ctx, tx); err != nil {
		return err
	}
	b := &batch{}
	e.queueLockAndRead(b)
	if err := b.send(ctx, tx); err != nil {
		return err
	}
	if !e.claimed {
		return s.replay(ctx, tx, e)
	}
	if err := e.decide(ctx, tx); err != nil {
		return err
	}
	b = &batch{}
	e.queueWrite(b)
	if err := b.send(ctx, tx); err != nil {
		return err
	}
	e.settle()
	if p, ok := e.cmd.(persister); ok {
		if err := p.persist(ctx, tx, s, e.sc, e.change); err != nil {
			return err
		}
	}
	b = &batch{}
	if err := e.queueRecord(b); err != nil {
		return err
	}
	if err := b.send(ctx, tx); err != nil {
		return err
	}
	return s.scheduleAlertChecks(ctx, tx, e.sc, e.checks)
}

// execution is one command's way through the engine: what it was asked,
// what it read under its locks, what it planned and what it wrote.
type execution struct {
	sc          Scope
	cmd         command
	meta        Meta
	fingerprint []byte // what the idempotency key is claimed with

	keys   []LevelKey // the command's levels, its main level first
	locked []LevelKey // the same levels, distinct, in lock order

	// Read by the first round trip.
	tenantSet          bool // prepare has already bound the transaction to the tenant
	nItems, nLocations int  // how many of the command's ids exist
	claimed            bool // the idempotency key is new, or there is none
	at                 time.Time
	levels             map[LevelKey]Level // every key's level; all zeros where no row exists
	existing           map[LevelKey]bool  // the keys whose level has a row

	// Planned under the locks.
	drafts []draft
	deltas map[LevelKey]*Level // per level, what the drafts add to each state

	// Written.
	change *StockChange
	checks []LevelKey // levels newly marked for an alert check
}

// newExecution checks the command's metadata and fingerprints its input.
func newExecution(sc Scope, cmd command, meta Meta) (*execution, error) {
	var err error
	if meta, err = cleanMeta(meta); err != nil {
		return nil, err
	}
	fingerprint, err := fingerprintOf(cmd, meta)
	if err != nil {
		return nil, err
	}
	if !ValidID(sc.TenantID) {
		return nil, fmt.Errorf("domain: scope has no valid tenant")
	}
	return &execution{sc: sc, cmd: cmd, meta: meta, fingerprint: fingerprint,
		change: &StockChange{OperationID: uuid.NewString(), Operation: cmd.operation(), Actor: sc.Actor,
			Reference: meta.Reference, Reason: meta.Reason}}, nil
}

// prepare lets a command that must read before it can name its levels do
// so, then asks for its levels. The tenant is set for this transaction only
// (set_config(..., true)), in the first round trip that needs it.
func (e *execution) prepare(ctx context.Context, tx pgx.Tx) error {
	if p, ok := e.cmd.(preparer); ok {
		if err := setTenant(ctx, tx, e.sc); err != nil {
			return err
		}
		e.tenantSet = true
		if err := p.prepare(ctx, tx, e.sc); err != nil {
			return err
		}
	}
	e.keys = e.cmd.keys()
	e.locked = lockOrder(e.sc.TenantID, e.keys)
	return nil
}

// queueLockAndRead queues the first round trip: check the ids, take the locks
// in global order, claim the idempotency key, read the operation's time and
// the levels. Nothing is written before the locks are held, so the
// transaction's id (pg_current_xact_id, which orders the change feed) is
// assigned under them: two changes to one level get ids in the order they
// commit. The idempotency key is claimed under the locks, too.
func (e *execution) queueLockAndRead(b *batch) {
	sc := e.sc
	if !e.tenantSet {
		b.exec("set tenant", nil, setTenantSQL, sc.TenantID)
	}
	countIDs := func(r pgx.Row) error { return r.Scan(&e.nItems, &e.nLocations) }
	itemIDs, locationIDs := distinctIDs(e.keys)
	if len(e.locked) == 1 {
		b.queryRow("check ids", countIDs, checkIDsOneSQL, sc.TenantID, itemIDs[0], locationIDs[0])
	} else {
		b.queryRow("check ids", countIDs, checkIDsSQL, sc.TenantID, itemIDs, locationIDs)
	}
	for _, k := range e.locked {
		b.exec("lock level", nil, lockLevelSQL, LockKey(sc.TenantID, k))
	}
	e.claimed = true
	if key := e.meta.IdempotencyKey; key != nil {
		b.exec("claim idempotency key", func(tag pgconn.CommandTag) error {
			e.claimed = tag.RowsAffected() == 1
			return nil
		}, claimKeySQL, sc.TenantID, *key, e.cmd.operation(), e.fingerprint)
	}
	// The operation's one time, read under the locks: its movements and the
	// levels' new states carry it, so a level's history is in order and "as
	// of" a movement's time includes that movement.
	b.queryRow("read time", func(r pgx.Row) error { return r.Scan(&e.at) }, clockSQL)
	readLevels := func(rows pgx.Rows) error {
		current, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Level])
		e.levels = make(map[LevelKey]Level, len(e.keys))
		for _, k := range e.keys {
			e.levels[k] = Level{ItemID: k.ItemID, LocationID: k.LocationID, UpdatedAt: time.Now().UTC()}
		}
		e.existing = make(map[LevelKey]bool, len(current))
		for _, l := range current {
			e.levels[l.Key()] = l
			e.existing[l.Key()] = true
		}
		return err
	}
	items, locations := keyColumns(e.locked)
	if len(e.locked) == 1 {
		b.query("read levels", readLevels, readLevelOneSQL, sc.TenantID, items[0], locations[0])
	} else {
		b.query("read levels", readLevels, readLevelsSQL, sc.TenantID, items, locations)
	}
}

// decide checks that the command's ids exist, lets it load what its locks
// guard, and has it plan its movements against the levels.
func (e *execution) decide(ctx context.Context, tx pgx.Tx) error {
	itemIDs, locationIDs := distinctIDs(e.keys)
	if e.nItems != len(itemIDs) {
		return newError(CodeNotFound, "itemId", "no item has id %q", itemIDs[0])
	}
	if e.nLocations != len(locationIDs) {
		return notFoundLocation(ctx, tx, e.sc, e.cmd)
	}
	if l, ok := e.cmd.(lockedLoader); ok {
		if err := l.loadLocked(ctx, tx, e.sc); err != nil {
			return err
		}
	}
	var err error
	if e.drafts, err = e.cmd.plan(e.levels, e.meta); err != nil {
		return err
	}
	e.deltas, err = applyDrafts(e.levels, e.drafts)
	return err
}

// queueWrite queues the second round trip: append the movements, apply them
// to the projection. A command that plans nothing queues nothing.
func (e *execution) queueWrite(b *batch) {
	sc, meta, change := e.sc, e.meta, e.change
	for _, d := range e.drafts {
		var toLocation *string
		if d.ToLocation != "" {
			toLocation = &d.ToLocation
		}
		b.query("append movement", func(rows pgx.Rows) error {
			m, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[Movement])
			change.Movements = append(change.Movements, m)
			return err
		}, appendMovementSQL,
			sc.TenantID, change.OperationID, d.Kind, d.Key.ItemID, d.Key.LocationID, toLocation,
			d.Quantity, d.From, d.To, meta.Reason, meta.Reference, sc.Actor, meta.IdempotencyKey, e.at)
	}
	// Levels are updated in lock order (the advisory lock makes the row's
	// existence, read under it, still true), so that row locks follow the
	// same global order as the advisory locks.
	for _, k := range e.locked {
		d, ok := e.deltas[k]
		if !ok {
			continue
		}
		write := updateLevelSQL
		if !e.existing[k] {
			write = insertLevelSQL
		}
		b.query("update level", func(rows pgx.Rows) error {
			l, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[Level])
			if isCode(err, "23514") { // check_violation: a state would go negative
				return newError(CodeInsufficientStock, "quantity", "not enough stock for this operation")
			}
			change.Levels = append(change.Levels, l)
			return err
		}, write, sc.TenantID, k.ItemID, k.LocationID, d.Available, d.Reserved, d.Damaged, d.QualityControl, d.Incoming, e.at)
	}
}

// settle gives the change every level the command named, in the command's
// order (as written where it wrote them, as read where it did not), and its
// time.
func (e *execution) settle() {
	change := e.change
	written := make(map[LevelKey]Level, len(change.Levels))
	for _, l := range change.Levels {
		written[l.Key()] = l
	}
	change.Levels = change.Levels[:0]
	for _, k := range e.keys {
		if l, ok := written[k]; ok {
			change.Levels = append(change.Levels, l)
		} else {
			change.Levels = append(change.Levels, e.levels[k])
		}
	}
	if len(change.Movements) > 0 {
		change.CreatedAt = change.Movements[0].CreatedAt
	} else {
		change.CreatedAt = time.Now().UTC()
	}
}

// queueRecord queues the last round trip: the outbox event (when something
// moved), the idempotency key's answer, and the alert-check marks of the
// levels whose available stock moved.
func (e *execution) queueRecord(b *batch) error {
	sc := e.sc
	payload, err := json.Marshal(e.change)
	if err != nil {
		return fmt.Errorf("encode change: %w", err)
	}
	if len(e.drafts) > 0 {
		b.exec("record event", nil, insertEventSQL, sc.TenantID, e.change.OperationID, EventStockChanged, payload)
	}
	if key := e.meta.IdempotencyKey; key != nil {
		b.exec("save idempotency answer", nil, saveAnswerSQL, sc.TenantID, *key, payload)
	}
	if moved := availableChanged(e.deltas); len(moved) > 0 {
		queueAlertChecks(b, sc, moved, &e.checks)
	}
	return nil
}

// announce tells the feed's listeners and the observer of a committed change.
func (s *Store) announce(change *StockChange) {
	if change.Replayed {
		return
	}
	if len(change.Movements) > 0 {
		s.notifier.poke()
	}
	if s.observer != nil {
		s.observer.StockChanged(change)
	}
}

// replay answers a reused idempotency key: the first call's outcome when the
// input is the same, IDEMPOTENCY_CONFLICT when it is not.
func (s *Store) replay(ctx context.Context, tx pgx.Tx, e *execution) error {
	var (
		storedOp   string
		storedHash []byte
		response   []byte
	)
	key, operation := *e.meta.IdempotencyKey, e.cmd.operation()
	err := tx.QueryRow(ctx, `SELECT operation, request_hash, response FROM idempotency_keys
		WHERE tenant_id = $1 AND key = $2`, e.sc.TenantID, key).Scan(&storedOp, &storedHash, &response)
	if err != nil {
		return fmt.Errorf("read idempotency key: %w", err)
	}
	if storedOp != operation || string(storedHash) != string(e.fingerprint) || response == nil {
		return newError(CodeIdempotencyConflict, "idempotencyKey",
			"idempotency key %q was already used with a different input (%s)", truncate(key, 64), storedOp)
	}
	change := &StockChange{}
	if err := json.Unmarshal(response, change); err != nil {
		return fmt.Errorf("decode stored response: %w", err)
	}
	change.Replayed = true
	e.change = change
	return nil
}

// notFoundLocation says which location id of the command does not exist.
// Commands with several location fields list them with locationFields.
func notFoundLocation(ctx context.Context, tx pgx.Tx, sc Scope, cmd command) error {
	var fields [][2]string
	if f, ok := cmd.(locationFielder); ok {
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
func applyDrafts(levels map[LevelKey]Level, drafts []draft) (map[LevelKey]*Level, error) {
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
		l := levels[k]
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
	out := slices.Clone(keys)
	slices.SortFunc(out, func(a, b LevelKey) int {
		ka, kb := LockKey(tenantID, a), LockKey(tenantID, b)
		switch {
		case ka < kb:
			return -1
		case ka > kb:
			return 1
		}
		return 0
	})
	return slices.Compact(out)
}

// distinctIDs returns the distinct item and location ids of keys.
func distinctIDs(keys []LevelKey) (items, locations []string) {
	for _, k := range keys {
		if !slices.Contains(items, k.ItemID) {
			items = append(items, k.ItemID)
		}
		if !slices.Contains(locations, k.LocationID) {
			locations = append(locations, k.LocationID)
		}
	}
	return items, locations
}

// keyColumns returns keys as two parallel columns, for unnest.
func keyColumns(keys []LevelKey) (items, locations []string) {
	for _, k := range keys {
		items = append(items, k.ItemID)
		locations = append(locations, k.LocationID)
	}
	return items, locations
}

// fingerprintOf hashes what makes two calls the same call: the operation,
// the command's exported fields (its input), its reference and reason.
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

// cleanMeta validates and trims the metadata of an operation.
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

// batch is a pgx.Batch whose every statement is queued with the code that
// reads its result (pgx calls it when the result arrives), so that adding or
// leaving out a statement cannot misalign the reads of the others. A failure
// of a statement or of its reader is wrapped with the statement's step.
type batch struct{ pgx.Batch }

// exec queues a statement whose command tag read is given; read may be nil.
func (b *batch) exec(step string, read func(pgconn.CommandTag) error, sql string, args ...any) {
	b.Queue(sql, args...).Fn = func(br pgx.BatchResults) error {
		tag, err := br.Exec()
		if err == nil && read != nil {
			err = read(tag)
		}
		return wrap(err, step)
	}
}

// queryRow queues a statement that returns one row, which read scans.
func (b *batch) queryRow(step string, read func(pgx.Row) error, sql string, args ...any) {
	b.Queue(sql, args...).Fn = func(br pgx.BatchResults) error {
		return wrap(read(br.QueryRow()), step)
	}
}

// query queues a statement whose rows read collects.
func (b *batch) query(step string, read func(pgx.Rows) error, sql string, args ...any) {
	b.Queue(sql, args...).Fn = func(br pgx.BatchResults) error {
		rows, _ := br.Query()
		err := read(rows)
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
		return wrap(err, step)
	}
}

// send runs the queued statements in one round trip and their readers in
// order, and returns the first failure. An empty batch sends nothing.
func (b *batch) send(ctx context.Context, tx pgx.Tx) error {
	if b.Len() == 0 {
		return nil
	}
	return tx.SendBatch(ctx, &b.Batch).Close()
}
