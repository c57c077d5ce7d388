package domain

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// A group's transaction runs the phases of engine.go for all of its
// commands at once, in three round trips however many commands it holds
// (plus one for each command that reads before its locks or under them, or
// writes rows of its own):
//
//  1. lock and read: BEGIN; check the commands' ids; take the union of
//     their locks in the global order; claim their idempotency keys (in
//     key order, so that two groups claiming the same keys cannot deadlock);
//     read the time and the levels;
//  2. write: the movements of all commands (one statement per tenant), each
//     level's new state and a history row per command that changed it (one
//     statement per level), the alert-check marks;
//  3. record: the outbox events (one statement per tenant, in arrival
//     order, which is commit order), the idempotency answers, COMMIT.
//
// Between 1 and 2 each command is planned in arrival order, against the
// levels as the commands before it left them; one whose plan fails writes
// nothing (its claimed key is given back in round trip 2) and gets its own
// error. A group may hold commands of several tenants: the transaction is
// bound to a tenant before each tenant's statements (set_config(..., true),
// which the row-level security policies read), so every statement runs
// bound to the tenant whose rows it touches.

// groupTimeout bounds a group's transaction: callers may have gone, but the
// connection must come back.
const groupTimeout = time.Minute

// The statements of a group, besides the engine's. Those that write many
// rows take arrays and keep the rows in arrival order (WITH ORDINALITY), so
// that identities (movement and event ids) follow it.
const (
	// groupAppendMovementsSQL appends the movements of one tenant's
	// commands: $1 tenant, $2 time, then one array per column.
	groupAppendMovementsSQL = `INSERT INTO movements (tenant_id, operation_id, kind, item_id, location_id, to_location_id,
		quantity, from_state, to_state, reason, reference, actor, idempotency_key, created_at)
	(SELECT $1, u.op::uuid, u.kind, u.item::uuid, u.loc::uuid, u.to_loc::uuid, u.q, u.from_state, u.to_state,
		u.reason, u.reference, u.actor, u.key, $2
	FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::text[], $10::text[],
		$11::text[], $12::text[], $13::text[], $14::text[]) WITH ORDINALITY
		AS u (op, kind, item, loc, to_loc, q, from_state, to_state, reason, reference, actor, key, n)
	ORDER BY u.n)
	RETURNING ` + movementColumns
	// groupExistingIDsSQL returns which of items $2 and locations $3 of
	// tenant $1 exist.
	groupExistingIDsSQL = `SELECT
	array(SELECT id::text FROM items WHERE tenant_id = $1 AND id = ANY($2::uuid[])),
	array(SELECT id::text FROM locations WHERE tenant_id = $1 AND id = ANY($3::uuid[]))`
	// groupLockLevelsSQL takes the locks $1, in the order given (the global
	// order): a function scan yields an array's elements in order.
	groupLockLevelsSQL = `SELECT pg_advisory_xact_lock(u.k) FROM unnest($1::bigint[]) AS u (k)`
	// groupUpdateLevelsSQL writes several levels of tenant $1 at time $2:
	// it adds to each level (arrays $3 item, $4 location, $5 available …
	// $9 in transit, $10 how many versions) and writes the history rows
	// (arrays $11 item, $12 location, $13 version, $14 available … $18 in
	// transit), and returns the levels. Only the engine writes stock_levels,
	// always under the levels' advisory locks, so the order in which it
	// takes their row locks does not matter.
	groupUpdateLevelsSQL = `WITH d AS (
		SELECT * FROM unnest($3::uuid[], $4::uuid[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[],
			$9::bigint[], $10::bigint[]) AS d (item_id, location_id, available, reserved, damaged,
			quality_control, in_transit, versions)
	), l AS (
		UPDATE stock_levels AS s SET
			available = s.available + d.available,
			reserved = s.reserved + d.reserved,
			damaged = s.damaged + d.damaged,
			quality_control = s.quality_control + d.quality_control,
			in_transit = s.in_transit + d.in_transit,
			version = s.version + d.versions,
			updated_at = $2
		FROM d WHERE s.tenant_id = $1 AND s.item_id = d.item_id AND s.location_id = d.location_id
		RETURNING s.*
	), h AS (
		INSERT INTO level_history (tenant_id, item_id, location_id, version, available, reserved,
			damaged, quality_control, in_transit, at)
		SELECT $1, u.*, $2 FROM unnest($11::uuid[], $12::uuid[], $13::bigint[], $14::bigint[], $15::bigint[],
			$16::bigint[], $17::bigint[], $18::bigint[]) AS u
	)
	SELECT ` + levelColumns + ` FROM l`
	// groupUpdateLevelSQL adds the total deltas of several commands ($4 …
	// $8) to a level and its version ($9), at time $10, and writes a history
	// row for each state it passed through (arrays $11 version, $12
	// available, … $16 in transit); groupInsertLevelSQL makes the row of a
	// level that has none.
	groupUpdateLevelSQL = `WITH l AS (UPDATE stock_levels SET
		available = available + $4,
		reserved = reserved + $5,
		damaged = damaged + $6,
		quality_control = quality_control + $7,
		in_transit = in_transit + $8,
		version = version + $9,
		updated_at = $10
	WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3
	RETURNING *` + groupLevelHistorySQL
	groupInsertLevelSQL = `WITH l AS (INSERT INTO stock_levels (tenant_id, item_id, location_id, available, reserved,
		damaged, quality_control, in_transit, version, updated_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
	RETURNING *` + groupLevelHistorySQL
	groupLevelHistorySQL = `), h AS (
		INSERT INTO level_history (tenant_id, item_id, location_id, version, available, reserved,
			damaged, quality_control, in_transit, at)
		SELECT l.tenant_id, l.item_id, l.location_id, u.version, u.available, u.reserved,
			u.damaged, u.quality_control, u.in_transit, l.updated_at
		FROM l, unnest($11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[])
			AS u (version, available, reserved, damaged, quality_control, in_transit)
	)
	SELECT ` + levelColumns + ` FROM l`
	// groupInsertEventsSQL writes one tenant's events: $1 tenant, $2 kind,
	// $3 operation ids, $4 payloads.
	groupInsertEventsSQL = `INSERT INTO events (tenant_id, operation_id, kind, payload)
	SELECT $1, u.op::uuid, $2, u.payload FROM unnest($3::text[], $4::jsonb[]) WITH ORDINALITY AS u (op, payload, n)
	ORDER BY u.n`
	// groupSaveAnswersSQL saves one tenant's idempotency answers: $2 keys,
	// $3 answers.
	groupSaveAnswersSQL = `UPDATE idempotency_keys AS k SET response = u.response
	FROM unnest($2::text[], $3::jsonb[]) AS u (key, response)
	WHERE k.tenant_id = $1 AND k.key = u.key`
	// releaseKeysSQL gives back the keys that commands claimed and then
	// failed: they wrote nothing, so a retry must run afresh.
	releaseKeysSQL = `DELETE FROM idempotency_keys WHERE tenant_id = $1 AND key = ANY($2::text[])`
	readKeySQL     = `SELECT operation, request_hash, response FROM idempotency_keys WHERE tenant_id = $1 AND key = $2`
)

