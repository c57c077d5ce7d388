package domain

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Invitation asks someone, by email, to join a tenant with roles. Its token
// is shown once (in AcceptURL) and stored only as a hash; it can be
// accepted once, before it expires.
type Invitation struct {
	ID        string
	Email     string
	Roles     []string
	InvitedBy string
	CreatedAt time.Time
	ExpiresAt time.Time
	// AcceptURL is the console's page that accepts it, with the token. It
	// is known only when the invitation is made.
	AcceptURL *string
	// EmailSent says whether the invitation went out by email.
	EmailSent bool
}

// AcceptInput accepts an invitation. Password sets a new account's password,
// or proves an existing account's.
type AcceptInput struct {
	Token    string
	Password *string
	Name     *string
	Addr     string
}

// errInvitationInvalid is the one answer to an invitation token that cannot
// be accepted, whatever the reason.
var errInvitationInvalid = newError(CodeValidation, "token", "this invitation is not valid: it was already accepted, has expired, or never existed")

// Invite invites an email into the scope's tenant with roles. When a mailer
// is configured the invitation is also sent by email; either way AcceptURL
// can be handed over by other means.
func (a *Accounts) Invite(ctx context.Context, sc Scope, email string, roles []string) (*Invitation, error) {
	email, err := normalizeEmail("email", email)
	if err != nil {
		return nil, err
	}
	if roles, err = normalizeRoles("roles", roles); err != nil {
		return nil, err
	}
	var inv *Invitation
	var tenantName string
	err = a.inAuth(ctx, authScope{tenantID: sc.TenantID}, func(tx pgx.Tx) error {
		// Serialise with other changes to the tenant's people, so that
		// invitations made at once still leave one open.
		if err := lockMembers(ctx, tx, sc.TenantID); err != nil {
			return err
		}
		var member bool
		err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM memberships m JOIN users u ON u.id = m.user_id
			WHERE m.tenant_id = $1 AND u.email = $2)`, sc.TenantID, email).Scan(&member)
		if err != nil {
			return fmt.Errorf("find member: %w", err)
		}
		if member {
			return newError(CodeDuplicate, "email", "this person is already a member; change their roles instead")
		}
		if err := tx.QueryRow(ctx, `SELECT name FROM tenants WHERE id = $1`, sc.TenantID).Scan(&tenantName); err != nil {
			return fmt.Errorf("read tenant: %w", err)
		}
		inv, err = a.insertInvitation(ctx, tx, sc, email, roles)
		return err
	})
	if err != nil {
		return nil, wrap(err, "invite")
	}
	if a.cfg.Mailer != nil {
		mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
		defer cancel()
		err := a.cfg.Mailer.SendInvitation(mctx, InvitationMail{To: inv.Email, TenantName: tenantName, InvitedBy: inv.InvitedBy,
			Roles: inv.Roles, AcceptURL: *inv.AcceptURL, ExpiresAt: inv.ExpiresAt})
		inv.EmailSent = err == nil
	}
	return inv, nil
}

// insertInvitation stores a new invitation, which replaces any open one for
// the email: a person holds at most one open invitation to a tenant. The
// caller holds lockMembers.
func (a *Accounts) insertInvitation(ctx context.Context, tx pgx.Tx, sc Scope, email string, roles []string) (*Invitation, error) {
	token, hash, err := newSecret(invitationKind, sc.TenantID)
	if err != nil {
		return nil, err
	}
	if err := revokeInvitations(ctx, tx, sc.TenantID, email, ""); err != nil {
		return nil, err
	}
	link := a.cfg.PublicURL + "/accept-invitation?token=" + url.QueryEscape(token)
	inv := &Invitation{ID: uuid.NewString(), Email: email, Roles: roles, InvitedBy: sc.Actor, AcceptURL: &link}
	err = tx.QueryRow(ctx, `INSERT INTO invitations (tenant_id, id, email, roles, token_hash, invited_by, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7)) RETURNING created_at, expires_at`,
		sc.TenantID, inv.ID, email, roles, hash, sc.Actor, a.cfg.InvitationTTL.Seconds()).Scan(&inv.CreatedAt, &inv.ExpiresAt)
	if err != nil {
		return nil, fmt.Errorf("store invitation: %w", err)
	}
	return inv, nil
}

// revokeInvitations withdraws the open invitations for an email to the
// tenant, except the one whose id is except (if any).
func revokeInvitations(ctx context.Context, tx pgx.Tx, tenantID, email, except string) error {
	_, err := tx.Exec(ctx, `UPDATE invitations SET revoked_at = now() WHERE tenant_id = $1 AND email = $2
		AND ($3 = '' OR id::text <> $3) AND accepted_at IS NULL AND revoked_at IS NULL`, tenantID, email, except)
	if err != nil {
		return fmt.Errorf("revoke invitations: %w", err)
	}
	return nil
}

// Invitations lists the tenant's invitations that are still open, newest
// first.
func (a *Accounts) Invitations(ctx context.Context, sc Scope) ([]*Invitation, error) {
	var out []*Invitation
	err := a.inAuth(ctx, authScope{tenantID: sc.TenantID}, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, email, roles, invited_by, created_at, expires_at FROM invitations
			WHERE tenant_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
			ORDER BY invitations.created_at DESC, invitations.id LIMIT $2`, sc.TenantID, MaxPageSize)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (*Invitation, error) {
			inv := &Invitation{}
			return inv, r.Scan(&inv.ID, &inv.Email, &inv.Roles, &inv.InvitedBy, &inv.CreatedAt, &inv.ExpiresAt)
		})
		return err
	})
	return out, wrap(err, "list invitations")
}

