package httpserver_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/inventory-backbone/inventory/internal/tooling"
	"github.com/inventory-backbone/inventory/tenancy"
)

// TestIntrospectionQueryOfGraphQLJS posts every variant of graphql-js's own
// getIntrospectionQuery() text and checks that each gets the full schema,
// with type references unwrapped down to the named type.
func TestIntrospectionQueryOfGraphQLJS(t *testing.T) {
	s := newTestServer(t)
	viewer := s.token(t, s.tenant(t), "tooling", tenancy.Viewer)
	queries := tooling.IntrospectionQueries()
	if len(queries) < 6 {
		t.Fatalf("only %d introspection queries", len(queries))
	}
	for name, query := range queries {
		t.Run(name, func(t *testing.T) {
			var out struct {
				Schema struct {
					QueryType struct{ Name string }
					Types     []struct {
						Name   string
						Fields []struct {
							Name string
							Type typeRef
						}
					}
					Directives []struct{ Name string }
				} `json:"__schema"`
			}
			s.mustData(t, viewer, query, nil, &out)
			if out.Schema.QueryType.Name != "Query" {
				t.Fatalf("queryType = %q", out.Schema.QueryType.Name)
			}
			types := map[string]int{}
			for i, ty := range out.Schema.Types {
				types[ty.Name] = i
			}
			for _, want := range []string{"Query", "Mutation", "Subscription", "StockLevel", "Movement", "__Schema", "Role"} {
				if _, ok := types[want]; !ok {
					t.Errorf("no type %s among %d", want, len(types))
				}
			}
			if !slices.ContainsFunc(out.Schema.Directives, func(d struct{ Name string }) bool { return d.Name == "hasRole" }) {
				t.Errorf("directives %v lack hasRole", out.Schema.Directives)
			}
			// movements(...): MovementConnection! unwraps to NON_NULL > OBJECT.
			i, ok := types["Query"]
			if !ok {
				return
			}
			for _, f := range out.Schema.Types[i].Fields {
				if f.Name == "movements" {
					if got := f.Type.String(); got != "NON_NULL(OBJECT MovementConnection)" {
						t.Errorf("movements: type %s", got)
					}
					return
				}
			}
			t.Errorf("Query has no movements field")
		})
	}
}

// typeRef is an introspection type reference.
type typeRef struct {
	Kind   string
	Name   *string
	OfType *typeRef
}

func (r typeRef) String() string {
	if r.OfType != nil {
		return r.Kind + "(" + r.OfType.String() + ")"
	}
	return r.Kind + " " + deref(r.Name)
}

