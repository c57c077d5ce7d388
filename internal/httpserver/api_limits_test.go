package httpserver_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/inventory-backbone/inventory/internal/httpserver"
)

// heavyShip is a shipStock selection whose cost, under the schema's cost
// model (an item's stockLevels count ten times), is about 1,200: well under
// the limit alone, over it five times over.
const heavyShip = `shipStock(input: $in) { userErrors { code }
	stockLevels { item { stockLevels { item { stockLevels { item { stockLevels { onHand } } } } } } } }`

// aliases repeats a root selection n times under distinct aliases.
func aliases(n int, selection string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "a%d: %s\n", i, selection)
	}
	return b.String()
}

// refusedBeforeExecution checks a response that must carry exactly one
// error, with the code, whose message contains fragment, and no data at all.
func refusedBeforeExecution(t *testing.T, status, wantStatus int, resp *gqlResponse, code, fragment string) {
	t.Helper()
	if status != wantStatus {
		t.Errorf("status %d, want %d", status, wantStatus)
	}
	if !slices.Equal(resp.errorCodes(), []string{code}) {
		t.Fatalf("errors %+v, want one %s", resp.Errors, code)
	}
	if !strings.Contains(resp.Errors[0].Message, fragment) {
		t.Errorf("message %q does not say %q", resp.Errors[0].Message, fragment)
	}
	if len(resp.Data) != 0 && string(resp.Data) != "null" {
		t.Errorf("a refused operation has data %s", resp.Data)
	}
}

// TestComplexityLimitCountsAliases checks that the cost limit adds up
// aliases: one costly shipStock runs, 40 aliases of it are refused before
// any of them executes, and nothing is written.
func TestComplexityLimitCountsAliases(t *testing.T) {
	b := setupStock(t, "A")
	s := b.s
	s.mustChange(t, b.admin, "receiveStock", b.in(0, "quantity", 10))
	vars := map[string]any{"in": b.in(0, "quantity", 1)}

	var one map[string]struct{ UserErrors []apiUserError }
	s.mustData(t, b.admin, `mutation($in: ShipStockInput!) { `+aliases(1, heavyShip)+` }`, vars, &one)
	if len(one["a0"].UserErrors) != 0 {
		t.Fatalf("one costly shipStock: %+v", one)
	}
	before := s.ledger(t, b.tenant)

	status, resp := s.post(t, b.admin, `mutation($in: ShipStockInput!) { `+aliases(40, heavyShip)+` }`, vars)
	refusedBeforeExecution(t, status, http.StatusOK, resp, "COMPLEXITY_LIMIT_EXCEEDED", "exceeds the limit of 5000")
	if after := s.ledger(t, b.tenant); after != before {
		t.Fatalf("a refused operation wrote: before %+v, after %+v", before, after)
	}
	if got := s.level(t, b.admin, b.item, b.locs[0]).figures(); got != (figures{OnHand: 9, Available: 9, Version: 2}) {
		t.Fatalf("level = %+v, want only the single shipment applied", got)
	}
}

// TestComplexityLimitOnNestedLists checks that a page of 250 items, each with
// its levels and their items' levels, is refused before it runs, while the
// same shape over one item runs.
func TestComplexityLimitOnNestedLists(t *testing.T) {
	b := setupStock(t, "A")
	s := b.s
	s.mustChange(t, b.admin, "receiveStock", b.in(0, "quantity", 1))
	const shape = `{ nodes { sku stockLevels { item { stockLevels { onHand } } } } } }`

	status, resp := s.post(t, b.admin, `{ items(first: 250) `+shape, nil)
	refusedBeforeExecution(t, status, http.StatusOK, resp, "COMPLEXITY_LIMIT_EXCEEDED", "exceeds the limit of 5000")

	var out struct {
		Items struct{ Nodes []struct{ SKU string } }
	}
	s.mustData(t, b.admin, `{ items(first: 1) `+shape, nil, &out)
	if len(out.Items.Nodes) != 1 || out.Items.Nodes[0].SKU != "SKU-1" {
		t.Fatalf("items(first: 1) = %+v", out)
	}
}

// nested returns a query whose selections nest 12 levels deep, or 13 with
// edges { node } in place of nodes, within the cost limit: movements > nodes
// > item > stockLevels > item > ... > location > id. (Introspection's ofType
// adds no depth, so it cannot measure the limit.)
func nested(depth int) string {
	page := "nodes { "
	if depth == 13 {
		page = "edges { node { "
	}
	chain := "item { stockLevels { item { stockLevels { item { stockLevels { item { stockLevels { location { id } } } } } } } } } "
	return "{ movements(first: 1) { " + page + chain + strings.Repeat("} ", strings.Count(page, "{")) + "} }"
}