// GroupObserver is an Observer that is also told of every group commit: how
// many operations it committed and how many movements they wrote. Package
// main uses it for the movements-per-commit histogram.
type GroupObserver interface {
	GroupCommitted(operations, movements int)
}

// commitGroup runs a group in one transaction and answers each caller.
func (s *Store) commitGroup(reqs []*request) {
	execs := make([]*execution, len(reqs))
	for i, r := range reqs {
		execs[i] = r.e
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(reqs[0].ctx), groupTimeout)
	defer cancel()
	err := s.runGroup(ctx, execs)
	if err != nil {
		err = fmt.Errorf("group commit of %d operations: %w", len(execs), err)
	} else {
		s.observeGroup(execs)
	}
	for _, r := range reqs {
		switch e := r.e; {
		case err != nil:
			r.done <- err
		case e.err != nil:
			r.done <- e.err
		default:
			s.announce(e.change)
			r.done <- nil
		}
	}
}

// observeGroup tells a GroupObserver of a committed group.
func (s *Store) observeGroup(execs []*execution) {
	o, ok := s.observer.(GroupObserver)
	if !ok {
		return
	}
	var ops, movements int
	for _, e := range execs {
		if e.err == nil && !e.change.Replayed && len(e.change.Movements) > 0 {
			ops++
			movements += len(e.change.Movements)
		}
	}
	if ops > 0 {
		o.GroupCommitted(ops, movements)
	}
}

// runGroup runs a group's transaction on a connection of its own.
func (s *Store) runGroup(ctx context.Context, execs []*execution) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("acquire connection: %w", err)
	}
	// A connection whose transaction did not end (a failure on the wire)
	// is closed by the pool on release.
	defer conn.Release()
	g := &group{s: s, tx: &groupTx{conn: conn.Conn()}, execs: execs, levels: map[tenantLevel]*groupLevel{}}
	if err := g.run(ctx); err != nil {
		_ = g.tx.Rollback(ctx)
		return err
	}
	return nil
}

