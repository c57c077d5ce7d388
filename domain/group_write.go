package domain

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// The writing half of a group's transaction (group_tx.go): the statements
// of round trips 2 and 3, and what each command gets back.

// queueWrite queues the second round trip: per tenant, the movements of
// every command that planned some, each changed level with its history,
// the alert-check marks, and the release of the keys that failed commands
// claimed.
func (g *group) queueWrite(b *batch) {
	for _, blk := range g.blocks {
		g.queueBind(b, blk.tenantID)
		g.queueMovements(b, blk)
		var update []*groupLevel // levels with rows that the group changed
		for _, gl := range blk.levels {
			switch {
			case len(gl.history) == 0:
			case gl.existed:
				update = append(update, gl)
			default:
				g.queueLevel(b, gl)
			}
		}
		if len(update) == 1 {
			g.queueLevel(b, update[0])
		} else if len(update) > 1 {
			g.queueLevels(b, blk.tenantID, update)
		}
		var moved []LevelKey
		var release []string
		for _, e := range blk.execs {
			if e.live() {
				for _, k := range availableChanged(e.deltas) {
					if !slices.Contains(moved, k) {
						moved = append(moved, k)
					}
				}
			} else if e.err != nil && e.claimed && e.meta.IdempotencyKey != nil {
				release = append(release, *e.meta.IdempotencyKey)
			}
		}
		slices.SortFunc(moved, func(a, b LevelKey) int {
			return cmp.Compare(LockKey(blk.tenantID, a), LockKey(blk.tenantID, b))
		})
		if len(moved) > 0 {
			queueAlertChecks(b, Scope{TenantID: blk.tenantID}, moved, &blk.checks)
		}
		if len(release) > 0 {
			b.exec("release idempotency keys", nil, releaseKeysSQL, blk.tenantID, release)
		}
	}
}

// queueMovements queues the append of a tenant's movements, in arrival
// order, and hands each command its own.
func (g *group) queueMovements(b *batch, blk *tenantBlock) {
	var owners []*execution // the command of each movement
	for _, e := range blk.execs {
		if e.live() {
			for range e.drafts {
				owners = append(owners, e)
			}
		}
	}
	if len(owners) == 0 {
		return
	}
	collect := func(rows pgx.Rows) error {
		ms, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Movement])
		if err != nil {
			return err
		}
		if len(ms) != len(owners) {
			return fmt.Errorf("%d movements appended, %d planned", len(ms), len(owners))
		}
		for i, m := range ms {
			e := owners[i]
			if m.OperationID != e.change.OperationID {
				return fmt.Errorf("movement %s came back out of order", m.ID)
			}
			e.change.Movements = append(e.change.Movements, m)
		}
		return nil
	}
	if len(owners) == 1 {
		e := owners[0]
		d := e.drafts[0]
		var toLocation *string
		if d.ToLocation != "" {
			toLocation = &d.ToLocation
		}
		b.query("append movement", collect, appendMovementSQL,
			e.sc.TenantID, e.change.OperationID, d.Kind, d.Key.ItemID, d.Key.LocationID, toLocation,
			d.Quantity, d.From, d.To, e.meta.Reason, e.meta.Reference, e.sc.Actor, e.meta.IdempotencyKey, g.at)
		return
	}
	var (
		ops, kinds, items, locs, actors []string
		toLocs, froms, tos              []*string
		reasons, references, keys       []*string
		quantities                      []int64
	)
	for _, e := range blk.execs {
		if !e.live() {
			continue
		}
		for _, d := range e.drafts {
			ops = append(ops, e.change.OperationID)
			kinds = append(kinds, string(d.Kind))
			items = append(items, d.Key.ItemID)
			locs = append(locs, d.Key.LocationID)
			var toLocation *string
			if d.ToLocation != "" {
				toLocation = &d.ToLocation
			}
			toLocs = append(toLocs, toLocation)
			quantities = append(quantities, d.Quantity)
			froms = append(froms, (*string)(d.From))
			tos = append(tos, (*string)(d.To))
			reasons = append(reasons, e.meta.Reason)
			references = append(references, e.meta.Reference)
			actors = append(actors, e.sc.Actor)
			keys = append(keys, e.meta.IdempotencyKey)
		}
	}
	b.query("append movements", collect, groupAppendMovementsSQL, blk.tenantID, g.at,
		ops, kinds, items, locs, toLocs, quantities, froms, tos, reasons, references, actors, keys)
}

// queueLevel queues the write of a level: what the group's commands added
// to it, and a history row for each of them. It checks that the level the
// database returns is the one the group worked out: the lock guarantees it.
// Levels are written in lock order, so that their row locks follow the same
// global order as the advisory locks.
func (g *group) queueLevel(b *batch, gl *groupLevel) {
	k, d := gl.key, gl.total
	check := func(rows pgx.Rows) error {
		l, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[Level])
		if err != nil {
			return err
		}
		return sameLevel(l, gl.now)
	}
	args := []any{k.tenantID, k.ItemID, k.LocationID, d.Available, d.Reserved, d.Damaged, d.QualityControl, d.Incoming}
	if len(gl.history) == 1 {
		// One command changed it: the engine's statements for one level,
		// which PostgreSQL keeps a cached plan for.
		write := updateLevelSQL
		if !gl.existed {
			write = insertLevelSQL
		}
		b.query("update level", check, write, append(args, g.at)...)
		return
	}
	n := len(gl.history)
	versions, avail, reserved := make([]int64, n), make([]int64, n), make([]int64, n)
	damaged, qc, transit := make([]int64, n), make([]int64, n), make([]int64, n)
	for i, h := range gl.history {
		versions[i], avail[i], reserved[i] = h.Version, h.Available, h.Reserved
		damaged[i], qc[i], transit[i] = h.Damaged, h.QualityControl, h.Incoming
	}
	write := groupUpdateLevelSQL
	if !gl.existed {
		write = groupInsertLevelSQL
	}
	b.query("update level", check, write, append(args, n, g.at, versions, avail, reserved, damaged, qc, transit)...)
}

