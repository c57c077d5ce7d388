package httpserver_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/httpserver"
	"github.com/inventory-backbone/inventory/tenancy"
)

// apiKeyFields selects an ApiKey.
const apiKeyFields = `id name prefix roles createdBy createdAt expiresAt lastUsedAt revokedAt`

// apiKey is an ApiKey as the API returns it.
type apiKey struct {
	ID, Name, Prefix, CreatedBy string
	Roles                       []string
	CreatedAt                   time.Time
	ExpiresAt, LastUsedAt       *time.Time
	RevokedAt                   *time.Time
}

// apiKeyPayload is an ApiKeyPayload as the API returns it.
type apiKeyPayload struct {
	APIKey     *apiKey `json:"apiKey"`
	Secret     *string
	UserErrors []apiUserError
}

// createKey calls createApiKey with the token and returns its payload.
func (s *testServer) createKey(tb testing.TB, token, name string, roles []string, expiresAt *time.Time) apiKeyPayload {
	tb.Helper()
	in := map[string]any{"name": name, "roles": roles}
	if expiresAt != nil {
		in["expiresAt"] = expiresAt.Format(time.RFC3339Nano)
	}
	var out struct{ CreateAPIKey apiKeyPayload }
	s.mustData(tb, token, `mutation($in: CreateApiKeyInput!) { createAPIKey: createApiKey(input: $in) {
		apiKey { `+apiKeyFields+` } secret userErrors { field message code } } }`, map[string]any{"in": in}, &out)
	return out.CreateAPIKey
}

// mustCreateKey creates a key that must be created and returns it with its
// secret.
func (s *testServer) mustCreateKey(tb testing.TB, token, name string, roles ...string) (apiKey, string) {
	tb.Helper()
	for i, r := range roles {
		roles[i] = strings.ToUpper(r)
	}
	p := s.createKey(tb, token, name, roles, nil)
	if len(p.UserErrors) > 0 || p.APIKey == nil || p.Secret == nil {
		tb.Fatalf("createApiKey %s: %+v", name, p)
	}
	return *p.APIKey, *p.Secret
}

// revokeKey calls revokeApiKey.
func (s *testServer) revokeKey(tb testing.TB, token, id string) apiKeyPayload {
	tb.Helper()
	var out struct{ RevokeAPIKey apiKeyPayload }
	s.mustData(tb, token, `mutation($id: ID!) { revokeAPIKey: revokeApiKey(input: {id: $id}) {
		apiKey { `+apiKeyFields+` } secret userErrors { field message code } } }`, map[string]any{"id": id}, &out)
	return out.RevokeAPIKey
}

// listKeys calls apiKeys.
func (s *testServer) listKeys(tb testing.TB, token string) []apiKey {
	tb.Helper()
	var out struct {
		APIKeys struct{ Nodes []apiKey } `json:"apiKeys"`
	}
	s.mustData(tb, token, `{ apiKeys { nodes { `+apiKeyFields+` } } }`, nil, &out)
	return out.APIKeys.Nodes
}

