package httpserver_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/config"
)

var emailSeq atomic.Int64

// freshEmail returns an email no test has used, in mixed case.
func freshEmail(name string) string {
	return fmt.Sprintf("%s.%d.%d@Example.COM", name, time.Now().UnixNano(), emailSeq.Add(1))
}

const goodPassword = "correct horse battery staple"

// TestSignUpSignInRefreshSignOut walks a session's life: sign-up makes a
// business and its admin, whose email acts in the ledger; sign-in, refresh
// with rotation, the cookie, reuse detection ending the whole session, and
// sign-out refusing the access token.
func TestSignUpSignInRefreshSignOut(t *testing.T) {
	s := newTestServer(t)
	email := freshEmail("owner")
	up := s.signUp(t, email, goodPassword, "Corner Shop")
	if len(up.UserErrors) > 0 || up.AccessToken == "" || up.RefreshToken == "" {
		t.Fatalf("signUp: %+v", up)
	}
	if up.User.Email != strings.ToLower(email) || !slices.Equal(up.User.Roles, []string{"ADMIN"}) || up.Tenant.Name != "Corner Shop" {
		t.Fatalf("signUp user/tenant = %+v / %+v", up.User, up.Tenant)
	}
	// The access token works like any other: the admin builds the catalogue
	// and the ledger names the email as the actor.
	itemID, locs := s.catalogue(t, up.AccessToken, "SKU-1", "A")
	var rec struct {
		ReceiveStock struct{ Movements []struct{ Actor string } }
	}
	s.mustData(t, up.AccessToken, `mutation($i: ID!, $l: ID!) { receiveStock(input: {itemId: $i, locationId: $l, quantity: 5}) { movements { actor } } }`,
		map[string]any{"i": itemID, "l": locs[0]}, &rec)
	if len(rec.ReceiveStock.Movements) != 1 || rec.ReceiveStock.Movements[0].Actor != strings.ToLower(email) {
		t.Fatalf("movement actor = %+v, want %s", rec.ReceiveStock.Movements, strings.ToLower(email))
	}

	// Sign-in, with the email in another case; the cookie is HttpOnly,
	// SameSite=Strict, and Secure: the public URL is not localhost
	// (TestRefreshCookieSecure has the cases).
	in, header := s.signIn(t, strings.ToUpper(email), goodPassword)
	if len(in.UserErrors) > 0 || in.Tenant.ID != up.Tenant.ID {
		t.Fatalf("signIn: %+v", in)
	}
	cookie := refreshCookie(t, header)
	if !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || !cookie.Secure || cookie.Value != in.RefreshToken || cookie.Path != "/graphql" {
		t.Fatalf("refresh cookie = %+v", cookie)
	}
	var me struct {
		Me struct {
			User    struct{ Email string }
			Roles   []string
			Tenant  struct{ Name string }
			Tenants []struct{ Tenant struct{ ID string } }
		}
	}
	s.mustData(t, in.AccessToken, `{ me { user { email } roles tenant { name } tenants { tenant { id } } } }`, nil, &me)
	if me.Me.User.Email != strings.ToLower(email) || !slices.Equal(me.Me.Roles, []string{"ADMIN"}) || len(me.Me.Tenants) != 1 {
		t.Fatalf("me = %+v", me.Me)
	}

	// Refresh from the cookie alone rotates the token.
	r1 := s.refresh(t, "", cookie)
	if len(r1.UserErrors) > 0 || r1.RefreshToken == in.RefreshToken || r1.AccessToken == "" {
		t.Fatalf("refresh by cookie: %+v", r1)
	}
	r2 := s.refresh(t, r1.RefreshToken)
	if len(r2.UserErrors) > 0 {
		t.Fatalf("refresh: %+v", r2.UserErrors)
	}
	// The first token again, though moments after its use: its successor
	// was used too, so this is reuse. The whole session ends: the newest
	// refresh token and the session's access tokens are refused too.
	if again := s.refresh(t, in.RefreshToken); !slices.Equal(codes(again.UserErrors), []string{"VALIDATION"}) || again.AccessToken != "" {
		t.Fatalf("reused refresh token: %+v", again)
	}
	if next := s.refresh(t, r2.RefreshToken); len(next.UserErrors) == 0 {
		t.Fatal("the session's newest refresh token still works after a reuse")
	}
	waitStatus(t, s, r2.AccessToken, http.StatusUnauthorized)

	// The sign-up session is another one, still going; signing out of it
	// refuses its access token and its refresh token.
	if got := s.status(t, up.AccessToken); got != http.StatusOK {
		t.Fatalf("the sign-up session's token: status %d", got)
	}
	out, _ := s.authCall(t, "signOut", `mutation($t: String) { signOut(input: {refreshToken: $t}) { userErrors { code } } }`,
		map[string]any{"t": up.RefreshToken})
	if len(out.UserErrors) > 0 {
		t.Fatalf("signOut: %+v", out.UserErrors)
	}
	waitStatus(t, s, up.AccessToken, http.StatusUnauthorized)
	if r := s.refresh(t, up.RefreshToken); len(r.UserErrors) == 0 {
		t.Fatal("a signed-out session's refresh token still works")
	}
}

