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

// The engine runs every stock operation the same way, in phases:
//
//  1. lock and read: check the ids, take the levels' locks in the global
//     order, claim the idempotency key, read the operation's time and the
//     levels;
//  2. plan: the command plans its movements under the locks, against the
//     levels as they stand;
//  3. write: append the command's movements and apply them to the levels,
//     each with its history row;
//  4. record: the outbox event, the idempotency key's answer, and the marks
//     that ask for alert checks; commit.
//
// Every operation runs them in a group (group.go, group_tx.go): the
// operations that arrive together share one transaction, one round trip per
// database phase and one commit, and each is planned in turn against the
// levels as the ones before it left them. An operation alone is a group of
// one, in three round trips (BEGIN and COMMIT ride on the first and last:
// group_conn.go).

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

// execute runs a command and returns what it did. Every stock operation goes
// through here: the Store's committer runs it in a group, with the commands
// that arrive at the same time, in one transaction (group.go), and execute
// returns once that transaction has committed or failed.
func (s *Store) execute(ctx context.Context, sc Scope, cmd command, meta Meta) (*StockChange, error) {
	e, err := newExecution(sc, cmd, meta)
	if err != nil {
		return nil, err
	}
	if err := s.committer.submit(ctx, e); err != nil {
		return nil, wrap(err, cmd.operation())
	}
	return e.change, nil
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
	ids     *idCount // how many of the command's ids exist
	claimed bool     // the idempotency key is new, or there is none
	at      time.Time

	// Planned under the locks.
	levels  map[LevelKey]Level // every key's level as the command found it; all zeros where no row exists
	drafts  []draft
	deltas  map[LevelKey]*Level // per level, what the drafts add to each state
	written map[LevelKey]Level  // the levels the command changed, as it left them

	// The outcome: the change, or the command's own error.
	change *StockChange
	err    error
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