// TestDepthLimit checks that an operation nested deeper than 12 levels is
// refused before execution, also when the depth hides in a fragment, and that
// one at the limit runs.
func TestDepthLimit(t *testing.T) {
	b := setupStock(t, "A")
	s := b.s

	status, resp := s.post(t, b.admin, nested(12), nil)
	if status != http.StatusOK || len(resp.Errors) != 0 || !strings.Contains(string(resp.Data), `"movements"`) {
		t.Fatalf("12 levels: status %d, errors %+v", status, resp.Errors)
	}
	status, resp = s.post(t, b.admin, nested(13), nil)
	refusedBeforeExecution(t, status, http.StatusOK, resp, "DEPTH_LIMIT_EXCEEDED", "limit of 12")

	const viaFragment = `{ movements(first: 1) { ...Deep } }
		fragment Deep on MovementConnection { edges { node { item { stockLevels { item { stockLevels { item { stockLevels {
			item { stockLevels { location { id } } } } } } } } } } } }`
	status, resp = s.post(t, b.admin, viaFragment, nil)
	refusedBeforeExecution(t, status, http.StatusOK, resp, "DEPTH_LIMIT_EXCEEDED", "limit of 12")

	// A mutation nested too deep is refused before it writes.
	s.mustChange(t, b.admin, "receiveStock", b.in(0, "quantity", 5))
	before := s.ledger(t, b.tenant)
	deep := `mutation($in: ShipStockInput!) { shipStock(input: $in) { stockLevels { item { stockLevels { item { stockLevels {
		item { stockLevels { item { stockLevels { item { stockLevels { item { id } } } } } } } } } } } } } }`
	status, resp = s.post(t, b.admin, deep, map[string]any{"in": b.in(0, "quantity", 1)})
	refusedBeforeExecution(t, status, http.StatusOK, resp, "DEPTH_LIMIT_EXCEEDED", "limit of 12")
	if after := s.ledger(t, b.tenant); after != before {
		t.Fatalf("a refused mutation wrote: before %+v, after %+v", before, after)
	}
}

// TestParserTokenLimit checks that a document of more than 5,000 tokens is
// refused by the parser, before validation or execution, and that a large
// document under the limit runs.
func TestParserTokenLimit(t *testing.T) {
	b := setupStock(t, "A")
	s := b.s

	// 500 distinct aliases of __typename (1,502 tokens) are as wide as a
	// selection set may be.
	aliases := func(n int) string {
		var many strings.Builder
		for i := range n {
			fmt.Fprintf(&many, "t%d: __typename ", i)
		}
		return "{ " + many.String() + "}"
	}
	var out map[string]string
	s.mustData(t, b.admin, aliases(httpserver.MaxFields), nil, &out)
	if len(out) != httpserver.MaxFields || out["t0"] != "Query" || out["t499"] != "Query" {
		t.Fatalf("%d aliases: %d fields", httpserver.MaxFields, len(out))
	}
	status, resp := s.post(t, b.admin, aliases(httpserver.MaxFields+1), nil)
	if codes := resp.errorCodes(); len(codes) != 1 || codes[0] != "SELECTION_LIMIT_EXCEEDED" || resp.Data != nil && string(resp.Data) != "null" {
		t.Fatalf("%d aliases: status %d, codes %v, data %s", httpserver.MaxFields+1, status, codes, resp.Data)
	}

	// A parse failure is HTTP 200 under application/json, as the
	// GraphQL-over-HTTP specification asks (see TestGraphQLOverHTTPStatus).
	status, resp = s.post(t, b.admin, "{ "+strings.Repeat("__typename ", 5_001)+"}", nil)
	refusedBeforeExecution(t, status, http.StatusOK, resp, "GRAPHQL_PARSE_FAILED", "exceeded token limit of 5000")

	// A mutation padded past the limit writes nothing.
	padded := `mutation($in: ReceiveStockInput!) { receiveStock(input: $in) { userErrors { code } ` + strings.Repeat("__typename ", 5_000) + `} }`
	status, resp = s.post(t, b.admin, padded, map[string]any{"in": b.in(0, "quantity", 1)})
	refusedBeforeExecution(t, status, http.StatusOK, resp, "GRAPHQL_PARSE_FAILED", "exceeded token limit of 5000")
	if st := s.ledger(t, b.tenant); st.Movements != 0 {
		t.Fatalf("a refused mutation wrote %d movements", st.Movements)
	}
}

