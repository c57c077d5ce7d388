package httpserver_test

import (
	"bufio"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/inventory-backbone/inventory/graph"
	"github.com/inventory-backbone/inventory/tenancy"
)

// TestHealthAndReadiness checks /healthz and /readyz: 200 without a token
// while the database answers and the migrations are current.
func TestHealthAndReadiness(t *testing.T) {
	s := newTestServer(t)
	for path, want := range map[string]string{"/healthz": "ok\n", "/readyz": "ready\n"} {
		status, header, body := s.send(t, http.MethodGet, path, nil, nil)
		if status != http.StatusOK || string(body) != want || !strings.HasPrefix(header.Get("Content-Type"), "text/plain") {
			t.Errorf("GET %s: %d %q (%s), want 200 %q", path, status, body, header.Get("Content-Type"), want)
		}
	}
	// Only GET is served there.
	if status, _, _ := s.send(t, http.MethodPost, "/healthz", nil, nil); status != http.StatusMethodNotAllowed {
		t.Errorf("POST /healthz: %d, want 405", status)
	}
}

// metricValue returns the value of the sample whose name and labels are
// exactly series (e.g. `x_total{kind="RECEIPT"}`), and whether there is one.
func metricValue(t *testing.T, body, series string) (string, bool) {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(body))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), series+" "); ok {
			return v, true
		}
	}
	return "", false
}

// TestMetricsCountMovements checks /metrics: stock movements and operations
// are counted by kind and name once committed, a failed operation counts no
// movement, and HTTP requests and GraphQL fields are observed.
func TestMetricsCountMovements(t *testing.T) {
	b := setupStock(t, "A", "B")
	s := b.s
	s.mustChange(t, b.admin, "receiveStock", b.in(0, "quantity", 5))
	s.mustChange(t, b.admin, "receiveStock", b.in(0, "quantity", 5))
	s.mustChange(t, b.admin, "transferStock", map[string]any{"itemId": b.item, "fromLocationId": b.locs[0], "toLocationId": b.locs[1], "quantity": 2})
	if c := s.change(t, b.admin, "shipStock", b.in(0, "quantity", 100)); len(c.UserErrors) != 1 {
		t.Fatalf("an oversized shipment: %+v", c)
	}
	// A replay writes nothing and counts nothing.
	s.mustChange(t, b.admin, "receiveStock", b.in(1, "quantity", 1, "idempotencyKey", "m-1"))
	s.mustChange(t, b.admin, "receiveStock", b.in(1, "quantity", 1, "idempotencyKey", "m-1"))

	status, header, raw := s.send(t, http.MethodGet, "/metrics", nil, nil)
	if status != http.StatusOK || !strings.HasPrefix(header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics: %d %s", status, header.Get("Content-Type"))
	}
	body := string(raw)
	for series, want := range map[string]string{
		`inventory_stock_movements_total{kind="RECEIPT"}`:                                       "3",
		`inventory_stock_movements_total{kind="TRANSFER_OUT"}`:                                  "1",
		`inventory_stock_movements_total{kind="TRANSFER_IN"}`:                                   "1",
		`inventory_stock_operations_total{operation="receiveStock"}`:                            "3",
		`inventory_stock_operations_total{operation="transferStock"}`:                           "1",
		`inventory_graphql_operation_duration_seconds_count{operation="mutation.shipStock"}`:    "1",
		`inventory_graphql_operation_duration_seconds_count{operation="mutation.receiveStock"}`: "4",
	} {
		if got, ok := metricValue(t, body, series); !ok || got != want {
			t.Errorf("%s = %q (present %v), want %s", series, got, ok, want)
		}
	}
	for _, absent := range []string{`inventory_stock_movements_total{kind="SHIPMENT"}`, `inventory_stock_operations_total{operation="shipStock"}`} {
		if v, ok := metricValue(t, body, absent); ok {
			t.Errorf("%s = %s after only a failed shipment, want no sample", absent, v)
		}
	}
	if v, ok := metricValue(t, body, `inventory_http_request_duration_seconds_count{code="200",route="/graphql"}`); !ok || v == "0" {
		t.Errorf("HTTP requests to /graphql are not counted: %q", v)
	}
	if strings.Contains(body, b.admin) || strings.Contains(body, b.tenant) {
		t.Errorf("/metrics exposes a token or a tenant id")
	}
}

