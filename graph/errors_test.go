package graph_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/graph"
)

// TestErrorPresenter checks how each kind of error a field can fail with is
// presented: input that does not decode is VALIDATION with its own message
// and path; a domain failure keeps its code; a resolver's other errors, bare
// or wrapped by gqlgen on the field's path, and an error on another field's
// arguments, are INTERNAL with a generic message, and logged.
func TestErrorPresenter(t *testing.T) {
	var logged, unavailable []error
	present := graph.ErrorPresenter(func(_ context.Context, err error) { logged = append(logged, err) },
		func(_ context.Context, err error) { unavailable = append(unavailable, err) })
	ctx := graphql.WithFieldContext(context.Background(),
		&graphql.FieldContext{Field: graphql.CollectedField{Field: &ast.Field{Alias: "createApiKey"}}})
	field := ast.Path{ast.PathName("createApiKey")}
	secret := errors.New("dial tcp db.internal:5432: connection refused")
	cases := []struct {
		name    string
		err     error
		code    string
		message string
		logged  bool
	}{
		{"input that does not decode",
			gqlerror.WrapPath(append(ast.Path{}, field[0], ast.PathName("input"), ast.PathName("roles"), ast.PathIndex(1)),
				errors.New("viewer is not a valid Role")),
			"VALIDATION", "viewer is not a valid Role", false},
		{"a domain failure", fmt.Errorf("lookup: %w", &domain.Error{Code: domain.CodeNotFound, Message: "no such key"}),
			"NOT_FOUND", "no such key", false},
		{"a resolver's error", secret, "INTERNAL", "internal error", true},
		{"a resolver's error on the field's path", gqlerror.WrapPath(field, secret), "INTERNAL", "internal error", true},
		{"an error on another field's arguments",
			gqlerror.WrapPath(ast.Path{ast.PathName("apiKeys"), ast.PathName("first")}, secret),
			"INTERNAL", "internal error", true},
		{"the database restarting", fmt.Errorf("ship: %w", &pgconn.PgError{Code: "57P01"}),
			"UNAVAILABLE", "the database is unavailable; retry later (with the same idempotency key)", false},
		{"a long message", &domain.Error{Code: domain.CodeValidation, Message: strings.Repeat("é", 400)},
			"VALIDATION", strings.Repeat("é", graph.MaxErrorMessageBytes/2) + "… (cut)", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			logged, unavailable = nil, nil
			got := present(ctx, c.err)
			if got.Extensions["code"] != c.code || got.Message != c.message {
				t.Errorf("%q (%v), want %q (%s)", got.Message, got.Extensions["code"], c.message, c.code)
			}
			if (len(unavailable) > 0) != (c.code == "UNAVAILABLE") {
				t.Errorf("unavailable %v", unavailable)
			}
			if (len(logged) > 0) != c.logged {
				t.Errorf("logged %v, want logged: %v", logged, c.logged)
			}
		})
	}
}
