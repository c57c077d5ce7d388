package httpserver_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
)

// authResult is an AuthPayload as the tests read it.
type authResult struct {
	AccessToken  string
	RefreshToken string
	ExpiresAt    string
	User         struct {
		ID    string
		Email string
		Roles []string
	}
	Tenant struct {
		ID   string
		Name string
	}
	UserErrors []apiUserError
}

const authFields = `accessToken refreshToken expiresAt user { id email roles } tenant { id name } userErrors { field message code }`

// authCall sends a sign-in mutation without a token and returns its payload,
// the HTTP response's headers and status.
func (s *testServer) authCall(tb testing.TB, field, query string, vars map[string]any, cookies ...*http.Cookie) (authResult, http.Header) {
	tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	h := http.Header{"Content-Type": {"application/json"}}
	for _, c := range cookies {
		h.Add("Cookie", c.String())
	}
	status, header, raw := s.send(tb, http.MethodPost, "/graphql", h, body)
	var resp struct {
		Data   map[string]authResult
		Errors []any
	}
	if err := json.Unmarshal(raw, &resp); err != nil || status != http.StatusOK || len(resp.Errors) > 0 {
		tb.Fatalf("%s: status %d, body %s", field, status, raw)
	}
	return resp.Data[field], header
}

func (s *testServer) signUp(tb testing.TB, email, password, business string) authResult {
	tb.Helper()
	r, _ := s.authCall(tb, "signUp", `mutation($e: String!, $p: String!, $b: String!) {
		signUp(input: {email: $e, password: $p, businessName: $b}) { `+authFields+` } }`,
		map[string]any{"e": email, "p": password, "b": business})
	return r
}

func (s *testServer) signIn(tb testing.TB, email, password string, tenantID ...string) (authResult, http.Header) {
	tb.Helper()
	vars := map[string]any{"e": email, "p": password}
	if len(tenantID) > 0 {
		vars["t"] = tenantID[0]
	}
	return s.authCall(tb, "signIn", `mutation($e: String!, $p: String!, $t: ID) {
		signIn(input: {email: $e, password: $p, tenantId: $t}) { `+authFields+` } }`, vars)
}

func (s *testServer) refresh(tb testing.TB, token string, cookies ...*http.Cookie) authResult {
	tb.Helper()
	vars := map[string]any{}
	if token != "" {
		vars["t"] = token
	}
	r, _ := s.authCall(tb, "refreshSession", `mutation($t: String) { refreshSession(input: {refreshToken: $t}) { `+authFields+` } }`,
		vars, cookies...)
	return r
}

func (s *testServer) accept(tb testing.TB, token, password string) authResult {
	tb.Helper()
	r, _ := s.authCall(tb, "acceptInvitation", `mutation($t: String!, $p: String) {
		acceptInvitation(input: {token: $t, password: $p}) { `+authFields+` } }`, map[string]any{"t": token, "p": password})
	return r
}

// invite invites an email with roles and returns the invitation's token.
func (s *testServer) invite(tb testing.TB, adminToken, email string, roles ...string) string {
	tb.Helper()
	var out struct {
		InviteUser struct {
			Invitation struct {
				AcceptURL string
				EmailSent bool
			}
			UserErrors []apiUserError
		}
	}
	s.mustData(tb, adminToken, `mutation($e: String!, $r: [Role!]!) { inviteUser(input: {email: $e, roles: $r}) {
		invitation { acceptUrl emailSent } userErrors { field message code } } }`, map[string]any{"e": email, "r": roles}, &out)
	if len(out.InviteUser.UserErrors) > 0 {
		tb.Fatalf("inviteUser: %+v", out.InviteUser.UserErrors)
	}
	return tokenOf(tb, out.InviteUser.Invitation.AcceptURL)
}

// tokenOf returns the token of an accept URL.
func tokenOf(tb testing.TB, acceptURL string) string {
	tb.Helper()
	u, err := url.Parse(acceptURL)
	if err != nil || u.Path != "/accept-invitation" || u.Query().Get("token") == "" {
		tb.Fatalf("acceptUrl %q is not <public URL>/accept-invitation?token=...", acceptURL)
	}
	return u.Query().Get("token")
}

// codes lists the codes of user errors.
func codes(errs []apiUserError) []string {
	out := []string{}
	for _, e := range errs {
		out = append(out, e.Code)
	}
	return out
}

// status sends a query with a token and returns the HTTP status.
func (s *testServer) status(tb testing.TB, token string) int {
	tb.Helper()
	status, _ := s.post(tb, token, `{ me { tenant { id } } }`, nil)
	return status
}