// TestGraphQLOverGET checks that GET /graphql runs a query with a token,
// refuses one without, and refuses a mutation without running it.
func TestGraphQLOverGET(t *testing.T) {
	b := setupStock(t, "A")
	s := b.s
	s.mustChange(t, b.admin, "receiveStock", b.in(0, "quantity", 4))
	auth := http.Header{"Authorization": {"Bearer " + b.admin}}
	get := func(query string, vars map[string]any, h http.Header) (int, []byte) {
		t.Helper()
		v := url.Values{"query": {query}}
		if vars != nil {
			raw, _ := json.Marshal(vars)
			v.Set("variables", string(raw))
		}
		status, _, body := s.send(t, http.MethodGet, "/graphql?"+v.Encode(), h, nil)
		return status, body
	}

	status, body := get(`query($i: ID!, $l: ID!) { stockLevel(itemId: $i, locationId: $l) { available } }`,
		map[string]any{"i": b.item, "l": b.locs[0]}, auth)
	if status != http.StatusOK || string(body) != `{"data":{"stockLevel":{"available":4}}}` {
		t.Fatalf("a query over GET: %d %s", status, body)
	}

	status, header, raw := s.send(t, http.MethodGet, "/graphql?"+url.Values{"query": {`{ items { nodes { id } } }`}}.Encode(), nil, nil)
	assertUnauthenticated(t, status, header, raw, "")

	before := s.ledger(t, b.tenant)
	status, body = get(stockMutation("shipStock"), map[string]any{"in": b.in(0, "quantity", 1)}, auth)
	if status == http.StatusOK || !strings.Contains(string(body), "only allow query") {
		t.Errorf("a mutation over GET: %d %s, want it refused", status, body)
	}
	if after := s.ledger(t, b.tenant); after != before {
		t.Fatalf("a mutation over GET wrote: before %+v, after %+v", before, after)
	}
}

// logLine is one structured request log line.
type logLine struct {
	Level     string  `json:"level"`
	Msg       string  `json:"msg"`
	RequestID string  `json:"request_id"`
	Method    string  `json:"method"`
	Path      string  `json:"path"`
	Status    int     `json:"status"`
	Duration  float64 `json:"duration_ms"`
	Tenant    string  `json:"tenant"`
	Subject   string  `json:"subject"`
	Operation string  `json:"operation"`
}

// TestLogsNeverContainTheToken checks the structured request log: one JSON
// line per request with its request id, tenant, subject and operation, and no
// trace of any token, whether the token was accepted or refused.
func TestLogsNeverContainTheToken(t *testing.T) {
	logs := &lockedBuffer{}
	s := newTestServerWith(t, serverOptions{logger: slog.New(slog.NewJSONHandler(logs, nil))})
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "alice", tenancy.Admin)
	item, locs := s.catalogue(t, admin, "SKU-LOG", "L")
	forged := signed(t, jwt.SigningMethodHS256, []byte("forged-key-forged-key-forged-key-!!"), claimsFor(tenant, "mallory", "admin"))
	unknown := signed(t, jwt.SigningMethodHS256, s.tokens.Key, claimsFor(newID(), "mallory", "admin"))

	requests := []struct {
		id, token, query, opName string
		vars                     map[string]any
		status                   int
	}{
		{"req-ship-1", admin, `mutation Receive($i: ID!, $l: ID!) { receiveStock(input: {itemId: $i, locationId: $l, quantity: 1}) { userErrors { code } } }`,
			"Receive", map[string]any{"i": item, "l": locs[0]}, http.StatusOK},
		{"req-query-2", admin, `{ items { nodes { id } } }`, "", nil, http.StatusOK},
		{"req-forged-3", forged, `{ items { nodes { id } } }`, "", nil, http.StatusUnauthorized},
		{"req-unknown-4", unknown, `{ items { nodes { id } } }`, "", nil, http.StatusUnauthorized},
	}
	for _, r := range requests {
		body, _ := json.Marshal(map[string]any{"query": r.query, "variables": r.vars, "operationName": r.opName})
		h := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + r.token}, "X-Request-Id": {r.id}}
		status, header, _ := s.send(t, http.MethodPost, "/graphql", h, body)
		if status != r.status || header.Get("X-Request-Id") != r.id {
			t.Fatalf("%s: status %d, X-Request-Id %q", r.id, status, header.Get("X-Request-Id"))
		}
	}

	// The log line is written as the handler returns; wait for the last.
	byID := map[string]logLine{}
	deadline := time.Now().Add(5 * time.Second)
	for {
		clear(byID)
		for line := range strings.SplitSeq(strings.TrimSpace(logs.String()), "\n") {
			var l logLine
			if err := json.Unmarshal([]byte(line), &l); err != nil {
				t.Fatalf("log line %q is not JSON: %v", line, err)
			}
			if l.Msg == "request" {
				byID[l.RequestID] = l
			}
		}
		if _, ok := byID["req-unknown-4"]; ok || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}

	want := map[string]logLine{
		"req-ship-1":    {Level: "INFO", Method: "POST", Path: "/graphql", Status: 200, Tenant: tenant, Subject: "alice", Operation: "Receive"},
		"req-query-2":   {Level: "INFO", Method: "POST", Path: "/graphql", Status: 200, Tenant: tenant, Subject: "alice", Operation: "query items"},
		"req-forged-3":  {Level: "INFO", Method: "POST", Path: "/graphql", Status: 401},
		"req-unknown-4": {Level: "INFO", Method: "POST", Path: "/graphql", Status: 401},
	}
	for id, w := range want {
		got, ok := byID[id]
		if !ok {
			t.Errorf("no log line for %s", id)
			continue
		}
		w.Msg, w.RequestID, w.Duration = "request", id, got.Duration
		if got != w {
			t.Errorf("log line for %s = %+v, want %+v", id, got, w)
		}
	}

	all := logs.String()
	for name, tok := range map[string]string{"admin": admin, "forged": forged, "unknown tenant": unknown} {
		parts := strings.Split(tok, ".")
		for i, part := range parts {
			if strings.Contains(all, part) {
				t.Errorf("the log holds part %d of the %s token", i, name)
			}
		}
	}
	if n := strings.Count(all, "\n"); n < len(requests) {
		t.Errorf("%d log lines for %d requests", n, len(requests))
	}
	if !slices.ContainsFunc(strings.Split(all, "\n"), func(l string) bool { return strings.Contains(l, `"tenant":"`+tenant+`"`) }) {
		t.Errorf("no log line names the tenant")
	}
}