// TestBodySizeLimit checks that a request body over 512 KiB is refused with
// 413 and writes nothing, while one just under runs.
func TestBodySizeLimit(t *testing.T) {
	b := setupStock(t, "A")
	s := b.s
	const mutation = `mutation($in: ReceiveStockInput!) { receiveStock(input: $in) { userErrors { code } } }`
	body := func(size int) []byte {
		t.Helper()
		// Whitespace is no token: only the body's size grows.
		small, _ := json.Marshal(map[string]any{"query": mutation, "variables": map[string]any{"in": b.in(0, "quantity", 1)}})
		pad := size - len(small)
		raw, _ := json.Marshal(map[string]any{"query": mutation + strings.Repeat(" ", pad), "variables": map[string]any{"in": b.in(0, "quantity", 1)}})
		if len(raw) != size {
			t.Fatalf("built a body of %d bytes, want %d", len(raw), size)
		}
		return raw
	}
	h := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + b.admin}}

	status, _, raw := s.send(t, http.MethodPost, "/graphql", h, body(500<<10))
	if status != http.StatusOK || !strings.Contains(string(raw), `"userErrors":[]`) {
		t.Fatalf("a 500 KiB body: %d %.300s", status, raw)
	}
	if st := s.ledger(t, b.tenant); st.Movements != 1 {
		t.Fatalf("a 500 KiB body: %d movements, want 1", st.Movements)
	}

	status, _, raw = s.send(t, http.MethodPost, "/graphql", h, body(512<<10+1))
	if status != http.StatusRequestEntityTooLarge {
		t.Errorf("a body of 512 KiB + 1: status %d, want 413; body %.300s", status, raw)
	}
	if strings.Contains(string(raw), `"data"`) && !strings.Contains(string(raw), `"data":null`) {
		t.Errorf("a body over the limit ran: %.300s", raw)
	}
	if st := s.ledger(t, b.tenant); st.Movements != 1 {
		t.Fatalf("a body over the limit wrote: %d movements, want 1", st.Movements)
	}
}

// TestPageSizeLimit checks that first above 250 or below 0 is a VALIDATION
// error on the list field, and 250 is accepted.
func TestPageSizeLimit(t *testing.T) {
	b := setupStock(t, "A")
	s := b.s
	for _, field := range []string{"items", "locations", "movements"} {
		for _, first := range []int{1000, 251, -1} {
			status, resp := s.post(t, b.admin, fmt.Sprintf(`{ %s(first: %d) { nodes { id } } }`, field, first), nil)
			if status != http.StatusOK || !slices.Equal(resp.errorCodes(), []string{"VALIDATION"}) || string(resp.Data) != "null" {
				t.Errorf("%s(first: %d): status %d, codes %v, data %s", field, first, status, resp.errorCodes(), resp.Data)
				continue
			}
			if p := resp.Errors[0].Path; len(p) != 1 || p[0] != field {
				t.Errorf("%s(first: %d): error path %v", field, first, p)
			}
			if !strings.Contains(resp.Errors[0].Message, "250") {
				t.Errorf("%s(first: %d): message %q does not give the limit", field, first, resp.Errors[0].Message)
			}
		}
		var out map[string]struct{ Nodes []struct{ ID string } }
		s.mustData(t, b.admin, fmt.Sprintf(`{ %s(first: 250) { nodes { id } } }`, field), nil, &out)
	}
}

// TestWideQueryIsRefusedBeforeValidation checks that a flat query of
// thousands of fields, under the token limit, is refused before GraphQL
// validation (which compares a selection set's fields pairwise) can spend
// seconds on it.
func TestWideQueryIsRefusedBeforeValidation(t *testing.T) {
	b := setupStock(t, "A")
	s := b.s
	query := "{ " + strings.Repeat("__typename ", 4_990) + "}"
	status, resp := s.post(t, b.admin, query, nil)
	if codes := resp.errorCodes(); len(codes) != 1 || codes[0] != "SELECTION_LIMIT_EXCEEDED" {
		t.Fatalf("status %d, errors %+v", status, resp.Errors)
	}
}
