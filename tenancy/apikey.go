package tenancy

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// APIKeyPrefix starts every API key's secret; a bearer credential that starts
// with it is an API key, anything else a JWT.
const APIKeyPrefix = "inv_"

// IsAPIKey reports whether a bearer credential is an API key.
func IsAPIKey(credential string) bool {
	return strings.HasPrefix(credential, APIKeyPrefix)
}

// APIKey is what the lookup finds for a secret: the key's tenant, name and
// roles, and whether it may still be used.
type APIKey struct {
	TenantID  string
	Name      string
	Roles     []string
	ExpiresAt *time.Time
	Revoked   bool
}

// APIKeyLookup finds the key with this secret, or returns nil, nil when no
// key has it.
type APIKeyLookup func(ctx context.Context, secret string) (*APIKey, error)

// APIKeyCacheTTL is how long a process trusts what it last read of a key.
// Revocation is a row: every process reads it again within this time, so a
// revoked key is refused everywhere within a second, while a key in steady
// use costs each process about two lookups a second.
const APIKeyCacheTTL = 500 * time.Millisecond

// maxCachedKeys bounds the cache; past it, the cache starts over.
const maxCachedKeys = 10_000

// APIKeyVerifier checks API keys. A key resolves to the same Principal as a
// JWT (tenant, subject, roles), with the subject "apikey:<name>", so nothing
// downstream knows which kind of credential it was. It is safe for
// concurrent use.
type APIKeyVerifier struct {
	lookup APIKeyLookup
	ttl    time.Duration
	flight singleflight.Group

	mu    sync.Mutex
	cache map[[sha256.Size]byte]cachedKey // by the secret's hash: no secret is kept
}

// cachedKey is a key as last read, or a refusal.
type cachedKey struct {
	principal *Principal
	expiresAt *time.Time
	refusal   string
	readAt    time.Time
}

// NewAPIKeyVerifier returns a verifier that finds keys with lookup and
// trusts what it read for ttl (at most APIKeyCacheTTL is advised).
func NewAPIKeyVerifier(lookup APIKeyLookup, ttl time.Duration) *APIKeyVerifier {
	return &APIKeyVerifier{lookup: lookup, ttl: ttl, cache: map[[sha256.Size]byte]cachedKey{}}
}

// Verify checks an API key's secret and returns its principal. A refusal
// wraps ErrUnauthenticated and says why (unknown, revoked, expired) without
// echoing the secret; a failed lookup is returned as it is.
func (v *APIKeyVerifier) Verify(ctx context.Context, secret string) (*Principal, error) {
	id := sha256.Sum256([]byte(secret))
	now := time.Now()
	v.mu.Lock()
	c, ok := v.cache[id]
	v.mu.Unlock()
	if !ok || now.Sub(c.readAt) >= v.ttl {
		r, err, _ := v.flight.Do(string(id[:]), func() (any, error) {
			return v.read(ctx, id, secret)
		})
		if err != nil {
			return nil, err
		}
		c = r.(cachedKey)
	}
	if c.refusal != "" {
		return nil, fmt.Errorf("%w: %s", ErrUnauthenticated, c.refusal)
	}
	if c.expiresAt != nil && !now.Before(*c.expiresAt) {
		return nil, fmt.Errorf("%w: API key has expired", ErrUnauthenticated)
	}
	return c.principal, nil
}

// read looks a key up and caches the outcome.
func (v *APIKeyVerifier) read(ctx context.Context, id [sha256.Size]byte, secret string) (cachedKey, error) {
	c := cachedKey{readAt: time.Now()}
	k, err := v.lookup(ctx, secret)
	if err != nil {
		return c, fmt.Errorf("verify api key: %w", err)
	}
	switch {
	case k == nil:
		c.refusal = "API key is not valid"
	case k.Revoked:
		c.refusal = "API key has been revoked"
	default:
		p := &Principal{Subject: "apikey:" + k.Name, TenantID: k.TenantID}
		for _, name := range k.Roles {
			r, err := ParseRole(name)
			if err != nil {
				return c, fmt.Errorf("verify api key: %w", err)
			}
			p.Roles = append(p.Roles, r)
		}
		c.principal, c.expiresAt = p, k.ExpiresAt
	}
	v.mu.Lock()
	if len(v.cache) >= maxCachedKeys {
		clear(v.cache)
	}
	v.cache[id] = c
	v.mu.Unlock()
	return c, nil
}