// TestAbusiveIntrospectionIsRefused checks that introspection that would
// multiply the schema is refused before execution: aliases of __schema,
// too many __type fields, lists nested through type references (also
// through fragments), and aliases below __schema, which fragments would
// multiply; while a long ofType chain, which costs one object per level,
// runs.
func TestAbusiveIntrospectionIsRefused(t *testing.T) {
	s := newTestServer(t)
	viewer := s.token(t, s.tenant(t), "tooling", tenancy.Viewer)
	refused := map[string]string{
		"two aliases of __schema": `{ a: __schema { types { name } } b: __schema { types { name } } }`,
		"eleven __type fields":    "{ " + aliases(11, `__type(name: "Query") { name }`) + " }",
		"aliases through fragments": `{ __schema { types { fields { type { ...A } } } } }
			fragment A on __Type { a: ofType { ...B } b: ofType { ...B } }
			fragment B on __Type { a: ofType { ...C } b: ofType { ...C } }
			fragment C on __Type { a: ofType { name } b: ofType { name } }`,
		"__schema aliased in a fragment": `{ __schema { queryType { name } } ...F } fragment F on Query { s: __schema { queryType { name } } }`,
	}
	for name, query := range refused {
		t.Run(name, func(t *testing.T) {
			status, resp := s.post(t, viewer, query, nil)
			refusedBeforeExecution(t, status, http.StatusOK, resp, "INTROSPECTION_LIMIT_EXCEEDED", "")
		})
	}
	// Lists nested three deep are refused by validation.
	chains := map[string]string{
		"a __type chain":      `{ __type(name: "Query") { fields { type { fields { type { fields { name } } } } } } }`,
		"a chain in __schema": `{ __schema { types { fields { type { interfaces { possibleTypes { name } } } } } } }`,
		"a chain through fragments": `{ __schema { types { ...A } } }
			fragment A on __Type { fields { type { ...B } } }
			fragment B on __Type { ofType { ...C } }
			fragment C on __Type { inputFields { type { ...D } } }
			fragment D on __Type { possibleTypes { name } }`,
	}
	for name, query := range chains {
		t.Run(name, func(t *testing.T) {
			status, resp := s.post(t, viewer, query, nil)
			refusedBeforeExecution(t, status, http.StatusOK, resp, "GRAPHQL_VALIDATION_FAILED", "Maximum introspection depth exceeded")
		})
	}

	// Ten __type fields, and an ofType chain far deeper than the depth
	// limit: each level is one object, null past the last wrapper.
	var types map[string]struct{ Name string }
	s.mustData(t, viewer, "{ "+aliases(10, `__type(name: "Query") { name }`)+" }", nil, &types)
	if len(types) != 10 || types["a9"].Name != "Query" {
		t.Fatalf("ten __type fields: %v", types)
	}
	chain := `{ __type(name: "Query") { fields { type { ` + strings.Repeat("ofType { ", 40) + "name" + strings.Repeat(" }", 40) + ` } } } }`
	var deep struct{ Type json.RawMessage }
	s.mustData(t, viewer, chain, nil, &deep)

	// Depth still counts every other field, in and out of introspection.
	status, resp := s.post(t, viewer, `{ __schema { types { fields { type { ofType { fields { args { type { fields { type { ofType { name } } } } } } } } } } } }`, nil)
	if status != http.StatusOK || len(resp.Errors) != 1 {
		t.Fatalf("a deep chain: status %d, errors %+v", status, resp.Errors)
	}
}

// TestGraphQLOverHTTPStatus checks the answers the GraphQL-over-HTTP
// specification asks for to requests that fail before execution: HTTP 200
// with the errors under application/json; HTTP 400 and no data entry under
// application/graphql-response+json; HTTP 400 for a request without a query.
func TestGraphQLOverHTTPStatus(t *testing.T) {
	s := newTestServer(t)
	viewer := s.token(t, s.tenant(t), "tooling", tenancy.Viewer)
	cases := []struct {
		name, body string
		code       string
	}{
		{"parse failure", `{"query": "{"}`, "GRAPHQL_PARSE_FAILED"},
		{"validation failure", `{"query": "{ noSuchField }"}`, "GRAPHQL_VALIDATION_FAILED"},
		{"variable coercion failure", `{"query": "query($id: ID!) { item(id: $id) { id } }", "variables": {"id": {"not": "an id"}}}`, "GRAPHQL_VALIDATION_FAILED"},
	}
	for _, c := range cases {
		for _, accept := range []string{"application/json", "application/graphql-response+json"} {
			t.Run(c.name+" "+accept, func(t *testing.T) {
				h := http.Header{"Content-Type": {"application/json"}, "Accept": {accept}, "Authorization": {"Bearer " + viewer}}
				status, header, raw := s.send(t, http.MethodPost, "/graphql", h, []byte(c.body))
				var body map[string]json.RawMessage
				if err := json.Unmarshal(raw, &body); err != nil {
					t.Fatalf("body %s: %v", raw, err)
				}
				if ct := header.Get("Content-Type"); !strings.HasPrefix(ct, accept) {
					t.Errorf("Content-Type %q, want %s", ct, accept)
				}
				if !strings.Contains(string(body["errors"]), c.code) {
					t.Errorf("errors %s, want %s", body["errors"], c.code)
				}
				wantStatus := http.StatusOK
				if accept != "application/json" {
					wantStatus = http.StatusBadRequest
					if _, ok := body["data"]; ok {
						t.Errorf("a response under %s has a data entry: %s", accept, raw)
					}
				}
				if status != wantStatus {
					t.Errorf("status %d, want %d", status, wantStatus)
				}
			})
		}
	}
	h := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + viewer}}
	status, _, raw := s.send(t, http.MethodPost, "/graphql", h, []byte(`{"qeury": "{ __typename }"}`))
	if status != http.StatusBadRequest || !strings.Contains(string(raw), `"BAD_REQUEST"`) {
		t.Errorf("no query: status %d, body %s", status, raw)
	}
	// A good request still streams through untouched.
	status, _, raw = s.send(t, http.MethodPost, "/graphql", h, []byte(`{"query": "{ __typename }"}`))
	if status != http.StatusOK || string(raw) != `{"data":{"__typename":"Query"}}` {
		t.Errorf("a good request: status %d, body %s", status, raw)
	}
}