// refusedWithin polls the server with the credential until a request is
// refused with 401 UNAUTHENTICATED and returns how long that took; it fails
// the test past limit.
func (s *testServer) refusedWithin(tb testing.TB, credential string, limit time.Duration) time.Duration {
	tb.Helper()
	start := time.Now()
	for {
		status, resp := s.post(tb, credential, `{ tenantSettings { tenantId } }`, nil)
		if status == http.StatusUnauthorized {
			if !slices.Equal(resp.errorCodes(), []string{"UNAUTHENTICATED"}) {
				tb.Errorf("refusal: errors %+v", resp.Errors)
			}
			return time.Since(start)
		}
		if status != http.StatusOK || len(resp.Errors) > 0 {
			tb.Fatalf("before its refusal: status %d, errors %+v", status, resp.Errors)
		}
		if time.Since(start) > limit {
			tb.Fatalf("still accepted %s later", time.Since(start))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestAPIKeyLifecycle checks a key from creation to revocation: the secret
// is shown once and starts with the prefix listed; the key works as its
// roles allow, over HTTP, recording apikey:<name> as the actor, and its use
// in lastUsedAt; revoked, it is refused with 401 within a second.
func TestAPIKeyLifecycle(t *testing.T) {
	b := setupStock(t, "A")
	s := b.s
	key, secret := s.mustCreateKey(t, b.admin, "web shop", "operator")
	if !strings.HasPrefix(secret, "inv_") || len(secret) < 50 || !strings.HasPrefix(secret, key.Prefix) || len(key.Prefix) < 8 {
		t.Fatalf("secret %q with prefix %q", secret, key.Prefix)
	}
	if key.Name != "web shop" || !slices.Equal(key.Roles, []string{"OPERATOR"}) || key.CreatedBy != "alice" ||
		key.RevokedAt != nil || key.LastUsedAt != nil || key.ExpiresAt != nil {
		t.Fatalf("created key %+v", key)
	}

	// The key acts as an operator, and the ledger names it.
	c := s.mustChange(t, secret, "receiveStock", b.in(0, "quantity", 7))
	if got := c.Movements[0].Actor; got != "apikey:web shop" {
		t.Fatalf("actor %q, want apikey:web shop", got)
	}
	if got := s.level(t, secret, b.item, b.locs[0]).Available; got != 7 {
		t.Fatalf("available %d through the key", got)
	}
	status, resp := s.post(t, secret, `mutation { createLocation(input: {code: "X", name: "X"}) { userErrors { code } } }`, nil)
	if status != http.StatusOK || !slices.Equal(resp.errorCodes(), []string{"FORBIDDEN"}) {
		t.Fatalf("an operator key creating a location: %d %+v", status, resp.Errors)
	}
	status, resp = s.post(t, secret, `{ apiKeys { nodes { id } } }`, nil)
	if !slices.Equal(resp.errorCodes(), []string{"FORBIDDEN"}) {
		t.Fatalf("an operator key listing keys: %d %+v", status, resp.Errors)
	}

	// Listed with its use, never with its secret.
	keys := s.listKeys(t, b.admin)
	if len(keys) != 1 || keys[0].ID != key.ID || keys[0].LastUsedAt == nil || time.Since(*keys[0].LastUsedAt) > time.Minute {
		t.Fatalf("listed keys %+v", keys)
	}
	status, resp = s.post(t, b.admin, `{ apiKeys { nodes { secret } } }`, nil)
	if !slices.Equal(resp.errorCodes(), []string{"GRAPHQL_VALIDATION_FAILED"}) {
		t.Fatalf("a key's secret is readable: %d %+v", status, resp)
	}

	revoked := s.revokeKey(t, b.admin, key.ID)
	if len(revoked.UserErrors) > 0 || revoked.Secret != nil || revoked.APIKey.RevokedAt == nil {
		t.Fatalf("revokeApiKey: %+v", revoked)
	}
	took := s.refusedWithin(t, secret, time.Second)
	t.Logf("refused %s after revocation", took)
	again := s.revokeKey(t, b.admin, key.ID)
	if len(again.UserErrors) > 0 || !again.APIKey.RevokedAt.Equal(*revoked.APIKey.RevokedAt) {
		t.Fatalf("revoking again: %+v", again)
	}
	if st := s.ledger(t, b.tenant); st.Movements != 1 {
		t.Fatalf("%d movements, want 1", st.Movements)
	}
}

// TestAPIKeySecretIsNeverStored checks that the database keeps only the
// secret's hash, that the service role cannot read even that, and that the
// cross-tenant lookup table is out of its reach.
func TestAPIKeySecretIsNeverStored(t *testing.T) {
	b := setupStock(t, "A")
	s := b.s
	key, secret := s.mustCreateKey(t, b.admin, "erp", "viewer")
	ctx := context.Background()
	var row string
	err := pgx.BeginFunc(ctx, s.db.Owner, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", b.tenant); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT row_to_json(k)::text FROM api_keys k WHERE id = $1`, key.ID).Scan(&row)
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(row, secret[len(key.Prefix):]) || strings.Contains(row, secret[len(key.Prefix)+4:len(key.Prefix)+20]) {
		t.Fatalf("the key's row holds its secret: %s", row)
	}
	for _, q := range []string{`SELECT secret_hash::text FROM api_keys`, `SELECT tenant_id::text FROM api_key_lookup`} {
		err := pgx.BeginFunc(ctx, s.db.App, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", b.tenant); err != nil {
				return err
			}
			var v string
			return tx.QueryRow(ctx, q).Scan(&v)
		})
		if err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("the service role ran %q: %v", q, err)
		}
	}
}

// TestAPIKeyRoles checks that a key never gets a role its creator lacks,
// that only admins manage keys, and that bad input is a VALIDATION or
// DUPLICATE user error that creates nothing.
func TestAPIKeyRoles(t *testing.T) {
	b := setupStock(t, "A")
	s := b.s
	operator := s.token(t, b.tenant, "olga", tenancy.Operator)
	status, resp := s.post(t, operator, `mutation { createApiKey(input: {name: "x", roles: [VIEWER]}) { secret } }`, nil)
	if status != http.StatusOK || !slices.Equal(resp.errorCodes(), []string{"FORBIDDEN"}) {
		t.Fatalf("an operator creating a key: %d %+v", status, resp.Errors)
	}

	// An admin key may create keys, up to its own roles.
	_, adminSecret := s.mustCreateKey(t, b.admin, "provisioner", "admin")
	viewerKey, viewerSecret := s.mustCreateKey(t, adminSecret, "reporting", "viewer")
	if viewerKey.CreatedBy != "apikey:provisioner" {
		t.Errorf("createdBy %q", viewerKey.CreatedBy)
	}
	status, resp = s.post(t, viewerSecret, `mutation { createApiKey(input: {name: "y", roles: [VIEWER]}) { secret } }`, nil)
	if !slices.Equal(resp.errorCodes(), []string{"FORBIDDEN"}) {
		t.Fatalf("a viewer key creating a key: %d %+v", status, resp.Errors)
	}
	_, _, err := s.store.CreateAPIKey(context.Background(), domain.Scope{TenantID: b.tenant, Actor: "olga"}, domain.NewAPIKey{
		Name: "z", Roles: []string{"viewer", "admin"}, MayGrant: func(r string) bool { return r != "admin" }})
	if e, ok := domain.AsError(err); !ok || e.Code != domain.CodeValidation || !strings.Contains(e.Message, "admin") {
		t.Fatalf("a role the creator lacks: %v", err)
	}

	past := time.Now().Add(-time.Minute)
	for name, c := range map[string]struct {
		name    string
		roles   []string
		expires *time.Time
		code    string
		field   string
	}{
		"no roles":        {"a", []string{}, nil, "VALIDATION", "input.roles"},
		"blank name":      {"  ", []string{"VIEWER"}, nil, "VALIDATION", "input.name"},
		"expired already": {"b", []string{"VIEWER"}, &past, "VALIDATION", "input.expiresAt"},
		"name taken":      {"reporting", []string{"VIEWER"}, nil, "DUPLICATE", "input.name"},
	} {
		p := s.createKey(t, b.admin, c.name, c.roles, c.expires)
		if got := userErr(p.UserErrors); !slices.Equal(got, []string{c.code + " " + c.field}) || p.Secret != nil || p.APIKey != nil {
			t.Errorf("%s: %v, secret %v", name, got, p.Secret)
		}
	}
	// A revoked key's name is free again.
	s.revokeKey(t, b.admin, viewerKey.ID)
	s.mustCreateKey(t, b.admin, "reporting", "viewer")
	if n := len(s.listKeys(t, b.admin)); n != 3 {
		t.Fatalf("%d keys, want 3", n)
	}
}

// TestAPIKeyExpiry checks that a key works until its expiry and is refused
// from then on.
func TestAPIKeyExpiry(t *testing.T) {
	s := newTestServer(t)
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "admin", tenancy.Admin)
	expires := time.Now().Add(1500 * time.Millisecond)
	p := s.createKey(t, admin, "short", []string{"VIEWER"}, &expires)
	if len(p.UserErrors) > 0 || p.APIKey.ExpiresAt == nil || p.APIKey.ExpiresAt.Sub(expires).Abs() > time.Millisecond {
		t.Fatalf("createApiKey: %+v", p)
	}
	s.mustData(t, *p.Secret, `{ tenantSettings { tenantId } }`, nil, nil)
	took := s.refusedWithin(t, *p.Secret, 3*time.Second)
	if late := time.Since(expires); late > time.Second || late < 0 {
		t.Fatalf("refused %s after its expiry (after %s of polling)", late, took)
	}
}

