package tenancy_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/inventory-backbone/inventory/tenancy"
)

// testKey is the HS256 key the verifier under test accepts.
var testKey = []byte("tenancy-test-key-of-at-least-32-bytes")

// The tenant that exists in every test's lookup.
const knownTenant = "0b7e2a57-6c1d-4f0e-9a43-3f5d2c1b8e90"

// lookup is a TenantLookup over a fixed set of tenants that counts its calls.
type lookup struct {
	mu      sync.Mutex
	tenants map[string]bool
	calls   atomic.Int64
	err     error
}

func newLookup(tenants ...string) *lookup {
	l := &lookup{tenants: map[string]bool{}}
	for _, t := range tenants {
		l.tenants[t] = true
	}
	return l
}

// exists implements tenancy.TenantLookup.
func (l *lookup) exists(_ context.Context, id string) (bool, error) {
	l.calls.Add(1)
	if l.err != nil {
		return false, l.err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.tenants[id], nil
}

func (l *lookup) add(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tenants[id] = true
}

// claims returns a complete, valid set of claims for the known tenant.
func claims() jwt.MapClaims {
	now := time.Now()
	return jwt.MapClaims{
		"sub":       "alice",
		"tenant_id": knownTenant,
		"roles":     []string{"operator"},
		"iat":       now.Unix(),
		"exp":       now.Add(time.Hour).Unix(),
	}
}

// with returns a copy of c with the given claims set (a nil value deletes the
// claim).
func with(c jwt.MapClaims, kv ...any) jwt.MapClaims {
	out := jwt.MapClaims{}
	for k, v := range c {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		k := kv[i].(string)
		if kv[i+1] == nil {
			delete(out, k)
		} else {
			out[k] = kv[i+1]
		}
	}
	return out
}

// sign signs claims with a method and a key.
func sign(t *testing.T, m jwt.SigningMethod, key any, c jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(m, c).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// hs256 signs claims with the accepted algorithm and key.
func hs256(t *testing.T, c jwt.MapClaims) string {
	t.Helper()
	return sign(t, jwt.SigningMethodHS256, testKey, c)
}

// handMadeNone builds an alg "none" token without the library's help, with
// an empty signature, as an attacker would.
func handMadeNone(t *testing.T, c jwt.MapClaims) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(map[string]string{"alg": "none", "typ": "JWT"}) + "." + enc(c) + "."
}

// TestVerifyAcceptsAGoodToken checks that a well-formed HS256 token yields a
// principal with exactly its subject, tenant and roles, and that Mint makes
// such tokens.
func TestVerifyAcceptsAGoodToken(t *testing.T) {
	l := newLookup(knownTenant)
	v := tenancy.NewVerifier(tenancy.Config{Key: testKey}, l.exists)

	p, err := v.Verify(context.Background(), hs256(t, with(claims(), "roles", []string{"viewer", "admin"})))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	want := tenancy.Principal{Subject: "alice", TenantID: knownTenant, Roles: []tenancy.Role{tenancy.Viewer, tenancy.Admin}}
	if p.Subject != want.Subject || p.TenantID != want.TenantID || !slices.Equal(p.Roles, want.Roles) {
		t.Fatalf("principal = %+v, want %+v", *p, want)
	}

	minted, err := tenancy.Mint(tenancy.Config{Key: testKey}, knownTenant, "bob", []tenancy.Role{tenancy.Operator}, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	p, err = v.Verify(context.Background(), minted)
	if err != nil {
		t.Fatalf("Verify(Mint(...)): %v", err)
	}
	if p.Subject != "bob" || p.TenantID != knownTenant || !slices.Equal(p.Roles, []tenancy.Role{tenancy.Operator}) {
		t.Fatalf("principal of a minted token = %+v", *p)
	}
}

// TestVerifyToleratesSmallClockSkew checks the leeway: a token that expired
// a few seconds ago, or whose nbf and iat are a few seconds ahead, is still
// accepted.
func TestVerifyToleratesSmallClockSkew(t *testing.T) {
	v := tenancy.NewVerifier(tenancy.Config{Key: testKey}, newLookup(knownTenant).exists)
	now := time.Now()
	for name, c := range map[string]jwt.MapClaims{
		"expired 10s ago":      with(claims(), "exp", now.Add(-10*time.Second).Unix()),
		"nbf and iat 10s away": with(claims(), "nbf", now.Add(10*time.Second).Unix(), "iat", now.Add(10*time.Second).Unix()),
	} {
		if _, err := v.Verify(context.Background(), hs256(t, c)); err != nil {
			t.Errorf("%s: refused: %v", name, err)
		}
	}
}

// refusal is a token Verify must refuse.
type refusal struct {
	name  string
	token string
	// reason is a fragment the refusal's message must contain: it says why.
	reason string
}

// refusals lists tokens that a verifier with the default configuration (no
// issuer, no audience) must refuse, each with the reason it must give.
func refusals(t *testing.T) []refusal {
	t.Helper()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	return []refusal{
		{"alg none by hand", handMadeNone(t, claims()), "algorithm"},
		{"alg none by the library", sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims()), "algorithm"},
		{"another key", sign(t, jwt.SigningMethodHS256, []byte("another-key-of-at-least-32-bytes-long"), claims()), "signature"},
		{"HS512 with the right key", sign(t, jwt.SigningMethodHS512, testKey, claims()), "algorithm"},
		{"RS256", sign(t, jwt.SigningMethodRS256, rsaKey, claims()), "algorithm"},
		{"expired beyond the leeway", hs256(t, with(claims(), "exp", now.Add(-tenancy.Leeway-15*time.Second).Unix())), "expired"},
		{"not valid yet", hs256(t, with(claims(), "nbf", now.Add(5*time.Minute).Unix())), "not valid yet"},
		{"issued in the future", hs256(t, with(claims(), "iat", now.Add(5*time.Minute).Unix())), "not valid yet"},
		{"missing exp", hs256(t, with(claims(), "exp", nil)), "exp"},
		{"missing sub", hs256(t, with(claims(), "sub", nil)), "sub"},
		{"blank sub", hs256(t, with(claims(), "sub", "  ")), "sub"},
		{"missing tenant_id", hs256(t, with(claims(), "tenant_id", nil)), "tenant_id"},
		{"empty tenant_id", hs256(t, with(claims(), "tenant_id", "")), "tenant_id"},
		{"missing roles", hs256(t, with(claims(), "roles", nil)), "roles"},
		{"roles null", hs256(t, with(claims(), "roles", []string(nil))), "roles"},
		{"roles not a list", hs256(t, with(claims(), "roles", "admin")), "malformed"},
		{"an unknown role", hs256(t, with(claims(), "roles", []string{"viewer", "superuser"})), `unknown role "superuser"`},
		{"a role in the wrong case", hs256(t, with(claims(), "roles", []string{"Admin"})), `unknown role "Admin"`},
		{"an unknown tenant", hs256(t, with(claims(), "tenant_id", "3c9d7a51-0000-4000-8000-000000000001")), "unknown tenant"},
		{"not a JWT", "not-a-token", "malformed"},
		{"three garbage segments", "aaa.bbb.ccc", "malformed"},
		{"a truncated token", hs256(t, claims())[:40], "malformed"},
		{"empty", "", "malformed"},
	}
}

// TestVerifyRefusesBadTokens checks that every bad token is refused with an
// error that wraps ErrUnauthenticated, yields no principal, and never echoes
// the token or its signature.
func TestVerifyRefusesBadTokens(t *testing.T) {
	l := newLookup(knownTenant)
	v := tenancy.NewVerifier(tenancy.Config{Key: testKey}, l.exists)
	for _, c := range refusals(t) {
		t.Run(c.name, func(t *testing.T) {
			p, err := v.Verify(context.Background(), c.token)
			if err == nil {
				t.Fatalf("accepted, principal %+v", *p)
			}
			if p != nil {
				t.Errorf("a refusal returned a principal: %+v", *p)
			}
			if !errors.Is(err, tenancy.ErrUnauthenticated) {
				t.Errorf("error %q does not wrap ErrUnauthenticated", err)
			}
			msg := err.Error()
			if c.token != "" && strings.Contains(msg, c.token) {
				t.Errorf("error %q contains the token", msg)
			}
			for _, part := range strings.Split(c.token, ".") {
				if len(part) >= 8 && strings.Contains(msg, part) {
					t.Errorf("error %q contains a part of the token, %q", msg, part)
				}
			}
		})
	}
	// Only the token for an unknown tenant got as far as the lookup: a
	// forged or broken token never costs a database query.
	if got := l.calls.Load(); got != 1 {
		t.Errorf("tenant lookups = %d, want 1 (only for the unknown tenant)", got)
	}
}

// TestVerifyRefusalSaysWhy checks that each refusal's message names the
// actual reason, so that a client can tell what to fix.
func TestVerifyRefusalSaysWhy(t *testing.T) {
	v := tenancy.NewVerifier(tenancy.Config{Key: testKey}, newLookup(knownTenant).exists)
	for _, c := range refusals(t) {
		t.Run(c.name, func(t *testing.T) {
			_, err := v.Verify(context.Background(), c.token)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), c.reason) {
				t.Errorf("error %q does not say %q", err, c.reason)
			}
		})
	}
}