// TestRefreshFromTwoTabs checks that tabs refreshing the same token at once
// all get the same successor and the session goes on; that the token comes
// back no more once its successor is used, nor after the grace period; and
// that a reuse then ends the session.
func TestRefreshFromTwoTabs(t *testing.T) {
	s := newTestServer(t)
	email := freshEmail("tabs")
	s.signUp(t, email, goodPassword, "Tabs")
	in, header := s.signIn(t, email, goodPassword)
	cookie := refreshCookie(t, header)

	const tabs = 4
	var wg sync.WaitGroup
	got := make([]authResult, tabs)
	start := make(chan struct{})
	for i := range tabs {
		wg.Go(func() {
			<-start
			got[i] = s.refresh(t, "", cookie)
		})
	}
	close(start)
	wg.Wait()
	for i, r := range got {
		if len(r.UserErrors) > 0 || r.AccessToken == "" {
			t.Fatalf("tab %d: %+v", i, r.UserErrors)
		}
		if r.RefreshToken != got[0].RefreshToken || r.RefreshToken == in.RefreshToken {
			t.Fatalf("tab %d got refresh token %q, tab 0 %q: want one successor", i, r.RefreshToken, got[0].RefreshToken)
		}
		if status := s.status(t, r.AccessToken); status != http.StatusOK {
			t.Fatalf("tab %d's access token: status %d", i, status)
		}
	}
	next := s.refresh(t, got[0].RefreshToken)
	if len(next.UserErrors) > 0 {
		t.Fatalf("refresh the successor: %+v", next.UserErrors)
	}
	if again := s.refresh(t, in.RefreshToken); !slices.Equal(codes(again.UserErrors), []string{"VALIDATION"}) {
		t.Fatalf("the first token after its successor was used: %+v", again)
	}
	waitStatus(t, s, next.AccessToken, http.StatusUnauthorized)

	// Past the grace period a used token is reuse, successor unused or not.
	in, _ = s.signIn(t, email, goodPassword)
	r1 := s.refresh(t, in.RefreshToken)
	if len(r1.UserErrors) > 0 {
		t.Fatalf("refresh: %+v", r1.UserErrors)
	}
	rptOwner(t, s, r1.Tenant.ID, func(tx pgx.Tx) error {
		_, err := tx.Exec(t.Context(), `UPDATE refresh_tokens SET used_at = used_at - make_interval(secs => $1)
			WHERE used_at IS NOT NULL`, (domain.RefreshGrace + time.Second).Seconds())
		return err
	})
	if again := s.refresh(t, in.RefreshToken); !slices.Equal(codes(again.UserErrors), []string{"VALIDATION"}) {
		t.Fatalf("a token used longer ago than the grace period: %+v", again)
	}
	waitStatus(t, s, r1.AccessToken, http.StatusUnauthorized)
}

