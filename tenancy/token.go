package tenancy

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Leeway is the clock skew tolerated on exp, nbf and iat.
const Leeway = 30 * time.Second

// ErrUnauthenticated is wrapped by every token refusal.
var ErrUnauthenticated = errors.New("unauthenticated")

// Claims are an access token's claims.
type Claims struct {
	TenantID string   `json:"tenant_id"`
	Roles    []string `json:"roles"`
	// UserID and SessionID are set on the tokens sign-in issues (see
	// MintSession); the verifier refuses them once the session ends.
	UserID    string `json:"uid,omitempty"`
	SessionID string `json:"sid,omitempty"`
	jwt.RegisteredClaims
}

// Config is how tokens are signed and checked.
type Config struct {
	// Key is the HS256 signing key.
	Key []byte
	// Issuer and Audience, when set, must match a token's iss and aud.
	Issuer   string
	Audience string
}

// TenantLookup reports whether a tenant exists.
type TenantLookup func(ctx context.Context, tenantID string) (bool, error)

// Verifier checks access tokens. It is safe for concurrent use.
type Verifier struct {
	cfg    Config
	exists TenantLookup
	parser *jwt.Parser

	mu    sync.Mutex
	known map[string]time.Time // tenants seen to exist, until when to trust that

	jwks     *JWKS         // WithJWKS: an identity provider's tokens
	sessions *sessionCache // WithSessionCheck: sessions still going
	verified verifiedCache // tokens verified recently: verified.go
}

// tenantCacheTTL is how long a tenant's existence is remembered.
const tenantCacheTTL = time.Minute

// NewVerifier returns a Verifier for cfg that looks tenants up with exists.
func NewVerifier(cfg Config, exists TenantLookup, options ...Option) *Verifier {
	v := &Verifier{cfg: cfg, exists: exists, parser: newParser([]string{jwt.SigningMethodHS256.Alg()}, cfg.Issuer, cfg.Audience),
		known: map[string]time.Time{}}
	for _, o := range options {
		o(v)
	}
	return v
}

// Verify checks a token (without the "Bearer " prefix) and returns its
// principal. Every refusal wraps ErrUnauthenticated and says why, without
// echoing the token.
func (v *Verifier) Verify(ctx context.Context, token string) (*Principal, error) {
	if p, err, ok := v.fromCache(ctx, token); ok {
		return p, err
	}
	if v.jwks != nil && external(token) {
		return v.verifyExternal(ctx, token)
	}
	var c Claims
	_, err := v.parser.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return v.cfg.Key, nil })
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrUnauthenticated, describe(err))
	}
	if strings.TrimSpace(c.Subject) == "" {
		return nil, fmt.Errorf("%w: token has no sub", ErrUnauthenticated)
	}
	if c.TenantID == "" {
		return nil, fmt.Errorf("%w: token has no tenant_id", ErrUnauthenticated)
	}
	if c.Roles == nil {
		return nil, fmt.Errorf("%w: token has no roles", ErrUnauthenticated)
	}
	p := &Principal{Subject: c.Subject, TenantID: c.TenantID, UserID: c.UserID}
	for _, name := range c.Roles {
		r, err := ParseRole(name)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrUnauthenticated, err)
		}
		p.Roles = append(p.Roles, r)
	}
	ok, err := v.tenantExists(ctx, c.TenantID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%w: unknown tenant", ErrUnauthenticated)
	}
	if err := v.checkSession(ctx, &c); err != nil {
		return nil, err
	}
	v.remember(token, p, c.ExpiresAt.Time, c.UserID, c.SessionID, "")
	return p, nil
}

func (v *Verifier) tenantExists(ctx context.Context, id string) (bool, error) {
	now := time.Now()
	v.mu.Lock()
	until, ok := v.known[id]
	v.mu.Unlock()
	if ok && now.Before(until) {
		return true, nil
	}
	found, err := v.exists(ctx, id)
	if err != nil {
		return false, fmt.Errorf("verify tenant: %w", err)
	}
	if found {
		v.mu.Lock()
		if len(v.known) > 100_000 {
			clear(v.known)
		}
		v.known[id] = now.Add(tenantCacheTTL)
		v.mu.Unlock()
	}
	return found, nil
}

// describe turns a jwt error into a short reason a client can act on. The
// library's messages name claims and algorithms, never the token itself.
func describe(err error) string {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "token is malformed"
	case errors.Is(err, jwt.ErrTokenUnverifiable),
		errors.Is(err, jwt.ErrTokenSignatureInvalid) && strings.Contains(err.Error(), "signing method"):
		return "token uses an algorithm that is not accepted (want " + jwt.SigningMethodHS256.Alg() + ")"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return "token signature is invalid"
	case errors.Is(err, jwt.ErrTokenExpired):
		return "token has expired"
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return "token is not valid yet"
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return "token lacks a required claim: " + lastPart(err.Error())
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return "token has the wrong issuer (iss)"
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return "token has the wrong audience (aud)"
	}
	return "token is invalid"
}

// lastPart returns what follows the last ": " of a message.
func lastPart(msg string) string {
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		return msg[i+2:]
	}
	return msg
}

// Expiry returns when a token, already verified, expires.
func (v *Verifier) Expiry(token string) (time.Time, bool) {
	var c Claims
	if _, _, err := jwt.NewParser().ParseUnverified(token, &c); err != nil || c.ExpiresAt == nil {
		return time.Time{}, false
	}
	return c.ExpiresAt.Time, true
}

// BearerToken extracts the token from an Authorization header value.
func BearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// Mint signs a token for a tenant, a subject and roles, valid for ttl.
func Mint(cfg Config, tenantID, subject string, roles []Role, ttl time.Duration) (string, error) {
	return sign(cfg, Claims{TenantID: tenantID}, subject, roles, ttl)
}

// sign completes c with the subject, roles, times, issuer and audience, and
// signs it with HS256: the one shape of every token the service issues.
func sign(cfg Config, c Claims, subject string, roles []Role, ttl time.Duration) (string, error) {
	if ttl <= 0 {
		return "", errors.New("ttl must be positive")
	}
	now := time.Now()
	c.RegisteredClaims = jwt.RegisteredClaims{
		Subject:   subject,
		Issuer:    cfg.Issuer,
		IssuedAt:  jwt.NewNumericDate(now),
		NotBefore: jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
	}
	if cfg.Audience != "" {
		c.Audience = jwt.ClaimStrings{cfg.Audience}
	}
	for _, r := range roles {
		c.Roles = append(c.Roles, string(r))
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, &c).SignedString(cfg.Key)
}

// newParser checks a token's algorithm, expiry (with Leeway), issue time,
// and the issuer and audience when they are set.
func newParser(algorithms []string, issuer, audience string) *jwt.Parser {
	opts := []jwt.ParserOption{
		jwt.WithValidMethods(algorithms),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(Leeway),
		jwt.WithIssuedAt(),
	}
	if issuer != "" {
		opts = append(opts, jwt.WithIssuer(issuer))
	}
	if audience != "" {
		opts = append(opts, jwt.WithAudience(audience))
	}
	return jwt.NewParser(opts...)
}
