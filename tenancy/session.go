package tenancy

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// SessionCheck reports whether the sign-in session an access token names is
// still going: it has not been signed out of, its user has not been removed
// from the tenant, and so on.
type SessionCheck func(ctx context.Context, tenantID, userID, sessionID string) (bool, error)

// SessionCheckTTL is how long a session's answer is remembered. Ending a
// session refuses its access tokens on every server process within it.
const SessionCheckTTL = 500 * time.Millisecond

// Option configures a Verifier.
type Option func(*Verifier)

// WithSessionCheck makes the verifier refuse access tokens of sessions that
// have ended. Tokens that name no session (those of the token command) are
// not checked; without this option, tokens that name one are refused.
func WithSessionCheck(check SessionCheck) Option {
	return func(v *Verifier) { v.sessions = newSessionCache(check) }
}

// sessionCache remembers for SessionCheckTTL whether sessions are active.
type sessionCache struct {
	check SessionCheck
	mu    sync.Mutex
	known map[string]sessionAnswer
}

type sessionAnswer struct {
	active bool
	until  time.Time
}

func newSessionCache(check SessionCheck) *sessionCache {
	return &sessionCache{check: check, known: map[string]sessionAnswer{}}
}

func (c *sessionCache) active(ctx context.Context, tenantID, userID, sessionID string) (bool, error) {
	key := tenantID + "/" + userID + "/" + sessionID
	now := time.Now()
	c.mu.Lock()
	a, ok := c.known[key]
	c.mu.Unlock()
	if ok && now.Before(a.until) {
		return a.active, nil
	}
	active, err := c.check(ctx, tenantID, userID, sessionID)
	if err != nil {
		return false, err
	}
	c.mu.Lock()
	if len(c.known) > 100_000 {
		for k, a := range c.known {
			if now.After(a.until) {
				delete(c.known, k)
			}
		}
		if len(c.known) > 100_000 {
			clear(c.known)
		}
	}
	c.known[key] = sessionAnswer{active: active, until: now.Add(SessionCheckTTL)}
	c.mu.Unlock()
	return active, nil
}

// checkSession refuses a token whose session has ended.
func (v *Verifier) checkSession(ctx context.Context, c *Claims) error {
	if c.SessionID == "" && c.UserID == "" {
		return nil
	}
	if v.sessions == nil {
		return fmt.Errorf("%w: session tokens are not accepted here", ErrUnauthenticated)
	}
	active, err := v.sessions.active(ctx, c.TenantID, c.UserID, c.SessionID)
	if err != nil {
		return fmt.Errorf("verify session: %w", err)
	}
	if !active {
		return fmt.Errorf("%w: the session has ended; sign in again", ErrUnauthenticated)
	}
	return nil
}

// Session is what an access token issued at sign-in says besides a
// principal: its user and session.
type Session struct {
	UserID    string
	SessionID string
}

// MintSession signs an access token for a signed-in user's session. It has
// the shape of Mint's tokens, plus uid and sid claims, so every check that
// applies to those applies to it, and the verifier can refuse it once the
// session ends.
func MintSession(cfg Config, tenantID, subject string, roles []Role, s Session, ttl time.Duration) (string, error) {
	if s.UserID == "" || s.SessionID == "" {
		return "", errors.New("a session token needs a user and a session")
	}
	return sign(cfg, Claims{TenantID: tenantID, UserID: s.UserID, SessionID: s.SessionID, Roles: []string{}},
		subject, roles, ttl)
}

// SessionOf returns the sign-in session a token of the service names. ok is
// false for tokens that name none: the token command's and an identity
// provider's. It does not verify the token: call it on one Verify accepted.
func (v *Verifier) SessionOf(token string) (s Session, ok bool) {
	if v.jwks != nil && external(token) {
		return s, false
	}
	var c Claims
	if _, _, err := jwt.NewParser().ParseUnverified(token, &c); err != nil || (c.UserID == "" && c.SessionID == "") {
		return s, false
	}
	return Session{UserID: c.UserID, SessionID: c.SessionID}, true
}

// SessionActive reports whether a sign-in session in a tenant is still
// going, as Verify checks it: the answer may be up to SessionCheckTTL old.
// Without WithSessionCheck no session is.
func (v *Verifier) SessionActive(ctx context.Context, tenantID string, s Session) (bool, error) {
	if v.sessions == nil {
		return false, nil
	}
	return v.sessions.active(ctx, tenantID, s.UserID, s.SessionID)
}
