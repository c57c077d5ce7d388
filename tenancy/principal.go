package tenancy

import (
	"context"
	"fmt"
	"slices"
)

// Role is what a principal may do. Roles nest: an admin is an operator, and an
// operator is a viewer.
type Role string

// The roles a token may carry.
const (
	Viewer   Role = "viewer"
	Operator Role = "operator"
	Admin    Role = "admin"
)

// rank orders the roles: a higher rank includes every lower one.
var rank = map[Role]int{Viewer: 1, Operator: 2, Admin: 3}

// ParseRole returns the role with this name, or an error for an unknown one.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if _, ok := rank[r]; !ok {
		return "", fmt.Errorf("unknown role %q (want viewer, operator or admin)", s)
	}
	return r, nil
}

// Principal is a verified caller: who acts, for which tenant, with which roles.
type Principal struct {
	Subject  string
	TenantID string
	Roles    []Role
	// UserID is the signed-in user of a sign-in session's token (its uid
	// claim, see MintSession); empty for every other token.
	UserID string
}

// Can reports whether the principal holds the role, directly or through a
// higher one.
func (p *Principal) Can(r Role) bool {
	need, known := rank[r]
	if !known {
		return false
	}
	return slices.ContainsFunc(p.Roles, func(have Role) bool { return rank[have] >= need })
}

type principalKey struct{}

// WithPrincipal returns a context that carries the principal.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the context's principal, if it has one.
func FromContext(ctx context.Context) (*Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(*Principal)
	return p, ok && p != nil
}