// queueLevels queues the write of several levels that have rows, in one
// statement, and checks each level the database returns, as queueLevel does.
func (g *group) queueLevels(b *batch, tenantID string, gls []*groupLevel) {
	var (
		items, locations, hItems, hLocations          []string
		avail, reserved, damaged, qc, transit, counts []int64
		hVersions, hAvail, hReserved, hDamaged        []int64
		hQC, hTransit                                 []int64
	)
	want := map[LevelKey]Level{}
	for _, gl := range gls {
		k, d := gl.key, gl.total
		want[k.LevelKey] = gl.now
		items, locations = append(items, k.ItemID), append(locations, k.LocationID)
		avail, reserved, damaged = append(avail, d.Available), append(reserved, d.Reserved), append(damaged, d.Damaged)
		qc, transit, counts = append(qc, d.QualityControl), append(transit, d.Incoming), append(counts, int64(len(gl.history)))
		for _, h := range gl.history {
			hItems, hLocations, hVersions = append(hItems, k.ItemID), append(hLocations, k.LocationID), append(hVersions, h.Version)
			hAvail, hReserved, hDamaged = append(hAvail, h.Available), append(hReserved, h.Reserved), append(hDamaged, h.Damaged)
			hQC, hTransit = append(hQC, h.QualityControl), append(hTransit, h.Incoming)
		}
	}
	b.query("update levels", func(rows pgx.Rows) error {
		levels, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Level])
		if err != nil {
			return err
		}
		if len(levels) != len(gls) {
			return fmt.Errorf("%d of %d levels updated", len(levels), len(gls))
		}
		for _, l := range levels {
			if err := sameLevel(l, want[l.Key()]); err != nil {
				return err
			}
		}
		return nil
	}, groupUpdateLevelsSQL, tenantID, g.at, items, locations, avail, reserved, damaged, qc, transit, counts,
		hItems, hLocations, hVersions, hAvail, hReserved, hDamaged, hQC, hTransit)
}

// sameLevel checks that the level the database wrote is the one the group
// worked out: the levels' locks guarantee it.
func sameLevel(got, want Level) error {
	if got.Key() != want.Key() || got.Available != want.Available || got.Reserved != want.Reserved ||
		got.Damaged != want.Damaged || got.QualityControl != want.QualityControl || got.Incoming != want.Incoming ||
		got.Version != want.Version {
		return fmt.Errorf("level %v is %+v under its lock, not %+v", want.Key(), got, want)
	}
	return nil
}

// persist lets the commands that write rows of their own (reservations,
// transfers) do so, in arrival order.
func (g *group) persist(ctx context.Context) error {
	for _, e := range g.execs {
		p, ok := e.cmd.(persister)
		if !ok || !e.live() {
			continue
		}
		if err := g.bind(ctx, e.sc.TenantID); err != nil {
			return err
		}
		if err := p.persist(ctx, g.tx, g.s, e.sc, e.change); err != nil {
			return err
		}
	}
	return nil
}

// queueRecord queues the last round trip: per tenant, the outbox events of
// the commands that moved stock, in arrival order, and the idempotency
// answers.
func (g *group) queueRecord(b *batch) error {
	for _, blk := range g.blocks {
		var (
			ops, keys         []string
			events, answers   [][]byte
			eventOf, answerOf *execution
			payloadOf         = map[*execution][]byte{}
		)
		for _, e := range blk.execs {
			if !e.live() {
				continue
			}
			payload, err := json.Marshal(e.change)
			if err != nil {
				return fmt.Errorf("encode change: %w", err)
			}
			payloadOf[e] = payload
			if len(e.drafts) > 0 {
				ops, events, eventOf = append(ops, e.change.OperationID), append(events, payload), e
			}
			if key := e.meta.IdempotencyKey; key != nil {
				keys, answers, answerOf = append(keys, *key), append(answers, payload), e
			}
		}
		if len(ops)+len(keys) > 0 {
			g.queueBind(b, blk.tenantID)
		}
		switch len(ops) {
		case 0:
		case 1:
			b.exec("record event", nil, insertEventSQL, blk.tenantID, eventOf.change.OperationID, EventStockChanged, payloadOf[eventOf])
		default:
			b.exec("record events", nil, groupInsertEventsSQL, blk.tenantID, EventStockChanged, ops, events)
		}
		switch len(keys) {
		case 0:
		case 1:
			b.exec("save idempotency answer", nil, saveAnswerSQL, blk.tenantID, *answerOf.meta.IdempotencyKey, payloadOf[answerOf])
		default:
			b.exec("save idempotency answers", nil, groupSaveAnswersSQL, blk.tenantID, keys, answers)
		}
	}
	return nil
}

// settle gives the change every level the command named, in the command's
// order (as it left them where it wrote them, as it found them where it did
// not), and its time.
func (e *execution) settle() {
	change := e.change
	change.Levels = change.Levels[:0]
	for _, k := range e.keys {
		if l, ok := e.written[k]; ok {
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
