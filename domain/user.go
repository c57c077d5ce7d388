package domain

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// User is a person who signs in, as a member of one tenant: Roles and
// LastSignInAt are those of the membership.
type User struct {
	ID           string
	Email        string
	Name         *string
	Roles        []string
	CreatedAt    time.Time
	LastSignInAt *time.Time
}

// Membership is a tenant a user belongs to, with the roles held there.
type Membership struct {
	Tenant Tenant
	Roles  []string
}

// Me is who a principal is: the user (nil for a principal that is no
// sign-in session's, such as a command-line token or an identity
// provider's), and the tenants the user belongs to.
type Me struct {
	User    *User
	Tenant  Tenant
	Tenants []Membership
}

const memberColumns = `u.id, u.email, u.name, m.roles, u.created_at, m.last_sign_in_at`

func scanMember(row pgx.Row) (*User, error) {
	u := &User{}
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Roles, &u.CreatedAt, &u.LastSignInAt)
	return u, err
}

// memberByID reads a member of the transaction's tenant.
func memberByID(ctx context.Context, tx pgx.Tx, tenantID, userID string) (*User, error) {
	u, err := scanMember(tx.QueryRow(ctx, `SELECT `+memberColumns+` FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.tenant_id = $1 AND m.user_id = $2`, tenantID, userID))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, newError(CodeNotFound, "userId", "no user has this id")
	}
	if err != nil {
		return nil, fmt.Errorf("read member: %w", err)
	}
	return u, nil
}

// Users lists the tenant's members, by email.
func (a *Accounts) Users(ctx context.Context, sc Scope, pr PageRequest) (*Page[*User], error) {
	lc := a.store.cursors(sc, "user")
	limit, after, err := pr.parse(lc)
	if err != nil {
		return nil, err
	}
	var users []*User
	err = a.inAuth(ctx, authScope{tenantID: sc.TenantID}, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+memberColumns+` FROM memberships m JOIN users u ON u.id = m.user_id
			WHERE m.tenant_id = $1 AND u.email > $2 ORDER BY u.email LIMIT $3`, sc.TenantID, after, limit+1)
		if err != nil {
			return err
		}
		users, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (*User, error) { return scanMember(r) })
		return err
	})
	if err != nil {
		return nil, wrap(err, "list users")
	}
	return makePage(users, limit, lc, func(u *User) string { return u.Email }), nil
}

// lockMembers serialises changes to the tenant's memberships with a
// transaction-scoped advisory lock, so that the last-admin rule holds under
// concurrency.
func lockMembers(ctx context.Context, tx pgx.Tx, tenantID string) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('memberships:' || $1::text, 0))`, tenantID)
	if err != nil {
		return fmt.Errorf("lock members: %w", err)
	}
	return nil
}

// requireAdmin refuses a change that would leave the tenant without an admin.
func requireAdmin(ctx context.Context, tx pgx.Tx, tenantID string) error {
	var ok bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM memberships WHERE tenant_id = $1 AND 'admin' = ANY (roles))`,
		tenantID).Scan(&ok)
	if err != nil {
		return fmt.Errorf("count admins: %w", err)
	}
	if !ok {
		return newError(CodeInvalidState, "roles", "a business must keep at least one admin")
	}
	return nil
}