// TestVerifyIssuerAndAudience checks that a verifier configured with an
// issuer and an audience accepts tokens that carry exactly them and refuses
// tokens with another or none, while a verifier without them ignores both.
func TestVerifyIssuerAndAudience(t *testing.T) {
	cfg := tenancy.Config{Key: testKey, Issuer: "https://auth.example.test", Audience: "inventory-api"}
	v := tenancy.NewVerifier(cfg, newLookup(knownTenant).exists)
	good := with(claims(), "iss", cfg.Issuer, "aud", cfg.Audience)

	accepted := map[string]jwt.MapClaims{
		"matching iss and aud":             good,
		"aud as a list that includes ours": with(good, "aud", []string{"billing", cfg.Audience}),
	}
	for name, c := range accepted {
		if _, err := v.Verify(context.Background(), hs256(t, c)); err != nil {
			t.Errorf("%s: refused: %v", name, err)
		}
	}
	minted, err := tenancy.Mint(cfg, knownTenant, "alice", []tenancy.Role{tenancy.Viewer}, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(context.Background(), minted); err != nil {
		t.Errorf("a token minted with the same configuration: refused: %v", err)
	}

	refused := []refusal{
		{"wrong iss", hs256(t, with(good, "iss", "https://evil.example.test")), "issuer"},
		{"wrong aud", hs256(t, with(good, "aud", "billing")), "audience"},
		{"aud list without ours", hs256(t, with(good, "aud", []string{"billing", "crm"})), "audience"},
		{"iss differs in case", hs256(t, with(good, "iss", strings.ToUpper(cfg.Issuer))), "issuer"},
		{"missing iss", hs256(t, with(good, "iss", nil)), "iss"},
		{"missing aud", hs256(t, with(good, "aud", nil)), "aud"},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			_, err := v.Verify(context.Background(), c.token)
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, tenancy.ErrUnauthenticated) {
				t.Errorf("error %q does not wrap ErrUnauthenticated", err)
			}
			if strings.Contains(err.Error(), c.token) {
				t.Errorf("error %q contains the token", err)
			}
			if !strings.Contains(err.Error(), c.reason) {
				t.Errorf("error %q does not say %q", err, c.reason)
			}
		})
	}

	plain := tenancy.NewVerifier(tenancy.Config{Key: testKey}, newLookup(knownTenant).exists)
	if _, err := plain.Verify(context.Background(), hs256(t, with(claims(), "iss", "anyone", "aud", "anything"))); err != nil {
		t.Errorf("without configured iss/aud, a token that has them was refused: %v", err)
	}
}

