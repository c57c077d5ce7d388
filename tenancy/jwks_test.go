package tenancy_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"

	"github.com/inventory-backbone/inventory/tenancy"
)

// provider is an identity provider's key set endpoint: it publishes the
// public halves of its keys and counts the fetches.
type provider struct {
	srv     *httptest.Server
	mu      sync.Mutex
	keys    map[string]providerKey
	fetches atomic.Int64
}

type providerKey struct {
	alg    jwkset.ALG
	method jwt.SigningMethod
	signer crypto.Signer
}

func newProvider(t *testing.T) *provider {
	t.Helper()
	p := &provider{keys: map[string]providerKey{}}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		p.fetches.Add(1)
		p.mu.Lock()
		defer p.mu.Unlock()
		set := jwkset.JWKSMarshal{Keys: []jwkset.JWKMarshal{}}
		for kid, k := range p.keys {
			jwk, err := jwkset.NewJWKFromKey(k.signer.Public(), jwkset.JWKOptions{Metadata: jwkset.JWKMetadataOptions{KID: kid, ALG: k.alg, USE: jwkset.UseSig}})
			if err != nil {
				t.Error(err)
				return
			}
			set.Keys = append(set.Keys, jwk.Marshal())
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// add makes a key of the algorithm and publishes it under kid.
func (p *provider) add(t *testing.T, kid string, alg jwkset.ALG) {
	t.Helper()
	var k providerKey
	var err error
	switch alg {
	case jwkset.AlgRS256:
		k.signer, err = rsa.GenerateKey(rand.Reader, 2048)
		k.method = jwt.SigningMethodRS256
	case jwkset.AlgES256:
		k.signer, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		k.method = jwt.SigningMethodES256
	case jwkset.AlgEdDSA:
		_, k.signer, err = ed25519.GenerateKey(rand.Reader)
		k.method = jwt.SigningMethodEdDSA
	}
	if err != nil {
		t.Fatal(err)
	}
	k.alg = alg
	p.mu.Lock()
	p.keys[kid] = k
	p.mu.Unlock()
}

func (p *provider) remove(kid string) {
	p.mu.Lock()
	delete(p.keys, kid)
	p.mu.Unlock()
}

// sign signs claims with the key kid names, as the provider would.
func (p *provider) sign(t *testing.T, kid string, c jwt.MapClaims) string {
	t.Helper()
	p.mu.Lock()
	k, ok := p.keys[kid]
	p.mu.Unlock()
	if !ok {
		t.Fatalf("no key %q", kid)
	}
	tok := jwt.NewWithClaims(k.method, c)
	tok.Header["kid"] = kid
	s, err := tok.SignedString(k.signer)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newJWKSVerifier(t *testing.T, p *provider, cfg tenancy.JWKSConfig) *tenancy.Verifier {
	t.Helper()
	cfg.URL = p.srv.URL
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	j, err := tenancy.NewJWKS(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tenancy.NewVerifier(tenancy.Config{Key: testKey}, newLookup(knownTenant).exists, tenancy.WithJWKS(j))
}

// TestJWKSAcceptsProviderTokens checks RS256, ES256 and EdDSA tokens from
// the provider, and that the service's own HS256 tokens still work.
func TestJWKSAcceptsProviderTokens(t *testing.T) {
	p := newProvider(t)
	p.add(t, "rsa", jwkset.AlgRS256)
	p.add(t, "ec", jwkset.AlgES256)
	p.add(t, "ed", jwkset.AlgEdDSA)
	v := newJWKSVerifier(t, p, tenancy.JWKSConfig{})
	for _, kid := range []string{"rsa", "ec", "ed"} {
		pr, err := v.Verify(context.Background(), p.sign(t, kid, claims()))
		if err != nil {
			t.Fatalf("%s: %v", kid, err)
		}
		if pr.Subject != "alice" || pr.TenantID != knownTenant || !slices.Equal(pr.Roles, []tenancy.Role{tenancy.Operator}) {
			t.Fatalf("%s: principal %+v", kid, *pr)
		}
	}
	if _, err := v.Verify(context.Background(), hs256(t, claims())); err != nil {
		t.Fatalf("the service's own token: %v", err)
	}
	// Expiry and tenant checks apply to provider tokens too.
	for name, c := range map[string]jwt.MapClaims{
		"expired":        with(claims(), "exp", time.Now().Add(-time.Hour).Unix()),
		"no exp":         with(claims(), "exp", nil),
		"unknown tenant": with(claims(), "tenant_id", "7f0c2d55-1111-4c1d-9a43-3f5d2c1b8e90"),
		"no tenant":      with(claims(), "tenant_id", nil),
		"no roles":       with(claims(), "roles", nil),
		"no sub":         with(claims(), "sub", nil),
	} {
		if _, err := v.Verify(context.Background(), p.sign(t, "rsa", c)); !errors.Is(err, tenancy.ErrUnauthenticated) {
			t.Errorf("%s: err = %v, want a refusal", name, err)
		}
	}
}

// TestJWKSRefusesAlgorithmConfusion checks that an HS256 token whose key is
// the provider's public key, an alg none token, and a token signed by a key
// the provider does not publish are refused.
func TestJWKSRefusesAlgorithmConfusion(t *testing.T) {
	p := newProvider(t)
	p.add(t, "rsa", jwkset.AlgRS256)
	v := newJWKSVerifier(t, p, tenancy.JWKSConfig{})
	p.mu.Lock()
	pub := p.keys["rsa"].signer.Public()
	p.mu.Unlock()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	for name, key := range map[string][]byte{"PEM": pemKey, "DER": der} {
		tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims())
		tok.Header["kid"] = "rsa"
		s, err := tok.SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v.Verify(context.Background(), s); !errors.Is(err, tenancy.ErrUnauthenticated) {
			t.Errorf("HS256 signed with the public key (%s): err = %v", name, err)
		}
	}
	if _, err := v.Verify(context.Background(), handMadeNone(t, claims())); !errors.Is(err, tenancy.ErrUnauthenticated) {
		t.Errorf("alg none: err = %v", err)
	}
	stranger, _ := rsa.GenerateKey(rand.Reader, 2048)
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims())
	tok.Header["kid"] = "rsa"
	forged, _ := tok.SignedString(stranger)
	if _, err := v.Verify(context.Background(), forged); !errors.Is(err, tenancy.ErrUnauthenticated) {
		t.Errorf("signed by another key under a known kid: err = %v", err)
	}
	// An RS256 key used for an ES256 header is refused.
	p.add(t, "ec", jwkset.AlgES256)
	p.mu.Lock()
	rsaKey := p.keys["rsa"].signer
	p.mu.Unlock()
	tok = jwt.NewWithClaims(jwt.SigningMethodRS256, claims())
	tok.Header["kid"] = "ec"
	mixed, _ := tok.SignedString(rsaKey)
	if _, err := v.Verify(context.Background(), mixed); !errors.Is(err, tenancy.ErrUnauthenticated) {
		t.Errorf("RS256 token under an ES256 kid: err = %v", err)
	}
}

// TestJWKSRotation checks that a key published after start is fetched when
// a token names it, that a removed key is refused once the set is fetched
// again, and that a flood of unknown kids fetches the set at most once per
// interval.
func TestJWKSRotation(t *testing.T) {
	p := newProvider(t)
	p.add(t, "old", jwkset.AlgRS256)
	v := newJWKSVerifier(t, p, tenancy.JWKSConfig{UnknownKIDInterval: 400 * time.Millisecond, RefreshInterval: time.Hour})
	if _, err := v.Verify(context.Background(), p.sign(t, "old", claims())); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // the start-up fetch used the first turn
	p.add(t, "new", jwkset.AlgES256)
	if _, err := v.Verify(context.Background(), p.sign(t, "new", claims())); err != nil {
		t.Fatalf("a new kid: %v", err)
	}
	oldToken := p.sign(t, "old", claims())
	p.remove("old")
	time.Sleep(500 * time.Millisecond)
	// A token with another unknown kid makes the set be fetched again.
	p.add(t, "newer", jwkset.AlgRS256)
	if _, err := v.Verify(context.Background(), p.sign(t, "newer", claims())); err != nil {
		t.Fatalf("another new kid: %v", err)
	}
	if _, err := v.Verify(context.Background(), oldToken); !errors.Is(err, tenancy.ErrUnauthenticated) {
		t.Fatalf("a removed kid after a refresh: err = %v", err)
	}

	// A flood of made-up kids: at most one fetch per interval, and no
	// request waits for its turn.
	time.Sleep(500 * time.Millisecond)
	before := p.fetches.Load()
	start := time.Now()
	for i := range 200 {
		tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims())
		tok.Header["alg"] = "RS256"
		s, _ := tok.SignedString(testKey)
		parts := strings.Split(s, ".")
		header := fmt.Sprintf(`{"alg":"RS256","kid":"random-%d","typ":"JWT"}`, i)
		forged := encodeSegment(header) + "." + parts[1] + "." + parts[2]
		if _, err := v.Verify(context.Background(), forged); !errors.Is(err, tenancy.ErrUnauthenticated) {
			t.Fatalf("random kid accepted: %v", err)
		}
	}
	took := time.Since(start)
	fetched := p.fetches.Load() - before
	allowed := int64(took/(400*time.Millisecond)) + 1
	if fetched > allowed {
		t.Fatalf("%d fetches in %v for 200 unknown kids, want at most %d", fetched, took, allowed)
	}
	t.Logf("200 unknown kids in %v: %d fetches", took, fetched)
}

func encodeSegment(s string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

// TestJWKSClaimPointers checks that the tenant and roles are read where the
// pointers say, including a namespaced claim name with escaped slashes, and
// that role names the service does not know are ignored.
func TestJWKSClaimPointers(t *testing.T) {
	p := newProvider(t)
	p.add(t, "rsa", jwkset.AlgRS256)
	v := newJWKSVerifier(t, p, tenancy.JWKSConfig{
		TenantClaim: "/https:~1~1example.com~1claims/tenant",
		RolesClaim:  "/realm_access/roles",
	})
	c := with(claims(), "tenant_id", nil, "roles", nil,
		"https://example.com/claims", map[string]any{"tenant": knownTenant},
		"realm_access", map[string]any{"roles": []string{"offline_access", "admin", "uma_authorization"}})
	pr, err := v.Verify(context.Background(), p.sign(t, "rsa", c))
	if err != nil {
		t.Fatal(err)
	}
	if pr.TenantID != knownTenant || !slices.Equal(pr.Roles, []tenancy.Role{tenancy.Admin}) {
		t.Fatalf("principal = %+v", *pr)
	}
	// The top-level tenant_id is not where the pointer points: refused.
	if _, err := v.Verify(context.Background(), p.sign(t, "rsa", claims())); !errors.Is(err, tenancy.ErrUnauthenticated) {
		t.Fatalf("tenant outside the pointer: err = %v", err)
	}
}

// TestJWKSIssuerAndAudience checks that configured iss and aud are required.
func TestJWKSIssuerAndAudience(t *testing.T) {
	p := newProvider(t)
	p.add(t, "rsa", jwkset.AlgRS256)
	v := newJWKSVerifier(t, p, tenancy.JWKSConfig{Issuer: "https://idp.example.com/", Audience: "inventory"})
	good := with(claims(), "iss", "https://idp.example.com/", "aud", "inventory")
	if _, err := v.Verify(context.Background(), p.sign(t, "rsa", good)); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]jwt.MapClaims{
		"other issuer":   with(good, "iss", "https://evil.example.com/"),
		"other audience": with(good, "aud", "another-app"),
		"no audience":    with(good, "aud", nil),
	} {
		if _, err := v.Verify(context.Background(), p.sign(t, "rsa", c)); !errors.Is(err, tenancy.ErrUnauthenticated) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// TestPointer checks RFC 6901's escapes and array indexes.
func TestPointer(t *testing.T) {
	doc := map[string]any{"a/b": map[string]any{"m~n": []any{"x", "y"}}, "": "empty"}
	for ptr, want := range map[string]any{"/a~1b/m~0n/1": "y", "/a~1b/m~0n/0": "x", "/": "empty"} {
		p, err := tenancy.ParsePointer(ptr)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := p.Lookup(doc); !ok || got != want {
			t.Errorf("%s = %v, %v; want %v", ptr, got, ok, want)
		}
	}
	for _, bad := range []string{"a", "/~2", "/x~"} {
		if _, err := tenancy.ParsePointer(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	p, _ := tenancy.ParsePointer("/a~1b/m~0n/01")
	if _, ok := p.Lookup(doc); ok {
		t.Error("a leading zero index was accepted")
	}
}

// TestSessionTokens checks that a session token is refused once its session
// ends (within SessionCheckTTL), and refused outright by a verifier that
// cannot check sessions.
func TestSessionTokens(t *testing.T) {
	var active atomic.Bool
	active.Store(true)
	var calls atomic.Int64
	check := func(_ context.Context, tenantID, userID, sessionID string) (bool, error) {
		calls.Add(1)
		return active.Load() && tenantID == knownTenant && userID == "u1" && sessionID == "s1", nil
	}
	v := tenancy.NewVerifier(tenancy.Config{Key: testKey}, newLookup(knownTenant).exists, tenancy.WithSessionCheck(check))
	tok, err := tenancy.MintSession(tenancy.Config{Key: testKey}, knownTenant, "bob@example.com", []tenancy.Role{tenancy.Viewer},
		tenancy.Session{UserID: "u1", SessionID: "s1"}, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		if _, err := v.Verify(context.Background(), tok); err != nil {
			t.Fatal(err)
		}
	}
	if calls.Load() != 1 {
		t.Fatalf("session checked %d times for 10 requests, want 1 (cached)", calls.Load())
	}
	active.Store(false)
	deadline := time.Now().Add(tenancy.SessionCheckTTL + 200*time.Millisecond)
	for {
		_, err := v.Verify(context.Background(), tok)
		if errors.Is(err, tenancy.ErrUnauthenticated) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("an ended session's token is still accepted")
		}
		time.Sleep(20 * time.Millisecond)
	}
	plain := tenancy.NewVerifier(tenancy.Config{Key: testKey}, newLookup(knownTenant).exists)
	if _, err := plain.Verify(context.Background(), tok); !errors.Is(err, tenancy.ErrUnauthenticated) {
		t.Fatalf("a verifier without a session check: err = %v", err)
	}

	// What a live connection watches: the token's session, and whether it
	// is still going; a token of the token command names none.
	s, ok := v.SessionOf(tok)
	if !ok || s != (tenancy.Session{UserID: "u1", SessionID: "s1"}) {
		t.Fatalf("SessionOf = %+v, %v", s, ok)
	}
	if still, err := v.SessionActive(context.Background(), knownTenant, s); err != nil || still {
		t.Fatalf("SessionActive of the ended session = %v, %v", still, err)
	}
	active.Store(true)
	time.Sleep(tenancy.SessionCheckTTL)
	if still, err := v.SessionActive(context.Background(), knownTenant, s); err != nil || !still {
		t.Fatalf("SessionActive of the going session = %v, %v", still, err)
	}
	plainTok, err := tenancy.Mint(tenancy.Config{Key: testKey}, knownTenant, "cli", []tenancy.Role{tenancy.Viewer}, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := v.SessionOf(plainTok); ok {
		t.Fatalf("SessionOf a token of the token command = %+v", s)
	}
}
