package domain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// ReportKind says what a report lists.
type ReportKind string

// The kinds of report.
const (
	// ReportStockSnapshot lists every level with all its states as of a time.
	ReportStockSnapshot ReportKind = "STOCK_SNAPSHOT"
	// ReportMovementHistory lists the ledger for a period.
	ReportMovementHistory ReportKind = "MOVEMENT_HISTORY"
	// ReportLowStock lists the levels at or below their reorder point now.
	ReportLowStock ReportKind = "LOW_STOCK"
)

// ReportStatus is where a report is in its life.
type ReportStatus string

// The statuses of a report.
const (
	ReportQueued    ReportStatus = "QUEUED"
	ReportRunning   ReportStatus = "RUNNING"
	ReportSucceeded ReportStatus = "SUCCEEDED"
	ReportFailed    ReportStatus = "FAILED"
)

// ReportStuckAfter is how long a report may be RUNNING before it counts as
// stuck (its worker died) and may be retried. Builds time out before that.
const ReportStuckAfter = 35 * time.Minute

// maxReportFilter bounds the ids a report may be filtered by.
const maxReportFilter = 1000

// ReportParams are what a report covers.
type ReportParams struct {
	AsOf        *time.Time `json:"asOf,omitempty"`
	From        *time.Time `json:"from,omitempty"`
	To          *time.Time `json:"to,omitempty"`
	LocationIDs []string   `json:"locationIds,omitempty"`
	ItemIDs     []string   `json:"itemIds,omitempty"`
}

// Report is a file built by a job and kept for a while.
type Report struct {
	ID          string       `json:"id"`
	Kind        ReportKind   `json:"kind"`
	Format      string       `json:"format"`
	Status      ReportStatus `json:"status"`
	Params      ReportParams `json:"params"`
	Progress    float64      `json:"progress"`
	RowCount    int64        `json:"rowCount"`
	ByteCount   int64        `json:"byteCount"`
	Error       *string      `json:"error,omitempty"`
	RequestedBy string       `json:"requestedBy"`
	CreatedAt   time.Time    `json:"createdAt"`
	StartedAt   *time.Time   `json:"startedAt,omitempty"`
	FinishedAt  *time.Time   `json:"finishedAt,omitempty"`
	ExpiresAt   *time.Time   `json:"expiresAt,omitempty"`
}

const reportColumns = `id, kind, format, status, params, progress, row_count, byte_count, error, requested_by,
	created_at, started_at, finished_at, expires_at`

// RequestReport records a report to build and enqueues the job that builds
// it, and returns it at once, QUEUED.
func (s *Store) RequestReport(ctx context.Context, sc Scope, kind ReportKind, p ReportParams) (*Report, error) {
	if err := validateReport(kind, &p); err != nil {
		return nil, err
	}
	params, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	var r *Report
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		var active int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM reports WHERE tenant_id = $1 AND status IN ('QUEUED', 'RUNNING')`,
			sc.TenantID).Scan(&active); err != nil {
			return err
		}
		if active >= maxActiveReports {
			return newError(CodeValidation, "kind", "at most %d reports may be queued or running at once; wait for one to finish", maxActiveReports)
		}
		rows, _ := tx.Query(ctx, `INSERT INTO reports (tenant_id, id, kind, status, params, requested_by)
			VALUES ($1, $2, $3, 'QUEUED', $4, $5) RETURNING `+reportColumns,
			sc.TenantID, uuid.NewString(), kind, params, sc.Actor)
		var err error
		if r, err = pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[Report]); err != nil {
			return err
		}
		return s.queueReport(ctx, tx, sc, r)
	})
	if err != nil {
		return nil, wrap(err, "request report")
	}
	return r, nil
}

func (s *Store) queueReport(ctx context.Context, tx pgx.Tx, sc Scope, r *Report) error {
	if s.scheduler != nil {
		if err := s.scheduler.ScheduleReport(ctx, tx, sc.TenantID, r.ID); err != nil {
			return fmt.Errorf("schedule report: %w", err)
		}
	}
	return writeEvent(ctx, tx, sc, EventReportUpdated, r)
}

func validateReport(kind ReportKind, p *ReportParams) error {
	switch kind {
	case ReportStockSnapshot, ReportLowStock:
		if p.From != nil || p.To != nil {
			return newError(CodeValidation, "from", "from and to apply to MOVEMENT_HISTORY only")
		}
		if kind == ReportLowStock && p.AsOf != nil {
			return newError(CodeValidation, "asOf", "LOW_STOCK is as of now")
		}
		if p.AsOf != nil && p.AsOf.After(time.Now().Add(time.Minute)) {
			return newError(CodeValidation, "asOf", "asOf must not be in the future")
		}
	case ReportMovementHistory:
		if p.AsOf != nil {
			return newError(CodeValidation, "asOf", "MOVEMENT_HISTORY covers a period: give from and to")
		}
		if p.From == nil {
			return newError(CodeValidation, "from", "MOVEMENT_HISTORY needs from")
		}
		if p.To == nil {
			now := time.Now().UTC()
			p.To = &now
		}
		if !p.From.Before(*p.To) {
			return newError(CodeValidation, "to", "to must be after from")
		}
	default:
		return newError(CodeValidation, "kind", "kind must be STOCK_SNAPSHOT, MOVEMENT_HISTORY or LOW_STOCK")
	}
	for _, f := range []struct {
		name string
		ids  *[]string
	}{{"locationIds", &p.LocationIDs}, {"itemIds", &p.ItemIDs}} {
		if len(*f.ids) > maxReportFilter {
			return newError(CodeValidation, f.name, "at most %d ids", maxReportFilter)
		}
		for i, id := range *f.ids {
			canon, err := parseID(f.name, id)
			if err != nil {
				return err
			}
			(*f.ids)[i] = canon
		}
	}
	return nil
}

// RetryReport queues a FAILED report again. Any other status is INVALID_STATE.
func (s *Store) RetryReport(ctx context.Context, sc Scope, id string) (*Report, error) {
	id, err := parseID("reportId", id)
	if err != nil {
		return nil, err
	}
	var r *Report
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		cur, err := reportByID(ctx, tx, sc, id, true)
		if err != nil {
			return err
		}
		stuck := cur.Status == ReportRunning && cur.StartedAt != nil && time.Since(*cur.StartedAt) > ReportStuckAfter
		if cur.Status != ReportFailed && !stuck {
			return newError(CodeInvalidState, "reportId", "only a FAILED report (or one RUNNING for over %s) can be retried; this one is %s",
				ReportStuckAfter, cur.Status)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM report_chunks WHERE tenant_id = $1 AND report_id = $2`, sc.TenantID, id); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `UPDATE reports SET status = 'QUEUED', progress = 0, row_count = 0, byte_count = 0,
				error = NULL, started_at = NULL, finished_at = NULL, expires_at = NULL
			WHERE tenant_id = $1 AND id = $2 RETURNING `+reportColumns, sc.TenantID, id)
		if r, err = pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[Report]); err != nil {
			return err
		}
		return s.queueReport(ctx, tx, sc, r)
	})
	if err != nil {
		return nil, wrap(err, "retry report")
	}
	return r, nil
}

