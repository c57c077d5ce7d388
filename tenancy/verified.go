package tenancy

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"
)

// VerifiedTTL is how long a verified token's principal is remembered, so
// that a client sending the same token with every request pays for its
// signature once. The signature, expiry and tenant cannot change within a
// token; what can (a sign-in session ending) is still checked every time.
const VerifiedTTL = 30 * time.Second

// maxVerified bounds the remembered tokens.
const maxVerified = 50_000

type verifiedToken struct {
	principal Principal
	userID    string
	sessionID string
	// kid is the key of an identity provider's token; "" for the service's.
	kid   string
	until time.Time
}

type verifiedCache struct {
	mu    sync.Mutex
	known map[[32]byte]verifiedToken
}

// fromCache returns the principal of a token verified recently, after
// checking its session again. ok is false when the token is not remembered.
func (v *Verifier) fromCache(ctx context.Context, token string) (p *Principal, err error, ok bool) {
	key := sha256.Sum256([]byte(token))
	v.verified.mu.Lock()
	t, found := v.verified.known[key]
	v.verified.mu.Unlock()
	if !found || time.Now().After(t.until) {
		return nil, nil, false
	}
	if t.kid != "" && (v.jwks == nil || !v.jwks.stillPublished(ctx, t.kid)) {
		v.verified.mu.Lock()
		delete(v.verified.known, key)
		v.verified.mu.Unlock()
		return nil, nil, false // verify it afresh, and refuse it
	}
	if err := v.checkSession(ctx, &Claims{TenantID: t.principal.TenantID, UserID: t.userID, SessionID: t.sessionID}); err != nil {
		return nil, err, true
	}
	copied := t.principal
	copied.Roles = append([]Role(nil), t.principal.Roles...)
	return &copied, nil, true
}

// remember keeps a verified token's principal until the token expires or
// VerifiedTTL passes, whichever is first.
func (v *Verifier) remember(token string, p *Principal, expires time.Time, userID, sessionID, kid string) {
	until := time.Now().Add(VerifiedTTL)
	if !expires.IsZero() && expires.Before(until) {
		until = expires
	}
	key := sha256.Sum256([]byte(token))
	v.verified.mu.Lock()
	defer v.verified.mu.Unlock()
	if v.verified.known == nil || len(v.verified.known) >= maxVerified {
		v.verified.known = map[[32]byte]verifiedToken{}
	}
	v.verified.known[key] = verifiedToken{principal: Principal{Subject: p.Subject, TenantID: p.TenantID,
		Roles: append([]Role(nil), p.Roles...), UserID: p.UserID}, userID: userID, sessionID: sessionID, kid: kid, until: until}
}
