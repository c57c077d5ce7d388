package domain

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// rowWhere reads the one row of a tenant table where column equals value,
// in tx. No row is a NOT_FOUND Error naming field and noun.
func rowWhere[T any](ctx context.Context, tx pgx.Tx, sc Scope, table, columns, column, value, field, noun string) (*T, error) {
	rows, _ := tx.Query(ctx, `SELECT `+columns+` FROM `+table+` WHERE tenant_id = $1 AND `+column+` = $2`, sc.TenantID, value)
	v, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[T])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, newError(CodeNotFound, field, "no %s has %s %q", noun, column, truncate(value, 64))
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", noun, err)
	}
	return v, nil
}

// getWhere reads one row like rowWhere, in a transaction of its own. A
// malformed id is NOT_FOUND without a query.
func getWhere[T any](ctx context.Context, s *Store, sc Scope, table, columns, column, value, field, noun string) (*T, error) {
	if column == "id" && !ValidID(value) {
		return nil, newError(CodeNotFound, field, "no %s has id %q", noun, truncate(value, 64))
	}
	var v *T
	err := s.inTenant(ctx, sc, func(tx pgx.Tx) (err error) {
		v, err = rowWhere[T](ctx, tx, sc, table, columns, column, value, field, noun)
		return err
	})
	if err != nil {
		return nil, wrap(err, "get "+noun)
	}
	return v, nil
}

// queryRows runs a query in a transaction of the tenant's and collects its
// rows, scanned by position.
func queryRows[T any](ctx context.Context, s *Store, sc Scope, sql string, args ...any) ([]*T, error) {
	var out []*T
	err := s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, sql, args...)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[T])
		return err
	})
	return out, err
}
