package httpserver_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/inventory-backbone/inventory/tenancy"
)

// TestCachedDocumentsKeepEveryCheck checks that the checks which read the
// cache of parsed and validated documents (SelectionLimit skips a query it
// holds; the sign-in check of authenticate reads its root fields from it)
// answer a query the same the first time and every time after: a refused
// query is refused again, a mutation that needs a token needs it again once
// it has run with one, and a sign-in mutation needs none once it is cached.
func TestCachedDocumentsKeepEveryCheck(t *testing.T) {
	s := newTestServer(t)
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "alice", tenancy.Admin)

	wide := "{ " + strings.Repeat("__typename ", 600) + "}"
	for i := range 2 {
		status, resp := s.post(t, admin, wide, nil)
		if codes := resp.errorCodes(); len(codes) != 1 || codes[0] != "SELECTION_LIMIT_EXCEEDED" {
			t.Fatalf("wide query, time %d: status %d, errors %+v", i+1, status, resp.Errors)
		}
	}

	// Under the limit, the same kind of query runs, from the cache the
	// second time.
	narrow := "{ " + strings.Repeat("__typename ", 400) + "}"
	for i := range 2 {
		if status, resp := s.post(t, admin, narrow, nil); status != http.StatusOK || len(resp.Errors) > 0 {
			t.Fatalf("narrow query, time %d: status %d, errors %+v", i+1, status, resp.Errors)
		}
	}

	// A mutation of sign-in fields only needs no token, the first time
	// (parsed) and the second (cached).
	public := `mutation Public { __typename }`
	for i := range 2 {
		if status, resp := s.post(t, "", public, nil); status != http.StatusOK || len(resp.Errors) > 0 {
			t.Fatalf("sign-in mutation without a token, time %d: status %d, errors %+v", i+1, status, resp.Errors)
		}
	}

	// A mutation with one field that needs a token is cached once it has
	// run with a token, and still needs one.
	mixed := `mutation Mixed { __typename createLocation(input: {code: "L-1", name: "One"}) { userErrors { code } } }`
	if status, resp := s.post(t, admin, mixed, nil); status != http.StatusOK || len(resp.Errors) > 0 {
		t.Fatalf("mixed mutation with a token: status %d, errors %+v", status, resp.Errors)
	}
	for i := range 2 {
		status, resp := s.post(t, "", mixed, nil)
		if codes := resp.errorCodes(); status != http.StatusUnauthorized || len(codes) != 1 || codes[0] != "UNAUTHENTICATED" {
			t.Fatalf("mixed mutation without a token, time %d: status %d, errors %+v", i+1, status, resp.Errors)
		}
	}
}
