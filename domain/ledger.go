package domain

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

const movementColumns = `id::text AS movement_id, operation_id, kind, item_id, location_id, to_location_id, quantity,
	from_state, to_state, reason, reference, actor, created_at`

// MovementFilter narrows a movement listing. Empty fields do not filter.
type MovementFilter struct {
	ItemID     *string
	LocationID *string
}

// Movements lists the ledger newest first, optionally for one item and/or one
// location (the movements recorded at it).
func (s *Store) Movements(ctx context.Context, sc Scope, f MovementFilter, pr PageRequest) (*Page[*Movement], error) {
	lc := s.cursors(sc, "movement")
	limit, after, err := pr.parse(lc)
	if err != nil {
		return nil, err
	}
	where := []string{"tenant_id = $1"}
	args := []any{sc.TenantID}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.ItemID != nil {
		if !ValidID(*f.ItemID) {
			return &Page[*Movement]{}, nil
		}
		add("item_id = $%d", *f.ItemID)
	}
	if f.LocationID != nil {
		if !ValidID(*f.LocationID) {
			return &Page[*Movement]{}, nil
		}
		add("location_id = $%d", *f.LocationID)
	}
	if after != "" {
		id, err := strconv.ParseInt(after, 10, 64)
		if err != nil {
			return nil, &Error{Code: CodeValidation, Field: []string{"after"}, Message: "after is not a cursor of this list"}
		}
		add("id < $%d", id)
	}
	args = append(args, limit+1)
	query := fmt.Sprintf("SELECT %s FROM movements WHERE %s ORDER BY movements.id DESC LIMIT $%d",
		movementColumns, strings.Join(where, " AND "), len(args))
	var ms []*Movement
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, query, args...)
		var err error
		ms, err = pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[Movement])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list movements: %w", err)
	}
	return makePage(ms, limit, lc, func(m *Movement) string { return m.ID }), nil
}

// Drift is a level whose projection disagrees with the sum of its ledger.
type Drift struct {
	Ledger     Level
	Projection Level
}

// CheckLedger recomputes every level of the tenant from the ledger and
// returns those whose projection differs. It must always return none. Unlike
// AuditLedger it writes nothing and reads the whole tenant in one snapshot:
// it is the oracle that tests (of this package and the ones above it) hold
// every change to.
func (s *Store) CheckLedger(ctx context.Context, sc Scope) ([]Drift, error) {
	var drifts []Drift
	err := s.inTenant(ctx, sc, func(tx pgx.Tx) (err error) {
		drifts, err = scanDrifts(tx.Query(ctx, checkLedgerSQL, sc.TenantID, nil))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("check ledger: %w", err)
	}
	return drifts, nil
}

const checkLedgerSQL = `
WITH entries AS (
	SELECT item_id, location_id, from_state AS state, -quantity AS q
	FROM movements WHERE tenant_id = $1 AND from_state IS NOT NULL AND ($2::uuid[] IS NULL OR item_id = ANY($2))
	UNION ALL
	SELECT item_id, coalesce(to_location_id, location_id), to_state, quantity
	FROM movements WHERE tenant_id = $1 AND to_state IS NOT NULL AND ($2::uuid[] IS NULL OR item_id = ANY($2))
), ledger AS (
	SELECT item_id, location_id,
		coalesce(sum(q) FILTER (WHERE state = 'AVAILABLE'), 0) AS available,
		coalesce(sum(q) FILTER (WHERE state = 'RESERVED'), 0) AS reserved,
		coalesce(sum(q) FILTER (WHERE state = 'DAMAGED'), 0) AS damaged,
		coalesce(sum(q) FILTER (WHERE state = 'QUALITY_CONTROL'), 0) AS quality_control,
		coalesce(sum(q) FILTER (WHERE state = 'IN_TRANSIT'), 0) AS in_transit
	FROM entries GROUP BY item_id, location_id
), projection AS (
	SELECT * FROM stock_levels WHERE tenant_id = $1 AND ($2::uuid[] IS NULL OR item_id = ANY($2))
)
SELECT coalesce(l.item_id, p.item_id), coalesce(l.location_id, p.location_id),
	coalesce(l.available, 0)::bigint, coalesce(l.reserved, 0)::bigint, coalesce(l.damaged, 0)::bigint,
	coalesce(l.quality_control, 0)::bigint, coalesce(l.in_transit, 0)::bigint,
	coalesce(p.available, 0), coalesce(p.reserved, 0), coalesce(p.damaged, 0),
	coalesce(p.quality_control, 0), coalesce(p.in_transit, 0)
FROM ledger l FULL JOIN projection p ON p.item_id = l.item_id AND p.location_id = l.location_id
WHERE coalesce(l.available, 0) <> coalesce(p.available, 0)
	OR coalesce(l.reserved, 0) <> coalesce(p.reserved, 0)
	OR coalesce(l.damaged, 0) <> coalesce(p.damaged, 0)
	OR coalesce(l.quality_control, 0) <> coalesce(p.quality_control, 0)
	OR coalesce(l.in_transit, 0) <> coalesce(p.in_transit, 0)`