// TestLogNamesTheDocumentsOperation checks that the request log names a
// named operation by its name even when the client does not repeat it in the
// request's operationName, as most clients sending one operation do not.
func TestLogNamesTheDocumentsOperation(t *testing.T) {
	logs := &lockedBuffer{}
	s := newTestServerWith(t, serverOptions{logger: slog.New(slog.NewJSONHandler(logs, nil))})
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "alice", tenancy.Admin)
	body, _ := json.Marshal(map[string]any{"query": `query CatalogueSync { items { nodes { id } } }`})
	h := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + admin}, "X-Request-Id": {"req-named"}}
	if status, _, raw := s.send(t, http.MethodPost, "/graphql", h, body); status != http.StatusOK {
		t.Fatalf("status %d: %s", status, raw)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		for line := range strings.SplitSeq(strings.TrimSpace(logs.String()), "\n") {
			var l logLine
			if json.Unmarshal([]byte(line), &l) == nil && l.RequestID == "req-named" {
				if l.Operation != "CatalogueSync" {
					t.Fatalf("operation = %q, want CatalogueSync", l.Operation)
				}
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("no log line for the request")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestCrossOriginRequests checks that a browser app on another origin may
// call the API: the preflight is answered without a token, and the answer to
// the real request carries the CORS headers.
func TestCrossOriginRequests(t *testing.T) {
	s := newTestServer(t)
	req, _ := http.NewRequest(http.MethodOptions, s.URL+"/graphql", nil)
	req.Header.Set("Origin", "https://shop.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 || resp.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Fatalf("preflight: status %d, headers %v", resp.StatusCode, resp.Header)
	}

	tenant := s.tenant(t)
	body := strings.NewReader(`{"query":"{ items { nodes { id } } }"}`)
	req, _ = http.NewRequest(http.MethodPost, s.URL+"/graphql", body)
	req.Header.Set("Origin", "https://shop.example")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.token(t, tenant, "shop", tenancy.Viewer))
	resp, err = s.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("request: status %d, headers %v", resp.StatusCode, resp.Header)
	}
}

// TestMetricsRouteLabels checks that HTTP requests are counted under the
// route they matched, a report download under its pattern rather than its
// path (so that report ids never become labels), and anything unmatched
// under "other".
func TestMetricsRouteLabels(t *testing.T) {
	s := newTestServer(t)
	tenant := s.tenant(t)
	auth := http.Header{"Authorization": {"Bearer " + s.token(t, tenant, "alice", tenancy.Viewer)}}
	id := newID()
	if status, _, body := s.send(t, http.MethodGet, graph.ReportDownloadPath(id), auth, nil); status != http.StatusNotFound {
		t.Fatalf("GET %s: %d %s, want 404", graph.ReportDownloadPath(id), status, body)
	}
	if status, _, _ := s.send(t, http.MethodGet, "/no-such-page", nil, nil); status != http.StatusNotFound {
		t.Fatalf("GET /no-such-page: %d, want 404", status)
	}
	if status, _, _ := s.send(t, http.MethodGet, "/healthz", nil, nil); status != http.StatusOK {
		t.Fatalf("GET /healthz: %d, want 200", status)
	}
	_, _, raw := s.send(t, http.MethodGet, "/metrics", nil, nil)
	body := string(raw)
	for series, want := range map[string]string{
		`inventory_http_request_duration_seconds_count{code="404",route="/reports/{id}/download"}`: "1",
		`inventory_http_request_duration_seconds_count{code="404",route="other"}`:                  "1",
		`inventory_http_request_duration_seconds_count{code="200",route="/healthz"}`:               "1",
	} {
		if got, ok := metricValue(t, body, series); !ok || got != want {
			t.Errorf("%s = %q (present %v), want %s", series, got, ok, want)
		}
	}
	if strings.Contains(body, id) {
		t.Errorf("/metrics labels a request with its report id")
	}
}