// TestRefreshCookieSecure checks that the refresh cookie's Secure flag
// follows the configured public URL, never the request: the test client
// reaches the server on 127.0.0.1, as a proxy forwarding "Host: localhost"
// would, yet only a plain-HTTP localhost public URL drops Secure.
func TestRefreshCookieSecure(t *testing.T) {
	for _, c := range []struct {
		publicURL string
		secure    bool
	}{
		{"http://localhost:8080", false},
		{"http://[::1]:8080", false},
		{"http://console.test", true},
		{"https://localhost:8443", true},
		{"https://console.example.com", true},
	} {
		t.Run(c.publicURL, func(t *testing.T) {
			s := newTestServerWith(t, serverOptions{people: func(p *config.People) { p.PublicURL = c.publicURL }})
			clearThrottle(t, s) // sign-ups from one address are throttled
			_, header := s.authCall(t, "signUp", `mutation($e: String!, $p: String!) {
				signUp(input: {email: $e, password: $p, businessName: "Shop"}) { `+authFields+` } }`,
				map[string]any{"e": freshEmail("cookie"), "p": goodPassword})
			if got := refreshCookie(t, header).Secure; got != c.secure {
				t.Fatalf("public URL %s: refresh cookie Secure = %v, want %v", c.publicURL, got, c.secure)
			}
		})
	}
}

// refreshCookie returns the response's refresh cookie.
func refreshCookie(t *testing.T, h http.Header) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == "inventory_refresh" {
			return c
		}
	}
	t.Fatalf("no refresh cookie in %v", h.Values("Set-Cookie"))
	return nil
}

