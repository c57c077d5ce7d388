package domain

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// errWrongCredentials is the one answer to a wrong email or password,
// whichever it was.
var errWrongCredentials = &Error{Code: CodeValidation, Message: "the email or password is wrong"}

// errSessionEnded is the one answer to a refresh token that cannot be used.
var errSessionEnded = newError(CodeValidation, "refreshToken", "the session has ended or the refresh token is not valid; sign in again")

// SignUpInput is a new business and its first admin.
type SignUpInput struct {
	Email        string
	Password     string
	Name         *string
	BusinessName string
	// Addr is the client's address, for throttling; "" skips that.
	Addr string
}

// SignInInput is an email, a password and, optionally, which of the user's
// tenants to sign in to.
type SignInInput struct {
	Email    string
	Password string
	TenantID *string
	Addr     string
}

// SignUp creates a tenant and its first admin, and signs the admin in. An
// email that already has an account may sign up again with its password:
// the new tenant is added to that account; with another password the answer
// is signIn's to wrong credentials, which does not tell that the account
// exists. Sign-ups are throttled per client address.
func (a *Accounts) SignUp(ctx context.Context, in SignUpInput) (*Auth, error) {
	if a.cfg.SignUpClosed {
		return nil, &Error{Code: CodeInvalidState, Message: "sign-up is closed on this service: ask a business's admin for an invitation"}
	}
	email, err := normalizeEmail("email", in.Email)
	if err != nil {
		return nil, err
	}
	business, err := requireText("businessName", in.BusinessName, maxName)
	if err != nil {
		return nil, err
	}
	name, err := optionalText("name", in.Name, maxName)
	if err != nil {
		return nil, err
	}
	// The password rules apply whether or not the email has an account, so
	// that their answer does not tell which.
	if err := checkPassword("password", in.Password, email); err != nil {
		return nil, err
	}
	var keys []throttleKey
	if in.Addr != "" {
		keys = append(keys, addressKey("signup", in.Addr, SignUpThrottle))
	}
	// Every sign-up counts against the address, and is counted before any
	// password is hashed; against the email, only a wrong password counts.
	emailKey := newThrottleKey("email", email, EmailThrottle)
	if err := a.store.attempt(ctx, "sign-ups or failed sign-ins", append(keys, emailKey)...); err != nil {
		return nil, err
	}
	existing, err := a.userByEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	var hash string
	userID := uuid.NewString()
	if existing != nil {
		ok, _, err := a.verifyOrPretend(ctx, existing.hash, in.Password)
		if err != nil {
			return nil, err
		}
		if !ok {
			// The answer signIn gives: it must not tell that the email
			// has an account.
			return nil, errWrongCredentials
		}
		if err := a.store.succeeded(ctx, []throttleKey{emailKey}); err != nil {
			return nil, err
		}
		userID = existing.id
	} else {
		if err := a.store.succeeded(ctx, nil, emailKey); err != nil { // no account: no password to guess
			return nil, err
		}
		if hash, err = HashPassword(ctx, a.cfg.Argon2, in.Password); err != nil {
			return nil, err
		}
	}
	tenantID := uuid.NewString()
	var out *Auth
	err = a.inAuth(ctx, authScope{tenantID: tenantID, userID: userID}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO tenants (id, name) VALUES ($1, $2)`, tenantID, business); err != nil {
			return fmt.Errorf("create tenant: %w", err)
		}
		if existing == nil {
			_, err := tx.Exec(ctx, `INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)`,
				userID, email, name, hash)
			if uniqueViolation(err, "users_email_key") {
				return errWrongCredentials // signed up at the same moment with another password
			}
			if err != nil {
				return fmt.Errorf("create user: %w", err)
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO memberships (tenant_id, user_id, roles) VALUES ($1, $2, $3)`,
			tenantID, userID, []string{RoleAdmin}); err != nil {
			return fmt.Errorf("add admin: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET last_sign_in_at = now() WHERE id = $1`, userID); err != nil {
			return fmt.Errorf("note sign-in: %w", err)
		}
		out, err = a.startSession(ctx, tx, tenantID, userID)
		return err
	})
	if err != nil {
		return nil, wrap(err, "sign up")
	}
	return out, nil
}

// credential is a user's id and password hash, as sign-in reads them.
type credential struct {
	id   string
	hash *string
}

