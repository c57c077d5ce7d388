package httpserver_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/inventory-backbone/inventory/tenancy"
)

// noneToken builds an alg "none" token by hand, as an attacker would.
func noneToken(c jwt.MapClaims) string {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(map[string]string{"alg": "none", "typ": "JWT"}) + "." + enc(c) + "."
}

// assertUnauthenticated checks a response that must be HTTP 401 with exactly
// one GraphQL error whose extensions.code is UNAUTHENTICATED, no data, a
// WWW-Authenticate challenge, and no trace of the token.
func assertUnauthenticated(t *testing.T, status int, header http.Header, body []byte, token string) {
	t.Helper()
	if status != http.StatusUnauthorized {
		t.Errorf("status %d, want 401; body %s", status, body)
	}
	var resp gqlResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatalf("body %q is not JSON: %v", body, err)
	}
	if !slices.Equal(resp.errorCodes(), []string{"UNAUTHENTICATED"}) || resp.Errors[0].Message == "" {
		t.Errorf("errors %+v, want one UNAUTHENTICATED", resp.Errors)
	}
	if len(resp.Data) != 0 && string(resp.Data) != "null" {
		t.Errorf("a refused request has data %s", resp.Data)
	}
	if got := header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
		t.Errorf("WWW-Authenticate = %q", got)
	}
	if token != "" && strings.Contains(string(body), token) {
		t.Errorf("the response echoes the token: %s", body)
	}
	if parts := strings.Split(token, "."); len(parts) == 3 && len(parts[2]) >= 8 && strings.Contains(string(body), parts[2]) {
		t.Errorf("the response echoes the token's signature: %s", body)
	}
}

// TestUnauthenticatedRequestsGet401 checks that every request without a valid
// token is refused with HTTP 401 and UNAUTHENTICATED before anything runs:
// a receipt sent with each of them writes nothing.
func TestUnauthenticatedRequestsGet401(t *testing.T) {
	s := newTestServer(t)
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "alice", tenancy.Admin)
	item, locs := s.catalogue(t, admin, "SKU-1", "A")
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	good := claimsFor(tenant, "mallory", "admin")
	expired := claimsFor(tenant, "mallory", "admin")
	expired["exp"] = time.Now().Add(-time.Hour).Unix()
	expired["iat"] = time.Now().Add(-2 * time.Hour).Unix()
	noExp := claimsFor(tenant, "mallory", "admin")
	delete(noExp, "exp")
	unknownTenant := claimsFor(newID(), "mallory", "admin")
	noRoles, err := tenancy.Mint(s.tokens, tenant, "mallory", nil, time.Hour) // roles: null
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name   string
		header string // the Authorization header; empty: none
		token  string
	}{
		{"no Authorization header", "", ""},
		{"empty bearer", "Bearer ", ""},
		{"Basic credentials", "Basic YWxpY2U6c2VjcmV0", ""},
		{"token without the Bearer scheme", admin, admin},
		{"garbage token", "Bearer not.a.token", "not.a.token"},
		{"alg none", "", noneToken(good)},
		{"alg none with a library signature", "", signed(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, good)},
		{"signed with another key", "", signed(t, jwt.SigningMethodHS256, []byte("another-signing-key-of-32-bytes-or-more"), good)},
		{"HS512 with the right key", "", signed(t, jwt.SigningMethodHS512, s.tokens.Key, good)},
		{"RS256", "", signed(t, jwt.SigningMethodRS256, rsaKey, good)},
		{"expired", "", signed(t, jwt.SigningMethodHS256, s.tokens.Key, expired)},
		{"without exp", "", signed(t, jwt.SigningMethodHS256, s.tokens.Key, noExp)},
		{"unknown tenant", "", signed(t, jwt.SigningMethodHS256, s.tokens.Key, unknownTenant)},
		{"malformed tenant id", "", signed(t, jwt.SigningMethodHS256, s.tokens.Key, claimsFor("tenant-1", "mallory", "admin"))},
		{"roles null", "", noRoles},
		{"unknown role", "", signed(t, jwt.SigningMethodHS256, s.tokens.Key, claimsFor(tenant, "mallory", "root"))},
	}
	body, _ := json.Marshal(map[string]any{
		"query":     `mutation($i: ID!, $l: ID!) { receiveStock(input: {itemId: $i, locationId: $l, quantity: 5}) { userErrors { code } } }`,
		"variables": map[string]any{"i": item, "l": locs[0]},
	})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := http.Header{"Content-Type": {"application/json"}}
			switch {
			case c.header != "":
				h.Set("Authorization", c.header)
			case c.token != "":
				h.Set("Authorization", "Bearer "+c.token)
			}
			status, header, raw := s.send(t, http.MethodPost, "/graphql", h, body)
			assertUnauthenticated(t, status, header, raw, c.token)
		})
	}
	if st := s.ledger(t, tenant); st.Movements != 0 || st.Levels != 0 {
		t.Fatalf("refused requests wrote: %+v", st)
	}
	// The same request with the admin's valid token goes through.
	c := s.mustChange(t, admin, "receiveStock", map[string]any{"itemId": item, "locationId": locs[0], "quantity": 5})
	if c.StockLevels[0].Available != 5 {
		t.Fatalf("with a valid token: %+v", c)
	}
}

