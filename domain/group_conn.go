package domain

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// groupTx is a group's transaction on one connection, as a pgx.Tx for the
// code that takes one (commands' prepare and persist, the Scheduler), that
// saves two round trips: BEGIN goes in front of the first statement, and
// the group queues COMMIT at the end of its last batch (see commitInBatch).
//
// Measured with BenchmarkShipPath/roundtrips and BenchmarkShipStock
// (docs/benchmarks.md): one operation alone takes three round trips instead
// of five, and every round trip saved shortens the time a hot level's lock
// is held. The other way the issue names, one statement or a function that
// checks and writes, would make two, but it moves the rules (the commands'
// plans) into SQL, one function per operation; group commit amortises the
// round trips over the whole group instead, so the third round trip costs
// little under load.
//
// It has no nested transactions: Begin fails. None of its users needs one.
type groupTx struct {
	conn  *pgx.Conn
	begun bool // BEGIN has been sent
	ended bool // COMMIT or ROLLBACK has been sent
}

var _ pgx.Tx = (*groupTx)(nil)

// start sends BEGIN, unless it has been sent.
func (t *groupTx) start(ctx context.Context) error {
	if t.begun {
		return nil
	}
	t.begun = true
	if _, err := t.conn.Exec(ctx, "BEGIN"); err != nil {
		return wrap(err, "begin")
	}
	return nil
}

// Begin fails: a group's transaction has no nested transactions.
func (t *groupTx) Begin(context.Context) (pgx.Tx, error) {
	return nil, errors.New("domain: a group's transaction has no nested transactions")
}

// Commit commits the transaction, unless the last batch has.
func (t *groupTx) Commit(ctx context.Context) error {
	if !t.begun || t.ended {
		return nil
	}
	t.ended = true
	tag, err := t.conn.Exec(ctx, "COMMIT")
	if err == nil && tag.String() == "ROLLBACK" {
		err = pgx.ErrTxCommitRollback
	}
	return err
}

// Rollback rolls the transaction back, unless it has ended.
func (t *groupTx) Rollback(ctx context.Context) error {
	if !t.begun || t.ended {
		return nil
	}
	t.ended = true
	_, err := t.conn.Exec(ctx, "ROLLBACK")
	return err
}

// commitInBatch queues COMMIT at the end of b: when b succeeds, the
// transaction has committed.
func (t *groupTx) commitInBatch(b *batch) {
	b.exec("commit", func(tag pgconn.CommandTag) error {
		t.ended = true
		if tag.String() == "ROLLBACK" {
			return pgx.ErrTxCommitRollback
		}
		return nil
	}, "COMMIT")
}

// SendBatch sends b, with BEGIN in front of it if the transaction has not
// begun.
func (t *groupTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	if !t.begun {
		t.begun = true
		withBegin := &pgx.Batch{}
		withBegin.Queue("BEGIN")
		withBegin.QueuedQueries = append(withBegin.QueuedQueries, b.QueuedQueries...)
		b = withBegin
	}
	return t.conn.SendBatch(ctx, b)
}

// CopyFrom runs COPY FROM in the transaction.
func (t *groupTx) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error) {
	if err := t.start(ctx); err != nil {
		return 0, err
	}
	return t.conn.CopyFrom(ctx, table, columns, src)
}

// LargeObjects is not supported: its zero value fails on use.
func (t *groupTx) LargeObjects() pgx.LargeObjects { return pgx.LargeObjects{} }

// Prepare prepares a statement on the connection.
func (t *groupTx) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	return t.conn.Prepare(ctx, name, sql)
}

// Exec runs a statement in the transaction.
func (t *groupTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if err := t.start(ctx); err != nil {
		return pgconn.CommandTag{}, err
	}
	return t.conn.Exec(ctx, sql, args...)
}

// Query runs a query in the transaction.
func (t *groupTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if err := t.start(ctx); err != nil {
		return errRows{err}, err
	}
	return t.conn.Query(ctx, sql, args...)
}

// QueryRow runs a query of one row in the transaction.
func (t *groupTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if err := t.start(ctx); err != nil {
		return errRow{err}
	}
	return t.conn.QueryRow(ctx, sql, args...)
}

// Conn returns the connection.
func (t *groupTx) Conn() *pgx.Conn { return t.conn }

// errRow is a row whose Scan fails with err.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// errRows are rows that failed before the query was sent, for callers that
// read the error from the rows, as pgx lets them.
type errRows struct{ err error }

func (r errRows) Close()                                       {}
func (r errRows) Err() error                                   { return r.err }
func (r errRows) CommandTag() pgconn.CommandTag                { return pgconn.CommandTag{} }
func (r errRows) FieldDescriptions() []pgconn.FieldDescription { return nil }
func (r errRows) Next() bool                                   { return false }
func (r errRows) Scan(...any) error                            { return r.err }
func (r errRows) Values() ([]any, error)                       { return nil, r.err }
func (r errRows) RawValues() [][]byte                          { return nil }
func (r errRows) Conn() *pgx.Conn                              { return nil }
func (r errRows) TypeMap() *pgtype.Map                         { return nil }
