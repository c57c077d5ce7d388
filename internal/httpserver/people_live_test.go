package httpserver_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/internal/httpserver"
	"github.com/inventory-backbone/inventory/tenancy"
)

// TestLiveConnectionsEndWithTheirSession checks that live connections whose
// sign-in session ends, on another server process too, close within a
// second with 4403 and say why: removing a member ends theirs, signing out
// everywhere ends all of the user's; other connections stay open.
func TestLiveConnectionsEndWithTheirSession(t *testing.T) {
	a, b := newTestServer(t), newTestServer(t)
	owner := a.signUp(t, freshEmail("owner"), goodPassword, "Live Shop")
	staff := a.accept(t, a.invite(t, owner.AccessToken, freshEmail("staff"), "VIEWER"), goodPassword)
	if len(staff.UserErrors) > 0 {
		t.Fatalf("accept: %+v", staff.UserErrors)
	}
	second, _ := a.signIn(t, freshEmailOf(owner), goodPassword)
	staffConn := mustDial(t, b, staff.AccessToken)
	ownerOnA, ownerOnB := mustDial(t, a, owner.AccessToken), mustDial(t, b, second.AccessToken)
	cliConn := mustDial(t, b, b.token(t, owner.Tenant.ID, "cli", tenancy.Viewer)) // names no session

	closed := func(what string, c *liveConn, since time.Time) {
		t.Helper()
		code, reason, _ := c.waitClose(t)
		took := time.Since(since)
		if code != httpserver.CloseForbidden || !strings.Contains(reason, "session has ended") {
			t.Fatalf("%s closed with %d %q, want %d and why", what, code, reason, httpserver.CloseForbidden)
		}
		if took > time.Second {
			t.Fatalf("%s closed %v after its session ended, want within a second", what, took)
		}
		t.Logf("%s closed %v after its session ended", what, took)
	}
	stillOpen := func(what string, c *liveConn) {
		t.Helper()
		select {
		case m, ok := <-c.msgs:
			if !ok {
				t.Fatalf("%s closed: %v", what, c.err)
			}
			t.Fatalf("%s got %s %s", what, m.Type, m.Payload)
		default:
		}
	}

	start := time.Now()
	var rm struct {
		RemoveUser struct{ UserErrors []apiUserError }
	}
	a.mustData(t, owner.AccessToken, `mutation($u: ID!) { removeUser(input: {userId: $u}) { userErrors { code } } }`,
		map[string]any{"u": staff.User.ID}, &rm)
	if len(rm.RemoveUser.UserErrors) > 0 {
		t.Fatalf("removeUser: %+v", rm.RemoveUser.UserErrors)
	}
	closed("the removed member's connection", staffConn, start)
	stillOpen("the owner's connection on a", ownerOnA)
	stillOpen("the owner's connection on b", ownerOnB)

	start = time.Now()
	out, _ := a.authCall(t, "signOut", `mutation($t: String) { signOut(input: {refreshToken: $t, everywhere: true}) { userErrors { code } } }`,
		map[string]any{"t": second.RefreshToken})
	if len(out.UserErrors) > 0 {
		t.Fatalf("signOut everywhere: %+v", out.UserErrors)
	}
	closed("the owner's connection on a", ownerOnA, start)
	closed("the owner's connection on b", ownerOnB, start)
	stillOpen("the token command's connection", cliConn)
	if got := b.status(t, b.token(t, owner.Tenant.ID, "cli", tenancy.Viewer)); got != http.StatusOK {
		t.Fatalf("a token of the token command after sign-out: status %d", got)
	}
}