// TestAPIKeyTenancy checks that a key sees its own tenant only, and that an
// admin can neither list nor revoke another tenant's keys, and that an
// unknown key is refused like a bad token.
func TestAPIKeyTenancy(t *testing.T) {
	a := setupStock(t, "A")
	s := a.s
	bTenant := s.tenant(t)
	bAdmin := s.token(t, bTenant, "admin", tenancy.Admin)
	bItem, _ := s.catalogue(t, bAdmin, "B-SKU")
	bKey, bSecret := s.mustCreateKey(t, bAdmin, "b key", "viewer")
	_, aSecret := s.mustCreateKey(t, a.admin, "a key", "viewer")

	var item struct{ Item *struct{ ID string } }
	s.mustData(t, aSecret, `query($id: ID!) { item(id: $id) { id } }`, map[string]any{"id": bItem}, &item)
	if item.Item != nil {
		t.Fatalf("tenant A's key reads tenant B's item")
	}
	s.mustData(t, bSecret, `query($id: ID!) { item(id: $id) { id } }`, map[string]any{"id": bItem}, &item)
	if item.Item == nil || item.Item.ID != bItem {
		t.Fatalf("tenant B's key does not read its item")
	}
	if keys := s.listKeys(t, a.admin); len(keys) != 1 || keys[0].Name != "a key" {
		t.Fatalf("tenant A lists %+v", keys)
	}
	if p := s.revokeKey(t, a.admin, bKey.ID); !slices.Equal(userErr(p.UserErrors), []string{"NOT_FOUND input.id"}) {
		t.Fatalf("tenant A revoking B's key: %+v", p)
	}
	s.mustData(t, bSecret, `{ tenantSettings { tenantId } }`, nil, nil)

	for _, bad := range []string{"inv_" + strings.Repeat("a", 52), "inv_", bSecret + "x", strings.ToUpper(bSecret)} {
		status, resp := s.post(t, bad, `{ tenantSettings { tenantId } }`, nil)
		if status != http.StatusUnauthorized || !slices.Equal(resp.errorCodes(), []string{"UNAUTHENTICATED"}) {
			t.Errorf("key %q: %d %+v", bad, status, resp.Errors)
		}
		if strings.Contains(resp.Errors[0].Message, bad) {
			t.Errorf("the refusal echoes the key: %q", resp.Errors[0].Message)
		}
	}
}

