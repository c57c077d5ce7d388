package httpserver_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"

	"github.com/inventory-backbone/inventory/internal/config"
	"github.com/inventory-backbone/inventory/tenancy"
)

// meResult is `me` as TestMeOnlyForTheSessionsUser reads it.
type meResult struct {
	Me struct {
		User    *struct{ ID, Email string }
		Roles   []string
		Tenant  struct{ ID string }
		Tenants []struct {
			Tenant struct{ ID string }
			Roles  []string
		}
	}
}

const meQuery = `{ me { user { id email } roles tenant { id } tenants { tenant { id } roles } } }`

// TestMeOnlyForTheSessionsUser checks that `me` names a user and lists
// the user's other tenants only for a sign-in session's token. A token
// whose sub merely equals a member's email (the token command's, or an
// identity provider's, even one claiming the user's uid) shows only its
// own tenant and roles, never another tenant's membership.
func TestMeOnlyForTheSessionsUser(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	jwk, err := jwkset.NewJWKFromKey(key.Public(), jwkset.JWKOptions{Metadata: jwkset.JWKMetadataOptions{KID: "ec"}})
	if err != nil {
		t.Fatal(err)
	}
	set := jwkset.JWKSMarshal{Keys: []jwkset.JWKMarshal{jwk.Marshal()}}
	idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _ = json.NewEncoder(w).Encode(set) }))
	defer idp.Close()
	s := newTestServerWith(t, serverOptions{people: func(p *config.People) { p.JWKSURL = idp.URL }})

	// A user with a business of their own joins another as a viewer.
	owner := s.signUp(t, freshEmail("owner"), goodPassword, "Shop A")
	clearThrottle(t, s) // sign-ups from one address are throttled
	user := s.signUp(t, freshEmail("member"), goodPassword, "Shop B")
	if r := s.accept(t, s.invite(t, owner.AccessToken, user.User.Email, "VIEWER"), goodPassword); len(r.UserErrors) > 0 {
		t.Fatalf("accept: %+v", r.UserErrors)
	}

	// The user's own session in Shop A: the user and both tenants.
	in, _ := s.signIn(t, user.User.Email, goodPassword, owner.Tenant.ID)
	var me meResult
	s.mustData(t, in.AccessToken, meQuery, nil, &me)
	if me.Me.User == nil || me.Me.User.ID != user.User.ID || len(me.Me.Tenants) != 2 {
		t.Fatalf("session me = %+v", me.Me)
	}

	// Tokens for Shop A naming the user's email, without a session.
	now := time.Now()
	idpToken := jwt.NewWithClaims(jwt.SigningMethodES256, jwt.MapClaims{"sub": user.User.Email,
		"tenant_id": owner.Tenant.ID, "roles": []string{"operator"}, "uid": user.User.ID,
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix()})
	idpToken.Header["kid"] = "ec"
	signed, err := idpToken.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	for name, token := range map[string]string{
		"token command":     s.token(t, owner.Tenant.ID, user.User.Email, tenancy.Operator),
		"identity provider": signed,
	} {
		var me meResult
		s.mustData(t, token, meQuery, nil, &me)
		if me.Me.User != nil || me.Me.Tenant.ID != owner.Tenant.ID || !slices.Equal(me.Me.Roles, []string{"OPERATOR"}) ||
			len(me.Me.Tenants) != 1 || me.Me.Tenants[0].Tenant.ID != owner.Tenant.ID ||
			!slices.Equal(me.Me.Tenants[0].Roles, []string{"OPERATOR"}) {
			t.Errorf("%s: me = %+v, want only Shop A with the token's roles", name, me.Me)
		}
	}
}