// group is the state of one group's transaction.
type group struct {
	s      *Store
	tx     *groupTx
	execs  []*execution // in arrival order
	blocks []*tenantBlock
	levels map[tenantLevel]*groupLevel
	locks  []*groupLevel // every level, in lock order
	tenant string        // the tenant the transaction is bound to
	at     time.Time     // the group's time, read under its locks
}

// tenantBlock is a group's commands and levels of one tenant.
type tenantBlock struct {
	tenantID string
	execs    []*execution  // in arrival order
	levels   []*groupLevel // in lock order
	checks   []LevelKey    // levels newly marked for an alert check
}

// tenantLevel names a level across tenants.
type tenantLevel struct {
	tenantID string
	LevelKey
}

// groupLevel is one level of a group: as read under its lock, and as the
// group's commands, so far, left it.
type groupLevel struct {
	key     tenantLevel
	lock    int64
	existed bool  // it had a row when read
	now     Level // as the commands so far left it
	total   Level // what they add to each state
	history []Level
}

// live reports whether an execution still has work in the group.
func (e *execution) live() bool { return e.err == nil && !e.change.Replayed }

// run is the group's transaction, phase by phase.
func (g *group) run(ctx context.Context) error {
	if err := g.prepare(ctx); err != nil {
		return err
	}
	b := &batch{}
	g.queueLockAndRead(b)
	if err := b.send(ctx, g.tx); err != nil {
		return err
	}
	g.settleReads()
	if err := g.replay(ctx); err != nil {
		return err
	}
	for _, e := range g.execs {
		if !e.live() {
			continue
		}
		if err := g.decide(ctx, e); err != nil {
			if _, ok := AsError(err); !ok {
				return err
			}
			e.err = err
		}
	}
	b = &batch{}
	g.queueWrite(b)
	if err := b.send(ctx, g.tx); err != nil {
		return err
	}
	for _, e := range g.execs {
		if e.live() {
			e.settle()
		}
	}
	if err := g.persist(ctx); err != nil {
		return err
	}
	for _, blk := range g.blocks {
		if err := g.s.scheduleAlertChecks(ctx, g.tx, Scope{TenantID: blk.tenantID}, blk.checks); err != nil {
			return err
		}
	}
	if !g.tx.begun {
		return nil // every command failed before it touched the database
	}
	b = &batch{}
	if err := g.queueRecord(b); err != nil {
		return err
	}
	g.tx.commitInBatch(b)
	return b.send(ctx, g.tx)
}

// bind binds the transaction to a tenant now, unless it is.
func (g *group) bind(ctx context.Context, tenantID string) error {
	if g.tenant == tenantID {
		return nil
	}
	g.tenant = tenantID
	if _, err := g.tx.Exec(ctx, setTenantSQL, tenantID); err != nil {
		return fmt.Errorf("set tenant: %w", err)
	}
	return nil
}

// queueBind queues the binding of the transaction to a tenant, unless the
// statements queued before leave it bound to that tenant.
func (g *group) queueBind(b *batch, tenantID string) {
	if g.tenant == tenantID {
		return
	}
	g.tenant = tenantID
	b.exec("set tenant", nil, setTenantSQL, tenantID)
}

// prepare lets the commands that must read before they can name their
// levels do so, asks every command for its levels, and sorts the commands
// and levels by tenant.
func (g *group) prepare(ctx context.Context) error {
	blocks := map[string]*tenantBlock{}
	for _, e := range g.execs {
		if p, ok := e.cmd.(preparer); ok {
			if err := g.bind(ctx, e.sc.TenantID); err != nil {
				return err
			}
			if err := p.prepare(ctx, g.tx, e.sc); err != nil {
				if _, ok := AsError(err); !ok {
					return err
				}
				e.err = err
				continue
			}
		}
		e.keys = e.cmd.keys()
		e.locked = lockOrder(e.sc.TenantID, e.keys)
		blk := blocks[e.sc.TenantID]
		if blk == nil {
			blk = &tenantBlock{tenantID: e.sc.TenantID}
			blocks[e.sc.TenantID] = blk
			g.blocks = append(g.blocks, blk)
		}
		blk.execs = append(blk.execs, e)
		for _, k := range e.locked {
			tk := tenantLevel{e.sc.TenantID, k}
			if g.levels[tk] == nil {
				gl := &groupLevel{key: tk, lock: LockKey(e.sc.TenantID, k)}
				g.levels[tk] = gl
				g.locks = append(g.locks, gl)
				blk.levels = append(blk.levels, gl)
			}
		}
	}
	// Tenants in id order, and keys in order within each, make the order
	// in which idempotency keys are claimed the same in every group.
	slices.SortFunc(g.blocks, func(a, b *tenantBlock) int { return cmp.Compare(a.tenantID, b.tenantID) })
	byLock := func(a, b *groupLevel) int { return cmp.Compare(a.lock, b.lock) }
	slices.SortFunc(g.locks, byLock)
	for _, blk := range g.blocks {
		slices.SortFunc(blk.levels, byLock)
	}
	return nil
}