// userByEmail reads the user an email names, or nil.
func (a *Accounts) userByEmail(ctx context.Context, email string) (*credential, error) {
	var c *credential
	err := a.inAuth(ctx, authScope{email: email}, func(tx pgx.Tx) error {
		var found credential
		err := tx.QueryRow(ctx, `SELECT id, password_hash FROM users WHERE email = $1`, email).Scan(&found.id, &found.hash)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		c = &found
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read user: %w", err)
	}
	return c, nil
}

// SignIn checks an email and a password and starts a session in one of the
// user's tenants: the one asked for, or else the one used most recently.
// A wrong password and an unknown email get the same answer after the same
// work; failures are throttled per email and per client address.
func (a *Accounts) SignIn(ctx context.Context, in SignInInput) (*Auth, error) {
	email, err := normalizeEmail("email", in.Email)
	if err != nil {
		return nil, errWrongCredentials
	}
	// The attempt counts as a failure before the password is hashed, so
	// that sign-ins made at once cannot all get past the throttle; a right
	// password takes it back.
	keys := signInKeys(email, in.Addr)
	if err := a.store.attempt(ctx, "failed sign-ins", keys...); err != nil {
		return nil, err
	}
	if len(in.Password) > MaxPasswordLength {
		return nil, errWrongCredentials
	}
	c, err := a.userByEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	var hash *string
	if c != nil {
		hash = c.hash
	}
	ok, stale, err := a.verifyOrPretend(ctx, hash, in.Password)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errWrongCredentials
	}
	if err := a.store.succeeded(ctx, keys[:1], keys[1:]...); err != nil {
		return nil, err
	}
	var rehash string
	if stale {
		if rehash, err = HashPassword(ctx, a.cfg.Argon2, in.Password); err != nil {
			return nil, err
		}
	}
	var out *Auth
	err = a.inAuth(ctx, authScope{userID: c.id}, func(tx pgx.Tx) error {
		tenantID, err := chooseTenant(ctx, tx, c.id, in.TenantID)
		if err != nil {
			return err
		}
		if err := setAuth(ctx, tx, authScope{tenantID: tenantID, userID: c.id}); err != nil {
			return err
		}
		if rehash != "" {
			if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, c.id, rehash); err != nil {
				return fmt.Errorf("rehash password: %w", err)
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET last_sign_in_at = now() WHERE id = $1`, c.id); err != nil {
			return fmt.Errorf("note sign-in: %w", err)
		}
		out, err = a.startSession(ctx, tx, tenantID, c.id)
		return err
	})
	if err != nil {
		return nil, wrap(err, "sign in")
	}
	return out, nil
}

// chooseTenant picks the tenant to sign in to among a verified user's.
func chooseTenant(ctx context.Context, tx pgx.Tx, userID string, want *string) (string, error) {
	ms, err := memberships(ctx, tx, userID)
	if err != nil {
		return "", err
	}
	if want != nil && *want != "" {
		for _, m := range ms {
			if m.Tenant.ID == *want {
				return m.Tenant.ID, nil
			}
		}
		return "", newError(CodeNotFound, "tenantId", "this account is not a member of that business")
	}
	if len(ms) == 0 {
		return "", &Error{Code: CodeInvalidState, Message: "this account belongs to no business any more"}
	}
	return ms[0].Tenant.ID, nil
}

// RefreshGrace is how long after its use a refresh token may be presented
// again and get the same successor, when AccountsConfig.RefreshKey is set:
// two tabs of a console that refresh at once share the session instead of
// ending it.
const RefreshGrace = 10 * time.Second

// Refresh uses a refresh token once and issues the next one with a new
// access token that carries the membership's current roles. A refresh token
// used a second time ends its whole session, since someone else has a copy,
// unless it comes back within RefreshGrace and its successor is still
// unused: then the answer is that same successor, with a new access token.
func (a *Accounts) Refresh(ctx context.Context, refreshToken string) (*Auth, error) {
	tenantID, hash, ok := parseSecret(refreshKind, refreshToken)
	if !ok {
		return nil, errSessionEnded
	}
	refreshToken = strings.TrimSpace(refreshToken)
	var out *Auth
	reused := false
	err := a.inAuth(ctx, authScope{tenantID: tenantID}, func(tx pgx.Tx) error {
		var sessionID string
		err := tx.QueryRow(ctx, `UPDATE refresh_tokens SET used_at = now() WHERE tenant_id = $1 AND hash = $2 AND used_at IS NULL
			RETURNING session_id`, tenantID, hash).Scan(&sessionID)
		if errors.Is(err, pgx.ErrNoRows) {
			var recent bool
			err = tx.QueryRow(ctx, `SELECT session_id, used_at > now() - make_interval(secs => $3) FROM refresh_tokens
				WHERE tenant_id = $1 AND hash = $2`, tenantID, hash, RefreshGrace.Seconds()).Scan(&sessionID, &recent)
			if errors.Is(err, pgx.ErrNoRows) {
				return errSessionEnded
			}
			if err != nil {
				return fmt.Errorf("find refresh token: %w", err)
			}
			if recent && a.cfg.RefreshKey != nil {
				if out, err = a.again(ctx, tx, tenantID, sessionID, refreshToken); out != nil || err != nil {
					return err
				}
			}
			reused = true
			_, err = tx.Exec(ctx, `UPDATE sessions SET ended_at = now(), end_reason = 'refresh token reused'
				WHERE tenant_id = $1 AND id = $2 AND ended_at IS NULL`, tenantID, sessionID)
			return err // commit the ending, then refuse
		}
		if err != nil {
			return fmt.Errorf("use refresh token: %w", err)
		}
		var userID string
		err = tx.QueryRow(ctx, `UPDATE sessions SET refreshed_at = now(), expires_at = now() + make_interval(secs => $3)
			WHERE tenant_id = $1 AND id = $2 AND ended_at IS NULL AND expires_at > now() RETURNING user_id`,
			tenantID, sessionID, a.cfg.SessionTTL.Seconds()).Scan(&userID)
		if errors.Is(err, pgx.ErrNoRows) {
			return errSessionEnded
		}
		if err != nil {
			return fmt.Errorf("refresh session: %w", err)
		}
		out, err = a.issue(ctx, tx, tenantID, userID, sessionID, refreshToken)
		return err
	})
	if err != nil {
		return nil, wrap(err, "refresh session")
	}
	if reused {
		return nil, errSessionEnded
	}
	return out, nil
}

// again answers a refresh token used moments ago with its successor, when
// that is still unused and its session still going; otherwise it returns
// nil, and the token counts as reused.
func (a *Accounts) again(ctx context.Context, tx pgx.Tx, tenantID, sessionID, used string) (*Auth, error) {
	next := a.successor(tenantID, used)
	var userID string
	err := tx.QueryRow(ctx, `SELECT s.user_id FROM refresh_tokens r JOIN sessions s ON s.tenant_id = r.tenant_id AND s.id = r.session_id
		WHERE r.tenant_id = $1 AND r.hash = $2 AND r.session_id = $3 AND r.used_at IS NULL
		AND s.ended_at IS NULL AND s.expires_at > now()`, tenantID, hashSecret(next), sessionID).Scan(&userID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find the successor: %w", err)
	}
	return a.grant(ctx, tx, tenantID, userID, sessionID, next)
}

// SignOut ends the session a refresh token belongs to or, with everywhere,
// every session of its user in every tenant. The access tokens of ended
// sessions are refused from then on. Signing out of a session that already
// ended succeeds.
func (a *Accounts) SignOut(ctx context.Context, refreshToken string, everywhere bool) error {
	tenantID, hash, ok := parseSecret(refreshKind, refreshToken)
	if !ok {
		return errSessionEnded
	}
	err := a.inAuth(ctx, authScope{tenantID: tenantID}, func(tx pgx.Tx) error {
		var sessionID, userID string
		err := tx.QueryRow(ctx, `SELECT s.id, s.user_id FROM refresh_tokens r JOIN sessions s ON s.tenant_id = r.tenant_id AND s.id = r.session_id
			WHERE r.tenant_id = $1 AND r.hash = $2`, tenantID, hash).Scan(&sessionID, &userID)
		if errors.Is(err, pgx.ErrNoRows) {
			return errSessionEnded
		}
		if err != nil {
			return fmt.Errorf("find session: %w", err)
		}
		if !everywhere {
			_, err = tx.Exec(ctx, `UPDATE sessions SET ended_at = now(), end_reason = 'signed out'
				WHERE tenant_id = $1 AND id = $2 AND ended_at IS NULL`, tenantID, sessionID)
			return err
		}
		// The refresh token verified the user: end their sessions everywhere.
		if err := setAuth(ctx, tx, authScope{tenantID: tenantID, userID: userID}); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE sessions SET ended_at = now(), end_reason = 'signed out everywhere'
			WHERE user_id = $1 AND ended_at IS NULL`, userID)
		return err
	})
	return wrap(err, "sign out")
}

// SessionActive reports whether a session of a user in a tenant is still
// going: not ended, not expired, and the membership still there. Access
// tokens of a session that is not active are refused.
func (a *Accounts) SessionActive(ctx context.Context, tenantID, userID, sessionID string) (bool, error) {
	if !ValidID(tenantID) || !ValidID(userID) || !ValidID(sessionID) {
		return false, nil
	}
	var ok bool
	err := a.inAuth(ctx, authScope{tenantID: tenantID}, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM sessions WHERE tenant_id = $1 AND id = $2 AND user_id = $3
			AND ended_at IS NULL AND expires_at > now())`, tenantID, sessionID, userID).Scan(&ok)
	})
	if err != nil {
		return false, fmt.Errorf("check session: %w", err)
	}
	return ok, nil
}
