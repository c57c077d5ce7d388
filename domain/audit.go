package domain

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// auditChunk is how many items one step of the audit checks, in one
// statement: the ledger and the projection are read from one snapshot, so
// changes committing meanwhile never show as drift.
const auditChunk = 500

// AuditResult is what a ledger audit checked and found.
type AuditResult struct {
	TenantID      string
	ItemsChecked  int
	LevelsChecked int
	Drifts        []Drift
	// AlertsRaised counts the LEDGER_DRIFT alerts this audit raised (a level
	// that already has an unresolved one gets no second).
	AlertsRaised int
	StartedAt    time.Time
	FinishedAt   time.Time
}

// AuditObserver, when the Store's Observer implements it, is told of every
// finished audit.
type AuditObserver interface {
	LedgerAudited(r *AuditResult)
}

// AuditLedger recomputes every level of the tenant from the ledger, item by
// item in bounded chunks, and compares it with the projection. Drift must
// never happen; where it does, it raises a LEDGER_DRIFT alert with the
// figures. It never repairs anything.
func (s *Store) AuditLedger(ctx context.Context, sc Scope) (*AuditResult, error) {
	r := &AuditResult{TenantID: sc.TenantID, StartedAt: time.Now().UTC()}
	after := uuid.Nil.String()
	for {
		var ids []string
		err := s.inTenant(ctx, sc, func(tx pgx.Tx) error {
			rows, _ := tx.Query(ctx, `SELECT id::text AS item_id FROM items WHERE tenant_id = $1 AND id > $2 ORDER BY items.id LIMIT $3`,
				sc.TenantID, after, auditChunk)
			var err error
			if ids, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil || len(ids) == 0 {
				return err
			}
			var levels int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM stock_levels WHERE tenant_id = $1 AND item_id = ANY($2::uuid[])`,
				sc.TenantID, ids).Scan(&levels); err != nil {
				return err
			}
			r.LevelsChecked += levels
			drifts, err := scanDrifts(tx.Query(ctx, checkLedgerSQL, sc.TenantID, ids))
			if err != nil {
				return err
			}
			for _, d := range drifts {
				raised, err := raiseDrift(ctx, tx, sc, d)
				if err != nil {
					return err
				}
				if raised {
					r.AlertsRaised++
				}
			}
			r.Drifts = append(r.Drifts, drifts...)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("audit ledger: %w", err)
		}
		if len(ids) == 0 {
			break
		}
		r.ItemsChecked += len(ids)
		after = ids[len(ids)-1]
		if len(ids) < auditChunk {
			break
		}
	}
	r.FinishedAt = time.Now().UTC()
	if o, ok := s.observer.(AuditObserver); ok {
		o.LedgerAudited(r)
	}
	return r, nil
}

func scanDrifts(rows pgx.Rows, err error) ([]Drift, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Drift
	for rows.Next() {
		var d Drift
		err := rows.Scan(&d.Ledger.ItemID, &d.Ledger.LocationID,
			&d.Ledger.Available, &d.Ledger.Reserved, &d.Ledger.Damaged, &d.Ledger.QualityControl, &d.Ledger.Incoming,
			&d.Projection.Available, &d.Projection.Reserved, &d.Projection.Damaged, &d.Projection.QualityControl, &d.Projection.Incoming)
		if err != nil {
			return nil, err
		}
		d.Projection.ItemID, d.Projection.LocationID = d.Ledger.ItemID, d.Ledger.LocationID
		out = append(out, d)
	}
	return out, rows.Err()
}

// driftFigures are the figures a LEDGER_DRIFT alert carries.
type driftFigures struct {
	Ledger     stateFigures `json:"ledger"`
	Projection stateFigures `json:"projection"`
}

type stateFigures struct {
	Available      int64 `json:"available"`
	Reserved       int64 `json:"reserved"`
	Damaged        int64 `json:"damaged"`
	QualityControl int64 `json:"qualityControl"`
	InTransit      int64 `json:"inTransit"`
}

func figuresOf(l Level) stateFigures {
	return stateFigures{l.Available, l.Reserved, l.Damaged, l.QualityControl, l.Incoming}
}

// raiseDrift raises a LEDGER_DRIFT alert for a level, unless one is already
// unresolved, and reports whether it did.
func raiseDrift(ctx context.Context, tx pgx.Tx, sc Scope, d Drift) (bool, error) {
	details, err := json.Marshal(driftFigures{Ledger: figuresOf(d.Ledger), Projection: figuresOf(d.Projection)})
	if err != nil {
		return false, err
	}
	rows, _ := tx.Query(ctx, `INSERT INTO alerts (tenant_id, id, kind, status, item_id, location_id, available, details)
		VALUES ($1, $2, 'LEDGER_DRIFT', 'OPEN', $3, $4, $5, $6)
		ON CONFLICT (tenant_id, item_id, location_id) WHERE status <> 'RESOLVED' AND kind = 'LEDGER_DRIFT' DO NOTHING
		RETURNING `+alertColumns, sc.TenantID, uuid.NewString(), d.Ledger.ItemID, d.Ledger.LocationID, d.Projection.Available, details)
	alerts, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[Alert])
	if err != nil || len(alerts) == 0 {
		return false, err
	}
	return true, writeEvent(ctx, tx, sc, EventAlertRaised, alerts[0])
}
