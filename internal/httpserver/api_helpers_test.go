package httpserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/httpserver"
)

// lockedBuffer is a bytes.Buffer that the server's goroutines and the test
// may use at once.
type lockedBuffer = httpserver.LockedBuffer

// send makes a raw HTTP request to the server and returns the status, the
// response headers and the body.
func (s *testServer) send(tb testing.TB, method, path string, header http.Header, body []byte) (int, http.Header, []byte) {
	tb.Helper()
	req, err := http.NewRequest(method, s.URL+path, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := s.client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp.StatusCode, resp.Header, raw
}

// postRaw sends a GraphQL request like post and also returns the raw body.
func (s *testServer) postRaw(tb testing.TB, token, query string, vars map[string]any) (int, *gqlResponse, []byte) {
	tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	h := http.Header{"Content-Type": {"application/json"}}
	if token != "" {
		h.Set("Authorization", "Bearer "+token)
	}
	status, _, raw := s.send(tb, http.MethodPost, "/graphql", h, body)
	var out gqlResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		tb.Fatalf("status %d, body %q is not JSON: %v", status, raw, err)
	}
	return status, &out, raw
}

// signed signs claims with a method and a key.
func signed(tb testing.TB, m jwt.SigningMethod, key any, c jwt.MapClaims) string {
	tb.Helper()
	tok, err := jwt.NewWithClaims(m, c).SignedString(key)
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

// claimsFor returns valid claims for a tenant, a subject and roles, valid for
// an hour.
func claimsFor(tenantID, sub string, roles ...string) jwt.MapClaims {
	if roles == nil {
		roles = []string{}
	}
	now := time.Now()
	return jwt.MapClaims{"sub": sub, "tenant_id": tenantID, "roles": roles,
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
}

// ledgerState counts what a tenant has in the database, read through the
// owner pool (not through the service) with the tenant set, so that it holds
// whether or not the owner is subject to row-level security.
type ledgerState struct {
	Items, Locations, Movements, Levels, Events, Keys int
	// Available sums the available stock of every level.
	Available int64
}

func (s *testServer) ledger(tb testing.TB, tenantID string) ledgerState {
	tb.Helper()
	var st ledgerState
	ctx := context.Background()
	err := pgx.BeginFunc(ctx, s.db.Owner, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", tenantID); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT
			(SELECT count(*) FROM items WHERE tenant_id = $1),
			(SELECT count(*) FROM locations WHERE tenant_id = $1),
			(SELECT count(*) FROM movements WHERE tenant_id = $1),
			(SELECT count(*) FROM stock_levels WHERE tenant_id = $1),
			(SELECT count(*) FROM events WHERE tenant_id = $1 AND kind NOT LIKE 'item.%' AND kind NOT LIKE 'location.%' AND kind NOT LIKE 'import.%'),
			(SELECT count(*) FROM idempotency_keys WHERE tenant_id = $1),
			(SELECT coalesce(sum(available), 0)::bigint FROM stock_levels WHERE tenant_id = $1)`, tenantID).
			Scan(&st.Items, &st.Locations, &st.Movements, &st.Levels, &st.Events, &st.Keys, &st.Available)
	})
	if err != nil {
		tb.Fatalf("read ledger: %v", err)
	}
	return st
}

// checkLedger asserts that every level of the tenant equals the sum of its
// ledger.
func (s *testServer) checkLedger(tb testing.TB, tenantID string) {
	tb.Helper()
	drifts, err := s.store.CheckLedger(context.Background(), domain.Scope{TenantID: tenantID, Actor: "test"})
	if err != nil {
		tb.Fatal(err)
	}
	for _, d := range drifts {
		tb.Errorf("drift at item %s location %s: ledger %+v, projection %+v", d.Ledger.ItemID, d.Ledger.LocationID, d.Ledger, d.Projection)
	}
}

// ref is an object reference in a response: just its id.
type ref struct{ ID string }

// apiLevel is a StockLevel as the API returns it.
type apiLevel struct {
	Item, Location                                                 ref
	OnHand, Available, Reserved, Damaged, QualityControl, Incoming int64
	Version                                                        int64
	UpdatedAt                                                      time.Time
}

// figures are a level's numbers, for exact comparison.
type figures struct{ OnHand, Available, Reserved, Damaged, QualityControl, Incoming, Version int64 }

func (l apiLevel) figures() figures {
	return figures{l.OnHand, l.Available, l.Reserved, l.Damaged, l.QualityControl, l.Incoming, l.Version}
}

// apiMovement is a Movement as the API returns it.
type apiMovement struct {
	ID, OperationID, Kind string
	Item, Location        ref
	ToLocation            *ref
	Quantity              int64
	FromState, ToState    *string
	Reason, Reference     *string
	Actor                 string
	CreatedAt             time.Time
}

// apiUserError is a UserError as the API returns it.
type apiUserError struct {
	Field   []string
	Message string
	Code    string
}

// apiChange is a StockChangePayload as the API returns it.
type apiChange struct {
	Movements   []apiMovement
	StockLevels []apiLevel
	UserErrors  []apiUserError
}

// levelFields selects a level's figures; levelTimeFields adds updatedAt.
const levelFields = `item { id } location { id } onHand available reserved damaged qualityControl incoming version`

const levelTimeFields = levelFields + ` updatedAt`

const movementFields = `id operationId kind item { id } location { id } toLocation { id } quantity fromState toState reason reference actor createdAt`

const changeFields = `movements { ` + movementFields + ` } stockLevels { ` + levelTimeFields + ` } userErrors { field message code }`

// stockMutation returns the document of a stock mutation that takes its
// input as $in and selects the whole payload.
func stockMutation(op string) string {
	return fmt.Sprintf(`mutation($in: %s%sInput!) { %s(input: $in) { %s } }`,
		strings.ToUpper(op[:1]), op[1:], op, changeFields)
}

// change runs a stock mutation (e.g. "shipStock") with the input and returns
// its payload. The request must succeed at the GraphQL level; business
// failures are in the payload's UserErrors.
func (s *testServer) change(tb testing.TB, token, op string, in map[string]any) apiChange {
	tb.Helper()
	var out map[string]apiChange
	s.mustData(tb, token, stockMutation(op), map[string]any{"in": in}, &out)
	return out[op]
}

// mutate runs a stock mutation (e.g. "shipStock") with the input over HTTP
// and returns its payload. It returns an error rather than failing the test,
// so that any goroutine may call it; a user error is an error.
func (s *testServer) mutate(token, op string, in map[string]any) (apiChange, error) {
	body, _ := json.Marshal(map[string]any{"query": stockMutation(op), "variables": map[string]any{"in": in}})
	req, err := http.NewRequest(http.MethodPost, s.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		return apiChange{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := s.client.Do(req)
	if err != nil {
		return apiChange{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return apiChange{}, fmt.Errorf("%s: status %d: %w", op, resp.StatusCode, err)
	}
	var out struct {
		Data   map[string]*apiChange
		Errors []json.RawMessage
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return apiChange{}, fmt.Errorf("%s: status %d, body %q: %w", op, resp.StatusCode, raw, err)
	}
	c := out.Data[op]
	if resp.StatusCode != http.StatusOK || len(out.Errors) > 0 || c == nil || len(c.UserErrors) > 0 {
		return apiChange{}, fmt.Errorf("%s: status %d, body %s", op, resp.StatusCode, raw)
	}
	return *c, nil
}

// mustChange is mutate for the test goroutine: the mutation must succeed
// without user errors.
func (s *testServer) mustChange(tb testing.TB, token, op string, in map[string]any) apiChange {
	tb.Helper()
	c, err := s.mutate(token, op, in)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// level reads a stock level through the API.
func (s *testServer) level(tb testing.TB, token, itemID, locationID string) apiLevel {
	tb.Helper()
	return s.levelWith(tb, token, itemID, locationID, levelFields)
}

// levelWith reads a stock level through the API, selecting fields.
func (s *testServer) levelWith(tb testing.TB, token, itemID, locationID, fields string) apiLevel {
	tb.Helper()
	var out struct{ StockLevel apiLevel }
	s.mustData(tb, token, `query($i: ID!, $l: ID!) { stockLevel(itemId: $i, locationId: $l) { `+fields+` } }`,
		map[string]any{"i": itemID, "l": locationID}, &out)
	return out.StockLevel
}

// apiPageInfo is a connection's pageInfo.
type apiPageInfo struct {
	HasNextPage bool
	EndCursor   *string
}

// movementPage is one page of the movements connection.
type movementPage struct {
	Edges []struct {
		Cursor string
		Node   apiMovement
	}
	Nodes    []apiMovement
	PageInfo apiPageInfo
}

// movements lists the ledger through the API with the given arguments.
func (s *testServer) movements(tb testing.TB, token string, args map[string]any) movementPage {
	tb.Helper()
	var out struct{ Movements movementPage }
	s.mustData(tb, token, `query($item: ID, $location: ID, $first: Int, $after: String) {
		movements(itemId: $item, locationId: $location, first: $first, after: $after) {
			edges { cursor node { id } } nodes { `+movementFields+` } pageInfo { hasNextPage endCursor } } }`, args, &out)
	return out.Movements
}

// kinds lists the kind and quantity of each movement, e.g. "SHIPMENT 3".
func kinds(ms []apiMovement) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = fmt.Sprintf("%s %d", m.Kind, m.Quantity)
	}
	return out
}

// userErr summarises user errors as "CODE input.field" strings.
func userErr(errs []apiUserError) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = e.Code + " " + strings.Join(e.Field, ".")
	}
	return out
}

// newID returns a well-formed id that names nothing.
func newID() string { return uuid.NewString() }

// str returns a pointer to s, for optional fields.
func str(s string) *string { return &s }

// deref returns the string p points to, or "" for nil. It takes named
// string types too, such as domain.State.
func deref[T ~string](p *T) string {
	if p == nil {
		return ""
	}
	return string(*p)
}
