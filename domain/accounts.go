package domain

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// AccessGrant is what an access token must say: who, in which tenant, with
// which roles, for which session, for how long.
type AccessGrant struct {
	TenantID  string
	UserID    string
	SessionID string
	// Email is the token's subject, so that the ledger names who acted.
	Email string
	Roles []string
	TTL   time.Duration
}

// AccessIssuer signs an access token for a grant. Package main supplies one
// that mints the service's HS256 tokens, so that the domain knows no JWT.
type AccessIssuer func(AccessGrant) (string, error)

// InvitationMail is an invitation to send by email.
type InvitationMail struct {
	To         string
	TenantName string
	InvitedBy  string
	Roles      []string
	AcceptURL  string
	ExpiresAt  time.Time
}

// Mailer sends invitations by email.
type Mailer interface {
	SendInvitation(ctx context.Context, m InvitationMail) error
}

// AccountsConfig configures Accounts. Zero durations take the defaults.
type AccountsConfig struct {
	// Argon2 are the cost parameters of new password hashes.
	Argon2 Argon2Params
	// AccessTTL is how long an access token lives (default 15 minutes).
	AccessTTL time.Duration
	// SessionTTL is how long a session lives without being refreshed
	// (default 30 days).
	SessionTTL time.Duration
	// InvitationTTL is how long an invitation can be accepted (default 7 days).
	InvitationTTL time.Duration
	// SignUpClosed refuses sign-up: people join by invitation only.
	SignUpClosed bool
	// PublicURL is where the console is reached, e.g. https://inventory.example.com.
	PublicURL string
	// Issue signs access tokens; it is required.
	Issue AccessIssuer
	// Mailer, when set, sends invitations by email.
	Mailer Mailer
	// RefreshKey, when set, derives each refresh token's successor from the
	// token, so that a token presented again within RefreshGrace of its use
	// is answered with the same successor (see Refresh). Every process of
	// the service must have the same key. Without it, a second use is
	// always reuse.
	RefreshKey []byte
}

// Accounts signs people up and in, keeps their sessions, and manages who
// belongs to which tenant with which roles. It is safe for concurrent use.
type Accounts struct {
	store *Store
	cfg   AccountsConfig

	dummyOnce sync.Once
	dummyHash string
}

// NewAccounts returns Accounts over the store's database.
func NewAccounts(store *Store, cfg AccountsConfig) *Accounts {
	if cfg.Argon2 == (Argon2Params{}) {
		cfg.Argon2 = DefaultArgon2
	}
	if cfg.AccessTTL <= 0 {
		cfg.AccessTTL = 15 * time.Minute
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 30 * 24 * time.Hour
	}
	if cfg.InvitationTTL <= 0 {
		cfg.InvitationTTL = 7 * 24 * time.Hour
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	return &Accounts{store: store, cfg: cfg}
}

// SessionTTL is how long a session lives without being refreshed.
func (a *Accounts) SessionTTL() time.Duration { return a.cfg.SessionTTL }

// The roles a membership may hold.
const (
	RoleViewer   = "viewer"
	RoleOperator = "operator"
	RoleAdmin    = "admin"
)

// normalizeRoles checks roles and returns them without duplicates.
func normalizeRoles(field string, roles []string) ([]string, error) {
	var out []string
	for _, r := range roles {
		r = strings.ToLower(strings.TrimSpace(r))
		if r != RoleViewer && r != RoleOperator && r != RoleAdmin {
			return nil, newError(CodeValidation, field, "%q is not a role (want viewer, operator or admin)", truncate(r, 32))
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil, newError(CodeValidation, field, "at least one role is required")
	}
	return out, nil
}

// normalizeEmail trims and lower-cases an email and checks that it is one
// address, without a display name.
func normalizeEmail(field, email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > 254 || !strings.Contains(email, "@") {
		return "", newError(CodeValidation, field, "%q is not an email address", truncate(email, 64))
	}
	return email, nil
}

// authScope is what a people transaction may see: a tenant's rows, a user
// named by email (to check a password), and a verified user's own rows.
type authScope struct {
	tenantID string
	userID   string
	email    string
}

// inAuth runs fn in a transaction bound to the scope (see migration 00008
// for what each setting exposes).
func (a *Accounts) inAuth(ctx context.Context, as authScope, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, a.store.pool, func(tx pgx.Tx) error {
		if err := setAuth(ctx, tx, as); err != nil {
			return err
		}
		return fn(tx)
	})
}

func setAuth(ctx context.Context, tx pgx.Tx, as authScope) error {
	_, err := tx.Exec(ctx, `SELECT set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true),
		set_config('app.user_email', $3, true)`, as.tenantID, as.userID, as.email)
	if err != nil {
		return fmt.Errorf("set auth scope: %w", err)
	}
	return nil
}

// Secret tokens (refresh tokens, invitation tokens) read
// <kind>.<tenant id>.<32 random bytes, base64url>. The tenant lets the
// service look the token's hash up under the tenant's row-level security;
// only the hash is stored.
const (
	refreshKind    = "rt1"
	invitationKind = "iv1"
)

func newSecret(kind, tenantID string) (token string, hash []byte, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("random token: %w", err)
	}
	token = kind + "." + tenantID + "." + base64.RawURLEncoding.EncodeToString(b)
	return token, hashSecret(token), nil
}