// queueLockAndRead queues the first round trip: check the ids, take the
// locks in global order, claim the idempotency keys, read the group's time
// and the levels. As in the engine, nothing is written before the locks are
// held, so the transaction's id (which orders the change feed) is assigned
// under them.
func (g *group) queueLockAndRead(b *batch) {
	for _, blk := range g.blocks {
		g.queueBind(b, blk.tenantID)
		g.queueCheckIDs(b, blk)
	}
	if len(g.locks) == 1 {
		b.exec("lock level", nil, lockLevelSQL, g.locks[0].lock)
	} else if len(g.locks) > 1 {
		keys := make([]int64, len(g.locks))
		for i, gl := range g.locks {
			keys[i] = gl.lock
		}
		b.exec("lock levels", nil, groupLockLevelsSQL, keys)
	}
	for _, blk := range g.blocks {
		g.queueBind(b, blk.tenantID)
		var claims []*execution
		for _, e := range blk.execs {
			e.claimed = true
			if e.meta.IdempotencyKey != nil {
				claims = append(claims, e)
			}
		}
		slices.SortFunc(claims, func(a, b *execution) int {
			return cmp.Compare(*a.meta.IdempotencyKey, *b.meta.IdempotencyKey)
		})
		for _, e := range claims {
			b.exec("claim idempotency key", func(tag pgconn.CommandTag) error {
				e.claimed = tag.RowsAffected() == 1
				return nil
			}, claimKeySQL, blk.tenantID, *e.meta.IdempotencyKey, e.cmd.operation(), e.fingerprint)
		}
		readLevels := func(rows pgx.Rows) error {
			current, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Level])
			for _, l := range current {
				if gl := g.levels[tenantLevel{blk.tenantID, l.Key()}]; gl != nil {
					gl.now, gl.existed = l, true
				}
			}
			return err
		}
		if len(blk.levels) == 1 {
			k := blk.levels[0].key
			b.query("read levels", readLevels, readLevelOneSQL, blk.tenantID, k.ItemID, k.LocationID)
		} else if len(blk.levels) > 1 {
			items, locations := make([]string, len(blk.levels)), make([]string, len(blk.levels))
			for i, gl := range blk.levels {
				items[i], locations[i] = gl.key.ItemID, gl.key.LocationID
			}
			b.query("read levels", readLevels, readLevelsSQL, blk.tenantID, items, locations)
		}
	}
	// The group's one time, read under the locks: every movement and level
	// state of the group carries it, so a level's history is in order and
	// "as of" a movement's time includes that movement.
	if len(g.locks) > 0 {
		b.queryRow("read time", func(r pgx.Row) error { return r.Scan(&g.at) }, clockSQL)
	}
}

// idCount is how many of a command's items and locations exist.
type idCount struct{ items, locations int }

// queueCheckIDs queues the check that a tenant's commands' items and
// locations exist: for one set of ids (the commands of the tenant all name
// the same levels) the engine's statement, which keeps a cached plan; for
// more, one statement that returns which of all the ids exist, from which
// each command's counts are made.
func (g *group) queueCheckIDs(b *batch, blk *tenantBlock) {
	var items, locations []string
	sigs := map[string]*idCount{}
	for _, e := range blk.execs {
		itemIDs, locationIDs := distinctIDs(e.keys)
		sig := fmt.Sprint(itemIDs, locationIDs)
		if c, ok := sigs[sig]; ok {
			e.ids = c
			continue
		}
		e.ids = &idCount{}
		sigs[sig] = e.ids
		for _, id := range itemIDs {
			if !slices.Contains(items, id) {
				items = append(items, id)
			}
		}
		for _, id := range locationIDs {
			if !slices.Contains(locations, id) {
				locations = append(locations, id)
			}
		}
	}
	if len(sigs) == 1 {
		c := blk.execs[0].ids
		countIDs := func(r pgx.Row) error { return r.Scan(&c.items, &c.locations) }
		if len(items) == 1 && len(locations) == 1 {
			b.queryRow("check ids", countIDs, checkIDsOneSQL, blk.tenantID, items[0], locations[0])
		} else {
			b.queryRow("check ids", countIDs, checkIDsSQL, blk.tenantID, items, locations)
		}
		return
	}
	b.queryRow("check ids", func(r pgx.Row) error {
		var foundItems, foundLocations []string
		if err := r.Scan(&foundItems, &foundLocations); err != nil {
			return err
		}
		counted := map[*idCount]bool{}
		for _, e := range blk.execs {
			if counted[e.ids] {
				continue
			}
			counted[e.ids] = true
			itemIDs, locationIDs := distinctIDs(e.keys)
			for _, id := range itemIDs {
				if slices.Contains(foundItems, id) {
					e.ids.items++
				}
			}
			for _, id := range locationIDs {
				if slices.Contains(foundLocations, id) {
					e.ids.locations++
				}
			}
		}
		return nil
	}, groupExistingIDsSQL, blk.tenantID, items, locations)
}