// TestVerifyLookupFailureIsNotARefusal checks that when the tenant lookup
// itself fails, Verify returns that failure (the server answers 500), not an
// ErrUnauthenticated that would blame the caller.
func TestVerifyLookupFailureIsNotARefusal(t *testing.T) {
	l := newLookup(knownTenant)
	l.err = errors.New("connection refused")
	v := tenancy.NewVerifier(tenancy.Config{Key: testKey}, l.exists)
	tok := hs256(t, claims())
	_, err := v.Verify(context.Background(), tok)
	if err == nil {
		t.Fatal("accepted while the lookup fails")
	}
	if errors.Is(err, tenancy.ErrUnauthenticated) {
		t.Errorf("a lookup failure wraps ErrUnauthenticated: %v", err)
	}
	if !errors.Is(err, l.err) {
		t.Errorf("error %q does not wrap the lookup's error", err)
	}
	if strings.Contains(err.Error(), tok) {
		t.Errorf("error %q contains the token", err)
	}
}

// TestVerifyCachesTenantsThatExist checks that the verifier remembers a
// tenant it found, so that verifying many tokens for it costs one lookup, but
// never remembers a tenant it did not find.
func TestVerifyCachesTenantsThatExist(t *testing.T) {
	const other = "5f1e4d2c-8b7a-4c3d-9e2f-1a0b9c8d7e6f"
	l := newLookup(knownTenant)
	v := tenancy.NewVerifier(tenancy.Config{Key: testKey}, l.exists)
	ctx := context.Background()

	for i := range 5 {
		if _, err := v.Verify(ctx, hs256(t, with(claims(), "sub", fmt.Sprintf("user-%d", i)))); err != nil {
			t.Fatal(err)
		}
	}
	if got := l.calls.Load(); got != 1 {
		t.Fatalf("after 5 tokens of one tenant: %d lookups, want 1", got)
	}

	unknown := hs256(t, with(claims(), "tenant_id", other))
	for range 2 {
		if _, err := v.Verify(ctx, unknown); !errors.Is(err, tenancy.ErrUnauthenticated) {
			t.Fatalf("unknown tenant: err = %v", err)
		}
	}
	if got := l.calls.Load(); got != 3 {
		t.Fatalf("after 2 tokens of an unknown tenant: %d lookups, want 3 (a miss is not cached)", got)
	}

	// Once the tenant exists, its tokens are accepted at once.
	l.add(other)
	if _, err := v.Verify(ctx, unknown); err != nil {
		t.Fatalf("after the tenant was created: %v", err)
	}
	if _, err := v.Verify(ctx, unknown); err != nil {
		t.Fatal(err)
	}
	if got := l.calls.Load(); got != 4 {
		t.Fatalf("%d lookups, want 4", got)
	}
}