// TestIssuerAndAudienceOverHTTP checks a server configured with an issuer and
// an audience: tokens that carry exactly them pass, tokens with another or
// none get 401.
func TestIssuerAndAudienceOverHTTP(t *testing.T) {
	cfg := tenancy.Config{Key: []byte("issuer-test-signing-key-of-32-bytes!!"), Issuer: "https://auth.example.test/", Audience: "inventory"}
	s := newTestServerWith(t, serverOptions{tokens: cfg})
	tenant := s.tenant(t)

	minted := s.token(t, tenant, "alice", tenancy.Viewer)
	var out struct{ Items struct{ Nodes []any } }
	s.mustData(t, minted, `{ items { nodes { id } } }`, nil, &out)

	base := claimsFor(tenant, "alice", "viewer")
	base["iss"], base["aud"] = cfg.Issuer, cfg.Audience
	variant := func(kv ...any) string {
		c := jwt.MapClaims{}
		for k, v := range base {
			c[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(c, kv[i].(string))
			} else {
				c[kv[i].(string)] = kv[i+1]
			}
		}
		return signed(t, jwt.SigningMethodHS256, cfg.Key, c)
	}
	s.mustData(t, variant(), `{ items { nodes { id } } }`, nil, &out)
	s.mustData(t, variant("aud", []string{"reports", "inventory"}), `{ items { nodes { id } } }`, nil, &out)

	plain, err := tenancy.Mint(tenancy.Config{Key: cfg.Key}, tenant, "alice", []tenancy.Role{tenancy.Viewer}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for name, tok := range map[string]string{
		"wrong iss":                 variant("iss", "https://other.example.test/"),
		"iss without trailing /":    variant("iss", "https://auth.example.test"),
		"wrong aud":                 variant("aud", "billing"),
		"aud list without ours":     variant("aud", []string{"billing", "reports"}),
		"no iss":                    variant("iss", nil),
		"no aud":                    variant("aud", nil),
		"minted without iss or aud": plain,
	} {
		t.Run(name, func(t *testing.T) {
			h := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + tok}}
			status, header, raw := s.send(t, http.MethodPost, "/graphql", h, []byte(`{"query":"{ items { nodes { id } } }"}`))
			assertUnauthenticated(t, status, header, raw, tok)
		})
	}
}

// forbidden checks a response that must be HTTP 200 with exactly one error,
// FORBIDDEN, on the given root field, and no data for it.
func forbidden(t *testing.T, status int, resp *gqlResponse, field string) {
	t.Helper()
	if status != http.StatusOK {
		t.Errorf("%s: status %d, want 200", field, status)
	}
	if !slices.Equal(resp.errorCodes(), []string{"FORBIDDEN"}) {
		t.Errorf("%s: error codes %v, want [FORBIDDEN]", field, resp.errorCodes())
		return
	}
	if p := resp.Errors[0].Path; len(p) != 1 || p[0] != field {
		t.Errorf("%s: error path %v", field, p)
	}
	if string(resp.Data) != "null" {
		t.Errorf("%s: data %s, want null", field, resp.Data)
	}
}