// TestAPIKeyRevokedOnAnotherProcess checks, with two servers on one
// database (two processes, each with its own cache), that a key revoked on
// one is refused by the other within a second, over HTTP, and that the
// other's open WebSocket using it is closed with 4403 within a second; while
// an open WebSocket of an unrevoked key lives on.
func TestAPIKeyRevokedOnAnotherProcess(t *testing.T) {
	one := newTestServer(t)
	two := newTestServer(t)
	tenant := one.tenant(t)
	admin := one.token(t, tenant, "admin", tenancy.Admin)
	key, secret := one.mustCreateKey(t, admin, "pos", "viewer")
	_, other := one.mustCreateKey(t, admin, "other", "viewer")

	// Both processes have seen (and cached) the key.
	one.mustData(t, secret, `{ tenantSettings { tenantId } }`, nil, nil)
	two.mustData(t, secret, `{ tenantSettings { tenantId } }`, nil, nil)
	live := mustDial(t, two, secret)
	live.subscribe(t, "1", availabilitySub, nil)
	stays := mustDial(t, two, other)
	stays.subscribe(t, "1", availabilitySub, nil)
	waitSubscribers(t, two.hub, 2)

	revoked := time.Now()
	if p := one.revokeKey(t, admin, key.ID); len(p.UserErrors) > 0 {
		t.Fatalf("revoke: %+v", p)
	}
	took := two.refusedWithin(t, secret, time.Second)
	code, reason, _ := live.waitClose(t)
	closed := time.Since(revoked)
	if code != httpserver.CloseForbidden || !strings.Contains(reason, "revoked") {
		t.Fatalf("the live connection closed with %d %q, want 4403", code, reason)
	}
	if closed > 1500*time.Millisecond { // one second, and the close handshake
		t.Fatalf("the live connection closed %s after the revocation", closed)
	}
	t.Logf("the other process refused the key after %s and closed its connection after %s", took, closed)

	time.Sleep(2 * httpserver.APIKeyWatchInterval)
	stays.send(t, map[string]any{"id": "2", "type": "subscribe", "payload": map[string]any{"query": "{ __typename }"}})
	if m := stays.next(t); m.Type != "next" || !strings.Contains(string(m.Payload), "Query") {
		t.Fatalf("the other key's connection: %s %s", m.Type, m.Payload)
	}
}

