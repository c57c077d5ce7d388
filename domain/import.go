package domain

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// ImportKind says what an import's file holds.
type ImportKind string

// The kinds of import.
const (
	// ImportItems creates or updates items by sku: columns sku, name and
	// optionally unit, reorderPoint, barcode.
	ImportItems ImportKind = "ITEMS"
	// ImportStockCounts records counts: columns sku, locationCode,
	// countedQuantity.
	ImportStockCounts ImportKind = "STOCK_COUNTS"
)

// ImportStatus is where an import is in its life.
type ImportStatus string

// The statuses of an import.
const (
	ImportQueued    ImportStatus = "QUEUED"
	ImportRunning   ImportStatus = "RUNNING"
	ImportSucceeded ImportStatus = "SUCCEEDED"
	ImportFailed    ImportStatus = "FAILED"
)

// EventImportUpdated is the change-feed event of an import's progress.
const EventImportUpdated = "import.updated"

// DefaultImportMaxBytes is the largest file an import takes unless
// WithImportMaxBytes says otherwise.
const DefaultImportMaxBytes = 20 << 20

// WithImportMaxBytes sets the largest file an import takes.
func WithImportMaxBytes(n int64) Option {
	return func(s *Store) { s.importMaxBytes = n }
}

// ImportMaxBytes is the largest file an import takes.
func (s *Store) ImportMaxBytes() int64 {
	if s.importMaxBytes <= 0 {
		return DefaultImportMaxBytes
	}
	return s.importMaxBytes
}

// ImportScheduler is a Scheduler that can also enqueue imports. Package jobs
// implements it.
type ImportScheduler interface {
	// ScheduleImport arranges for RunImport to be called for the import.
	ScheduleImport(ctx context.Context, tx pgx.Tx, tenantID, importID string) error
}

// Import is a CSV file being applied to the catalogue or the stock by a job.
type Import struct {
	ID          string       `json:"id"`
	Kind        ImportKind   `json:"kind"`
	Status      ImportStatus `json:"status"`
	DryRun      bool         `json:"dryRun"`
	Filename    *string      `json:"filename,omitempty"`
	ByteCount   int64        `json:"byteCount"`
	RowsTotal   *int64       `json:"rowsTotal,omitempty"`
	RowsDone    int64        `json:"rowsDone"`
	ErrorCount  int64        `json:"errorCount"`
	RequestedBy string       `json:"requestedBy"`
	CreatedAt   time.Time    `json:"createdAt"`
	StartedAt   *time.Time   `json:"startedAt,omitempty"`
	FinishedAt  *time.Time   `json:"finishedAt,omitempty"`
}

// Finished reports whether the import will change no more.
func (i *Import) Finished() bool { return i.Status == ImportSucceeded || i.Status == ImportFailed }

// ImportRowError is one problem with one row of an import's file. Row is the
// file's line number (the header is line 1); Column names the column at
// fault, when there is one.
type ImportRowError struct {
	Row     int64   `json:"row"`
	Column  *string `json:"column,omitempty"`
	Message string  `json:"message"`
	Code    Code    `json:"code"`
}

const importColumns = `id, kind, status, dry_run, filename, byte_count, rows_total, rows_done, error_count,
	requested_by, created_at, started_at, finished_at`

// NewImport is the input of StartImport.
type NewImport struct {
	Kind     ImportKind
	DryRun   bool
	Filename string
	// Content is the file. Its size is checked against ImportMaxBytes.
	Content []byte
}

// StartImport checks the file's size, encoding, delimiter and header, stores
// it, enqueues the job that processes it, and returns the import at once,
// QUEUED. A file that is not a CSV of the kind's columns is VALIDATION, with
// the reason, and nothing is stored.
func (s *Store) StartImport(ctx context.Context, sc Scope, in NewImport) (*Import, error) {
	if in.Kind != ImportItems && in.Kind != ImportStockCounts {
		return nil, newError(CodeValidation, "kind", "kind must be ITEMS or STOCK_COUNTS")
	}
	if max := s.ImportMaxBytes(); int64(len(in.Content)) > max {
		return nil, newError(CodeValidation, "file", "the file is %d bytes; an import takes at most %d", len(in.Content), max)
	}
	if _, err := checkCSV(in.Kind, in.Content); err != nil {
		return nil, err
	}
	filename, err := optionalText("file", &in.Filename, 255)
	if err != nil {
		return nil, err
	}
	var imp *Import
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		var active int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM imports WHERE tenant_id = $1 AND status IN ('QUEUED', 'RUNNING')`,
			sc.TenantID).Scan(&active); err != nil {
			return err
		}
		if active >= maxActiveImports {
			return newError(CodeValidation, "file", "at most %d imports may be queued or running at once; wait for one to finish", maxActiveImports)
		}
		rows, _ := tx.Query(ctx, `INSERT INTO imports (tenant_id, id, kind, status, dry_run, filename, byte_count, file, requested_by)
			VALUES ($1, $2, $3, 'QUEUED', $4, $5, $6, $7, $8) RETURNING `+importColumns,
			sc.TenantID, uuid.NewString(), in.Kind, in.DryRun, filename, len(in.Content), in.Content, sc.Actor)
		var err error
		if imp, err = pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[Import]); err != nil {
			return err
		}
		if sch, ok := s.scheduler.(ImportScheduler); ok {
			if err := sch.ScheduleImport(ctx, tx, sc.TenantID, imp.ID); err != nil {
				return fmt.Errorf("schedule import: %w", err)
			}
		}
		return writeEvent(ctx, tx, sc, EventImportUpdated, imp)
	})
	if err != nil {
		return nil, wrap(err, "start import")
	}
	return imp, nil
}

// maxActiveImports bounds the imports a tenant may have queued or running.
const maxActiveImports = 5

// Import returns an import by id, or a NOT_FOUND Error.
func (s *Store) Import(ctx context.Context, sc Scope, id string) (*Import, error) {
	return getWhere[Import](ctx, s, sc, "imports", importColumns, "id", id, "id", "import")
}

// Imports lists imports, newest first.
func (s *Store) Imports(ctx context.Context, sc Scope, pr PageRequest) (*Page[*Import], error) {
	return listNewestFirst(ctx, s, sc, newListQuery(sc), "imports", importColumns, "import", pr,
		pgx.RowToAddrOfStructByPos[Import], func(i *Import) (time.Time, string) { return i.CreatedAt, i.ID })
}

// ImportErrors returns the first limit row errors of an import, in row order.
func (s *Store) ImportErrors(ctx context.Context, sc Scope, importID string, limit int) ([]*ImportRowError, error) {
	if !ValidID(importID) {
		return nil, nil
	}
	out, err := queryRows[ImportRowError](ctx, s, sc, `SELECT row_number, column_name, message, code FROM import_errors
		WHERE tenant_id = $1 AND import_id = $2 ORDER BY import_errors.seq LIMIT $3`, sc.TenantID, importID, limit)
	if err != nil {
		return nil, fmt.Errorf("read import errors: %w", err)
	}
	return out, nil
}