func hashSecret(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// parseSecret returns the tenant a token names and its hash, or ok false
// for anything that is not a token of this kind.
func parseSecret(kind, token string) (tenantID string, hash []byte, ok bool) {
	parts := strings.Split(strings.TrimSpace(token), ".")
	if len(parts) != 3 || parts[0] != kind || !ValidID(parts[1]) || len(parts[2]) != 43 {
		return "", nil, false
	}
	return parts[1], hashSecret(strings.TrimSpace(token)), true
}

// Auth is the outcome of signing in: an access token, a refresh token, and
// whom and where they are for.
type Auth struct {
	AccessToken      string
	AccessExpiresAt  time.Time
	RefreshToken     string
	RefreshExpiresAt time.Time
	User             *User
	Tenant           *Tenant
	Roles            []string
}

// startSession creates a session for a member (the transaction must see the
// tenant and the user) and signs its first tokens.
func (a *Accounts) startSession(ctx context.Context, tx pgx.Tx, tenantID, userID string) (*Auth, error) {
	var sessionID string
	err := tx.QueryRow(ctx, `INSERT INTO sessions (tenant_id, id, user_id, expires_at)
		VALUES ($1, gen_random_uuid(), $2, now() + make_interval(secs => $3)) RETURNING id`,
		tenantID, userID, a.cfg.SessionTTL.Seconds()).Scan(&sessionID)
	if err != nil {
		return nil, fmt.Errorf("start session: %w", err)
	}
	_, err = tx.Exec(ctx, `UPDATE memberships SET last_sign_in_at = now() WHERE tenant_id = $1 AND user_id = $2`, tenantID, userID)
	if err != nil {
		return nil, fmt.Errorf("note sign-in: %w", err)
	}
	return a.issue(ctx, tx, tenantID, userID, sessionID, "")
}

// issue writes a fresh refresh token for a session, the successor of prev
// when the session is refreshed, and signs an access token with the
// membership's current roles.
func (a *Accounts) issue(ctx context.Context, tx pgx.Tx, tenantID, userID, sessionID, prev string) (*Auth, error) {
	refresh, hash, err := newSecret(refreshKind, tenantID)
	if err != nil {
		return nil, err
	}
	if prev != "" && a.cfg.RefreshKey != nil {
		refresh = a.successor(tenantID, prev)
		hash = hashSecret(refresh)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO refresh_tokens (tenant_id, hash, session_id) VALUES ($1, $2, $3)`,
		tenantID, hash, sessionID); err != nil {
		return nil, fmt.Errorf("store refresh token: %w", err)
	}
	return a.grant(ctx, tx, tenantID, userID, sessionID, refresh)
}

// successor is the refresh token that follows prev: an HMAC of prev under
// RefreshKey, so that only the service can tell it from prev.
func (a *Accounts) successor(tenantID, prev string) string {
	m := hmac.New(sha256.New, a.cfg.RefreshKey)
	m.Write([]byte(prev))
	return refreshKind + "." + tenantID + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// grant answers with a refresh token already stored and a new access token
// with the membership's current roles.
func (a *Accounts) grant(ctx context.Context, tx pgx.Tx, tenantID, userID, sessionID, refresh string) (*Auth, error) {
	out := &Auth{RefreshToken: refresh, RefreshExpiresAt: time.Now().Add(a.cfg.SessionTTL)}
	var err error
	if out.User, err = memberByID(ctx, tx, tenantID, userID); err != nil {
		return nil, err
	}
	out.Roles = out.User.Roles
	out.Tenant = &Tenant{ID: tenantID}
	if err := tx.QueryRow(ctx, `SELECT name FROM tenants WHERE id = $1`, tenantID).Scan(&out.Tenant.Name); err != nil {
		return nil, fmt.Errorf("read tenant: %w", err)
	}
	out.AccessExpiresAt = time.Now().Add(a.cfg.AccessTTL).Truncate(time.Second)
	out.AccessToken, err = a.cfg.Issue(AccessGrant{TenantID: tenantID, UserID: userID, SessionID: sessionID,
		Email: out.User.Email, Roles: out.Roles, TTL: a.cfg.AccessTTL})
	if err != nil {
		return nil, fmt.Errorf("sign access token: %w", err)
	}
	return out, nil
}

// verifyOrPretend checks a password against a hash, or, when there is no
// hash, spends the same time on a dummy one, so that an unknown email
// answers like a wrong password.
func (a *Accounts) verifyOrPretend(ctx context.Context, hash *string, password string) (ok, stale bool, err error) {
	if hash == nil {
		a.dummyOnce.Do(func() { a.dummyHash = unmatchableHash(a.cfg.Argon2) })
		_, _, err := VerifyPassword(ctx, a.cfg.Argon2, a.dummyHash, password)
		return false, false, err
	}
	return VerifyPassword(ctx, a.cfg.Argon2, *hash, password)
}