// TestAutomaticPersistedQueries checks gqlgen's APQ as Apollo's clients use
// it: a hash alone is PERSISTED_QUERY_NOT_FOUND until the query has been sent
// once with it, then the hash alone runs the query, over POST and GET; a hash
// that does not match its query is refused.
func TestAutomaticPersistedQueries(t *testing.T) {
	s := newTestServer(t)
	tenant := s.tenant(t)
	viewer := s.token(t, tenant, "tooling", tenancy.Viewer)
	query := fmt.Sprintf(`{ tenantSettings { tenantId } } # %s`, t.Name())
	sum := sha256.Sum256([]byte(query))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	post := func(body map[string]any) (int, string) {
		raw, _ := json.Marshal(body)
		h := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + viewer}}
		status, _, out := s.send(t, http.MethodPost, "/graphql", h, raw)
		return status, string(out)
	}

	if _, out := post(map[string]any{"extensions": ext}); !strings.Contains(out, "PERSISTED_QUERY_NOT_FOUND") {
		t.Fatalf("an unknown hash: %s", out)
	}
	if _, out := post(map[string]any{"query": query, "extensions": ext}); !strings.Contains(out, tenant) {
		t.Fatalf("the query with its hash: %s", out)
	}
	if status, out := post(map[string]any{"extensions": ext}); status != http.StatusOK || !strings.Contains(out, tenant) {
		t.Fatalf("the hash alone: %d %s", status, out)
	}
	extJSON, _ := json.Marshal(ext)
	h := http.Header{"Authorization": {"Bearer " + viewer}}
	status, _, raw := s.send(t, http.MethodGet, "/graphql?extensions="+url.QueryEscape(string(extJSON)), h, nil)
	if status != http.StatusOK || !strings.Contains(string(raw), tenant) {
		t.Fatalf("the hash alone over GET: %d %s", status, raw)
	}
	bad := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": strings.Repeat("0", 64)}}
	if _, out := post(map[string]any{"query": query, "extensions": bad}); !strings.Contains(out, "hash does not match") {
		t.Fatalf("a wrong hash: %s", out)
	}
}

// TestGraphQLOverHTTPAudit runs the audit of the npm package graphql-http
// against the real server and requires every audit to pass: no error, no
// warning, no notice.
func TestGraphQLOverHTTPAudit(t *testing.T) {
	s := newTestServer(t)
	viewer := s.token(t, s.tenant(t), "tooling", tenancy.Viewer)
	out, err := tooling.Node(t, "audit.mjs", s.URL+"/graphql", viewer).CombinedOutput()
	if err != nil {
		t.Fatalf("the graphql-http audit did not pass (%v):\n%s", err, out)
	}
	t.Logf("%s", out[max(0, strings.LastIndex(string(out), "\n\n")):])
}