// settleReads gives the levels that have no row their zero state.
func (g *group) settleReads() {
	for _, gl := range g.locks {
		if !gl.existed {
			gl.now = Level{ItemID: gl.key.ItemID, LocationID: gl.key.LocationID, UpdatedAt: time.Now().UTC()}
		}
	}
}

// replay answers the commands whose idempotency key was used before: the
// first call's outcome when the input is the same, IDEMPOTENCY_CONFLICT when
// it is not. (A key used twice within one group cannot happen: the second
// use waits for the next group, see committer.gather.)
func (g *group) replay(ctx context.Context) error {
	type stored struct {
		operation string
		hash      []byte
		response  []byte
	}
	answers := map[*execution]*stored{}
	b := &batch{}
	for _, blk := range g.blocks {
		for _, e := range blk.execs {
			if !e.live() || e.claimed {
				continue
			}
			g.queueBind(b, blk.tenantID)
			st := &stored{}
			answers[e] = st
			b.queryRow("read idempotency key", func(r pgx.Row) error {
				return r.Scan(&st.operation, &st.hash, &st.response)
			}, readKeySQL, blk.tenantID, *e.meta.IdempotencyKey)
		}
	}
	if err := b.send(ctx, g.tx); err != nil {
		return err
	}
	for e, st := range answers {
		if st.operation != e.cmd.operation() || string(st.hash) != string(e.fingerprint) || st.response == nil {
			e.err = newError(CodeIdempotencyConflict, "idempotencyKey",
				"idempotency key %q was already used with a different input (%s)",
				truncate(*e.meta.IdempotencyKey, 64), st.operation)
			continue
		}
		change := &StockChange{}
		if err := json.Unmarshal(st.response, change); err != nil {
			return fmt.Errorf("decode stored response: %w", err)
		}
		change.Replayed = true
		e.change = change
	}
	return nil
}

// decide checks that a command's ids exist, lets it load what its locks
// guard, has it plan its movements against the levels as the commands
// before it in the group left them, and applies them to those levels.
func (g *group) decide(ctx context.Context, e *execution) error {
	itemIDs, locationIDs := distinctIDs(e.keys)
	if e.ids.items != len(itemIDs) {
		return newError(CodeNotFound, "itemId", "no item has id %q", itemIDs[0])
	}
	if e.ids.locations != len(locationIDs) {
		if err := g.bind(ctx, e.sc.TenantID); err != nil {
			return err
		}
		return notFoundLocation(ctx, g.tx, e.sc, e.cmd)
	}
	if l, ok := e.cmd.(lockedLoader); ok {
		if err := g.bind(ctx, e.sc.TenantID); err != nil {
			return err
		}
		if err := l.loadLocked(ctx, g.tx, e.sc); err != nil {
			return err
		}
	}
	e.at = g.at
	e.levels = make(map[LevelKey]Level, len(e.keys))
	for _, k := range e.keys {
		e.levels[k] = g.levels[tenantLevel{e.sc.TenantID, k}].now
	}
	var err error
	if e.drafts, err = e.cmd.plan(e.levels, e.meta); err != nil {
		return err
	}
	if e.deltas, err = applyDrafts(e.levels, e.drafts); err != nil {
		return err
	}
	e.written = make(map[LevelKey]Level, len(e.deltas))
	for _, k := range e.locked {
		d, ok := e.deltas[k]
		if !ok {
			continue
		}
		gl := g.levels[tenantLevel{e.sc.TenantID, k}]
		for _, st := range []State{Available, Reserved, Damaged, QualityControl, InTransit} {
			*gl.now.field(st) += *d.field(st)
			*gl.total.field(st) += *d.field(st)
		}
		gl.now.Version++
		gl.now.UpdatedAt = g.at
		gl.history = append(gl.history, gl.now)
		e.written[k] = gl.now
	}
	return nil
}