// UpdateUserRoles sets a member's roles. The member's current access tokens
// keep their roles until they are refreshed (at most the access token
// lifetime). The member's open invitations are withdrawn. The tenant always
// keeps at least one admin.
func (a *Accounts) UpdateUserRoles(ctx context.Context, sc Scope, userID string, roles []string) (*User, error) {
	id, err := parseID("userId", userID)
	if err != nil {
		return nil, err
	}
	if roles, err = normalizeRoles("roles", roles); err != nil {
		return nil, err
	}
	var u *User
	err = a.inAuth(ctx, authScope{tenantID: sc.TenantID}, func(tx pgx.Tx) error {
		if err := lockMembers(ctx, tx, sc.TenantID); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE memberships SET roles = $3 WHERE tenant_id = $1 AND user_id = $2`, sc.TenantID, id, roles)
		if err != nil {
			return fmt.Errorf("update roles: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return newError(CodeNotFound, "userId", "no user has this id")
		}
		if err := requireAdmin(ctx, tx, sc.TenantID); err != nil {
			return err
		}
		if u, err = memberByID(ctx, tx, sc.TenantID, id); err != nil {
			return err
		}
		// An invitation kept back must not restore other roles.
		return revokeInvitations(ctx, tx, sc.TenantID, u.Email, "")
	})
	return u, wrap(err, "update user roles")
}

// RemoveUser takes a member out of the tenant. Their sessions in the tenant
// end at once, their access tokens are refused from then on, and their open
// invitations are withdrawn. The tenant always keeps at least one admin.
func (a *Accounts) RemoveUser(ctx context.Context, sc Scope, userID string) (*User, error) {
	id, err := parseID("userId", userID)
	if err != nil {
		return nil, err
	}
	var u *User
	err = a.inAuth(ctx, authScope{tenantID: sc.TenantID}, func(tx pgx.Tx) error {
		if err := lockMembers(ctx, tx, sc.TenantID); err != nil {
			return err
		}
		if u, err = memberByID(ctx, tx, sc.TenantID, id); err != nil {
			return err
		}
		// Deleting the membership deletes its sessions and refresh tokens.
		if _, err := tx.Exec(ctx, `DELETE FROM memberships WHERE tenant_id = $1 AND user_id = $2`, sc.TenantID, id); err != nil {
			return fmt.Errorf("remove member: %w", err)
		}
		if err := requireAdmin(ctx, tx, sc.TenantID); err != nil {
			e, _ := AsError(err)
			e.Field = []string{"input", "userId"}
			return e
		}
		// An invitation kept back must not bring the member back.
		return revokeInvitations(ctx, tx, sc.TenantID, u.Email, "")
	})
	if err != nil {
		return nil, wrap(err, "remove user")
	}
	return u, nil
}

// Me returns who the caller is in the scope's tenant. userID is the user of
// a sign-in session's token, verified with it: Me returns that member with
// the tenants the user belongs to. Without one (a command-line token, an
// identity provider's, an API key), whatever the token's subject, Me has no
// user and lists only the scope's tenant with the token's roles: a subject
// equal to a member's email must not reveal that member's other tenants.
func (a *Accounts) Me(ctx context.Context, sc Scope, userID string, roles []string) (*Me, error) {
	me := &Me{Tenant: Tenant{ID: sc.TenantID}, Tenants: []Membership{}}
	err := a.inAuth(ctx, authScope{tenantID: sc.TenantID}, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT name FROM tenants WHERE id = $1`, sc.TenantID).Scan(&me.Tenant.Name); err != nil {
			return fmt.Errorf("read tenant: %w", err)
		}
		if userID == "" {
			me.Tenants = []Membership{{Tenant: me.Tenant, Roles: append([]string{}, roles...)}}
			return nil
		}
		u, err := scanMember(tx.QueryRow(ctx, `SELECT `+memberColumns+` FROM memberships m JOIN users u ON u.id = m.user_id
			WHERE m.tenant_id = $1 AND m.user_id = $2`, sc.TenantID, userID))
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // removed since the token was verified
		}
		if err != nil {
			return fmt.Errorf("read user: %w", err)
		}
		me.User = u
		// The access token verified this user: the transaction may now see
		// the user's memberships of other tenants.
		if err := setAuth(ctx, tx, authScope{tenantID: sc.TenantID, userID: u.ID}); err != nil {
			return err
		}
		me.Tenants, err = memberships(ctx, tx, u.ID)
		return err
	})
	if err != nil {
		return nil, wrap(err, "me")
	}
	return me, nil
}

// memberships lists a verified user's tenants, most recently used first.
func memberships(ctx context.Context, tx pgx.Tx, userID string) ([]Membership, error) {
	rows, err := tx.Query(ctx, `SELECT t.id, t.name, m.roles FROM memberships m JOIN tenants t ON t.id = m.tenant_id
		WHERE m.user_id = $1 ORDER BY m.last_sign_in_at DESC NULLS LAST, m.created_at, t.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("list memberships: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Membership, error) {
		var m Membership
		return m, r.Scan(&m.Tenant.ID, &m.Tenant.Name, &m.Roles)
	})
	if err != nil {
		return nil, fmt.Errorf("list memberships: %w", err)
	}
	return out, nil
}

// HasRole reports whether a membership's roles include the role, directly or
// through a higher one.
func HasRole(roles []string, role string) bool {
	rank := map[string]int{RoleViewer: 1, RoleOperator: 2, RoleAdmin: 3}
	return slices.ContainsFunc(roles, func(r string) bool { return rank[r] >= rank[role] })
}