// TestViewerCannotChangeStock checks that a viewer calling each stock
// mutation gets FORBIDDEN and nothing is written, while every query works.
func TestViewerCannotChangeStock(t *testing.T) {
	b := setupStock(t, "A", "B")
	s := b.s
	s.mustChange(t, b.admin, "receiveStock", b.in(0, "quantity", 10))
	viewer := s.token(t, b.tenant, "vera", tenancy.Viewer)
	before := s.ledger(t, b.tenant)

	mutations := map[string]map[string]any{
		"receiveStock":  b.in(0, "quantity", 1),
		"shipStock":     b.in(0, "quantity", 1),
		"adjustStock":   b.in(0, "delta", -1, "reason", "r"),
		"countStock":    b.in(0, "countedQuantity", 3),
		"transferStock": {"itemId": b.item, "fromLocationId": b.locs[0], "toLocationId": b.locs[1], "quantity": 1},
	}
	for op, in := range mutations {
		status, resp := s.post(t, viewer, stockMutation(op), map[string]any{"in": in})
		forbidden(t, status, resp, op)
		if len(resp.Errors) == 1 && !strings.Contains(resp.Errors[0].Message, "operator") {
			t.Errorf("%s: message %q does not name the role required", op, resp.Errors[0].Message)
		}
	}
	// With an idempotency key too: the key is not even claimed.
	status, resp := s.post(t, viewer, stockMutation("shipStock"), map[string]any{"in": b.in(0, "quantity", 1, "idempotencyKey", "v-1")})
	forbidden(t, status, resp, "shipStock")

	if after := s.ledger(t, b.tenant); after != before {
		t.Fatalf("a viewer wrote: before %+v, after %+v", before, after)
	}
	if got := s.level(t, viewer, b.item, b.locs[0]).figures(); got != (figures{OnHand: 10, Available: 10, Version: 1}) {
		t.Fatalf("level read by the viewer = %+v", got)
	}
	if m := s.movements(t, viewer, nil); !slices.Equal(kinds(m.Nodes), []string{"RECEIPT 10"}) {
		t.Fatalf("movements read by the viewer = %v", kinds(m.Nodes))
	}
	var q struct {
		Items     struct{ Nodes []struct{ ID string } }
		Locations struct{ Nodes []struct{ ID string } }
		Item      *struct{ ID string }
		Location  *struct{ ID string }
	}
	s.mustData(t, viewer, `query($i: ID, $l: ID) { items { nodes { id } } locations { nodes { id } } item(id: $i) { id } location(id: $l) { id } }`,
		map[string]any{"i": b.item, "l": b.locs[0]}, &q)
	if len(q.Items.Nodes) != 1 || len(q.Locations.Nodes) != 2 || q.Item == nil || q.Location == nil {
		t.Fatalf("queries by the viewer = %+v", q)
	}
}

// TestOperatorCannotChangeCatalogue checks that an operator may move stock
// but gets FORBIDDEN for createItem and createLocation, which write nothing.
func TestOperatorCannotChangeCatalogue(t *testing.T) {
	b := setupStock(t, "A")
	s := b.s
	operator := s.token(t, b.tenant, "otto", tenancy.Operator)

	status, resp := s.post(t, operator, `mutation { createItem(input: {sku: "OP-1", name: "X"}) { item { id } userErrors { code } } }`, nil)
	forbidden(t, status, resp, "createItem")
	status, resp = s.post(t, operator, `mutation { createLocation(input: {code: "OP-L", name: "X"}) { location { id } userErrors { code } } }`, nil)
	forbidden(t, status, resp, "createLocation")
	if len(resp.Errors) == 1 && !strings.Contains(resp.Errors[0].Message, "admin") {
		t.Errorf("message %q does not name the role required", resp.Errors[0].Message)
	}
	if st := s.ledger(t, b.tenant); st.Items != 1 || st.Locations != 1 {
		t.Fatalf("an operator changed the catalogue: %+v", st)
	}

	c := s.mustChange(t, operator, "receiveStock", b.in(0, "quantity", 2))
	if c.Movements[0].Actor != "otto" || c.StockLevels[0].Available != 2 {
		t.Fatalf("an operator's receipt = %+v", c)
	}
}

// TestTokenWithoutRolesCannotQuery checks that a valid token whose roles are
// an empty list authenticates but may not read or change anything.
func TestTokenWithoutRolesCannotQuery(t *testing.T) {
	b := setupStock(t, "A")
	s := b.s
	s.mustChange(t, b.admin, "receiveStock", b.in(0, "quantity", 3))
	before := s.ledger(t, b.tenant)
	none := signed(t, jwt.SigningMethodHS256, s.tokens.Key, claimsFor(b.tenant, "nobody"))

	for field, query := range map[string]string{
		"items":      `{ items { nodes { id } } }`,
		"locations":  `{ locations { nodes { id } } }`,
		"item":       `query($i: ID) { item(id: $i) { id } }`,
		"location":   `query($l: ID) { location(id: $l) { id } }`,
		"stockLevel": `query($i: ID!, $l: ID!) { stockLevel(itemId: $i, locationId: $l) { onHand } }`,
		"movements":  `{ movements { nodes { id } } }`,
	} {
		status, resp := s.post(t, none, query, map[string]any{"i": b.item, "l": b.locs[0]})
		if field == "item" || field == "location" {
			// Nullable fields: the error is there, and the field is null.
			if status != http.StatusOK || !slices.Equal(resp.errorCodes(), []string{"FORBIDDEN"}) || string(resp.Data) != `{"`+field+`":null}` {
				t.Errorf("%s: status %d, codes %v, data %s", field, status, resp.errorCodes(), resp.Data)
			}
			continue
		}
		forbidden(t, status, resp, field)
	}
	status, resp := s.post(t, none, stockMutation("shipStock"), map[string]any{"in": b.in(0, "quantity", 1)})
	forbidden(t, status, resp, "shipStock")
	if after := s.ledger(t, b.tenant); after != before {
		t.Fatalf("a token without roles wrote: before %+v, after %+v", before, after)
	}
}
