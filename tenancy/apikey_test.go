package tenancy_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/tenancy"
)

// keyStore is an APIKeyLookup over keys held in memory, counting lookups.
type keyStore struct {
	mu    sync.Mutex
	keys  map[string]*tenancy.APIKey
	calls atomic.Int64
	err   error
}

func (k *keyStore) lookup(_ context.Context, secret string) (*tenancy.APIKey, error) {
	k.calls.Add(1)
	time.Sleep(5 * time.Millisecond) // a database round trip, for concurrent callers to overlap
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.err != nil {
		return nil, k.err
	}
	if key, ok := k.keys[secret]; ok {
		c := *key
		return &c, nil
	}
	return nil, nil
}

// TestAPIKeyVerifierResolvesToAPrincipal checks that a key yields the same
// kind of principal as a token: its tenant, the subject apikey:<name>, and
// its roles.
func TestAPIKeyVerifierResolvesToAPrincipal(t *testing.T) {
	ks := &keyStore{keys: map[string]*tenancy.APIKey{
		"inv_good": {TenantID: knownTenant, Name: "shop", Roles: []string{"viewer", "operator"}},
	}}
	v := tenancy.NewAPIKeyVerifier(ks.lookup, time.Minute)
	p, err := v.Verify(context.Background(), "inv_good")
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject != "apikey:shop" || p.TenantID != knownTenant || !slices.Equal(p.Roles, []tenancy.Role{tenancy.Viewer, tenancy.Operator}) {
		t.Fatalf("principal %+v", *p)
	}
	if !tenancy.IsAPIKey("inv_good") || tenancy.IsAPIKey("eyJhbGciOiJIUzI1NiJ9.e30.x") {
		t.Fatal("IsAPIKey tells keys from tokens wrongly")
	}
}

// TestAPIKeyVerifierCachesForItsTTL checks that concurrent and repeated
// verifications within the TTL cost one lookup, and that past the TTL a
// revocation or an expiry is seen, and refused, saying why without the
// secret.
func TestAPIKeyVerifierCachesForItsTTL(t *testing.T) {
	const secret = "inv_secret-value-that-must-not-leak"
	ks := &keyStore{keys: map[string]*tenancy.APIKey{secret: {TenantID: knownTenant, Name: "pos", Roles: []string{"viewer"}}}}
	const ttl = 200 * time.Millisecond
	v := tenancy.NewAPIKeyVerifier(ks.lookup, ttl)
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := v.Verify(context.Background(), secret); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := ks.calls.Load(); n != 1 {
		t.Fatalf("%d lookups for 50 concurrent verifications, want 1", n)
	}

	ks.mu.Lock()
	ks.keys[secret].Revoked = true
	ks.mu.Unlock()
	if _, err := v.Verify(context.Background(), secret); err != nil {
		t.Fatalf("refused within the TTL, before the cache could know: %v", err)
	}
	time.Sleep(ttl)
	_, err := v.Verify(context.Background(), secret)
	if !errors.Is(err, tenancy.ErrUnauthenticated) || !strings.Contains(err.Error(), "revoked") || strings.Contains(err.Error(), secret) {
		t.Fatalf("a revoked key: %v", err)
	}

	past := time.Now().Add(-time.Second)
	ks.mu.Lock()
	ks.keys["inv_old"] = &tenancy.APIKey{TenantID: knownTenant, Name: "old", Roles: []string{"viewer"}, ExpiresAt: &past}
	ks.mu.Unlock()
	if _, err := v.Verify(context.Background(), "inv_old"); !errors.Is(err, tenancy.ErrUnauthenticated) || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("an expired key: %v", err)
	}
	if _, err := v.Verify(context.Background(), "inv_unknown"); !errors.Is(err, tenancy.ErrUnauthenticated) || !strings.Contains(err.Error(), "not valid") {
		t.Fatalf("an unknown key: %v", err)
	}
}

// TestAPIKeyVerifierLookupFailureIsNotARefusal checks that a failing lookup
// is returned as a failure (HTTP 500), not blamed on the caller, and is not
// cached.
func TestAPIKeyVerifierLookupFailureIsNotARefusal(t *testing.T) {
	ks := &keyStore{keys: map[string]*tenancy.APIKey{"inv_k": {TenantID: knownTenant, Name: "k", Roles: []string{"viewer"}}},
		err: errors.New("connection refused")}
	v := tenancy.NewAPIKeyVerifier(ks.lookup, time.Minute)
	if _, err := v.Verify(context.Background(), "inv_k"); err == nil || errors.Is(err, tenancy.ErrUnauthenticated) {
		t.Fatalf("a failed lookup: %v", err)
	}
	ks.mu.Lock()
	ks.err = nil
	ks.mu.Unlock()
	if _, err := v.Verify(context.Background(), "inv_k"); err != nil {
		t.Fatalf("after the lookup recovers: %v", err)
	}
}
