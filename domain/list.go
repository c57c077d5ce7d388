package domain

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// listQuery builds the WHERE clause of a tenant listing.
type listQuery struct {
	conds []string
	args  []any
}

func newListQuery(sc Scope) *listQuery {
	return &listQuery{conds: []string{"tenant_id = $1"}, args: []any{sc.TenantID}}
}

// where adds a condition whose one placeholder is written $%d.
func (q *listQuery) where(cond string, v any) {
	q.args = append(q.args, v)
	q.conds = append(q.conds, fmt.Sprintf(cond, len(q.args)))
}

// whereID adds an id condition; it returns false when the id is malformed,
// in which case nothing can match.
func (q *listQuery) whereID(cond string, id *string) bool {
	if id == nil {
		return true
	}
	if !ValidID(*id) {
		return false
	}
	q.where(cond, *id)
	return true
}

// listNewestFirst pages through a table ordered by (created_at, id)
// descending; cursors carry both.
func listNewestFirst[T any](ctx context.Context, s *Store, sc Scope, q *listQuery, table, columns, prefix string,
	pr PageRequest, scan pgx.RowToFunc[T], key func(T) (time.Time, string)) (*Page[T], error) {
	return listNewest(ctx, s, sc, q, table, columns, "created_at", prefix, pr, scan, key)
}

// listNewest pages through a table ordered by (a time column, id)
// descending; cursors carry both.
func listNewest[T any](ctx context.Context, s *Store, sc Scope, q *listQuery, table, columns, timeColumn, prefix string,
	pr PageRequest, scan pgx.RowToFunc[T], key func(T) (time.Time, string)) (*Page[T], error) {
	lc := s.cursors(sc, prefix)
	limit, after, err := pr.parse(lc)
	if err != nil {
		return nil, err
	}
	if after != "" {
		ts, id, ok := strings.Cut(after, "|")
		t, terr := time.Parse(time.RFC3339Nano, ts)
		if !ok || terr != nil || !ValidID(id) {
			return nil, &Error{Code: CodeValidation, Field: []string{"after"}, Message: "after is not a cursor of this list"}
		}
		q.args = append(q.args, t, id)
		q.conds = append(q.conds, fmt.Sprintf("(%s, id) < ($%d, $%d)", timeColumn, len(q.args)-1, len(q.args)))
	}
	q.args = append(q.args, limit+1)
	sql := fmt.Sprintf("SELECT %s FROM %s WHERE %s ORDER BY %[2]s.%[4]s DESC, %[2]s.id DESC LIMIT $%[5]d",
		columns, table, strings.Join(q.conds, " AND "), timeColumn, len(q.args))
	var rows []T
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		r, _ := tx.Query(ctx, sql, q.args...)
		var err error
		rows, err = pgx.CollectRows(r, scan)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", table, err)
	}
	return makePage(rows, limit, lc, func(v T) string {
		t, id := key(v)
		return t.UTC().Format(time.RFC3339Nano) + "|" + id
	}), nil
}

// listByKey pages through a tenant table in the order of a unique text
// column; cursors carry its value.
func listByKey[T any](ctx context.Context, s *Store, sc Scope, pr PageRequest, table, columns, key, prefix string,
	keyOf func(*T) string) (*Page[*T], error) {
	lc := s.cursors(sc, prefix)
	limit, after, err := pr.parse(lc)
	if err != nil {
		return nil, err
	}
	rows, err := queryRows[T](ctx, s, sc, fmt.Sprintf(`SELECT %s FROM %s WHERE tenant_id = $1 AND %[3]s > $2 ORDER BY %[2]s.%[3]s LIMIT $3`,
		columns, table, key), sc.TenantID, after, limit+1)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", table, err)
	}
	return makePage(rows, limit, lc, keyOf), nil
}