// waitStatus waits up to a second for a token to get the HTTP status.
func waitStatus(t *testing.T, s *testServer, token string, want int) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		got := s.status(t, token)
		if got == want {
			return time.Since(start)
		}
		if time.Since(start) > time.Second {
			t.Fatalf("after %v the token still gets %d, want %d", time.Since(start), got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRemovedUserRefusedOnAnotherProcess checks that removing a member and
// signing out everywhere refuse their outstanding access tokens within a
// second on another server process, which caches session answers.
func TestRemovedUserRefusedOnAnotherProcess(t *testing.T) {
	a, b := newTestServer(t), newTestServer(t)
	owner := a.signUp(t, freshEmail("owner"), goodPassword, "Two Shops")
	staffEmail := freshEmail("staff")
	staff := a.accept(t, a.invite(t, owner.AccessToken, staffEmail, "OPERATOR"), goodPassword)
	if len(staff.UserErrors) > 0 {
		t.Fatalf("accept: %+v", staff.UserErrors)
	}
	if got := b.status(t, staff.AccessToken); got != http.StatusOK { // b caches the session as active
		t.Fatalf("staff token on b: %d", got)
	}
	var rm struct {
		RemoveUser struct {
			User       struct{ Email string }
			UserErrors []apiUserError
		}
	}
	a.mustData(t, owner.AccessToken, `mutation($u: ID!) { removeUser(input: {userId: $u}) { user { email } userErrors { code } } }`,
		map[string]any{"u": staff.User.ID}, &rm)
	if len(rm.RemoveUser.UserErrors) > 0 || rm.RemoveUser.User.Email != strings.ToLower(staffEmail) {
		t.Fatalf("removeUser: %+v", rm.RemoveUser)
	}
	took := waitStatus(t, b, staff.AccessToken, http.StatusUnauthorized)
	t.Logf("removed user's token refused on the other process after %v", took)
	if r := a.refresh(t, staff.RefreshToken); len(r.UserErrors) == 0 {
		t.Fatal("a removed user's refresh token still works")
	}
	if r, _ := a.signIn(t, staffEmail, goodPassword); !slices.Equal(codes(r.UserErrors), []string{"INVALID_STATE"}) {
		t.Fatalf("removed user signs in: %+v", r.UserErrors)
	}

	// Sign out everywhere: both of the owner's sessions end, on b too.
	second, _ := a.signIn(t, freshEmailOf(owner), goodPassword)
	if got := b.status(t, second.AccessToken); got != http.StatusOK {
		t.Fatalf("owner's token on b: %d", got)
	}
	out, _ := a.authCall(t, "signOut", `mutation($t: String) { signOut(input: {refreshToken: $t, everywhere: true}) { userErrors { code } } }`,
		map[string]any{"t": second.RefreshToken})
	if len(out.UserErrors) > 0 {
		t.Fatalf("signOut everywhere: %+v", out.UserErrors)
	}
	waitStatus(t, b, owner.AccessToken, http.StatusUnauthorized)
	waitStatus(t, b, second.AccessToken, http.StatusUnauthorized)
}

func freshEmailOf(r authResult) string { return r.User.Email }

// TestInvitations checks that an invitation is accepted once, never twice,
// not after it expires, with its roles; that an existing account must prove
// its password to join; and that a business always keeps an admin, even
// when two admins demote each other at the same moment.
func TestInvitations(t *testing.T) {
	s := newTestServer(t)
	owner := s.signUp(t, freshEmail("owner"), goodPassword, "Warehouse")

	email := freshEmail("picker")
	token := s.invite(t, owner.AccessToken, email, "OPERATOR")
	if r := s.accept(t, token, "short"); !slices.Equal(codes(r.UserErrors), []string{"VALIDATION"}) {
		t.Fatalf("short password: %+v", r.UserErrors)
	}
	if r := s.accept(t, token, "password123"); !slices.Equal(codes(r.UserErrors), []string{"VALIDATION"}) ||
		!strings.Contains(r.UserErrors[0].Message, "common") {
		t.Fatalf("common password: %+v", r.UserErrors)
	}
	picker := s.accept(t, token, goodPassword)
	if len(picker.UserErrors) > 0 || !slices.Equal(picker.User.Roles, []string{"OPERATOR"}) || picker.Tenant.ID != owner.Tenant.ID {
		t.Fatalf("accept: %+v", picker)
	}
	if r := s.accept(t, token, goodPassword); !slices.Equal(codes(r.UserErrors), []string{"VALIDATION"}) {
		t.Fatalf("accepted twice: %+v", r)
	}
	// An operator is not an admin.
	status, resp := s.post(t, picker.AccessToken, `mutation { inviteUser(input: {email: "x@example.com", roles: [ADMIN]}) { userErrors { code } } }`, nil)
	if status != http.StatusOK || !slices.Equal(resp.errorCodes(), []string{"FORBIDDEN"}) {
		t.Fatalf("operator invites: %d %v", status, resp.errorCodes())
	}

	// An expired invitation is refused.
	expired := s.invite(t, owner.AccessToken, freshEmail("late"), "VIEWER")
	rptOwner(t, s, owner.Tenant.ID, func(tx pgx.Tx) error {
		_, err := tx.Exec(t.Context(), `UPDATE invitations SET expires_at = now() - interval '1 second' WHERE accepted_at IS NULL`)
		return err
	})
	if r := s.accept(t, expired, goodPassword); !slices.Equal(codes(r.UserErrors), []string{"VALIDATION"}) {
		t.Fatalf("expired invitation: %+v", r)
	}

	// Someone with an account elsewhere joins with their own password.
	other := s.signUp(t, freshEmail("other"), goodPassword+"!", "Other Shop")
	join := s.invite(t, owner.AccessToken, other.User.Email, "VIEWER")
	if r := s.accept(t, join, goodPassword); !slices.Equal(codes(r.UserErrors), []string{"VALIDATION"}) {
		t.Fatalf("existing account, wrong password: %+v", r)
	}
	joined := s.accept(t, join, goodPassword+"!")
	if len(joined.UserErrors) > 0 || joined.Tenant.ID != owner.Tenant.ID || !slices.Equal(joined.User.Roles, []string{"VIEWER"}) {
		t.Fatalf("existing account joins: %+v", joined)
	}
	r, _ := s.signIn(t, other.User.Email, goodPassword+"!", other.Tenant.ID)
	if r.Tenant.ID != other.Tenant.ID || !slices.Equal(r.User.Roles, []string{"ADMIN"}) {
		t.Fatalf("signIn to the first business: %+v", r)
	}
	r, _ = s.signIn(t, other.User.Email, goodPassword+"!", owner.Tenant.ID)
	if r.Tenant.ID != owner.Tenant.ID || !slices.Equal(r.User.Roles, []string{"VIEWER"}) {
		t.Fatalf("signIn to the second business: %+v", r)
	}

	// The last admin can be neither demoted nor removed.
	for _, m := range []string{
		`mutation($u: ID!) { updateUserRoles(input: {userId: $u, roles: [OPERATOR]}) { userErrors { code } } }`,
		`mutation($u: ID!) { removeUser(input: {userId: $u}) { userErrors { code } } }`,
	} {
		var out map[string]struct{ UserErrors []apiUserError }
		s.mustData(t, owner.AccessToken, m, map[string]any{"u": owner.User.ID}, &out)
		for name, p := range out {
			if !slices.Equal(codes(p.UserErrors), []string{"INVALID_STATE"}) {
				t.Fatalf("%s of the last admin: %+v", name, p.UserErrors)
			}
		}
	}
	// Two admins demote each other at once: one of them stays admin.
	var promoted struct {
		UpdateUserRoles struct{ UserErrors []apiUserError }
	}
	s.mustData(t, owner.AccessToken, `mutation($u: ID!) { updateUserRoles(input: {userId: $u, roles: [ADMIN]}) { userErrors { code } } }`,
		map[string]any{"u": picker.User.ID}, &promoted)
	pickerAdmin := s.refresh(t, picker.RefreshToken) // roles apply at the next refresh
	if !slices.Equal(pickerAdmin.User.Roles, []string{"ADMIN"}) {
		t.Fatalf("roles after refresh: %+v", pickerAdmin.User.Roles)
	}
	var wg sync.WaitGroup
	results := make([][]string, 2)
	for i, pair := range [][2]string{{owner.AccessToken, picker.User.ID}, {pickerAdmin.AccessToken, owner.User.ID}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out struct {
				UpdateUserRoles struct{ UserErrors []apiUserError }
			}
			s.mustData(t, pair[0], `mutation($u: ID!) { updateUserRoles(input: {userId: $u, roles: [VIEWER]}) { userErrors { code } } }`,
				map[string]any{"u": pair[1]}, &out)
			results[i] = codes(out.UpdateUserRoles.UserErrors)
		}()
	}
	wg.Wait()
	failed := 0
	for _, c := range results {
		if len(c) > 0 {
			failed++
		}
	}
	if failed != 1 {
		t.Fatalf("two admins demoting each other: %v, want exactly one refused", results)
	}
	var users struct {
		Users struct{ Nodes []struct{ Roles []string } }
	}
	s.mustData(t, owner.AccessToken, `{ users { nodes { roles } } }`, nil, &users)
	if users.Users.Nodes == nil && failed == 1 {
		// The owner may have been demoted: read as the other admin.
		s.mustData(t, pickerAdmin.AccessToken, `{ users { nodes { roles } } }`, nil, &users)
	}
	admins := 0
	for _, n := range users.Users.Nodes {
		if slices.Contains(n.Roles, "ADMIN") {
			admins++
		}
	}
	if admins != 1 {
		t.Fatalf("admins after the race = %d, want 1", admins)
	}
}

// TestSignInThrottling checks that a wrong password and an unknown email get
// the same answer, that repeated failures for one email are refused for a
// while (RATE_LIMITED with Retry-After) on every server process, and that
// the right password does not get through a lock.
func TestSignInThrottling(t *testing.T) {
	a, b := newTestServer(t), newTestServer(t)
	clearThrottle(t, a)
	email := freshEmail("target")
	a.signUp(t, email, goodPassword, "Target")

	wrong, _ := a.signIn(t, email, "not the password")
	unknown, _ := a.signIn(t, freshEmail("nobody"), "not the password")
	wj, _ := json.Marshal(wrong.UserErrors)
	uj, _ := json.Marshal(unknown.UserErrors)
	if string(wj) != string(uj) || len(wrong.UserErrors) != 1 {
		t.Fatalf("wrong password answers %s, unknown email %s", wj, uj)
	}
	// Three failures are free; the fourth locks the email.
	for range 3 {
		if r, _ := a.signIn(t, email, "not the password"); slices.Contains(codes(r.UserErrors), "RATE_LIMITED") {
			t.Fatalf("refused too early: %+v", r.UserErrors)
		}
	}
	r, h := b.signIn(t, email, goodPassword)
	if !slices.Equal(codes(r.UserErrors), []string{"RATE_LIMITED"}) || r.AccessToken != "" {
		t.Fatalf("locked email on another process: %+v", r)
	}
	if h.Get("Retry-After") == "" {
		t.Fatal("no Retry-After on RATE_LIMITED")
	}
	// Once the lock has passed, the right password works and clears the count.
	deadline := time.Now().Add(5 * time.Second)
	for {
		r, _ = b.signIn(t, email, goodPassword)
		if len(r.UserErrors) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still refused: %+v", r.UserErrors)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if r, _ := a.signIn(t, email, "not the password"); slices.Contains(codes(r.UserErrors), "RATE_LIMITED") {
		t.Fatalf("a success did not clear the count: %+v", r.UserErrors)
	}

	// One address trying many emails is locked after twenty failures.
	clearThrottle(t, a)
	for i := range 21 {
		if r, _ := a.signIn(t, freshEmail(fmt.Sprint("spray", i)), "not the password"); slices.Contains(codes(r.UserErrors), "RATE_LIMITED") {
			t.Fatalf("address refused after %d failures", i)
		}
	}
	if r, _ := a.signIn(t, freshEmail("spray"), "not the password"); !slices.Equal(codes(r.UserErrors), []string{"RATE_LIMITED"}) {
		t.Fatalf("address not locked: %+v", r.UserErrors)
	}
	clearThrottle(t, a)
}

// clearThrottle forgets every failure, so that other tests from this
// address are not refused.
func clearThrottle(t *testing.T, s *testServer) {
	if _, err := s.db.Owner.Exec(t.Context(), `DELETE FROM auth_throttle`); err != nil {
		t.Fatal(err)
	}
}

// TestPublicOperations checks that only the sign-in mutations go without a
// token, alone: any other field with them needs one.
func TestPublicOperations(t *testing.T) {
	s := newTestServer(t)
	clearThrottle(t, s)
	for _, q := range []string{
		`{ items { nodes { id } } }`,
		`{ me { tenant { id } } }`,
		`mutation { signIn(input: {email: "a@b.c", password: "x"}) { accessToken } createLocation(input: {code: "X", name: "X"}) { userErrors { code } } }`,
		`mutation A { signIn(input: {email: "a@b.c", password: "x"}) { accessToken } } mutation B { inviteUser(input: {email: "a@b.c", roles: [ADMIN]}) { userErrors { code } } }`,
	} {
		body, _ := json.Marshal(map[string]any{"query": q, "operationName": map[bool]string{true: "B"}[strings.Contains(q, "mutation B")]})
		status, _, raw := s.send(t, http.MethodPost, "/graphql", http.Header{"Content-Type": {"application/json"}}, body)
		if status != http.StatusUnauthorized || !strings.Contains(string(raw), "UNAUTHENTICATED") {
			t.Errorf("%s without a token: %d %s", q, status, raw)
		}
	}
	r, _ := s.signIn(t, "nobody@example.com", "whatever it is")
	if !slices.Equal(codes(r.UserErrors), []string{"VALIDATION"}) {
		t.Fatalf("signIn without a token: %+v", r.UserErrors)
	}
	clearThrottle(t, s)
}

// TestSignUpClosed checks INVENTORY_SIGNUP=closed.
func TestSignUpClosed(t *testing.T) {
	s := newTestServerWith(t, serverOptions{people: func(p *config.People) { p.SignUpClosed = true }})
	r, _ := s.authCall(t, "signUp", `mutation { signUp(input: {email: "new@example.com", password: "a long passphrase", businessName: "X"}) { `+authFields+` } }`, nil)
	if !slices.Equal(codes(r.UserErrors), []string{"INVALID_STATE"}) || r.AccessToken != "" {
		t.Fatalf("signUp when closed: %+v", r)
	}
}