func reportByID(ctx context.Context, tx pgx.Tx, sc Scope, id string, lock bool) (*Report, error) {
	q := `SELECT ` + reportColumns + ` FROM reports WHERE tenant_id = $1 AND id = $2`
	if lock {
		q += ` FOR UPDATE`
	}
	rows, _ := tx.Query(ctx, q, sc.TenantID, id)
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[Report])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, newError(CodeNotFound, "reportId", "no report has id %q", id)
	}
	return r, err
}

// Report returns a report by id, or a NOT_FOUND Error.
func (s *Store) Report(ctx context.Context, sc Scope, id string) (*Report, error) {
	return getWhere[Report](ctx, s, sc, "reports", reportColumns, "id", id, "id", "report")
}

// Reports lists reports, newest first.
func (s *Store) Reports(ctx context.Context, sc Scope, pr PageRequest) (*Page[*Report], error) {
	return listNewestFirst(ctx, s, sc, newListQuery(sc), "reports", reportColumns, "report", pr,
		pgx.RowToAddrOfStructByPos[Report], func(r *Report) (time.Time, string) { return r.CreatedAt, r.ID })
}

// ErrReportNotReady is returned by WriteReport for a report that has no file
// to give (not built yet, failed, or expired).
var ErrReportNotReady = errors.New("report not ready")

// WriteReport streams a built report's file to w, chunk by chunk, and
// returns the report. Memory does not grow with the report's size, and no
// database connection is held while the client reads: each chunk is fetched
// in a short query of its own. start is called once, before the first byte,
// with the report, so that the caller can set headers.
func (s *Store) WriteReport(ctx context.Context, sc Scope, id string, start func(*Report), w io.Writer) error {
	r, err := s.Report(ctx, sc, id)
	if err != nil {
		return err
	}
	if r.Status != ReportSucceeded || r.ExpiresAt == nil || r.ExpiresAt.Before(time.Now()) {
		return fmt.Errorf("%w: the report is %s", ErrReportNotReady, r.Status)
	}
	start(r)
	for seq := 0; ; seq++ {
		var data []byte
		err := s.inTenant(ctx, sc, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT data FROM report_chunks WHERE tenant_id = $1 AND report_id = $2 AND seq = $3`,
				sc.TenantID, r.ID, seq).Scan(&data)
		})
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read report chunk %d: %w", seq, err)
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
	}
}

// maxActiveReports bounds the reports a tenant may have queued or running.
const maxActiveReports = 5

// PruneReports deletes the tenant's reports whose file has expired, and
// reports that failed long ago, and returns how many it deleted.
func (s *Store) PruneReports(ctx context.Context, sc Scope, failedAge time.Duration) (int64, error) {
	var n int64
	err := s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM reports WHERE tenant_id = $1 AND (expires_at < now()
			OR status = 'FAILED' AND finished_at < now() - make_interval(secs => $2))`, sc.TenantID, failedAge.Seconds())
		n = tag.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune reports: %w", err)
	}
	return n, nil
}