// BenchmarkRequestAuthentication measures what authenticating a request
// costs, in the middleware alone (no GraphQL): none, a JWT, an API key (a
// cache hit but for one lookup per key every 500 ms), and the cache missing
// on every request (the database lookup).
//
//	go test -run '^$' -bench RequestAuthentication -benchmem ./internal/httpserver
func BenchmarkRequestAuthentication(b *testing.B) {
	s := newTestServer(b)
	tenant := s.tenant(b)
	admin := s.token(b, tenant, "admin", tenancy.Admin)
	_, secret := s.mustCreateKey(b, admin, "bench", "viewer")
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	run := func(b *testing.B, h http.Handler, credential string) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				r := httptest.NewRequest(http.MethodPost, "/graphql", nil)
				if credential != "" {
					r.Header.Set("Authorization", "Bearer "+credential)
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != http.StatusNoContent {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
			}
		})
	}
	b.Run("none", func(b *testing.B) { run(b, ok, "") })
	b.Run("jwt", func(b *testing.B) {
		run(b, httpserver.Authenticate(s.server, ok), s.token(b, tenant, "bench", tenancy.Viewer))
	})
	b.Run("apikey", func(b *testing.B) { run(b, httpserver.Authenticate(s.server, ok), secret) })
	b.Run("apikey-uncached", func(b *testing.B) { run(b, httpserver.AuthenticateUncached(s.server, ok), secret) })
}

// TestAPIKeyInputThatDoesNotCoerce checks that input which passes the
// validation of variables but does not decode (an enum value in the wrong
// case, which that validation lets through; a Time that does not parse) is
// a VALIDATION error that names the value and its input path, not an
// INTERNAL one, and is not logged as an internal error; and that nothing is
// created.
func TestAPIKeyInputThatDoesNotCoerce(t *testing.T) {
	logs := &lockedBuffer{}
	s := newTestServerWith(t, serverOptions{logger: slog.New(slog.NewJSONHandler(logs, nil))})
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "admin", tenancy.Admin)
	const create = `mutation($in: CreateApiKeyInput!) { createApiKey(input: $in) { secret } }`
	for name, c := range map[string]struct {
		in   map[string]any
		path string
		text string
	}{
		"an enum in lower case": {map[string]any{"name": "a", "roles": []string{"VIEWER", "viewer"}},
			`["createApiKey","input","roles",1]`, "viewer is not a valid Role"},
		"a time that does not parse": {map[string]any{"name": "b", "roles": []string{"VIEWER"}, "expiresAt": "next week"},
			`["createApiKey","input","expiresAt"]`, "time"},
	} {
		t.Run(name, func(t *testing.T) {
			status, resp := s.post(t, admin, create, map[string]any{"in": c.in})
			if status != http.StatusOK || !slices.Equal(resp.errorCodes(), []string{"VALIDATION"}) {
				t.Fatalf("status %d, errors %+v", status, resp.Errors)
			}
			path, _ := json.Marshal(resp.Errors[0].Path)
			if string(path) != c.path || !strings.Contains(resp.Errors[0].Message, c.text) {
				t.Errorf("error %q at %s, want %q at %s", resp.Errors[0].Message, path, c.text, c.path)
			}
		})
	}
	if strings.Contains(logs.String(), "internal error") {
		t.Errorf("logged as an internal error:\n%s", logs.String())
	}
	if keys := s.listKeys(t, admin); len(keys) != 0 {
		t.Errorf("created %+v", keys)
	}
	// A valid key in the same shape is created: the refusals were for the
	// values alone.
	s.mustCreateKey(t, admin, "c", "viewer")
}
