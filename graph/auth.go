package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/graph/model"
	"github.com/inventory-backbone/inventory/tenancy"
)

// Top-level error codes, in extensions.code.
const (
	CodeUnauthenticated = "UNAUTHENTICATED"
	CodeForbidden       = "FORBIDDEN"
	CodeInternal        = "INTERNAL"
)

var roles = map[model.Role]tenancy.Role{
	model.RoleViewer:   tenancy.Viewer,
	model.RoleOperator: tenancy.Operator,
	model.RoleAdmin:    tenancy.Admin,
}

// hasRole implements @hasRole: the field resolves only for a principal that
// holds the role; anyone else gets FORBIDDEN and the resolver never runs.
func hasRole(ctx context.Context, _ any, next graphql.Resolver, role model.Role) (any, error) {
	p, ok := tenancy.FromContext(ctx)
	if !ok {
		return nil, unauthenticated(ctx)
	}
	if !p.Can(roles[role]) {
		err := gqlerror.ErrorPathf(graphql.GetPath(ctx), "role %s is required", roles[role])
		err.Extensions = map[string]any{"code": CodeForbidden}
		return nil, err
	}
	return next(ctx)
}

func unauthenticated(ctx context.Context) error {
	err := gqlerror.ErrorPathf(graphql.GetPath(ctx), "a valid access token is required")
	err.Extensions = map[string]any{"code": CodeUnauthenticated}
	return err
}

// scope returns the domain scope of the request's principal.
func scope(ctx context.Context) (domain.Scope, error) {
	p, ok := tenancy.FromContext(ctx)
	if !ok {
		return domain.Scope{}, unauthenticated(ctx)
	}
	return domain.Scope{TenantID: p.TenantID, Actor: p.Subject}, nil
}
