package graph

import (
	"context"

	"github.com/inventory-backbone/inventory/graph/model"
	"github.com/inventory-backbone/inventory/tenancy"
)

// roleNames maps GraphQL roles to the names tokens and keys use.
func roleNames(in []model.Role) []string {
	out := make([]string, len(in))
	for i, r := range in {
		out[i] = string(roles[r])
	}
	return out
}

// modelRoles maps role names to GraphQL roles, leaving out unknown ones.
func modelRoles(names []string) []model.Role {
	out := make([]model.Role, 0, len(names))
	for _, name := range names {
		for m, r := range roles {
			if string(r) == name {
				out = append(out, m)
			}
		}
	}
	return out
}

// mayGrant reports, for the domain, whether the request's principal holds a
// role (and so may give it to a key).
func mayGrant(ctx context.Context) func(role string) bool {
	p, ok := tenancy.FromContext(ctx)
	return func(role string) bool { return ok && p.Can(tenancy.Role(role)) }
}
