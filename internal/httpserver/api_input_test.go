package httpserver_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/inventory-backbone/inventory/tenancy"
)

// TestInvalidUTF8IsRefused checks finding 2 of issue 15: a body or a query
// string that is not valid UTF-8, or that escapes a lone surrogate or NUL, is
// refused with 400 and BAD_REQUEST, and nothing is stored altered (before,
// the bytes ff fe became two U+FFFD and the sku was created).
func TestInvalidUTF8IsRefused(t *testing.T) {
	s := newTestServer(t)
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "alice", tenancy.Admin)
	h := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + admin}}
	create := `{"query":"mutation($sku: String!) { createItem(input: {sku: $sku, name: \"x\"}) { item { id } userErrors { code } } }","variables":{"sku":"%s"}}`
	for name, sku := range map[string]string{
		"raw bytes ff fe":         "A\xff\xfe",
		"a lone high surrogate":   `A\ud800`,
		"a lone low surrogate":    `A\udcff`,
		"a high surrogate, twice": `A\ud800\ud800`,
		"an escaped NUL":          `A\u0000`,
	} {
		status, _, body := s.send(t, http.MethodPost, "/graphql", h, []byte(strings.Replace(create, "%s", sku, 1)))
		if status != http.StatusBadRequest || !bytes.Contains(body, []byte("BAD_REQUEST")) {
			t.Errorf("%s: %d %s, want 400 BAD_REQUEST", name, status, body)
		}
	}
	// A valid surrogate pair is a character like any other.
	status, _, body := s.send(t, http.MethodPost, "/graphql", h, []byte(strings.Replace(create, "%s", `A\ud83d\ude00`, 1)))
	if status != http.StatusOK || !bytes.Contains(body, []byte(`"userErrors":[]`)) {
		t.Errorf("a surrogate pair: %d %s, want the item created", status, body)
	}
	// A GET whose query string is not UTF-8.
	q := url.Values{"query": {"{ item(sku: \"A\xff\") { id } }"}}
	status, _, body = s.send(t, http.MethodGet, "/graphql?"+q.Encode(), http.Header{"Authorization": {"Bearer " + admin}}, nil)
	if status != http.StatusBadRequest || !bytes.Contains(body, []byte("UTF-8")) {
		t.Errorf("GET with invalid UTF-8: %d %s, want 400 saying UTF-8", status, body)
	}
	var items struct {
		Items struct{ Nodes []struct{ SKU string } }
	}
	s.mustData(t, admin, `{ items { nodes { sku } } }`, nil, &items)
	if len(items.Items.Nodes) != 1 {
		t.Errorf("items stored: %+v, want only the surrogate pair's", items.Items.Nodes)
	}
}

// TestErrorsDoNotEchoTheRequest checks finding 3 of issue 15: an error names
// the problem without repeating the request (before, a JSON-array batch of
// 1,000 operations answered 217 KB, the body again).
func TestErrorsDoNotEchoTheRequest(t *testing.T) {
	s := newTestServer(t)
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "alice", tenancy.Admin)
	h := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + admin}}
	op := `{"query":"mutation { shipStock(input: {itemId: \"00000000-0000-0000-0000-000000000000\", locationId: \"00000000-0000-0000-0000-000000000000\", quantity: 1}) { userErrors { code } } }"}`
	batch := "[" + strings.Repeat(op+",", 999) + op + "]"
	long := strings.Repeat("x", 100_000)
	for name, body := range map[string]string{
		"a batch of 1,000":             batch,
		"invalid JSON":                 batch[:len(batch)-1],
		"a query that is not a string": `{"query": ["` + long + `"]}`,
		"an enum variable of 100 KB":   `{"query":"query($k: AlertKind) { alerts(kind: $k) { nodes { id } } }","variables":{"k":"` + long + `"}}`,
		"a time variable of 100 KB":    `{"query":"mutation($t: Time) { reserveStock(input: {itemId: \"x\", locationId: \"y\", quantity: 1, expiresAt: $t}) { userErrors { code } } }","variables":{"t":"` + long + `"}}`,
	} {
		status, _, raw := s.send(t, http.MethodPost, "/graphql", h, []byte(body))
		if status == http.StatusOK && !bytes.Contains(raw, []byte(`"errors"`)) {
			t.Errorf("%s: %d %s, want an error", name, status, raw)
		}
		if len(raw) > 1_000 {
			t.Errorf("%s: the answer is %d bytes (%.200s…), want under 1,000", name, len(raw), raw)
		}
	}
}

// TestMultipartRequestsAreChecked checks that a GraphQL multipart request (a
// file upload) is held to the same rule for its operations field, and that
// its files, which are not the check's to judge, pass through it: a CSV
// import's parser checks its own encoding.
func TestMultipartRequestsAreChecked(t *testing.T) {
	s := newTestServer(t)
	admin := s.token(t, s.tenant(t), "alice", tenancy.Admin)
	upload := func(operations, file string) (int, []byte) {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		_ = w.WriteField("operations", operations)
		_ = w.WriteField("map", `{"0":["variables.file"]}`)
		part, _ := w.CreateFormFile("0", "items.csv")
		_, _ = part.Write([]byte(file))
		_ = w.Close()
		h := http.Header{"Content-Type": {w.FormDataContentType()}, "Authorization": {"Bearer " + admin}}
		status, _, answer := s.send(t, http.MethodPost, "/graphql", h, body.Bytes())
		return status, answer
	}
	ops := `{"query":"mutation($file: Upload!, $note: String) { importItems(file: $file, note: $note) { id } }","variables":{"file":null,"note":"%s"}}`
	status, answer := upload(strings.Replace(ops, "%s", "A\xff\xfe", 1), "sku,name\n")
	if status != http.StatusBadRequest || !bytes.Contains(answer, []byte("BAD_REQUEST")) || !bytes.Contains(answer, []byte("operations")) {
		t.Errorf("operations with invalid UTF-8: %d %s, want 400 BAD_REQUEST naming the operations field", status, answer)
	}
	status, answer = upload(strings.Replace(ops, "%s", "fine", 1), "sku,name\nA\xff\xfe,x\n")
	if status == http.StatusBadRequest && bytes.Contains(answer, []byte("BAD_REQUEST")) {
		t.Errorf("a file with bytes that are not UTF-8 was refused by the request check: %d %s", status, answer)
	}
}