// RevokeInvitation withdraws an open invitation.
func (a *Accounts) RevokeInvitation(ctx context.Context, sc Scope, id string) error {
	id, err := parseID("id", id)
	if err != nil {
		return err
	}
	return wrap(a.inAuth(ctx, authScope{tenantID: sc.TenantID}, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE invitations SET revoked_at = now() WHERE tenant_id = $1 AND id = $2
			AND accepted_at IS NULL AND revoked_at IS NULL`, sc.TenantID, id)
		if err == nil && tag.RowsAffected() == 0 {
			return newError(CodeNotFound, "id", "no open invitation has this id")
		}
		return err
	}), "revoke invitation")
}

// AcceptInvitation accepts an invitation once: it creates the account (or,
// for an email that has one, checks its password), adds the membership with
// the invitation's roles, and signs the person in. A person who is already a
// member keeps the roles they have: the invitation only signs them in. Any
// other open invitation for the email is withdrawn.
func (a *Accounts) AcceptInvitation(ctx context.Context, in AcceptInput) (*Auth, error) {
	tenantID, hash, ok := parseSecret(invitationKind, in.Token)
	if !ok {
		return nil, errInvitationInvalid
	}
	name, err := optionalText("name", in.Name, maxName)
	if err != nil {
		return nil, err
	}
	password := ""
	if in.Password != nil {
		password = *in.Password
	}
	var addrKeys []throttleKey
	if in.Addr != "" {
		addrKeys = append(addrKeys, addressKey("addr", in.Addr, AddressThrottle))
	}
	// The attempt counts against the address before any password is
	// hashed; only a wrong password leaves it counted.
	if err := a.store.attempt(ctx, "failed attempts", addrKeys...); err != nil {
		return nil, err
	}
	var out *Auth
	wrongPassword := false
	err = a.inAuth(ctx, authScope{tenantID: tenantID}, func(tx pgx.Tx) error {
		// Take the members' lock before the invitation's row lock, in the
		// order Invite, RemoveUser and UpdateUserRoles take them.
		if err := lockMembers(ctx, tx, tenantID); err != nil {
			return err
		}
		var invID, email string
		var roles []string
		err := tx.QueryRow(ctx, `SELECT id, email, roles FROM invitations WHERE tenant_id = $1 AND token_hash = $2
			AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now() FOR UPDATE`, tenantID, hash).Scan(&invID, &email, &roles)
		if errors.Is(err, pgx.ErrNoRows) {
			return errInvitationInvalid
		}
		if err != nil {
			return fmt.Errorf("find invitation: %w", err)
		}
		if err := setAuth(ctx, tx, authScope{tenantID: tenantID, email: email}); err != nil {
			return err
		}
		var c credential
		err = tx.QueryRow(ctx, `SELECT id, password_hash FROM users WHERE email = $1`, email).Scan(&c.id, &c.hash)
		exists := err == nil
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("find user: %w", err)
		}
		switch {
		case exists && c.hash != nil:
			emailKey := newThrottleKey("email", email, EmailThrottle)
			if err := a.store.attempt(ctx, "failed sign-ins", emailKey); err != nil {
				return err
			}
			ok, _, err := VerifyPassword(ctx, a.cfg.Argon2, *c.hash, password)
			if err != nil {
				return err
			}
			if !ok {
				wrongPassword = true
				return newError(CodeValidation, "password", "an account with this email exists: enter its password to accept")
			}
			if err := a.store.succeeded(ctx, []throttleKey{emailKey}); err != nil {
				return err
			}
		default:
			if err := checkPassword("password", password, email); err != nil {
				return err
			}
			hashed, err := HashPassword(ctx, a.cfg.Argon2, password)
			if err != nil {
				return err
			}
			if !exists {
				c.id = uuid.NewString()
			}
			if err := setAuth(ctx, tx, authScope{tenantID: tenantID, userID: c.id}); err != nil {
				return err
			}
			if exists {
				_, err = tx.Exec(ctx, `UPDATE users SET password_hash = $2, name = coalesce($3, name) WHERE id = $1`, c.id, hashed, name)
			} else {
				_, err = tx.Exec(ctx, `INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)`, c.id, email, name, hashed)
			}
			if err != nil {
				return fmt.Errorf("save user: %w", err)
			}
		}
		if err := setAuth(ctx, tx, authScope{tenantID: tenantID, userID: c.id}); err != nil {
			return err
		}
		// An existing member keeps their roles: an invitation never
		// changes them.
		if _, err := tx.Exec(ctx, `INSERT INTO memberships (tenant_id, user_id, roles) VALUES ($1, $2, $3)
			ON CONFLICT (tenant_id, user_id) DO NOTHING`, tenantID, c.id, roles); err != nil {
			return fmt.Errorf("add member: %w", err)
		}
		if err := requireAdmin(ctx, tx, tenantID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE invitations SET accepted_at = now() WHERE tenant_id = $1 AND id = $2`, tenantID, invID); err != nil {
			return fmt.Errorf("accept invitation: %w", err)
		}
		if err := revokeInvitations(ctx, tx, tenantID, email, invID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET last_sign_in_at = now() WHERE id = $1`, c.id); err != nil {
			return fmt.Errorf("note sign-in: %w", err)
		}
		out, err = a.startSession(ctx, tx, tenantID, c.id)
		return err
	})
	if !wrongPassword && len(addrKeys) > 0 {
		if serr := a.store.succeeded(ctx, nil, addrKeys...); serr != nil {
			return nil, serr
		}
	}
	if err != nil {
		return nil, wrap(err, "accept invitation")
	}
	return out, nil
}

// CreateUser adds a member to a tenant with roles, creating the account when
// the email has none, and returns a one-time sign-in link: an invitation
// whose acceptance sets the password (or, for an account that has one,
// asks for it). It is the command line's way to make a tenant's first admin.
func (a *Accounts) CreateUser(ctx context.Context, sc Scope, email string, roles []string) (*Invitation, error) {
	email, err := normalizeEmail("email", email)
	if err != nil {
		return nil, err
	}
	if roles, err = normalizeRoles("roles", roles); err != nil {
		return nil, err
	}
	var inv *Invitation
	err = a.inAuth(ctx, authScope{tenantID: sc.TenantID, email: email}, func(tx pgx.Tx) error {
		var id string
		err := tx.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, email).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			id = uuid.NewString()
			if err := setAuth(ctx, tx, authScope{tenantID: sc.TenantID, userID: id, email: email}); err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `INSERT INTO users (id, email) VALUES ($1, $2)`, id, email)
		}
		if err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		if err := lockMembers(ctx, tx, sc.TenantID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO memberships (tenant_id, user_id, roles) VALUES ($1, $2, $3)
			ON CONFLICT (tenant_id, user_id) DO UPDATE SET roles = EXCLUDED.roles`, sc.TenantID, id, roles); err != nil {
			if isCode(err, "23503") {
				return newError(CodeNotFound, "tenant", "no tenant has this id")
			}
			return fmt.Errorf("add member: %w", err)
		}
		if err := requireAdmin(ctx, tx, sc.TenantID); err != nil {
			return err
		}
		inv, err = a.insertInvitation(ctx, tx, sc, email, roles)
		return err
	})
	return inv, wrap(err, "create user")
}