// TestVerifyConcurrently checks that one verifier serves many goroutines at
// once (run with -race) and still looks each tenant up only a few times.
func TestVerifyConcurrently(t *testing.T) {
	l := newLookup(knownTenant)
	v := tenancy.NewVerifier(tenancy.Config{Key: testKey}, l.exists)
	tok := hs256(t, claims())
	var wg sync.WaitGroup
	var failures atomic.Int64
	for range 32 {
		wg.Go(func() {
			for range 20 {
				if _, err := v.Verify(context.Background(), tok); err != nil {
					failures.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if n := failures.Load(); n != 0 {
		t.Fatalf("%d verifications failed", n)
	}
	// Goroutines that raced the first lookup may each have made one; the rest
	// were served from the cache.
	if got := l.calls.Load(); got < 1 || got > 32 {
		t.Fatalf("%d lookups for 640 verifications, want between 1 and 32", got)
	}
}

// TestPrincipalCanNests checks that roles nest: an admin can do what an
// operator can, an operator what a viewer can, and not the other way round.
func TestPrincipalCanNests(t *testing.T) {
	cases := []struct {
		roles                   []tenancy.Role
		viewer, operator, admin bool
	}{
		{nil, false, false, false},
		{[]tenancy.Role{}, false, false, false},
		{[]tenancy.Role{tenancy.Viewer}, true, false, false},
		{[]tenancy.Role{tenancy.Operator}, true, true, false},
		{[]tenancy.Role{tenancy.Admin}, true, true, true},
		{[]tenancy.Role{tenancy.Viewer, tenancy.Operator}, true, true, false},
		{[]tenancy.Role{tenancy.Viewer, tenancy.Admin}, true, true, true},
	}
	for _, c := range cases {
		p := &tenancy.Principal{Subject: "s", TenantID: knownTenant, Roles: c.roles}
		got := [3]bool{p.Can(tenancy.Viewer), p.Can(tenancy.Operator), p.Can(tenancy.Admin)}
		if want := [3]bool{c.viewer, c.operator, c.admin}; got != want {
			t.Errorf("roles %v: Can(viewer, operator, admin) = %v, want %v", c.roles, got, want)
		}
	}
}

// TestPrincipalCanRefusesUnknownRoles checks that Can fails closed: a role
// it does not know (a typo, or one added to the schema but not to the
// ranking) is granted to nobody, not to everybody.
func TestPrincipalCanRefusesUnknownRoles(t *testing.T) {
	p := &tenancy.Principal{Subject: "s", TenantID: knownTenant, Roles: []tenancy.Role{tenancy.Viewer}}
	for _, r := range []tenancy.Role{"", "auditor", "ADMIN"} {
		if p.Can(r) {
			t.Errorf("a viewer Can(%q) = true, want false", r)
		}
	}
}

// TestParseRole checks that the three roles parse and nothing else does.
func TestParseRole(t *testing.T) {
	for _, r := range []tenancy.Role{tenancy.Viewer, tenancy.Operator, tenancy.Admin} {
		got, err := tenancy.ParseRole(string(r))
		if err != nil || got != r {
			t.Errorf("ParseRole(%q) = %q, %v", r, got, err)
		}
	}
	for _, s := range []string{"", "root", "Admin", " viewer"} {
		if got, err := tenancy.ParseRole(s); err == nil {
			t.Errorf("ParseRole(%q) = %q, want an error", s, got)
		}
	}
}

// TestBearerToken checks the parsing of Authorization header values.
func TestBearerToken(t *testing.T) {
	cases := []struct {
		header string
		token  string
		ok     bool
	}{
		{"Bearer abc.def.ghi", "abc.def.ghi", true},
		{"bearer abc", "abc", true},
		{"BEARER abc", "abc", true},
		{"  Bearer   abc  ", "abc", true},
		{"", "", false},
		{"Bearer", "", false},
		{"Bearer ", "", false},
		{"Bearer    ", "", false},
		{"Basic dXNlcjpwYXNz", "", false},
		{"abc.def.ghi", "", false},
		{"Token abc", "", false},
		{"Bearerabc", "", false},
	}
	for _, c := range cases {
		token, ok := tenancy.BearerToken(c.header)
		if token != c.token || ok != c.ok {
			t.Errorf("BearerToken(%q) = %q, %v; want %q, %v", c.header, token, ok, c.token, c.ok)
		}
	}
}

// TestPrincipalInContext checks that a principal put in a context comes
// back, and that a context without one (or with a nil one) has none.
func TestPrincipalInContext(t *testing.T) {
	if p, ok := tenancy.FromContext(context.Background()); ok || p != nil {
		t.Fatalf("empty context: %v, %v", p, ok)
	}
	want := &tenancy.Principal{Subject: "alice", TenantID: knownTenant, Roles: []tenancy.Role{tenancy.Admin}}
	got, ok := tenancy.FromContext(tenancy.WithPrincipal(context.Background(), want))
	if !ok || got != want {
		t.Fatalf("FromContext = %v, %v; want %v", got, ok, want)
	}
	if p, ok := tenancy.FromContext(tenancy.WithPrincipal(context.Background(), nil)); ok {
		t.Fatalf("nil principal: FromContext = %v, true", p)
	}
}

// TestMintRefusesNonPositiveTTL checks that Mint will not make a token that
// is expired from the start.
func TestMintRefusesNonPositiveTTL(t *testing.T) {
	for _, ttl := range []time.Duration{0, -time.Second} {
		if tok, err := tenancy.Mint(tenancy.Config{Key: testKey}, knownTenant, "s", []tenancy.Role{tenancy.Viewer}, ttl); err == nil {
			t.Errorf("Mint with ttl %v = %q, want an error", ttl, tok)
		}
	}
}
